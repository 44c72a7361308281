//! The compact index of a document: one entry per token that gets a row, a few bytes each.
//!
//! Entries are, in document order, every value (scalar or container) and the closing bracket of every non-empty
//! container. An entry has the offset of its first byte (the value, never the key: the kind is that byte) and a
//! link: a non-empty container's opening entry links to its closing entry; every other entry links to its parent
//! (a closing entry to the parent of its container). A flag bit marks closing entries. Parent, siblings and depth
//! follow from the links, and a sparse table answers child counts and positions in large containers without
//! walking them.
//!
//! Offsets are kept as one byte per entry (see [`offsets`]). So an entry takes a little over 5 bytes (4 of them the link): 0.4 of a pretty-printed document's size even when it
//! is all small values nested deep, a quarter of an API-like array.

use std::collections::HashMap;

use offsets::Offsets;

mod offsets;

/// Marks a closing entry in a link.
pub(crate) const CLOSE: u32 = 1 << 31;
/// The link target of the root's parent.
pub(crate) const NONE: u32 = CLOSE - 1;
/// Containers with at least this many children get a checkpoint every this many children.
pub(crate) const STRIDE: u32 = 64;
/// Where an entry sits; an index into the entry table (document order).
pub type EntryId = u32;

#[derive(Debug, Default)]
pub(crate) struct Index {
    /// Where the entries from `offsets_from` on start.
    offsets: Offsets,
    offsets_from: EntryId,
    /// Where the entries before `offsets_from` start, by the first entry each holds: the halves of a body that
    /// two threads indexed (empty for one).
    earlier: Vec<(EntryId, Offsets)>,
    links: Vec<u32>,
    /// A bit per entry: set on every non-empty container's opening entry (the initial fold state is built from it).
    pub(crate) opens: Vec<u64>,
    /// Containers with `STRIDE` children or more.
    pub(crate) large: HashMap<EntryId, LargeContainer>,
    /// How deeply containers nest (0 for a scalar document): what recursive code such as the filter must cope with.
    pub(crate) max_depth: usize,
}

#[derive(Debug, Default)]
pub(crate) struct LargeContainer {
    pub(crate) children: u32,
    /// Entry of child `STRIDE * (i + 1)` at `i`.
    pub(crate) checkpoints: Vec<EntryId>,
}

