//! Where a body's bytes live: in memory, or in a file read with positioned reads (no mmap: `unsafe` is forbidden),
//! so bodies above the in-memory cap and `zorgtui view FILE` need not sit in memory.

use std::borrow::Cow;
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::sync::Arc;

use bytes::Bytes;

/// The bytes of a body. Cloning is cheap (a reference count), so a document, a raw-text view and a search can share
/// one source.
#[derive(Debug, Clone)]
pub enum Source {
    Memory(Bytes),
    File(Arc<FileSource>),
}

/// A file and the length it had when opened; later growth is ignored, so offsets stay meaningful.
#[derive(Debug)]
pub struct FileSource {
    file: File,
    len: u64,
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
        Ok(Source::File(Arc::new(FileSource { file, len })))
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
        let end = end.min(self.len());
        let start = start.min(end);
        match self {
            Source::Memory(bytes) => Ok(Cow::Borrowed(&bytes[to_usize(start)..to_usize(end)])),
            Source::File(f) => {
                let mut buf = vec![0; to_usize(end - start)];
                f.file.read_exact_at(&mut buf, start)?;
                Ok(Cow::Owned(buf))
            }
        }
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
}
