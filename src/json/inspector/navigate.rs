//! Moving by structure (parent, siblings, search matches), and what is under the cursor: its path and its value.

use std::fmt::Write as _;
use std::io;

use thiserror::Error;

use std::sync::Arc;

use super::Inspector;
use crate::json::Document;
use crate::json::index::EntryId;
use crate::json::search::SearchResults;
use crate::json::source::Access;

/// Why the value under the cursor was not handed out.
#[derive(Debug, Error)]
pub enum ValueError {
    #[error("the value is {len} bytes, more than the {limit} allowed here")]
    TooLarge { len: u64, limit: u64 },
    #[error("could not read the value from the body: {0}")]
    Io(#[from] io::Error),
}

/// Whether a member name can follow a dot in a jq path (`.name`) rather than needing `["…"]`.
fn is_identifier(key: &str) -> bool {
    let mut chars = key.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
        && chars.all(|c| c.is_ascii_alphanumeric() || c == '_')
}

impl Inspector {
    /// To the container holding the cursor's value (from a closing row: to its opening row).
    pub fn parent(&mut self) {
        let index = &self.doc.index;
        let e = self.cursor_entry();
        let target = if index.is_close(e) { Some(index.open_of(e)) } else { index.parent(e) };
        if let Some(target) = target {
            self.set_cursor_entry(target);
        }
    }

    pub fn next_sibling(&mut self) {
        if let Some(next) = self.doc.index.next_sibling(self.cursor_entry()) {
            self.set_cursor_entry(next);
        }
    }

    pub fn prev_sibling(&mut self) {
        if let Some(prev) = self.doc.index.prev_sibling(self.cursor_entry()) {
            self.set_cursor_entry(prev);
        }
    }

    /// Where the cursor is, to come back to with [`Inspector::return_to`] (the value stays the same across folds).
    pub fn bookmark(&self) -> u32 {
        self.cursor_entry()
    }

    /// Back to a [`Inspector::bookmark`]: the cursor on that value, unfolding what hides it.
    pub fn return_to(&mut self, bookmark: u32) {
        if bookmark < self.doc.index.len() {
            self.jump_to(bookmark);
        }
    }

    /// Puts the cursor on `e`, unfolding what hides it. A target off the screen lands mid-screen, as in less and
    /// vim, so that it is read with what surrounds it.
    pub(crate) fn jump_to(&mut self, e: EntryId) {
        self.reveal(e);
        let row = self.visible.rank(e as usize);
        if row < self.offset || row >= self.offset + self.viewport {
            self.offset = row.saturating_sub(self.viewport / 2);
        }
        self.set_cursor_entry(e);
    }

    /// The jq-style path of the value under the cursor: `$`, `$[3].roles[0]`, `$["a b"]`; its keys read as
    /// `access` allows.
    pub fn cursor_path(&self, access: Access) -> io::Result<String> {
        self.value_at_cursor().path(access)
    }

    /// The value under the cursor, to be read now or handed to a job (cheap: the document is shared).
    pub fn value_at_cursor(&self) -> ValueAt {
        ValueAt { doc: Arc::clone(&self.doc), entry: self.cursor_entry() }
    }

    /// The size in bytes of the value under the cursor, as in the body (ask before [`cursor_value_text`]).
    ///
    /// [`cursor_value_text`]: Self::cursor_value_text
    pub fn cursor_value_len(&self) -> io::Result<u64> {
        self.value_at_cursor().len(Access::Direct)
    }

    /// The value under the cursor as JSON text, as in the body (a container with its original layout), if it is
    /// at most `limit` bytes.
    pub fn cursor_value_text(&self, limit: u64) -> Result<String, ValueError> {
        self.value_at_cursor().text(limit, Access::Direct)
    }

    /// Shows the results of a search (or none): their rows are marked, and `n` / `N` move between them.
    pub fn set_search(&mut self, results: Option<SearchResults>) {
        self.search = results.map(Box::new);
        self.current_match = None;
    }

    pub fn search(&self) -> Option<&SearchResults> {
        self.search.as_deref()
    }

    /// Which match the cursor was last taken to, counted from 1 (for "3/120").
    pub fn current_match(&self) -> Option<usize> {
        self.current_match.map(|i| i + 1)
    }

    /// To the first match after the cursor (wrapping around), unfolding its parents. False when nothing matched.
    pub fn next_match(&mut self) -> bool {
        self.step_match(true)
    }

    /// To the last match before the cursor (wrapping around).
    pub fn prev_match(&mut self) -> bool {
        self.step_match(false)
    }

    fn step_match(&mut self, forward: bool) -> bool {
        let Some(search) = &self.search else {
            return false;
        };
        let count = search.count();
        if count == 0 {
            return false;
        }
        let here = self.cursor_entry();
        let i = if forward {
            let after = search.first_after(here);
            if after == count { 0 } else { after }
        } else {
            let at_or_after = search.first_at_or_after(here);
            if at_or_after == 0 { count - 1 } else { at_or_after - 1 }
        };
        let target = search.entry(i);
        self.current_match = Some(i);
        self.jump_to(target);
        true
    }
}

/// One value of a document, taken from the cursor: what a copy or a variable reads, on a job when the body is a
/// file. Each read is served as the caller's [`Access`] allows.
#[derive(Debug, Clone)]
pub struct ValueAt {
    doc: Arc<Document>,
    entry: EntryId,
}

impl ValueAt {
    /// The jq-style path: `$`, `$[3].roles[0]`, `$["a b"]`.
    pub fn path(&self, access: Access) -> io::Result<String> {
        let index = &self.doc.index;
        let reader = self.doc.reader(access);
        let mut steps = Vec::new();
        let mut at = index.value_of(self.entry);
        while let Some(parent) = index.parent(at) {
            steps.push((parent, at));
            at = parent;
        }
        // Every key is asked for before a miss is answered, so one job reads all the pages the path needs.
        let keys: Vec<io::Result<Option<String>>> = steps.iter().map(|&(_, child)| reader.key(child)).collect();
        let mut path = String::from("$");
        for (&(parent, child), key) in steps.iter().rev().zip(keys.into_iter().rev()) {
            match key? {
                Some(key) if is_identifier(&key) => {
                    let _ = write!(path, ".{key}");
                }
                Some(key) => {
                    let quoted = serde_json::to_string(&key).unwrap_or_default();
                    let _ = write!(path, "[{quoted}]");
                }
                None => {
                    let _ = write!(path, "[{}]", index.child_index(parent, child));
                }
            }
        }
        Ok(path)
    }

    /// The size in bytes of the value, as in the body (ask before [`ValueAt::text`]).
    pub fn len(&self, access: Access) -> io::Result<u64> {
        let range = self.doc.reader(access).value_range(self.entry)?;
        Ok(range.end - range.start)
    }

    /// The value as JSON text, as in the body (a container with its original layout), if at most `limit` bytes.
    pub fn text(&self, limit: u64, access: Access) -> Result<String, ValueError> {
        let reader = self.doc.reader(access);
        let range = reader.value_range(self.entry)?;
        let len = range.end - range.start;
        if len > limit {
            return Err(ValueError::TooLarge { len, limit });
        }
        Ok(reader.text(range)?)
    }

    /// Whether reading it needs no file (the body is in memory).
    pub fn in_memory(&self) -> bool {
        self.doc.source().as_bytes().is_some()
    }
}
