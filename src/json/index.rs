//! The compact index of a document: one entry per token that gets a row, a few bytes each.
//!
//! Entries are, in document order, every value (scalar or container) and the closing bracket of every non-empty
//! container. An entry stores the offset of its first byte (the value, never the key: the kind is that byte) and a
//! link: a non-empty container's opening entry links to its closing entry; every other entry links to its parent
//! (a closing entry to the parent of its container). A flag bit marks closing entries. That is 8 bytes per entry;
//! parent, siblings and depth follow from the links, and a sparse table answers child counts and positions in
//! large containers without walking them.

use std::collections::HashMap;

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
    /// Low 32 bits of each entry's byte offset.
    pub(crate) offsets: Vec<u32>,
    /// `high[k]` is the first entry whose offset is at least `(k + 1) << 32` (offsets only grow).
    pub(crate) high: Vec<u32>,
    pub(crate) links: Vec<u32>,
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
    pub(crate) fn len(&self) -> u32 {
        u32::try_from(self.offsets.len()).unwrap_or(u32::MAX)
    }

    pub(crate) fn offset(&self, e: EntryId) -> u64 {
        let high = self.high.partition_point(|&first| first <= e) as u64;
        (high << 32) | u64::from(self.offsets[e as usize])
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
        (self.offsets.len() + self.links.len() + self.high.len()) * 4 + self.opens.len() * 8 + large
    }
}
