//! Reading one entry's text from the body: its kind, its key, its scalar text, the span of its value. Only rows on
//! screen (and a copy) come here, so a little scanning per call is fine; huge strings are clipped, never copied whole.
//! Every read goes through a [`Reader`], which says whether it may touch a file (see [`Access`]); a read that fails
//! is an error here, never a made-up `null`.

use std::borrow::Cow;
use std::io;
use std::ops::Range;

use super::document::Document;
use super::index::EntryId;
use super::row::{Container, ScalarKind};
use super::source::Access;

/// Row text past this many bytes is clipped (and ends in `…`): enough for any screen, even wrapped.
pub const ROW_TEXT_LIMIT: usize = 16 * 1024;

/// What an entry's first byte says it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Container(Container),
    Close(Container),
    Scalar(ScalarKind),
}

/// Cuts `bytes` to at most `limit` bytes on a character boundary, as a `String` (the body is valid UTF-8).
fn clip(bytes: &[u8], limit: usize) -> (String, bool) {
    if bytes.len() <= limit {
        return (String::from_utf8_lossy(bytes).into_owned(), false);
    }
    let mut end = limit;
    while end > 0 && bytes[end].cast_signed() < -0x40 {
        end -= 1;
    }
    (String::from_utf8_lossy(&bytes[..end]).into_owned(), true)
}

/// Decodes a JSON string literal (with its quotes); a lone surrogate escape falls back to the text between quotes.
fn decode_string(literal: &[u8]) -> String {
    if !literal.contains(&b'\\') {
        let inner = literal.get(1..literal.len().saturating_sub(1)).unwrap_or_default();
        return String::from_utf8_lossy(inner).into_owned();
    }
    serde_json::from_slice::<String>(literal).unwrap_or_else(|_| {
        String::from_utf8_lossy(literal.get(1..literal.len().saturating_sub(1)).unwrap_or_default()).into_owned()
    })
}

/// Where the string starting with the quote at `bytes[0]` ends (one past its closing quote), if within `bytes`.
fn string_end(bytes: &[u8]) -> Option<usize> {
    let mut i = 1;
    while i < bytes.len() {
        match memchr::memchr2(b'"', b'\\', &bytes[i..]) {
            Some(p) if bytes[i + p] == b'"' => return Some(i + p + 1),
            Some(p) => i += p + 2,
            None => return None,
        }
    }
    None
}

fn to_len(len: u64) -> usize {
    usize::try_from(len).unwrap_or(usize::MAX)
}

/// How many bytes the number or literal at the start of `bytes` takes.
fn bare_len(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| !matches!(b, b'0'..=b'9' | b'-' | b'+' | b'.' | b'e' | b'E' | b'a'..=b'z'))
        .unwrap_or(bytes.len())
}

/// Reads entries of a document as its [`Access`] allows.
#[derive(Clone, Copy)]
pub(crate) struct Reader<'d> {
    doc: &'d Document,
    access: Access,
}

impl Document {
    /// Reads that may touch the file: for jobs.
    pub(crate) fn direct(&self) -> Reader<'_> {
        Reader { doc: self, access: Access::Direct }
    }

    /// Reads as `access` says.
    pub(crate) fn reader(&self, access: Access) -> Reader<'_> {
        Reader { doc: self, access }
    }
}

