//! The validating indexer: one pass over the body, chunk by chunk, building the [`Index`].
//!
//! A resumable state machine rather than recursive descent: it nests 10 000 levels without a deep stack, and a body
//! streams through it in chunks whose borders may fall anywhere, even inside a token or a character (so it can be
//! fed as bytes arrive, and what it has indexed so far is final but for the links of containers still open).
//!
//! Each chunk is taken in windows that stay in the CPU's cache. In a window, UTF-8 is checked first (only bytes
//! known to be valid go on), the first control character that is not whitespace is found (it is an error wherever
//! it stands), and then the tokens are read up to it: by [`fast`], which takes whole tokens and whitespace and string
//! text a word at a time, and by [`step`], a byte at a time, which takes over wherever the fast path is not sure
//! (a token cut by the window's end, an escape, anything invalid). `step` is the definition: both paths go through
//! the same transitions, so where an error is found, and its message, do not depend on the path or the chunks.

mod classify;
mod fast;
#[cfg(test)]
mod proptests;
mod resume;
mod split;
#[cfg(test)]
mod split_tests;
mod step;

pub(crate) use split::{PARALLEL_FROM, Stop, index_source};

use classify::Classes;

use super::index::{CLOSE, EntryId, Index, LargeContainer, NONE, STRIDE};
use super::utf8::Utf8Check;

/// Why indexing stopped: a message and the byte offset it concerns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ScanError {
    pub(crate) offset: u64,
    pub(crate) message: &'static str,
    /// The document is (as far as it was read) fine, but has more values than the scan was allowed to index.
    pub(crate) too_many: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Num {
    Minus,
    Zero,
    Int,
    Dot,
    Frac,
    Exp,
    ExpSign,
    ExpDigits,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    /// Before the top-level value.
    Start,
    Value,
    ArrayFirst,
    ObjectFirst,
    Key,
    Colon,
    After,
    Str {
        key: bool,
    },
    Escape {
        key: bool,
    },
    Unicode {
        key: bool,
        left: u8,
    },
    Number(Num),
    /// Only in a resumed scan: after a comma in a container opened before it began whose kind did not show yet
    /// (a member name or a value comes next).
    Either,
    /// In `true`, `false` or `null` (named by its first byte), at byte `at`.
    Literal {
        first: u8,
        at: u8,
    },
}

impl State {
    /// After a comma: a member name in an object (`object`), else a value.
    fn after_comma(object: bool) -> State {
        if object { State::Key } else { State::Value }
    }
}

struct Frame {
    /// The opening entry, or for a container opened before a resumed scan began, a stand-in (see [`resume`]).
    open: EntryId,
    object: bool,
    /// Only in a resumed scan: the container was opened before it began, and no byte has shown its kind yet.
    unknown: bool,
    children: u32,
    /// Every [`STRIDE`]th child; for a stand-in, every child (which are checkpoints depends on the children before).
    checkpoints: Vec<EntryId>,
}

pub(crate) struct Scanner {
    index: Index,
    stack: Vec<Frame>,
    state: State,
    utf8: Utf8Check,
    /// Absolute offset of the next byte to be fed.
    fed: u64,
    /// At most this many entries are indexed (see [`Scanner::limit_entries`]).
    entry_limit: u32,
    /// The classes of the window being read (kept to reuse the buffers).
    classes: Classes,
    /// Added to the depth recorded in the index: 0, but in a resumed scan (see [`resume`]).
    depth_bias: usize,
    /// Only in a scan resumed in the middle of a document: what it assumed and found of what came before.
    resumed: Option<Box<resume::Resumed>>,
}

/// Chunks are taken this much at a time: UTF-8 check, control search and tokens run over bytes still in cache.
const WINDOW: usize = 64 << 10;
const BOM: &[u8] = b"\xEF\xBB\xBF";

/// The literal that starts with `first` (`t`, `f` or `n`).
fn literal(first: u8) -> &'static [u8] {
    match first {
        b't' => b"true",
        b'f' => b"false",
        _ => b"null",
    }
}

