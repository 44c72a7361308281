//! One document as the pane shows it (the whole body, or a filter's result): the tree, the raw lines, which of the
//! two is on screen, and the search shown in it.

use std::sync::Arc;

use crate::json::{Document, Inspector, RawText, Source};

/// The raw text's lines with a cursor, for the raw view and for bodies that are not JSON.
#[derive(Debug)]
pub struct RawPane {
    pub text: RawText,
    cursor: usize,
    offset: usize,
    viewport: usize,
}

impl RawPane {
    pub fn new(text: RawText) -> RawPane {
        RawPane { text, cursor: 0, offset: 0, viewport: 1 }
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

    pub(super) fn move_by(&mut self, delta: isize) {
        self.cursor = self.cursor.saturating_add_signed(delta).min(self.line_count().saturating_sub(1));
        self.follow_cursor();
    }

    pub(super) fn move_to(&mut self, line: usize) {
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

    pub(super) fn scroll_by(&mut self, delta: isize) {
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
        true
    }
}
