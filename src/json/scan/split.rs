//! Indexing a large body on every core: the first part by one scanner, each later part by a scanner resumed after
//! a line break ([`Scanner::resume`]), all at once, then joined in order. A part that does not fit what came
//! before it (or that found an error) is read again by the joined scanner, so the result is always that of one
//! scan. A body without line breaks (one long line), a small one, or one core: one scan.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::resume::Joined;
use super::{ScanError, Scanner};
use crate::json::index::Index;
use crate::json::source::{Source, to_usize};

/// Bodies smaller than this are indexed by one thread: a thread costs more than it saves on them.
pub(crate) const PARALLEL_FROM: u64 = 8 << 20;
/// At most this many parts (threads) for one body.
const MAX_PARTS: u64 = 8;
/// How far past a part's planned start a line break is looked for.
const LOOK: u64 = 64 << 10;

/// Why indexing stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    Io(io::Error),
    Scan(ScanError),
}

/// A later part: where it starts, and its scanner, resumed there.
struct Part {
    at: u64,
    scanner: Scanner,
}

/// Indexes `source` whole, in parts on as many threads as there are cores when it is at least `parallel_from`
/// bytes (a part each `parallel_from / 2` at least), calling `progress(done, total)` as it goes. `limit` caps the
/// entries.
pub(crate) fn index_source(
    source: &Source,
    limit: Option<u32>,
    parallel_from: u64,
    mut progress: impl FnMut(u64, u64),
) -> Result<Index, Stop> {
    let total = source.len();
    let mut scanner = Scanner::new(total);
    if let Some(limit) = limit {
        scanner.limit_entries(limit);
    }
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get() as u64);
    let parts = cores.min(MAX_PARTS).min(total / (parallel_from / 2).max(1));
    let mut from = 0;
    if parts >= 2 && total >= parallel_from.max(2) {
        let starts = (1..parts).map(|k| total / parts * k);
        let later = plan(source, starts)?;
        (scanner, _) = in_parts(source, scanner, later, &mut progress)?;
        from = scanner.fed;
    }
    read_on(scanner, source, from, &mut progress)
}

/// The later parts: each starts at the first line break after its planned start, when its first token shows
/// the state there.
fn plan(source: &Source, starts: impl Iterator<Item = u64>) -> Result<Vec<Part>, Stop> {
    let mut parts: Vec<Part> = Vec::new();
    for planned in starts {
        let near = source.slice(planned, planned + LOOK).map_err(Stop::Io)?;
        let Some(i) = memchr::memchr(b'\n', &near) else { continue };
        let at = planned + i as u64 + 1;
        if parts.last().is_some_and(|p| p.at >= at) {
            continue;
        }
        if let Some(scanner) = Scanner::resume(&near[i + 1..], at, source.len() - at) {
            parts.push(Part { at, scanner });
        }
    }
    Ok(parts)
}

/// Feeds the rest of `source` from `from` on to `scanner` and finishes it.
fn read_on(
    mut scanner: Scanner,
    source: &Source,
    from: u64,
    progress: &mut impl FnMut(u64, u64),
) -> Result<Index, Stop> {
    let total = source.len();
    feed(&mut scanner, source, from, total, &mut |done| {
        progress(done, total);
        true
    })?;
    progress(total, total);
    scanner.finish().map_err(Stop::Scan)
}

