//! Where a body's bytes live: in memory, or in a file read with positioned reads (no mmap: `unsafe` is forbidden),
//! so bodies above the in-memory cap and `zorgtui view FILE` need not sit in memory.
//!
//! Two ways to read: [`Access::Direct`] reads the file (jobs and the CLI do), [`Access::Held`] answers only from
//! memory: the body itself, or the pages of a file that a job has read into the source's page cache. The core
//! (`update`, drawing) reads `Held`, so it never waits on a disk; what it missed is noted, and the run loop has a job
//! read those pages and redraw (see [`Source::take_wanted`]).

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use bytes::Bytes;

/// The bytes of a body. Cloning is cheap (a reference count), so a document, a raw-text view and a search can share
/// one source.
#[derive(Debug, Clone)]
pub enum Source {
    Memory(Bytes),
    File(Arc<FileSource>),
}

/// A file and the length it had when opened (later growth is ignored, so offsets stay meaningful), with the pages
/// of it that jobs have read for the core.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
    pages: Mutex<Pages>,
}

/// How a read is served.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Access {
    /// Reads the file when the body is in one: for jobs on blocking threads and the CLI.
    Direct,
    /// Only what memory holds; a page of a file not read yet is an error of kind `WouldBlock` (see
    /// [`is_not_read`]) and is noted as wanted. For the core.
    Held,
}

/// Whether `error` says only that a page is not read yet (the core then shows what it has and waits for a redraw).
pub fn is_not_read(error: &io::Error) -> bool {
    error.kind() == io::ErrorKind::WouldBlock
}

/// Pages of a file held for the core, least recently used dropped first.
const PAGE: u64 = 64 * 1024;
/// 16 MiB: many screens of the widest rows (16 KiB each) and the keys above them.
const HELD_PAGES: usize = 256;

#[derive(Debug, Default)]
struct Pages {
    held: HashMap<u64, HeldPage>,
    /// Asked for by the core and not read yet.
    wanted: BTreeSet<u64>,
    /// Handed to a job and not back yet (not asked for again meanwhile).
    reading: BTreeSet<u64>,
    /// Pages that could not be read, with why: the core shows the error instead of asking again and again.
    failed: HashMap<u64, String>,
    uses: u64,
}

#[derive(Debug)]
struct HeldPage {
    bytes: Box<[u8]>,
    last_used: u64,
}

/// Chunk size for streaming passes over a file (indexing, search, line counting).
pub(crate) const CHUNK: usize = 1 << 20;

impl Source {
    pub fn from_bytes(bytes: Bytes) -> Source {
        Source::Memory(bytes)
    }

    /// A file-backed source; reads the length once.
    pub fn from_file(file: File) -> io::Result<Source> {
        let len = file.metadata()?.len();
        Ok(Source::File(Arc::new(FileSource { file, len, pages: Mutex::default() })))
    }

    pub fn len(&self) -> u64 {
        match self {
            Source::Memory(bytes) => bytes.len() as u64,
            Source::File(f) => f.len,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The whole body when it is in memory.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match self {
            Source::Memory(bytes) => Some(bytes),
            Source::File(_) => None,
        }
    }

    /// Bytes `start..end`, clamped to the body: borrowed from memory, read from a file.
    pub fn slice(&self, start: u64, end: u64) -> io::Result<Cow<'_, [u8]>> {
        self.read(start, end, Access::Direct)
    }

