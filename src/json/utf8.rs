//! UTF-8 validation over chunks whose borders may split a character.

/// Carries the unfinished tail of one chunk into the next.
#[derive(Debug, Default)]
pub(crate) struct Utf8Check {
    carry: Vec<u8>,
    carry_at: u64,
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
    /// Checks `chunk`, which starts at absolute offset `base`; `Err` holds the offset of the first bad byte.
    pub(crate) fn feed(&mut self, base: u64, chunk: &[u8]) -> Result<(), u64> {
        let mut rest = chunk;
        let mut rest_at = base;
        if !self.carry.is_empty() {
            let need = sequence_len(self.carry[0]) - self.carry.len();
            let take = need.min(chunk.len());
            self.carry.extend_from_slice(&chunk[..take]);
            if self.carry.len() < sequence_len(self.carry[0]) {
                return Ok(());
            }
            if std::str::from_utf8(&self.carry).is_err() {
                return Err(self.carry_at);
            }
            self.carry.clear();
            rest = &chunk[take..];
            rest_at = base + take as u64;
        }
        match std::str::from_utf8(rest) {
            Ok(_) => Ok(()),
            Err(e) if e.error_len().is_none() => {
                self.carry.extend_from_slice(&rest[e.valid_up_to()..]);
                self.carry_at = rest_at + e.valid_up_to() as u64;
                Ok(())
            }
            Err(e) => Err(rest_at + e.valid_up_to() as u64),
        }
    }

    /// The body ended; a character cut short is an error.
    pub(crate) fn finish(&self) -> Result<(), u64> {
        if self.carry.is_empty() { Ok(()) } else { Err(self.carry_at) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check_in_pieces(bytes: &[u8], piece: usize) -> Result<(), u64> {
        let mut check = Utf8Check::default();
        let mut at = 0u64;
        for chunk in bytes.chunks(piece) {
            check.feed(at, chunk)?;
            at += chunk.len() as u64;
        }
        check.finish()
    }

    #[test]
    fn characters_split_across_chunks_are_accepted() {
        let text = "aé€𝄞z".repeat(3);
        for piece in 1..8 {
            assert_eq!(check_in_pieces(text.as_bytes(), piece), Ok(()), "piece {piece}");
        }
    }

    #[test]
    fn bad_bytes_are_located() {
        for piece in 1..6 {
            assert_eq!(check_in_pieces(b"abc\xFFdef", piece), Err(3), "piece {piece}");
            assert_eq!(check_in_pieces(b"ab\xE2\x82z", piece), Err(2), "piece {piece}");
            assert_eq!(check_in_pieces(b"ab\xE2\x82", piece), Err(2), "truncated, piece {piece}");
        }
    }
}
