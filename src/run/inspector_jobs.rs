//! The inspector's jobs, each on a blocking thread: open and index, search, filter, count lines, save. Answers go
//! back through the action channel; a cancelled job answers nothing (the pane stopped waiting when it cancelled).

use std::fs::File;
use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use memchr::memmem::Finder;
use tokio::sync::mpsc::UnboundedSender;

use crate::app::{
    Action, Expect, ExternalProgram, InspectorEffect, InspectorEvent, JobId, OpenInput, ReadyBody, SaveError,
    SearchTarget, prepare_body,
};
use crate::json::{self, FilterError, RawText, SearchError, Source};

/// `$EDITOR` / `$PAGER` on a body: the run loop carries it out, as it needs the terminal.
#[derive(Debug, Clone)]
pub struct ExternalRequest {
    pub program: ExternalProgram,
    pub source: Source,
    pub suffix: &'static str,
}

/// Starts the job; an external program comes back for the run loop.
pub(super) fn carry_out(tx: &UnboundedSender<Action>, effect: InspectorEffect) -> Option<ExternalRequest> {
    let tx = tx.clone();
    let send = move |event: InspectorEvent| {
        let _ = tx.send(Action::Inspector(event));
    };
    match effect {
        InspectorEffect::External { program, source, suffix } => {
            return Some(ExternalRequest { program, source, suffix });
        }
        InspectorEffect::Open { job, input, memory_cap } => blocking(move || {
            let result = open(job, input, memory_cap, &send, progress(job, send.clone()));
            let (result, file_backed) = match result {
                Ok((body, file_backed)) => (Ok(Box::new(body)), file_backed),
                Err(message) => (Err(message), false),
            };
            send(InspectorEvent::Opened { job, result, file_backed });
        }),
        InspectorEffect::Search { job, cancel, target: SearchTarget::Tree(doc), query } => {
            blocking(move || match json::search(&doc, &query, cancel.flag(), progress(job, send.clone())) {
                Ok(results) => send(InspectorEvent::Searched { job, result: Ok(results) }),
                Err(SearchError::Cancelled) => {}
                Err(e) => send(InspectorEvent::Searched { job, result: Err(e.to_string()) }),
            });
        }
        InspectorEffect::Search { job, cancel, target: SearchTarget::Lines(source), query } => {
            blocking(move || match find_lines(&source, &query, cancel.flag(), progress(job, send.clone())) {
                Ok(Some(lines)) => send(InspectorEvent::LinesFound { job, result: Ok(lines) }),
                Ok(None) => {}
                Err(e) => send(InspectorEvent::LinesFound { job, result: Err(format!("search failed: {e}")) }),
            });
        }
        InspectorEffect::Filter { job, cancel, doc, expr } => {
            blocking(move || match json::run_filter(&doc, &expr, cancel.flag()) {
                Ok(output) => {
                    let result = Ok((Arc::new(output.document), output.results));
                    send(InspectorEvent::Filtered { job, result });
                }
                Err(FilterError::Cancelled) => {}
                Err(e) => send(InspectorEvent::Filtered { job, result: Err(e.to_string()) }),
            });
        }
        InspectorEffect::CountLines { job, source } => blocking(move || {
            let result = RawText::new(source).map_err(|e| format!("could not read the body: {}", plain(&e)));
            send(InspectorEvent::LinesCounted { job, result });
        }),
        InspectorEffect::Save { job, source, path, overwrite } => blocking(move || {
            send(InspectorEvent::Saved { job, result: save(&source, &path, overwrite) });
        }),
        InspectorEffect::ReadCursor { job, target, read_for } => blocking(move || {
            send(InspectorEvent::CursorRead { job, result: target.read(read_for, json::Access::Direct) });
        }),
    }
    None
}

/// Reads the pages of a file-backed body that the screen asked for and missed (see [`Source::take_wanted`]), on a
/// blocking thread; the answer redraws the screen, or says once why a page could not be read.
pub(super) fn read_wanted_pages(tx: &UnboundedSender<Action>, source: &Source) -> bool {
    let pages = source.take_wanted();
    if pages.is_empty() {
        return false;
    }
    let (tx, source) = (tx.clone(), source.clone());
    blocking(move || {
        let result = source.read_pages(&pages).map_err(|e| plain(&e));
        let _ = tx.send(Action::Inspector(InspectorEvent::BodyRead(result)));
    });
    true
}

