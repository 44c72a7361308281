//! Cursor, scroll and fold state over a document; hands the screen only the rows it shows.
//!
//! Rows are the visible entries in document order. Which entries are visible is a bit set with rank/select
//! ([`RankedBits`]), so row ↔ entry is a few steps at any size, and folding is a range of bits. Cursor and scroll
//! are row numbers, mapped back to entries when folds change so the cursor stays on its value.

mod carry;
mod fold;
mod navigate;

pub use navigate::{ValueAt, ValueError};

use std::io;
use std::sync::Arc;

use super::Document;
use super::bits::RankedBits;
use super::index::EntryId;
use super::row::{Row, RowHit, RowToken};
use super::search::SearchResults;
use super::source::Access;
use super::token::{Kind, ROW_TEXT_LIMIT, Reader};

/// View state over a document.
#[derive(Debug)]
pub struct Inspector {
    doc: Arc<Document>,
    /// A bit per entry: shown as a row (no folded container around it).
    visible: RankedBits,
    /// A bit per non-empty container: folded (kept for hidden ones too, so unfolding a parent restores them).
    folded: RankedBits,
    cursor: usize,
    offset: usize,
    viewport: usize,
    /// Boxed: the inspector sits in the app state's enums, which should stay small.
    search: Option<Box<SearchResults>>,
    /// Position in the search results of the match last jumped to.
    current_match: Option<usize>,
}

impl Inspector {
    /// Opens a document with the root and its first child expanded, everything else folded.
    pub fn new(doc: Arc<Document>) -> Inspector {
        let entries = doc.entry_count() as usize;
        let mut folded = RankedBits::new(entries);
        folded.copy_from_words(&doc.index.opens);
        if entries > 1 {
            folded.set_range(0, 2, false);
        }
        let mut ins = Inspector {
            doc,
            visible: RankedBits::new(entries),
            folded,
            cursor: 0,
            offset: 0,
            viewport: 1,
            search: None,
            current_match: None,
        };
        ins.rebuild_visible();
        ins
    }

    pub fn document(&self) -> &Arc<Document> {
        &self.doc
    }

    pub fn row_count(&self) -> usize {
        self.visible.ones()
    }

    /// Rows `start..start + count` (fewer at the end), reading the file if the body is in one: for jobs, the CLI and
    /// tests.
    pub fn rows(&self, start: usize, count: usize) -> io::Result<Vec<Row>> {
        match self.read_rows(start, count, Access::Direct) {
            (rows, None) => Ok(rows),
            (_, Some(e)) => Err(e),
        }
    }

    /// Rows `start..start + count` from what memory holds (the screen's way): the rows before the first that could
    /// not be read, and why that one could not (see [`crate::json::is_not_read`]).
    pub fn held_rows(&self, start: usize, count: usize) -> (Vec<Row>, Option<io::Error>) {
        self.read_rows(start, count, Access::Held)
    }

    fn read_rows(&self, start: usize, count: usize, access: Access) -> (Vec<Row>, Option<io::Error>) {
        let index = &self.doc.index;
        let mut rows = Vec::with_capacity(count.min(256));
        let Some(mut e) = self.visible.select(start).and_then(|e| EntryId::try_from(e).ok()) else {
            return (rows, None);
        };
        let mut depth = index.depth(e);
        let mut missed: Option<io::Error> = None;
        let mut seen = 0;
        while seen < count {
            seen += 1;
            match self.row(e, depth, self.doc.reader(access)) {
                Ok(row) if missed.is_none() => rows.push(row),
                Ok(_) => {}
                // A page not read yet: the rows below are still asked for (and dropped), so that one job reads
                // every page this screen needs, not one round per row.
                Err(error) if super::source::is_not_read(&error) => {
                    missed.get_or_insert(error);
                }
                Err(error) => return (rows, Some(missed.unwrap_or(error))),
            }
            let expanded = index.is_open(e) && !self.folded.get(e as usize);
            let next = if index.is_open(e) && !expanded { index.close_of(e) + 1 } else { e + 1 };
            if next >= index.len() {
                break;
            }
            if expanded {
                depth += 1;
            } else if index.is_close(next) {
                depth = depth.saturating_sub(1);
            }
            e = next;
        }
        (rows, missed)
    }

    fn row(&self, e: EntryId, depth: usize, reader: Reader<'_>) -> io::Result<Row> {
        let index = &self.doc.index;
        let follows = |last: EntryId| last + 1 < index.len() && !index.is_close(last + 1);
        let (key, token, comma) = match reader.kind(e)? {
            Kind::Close(container) => (None, RowToken::Close(container), follows(e)),
            Kind::Container(container) if index.is_open(e) && !self.folded.get(e as usize) => {
                (reader.key(e)?, RowToken::Open(container), false)
            }
            Kind::Container(container) => {
                let children = index.children(e) as usize;
                (reader.key(e)?, RowToken::Folded { container, children }, follows(index.last_of(e)))
            }
            Kind::Scalar(kind) => {
                let text = reader.scalar_text(e, ROW_TEXT_LIMIT)?;
                (reader.key(e)?, RowToken::Scalar { kind, text }, follows(e))
            }
        };
        Ok(Row { depth, key, token, comma, hit: self.hit(e) })
    }

    fn hit(&self, e: EntryId) -> RowHit {
        let Some(search) = &self.search else {
            return RowHit::default();
        };
        match search.position(e) {
            Some(i) => {
                let (key, value) = search.parts(i);
                RowHit { key, value, current: self.current_match == Some(i) }
            }
            None => RowHit::default(),
        }
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Tells the inspector how many rows the screen shows, so the cursor stays visible.
    pub fn set_viewport(&mut self, height: usize) {
        self.viewport = height.max(1);
        self.follow_cursor();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.row_count().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.follow_cursor();
    }

    pub fn page(&mut self, down: bool) {
        let step = isize::try_from(self.viewport.saturating_sub(1).max(1)).unwrap_or(isize::MAX);
        self.move_by(if down { step } else { -step });
    }

    pub fn top(&mut self) {
        self.cursor = 0;
        self.follow_cursor();
    }

    pub fn bottom(&mut self) {
        self.cursor = self.row_count().saturating_sub(1);
        self.follow_cursor();
    }

    /// Scrolls the view (mouse wheel) and keeps the cursor inside it.
    pub fn scroll_by(&mut self, delta: isize) {
        let rows = self.row_count();
        let max_offset = rows.saturating_sub(self.viewport);
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        self.cursor = self.cursor.clamp(self.offset, self.offset + self.viewport - 1);
        self.cursor = self.cursor.min(rows.saturating_sub(1));
    }

    fn follow_cursor(&mut self) {
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.viewport {
            self.offset = self.cursor + 1 - self.viewport;
        }
        self.offset = self.offset.min(self.row_count().saturating_sub(self.viewport));
    }

    /// The entry under the cursor.
    pub(crate) fn cursor_entry(&self) -> EntryId {
        self.visible.select(self.cursor).and_then(|e| EntryId::try_from(e).ok()).unwrap_or(0)
    }

    /// Puts the cursor on a visible entry.
    fn set_cursor_entry(&mut self, e: EntryId) {
        self.cursor = self.visible.rank(e as usize);
        self.follow_cursor();
    }

    /// Memory held by the fold state, in bytes (the document's is [`Document::index_bytes`]).
    pub fn state_bytes(&self) -> usize {
        self.visible.heap_bytes() + self.folded.heap_bytes()
    }
}

#[cfg(test)]
mod tests;
