//! Byte classes for a window of the body, 64 bytes to a word of bits, computed ahead of the token reader so that
//! it finds the end of a string or of whitespace with one bit search instead of a byte loop.
//!
//! On x86-64 the classes come from SSE2 compares (through `safe_arch`, which wraps the intrinsics safely; SSE2 is
//! part of every x86-64). Elsewhere the same classes come from plain integer arithmetic, 8 bytes at a time (SWAR).

/// Bit masks over a window: bit `j` of word `k` is byte `64 * k + j`.
#[derive(Debug, Default)]
pub(super) struct Classes {
    /// A quote, a backslash or a control character: where a string's plain text stops.
    stop: Vec<u64>,
    /// Above 0x20: not whitespace (in bytes that hold no other control characters, see `bad`).
    solid: Vec<u64>,
    len: usize,
    /// The first control character that is not whitespace: invalid wherever it stands.
    pub(super) bad: Option<usize>,
}

/// The classes of one 64-byte block: `(stop, solid, bad)`.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn classify(block: &[u8; 64]) -> (u64, u64, u64) {
    use safe_arch::{
        bitor_m128i, bitxor_m128i, cmp_eq_mask_i8_m128i as eq, load_unaligned_m128i, min_u8_m128i,
        move_mask_i8_m128i as mask, set_splat_i8_m128i as splat,
    };
    let at_most = |v, limit: i8| eq(min_u8_m128i(v, splat(limit)), v);
    let (mut stop, mut solid, mut bad) = (0, 0, 0);
    for (k, bytes) in block.as_chunks::<16>().0.iter().enumerate() {
        let v = load_unaligned_m128i(bytes);
        // The quote (0x22) turns into 0x20 and control characters stay below it: one compare finds both.
        let stops = bitor_m128i(at_most(bitxor_m128i(v, splat(0x02)), 0x20), eq(v, splat(b'\\'.cast_signed())));
        let spaces = at_most(v, 0x20);
        let allowed = bitor_m128i(
            bitor_m128i(eq(v, splat(b' '.cast_signed())), eq(v, splat(b'\n'.cast_signed()))),
            bitor_m128i(eq(v, splat(b'\t'.cast_signed())), eq(v, splat(b'\r'.cast_signed()))),
        );
        let shift = 16 * k;
        let (stops, spaces, allowed) = (mask(stops), mask(spaces), mask(allowed));
        stop |= u64::from(stops.cast_unsigned()) << shift;
        solid |= u64::from((!spaces & 0xFFFF).cast_unsigned()) << shift;
        bad |= u64::from((spaces & !allowed).cast_unsigned()) << shift;
    }
    (stop, solid, bad)
}

#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn classify(block: &[u8; 64]) -> (u64, u64, u64) {
    swar::classify(block)
}

/// The same classes in integer arithmetic: each test leaves the high bit of every byte that matches, exactly
/// (no carry crosses a byte), and a multiply gathers the 8 high bits of a word into a byte.
#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))] // tested beside SSE2
mod swar {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;

    /// High bit of every byte of `x` above `limit` (at most 0x7F).
    fn above(x: u64, limit: u8) -> u64 {
        (((x & !HIGH) + ONES * u64::from(0x7F - limit)) | x) & HIGH
    }

    fn equal(x: u64, b: u8) -> u64 {
        let t = x ^ (ONES * u64::from(b));
        !(((t & !HIGH) + !HIGH) | t) & HIGH
    }