fn blocking(work: impl FnOnce() + Send + 'static) {
    drop(tokio::task::spawn_blocking(work));
}

/// Reports progress at most once per percent, so a fast job does not flood the channel.
fn progress(job: JobId, send: impl Fn(InspectorEvent)) -> impl FnMut(u64, u64) {
    let mut last = u64::MAX;
    move |done, total| {
        let percent = done.saturating_mul(100).checked_div(total).unwrap_or(100);
        if percent != last {
            last = percent;
            send(InspectorEvent::Progress { job, done, total });
        }
    }
}

/// Reads what `zorgtui view` was given: a file where it is, stdin into memory up to `memory_cap` then a temporary
/// file. A big body's start is sent first (`Previewed`), to be shown while the whole is read and indexed. Returns
/// the body and whether it is read from a file.
fn open(
    job: JobId,
    input: OpenInput,
    memory_cap: u64,
    send: &impl Fn(InspectorEvent),
    progress: impl FnMut(u64, u64),
) -> Result<(ReadyBody, bool), String> {
    let previewed = |preview, source, file_backed| {
        send(InspectorEvent::Previewed { job, preview: Box::new(preview), source, file_backed });
    };
    // stdin's start is previewed as it is read; a file's once it is open.
    let from_stdin = matches!(input, OpenInput::Stdin);
    let (source, file_backed, name) = match input {
        OpenInput::File(path) => {
            let name = path.display().to_string();
            let file = File::open(&path).map_err(|e| format!("cannot open {name}: {}", plain(&e)))?;
            let meta = file.metadata().map_err(|e| format!("cannot read {name}: {}", plain(&e)))?;
            if meta.is_dir() {
                return Err(format!("{name} is a folder: give a file"));
            }
            (Source::from_file(file).map_err(|e| format!("cannot read {name}: {}", plain(&e)))?, true, name)
        }
        OpenInput::Stdin => {
            let mut shown = false;
            let start = |start: &[u8]| {
                let start = Source::from_bytes(bytes::Bytes::copy_from_slice(start));
                if let Some(preview) = json::Preview::of(&start, json::PREVIEW_BYTES) {
                    previewed(preview, None, false);
                    shown = true;
                }
            };
            let read = |done| send(InspectorEvent::Progress { job, done, total: 0 });
            let (source, spilled) =
                read_stdin(memory_cap, start, read).map_err(|e| format!("cannot read stdin: {}", plain(&e)))?;
            if shown {
                send(InspectorEvent::Read { job, source: source.clone(), file_backed: spilled });
            }
            (source, spilled, "stdin".to_string())
        }
    };
    if !from_stdin && let Some(preview) = json::Preview::of(&source, json::PREVIEW_BYTES) {
        previewed(preview, Some(source.clone()), file_backed);
    }
    let body = prepare_body(source, Expect::Maybe, None, progress)
        .map_err(|e| format!("cannot read {name}: {}", plain(&e)))?;
    Ok((body, file_backed))
}

/// Stdin into memory while it fits under `cap`; past that, everything into an unlinked temporary file (0600).
fn read_stdin(cap: u64, start: impl FnOnce(&[u8]), read: impl FnMut(u64)) -> io::Result<(Source, bool)> {
    read_capped(&mut Counted { inner: io::stdin().lock(), read: 0, told: 0, tell: read }, cap, start)
}

/// A reader that tells how much it has read, every few MiB (stdin's progress while its start is shown).
struct Counted<R, F> {
    inner: R,
    read: u64,
    told: u64,
    tell: F,
}

impl<R: io::Read, F: FnMut(u64)> io::Read for Counted<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read >= self.told + (4 << 20) {
            self.told = self.read;
            (self.tell)(self.read);
        }
        Ok(n)
    }
}

