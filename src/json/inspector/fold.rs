//! Folding: a folded container hides the range of entries up to its close. Its inner fold state is kept, so
//! unfolding shows the children as they were. Every operation touches words of bits, not entries one by one,
//! except re-hiding the folded children a container shows again (one step per such child).

use super::Inspector;
use crate::json::index::EntryId;

impl Inspector {
    /// Folds the container under the cursor (on a closing row: its container).
    pub fn fold(&mut self) {
        let e = self.doc.index.value_of(self.cursor_entry());
        self.keeping_cursor(|ins| ins.set_folded(e, true));
    }

    /// Unfolds the container under the cursor; its children show as they were folded.
    pub fn unfold(&mut self) {
        let e = self.doc.index.value_of(self.cursor_entry());
        self.keeping_cursor(|ins| ins.set_folded(e, false));
    }

    pub fn toggle_fold(&mut self) {
        let e = self.doc.index.value_of(self.cursor_entry());
        let folded = self.is_folded(e);
        self.keeping_cursor(|ins| ins.set_folded(e, !folded));
    }

    /// Unfolds the container under the cursor and everything inside it.
    pub fn unfold_subtree(&mut self) {
        let e = self.doc.index.value_of(self.cursor_entry());
        if !self.doc.index.is_open(e) {
            return;
        }
        let end = self.doc.index.close_of(e) as usize + 1;
        self.keeping_cursor(|ins| {
            ins.folded.set_range(e as usize, end, false);
            if ins.visible.get(e as usize) {
                ins.visible.set_range(e as usize + 1, end, true);
            }
        });
    }

    /// Whether `e` is a folded non-empty container.
    pub(crate) fn is_folded(&self, e: EntryId) -> bool {
        self.doc.index.is_open(e) && self.folded.get(e as usize)
    }

    /// Folds everything: one row, the root.
    pub fn fold_all(&mut self) {
        self.keeping_cursor(|ins| {
            ins.folded.copy_from_words(&ins.doc.index.opens);
            ins.rebuild_visible();
        });
    }

    /// Unfolds everything: every entry is a row.
    pub fn unfold_all(&mut self) {
        self.keeping_cursor(|ins| {
            ins.folded.fill(false);
            ins.visible.fill(true);
        });
    }

    /// Shows `level` levels: containers nested less deep than `level` are expanded, the others folded
    /// (`1`: the root's children, folded; `0`: the same as [`fold_all`](Self::fold_all)).
    pub fn fold_to_level(&mut self, level: usize) {
        self.keeping_cursor(|ins| {
            let index = &ins.doc.index;
            ins.folded.copy_from_words(&index.opens);
            let mut stack: Vec<(EntryId, usize)> = Vec::new();
            if level > 0 && index.is_open(0) {
                stack.push((0, 0));
            }
            while let Some((open, depth)) = stack.pop() {
                ins.folded.set(open as usize, false);
                if depth + 1 >= level {
                    continue;
                }
                let close = index.close_of(open);
                let mut child = open + 1;
                while child < close {
                    if index.is_open(child) {
                        stack.push((child, depth + 1));
                    }
                    child = index.last_of(child) + 1;
                }
            }
            ins.rebuild_visible();
        });
    }

    /// Unfolds every folded container around `e`, so it is a row.
    pub(crate) fn reveal(&mut self, e: EntryId) {
        let index = &self.doc.index;
        let mut ancestors = Vec::new();
        let mut at = index.value_of(e);
        while let Some(parent) = index.parent(at) {
            ancestors.push(parent);
            at = parent;
        }
        for &container in ancestors.iter().rev() {
            if self.is_folded(container) {
                self.set_folded(container, false);
            }
        }
        self.visible.commit();
    }

    fn set_folded(&mut self, e: EntryId, fold: bool) {
        if !self.doc.index.is_open(e) || self.folded.get(e as usize) == fold {
            return;
        }
        self.folded.set(e as usize, fold);
        let close = self.doc.index.close_of(e) as usize;
        if fold {
            self.visible.set_range(e as usize + 1, close + 1, false);
        } else if self.visible.get(e as usize) {
            self.show_inside(e);
        }
    }

    /// Makes the entries of an expanded, visible container rows, except inside its folded descendants.
    fn show_inside(&mut self, open: EntryId) {
        let index = &self.doc.index;
        let close = index.close_of(open) as usize;
        self.visible.set_range(open as usize + 1, close + 1, true);
        let mut from = open as usize + 1;
        while let Some(f) = self.folded.next_set(from, close) {
            let f_id = EntryId::try_from(f).unwrap_or(EntryId::MAX);
            if index.is_open(f_id) {
                let f_close = index.close_of(f_id) as usize;
                self.visible.set_range(f + 1, f_close + 1, false);
                from = f_close + 1;
            } else {
                from = f + 1;
            }
        }
    }

    /// Recomputes the rows from the fold state: the root, and inside it unless it is folded.
    pub(super) fn rebuild_visible(&mut self) {
        self.visible.fill(false);
        if self.doc.entry_count() > 0 {
            self.visible.set(0, true);
            if self.doc.index.is_open(0) && !self.folded.get(0) {
                self.show_inside(0);
            }
        }
        self.visible.commit();
    }

    /// Runs a fold change, then puts the cursor back on its value (or the folded container now hiding it), at
    /// the same height on the screen when possible.
    fn keeping_cursor(&mut self, change: impl FnOnce(&mut Inspector)) {
        let entry = self.cursor_entry();
        let height = self.cursor.saturating_sub(self.offset);
        change(self);
        self.visible.commit();
        let anchor = self.row_holding(entry);
        self.cursor = self.visible.rank(anchor as usize);
        self.offset = self.cursor.saturating_sub(height);
        self.follow_cursor();
    }

    /// The row that shows entry `e`: itself, its value (for a hidden closing bracket), or the folded container
    /// now hiding it.
    pub(super) fn row_holding(&self, e: EntryId) -> EntryId {
        let mut anchor = e;
        if !self.visible.get(anchor as usize) {
            anchor = self.doc.index.value_of(anchor);
        }
        while !self.visible.get(anchor as usize) {
            match self.doc.index.parent(anchor) {
                Some(parent) => anchor = parent,
                None => break,
            }
        }
        anchor
    }
}
