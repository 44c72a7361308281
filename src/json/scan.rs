//! The validating indexer: one pass over the body, chunk by chunk, building the [`Index`].
//!
//! A resumable state machine rather than recursive descent: it nests 10 000 levels without a deep stack, and a
//! file-backed body streams through it in chunks whose borders may fall anywhere, even inside a token.

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
    Literal {
        word: &'static [u8],
        at: u8,
    },
}

struct Frame {
    open: EntryId,
    object: bool,
    children: u32,
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
}

/// Bytes that end the fast scan through a string: the quote, a backslash, and control characters (invalid).
static STRING_STOP: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 0x20 {
        table[b] = true;
        b += 1;
    }
    table[b'"' as usize] = true;
    table[b'\\' as usize] = true;
    table
};

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

fn err<T>(offset: u64, message: &'static str) -> Result<T, ScanError> {
    Err(ScanError { offset, message, too_many: false })
}

impl Scanner {
    /// `expected_len` sizes the first allocation; tables grow as needed.
    pub(crate) fn new(expected_len: u64) -> Scanner {
        let guess = usize::try_from(expected_len / 16).unwrap_or(0).clamp(16, 1 << 24);
        let index = Index { offsets: Vec::with_capacity(guess), links: Vec::with_capacity(guess), ..Index::default() };
        Scanner { index, stack: Vec::new(), state: State::Start, utf8: Utf8Check::default(), fed: 0, entry_limit: NONE }
    }

    /// Stops the scan with a `too_many` error past `limit` entries (8 bytes of index each), so that what a server
    /// sends cannot make the index larger than memory allows.
    pub(crate) fn limit_entries(&mut self, limit: u32) {
        self.entry_limit = limit.min(NONE);
    }

