//! A body indexed once ([`Index`]) over its bytes ([`Source`]); everything else reads both.

use std::fs::File;
use std::io;

use bytes::Bytes;
use thiserror::Error;

use super::index::{EntryId, Index};
use super::scan::{PARALLEL_FROM, ScanError, Stop, index_source};
use super::source::Source;

/// Why a body is not JSON, with where the indexer stopped (1-based line, and column in characters).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("invalid JSON at line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// Why a file-backed body could not be opened as a document.
#[derive(Debug, Error)]
pub enum OpenError {
    #[error("could not read the body: {0}")]
    Io(#[from] io::Error),
    #[error(transparent)]
    Invalid(#[from] JsonError),
    /// More values than the caller allowed to be indexed (see [`Document::from_source_limited`]).
    #[error("more than {limit} values")]
    TooManyValues { limit: u32 },
}

/// A JSON document: the body's bytes kept once, and an index of a few bytes per value. Built once (on a blocking
/// thread for large bodies), then only read.
pub struct Document {
    source: Source,
    pub(crate) index: Index,
}

impl Document {
    /// A document of an index made elsewhere (a scan not finished, for a preview).
    pub(crate) fn from_parts(source: Source, index: Index) -> Document {
        Document { source, index }
    }

    /// Indexes a body held in memory.
    pub fn parse(bytes: Bytes) -> Result<Document, JsonError> {
        let source = Source::from_bytes(bytes);
        match index_source(&source, None, PARALLEL_FROM, |_, _| {}) {
            Ok(index) => Ok(Document { source, index }),
            Err(Stop::Scan(e)) => Err(locate(&source, &e).unwrap_or_else(|_| unlocated(&e))),
            Err(Stop::Io(e)) => Err(JsonError { line: 0, column: 0, message: e.to_string() }),
        }
    }

    /// Indexes a body in a file without loading it: chunks are read in turn, and rows later read what they show.
    pub fn open_file(file: File) -> Result<Document, OpenError> {
        Document::from_source(Source::from_file(file)?)
    }

    /// Indexes any source (keep a clone of it to show the text when it is not JSON).
    pub fn from_source(source: Source) -> Result<Document, OpenError> {
        Document::from_source_with_progress(source, |_, _| {})
    }

    /// [`Document::from_source`], calling `progress(done, total)` after each chunk (for a progress line).
    pub fn from_source_with_progress(source: Source, progress: impl FnMut(u64, u64)) -> Result<Document, OpenError> {
        Document::from_source_limited(source, None, progress)
    }

    /// [`Document::from_source_with_progress`], stopping with [`OpenError::TooManyValues`] past `max_values`
    /// (the index takes about 5 bytes a value).
    pub fn from_source_limited(
        source: Source,
        max_values: Option<u32>,
        progress: impl FnMut(u64, u64),
    ) -> Result<Document, OpenError> {
        match index_source(&source, max_values, PARALLEL_FROM, progress) {
            Ok(index) => Ok(Document { source, index }),
            Err(Stop::Io(e)) => Err(OpenError::Io(e)),
            Err(Stop::Scan(e)) if e.too_many => Err(OpenError::TooManyValues { limit: max_values.unwrap_or(u32::MAX) }),
            Err(Stop::Scan(e)) => Err(OpenError::Invalid(locate(&source, &e)?)),
        }
    }

    /// The body, when it is held in memory (a file-backed body is read through [`Document::source`]).
    pub fn bytes(&self) -> Option<&Bytes> {
        self.source.as_bytes()
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn len_bytes(&self) -> u64 {
        self.source.len()
    }

    /// Number of index entries (values plus closing brackets of non-empty containers).
    pub fn entry_count(&self) -> u32 {
        self.index.len()
    }

    /// Memory held by the index (not the body), in bytes.
    pub fn index_bytes(&self) -> usize {
        self.index.heap_bytes()
    }

    pub(crate) fn offset(&self, e: EntryId) -> u64 {
        self.index.offset(e)
    }
}

impl std::fmt::Debug for Document {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Document").field("bytes", &self.len_bytes()).field("entries", &self.entry_count()).finish()
    }
}

fn unlocated(e: &ScanError) -> JsonError {
    JsonError { line: 0, column: 0, message: e.message.to_string() }
}

/// Turns a byte offset into a 1-based line and column (columns count characters, not bytes).
fn locate(source: &Source, e: &ScanError) -> io::Result<JsonError> {
    let (mut line, mut column) = (1usize, 1usize);
    let is_char_start = |b: &u8| b.cast_signed() >= -0x40;
    source.for_each_chunk(0, |at, chunk| {
        let upto = usize::try_from(e.offset.saturating_sub(at)).unwrap_or(usize::MAX).min(chunk.len());
        let part = &chunk[..upto];
        let newlines = memchr::memchr_iter(b'\n', part).count();
        if let Some(last) = memchr::memrchr(b'\n', part) {
            line += newlines;
            column = 1 + part[last + 1..].iter().filter(|b| is_char_start(b)).count();
        } else {
            column += part.iter().filter(|b| is_char_start(b)).count();
        }
        upto == chunk.len()
    })?;
    Ok(JsonError { line, column, message: e.message.to_string() })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(text: &str) -> Result<Document, JsonError> {
        Document::parse(Bytes::from(text.to_string()))
    }

    #[test]
    fn parse_error_names_line_and_column() {
        let err = parse("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((err.line, err.column), (2, 11));
        assert!(err.to_string().starts_with("invalid JSON at line 2, column 11"), "{err}");
    }

    #[test]
    fn columns_count_characters() {
        let err = parse("[\"é€\", x]").unwrap_err();
        assert_eq!((err.line, err.column), (1, 8));
    }

    #[test]
    fn valid_documents_are_accepted() {
        for text in [
            "{}",
            "[]",
            " [ ] ",
            "0",
            "-0.5e+10",
            "1e400",
            "\"\\u00e9\\n\\\"\"",
            "true",
            "null",
            "{\"a\":{\"a\":1,\"a\":2}}",
            "\u{feff}{\"bom\": true}",
            "[1,[2,[3,{}]],{\"x\":[]}]",
            "{\"ключ\": \"значение\", \"🔑\": [1.5, -2, 3E-2]}",
        ] {
            assert!(parse(text).is_ok(), "{text}: {:?}", parse(text).err());
        }
    }

    #[test]
    fn invalid_documents_are_refused_with_a_reason() {
        for (text, message) in [
            ("", "empty document"),
            ("   ", "empty document"),
            ("[1,2", "not closed"),
            ("[1,2,]", "expected a JSON value"),
            ("{\"a\" 1}", "expected ':'"),
            ("{\"a\":1,}", "member name"),
            ("{1:2}", "member name"),
            ("[1] x", "after the JSON value"),
            ("[1] [2]", "after the JSON value"),
            ("01", "leading zero"),
            ("1.", "end in a number"),
            ("1.e3", "invalid number"),
            ("-", "end in a number"),
            ("[-a]", "invalid number"),
            ("tru", "end in a literal"),
            ("nul1", "invalid literal"),
            ("\"abc", "end in a string"),
            ("\"a\tb\"", "control character"),
            ("\"\\x\"", "invalid escape"),
            ("\"\\u12G4\"", "hex digits"),
            ("[1}", "expected ']'"),
            ("{\"a\":1]", "'}'"),
            ("]", "expected a JSON value"),
        ] {
            let err = parse(text).unwrap_err();
            assert!(err.message.contains(message), "{text:?}: {err}");
        }
    }

    #[test]
    fn invalid_utf8_is_refused() {
        let err = Document::parse(Bytes::from_static(b"[\"a\xFFb\"]")).unwrap_err();
        assert_eq!((err.line, err.column, err.message.as_str()), (1, 4, "invalid UTF-8"));
    }

    #[test]
    fn deep_nesting_does_not_overflow_the_stack() {
        let depth = 10_000;
        let text = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
        assert_eq!(Document::parse(Bytes::from(text.clone())).unwrap().index.max_depth, depth);
        let doc = parse(&text).unwrap();
        assert_eq!(doc.entry_count() as usize, 2 * depth - 1, "the innermost array is empty: one entry");
        let unclosed = "[{\"a\":".repeat(depth);
        assert!(parse(&unclosed).is_err());
    }

    #[test]
    fn a_file_is_indexed_in_chunks_like_memory() {
        use std::io::Write as _;
        let text = crate::json::testdata::array_of_objects(3 << 20);
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(text.as_bytes()).unwrap();
        let from_file = Document::open_file(file).unwrap();
        let from_memory = parse(&text).unwrap();
        assert_eq!(from_file.entry_count(), from_memory.entry_count());
        for e in 0..from_memory.entry_count() {
            assert_eq!(from_file.offset(e), from_memory.offset(e), "entry {e}");
            assert_eq!(from_file.index.parent(e), from_memory.index.parent(e), "entry {e}");
            assert_eq!(from_file.index.last_of(e), from_memory.index.last_of(e), "entry {e}");
        }
        assert!(from_file.bytes().is_none());

        let mut broken = tempfile::tempfile().unwrap();
        broken.write_all(&text.as_bytes()[..text.len() - 3]).unwrap();
        let err = Document::open_file(broken).unwrap_err();
        assert!(matches!(err, OpenError::Invalid(ref e) if e.message.contains("not closed")), "{err}");
    }
}
