//! The endpoint list: the catalogue, the filter and the cursor.

use std::sync::Arc;

use ratatui::layout::Rect;
use ratatui_textarea::TextArea;

use crate::api::{Catalogue, Operation};
use crate::workspace::SavedRequest;

/// One row of the list: the saved requests' heading or one of them (by index into `saved`), a tag heading or an
/// operation (by index into `catalogue.operations`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ListRow {
    SavedHeading,
    Saved(usize),
    Tag(usize),
    Operation(usize),
}

/// What the cursor is on: a saved request or an operation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Selection {
    Saved(usize),
    Operation(usize),
}

#[derive(Debug)]
pub struct CatalogueState {
    pub catalogue: Arc<Catalogue>,
    /// Lower-cased `method path summary` of each operation, made once so filtering is cheap per key.
    haystacks: Vec<String>,
    /// The filter in force (kept after `Enter`).
    pub filter: String,
    /// The filter being typed, while `/` is active.
    pub filter_input: Option<TextArea<'static>>,
    /// Operations that pass the filter, in catalogue order.
    pub visible: Vec<usize>,
    /// The profile's saved requests, their own group at the top.
    pub saved: Vec<SavedRequest>,
    /// Saved requests that pass the filter, in their order.
    pub saved_visible: Vec<usize>,
    /// Index into the saved requests that pass the filter, then `visible`.
    pub cursor: usize,
    /// First list row shown.
    pub offset: usize,
    pub height: usize,
    /// Set while a spec loads in the background: what is being loaded.
    pub loading: Option<String>,
    /// Why the spec from a URL did not load: the built-in catalogue stays, and the pane keeps saying why.
    pub load_failed: Option<String>,
}

impl CatalogueState {
    pub fn new(catalogue: Arc<Catalogue>) -> CatalogueState {
        let haystacks = catalogue
            .operations
            .iter()
            .map(|op| format!("{} {} {}", op.method, op.path, op.summary).to_lowercase())
            .collect();
        let visible = (0..catalogue.operations.len()).collect();
        CatalogueState {
            catalogue,
            haystacks,
            filter: String::new(),
            filter_input: None,
            visible,
            saved: Vec::new(),
            saved_visible: Vec::new(),
            cursor: 0,
            offset: 0,
            height: 1,
            loading: None,
            load_failed: None,
        }
    }

    pub fn selected(&self) -> Option<&Operation> {
        self.selected_index().and_then(|i| self.catalogue.operations.get(i))
    }

    /// What the cursor is on.
    pub fn selection(&self) -> Option<Selection> {
        let saved = self.saved_visible.len();
        if self.cursor < saved {
            return self.saved_visible.get(self.cursor).map(|&i| Selection::Saved(i));
        }
        self.visible.get(self.cursor - saved).map(|&i| Selection::Operation(i))
    }

    /// Where the selected operation is in the catalogue (for a saved request: the operation it is for, when the
    /// catalogue has it).
    pub fn selected_index(&self) -> Option<usize> {
        match self.selection()? {
            Selection::Operation(i) => Some(i),
            Selection::Saved(i) => self.operation_of(self.saved.get(i)?),
        }
    }

    /// The catalogue's operation a saved request is for.
    pub fn operation_of(&self, saved: &SavedRequest) -> Option<usize> {
        let key = saved.operation_key();
        self.catalogue.operations.iter().position(|op| op.key().0 == key)
    }

    /// How many rows the cursor can be on.
    fn entries(&self) -> usize {
        self.saved_visible.len() + self.visible.len()
    }

    /// The rows to draw: the saved requests under their heading, then each tag heading followed by its visible
    /// operations.
    pub fn rows(&self) -> Vec<ListRow> {
        let mut rows = Vec::with_capacity(self.entries() + self.catalogue.tags.len() + 1);
        if !self.saved_visible.is_empty() {
            rows.push(ListRow::SavedHeading);
            rows.extend(self.saved_visible.iter().map(|&i| ListRow::Saved(i)));
        }
        let mut last_tag: Option<&str> = None;
        for &i in &self.visible {
            let op = &self.catalogue.operations[i];
            if last_tag != Some(op.tag.as_str()) {
                let tag = self.catalogue.tags.iter().position(|t| t.name == op.tag).unwrap_or(usize::MAX);
                rows.push(ListRow::Tag(tag));
                last_tag = Some(op.tag.as_str());
            }
            rows.push(ListRow::Operation(i));
        }
        rows
    }

    /// The list row the cursor is on.
    pub fn cursor_row(&self) -> usize {
        let target = match self.selection() {
            Some(Selection::Saved(i)) => ListRow::Saved(i),
            Some(Selection::Operation(i)) => ListRow::Operation(i),
            None => return 0,
        };
        self.rows().iter().position(|r| *r == target).unwrap_or(0)
    }

    /// The row the cursor is on, as drawn.
    pub fn selected_row(&self) -> Option<ListRow> {
        Some(match self.selection()? {
            Selection::Saved(i) => ListRow::Saved(i),
            Selection::Operation(i) => ListRow::Operation(i),
        })
    }

    /// Takes the profile's saved requests (they arrived, or changed), keeping the cursor on what it was on.
    pub fn set_saved(&mut self, saved: Vec<SavedRequest>) {
        let was = self.selection().and_then(|s| match s {
            Selection::Saved(i) => self.saved.get(i).map(|r| r.name.clone()),
            Selection::Operation(_) => None,
        });
        let operation = match self.selection() {
            Some(Selection::Operation(i)) => Some(i),
            _ => None,
        };
        self.saved = saved;
        self.refilter_saved();
        if let Some(name) = was
            && let Some(i) = self.saved.iter().position(|r| r.name == name)
        {
            self.select_saved(i);
        } else if let Some(i) = operation {
            self.select_operation(i);
        }
        self.cursor = self.cursor.min(self.entries().saturating_sub(1));
        self.follow_cursor();
    }

