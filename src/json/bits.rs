//! A bit set with rank and select: which entries are rows (visible), answered in a few steps on 10M entries.
//!
//! Ranges are set and cleared a word at a time; counts per block of 512 bits are kept as prefix sums and brought
//! up to date once after a batch of changes ([`RankedBits::commit`]), which costs one add per block.

const BLOCK_WORDS: usize = 8;
const BLOCK_BITS: usize = 64 * BLOCK_WORDS;

#[derive(Debug, Clone, Default)]
pub(crate) struct RankedBits {
    words: Vec<u64>,
    /// `before[b]`: set bits in blocks before `b`; one more entry than blocks.
    before: Vec<usize>,
    /// First block whose count is stale (`usize::MAX` when none).
    dirty_from: usize,
    len: usize,
}

impl RankedBits {
    pub(crate) fn new(len: usize) -> RankedBits {
        let words = vec![0; len.div_ceil(64)];
        let blocks = words.len().div_ceil(BLOCK_WORDS);
        RankedBits { words, before: vec![0; blocks + 1], dirty_from: usize::MAX, len }
    }

    pub(crate) fn get(&self, i: usize) -> bool {
        self.words[i / 64] >> (i % 64) & 1 == 1
    }

    /// Sets or clears bits `start..end`.
    pub(crate) fn set_range(&mut self, start: usize, end: usize, value: bool) {
        let end = end.min(self.len);
        if start >= end {
            return;
        }
        self.dirty_from = self.dirty_from.min(start / BLOCK_BITS);
        let (first, last) = (start / 64, (end - 1) / 64);
        let head = u64::MAX << (start % 64);
        let tail = u64::MAX >> (63 - (end - 1) % 64);
        let apply = |word: &mut u64, mask: u64| {
            if value {
                *word |= mask;
            } else {
                *word &= !mask;
            }
        };
        if first == last {
            apply(&mut self.words[first], head & tail);
            return;
        }
        apply(&mut self.words[first], head);
        for word in &mut self.words[first + 1..last] {
            *word = if value { u64::MAX } else { 0 };
        }
        apply(&mut self.words[last], tail);
    }

    pub(crate) fn set(&mut self, i: usize, value: bool) {
        self.set_range(i, i + 1, value);
    }

    /// Every bit set (`true`) or cleared.
    pub(crate) fn fill(&mut self, value: bool) {
        self.set_range(0, self.len, value);
    }

    /// Replaces the bits with `words` (same length), e.g. a copy of another set.
    pub(crate) fn copy_from_words(&mut self, words: &[u64]) {
        let n = self.words.len().min(words.len());
        self.words[..n].copy_from_slice(&words[..n]);
        self.words[n..].fill(0);
        if let Some(last) = self.words.last_mut()
            && !self.len.is_multiple_of(64)
        {
            *last &= u64::MAX >> (64 - self.len % 64);
        }
        self.dirty_from = 0;
    }

    /// The first set bit in `from..end`.
    pub(crate) fn next_set(&self, from: usize, end: usize) -> Option<usize> {
        let end = end.min(self.len);
        if from >= end {
            return None;
        }
        let mut w = from / 64;
        let mut word = self.words[w] & (u64::MAX << (from % 64));
        loop {
            if word != 0 {
                let i = w * 64 + word.trailing_zeros() as usize;
                return (i < end).then_some(i);
            }
            w += 1;
            if w * 64 >= end {
                return None;
            }
            word = self.words[w];
        }
    }

    /// Brings the block counts up to date after changes.
    pub(crate) fn commit(&mut self) {
        if self.dirty_from == usize::MAX {
            return;
        }
        let blocks = self.before.len() - 1;
        for b in self.dirty_from..blocks {
            let words = &self.words[b * BLOCK_WORDS..((b + 1) * BLOCK_WORDS).min(self.words.len())];
            let ones: u32 = words.iter().map(|w| w.count_ones()).sum();
            self.before[b + 1] = self.before[b] + ones as usize;
        }
        self.dirty_from = usize::MAX;
    }

    /// Number of set bits (after [`commit`](Self::commit)).
    pub(crate) fn ones(&self) -> usize {
        self.before.last().copied().unwrap_or(0)
    }

    /// Set bits before `i`.
    pub(crate) fn rank(&self, i: usize) -> usize {
        debug_assert_eq!(self.dirty_from, usize::MAX, "rank before commit");
        let i = i.min(self.len);
        let block = i / BLOCK_BITS;
        let mut count = self.before[block];
        let first_word = block * BLOCK_WORDS;
        for w in first_word..i / 64 {
            count += self.words[w].count_ones() as usize;
        }
        if !i.is_multiple_of(64) {
            count += (self.words[i / 64] & (u64::MAX >> (64 - i % 64))).count_ones() as usize;
        }
        count
    }

    /// Position of the set bit with rank `r` (0-based), if there are that many.
    pub(crate) fn select(&self, r: usize) -> Option<usize> {
        debug_assert_eq!(self.dirty_from, usize::MAX, "select before commit");
        if r >= self.ones() {
            return None;
        }
        let block = self.before.partition_point(|&before| before <= r) - 1;
        let mut left = r - self.before[block];
        for w in block * BLOCK_WORDS..self.words.len() {
            let mut word = self.words[w];
            let ones = word.count_ones() as usize;
            if left < ones {
                for _ in 0..left {
                    word &= word - 1;
                }
                return Some(w * 64 + word.trailing_zeros() as usize);
            }
            left -= ones;
        }
        None
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        self.words.capacity() * 8 + self.before.capacity() * 8
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rank_and_select_agree_with_a_plain_vector() {
        let len = 5000;
        let mut bits = RankedBits::new(len);
        let mut plain = vec![false; len];
        let mut state = 7u64;
        for _ in 0..200 {
            state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
            let a = (state >> 33) as usize % len;
            let b = (a + (state >> 20) as usize % 900).min(len);
            let value = state & 1 == 0;
            bits.set_range(a, b, value);
            plain[a..b].fill(value);
        }
        bits.commit();
        let ones: Vec<usize> = (0..len).filter(|&i| plain[i]).collect();
        assert_eq!(bits.ones(), ones.len());
        for (r, &i) in ones.iter().enumerate() {
            assert_eq!(bits.select(r), Some(i));
            assert_eq!(bits.rank(i), r);
            assert!(bits.get(i));
        }
        assert_eq!(bits.select(ones.len()), None);
        assert_eq!(bits.next_set(0, len), ones.first().copied());
        assert_eq!(bits.next_set(len - 1, len), plain[len - 1].then_some(len - 1));
    }

    #[test]
    fn copying_words_keeps_bits_past_the_end_clear() {
        let mut bits = RankedBits::new(70);
        bits.copy_from_words(&[u64::MAX, u64::MAX]);
        bits.commit();
        assert_eq!(bits.ones(), 70);
        bits.fill(false);
        bits.set(69, true);
        bits.commit();
        assert_eq!((bits.ones(), bits.select(0), bits.rank(70)), (1, Some(69), 1));
    }
}