/// Whether the child at `position` (from 0) of a large container is one of its checkpoints.
fn is_checkpoint(position: u32) -> bool {
    position >= STRIDE && position.is_multiple_of(STRIDE)
}

fn err<T>(offset: u64, message: &'static str) -> Result<T, ScanError> {
    Err(ScanError { offset, message, too_many: false })
}

impl Scanner {
    /// `expected_len` sizes the first allocation; tables grow as needed.
    pub(crate) fn new(expected_len: u64) -> Scanner {
        let guess = usize::try_from(expected_len / 16).unwrap_or(0).clamp(16, 1 << 24);
        Scanner {
            index: Index::with_capacity(guess),
            stack: Vec::new(),
            state: State::Start,
            utf8: Utf8Check::default(),
            fed: 0,
            // Ids from here up stand for containers a resumed scan did not see open (see `resume`).
            entry_limit: resume::STAND_IN_FLOOR,
            classes: Classes::default(),
            depth_bias: 0,
            resumed: None,
        }
    }

    /// Stops the scan with a `too_many` error past `limit` entries (about 5 bytes of index each), so that what a
    /// server sends cannot make the index larger than memory allows.
    pub(crate) fn limit_entries(&mut self, limit: u32) {
        self.entry_limit = limit.min(resume::STAND_IN_FLOOR);
    }