/// Scans the first part with `first` and each of `later` with its own scanner on its own thread, and joins
/// them in order; returns the scanner (which has read them all) and how many parts were joined (not read again).
fn in_parts(
    source: &Source,
    mut first: Scanner,
    later: Vec<Part>,
    progress: &mut impl FnMut(u64, u64),
) -> Result<(Scanner, usize), Stop> {
    let Some(first_end) = later.first().map(|p| p.at) else { return Ok((first, 0)) };
    let total = source.len();
    let ends: Vec<u64> = later.iter().skip(1).map(|p| p.at).chain([total]).collect();
    let done: Vec<AtomicU64> = later.iter().map(|_| AtomicU64::new(0)).collect();
    let give_up = AtomicBool::new(false);
    std::thread::scope(|scope| {
        let (done, give_up) = (&done, &give_up);
        let arrivals: Vec<_> = later
            .into_iter()
            .zip(&ends)
            .enumerate()
            .map(|(k, (mut part, &end))| {
                let (sent, arrived) = mpsc::channel();
                scope.spawn(move || {
                    let read = feed(&mut part.scanner, source, part.at, end, &mut |reached| {
                        done[k].store(reached - part.at, Ordering::Relaxed);
                        !give_up.load(Ordering::Relaxed)
                    });
                    // The receiver is gone only when an earlier part failed; then nothing waits for this.
                    let _ = sent.send(read.map(|()| part));
                });
                arrived
            })
            .collect();
        let all_done = |first_done: u64| first_done + done.iter().map(|d| d.load(Ordering::Relaxed)).sum::<u64>();
        let fed = feed(&mut first, source, 0, first_end, &mut |reached| {
            progress(all_done(reached), total);
            true
        });
        let stopped = |stop: Stop| {
            give_up.store(true, Ordering::Relaxed);
            Err(stop)
        };
        if let Err(stop) = fed {
            return stopped(stop);
        }
        let (mut scanner, mut joins) = (first, 0);
        for (arrived, &end) in arrivals.iter().zip(&ends) {
            let part = loop {
                match arrived.recv_timeout(Duration::from_millis(50)) {
                    Ok(part) => break part.ok(),
                    Err(mpsc::RecvTimeoutError::Timeout) => progress(all_done(first_end), total),
                    Err(mpsc::RecvTimeoutError::Disconnected) => break None,
                }
            };
            let at = scanner.fed;
            let joined = match part {
                Some(part) => scanner.join(part.scanner),
                // An error in the part is found again, where one scan finds it, by reading it again.
                None => Joined::Apart(scanner),
            };
            scanner = match joined {
                Joined::Whole(scanner) => {
                    joins += 1;
                    scanner
                }
                Joined::Stopped(e) => return stopped(Stop::Scan(e)),
                Joined::Apart(mut scanner) => {
                    if let Err(stop) = feed(&mut scanner, source, at, end, &mut |_| true) {
                        return stopped(stop);
                    }
                    scanner
                }
            };
        }
        Ok((scanner, joins))
    })
}

/// Feeds `from..to` of `source` to `scanner`; `progress(offset reached)` after each chunk says whether to go on.
fn feed(
    scanner: &mut Scanner,
    source: &Source,
    from: u64,
    to: u64,
    progress: &mut impl FnMut(u64) -> bool,
) -> Result<(), Stop> {
    let mut failure = None;
    source
        .for_each_chunk(from, |at, chunk| {
            let end = to_usize((to - at).min(chunk.len() as u64));
            if let Err(e) = scanner.feed(&chunk[..end]) {
                failure = Some(e);
                return false;
            }
            let reached = at + end as u64;
            progress(reached) && reached < to
        })
        .map_err(Stop::Io)?;
    failure.map_or(Ok(()), |e| Err(Stop::Scan(e)))
}

/// [`index_source`] in parts starting at each of `starts` (each right after a line break), on threads however
/// small the body; and whether every part was joined (none read again).
#[cfg(test)]
pub(super) fn index_split_at(source: &Source, starts: &[u64]) -> (Result<Index, Stop>, bool) {
    let later = plan(source, starts.iter().map(|&at| at.saturating_sub(1))).expect("in memory");
    let planned = later.len();
    match in_parts(source, Scanner::new(source.len()), later, &mut |_, _| {}) {
        Ok((scanner, joins)) => {
            let from = scanner.fed;
            (read_on(scanner, source, from, &mut |_, _| {}), planned == starts.len() && joins == planned)
        }
        Err(stop) => (Err(stop), false),
    }
}