/// Reads `input` whole: into memory up to `cap` bytes, else into a temporary file. True when it went to the file.
/// Its first bytes go to `start` as soon as they are read, when more than a preview's worth come.
fn read_capped(input: &mut impl io::Read, cap: u64, start: impl FnOnce(&[u8])) -> io::Result<(Source, bool)> {
    let mut memory = Vec::new();
    let first = (json::PREVIEW_BYTES as u64 + 1).min(cap.saturating_add(1));
    input.by_ref().take(first).read_to_end(&mut memory)?;
    if memory.len() > json::PREVIEW_BYTES {
        start(&memory);
    }
    input.by_ref().take(cap.saturating_add(1) - memory.len() as u64).read_to_end(&mut memory)?;
    if memory.len() as u64 <= cap {
        return Ok((Source::from_bytes(memory.into()), false));
    }
    let mut file = tempfile::tempfile()?;
    file.write_all(&memory)?;
    drop(memory);
    io::copy(input, &mut file)?;
    Ok((Source::from_file(file)?, true))
}

/// The lines (0-based) holding `query`, matched as the tree search matches (ASCII letters without regard to case).
/// `None` when cancelled.
fn find_lines(
    source: &Source,
    query: &str,
    cancel: &AtomicBool,
    mut progress: impl FnMut(u64, u64),
) -> io::Result<Option<Vec<usize>>> {
    let mut lines = Vec::new();
    if query.is_empty() {
        return Ok(Some(lines));
    }
    let needle = query.to_ascii_lowercase().into_bytes();
    let finder = Finder::new(&needle);
    let keep = needle.len() - 1;
    let total = source.len();
    let mut hay: Vec<u8> = Vec::new();
    // The line number at the start of `hay`.
    let mut hay_line = 0usize;
    let mut cancelled = false;
    source.for_each_chunk(0, |at, chunk| {
        if cancel.load(Ordering::Relaxed) {
            cancelled = true;
            return false;
        }
        // Carry the last needle-length-minus-one bytes over, so a match across chunks is found once.
        let carried = hay.len().min(keep);
        let dropped = hay.len() - carried;
        hay_line += memchr::memchr_iter(b'\n', &hay[..dropped]).count();
        hay.drain(..dropped);
        hay.extend(chunk.iter().map(u8::to_ascii_lowercase));
        let (mut counted, mut line) = (0, hay_line);
        for found in finder.find_iter(&hay) {
            line += memchr::memchr_iter(b'\n', &hay[counted..found]).count();
            counted = found;
            if lines.last() != Some(&line) {
                lines.push(line);
            }
        }
        progress(at + chunk.len() as u64, total);
        true
    })?;
    Ok((!cancelled).then_some(lines))
}

/// Writes the body next to `path` and renames it there, so a failed save leaves no half file and the file is 0600
/// like every temporary file `tempfile` makes. Refuses to replace a file unless `overwrite`.
fn save(source: &Source, path: &Path, overwrite: bool) -> Result<(PathBuf, u64), SaveError> {
    let path =
        absolute(path).map_err(|e| SaveError::Failed(format!("cannot save to {}: {}", path.display(), plain(&e))))?;
    let failed = |why: String| SaveError::Failed(format!("cannot save to {}: {why}", path.display()));
    if path.is_dir() {
        return Err(failed("it is a folder; give a file name".into()));
    }
    if !overwrite && path.exists() {
        return Err(SaveError::Exists(path));
    }
    let dir = path.parent().unwrap_or(Path::new("/"));
    if !dir.is_dir() {
        return Err(failed(format!("the folder {} does not exist", dir.display())));
    }
    let mut file = tempfile::NamedTempFile::new_in(dir).map_err(|e| failed(plain(&e)))?;
    let mut written = Ok(());
    source
        .for_each_chunk(0, |_, chunk| {
            written = file.write_all(chunk);
            written.is_ok()
        })
        .and(written)
        .and_then(|()| file.as_file().sync_all())
        .map_err(|e| {
            if crate::private_files::out_of_room(&e) {
                failed(format!("{}; nothing was written — free some space there, or save elsewhere (s)", plain(&e)))
            } else {
                failed(plain(&e))
            }
        })?;
    let persisted = if overwrite { file.persist(&path) } else { file.persist_noclobber(&path) };
    match persisted {
        Ok(_) => Ok((path, source.len())),
        Err(e) if e.error.kind() == io::ErrorKind::AlreadyExists => Err(SaveError::Exists(path)),
        Err(e) => Err(failed(plain(&e.error))),
    }
}

