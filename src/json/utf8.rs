//! UTF-8 validation over chunks whose borders may split a character.
//!
//! std's `str::from_utf8` does the work (it takes ASCII many bytes at a time). A character cut by a chunk border is
//! held back and handed over whole with the next chunk, so the reader after this check only ever sees bytes that are
//! known to be valid, and the first error is found at the same offset however the body was cut.

use std::ops::Range;

/// Carries the unfinished tail of one chunk into the next.
#[derive(Debug, Default)]
pub(crate) struct Utf8Check {
    carry: Vec<u8>,
    carry_at: u64,
}

/// A character begun in one chunk and finished in the next: its offset and bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Carried {
    pub(crate) at: u64,
    bytes: [u8; 4],
    len: u8,
}

impl Carried {
    pub(crate) fn as_slice(&self) -> &[u8] {
        &self.bytes[..usize::from(self.len)]
    }
}

/// What a chunk holds, in order: the character finished from the previous chunk, then the valid bytes, then
/// (when there is one) the first invalid byte.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Checked {
    pub(crate) completed: Option<Carried>,
    /// Valid and complete bytes of the chunk (indexes into it); an unfinished character after them is held back.
    pub(crate) valid: Range<usize>,
    /// Absolute offset of the first invalid byte.
    pub(crate) error: Option<u64>,
}

/// The length of the sequence a lead byte starts (only called on leads `from_utf8` accepted as a prefix).
fn sequence_len(lead: u8) -> usize {
    match lead {
        0xF0..=0xF7 => 4,
        0xE0..=0xEF => 3,
        _ => 2,
    }
}

impl Utf8Check {
    /// Checks `chunk`, which starts at absolute offset `base`.
    pub(crate) fn feed(&mut self, base: u64, chunk: &[u8]) -> Checked {
        let mut completed = None;
        let mut start = 0;
        if !self.carry.is_empty() {
            let need = sequence_len(self.carry[0]) - self.carry.len();
            let take = need.min(chunk.len());
            self.carry.extend_from_slice(&chunk[..take]);
            // A byte that cannot continue the character is an error now, not a character cut short at the end:
            // the message must not depend on where the chunks were cut.
            if let Err(e) = std::str::from_utf8(&self.carry)
                && e.error_len().is_some()
            {
                return Checked { completed: None, valid: 0..0, error: Some(self.carry_at) };
            }
            if self.carry.len() < sequence_len(self.carry[0]) {
                return Checked { completed: None, valid: chunk.len()..chunk.len(), error: None };
            }
            let mut bytes = [0; 4];
            bytes[..self.carry.len()].copy_from_slice(&self.carry);
            #[allow(clippy::cast_possible_truncation)] // at most 4
            let len = self.carry.len() as u8;
            completed = Some(Carried { at: self.carry_at, bytes, len });
            self.carry.clear();
            start = take;
        }
        let rest = &chunk[start..];
        match std::str::from_utf8(rest) {
            Ok(_) => Checked { completed, valid: start..chunk.len(), error: None },
            Err(e) => {
                let end = start + e.valid_up_to();
                if e.error_len().is_none() {
                    self.carry.extend_from_slice(&chunk[end..]);
                    self.carry_at = base + end as u64;
                    Checked { completed, valid: start..end, error: None }
                } else {
                    Checked { completed, valid: start..end, error: Some(base + end as u64) }
                }
            }
        }
    }

    /// Whether no character is held back (the bytes so far end on a character's border).
    pub(crate) fn is_clear(&self) -> bool {
        self.carry.is_empty()
    }

    /// The body ended; a character cut short is an error.
    pub(crate) fn finish(&self) -> Result<(), u64> {
        if self.carry.is_empty() { Ok(()) } else { Err(self.carry_at) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Checks `bytes` in pieces; returns the bytes handed on (which must be all of them, in order, when valid).
    fn check_in_pieces(bytes: &[u8], piece: usize) -> Result<Vec<u8>, u64> {
        let mut check = Utf8Check::default();
        let mut at = 0u64;
        let mut seen = Vec::new();
        for chunk in bytes.chunks(piece) {
            let checked = check.feed(at, chunk);
            if let Some(carried) = checked.completed {
                assert_eq!(carried.at, seen.len() as u64);
                seen.extend_from_slice(carried.as_slice());
            }
            if !checked.valid.is_empty() {
                assert_eq!(at + checked.valid.start as u64, seen.len() as u64, "handed on in order");
            }
            seen.extend_from_slice(&chunk[checked.valid]);
            if let Some(offset) = checked.error {
                assert_eq!(offset, seen.len() as u64, "the error follows the valid bytes");
                return Err(offset);
            }
            at += chunk.len() as u64;
        }
        check.finish()?;
        Ok(seen)
    }

    #[test]
    fn characters_split_across_chunks_are_handed_on_whole() {
        let text = "aé€𝄞z".repeat(3);
        for piece in 1..8 {
            assert_eq!(check_in_pieces(text.as_bytes(), piece), Ok(text.as_bytes().to_vec()), "piece {piece}");
        }
    }

    #[test]
    fn bad_bytes_are_located() {
        for piece in 1..6 {
            assert_eq!(check_in_pieces(b"abc\xFFdef", piece), Err(3), "piece {piece}");
            assert_eq!(check_in_pieces(b"ab\xE2\x82z", piece), Err(2), "piece {piece}");
            assert_eq!(check_in_pieces(b"ab\xE2\x82", piece), Err(2), "truncated, piece {piece}");
            assert_eq!(check_in_pieces(b"\xEF0", piece), Err(0), "a lead byte then no continuation, piece {piece}");
        }
    }
}