    fn refilter_saved(&mut self) {
        let needle = self.active_filter().trim().to_lowercase();
        self.saved_visible = (0..self.saved.len())
            .filter(|&i| {
                let r = &self.saved[i];
                format!("{} {} {}", r.name, r.method, r.path).to_lowercase().contains(&needle)
            })
            .collect();
    }

    pub fn select_saved(&mut self, index: usize) {
        if let Some(pos) = self.saved_visible.iter().position(|&i| i == index) {
            self.cursor = pos;
            self.follow_cursor();
        }
    }

    /// The text the filter currently applies (what is being typed, else what was kept).
    pub fn active_filter(&self) -> &str {
        match &self.filter_input {
            Some(input) => input.lines().first().map_or("", String::as_str),
            None => &self.filter,
        }
    }

    /// Applies the active filter: case-insensitive substring of method, path or summary, catalogue order kept, and
    /// the cursor on the first match.
    pub fn refilter(&mut self) {
        let needle = self.active_filter().trim().to_lowercase();
        self.visible = (0..self.haystacks.len()).filter(|&i| self.haystacks[i].contains(&needle)).collect();
        self.refilter_saved();
        self.cursor = 0;
        self.offset = 0;
        self.follow_cursor();
    }

    pub fn move_by(&mut self, delta: isize) {
        if self.entries() == 0 {
            return;
        }
        self.cursor = self.cursor.saturating_add_signed(delta).min(self.entries() - 1);
        self.follow_cursor();
    }

    pub fn select_operation(&mut self, index: usize) {
        if let Some(pos) = self.visible.iter().position(|&i| i == index) {
            self.cursor = self.saved_visible.len() + pos;
            self.follow_cursor();
        }
    }

    /// Scrolls the list without moving past its ends; the cursor is pulled along so it stays visible.
    pub fn scroll_by(&mut self, delta: isize) {
        let rows = self.rows();
        let max_offset = rows.len().saturating_sub(self.height);
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        let cursor_row = self.cursor_row();
        let wanted = cursor_row.clamp(self.offset, self.offset + self.height.saturating_sub(1));
        if wanted != cursor_row {
            // Nearest row the cursor can be on at or after (or before) the wanted row.
            let found = rows[wanted..].iter().chain(rows[..wanted].iter().rev()).find_map(|r| match r {
                ListRow::Operation(i) => self.visible.iter().position(|v| v == i).map(|p| p + self.saved_visible.len()),
                ListRow::Saved(i) => self.saved_visible.iter().position(|v| v == i),
                ListRow::Tag(_) | ListRow::SavedHeading => None,
            });
            if let Some(position) = found {
                self.cursor = position;
            }
        }
    }

    /// Fits the list into its rows (the layout's `catalogue_list`).
    pub(super) fn fit(&mut self, list: Rect) {
        self.height = usize::from(list.height).max(1);
        self.follow_cursor();
    }

    fn follow_cursor(&mut self) {
        let row = self.cursor_row();
        // Show the tag heading above the first operation of a group when scrolling up to it.
        let top = if self.cursor == 0 { 0 } else { row };
        if top < self.offset {
            self.offset = top;
        } else if row >= self.offset + self.height {
            self.offset = row + 1 - self.height;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Method, Tag};

    fn op(method: Method, path: &str, tag: &str, summary: &str) -> Operation {
        Operation { tag: tag.into(), summary: summary.into(), ..Operation::bare(method, path) }
    }

    fn state() -> CatalogueState {
        let catalogue = Catalogue {
            tags: vec![Tag::new("users", ""), Tag::new("orgs", "")],
            operations: vec![
                op(Method::Get, "/users/me", "users", "Get me"),
                op(Method::Get, "/organizations", "orgs", "List organizations"),
                op(Method::Post, "/organizations", "orgs", "Add an organization"),
                op(Method::Delete, "/organizations/{id}", "orgs", "Delete one"),
            ],
            ..Catalogue::default()
        };
        CatalogueState::new(Arc::new(catalogue))
    }

    #[test]
    fn rows_put_a_heading_before_each_group() {
        let s = state();
        assert_eq!(
            s.rows(),
            vec![
                ListRow::Tag(0),
                ListRow::Operation(0),
                ListRow::Tag(1),
                ListRow::Operation(1),
                ListRow::Operation(2),
                ListRow::Operation(3)
            ]
        );
    }

    #[test]
    fn filter_matches_method_path_or_summary_ignoring_case() {
        let mut s = state();
        s.filter = "ORGANIZATION".into();
        s.refilter();
        assert_eq!(s.visible, vec![1, 2, 3]);
        s.filter = "delete".into();
        s.refilter();
        assert_eq!(s.visible, vec![3]);
        s.filter = "add an".into();
        s.refilter();
        assert_eq!(s.visible, vec![2]);
        assert_eq!(s.cursor, 0);
    }

    #[test]
    fn cursor_stays_within_the_list_and_view() {
        let mut s = state();
        s.height = 2;
        s.move_by(10);
        assert_eq!(s.cursor, 3);
        assert_eq!(s.offset, 4, "the last row is visible");
        s.move_by(-10);
        assert_eq!((s.cursor, s.offset), (0, 0));
    }
}