    /// Scans the next chunk of the body.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), ScanError> {
        chunk.chunks(WINDOW).try_for_each(|window| self.feed_window(window))
    }

    fn feed_window(&mut self, window: &[u8]) -> Result<(), ScanError> {
        let base = self.fed;
        self.fed += window.len() as u64;
        let checked = self.utf8.feed(base, window);
        if let Some(carried) = checked.completed {
            self.scan(carried.at, carried.as_slice())?;
        }
        let valid_at = base + checked.valid.start as u64;
        self.scan(valid_at, &window[checked.valid])?;
        match checked.error {
            Some(offset) => Err(ScanError { offset, message: "invalid UTF-8", too_many: false }),
            None => Ok(()),
        }
    }

    /// Reads `bytes` (valid UTF-8, at absolute offset `base`).
    fn scan(&mut self, base: u64, bytes: &[u8]) -> Result<(), ScanError> {
        let mut i = 0;
        if base == 0 && bytes.starts_with(BOM) {
            i = BOM.len();
        }
        let mut classes = std::mem::take(&mut self.classes);
        classes.fill(bytes);
        let read = self.read(base, bytes, &classes, i);
        self.classes = classes;
        read
    }

    /// Reads the tokens of classified `bytes` from `i` on: fast up to the first bad control character, each byte
    /// the fast path leaves by `step`.
    fn read(&mut self, base: u64, bytes: &[u8], classes: &Classes, mut i: usize) -> Result<(), ScanError> {
        let clean = &bytes[..classes.bad.unwrap_or(bytes.len())];
        while i < bytes.len() {
            if i < clean.len() {
                i = self.fast(base, clean, classes, i)?;
                if i >= bytes.len() {
                    break;
                }
            }
            i = self.step(base, bytes, i)?;
        }
        Ok(())
    }

    /// The index as far as it is read, the containers still open linked as their children are (for a preview).
    pub(crate) fn into_index(self) -> Index {
        self.index
    }

    /// Ends the scan: the body must have held exactly one complete value.
    pub(crate) fn finish(mut self) -> Result<Index, ScanError> {
        let end = self.fed;
        self.utf8.finish().map_err(|offset| ScanError {
            offset,
            message: "invalid UTF-8 at the end",
            too_many: false,
        })?;
        if let State::Number(n) = self.state {
            if !matches!(n, Num::Zero | Num::Int | Num::Frac | Num::ExpDigits) {
                return err(end, "unexpected end in a number");
            }
            self.state = State::After;
        }
        match self.state {
            State::After if self.stack.is_empty() => Ok(self.index),
            State::Start => err(end, "empty document: expected a JSON value"),
            State::Str { .. } | State::Escape { .. } | State::Unicode { .. } => err(end, "unexpected end in a string"),
            State::Literal { .. } => err(end, "unexpected end in a literal"),
            _ => err(end, "unexpected end: a container is not closed"),
        }
    }

    /// A value starts with `b` at `offset`: indexes it and returns the state that reads the rest of it.
    fn value(&mut self, b: u8, offset: u64) -> Result<State, ScanError> {
        let state = match b {
            b'{' => State::ObjectFirst,
            b'[' => State::ArrayFirst,
            b'"' => State::Str { key: false },
            b'-' => State::Number(Num::Minus),
            b'0' => State::Number(Num::Zero),
            b'1'..=b'9' => State::Number(Num::Int),
            b't' | b'f' | b'n' => State::Literal { first: b, at: 1 },
            _ => return err(offset, "expected a JSON value"),
        };
        if matches!(b, b'{' | b'[') {
            self.open(b == b'{', offset)?;
        } else {
            self.push_value(offset)?;
        }
        Ok(state)
    }

    /// Indexes an object or array opening at `offset` and goes into it.
    #[inline]
    fn open(&mut self, object: bool, offset: u64) -> Result<(), ScanError> {
        let entry = self.push_value(offset)?;
        self.stack.push(Frame { open: entry, object, unknown: false, children: 0, checkpoints: Vec::new() });
        self.index.max_depth = self.index.max_depth.max(self.stack.len() + self.depth_bias);
        Ok(())
    }

    /// Indexes a value at `offset` as the next child of the open container.
    #[inline]
    fn push_value(&mut self, offset: u64) -> Result<EntryId, ScanError> {
        if self.index.len() >= self.entry_limit {
            return Err(ScanError { offset, message: "more values than can be indexed", too_many: true });
        }
        let Some(frame) = self.stack.last_mut() else { return Ok(self.index.push(offset, NONE)) };
        let entry = self.index.push(offset, frame.open);
        frame.children += 1;
        if frame.open >= resume::STAND_IN_FLOOR || is_checkpoint(frame.children - 1) {
            frame.checkpoints.push(entry);
        }
        Ok(entry)
    }

    /// After a value: `b` at `offset` goes on to the next member or element, or closes the container.
    fn after(&mut self, b: u8, offset: u64) -> Result<State, ScanError> {
        let Some(frame) = self.stack.last() else {
            return err(offset, "unexpected characters after the JSON value");
        };
        match b {
            b',' => Ok(State::after_comma(frame.object)),
            b'}' | b']' => self.close(b, offset).map(|()| State::After),
            _ if frame.object => err(offset, "expected ',' or '}' after an object member"),
            _ => err(offset, "expected ',' or ']' after an array element"),
        }
    }

    /// Closes the open container with `b` at `offset` (the state after it is [`State::After`]).
    fn close(&mut self, b: u8, offset: u64) -> Result<(), ScanError> {
        let Some(frame) = self.stack.pop() else {
            return err(offset, "unexpected closing bracket");
        };
        if frame.open >= resume::STAND_IN_FLOOR {
            return self.close_stand_in(frame, b, offset);
        }
        if frame.object != (b == b'}') {
            return err(offset, if frame.object { "expected '}' to close the object" } else { "expected ']'" });
        }
        // An empty container stays one entry, linked to its parent as it was pushed.
        if frame.children > 0 {
            let parent = self.stack.last().map_or(NONE, |f| f.open);
            let close = self.push(offset, CLOSE | parent)?;
            self.index.set_close(frame.open, close);
            if frame.children >= STRIDE {
                let large = LargeContainer { children: frame.children, checkpoints: frame.checkpoints };
                self.index.large.insert(frame.open, large);
            }
        }
        Ok(())
    }

    #[inline]
    fn push(&mut self, offset: u64, link: u32) -> Result<EntryId, ScanError> {
        if self.index.len() >= self.entry_limit {
            return Err(ScanError { offset, message: "more values than can be indexed", too_many: true });
        }
        Ok(self.index.push(offset, link))
    }
}