    /// Bytes `start..end`, clamped to the body, served as `access` says.
    pub fn read(&self, start: u64, end: u64, access: Access) -> io::Result<Cow<'_, [u8]>> {
        let end = end.min(self.len());
        let start = start.min(end);
        match self {
            Source::Memory(bytes) => Ok(Cow::Borrowed(&bytes[to_usize(start)..to_usize(end)])),
            Source::File(f) if access == Access::Direct => {
                let mut buf = vec![0; to_usize(end - start)];
                f.file.read_exact_at(&mut buf, start)?;
                Ok(Cow::Owned(buf))
            }
            Source::File(f) => f.held(start, end).map(Cow::Owned),
        }
    }

    /// The pages the core asked for and missed since the last call, now marked as being read: hand them to
    /// [`Source::read_pages`] on a blocking thread. Empty for a body in memory.
    pub fn take_wanted(&self) -> Vec<u64> {
        match self {
            Source::Memory(_) => Vec::new(),
            Source::File(f) => {
                let mut pages = f.lock();
                let wanted = std::mem::take(&mut pages.wanted);
                pages.reading.extend(wanted.iter().copied());
                wanted.into_iter().collect()
            }
        }
    }

    /// Whether pages handed out by [`Source::take_wanted`] are still being read: a frame drawn now may miss them.
    pub fn reading(&self) -> bool {
        match self {
            Source::Memory(_) => false,
            Source::File(f) => !f.lock().reading.is_empty(),
        }
    }

    /// Reads `pages` (from [`Source::take_wanted`]) and their neighbours, so that scrolling on finds them held. A
    /// page that cannot be read is remembered as failed, shown by the core as that error, and not asked for again.
    pub fn read_pages(&self, pages: &[u64]) -> io::Result<()> {
        let Source::File(f) = self else { return Ok(()) };
        let mut first_error = None;
        let neighbours = pages.iter().flat_map(|&p| [p.saturating_sub(1), p + 1]);
        let last_page = f.len.saturating_sub(1) / PAGE;
        let mut todo: BTreeSet<u64> = pages.iter().copied().collect();
        {
            let held = f.lock();
            todo.extend(neighbours.filter(|p| *p <= last_page && !held.held.contains_key(p)));
        }
        for page in todo {
            let start = page * PAGE;
            let end = (start + PAGE).min(f.len);
            let mut buf = vec![0; to_usize(end.saturating_sub(start))];
            let read = f.file.read_exact_at(&mut buf, start);
            let mut held = f.lock();
            held.reading.remove(&page);
            match read {
                Ok(()) => held.insert(page, buf.into_boxed_slice()),
                Err(e) => {
                    held.failed.insert(page, e.to_string());
                    first_error.get_or_insert(e);
                }
            }
        }
        first_error.map_or(Ok(()), Err)
    }

    /// Calls `visit(offset, chunk)` for consecutive chunks of the body, front to back, until it returns false.
    pub(crate) fn for_each_chunk(&self, from: u64, mut visit: impl FnMut(u64, &[u8]) -> bool) -> io::Result<()> {
        match self {
            Source::Memory(bytes) => {
                let mut at = to_usize(from.min(self.len()));
                while at < bytes.len() {
                    let end = (at + CHUNK).min(bytes.len());
                    if !visit(at as u64, &bytes[at..end]) {
                        break;
                    }
                    at = end;
                }
            }
            Source::File(f) => {
                let mut buf = vec![0; CHUNK];
                let mut at = from.min(f.len);
                while at < f.len {
                    let n = to_usize((f.len - at).min(CHUNK as u64));
                    f.file.read_exact_at(&mut buf[..n], at)?;
                    if !visit(at, &buf[..n]) {
                        break;
                    }
                    at += n as u64;
                }
            }
        }
        Ok(())
    }

    /// The whole body in memory (for the filter, which needs a slice): borrowed, or read from the file.
    pub fn to_contiguous(&self) -> io::Result<Cow<'_, [u8]>> {
        self.slice(0, self.len())
    }
}

impl FileSource {
    fn lock(&self) -> MutexGuard<'_, Pages> {
        // A panic while the lock was held cannot leave the pages half-changed in a way that matters: at worst a
        // page is read again.
        self.pages.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// `start..end` from held pages; the missing ones are noted as wanted.
    fn held(&self, start: u64, end: u64) -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(to_usize(end - start));
        if start == end {
            return Ok(buf);
        }
        let mut pages = self.lock();
        let mut missing = false;
        for page in start / PAGE..=(end - 1) / PAGE {
            if let Some(why) = pages.failed.get(&page) {
                return Err(io::Error::other(why.clone()));
            }
            pages.uses += 1;
            let uses = pages.uses;
            match pages.held.get_mut(&page) {
                Some(held) if !missing => {
                    held.last_used = uses;
                    let page_start = page * PAGE;
                    let from = to_usize(start.max(page_start) - page_start);
                    let to = to_usize(end.min(page_start + PAGE) - page_start);
                    buf.extend_from_slice(&held.bytes[from..to.min(held.bytes.len())]);
                }
                Some(held) => held.last_used = uses,
                None => {
                    missing = true;
                    if !pages.reading.contains(&page) {
                        pages.wanted.insert(page);
                    }
                }
            }
        }
        if missing {
            return Err(io::Error::new(io::ErrorKind::WouldBlock, "this part of the body is being read"));
        }
        Ok(buf)
    }
}

