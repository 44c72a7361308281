//! Indexing a body on two threads: the first half by one scanner, the second by a scanner resumed after a line
//! break near the middle ([`Scanner::resume`]), then joined. A body without a line break near its middle (one long
//! line), a small one, one machine thread, or a second half that does not fit what the first found: one scan.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::mpsc;
use std::time::Duration;

use super::resume::Joined;
use super::{ScanError, Scanner};
use crate::json::index::Index;
use crate::json::source::Source;

/// Bodies smaller than this are indexed by one thread: a thread costs more than it saves on them.
pub(crate) const PARALLEL_FROM: u64 = 8 << 20;
/// How far past the middle a line break is looked for.
const LOOK: u64 = 64 << 10;

/// Why indexing stopped.
#[derive(Debug)]
pub(crate) enum Stop {
    Io(io::Error),
    Scan(ScanError),
}

/// Indexes `source` whole, on two threads when it is at least `parallel_from` bytes, calling `progress(done, total)`
/// as it goes. `limit` caps the entries.
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
    let two = std::thread::available_parallelism().is_ok_and(|n| n.get() >= 2);
    let mut from = 0;
    if two && total >= parallel_from.max(2) {
        (scanner, from) = in_halves(source, scanner, &mut progress)?;
        if from == total {
            progress(total, total);
        }
    }
    read_on(scanner, source, from, &mut progress)
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
    scanner.finish().map_err(Stop::Scan)
}

/// Scans `source` in two halves at once when a split point shows; returns the scanner and where it stopped.
fn in_halves(source: &Source, first: Scanner, progress: &mut impl FnMut(u64, u64)) -> Result<(Scanner, u64), Stop> {
    let middle = source.len() / 2;
    let near = source.slice(middle, middle + LOOK).map_err(Stop::Io)?;
    match memchr::memchr(b'\n', &near) {
        Some(i) => halves_at(source, first, middle + i as u64 + 1, &near[i + 1..], progress),
        None => Ok((first, 0)),
    }
}

/// Scans `..at` with `first` and `at..` with a scanner resumed there (`start`: the bytes from `at` on, enough to
/// show the first token), at once, and joins them.
fn halves_at(
    source: &Source,
    mut first: Scanner,
    at: u64,
    start: &[u8],
    progress: &mut impl FnMut(u64, u64),
) -> Result<(Scanner, u64), Stop> {
    let total = source.len();
    let Some(mut rest) = Scanner::resume(start, at, total - at) else { return Ok((first, 0)) };
    let rest_done = AtomicU64::new(0);
    let give_up = AtomicBool::new(false);
    let (sent, arrived) = mpsc::channel();
    let joined = std::thread::scope(|scope| {
        let (rest_done, give_up) = (&rest_done, &give_up);
        scope.spawn(move || {
            let read = feed(&mut rest, source, at, total, &mut |done| {
                rest_done.store(done - at, Ordering::Relaxed);
                !give_up.load(Ordering::Relaxed)
            });
            // The receiver is gone only when the first half failed; then nothing waits for this.
            let _ = sent.send(read.map(|()| rest));
        });
        let both = |done: u64| done + rest_done.load(Ordering::Relaxed);
        if let Err(stop) = feed(&mut first, source, 0, at, &mut |done| {
            progress(both(done), total);
            true
        }) {
            give_up.store(true, Ordering::Relaxed);
            return Err(stop);
        }
        let rest = loop {
            match arrived.recv_timeout(Duration::from_millis(50)) {
                Ok(rest) => break rest,
                Err(mpsc::RecvTimeoutError::Timeout) => progress(both(at), total),
                Err(mpsc::RecvTimeoutError::Disconnected) => break Err(Stop::Scan(lost())),
            }
        };
        Ok(match rest {
            Ok(rest) => first.join(rest),
            // An error past the split is found again, where one scan finds it, by reading on.
            Err(_) => Joined::Apart(first),
        })
    })?;
    match joined {
        Joined::Whole(scanner) => Ok((scanner, total)),
        Joined::Apart(scanner) => Ok((scanner, at)),
        Joined::Stopped(e) => Err(Stop::Scan(e)),
    }
}

fn lost() -> ScanError {
    ScanError { offset: 0, message: "the second half's scan stopped", too_many: false }
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
            let end = (to - at).min(chunk.len() as u64) as usize;
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

/// [`index_source`] split right after the line break before `at`, on two threads however small the body; and
/// whether the halves were joined (or read again by one scan).
#[cfg(test)]
pub(super) fn index_split_at(source: &Source, at: u64) -> (Result<Index, Stop>, bool) {
    let start = source.slice(at, at + LOOK).expect("in memory");
    let halves = halves_at(source, Scanner::new(source.len()), at, &start, &mut |_, _| {});
    match halves {
        Ok((scanner, from)) => (read_on(scanner, source, from, &mut |_, _| {}), from == source.len()),
        Err(stop) => (Err(stop), false),
    }
}
