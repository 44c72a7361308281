//! One document as the pane shows it (the whole body, or a filter's result): the tree, the raw lines, which of the
//! two is on screen, and the search shown in it.

use std::sync::Arc;

use crate::json::{Document, Inspector, RawText, Source};
use crate::text::escape_controls;

/// The line-number gutter of a raw line: `  7 │ `, as wide as the largest number.
pub fn raw_gutter(line: usize, line_count: usize) -> String {
    let digits = line_count.max(1).to_string().len();
    format!("{:>digits$} │ ", line + 1)
}

/// How many rows `text` takes wrapped character by character at `width` cells, rows after the first indented by
/// `indent`: the text layout's rule, which the screen wraps by too, so that scrolling knows where a long line ends.
pub fn wrapped_row_count(text: &str, width: usize, indent: usize) -> usize {
    crate::text::layout::wrap_chars(text, width, indent).len()
}

/// The raw text's lines with a cursor, for the raw view and for bodies that are not JSON.
#[derive(Debug)]
pub struct RawPane {
    pub text: RawText,
    cursor: usize,
    offset: usize,
    viewport: usize,
    /// The pane's width while lines wrap, else `None`.
    wrap_width: Option<usize>,
    /// While lines wrap: rows of the cursor's line scrolled past. A line taller than the screen (a compact JSON
    /// body is one line) is read by scrolling through it; it is then the top line.
    skip: usize,
}

impl RawPane {
    pub fn new(text: RawText) -> RawPane {
        RawPane { text, cursor: 0, offset: 0, viewport: 1, wrap_width: None, skip: 0 }
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    pub fn line_count(&self) -> usize {
        self.text.line_count()
    }

    pub(super) fn set_viewport(&mut self, height: usize) {
        self.viewport = height.max(1);
        self.follow_cursor();
    }

    /// Rows of the cursor's line scrolled past (see the field).
    pub fn skip(&self) -> usize {
        self.skip
    }

    /// Rows the cursor's line takes on screen: more than one only while lines wrap. Read from what memory holds
    /// (the core reads no file): a line of a file not read yet counts as one row until it is.
    pub fn cursor_rows(&self) -> usize {
        let Some(width) = self.wrap_width else { return 1 };
        let Ok(lines) = self.text.held_lines(self.cursor, 1) else { return 1 };
        let Some(line) = lines.first() else { return 1 };
        let gutter = raw_gutter(self.cursor, self.line_count());
        let mut text = gutter.clone() + &escape_controls(&line.text);
        if line.clipped {
            text.push('…');
        }
        wrapped_row_count(&text, width, crate::text::layout::width(&gutter))
    }

    pub(super) fn set_wrap_width(&mut self, width: Option<usize>) {
        self.wrap_width = width;
        self.skip = 0;
        self.follow_cursor();
    }

    /// Down (`delta` > 0) or up by lines; inside a line taller than the screen, by its rows first.
    pub(super) fn move_by(&mut self, delta: isize) {
        if self.scroll_within_line(delta) {
            return;
        }
        self.skip = 0;
        self.cursor = self.cursor.saturating_add_signed(delta).min(self.line_count().saturating_sub(1));
        self.follow_cursor();
    }

    /// Scrolls the rows of a tall cursor line; false when there is nothing more of it that way.
    fn scroll_within_line(&mut self, delta: isize) -> bool {
        if self.wrap_width.is_none() || delta == 0 {
            return false;
        }
        if delta < 0 {
            if self.skip == 0 {
                return false;
            }
            self.skip = self.skip.saturating_sub(delta.unsigned_abs());
            return true;
        }
        let rows = self.cursor_rows();
        let last_skip = rows.saturating_sub(self.viewport);
        if self.skip >= last_skip {
            return false;
        }
        self.offset = self.cursor;
        self.skip = (self.skip + delta.unsigned_abs()).min(last_skip);
        true
    }

    pub(super) fn move_to(&mut self, line: usize) {
        self.skip = 0;
        self.cursor = line.min(self.line_count().saturating_sub(1));
        self.follow_cursor();
    }

    /// Like `move_to`, but a line off the screen lands mid-screen (a search match is read with its surroundings).
    pub(super) fn jump_to(&mut self, line: usize) {
        let line = line.min(self.line_count().saturating_sub(1));
        if line < self.offset || line >= self.offset + self.viewport {
            self.offset = line.saturating_sub(self.viewport / 2);
        }
        self.move_to(line);
    }

    /// In a line taller than the screen, scrolls to the row holding the first `query` (ASCII case ignored, as the
    /// line search does), so a search match inside a long line is seen.
    pub(super) fn reveal_in_line(&mut self, query: &str) {
        let Some(width) = self.wrap_width else { return };
        if query.is_empty() || self.cursor_rows() <= self.viewport {
            return;
        }
        let Ok(lines) = self.text.held_lines(self.cursor, 1) else { return };
        let Some(line) = lines.first() else { return };
        let text = escape_controls(&line.text).to_ascii_lowercase();
        let Some(at) = text.find(&query.to_ascii_lowercase()) else { return };
        let gutter = raw_gutter(self.cursor, self.line_count());
        let row =
            wrapped_row_count(&format!("{gutter}{}", &text[..at]), width, crate::text::layout::width(&gutter)) - 1;
        let last_skip = self.cursor_rows().saturating_sub(self.viewport);
        self.offset = self.cursor;
        self.skip = row.saturating_sub(self.viewport / 2).min(last_skip);
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        if self.scroll_within_line(delta) {
            return;
        }
        self.skip = 0;
        let max_offset = self.line_count().saturating_sub(self.viewport);
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        self.cursor =
            self.cursor.clamp(self.offset, self.offset + self.viewport - 1).min(self.line_count().saturating_sub(1));
    }

    fn follow_cursor(&mut self) {
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.viewport {
            self.offset = self.cursor + 1 - self.viewport;
        }
        self.offset = self.offset.min(self.line_count().saturating_sub(self.viewport));
    }
}

/// The lines of the raw text that hold the query, and the one `n` / `N` last went to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LineMatches {
    pub lines: Vec<usize>,
    pub current: Option<usize>,
}

