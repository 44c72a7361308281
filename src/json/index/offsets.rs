//! Where entries start, a little over one byte each: the distance from the entry before, summed from the full
//! offset kept for every [`BLOCK`]-th entry; a distance that does not fit a byte (a long string) is kept whole on
//! the side. Entries are counted from 0 here: an [`Index`](super::Index) of two halves joined holds two of these.

/// Every this many entries the offset is kept whole.
const BLOCK: usize = 32;
/// The distance byte of an entry whose distance is kept in `far`.
const FAR: u8 = u8::MAX;

#[derive(Debug, Default)]
pub(super) struct Offsets {
    /// Per entry: its offset minus the previous entry's (0 at the start of a block; [`FAR`]: see `far`).
    deltas: Vec<u8>,
    /// Low 32 bits of the offset of entries `0, BLOCK, 2 * BLOCK, ...`.
    bases: Vec<u32>,
    /// `high[k]` is the first block-starting entry whose offset is at least `(k + 1) << 32` (offsets only grow).
    high: Vec<u32>,
    /// The entries whose distance does not fit a byte, in order, and their offsets.
    far_entries: Vec<u32>,
    far: Vec<u64>,
    /// The offset of the last entry pushed.
    last: u64,
}

impl Offsets {
    pub(super) fn with_capacity(entries: usize) -> Offsets {
        Offsets {
            deltas: Vec::with_capacity(entries),
            bases: Vec::with_capacity(entries / BLOCK + 1),
            ..Offsets::default()
        }
    }

    /// Appends the next entry's offset (never before the last one's).
    #[inline]
    pub(super) fn push(&mut self, offset: u64) {
        let entry = self.deltas.len();
        if entry.is_multiple_of(BLOCK) {
            while (offset >> 32) > self.high.len() as u64 {
                self.high.push(u32::try_from(entry).unwrap_or(u32::MAX));
            }
            #[allow(clippy::cast_possible_truncation)] // the high half is kept in `high`
            self.bases.push(offset as u32);
            self.deltas.push(0);
        } else {
            match u8::try_from(offset - self.last) {
                Ok(delta) if delta != FAR => self.deltas.push(delta),
                _ => {
                    self.deltas.push(FAR);
                    self.far_entries.push(u32::try_from(entry).unwrap_or(u32::MAX));
                    self.far.push(offset);
                }
            }
        }
        self.last = offset;
    }

    /// The offset of entry `e` (counted from 0 here).
    pub(super) fn get(&self, e: usize) -> u64 {
        let start = e / BLOCK * BLOCK;
        let mut deltas = &self.deltas[start + 1..=e];
        let mut at = if let Some(p) = deltas.iter().rposition(|&d| d == FAR) {
            let far = start + 1 + p;
            let i = self.far_entries.partition_point(|&f| (f as usize) < far);
            deltas = &deltas[p + 1..];
            self.far[i]
        } else {
            let high = self.high.partition_point(|&first| first as usize <= start) as u64;
            (high << 32) | u64::from(self.bases[start / BLOCK])
        };
        at += deltas.iter().map(|&d| u64::from(d)).sum::<u64>();
        at
    }

    pub(super) fn heap_bytes(&self) -> usize {
        let words = self.bases.len() + self.high.len() + self.far_entries.len();
        self.deltas.len() + words * 4 + self.far.len() * 8
    }
}
