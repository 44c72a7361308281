//! The fast path: whole tokens at a time, whitespace and string text a word at a time. It takes only what is
//! plainly valid and wholly in view, and leaves the rest where it stands for [`Scanner::step`].

use super::classify::Classes;
use super::{ScanError, Scanner, State, literal};

impl Scanner {
    /// Reads tokens from `i` on; returns where it stopped (`bytes.len()`, or a byte for `step`). `bytes` holds no
    /// control character but whitespace, and `classes` classify it (and maybe more bytes after it).
    pub(super) fn fast(
        &mut self,
        base: u64,
        bytes: &[u8],
        classes: &Classes,
        mut i: usize,
    ) -> Result<usize, ScanError> {
        let at = |i: usize| base + i as u64;
        let mut state = self.state;
        loop {
            match state {
                State::Str { key } => {
                    let Some(stop) = classes.string_stop(i).filter(|&stop| stop < bytes.len()) else {
                        i = bytes.len();
                        break;
                    };
                    i = stop;
                    if bytes[i] == b'"' {
                        i += 1;
                        state = State::After;
                        if key {
                            // A member name: its colon nearly always follows at once.
                            i = classes.skip_space(bytes, i);
                            state = if bytes.get(i) == Some(&b':') {
                                i += 1;
                                State::Value
                            } else {
                                State::Colon
                            };
                        }
                    } else if bytes[i] == b'\\'
                        && let Some(len) = escape_len(bytes, i)
                    {
                        i += len;
                    } else {
                        break;
                    }
                    continue;
                }
                State::Number(_) | State::Literal { .. } | State::Escape { .. } | State::Unicode { .. } => break,
                _ => {}
            }
            i = classes.skip_space(bytes, i);
            let Some(&b) = bytes.get(i) else { break };
            state = match (state, b) {
                (State::Start | State::Value | State::ArrayFirst, b'"') => {
                    self.push_value(at(i))?;
                    i += 1;
                    State::Str { key: false }
                }
                (State::Start | State::Value | State::ArrayFirst, b'-' | b'0'..=b'9') => {
                    let Some(len) = number_len(&bytes[i..]) else { break };
                    self.push_value(at(i))?;
                    i += len;
                    State::After
                }
                (State::Start | State::Value | State::ArrayFirst, b't' | b'f' | b'n') => {
                    let word = literal(b);
                    if !bytes[i..].starts_with(word) {
                        break;
                    }
                    self.push_value(at(i))?;
                    i += word.len();
                    State::After
                }
                (State::Start | State::Value | State::ArrayFirst, b'{') => {
                    self.open(true, at(i))?;
                    i += 1;
                    State::ObjectFirst
                }
                (State::Start | State::Value | State::ArrayFirst, b'[') => {
                    self.open(false, at(i))?;
                    i += 1;
                    State::ArrayFirst
                }
                (State::ObjectFirst | State::Key, b'"') => {
                    i += 1;
                    State::Str { key: true }
                }
                (State::Colon, b':') => {
                    i += 1;
                    State::Value
                }
                (State::After, b',') if self.stack.last().is_some_and(|f| !f.unknown) => {
                    i += 1;
                    State::after_comma(self.stack.last().is_some_and(|f| f.object))
                }
                (State::After, b'}' | b']') if !self.stack.is_empty() => {
                    self.close(b, at(i))?;
                    i += 1;
                    State::After
                }
                (State::ArrayFirst, b']') | (State::ObjectFirst, b'}') => {
                    self.close(b, at(i))?;
                    i += 1;
                    State::After
                }
                _ => break,
            };
        }
        self.state = state;
        Ok(i)
    }
}

/// How many bytes the escape at `bytes[i]` (a backslash) takes, when it is complete and valid.
fn escape_len(bytes: &[u8], i: usize) -> Option<usize> {
    match bytes.get(i + 1)? {
        b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't' => Some(2),
        b'u' if bytes.get(i + 2..i + 6)?.iter().all(u8::is_ascii_hexdigit) => Some(6),
        _ => None,
    }
}

/// The length of the number at the start of `s` when it is valid and a byte after it shows it complete (that byte
/// may be anything: what follows a value is checked by the state after it).
fn number_len(s: &[u8]) -> Option<usize> {
    let digits = |mut j: usize| {
        while s.get(j).is_some_and(u8::is_ascii_digit) {
            j += 1;
        }
        j
    };
    let mut j = usize::from(s.first() == Some(&b'-'));
    match s.get(j)? {
        b'0' if s.get(j + 1)?.is_ascii_digit() => return None,
        b'0' => j += 1,
        b'1'..=b'9' => j = digits(j + 1),
        _ => return None,
    }
    if *s.get(j)? == b'.' {
        let end = digits(j + 1);
        if end == j + 1 {
            return None;
        }
        j = end;
    }
    if matches!(s.get(j)?, b'e' | b'E') {
        j += 1;
        if matches!(s.get(j)?, b'+' | b'-') {
            j += 1;
        }
        let end = digits(j);
        if end == j {
            return None;
        }
        j = end;
    }
    s.get(j)?;
    Some(j)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_taken_only_when_valid_and_complete() {
        for (text, len) in [
            ("0,", Some(1)),
            ("-0]", Some(2)),
            ("12.5e+3 ", Some(7)),
            ("1E9}", Some(3)),
            ("7x", Some(1)),
            ("1.5.3", Some(3)),
            ("01", None),
            ("1.", None),
            ("1.e3 ", None),
            ("-a", None),
            ("123", None),
            ("1e", None),
            ("1e+,", None),
        ] {
            assert_eq!(number_len(text.as_bytes()), len, "{text}");
        }
    }

    #[test]
    fn escapes_are_taken_only_when_valid_and_complete() {
        for (text, len) in
            [("\\n", Some(2)), ("\\u00e9", Some(6)), ("\\u00e", None), ("\\u00g9", None), ("\\x", None), ("\\", None)]
        {
            assert_eq!(escape_len(text.as_bytes(), 0), len, "{text}");
        }
    }
}