/// A document in the pane.
#[derive(Debug)]
pub struct DocView {
    pub source: Source,
    /// The tree, when the body is JSON.
    pub tree: Option<Inspector>,
    /// The lines, once counted (at once for text; on the first `r` for JSON).
    pub raw: Option<RawPane>,
    /// `r` is on (a body that is not JSON is always shown raw).
    pub raw_mode: bool,
    /// The search shown in this view (its tree results live in the inspector).
    pub query: Option<String>,
    pub line_matches: Option<LineMatches>,
}

impl DocView {
    pub fn json(doc: Arc<Document>) -> DocView {
        DocView {
            source: doc.source().clone(),
            tree: Some(Inspector::new(doc)),
            raw: None,
            raw_mode: false,
            query: None,
            line_matches: None,
        }
    }

    pub fn text(raw: RawText) -> DocView {
        DocView {
            source: raw.source().clone(),
            tree: None,
            raw: Some(RawPane::new(raw)),
            raw_mode: true,
            query: None,
            line_matches: None,
        }
    }

    /// Whether the lines are on screen rather than the tree.
    pub fn showing_raw(&self) -> bool {
        self.raw_mode || self.tree.is_none()
    }

    pub(super) fn set_viewport(&mut self, height: usize) {
        if let Some(tree) = &mut self.tree {
            tree.set_viewport(height);
        }
        if let Some(raw) = &mut self.raw {
            raw.set_viewport(height);
        }
    }

    pub(super) fn set_wrap_width(&mut self, width: Option<usize>) {
        if let Some(raw) = &mut self.raw {
            raw.set_wrap_width(width);
        }
    }

    /// The document under the tree, for search and filter.
    pub fn document(&self) -> Option<&Arc<Document>> {
        self.tree.as_ref().map(Inspector::document)
    }

    /// Whether this view has search results for its query in the mode on screen.
    pub(super) fn has_results(&self) -> bool {
        if self.showing_raw() {
            self.line_matches.is_some()
        } else {
            self.tree.as_ref().is_some_and(|t| t.search().is_some())
        }
    }

    pub(super) fn clear_search(&mut self) {
        self.query = None;
        self.line_matches = None;
        if let Some(tree) = &mut self.tree {
            tree.set_search(None);
        }
    }

    /// `(current, count)` of the search in the mode on screen, once its results are in.
    pub fn match_position(&self) -> Option<(Option<usize>, usize)> {
        if self.showing_raw() {
            self.line_matches.as_ref().map(|m| (m.current.map(|i| i + 1), m.lines.len()))
        } else {
            let tree = self.tree.as_ref()?;
            tree.search().map(|s| (tree.current_match(), s.count()))
        }
    }

    /// To the next (or previous) line holding the query, wrapping around. False when none does.
    pub(super) fn step_line_match(&mut self, forward: bool) -> bool {
        let (Some(matches), Some(raw)) = (&mut self.line_matches, &mut self.raw) else { return false };
        let count = matches.lines.len();
        if count == 0 {
            return false;
        }
        let here = raw.cursor();
        let i = if forward {
            let after = matches.lines.partition_point(|&l| l <= here);
            if after == count { 0 } else { after }
        } else {
            let before = matches.lines.partition_point(|&l| l < here);
            if before == 0 { count - 1 } else { before - 1 }
        };
        matches.current = Some(i);
        raw.jump_to(matches.lines[i]);
        if let Some(query) = &self.query {
            raw.reveal_in_line(query);
        }
        true
    }
}