impl Pages {
    fn insert(&mut self, page: u64, bytes: Box<[u8]>) {
        self.uses += 1;
        self.held.insert(page, HeldPage { bytes, last_used: self.uses });
        while self.held.len() > HELD_PAGES {
            let Some(oldest) = self.held.iter().min_by_key(|(_, p)| p.last_used).map(|(&k, _)| k) else { break };
            self.held.remove(&oldest);
        }
    }
}

/// Offsets come from a body that is addressable in this process, so they fit in `usize`.
pub(crate) fn to_usize(offset: u64) -> usize {
    usize::try_from(offset).unwrap_or(usize::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::Write as _;

    #[test]
    fn file_and_memory_sources_read_the_same_bytes() {
        let body = b"[1, 2, 3]".repeat(1000);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&body).unwrap();
        let from_file = Source::from_file(file).unwrap();
        let from_memory = Source::from_bytes(Bytes::from(body.clone()));
        assert_eq!(from_file.len(), body.len() as u64);
        assert_eq!(from_file.slice(5, 20).unwrap(), from_memory.slice(5, 20).unwrap());
        assert_eq!(&*from_file.slice(8995, 10_000).unwrap(), b"2, 3]", "clamped to the end");
        let mut seen = Vec::new();
        from_file
            .for_each_chunk(3, |_, chunk| {
                seen.extend_from_slice(chunk);
                true
            })
            .unwrap();
        assert_eq!(seen, body[3..]);
    }

    #[test]
    fn held_reads_of_a_file_wait_for_a_job_to_read_their_pages() {
        let body: Vec<u8> = (0..300_000u32).map(|i| (i % 251) as u8).collect();
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&body).unwrap();
        let source = Source::from_file(file).unwrap();
        let across_pages = 65_000..70_000;
        let err = source.read(across_pages.start, across_pages.end, Access::Held).unwrap_err();
        assert!(is_not_read(&err), "{err}");
        let wanted = source.take_wanted();
        assert_eq!(wanted, [0, 1], "both pages the range touches");
        assert!(source.take_wanted().is_empty(), "asked for once");
        assert!(is_not_read(&source.read(65_000, 70_000, Access::Held).unwrap_err()), "still being read");
        assert!(source.take_wanted().is_empty(), "pages being read are not asked for again");
        source.read_pages(&wanted).unwrap();
        let held = source.read(across_pages.start, across_pages.end, Access::Held).unwrap();
        assert_eq!(&*held, &body[65_000..70_000]);
        assert_eq!(&*source.read(140_000, 140_010, Access::Held).unwrap(), &body[140_000..140_010], "a neighbour");
        let memory = Source::from_bytes(Bytes::from(body.clone()));
        assert_eq!(&*memory.read(5, 9, Access::Held).unwrap(), &body[5..9], "memory is always held");
        assert!(memory.take_wanted().is_empty());
    }

    #[test]
    fn a_page_that_cannot_be_read_is_an_error_not_asked_for_again() {
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(&[b'x'; 1000]).unwrap();
        let source = Source::from_file(file).unwrap();
        let _ = source.read(0, 10, Access::Held);
        let wanted = source.take_wanted();
        // The file shrinks under the viewer: the page can no longer be read whole.
        if let Source::File(f) = &source {
            f.file.set_len(10).unwrap();
        }
        assert!(source.read_pages(&wanted).is_err());
        let err = source.read(0, 10, Access::Held).unwrap_err();
        assert!(!is_not_read(&err), "an error, not 'being read': {err}");
        assert!(source.take_wanted().is_empty());
    }
}