impl Index {
    /// An empty index with room for about `entries` entries.
    pub(crate) fn with_capacity(entries: usize) -> Index {
        Index { offsets: Offsets::with_capacity(entries), links: Vec::with_capacity(entries), ..Index::default() }
    }

    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.links.len()).unwrap_or(u32::MAX)
    }

    #[inline]
    /// Appends an entry at `offset` (never before the last one's) with `link`; returns its id.
    pub(crate) fn push(&mut self, offset: u64, link: u32) -> EntryId {
        if self.links.len().is_multiple_of(64) {
            self.opens.push(0);
        }
        self.offsets.push(offset);
        self.links.push(link);
        self.len() - 1
    }

    /// Appends the entries of `rest`, indexed apart from this one as the body after it, each link mapped by `link`
    /// (from `rest`'s numbering to this one's). Only the links are copied entry by entry.
    pub(crate) fn append(&mut self, rest: Index, link: impl Fn(u32) -> u32) {
        let shift = self.len();
        let before = std::mem::replace(&mut self.offsets, rest.offsets);
        self.earlier.push((self.offsets_from, before));
        self.earlier.extend(rest.earlier.into_iter().map(|(from, offsets)| (from + shift, offsets)));
        self.offsets_from = rest.offsets_from + shift;
        let (len, more) = (self.links.len(), rest.links.len());
        self.links.extend(rest.links.iter().map(|&l| link(l)));
        self.opens.resize((len + more).div_ceil(64), 0);
        let (word, bit) = (len / 64, len % 64);
        for (k, &w) in rest.opens.iter().enumerate().filter(|(_, w)| **w != 0) {
            self.opens[word + k] |= w << bit;
            if bit != 0
                && let Some(next) = self.opens.get_mut(word + k + 1)
            {
                *next |= w >> (64 - bit);
            }
        }
        self.large.extend(rest.large.into_iter().map(|(open, large)| {
            let checkpoints = large.checkpoints.iter().map(|c| c + shift).collect();
            (open + shift, LargeContainer { children: large.children, checkpoints })
        }));
    }

    /// Marks `open` as the opening entry of a non-empty container whose closing entry is `close`.
    pub(crate) fn set_close(&mut self, open: EntryId, close: EntryId) {
        self.links[open as usize] = close;
        self.opens[open as usize / 64] |= 1 << (open % 64);
    }

    pub(crate) fn offset(&self, e: EntryId) -> u64 {
        if e >= self.offsets_from {
            return self.offsets.get((e - self.offsets_from) as usize);
        }
        let k = self.earlier.partition_point(|&(from, _)| from <= e).saturating_sub(1);
        let (from, offsets) = &self.earlier[k];
        offsets.get((e - from) as usize)
    }

    fn target(&self, e: EntryId) -> EntryId {
        self.links[e as usize] & !CLOSE
    }

    pub(crate) fn is_close(&self, e: EntryId) -> bool {
        self.links[e as usize] & CLOSE != 0
    }

    /// Whether `e` opens a non-empty container (empty ones are a single entry, like a scalar).
    pub(crate) fn is_open(&self, e: EntryId) -> bool {
        let link = self.links[e as usize];
        link & CLOSE == 0 && link != NONE && link > e
    }

    /// The closing entry of an open container.
    pub(crate) fn close_of(&self, open: EntryId) -> EntryId {
        self.target(open)
    }

    /// The opening entry of a closing one: the entry before a close is the container's last child (a scalar or
    /// an empty container, linking to the container) or that child's close (linking to the container too).
    pub(crate) fn open_of(&self, close: EntryId) -> EntryId {
        self.target(close - 1)
    }

    /// The last entry of the value that starts at `e` (itself, or its close).
    pub(crate) fn last_of(&self, e: EntryId) -> EntryId {
        if self.is_open(e) { self.close_of(e) } else { e }
    }

    /// The value an entry belongs to: a close belongs to its container.
    pub(crate) fn value_of(&self, e: EntryId) -> EntryId {
        if self.is_close(e) { self.open_of(e) } else { e }
    }

    /// The container holding the value `e` (for a close, the container's parent); `None` at the root.
    pub(crate) fn parent(&self, e: EntryId) -> Option<EntryId> {
        let target = if self.is_open(e) { self.target(self.close_of(e)) } else { self.target(e) };
        (target != NONE).then_some(target)
    }

    pub(crate) fn depth(&self, e: EntryId) -> usize {
        let mut depth = 0;
        let mut at = e;
        while let Some(p) = self.parent(at) {
            depth += 1;
            at = p;
        }
        depth
    }

    pub(crate) fn next_sibling(&self, e: EntryId) -> Option<EntryId> {
        let v = self.value_of(e);
        let next = self.last_of(v) + 1;
        (next < self.len() && !self.is_close(next)).then_some(next)
    }

    pub(crate) fn prev_sibling(&self, e: EntryId) -> Option<EntryId> {
        let v = self.value_of(e);
        let parent = self.parent(v)?;
        if v == parent + 1 {
            return None;
        }
        let before = v - 1;
        Some(if self.is_close(before) { self.open_of(before) } else { before })
    }

    pub(crate) fn children(&self, open: EntryId) -> u32 {
        if !self.is_open(open) {
            return 0;
        }
        if let Some(large) = self.large.get(&open) {
            return large.children;
        }
        let close = self.close_of(open);
        let mut count = 0;
        let mut at = open + 1;
        while at < close {
            count += 1;
            at = self.last_of(at) + 1;
        }
        count
    }

    /// The position of child `e` among its parent's children, counted from 0.
    pub(crate) fn child_index(&self, parent: EntryId, e: EntryId) -> u32 {
        let (mut at, mut index) = (parent + 1, 0);
        if let Some(large) = self.large.get(&parent) {
            let passed = large.checkpoints.partition_point(|&c| c <= e);
            if passed > 0 {
                at = large.checkpoints[passed - 1];
                index = STRIDE * u32::try_from(passed).unwrap_or(u32::MAX);
            }
        }
        while at < e {
            index += 1;
            at = self.last_of(at) + 1;
        }
        index
    }

    /// Bytes the index uses, for figures and tests (spare capacity is left out: it is never touched, so it
    /// takes no memory).
    pub(crate) fn heap_bytes(&self) -> usize {
        let large: usize = self.large.values().map(|l| l.checkpoints.len() * 4 + 48).sum();
        let offsets: usize =
            self.earlier.iter().map(|(_, o)| o.heap_bytes()).sum::<usize>() + self.offsets.heap_bytes();
        offsets + self.links.len() * 4 + self.opens.len() * 8 + large
    }
}
