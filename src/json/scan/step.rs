//! The byte-at-a-time machine: every state, any byte, exact errors. The fast path hands it whatever it does not
//! take for sure.

use super::{Num, ScanError, Scanner, State, err, literal};

/// Bytes that end the scan through a string: the quote, a backslash, and control characters (invalid).
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

pub(super) fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\n' | b'\r' | b'\t')
}

impl Scanner {
    /// Handles the byte at `i` (and as many after it as the state allows); returns where to go on.
    pub(super) fn step(&mut self, base: u64, chunk: &[u8], mut i: usize) -> Result<usize, ScanError> {
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
            State::Literal { first, at: pos } => {
                let word = literal(first);
                if b != word[pos as usize] {
                    return err(at(i), "invalid literal: expected true, false or null");
                }
                let next = pos + 1;
                self.state =
                    if next as usize == word.len() { State::After } else { State::Literal { first, at: next } };
                Ok(i + 1)
            }
            _ if is_space(b) => {
                let rest = &chunk[i..];
                Ok(i + rest.iter().position(|&c| !is_space(c)).unwrap_or(rest.len()))
            }
            State::Start | State::Value => self.then(i, |s| s.value(b, at(i))),
            State::ArrayFirst if b == b']' => self.then(i, |s| s.close(b, at(i)).map(|()| State::After)),
            State::ArrayFirst => self.then(i, |s| s.value(b, at(i))),
            State::ObjectFirst | State::Key => match b {
                b'}' if self.state == State::ObjectFirst => self.then(i, |s| s.close(b, at(i)).map(|()| State::After)),
                b'"' => self.then(i, |_| Ok(State::Str { key: true })),
                _ => err(at(i), "expected a member name in double quotes"),
            },
            State::Colon if b == b':' => self.then(i, |_| Ok(State::Value)),
            State::Colon => err(at(i), "expected ':' after the member name"),
            State::After if b == b',' && self.stack.last().is_some_and(|f| f.unknown) => {
                self.state = match self.learn_kind(chunk, i + 1) {
                    Some(object) => State::after_comma(object),
                    None => State::Either,
                };
                Ok(i + 1)
            }
            State::Either => {
                // The token here (a member name, or any value) shows the container's kind, unless it is a string
                // cut by the end of what is in view: then this part is read again by the scan before it.
                let object = self.learn_kind(chunk, i).ok_or(ScanError {
                    offset: at(i),
                    message: "the container's kind does not show here",
                    too_many: false,
                })?;
                self.state = State::after_comma(object);
                Ok(i)
            }
            State::After => self.then(i, |s| s.after(b, at(i))),
        }
    }

    /// Takes the byte at `i` by going to the state `transition` returns.
    fn then(
        &mut self,
        i: usize,
        transition: impl FnOnce(&mut Scanner) -> Result<State, ScanError>,
    ) -> Result<usize, ScanError> {
        self.state = transition(self)?;
        Ok(i + 1)
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
}