    fn gather(highs: u64) -> u64 {
        ((highs >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
    }

    pub(super) fn classify(block: &[u8; 64]) -> (u64, u64, u64) {
        let (mut stop, mut solid, mut bad) = (0, 0, 0);
        for (k, bytes) in block.as_chunks::<8>().0.iter().enumerate() {
            let x = u64::from_le_bytes(*bytes);
            let stops = (!above(x ^ (ONES * 0x02), 0x20) & HIGH) | equal(x, b'\\');
            let solids = above(x, 0x20);
            let allowed = equal(x, b' ') | equal(x, b'\n') | equal(x, b'\t') | equal(x, b'\r');
            let shift = 8 * k;
            stop |= gather(stops) << shift;
            solid |= gather(solids) << shift;
            bad |= gather(!solids & HIGH & !allowed) << shift;
        }
        (stop, solid, bad)
    }
}

impl Classes {
    /// Classifies `bytes` (a window), reusing the buffers.
    pub(super) fn fill(&mut self, bytes: &[u8]) {
        self.stop.clear();
        self.solid.clear();
        self.len = bytes.len();
        self.bad = None;
        let (blocks, tail) = bytes.as_chunks::<64>();
        let mut last = [b' '; 64];
        last[..tail.len()].copy_from_slice(tail);
        let padded = (!tail.is_empty()).then_some(&last);
        for (k, block) in blocks.iter().chain(padded).enumerate() {
            let (stop, solid, bad) = classify(block);
            self.stop.push(stop);
            self.solid.push(solid);
            if bad != 0 && self.bad.is_none() {
                self.bad = Some(64 * k + bad.trailing_zeros() as usize);
            }
        }
    }

    /// The first byte at or after `i` whose bit is set in `masks`, if within the window.
    fn next(masks: &[u64], len: usize, i: usize) -> Option<usize> {
        let mut k = i / 64;
        let mut bits = masks.get(k)? & (u64::MAX << (i % 64));
        while bits == 0 {
            k += 1;
            bits = *masks.get(k)?;
        }
        Some(64 * k + bits.trailing_zeros() as usize).filter(|&p| p < len)
    }

    /// The first quote, backslash or control character at or after `i`.
    pub(super) fn string_stop(&self, i: usize) -> Option<usize> {
        Classes::next(&self.stop, self.len, i)
    }

    /// The first byte at or after `i` that is not whitespace, or `bytes.len()` (`bytes`: the window or a part of
    /// it from its start).
    pub(super) fn skip_space(&self, bytes: &[u8], i: usize) -> usize {
        if bytes.get(i).is_some_and(|&b| b > b' ') {
            return i;
        }
        let end = bytes.len().min(self.len);
        Classes::next(&self.solid, end, i).unwrap_or(end)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The classes byte by byte, as the definition.
    fn plain(block: &[u8; 64]) -> (u64, u64, u64) {
        let (mut stop, mut solid, mut bad) = (0, 0, 0);
        for (j, &b) in block.iter().enumerate() {
            stop |= u64::from(b == b'"' || b == b'\\' || b < 0x20) << j;
            solid |= u64::from(b > b' ') << j;
            bad |= u64::from(b < 0x20 && !matches!(b, b'\t' | b'\n' | b'\r')) << j;
        }
        (stop, solid, bad)
    }

    #[test]
    fn every_byte_is_classed_as_byte_by_byte_in_every_lane() {
        for b in 0..=255u8 {
            for fill in [b'a', 0, b' ', b'"', 0xFF] {
                let mut block = [fill; 64];
                for lane in [0, 7, 8, 15, 16, 31, 47, 63] {
                    block[lane] = b;
                }
                assert_eq!(classify(&block), plain(&block), "{b:#x} among {fill:#x}");
                assert_eq!(swar::classify(&block), plain(&block), "swar: {b:#x} among {fill:#x}");
            }
        }
    }

    #[test]
    fn stops_spaces_and_bad_controls_are_found_across_words() {
        let mut text = vec![b'x'; 200];
        text[150] = b'"';
        text[10..140].fill(b' ');
        text[12] = b'\n';
        let mut classes = Classes::default();
        classes.fill(&text);
        assert_eq!(classes.string_stop(0), Some(12), "a newline ends a string's plain text");
        assert_eq!(classes.string_stop(13), Some(150));
        assert_eq!(classes.string_stop(151), None);
        assert_eq!(classes.skip_space(&text, 10), 140);
        assert_eq!(classes.skip_space(&text, 3), 3);
        assert_eq!(classes.bad, None);
        text[170] = 0x01;
        text[199] = 0x02;
        classes.fill(&text[..199]);
        assert_eq!(classes.bad, Some(170));
        let spaces = vec![b' '; 70];
        classes.fill(&spaces);
        assert_eq!(classes.skip_space(&spaces, 0), 70, "the padding past the end is never a token");
    }
}