    /// Scans the next chunk of the body.
    pub(crate) fn feed(&mut self, chunk: &[u8]) -> Result<(), ScanError> {
        let base = self.fed;
        self.fed += chunk.len() as u64;
        self.utf8.feed(base, chunk).map_err(|offset| ScanError {
            offset,
            message: "invalid UTF-8",
            too_many: false,
        })?;
        let mut skip = 0;
        if base == 0 && chunk.starts_with(b"\xEF\xBB\xBF") {
            skip = 3;
        }
        let mut i = skip;
        while i < chunk.len() {
            i = self.step(base, chunk, i)?;
        }
        Ok(())
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

    /// Handles the byte at `i` (and as many after it as the state allows); returns where to go on.
    fn step(&mut self, base: u64, chunk: &[u8], mut i: usize) -> Result<usize, ScanError> {
        let at = |i: usize| base + i as u64;
        let b = chunk[i];
        match self.state {
            State::Str { key } => {
                let rest = &chunk[i..];
                let Some(stop) = rest.iter().position(|&c| STRING_STOP[c as usize]) else {
                    return Ok(chunk.len());
                };
                i += stop;
                match chunk[i] {
                    b'"' => self.state = if key { State::Colon } else { State::After },
                    b'\\' => self.state = State::Escape { key },
                    _ => return err(at(i), "control character in a string (it must be escaped)"),
                }
                Ok(i + 1)
            }
            State::Escape { key } => {
                self.state = match b {
                    b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => State::Str { key },
                    b'u' => State::Unicode { key, left: 4 },
                    _ => return err(at(i), "invalid escape in a string"),
                };
                Ok(i + 1)
            }
            State::Unicode { key, left } => {
                if !b.is_ascii_hexdigit() {
                    return err(at(i), "invalid \\u escape: expected 4 hex digits");
                }
                self.state = if left == 1 { State::Str { key } } else { State::Unicode { key, left: left - 1 } };
                Ok(i + 1)
            }
            State::Number(n) => self.number(n, b, at(i)).map(|consumed| if consumed { i + 1 } else { i }),
            State::Literal { word, at: pos } => {
                if b != word[pos as usize] {
                    return err(at(i), "invalid literal: expected true, false or null");
                }
                let next = pos + 1;
                self.state = if next as usize == word.len() { State::After } else { State::Literal { word, at: next } };
                Ok(i + 1)
            }
            _ if is_space(b) => {
                let rest = &chunk[i..];
                Ok(i + rest.iter().position(|&c| !is_space(c)).unwrap_or(rest.len()))
            }
            State::Start | State::Value => self.value(b, at(i)).map(|()| i + 1),
            State::ArrayFirst if b == b']' => self.close(b, at(i)).map(|()| i + 1),
            State::ArrayFirst => self.value(b, at(i)).map(|()| i + 1),
            State::ObjectFirst | State::Key => match b {
                b'}' if self.state == State::ObjectFirst => self.close(b, at(i)).map(|()| i + 1),
                b'"' => {
                    self.state = State::Str { key: true };
                    Ok(i + 1)
                }
                _ => err(at(i), "expected a member name in double quotes"),
            },
            State::Colon if b == b':' => {
                self.state = State::Value;
                Ok(i + 1)
            }
            State::Colon => err(at(i), "expected ':' after the member name"),
            State::After => self.after(b, at(i)).map(|()| i + 1),
        }
    }

    fn value(&mut self, b: u8, offset: u64) -> Result<(), ScanError> {
        let state = match b {
            b'{' => State::ObjectFirst,
            b'[' => State::ArrayFirst,
            b'"' => State::Str { key: false },
            b'-' => State::Number(Num::Minus),
            b'0' => State::Number(Num::Zero),
            b'1'..=b'9' => State::Number(Num::Int),
            b't' => State::Literal { word: b"true", at: 1 },
            b'f' => State::Literal { word: b"false", at: 1 },
            b'n' => State::Literal { word: b"null", at: 1 },
            _ => return err(offset, "expected a JSON value"),
        };
        let parent = self.stack.last().map_or(NONE, |f| f.open);
        let entry = self.push(offset, parent)?;
        if let Some(frame) = self.stack.last_mut() {
            frame.children += 1;
            if frame.children > STRIDE && (frame.children - 1) % STRIDE == 0 {
                frame.checkpoints.push(entry);
            }
        }
        if matches!(b, b'{' | b'[') {
            self.stack.push(Frame { open: entry, object: b == b'{', children: 0, checkpoints: Vec::new() });
            self.index.max_depth = self.index.max_depth.max(self.stack.len());
        }
        self.state = state;
        Ok(())
    }

    /// Advances a number by one byte; `Ok(false)` when the byte ends the number and must be handled again.
    fn number(&mut self, n: Num, b: u8, offset: u64) -> Result<bool, ScanError> {
        let digit = b.is_ascii_digit();
        let next = match (n, b) {
            (Num::Minus, b'0') => Num::Zero,
            (Num::Minus | Num::Int, _) if digit => Num::Int,
            (Num::Zero | Num::Int, b'.') => Num::Dot,
            (Num::Dot | Num::Frac, _) if digit => Num::Frac,
            (Num::Zero | Num::Int | Num::Frac, b'e' | b'E') => Num::Exp,
            (Num::Exp, b'+' | b'-') => Num::ExpSign,
            (Num::Exp | Num::ExpSign | Num::ExpDigits, _) if digit => Num::ExpDigits,
            (Num::Zero, _) if digit => return err(offset, "invalid number: leading zero"),
            (Num::Zero | Num::Int | Num::Frac | Num::ExpDigits, _) => {
                self.state = State::After;
                return Ok(false);
            }
            _ => return err(offset, "invalid number"),
        };
        self.state = State::Number(next);
        Ok(true)
    }

    fn after(&mut self, b: u8, offset: u64) -> Result<(), ScanError> {
        let Some(frame) = self.stack.last() else {
            return err(offset, "unexpected characters after the JSON value");
        };
        match b {
            b',' => {
                self.state = if frame.object { State::Key } else { State::Value };
                Ok(())
            }
            b'}' | b']' => self.close(b, offset),
            _ if frame.object => err(offset, "expected ',' or '}' after an object member"),
            _ => err(offset, "expected ',' or ']' after an array element"),
        }
    }

    fn close(&mut self, b: u8, offset: u64) -> Result<(), ScanError> {
        let Some(frame) = self.stack.pop() else {
            return err(offset, "unexpected closing bracket");
        };
        if frame.object != (b == b'}') {
            return err(offset, if frame.object { "expected '}' to close the object" } else { "expected ']'" });
        }
        let parent = self.stack.last().map_or(NONE, |f| f.open);
        let link = if frame.children == 0 {
            parent
        } else {
            let close = self.push(offset, CLOSE | parent)?;
            self.index.opens[frame.open as usize / 64] |= 1 << (frame.open % 64);
            if frame.children >= STRIDE {
                let large = LargeContainer { children: frame.children, checkpoints: frame.checkpoints };
                self.index.large.insert(frame.open, large);
            }
            close
        };
        self.index.links[frame.open as usize] = link;
        self.state = State::After;
        Ok(())
    }

    fn push(&mut self, offset: u64, link: u32) -> Result<EntryId, ScanError> {
        let entry = self.index.len();
        if entry >= self.entry_limit {
            return Err(ScanError { offset, message: "more values than can be indexed", too_many: true });
        }
        while (offset >> 32) > self.index.high.len() as u64 {
            self.index.high.push(entry);
        }
        #[allow(clippy::cast_possible_truncation)] // the high half is kept in `high`
        self.index.offsets.push(offset as u32);
        self.index.links.push(link);
        if entry.is_multiple_of(64) {
            self.index.opens.push(0);
        }
        Ok(entry)
    }
}