/// `~/x` in the home folder; a relative path in the current one.
fn absolute(path: &Path) -> io::Result<PathBuf> {
    let path = match path.strip_prefix("~") {
        Ok(rest) => std::env::var_os("HOME").map_or_else(|| path.to_path_buf(), |home| PathBuf::from(home).join(rest)),
        Err(_) => path.to_path_buf(),
    };
    std::path::absolute(path)
}

/// An I/O error as a person reads it: "No such file or directory", without "(os error 2)".
pub(super) fn plain(error: &io::Error) -> String {
    crate::text::plain_error(&error.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn source(text: &str) -> Source {
        Source::from_bytes(Bytes::from(text.to_string()))
    }

    fn lines(text: &str, query: &str) -> Vec<usize> {
        find_lines(&source(text), query, &AtomicBool::new(false), |_, _| {}).unwrap().unwrap()
    }

    #[test]
    fn lines_with_the_query_are_found_once_each() {
        assert_eq!(lines("Alpha\nbeta\nalpha alpha\n", "ALPHA"), [0, 2]);
        assert!(lines("abc", "x").is_empty());
        let filler = "x\n".repeat(json_chunk() / 2 - 3);
        let text = format!("{filler}ab-needle-cd\nneedle");
        assert_eq!(lines(&text, "needle"), [json_chunk() / 2 - 3, json_chunk() / 2 - 2], "across chunks");
        assert!(find_lines(&source("a"), "a", &AtomicBool::new(true), |_, _| {}).unwrap().is_none(), "cancelled");
    }

    fn json_chunk() -> usize {
        1 << 20
    }

    #[test]
    fn the_start_of_a_big_input_is_handed_over_as_soon_as_it_is_read() {
        let body = crate::json::testdata::array_of_objects(3 << 20);
        let mut seen = 0;
        let (source, _) = read_capped(&mut body.as_bytes(), 64 << 20, |start| seen = start.len()).unwrap();
        assert_eq!(seen, json::PREVIEW_BYTES + 1, "a preview's worth, and a byte that shows more follows");
        assert_eq!(&*source.to_contiguous().unwrap(), body.as_bytes(), "the whole, as before");
        let mut called = false;
        read_capped(&mut &b"[1, 2]"[..], 64 << 20, |_| called = true).unwrap();
        assert!(!called, "a short input is shown whole");
    }

    #[test]
    fn input_past_the_cap_goes_to_a_file() {
        let (small, spilled) = read_capped(&mut &b"[1, 2]"[..], 6, |_| {}).unwrap();
        assert!(!spilled && small.as_bytes().is_some());
        let body = b"[1, 2, 3]".repeat(1000);
        let (big, spilled) = read_capped(&mut &body[..], 100, |_| {}).unwrap();
        assert!(spilled && big.as_bytes().is_none(), "file-backed");
        assert_eq!(&*big.to_contiguous().unwrap(), &body[..]);
    }

    #[test]
    fn save_writes_0600_and_never_replaces_without_asking() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("body.json");
        let (saved, len) = save(&source("[1]"), &path, false).unwrap();
        assert_eq!((saved.as_path(), len), (path.as_path(), 3));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        assert_eq!(save(&source("[2]"), &path, false).unwrap_err(), SaveError::Exists(path.clone()));
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[1]");
        save(&source("[2]"), &path, true).unwrap();
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "[2]");
        let SaveError::Failed(why) = save(&source("x"), &dir.path().join("nope/x.json"), false).unwrap_err() else {
            panic!()
        };
        assert!(why.contains("nope") && why.contains("does not exist"), "{why}");
        let SaveError::Failed(why) = save(&source("x"), dir.path(), false).unwrap_err() else { panic!() };
        assert!(why.contains("folder"), "{why}");
    }
}