impl Reader<'_> {
    /// Up to `len` bytes of the body from `offset`.
    fn read(&self, offset: u64, len: usize) -> io::Result<Cow<'_, [u8]>> {
        self.doc.source().read(offset, offset.saturating_add(len as u64), self.access)
    }

    fn offset(&self, e: EntryId) -> u64 {
        self.doc.offset(e)
    }

    pub(crate) fn kind(&self, e: EntryId) -> io::Result<Kind> {
        let first = self.read(self.offset(e), 1)?.first().copied().unwrap_or(b'n');
        Ok(match first {
            b'{' => Kind::Container(Container::Object),
            b'[' => Kind::Container(Container::Array),
            b'}' => Kind::Close(Container::Object),
            b']' => Kind::Close(Container::Array),
            b'"' => Kind::Scalar(ScalarKind::String),
            b't' | b'f' => Kind::Scalar(ScalarKind::Bool),
            b'n' => Kind::Scalar(ScalarKind::Null),
            _ => Kind::Scalar(ScalarKind::Number),
        })
    }

    /// The member name of value `e`, decoded, when its container is an object.
    pub(crate) fn key(&self, e: EntryId) -> io::Result<Option<String>> {
        let Some(range) = self.key_range(e)? else { return Ok(None) };
        let len = usize::try_from(range.end - range.start).unwrap_or(usize::MAX);
        let raw = self.read(range.start, len.min(ROW_TEXT_LIMIT + 2))?;
        if len <= ROW_TEXT_LIMIT + 2 {
            return Ok(Some(decode_string(&raw)));
        }
        let mut key = clip(raw.get(1..).unwrap_or_default(), ROW_TEXT_LIMIT).0;
        key.push('…');
        Ok(Some(key))
    }

    /// The span of the member name of value `e`, quotes included, found by scanning back from the value: a value
    /// preceded by `:` is a member, and its name is the string literal before that.
    pub(crate) fn key_range(&self, e: EntryId) -> io::Result<Option<Range<u64>>> {
        let value = self.offset(e);
        let mut window = 256usize;
        loop {
            let start = value.saturating_sub(window as u64);
            let bytes = self.read(start, usize::try_from(value - start).unwrap_or(0))?;
            let mut i = bytes.len();
            let skip_space = |i: &mut usize| {
                while *i > 0 && matches!(bytes[*i - 1], b' ' | b'\n' | b'\r' | b'\t') {
                    *i -= 1;
                }
            };
            skip_space(&mut i);
            if i == 0 && start > 0 {
                window *= 4;
                continue;
            }
            if i == 0 || bytes[i - 1] != b':' {
                return Ok(None);
            }
            i -= 1;
            skip_space(&mut i);
            let Some(close_quote) = i.checked_sub(1) else { return Ok(None) };
            let mut search_end = close_quote;
            while let Some(q) = memchr::memrchr(b'"', &bytes[..search_end]) {
                let backslashes = bytes[..q].iter().rev().take_while(|&&b| b == b'\\').count();
                if backslashes % 2 == 0 {
                    return Ok(Some(start + q as u64..start + i as u64));
                }
                search_end = q;
            }
            if start == 0 {
                return Ok(None);
            }
            window *= 4;
        }
    }

    /// A scalar's JSON text as in the body (strings keep their quotes and escapes), clipped past `limit` bytes.
    pub(crate) fn scalar_text(&self, e: EntryId, limit: usize) -> io::Result<String> {
        let offset = self.offset(e);
        let bytes = self.read(offset, limit + 1)?;
        let end = if bytes.first() == Some(&b'"') { string_end(&bytes) } else { Some(bare_len(&bytes)) };
        Ok(match end {
            Some(end) if end <= limit => clip(&bytes[..end], limit).0,
            _ => {
                let mut text = clip(&bytes, limit).0;
                text.push('…');
                text
            }
        })
    }

    /// The bytes of value `e` in the body (for a close, its container's), so a caller can check the size before
    /// asking for the text.
    pub(crate) fn value_range(&self, e: EntryId) -> io::Result<Range<u64>> {
        let index = &self.doc.index;
        let e = index.value_of(e);
        let start = self.offset(e);
        if index.is_open(e) {
            return Ok(start..self.offset(index.close_of(e)) + 1);
        }
        let head = self.read(start, 4096)?;
        let end = match self.kind(e)? {
            // An empty container: its closing bracket follows after whitespace.
            Kind::Container(_) => match head.iter().skip(1).position(|b| matches!(b, b'}' | b']')) {
                Some(p) => Some(start + p as u64 + 2),
                None => self.scan_from(start + 1, |chunk| chunk.iter().position(|b| matches!(b, b'}' | b']')))?,
            },
            Kind::Scalar(ScalarKind::String) => match string_end(&head) {
                Some(p) => Some(start + p as u64),
                None => self.long_string_end(start)?,
            },
            _ => Some(start + bare_len(&head) as u64),
        };
        end.map(|end| start..end).ok_or_else(|| io::Error::new(io::ErrorKind::UnexpectedEof, "value cut short"))
    }

    /// One past the first byte from `from` on that `find` finds in a chunk (read as this reader may).
    fn scan_from(&self, from: u64, mut find: impl FnMut(&[u8]) -> Option<usize>) -> io::Result<Option<u64>> {
        let len = self.doc.source().len();
        let mut at = from;
        while at < len {
            let chunk = self.read(at, super::source::CHUNK)?;
            if let Some(p) = find(&chunk) {
                return Ok(Some(at + p as u64 + 1));
            }
            at += chunk.len().max(1) as u64;
        }
        Ok(None)
    }

    /// The end of a string too long for one read: scanned chunk by chunk, carrying a pending escape across.
    fn long_string_end(&self, start: u64) -> io::Result<Option<u64>> {
        let mut escaped = false;
        self.scan_from(start + 1, |chunk| {
            let mut i = 0;
            while i < chunk.len() {
                if escaped {
                    escaped = false;
                    i += 1;
                    continue;
                }
                match memchr::memchr2(b'"', b'\\', &chunk[i..]) {
                    Some(p) if chunk[i + p] == b'"' => return Some(i + p),
                    Some(p) => {
                        i += p + 1;
                        escaped = true;
                    }
                    None => break,
                }
            }
            None
        })
    }

    /// The body's text in `range` (valid UTF-8: the index validated it).
    pub(crate) fn text(&self, range: Range<u64>) -> io::Result<String> {
        let bytes = self.read(range.start, to_len(range.end - range.start))?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
