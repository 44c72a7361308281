//! The request editor: a draft per operation (path, query, headers, body), kept while the program runs.

use std::collections::HashMap;

use ratatui::layout::Rect;
use ratatui::style::Style;
use ratatui_textarea::{CursorMove, TextArea};

use crate::api::request::RequestValues;
use crate::api::{Catalogue, Operation, OperationKey, ParamLocation};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Section {
    Path,
    Query,
    Header,
}

impl Section {
    pub fn title(self) -> &'static str {
        match self {
            Section::Path => "Path",
            Section::Query => "Query",
            Section::Header => "Headers",
        }
    }
}

/// One editable value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Field {
    pub section: Section,
    pub name: String,
    pub value: String,
    pub required: bool,
    /// Shown dim when the value is empty: an example, the allowed values, or the description.
    pub hint: String,
    /// Added by the person (a header), so it can be removed again.
    pub custom: bool,
}

/// What a person has typed for one operation.
#[derive(Debug, Clone)]
pub struct Draft {
    pub fields: Vec<Field>,
    pub body: Option<TextArea<'static>>,
    pub body_type: String,
}

/// A row of the editor's list.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditorRow {
    Server,
    /// A variable of the selected server's URL, by its place in [`ServerVars::fields`].
    ServerVariable(usize),
    Heading(Section),
    Field(usize),
    AddHeader,
    Body,
}

impl EditorRow {
    fn selectable(self) -> bool {
        !matches!(self, EditorRow::Heading(_))
    }
}

/// What the one-line editor is changing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EditTarget {
    Field(usize),
    ServerVariable(usize),
    /// A new header, typed as `Name: value`.
    NewHeader,
}

/// What a draft is kept by: its operation, and the saved request it was opened from (each saved request has a
/// draft of its own beside the operation's).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(super) struct DraftKey {
    operation: OperationKey,
    saved: Option<String>,
}

#[derive(Debug, Default)]
pub struct EditorState {
    drafts: HashMap<DraftKey, Draft>,
    /// The operation on show: its key (which drafts are kept by, and which survives a new catalogue) and where it
    /// is in the catalogue now. The operation itself is always read from the catalogue (`State::operation`).
    pub operation: Option<(OperationKey, usize)>,
    /// The saved request on show, by name, when one is.
    pub saved: Option<String>,
    /// A saved request's operation when the catalogue has none like it (made from its method and path).
    pub bare: Option<Operation>,
    pub row: usize,
    pub offset: usize,
    pub height: usize,
    /// The one-line editor, while a value is being typed.
    pub line: Option<(EditTarget, TextArea<'static>)>,
    /// The body has the keyboard.
    pub body_active: bool,
    /// `Enter` on an operation found a required value missing: send once the last one is filled in.
    pub send_when_complete: bool,
    /// The selected server's variables, as set (kept across operations: the server is chosen for all of them).
    pub server_vars: ServerVars,
}

impl Draft {
    pub(super) fn new(op: &Operation) -> Draft {
        let mut fields: Vec<Field> = Vec::new();
        for (section, location) in [
            (Section::Path, ParamLocation::Path),
            (Section::Query, ParamLocation::Query),
            (Section::Header, ParamLocation::Header),
        ] {
            for param in op.params.iter().filter(|p| p.location == location) {
                let hint = if let Some(example) = &param.example {
                    format!("e.g. {example}")
                } else if !param.allowed.is_empty() {
                    param.allowed.join(" | ")
                } else {
                    param.description.clone()
                };
                // Path values are never prefilled: a default id would send a request nobody meant.
                let value =
                    if section == Section::Path { String::new() } else { param.default.clone().unwrap_or_default() };
                fields.push(Field {
                    section,
                    name: param.name.clone(),
                    value,
                    required: param.required || section == Section::Path,
                    hint,
                    custom: false,
                });
            }
        }
        if !fields.iter().any(|f| f.section == Section::Header && f.name.eq_ignore_ascii_case("accept")) {
            fields.push(Field {
                section: Section::Header,
                name: "Accept".into(),
                value: op.accept.clone().unwrap_or_else(|| "application/json".into()),
                required: false,
                hint: String::new(),
                custom: true,
            });
        }
        let (body, body_type) = match &op.body {
            Some(spec) => (Some(body_area(spec.example.as_deref().unwrap_or(""))), spec.content_type.clone()),
            None if op.method.takes_body() => (Some(body_area("")), "application/json".to_string()),
            None => (None, String::new()),
        };
        Draft { fields, body, body_type }
    }

    /// The values that make the URL (path and query), without copying the body: for showing where it goes.
    pub fn url_values(&self) -> RequestValues {
        let pick = |section| {
            self.fields
                .iter()
                .filter(|f| f.section == section)
                .map(|f| (f.name.clone(), f.value.clone()))
                .collect::<Vec<_>>()
        };
        RequestValues { path: pick(Section::Path), query: pick(Section::Query), ..RequestValues::default() }
    }

    /// The values to build a request from.
    pub fn values(&self) -> RequestValues {
        let headers = self
            .fields
            .iter()
            .filter(|f| f.section == Section::Header)
            .map(|f| (f.name.clone(), f.value.clone()))
            .collect();
        RequestValues { headers, body: self.body.as_ref().map(|b| b.lines().join("\n")), ..self.url_values() }
    }

    /// The first required field with no value.
    pub fn first_missing(&self) -> Option<usize> {
        self.fields.iter().position(|f| f.required && f.value.trim().is_empty())
    }
}

fn body_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(text.lines().map(str::to_string).collect());
    area.set_cursor_line_style(Style::default());
    area.set_tab_length(2);
    area
}

/// A one-line text editor holding `text`, cursor at the end.
pub(super) fn line_area(text: &str) -> TextArea<'static> {
    let mut area = TextArea::new(vec![text.to_string()]);
    area.set_cursor_line_style(Style::default());
    area.move_cursor(CursorMove::End);
    area
}

impl EditorState {
    /// Shows `op`, the catalogue's operation number `index`, making its draft on first sight; what was typed for
    /// other operations stays.
    pub fn show(&mut self, op: Option<(&Operation, usize)>) {
        self.show_draft(op, None, Draft::new);
    }

    /// Shows `op` (number `index`) with the draft kept under `saved` (or the operation's own), made by `make` on
    /// first sight.
    pub(super) fn show_draft(
        &mut self,
        op: Option<(&Operation, usize)>,
        saved: Option<&str>,
        make: impl FnOnce(&Operation) -> Draft,
    ) {
        let key = op.map(|(op, index)| (op.key(), index));
        let same =
            self.operation.as_ref().map(|(k, _)| k) == key.as_ref().map(|(k, _)| k) && self.saved.as_deref() == saved;
        self.line = None;
        self.body_active = false;
        self.send_when_complete = false;
        self.operation = key;
        self.saved = saved.map(str::to_string);
        if same {
            return;
        }
        self.row = 0;
        self.offset = 0;
        if let Some((op, _)) = op {
            let key = DraftKey { operation: op.key(), saved: self.saved.clone() };
            self.drafts.entry(key).or_insert_with(|| make(op));
        }
    }

    fn key(&self) -> Option<DraftKey> {
        let operation = self.operation.as_ref()?.0.clone();
        Some(DraftKey { operation, saved: self.saved.clone() })
    }

    pub fn draft(&self) -> Option<&Draft> {
        self.drafts.get(&self.key()?)
    }

    pub(super) fn draft_mut(&mut self) -> Option<&mut Draft> {
        let key = self.key()?;
        self.drafts.get_mut(&key)
    }

    /// Each operation's own draft (not a saved request's) whose body is still empty takes the example `catalogue`
    /// now has for it.
    pub(super) fn fill_empty_bodies(&mut self, catalogue: &Catalogue) {
        for (key, draft) in self.drafts.iter_mut().filter(|(key, _)| key.saved.is_none()) {
            let example = catalogue.find(&key.operation).and_then(|op| op.body.as_ref()?.example.as_deref());
            if let (Some(example), Some(body)) = (example, draft.body.as_mut())
                && body.lines().iter().all(String::is_empty)
            {
                *body = body_area(example);
            }
        }
    }

    /// Replaces the draft on show (a request put back from the history).
    pub(super) fn replace_draft(&mut self, draft: Draft) {
        if let Some(key) = self.key() {
            self.drafts.insert(key, draft);
            self.row = 0;
            self.offset = 0;
        }
    }

    /// The draft of saved request `from` is now kept under `to` (it was renamed), or gone (`None`: deleted).
    pub(super) fn rename_saved(&mut self, operation: &OperationKey, from: &str, to: Option<&str>) {
        let old = DraftKey { operation: operation.clone(), saved: Some(from.to_string()) };
        if let Some(draft) = self.drafts.remove(&old)
            && let Some(to) = to
        {
            self.drafts.insert(DraftKey { operation: operation.clone(), saved: Some(to.to_string()) }, draft);
        }
        if self.saved.as_deref() == Some(from) {
            self.saved = to.map(str::to_string);
        }
    }

    pub fn typing(&self) -> bool {
        self.line.is_some() || self.body_active
    }

    /// The list rows: server, then each section with a heading, the add-header row, and the body row.
    pub fn rows(&self) -> Vec<EditorRow> {
        let Some(draft) = self.draft() else { return Vec::new() };
        let mut rows = vec![EditorRow::Server];
        rows.extend((0..self.server_vars.fields.len()).map(EditorRow::ServerVariable));
        let mut section = None;
        for (i, field) in draft.fields.iter().enumerate() {
            if section != Some(field.section) {
                rows.push(EditorRow::Heading(field.section));
                section = Some(field.section);
            }
            rows.push(EditorRow::Field(i));
        }
        rows.push(EditorRow::AddHeader);
        if draft.body.is_some() {
            rows.push(EditorRow::Body);
        }
        rows
    }

    pub fn current_row(&self) -> Option<EditorRow> {
        self.rows().get(self.row).copied()
    }

    pub fn move_by(&mut self, delta: isize) {
        let rows = self.rows();
        if rows.is_empty() {
            return;
        }
        let mut row = self.row;
        let step = delta.signum();
        for _ in 0..delta.unsigned_abs() {
            let mut next = row;
            loop {
                match next.checked_add_signed(step) {
                    Some(n) if n < rows.len() => next = n,
                    _ => break,
                }
                if rows[next].selectable() {
                    row = next;
                    break;
                }
            }
        }
        self.row = row;
        self.follow_cursor();
    }

    pub fn select_field(&mut self, index: usize) {
        if let Some(pos) = self.rows().iter().position(|r| *r == EditorRow::Field(index)) {
            self.row = pos;
            self.follow_cursor();
        }
    }

    pub fn select_row(&mut self, row: usize) {
        if self.rows().get(row).is_some_and(|r| r.selectable()) {
            self.row = row;
            self.follow_cursor();
        }
    }

    /// Opens the one-line editor on `target`.
    pub(super) fn start_edit(&mut self, target: EditTarget) {
        let text = match target {
            EditTarget::Field(i) => self.draft().and_then(|d| d.fields.get(i)).map(|f| f.value.clone()),
            EditTarget::ServerVariable(i) => self.server_vars.fields.get(i).map(|f| f.value.clone()),
            EditTarget::NewHeader => Some(String::new()),
        };
        if let Some(text) = text {
            let mut area = line_area(&text);
            if target == EditTarget::NewHeader {
                area.set_placeholder_text("Name: value");
            }
            self.line = Some((target, area));
        }
    }

    /// Keeps what the one-line editor holds. Returns false when nothing was being edited.
    pub(super) fn commit_edit(&mut self) -> bool {
        let Some((target, area)) = self.line.take() else { return false };
        let text = area.lines().first().cloned().unwrap_or_default();
        if let EditTarget::ServerVariable(i) = target {
            self.server_vars.set(i, &text);
            return true;
        }
        let Some(draft) = self.draft_mut() else { return true };
        match target {
            EditTarget::ServerVariable(_) => {}
            EditTarget::Field(i) => {
                if let Some(field) = draft.fields.get_mut(i) {
                    field.value = text;
                }
            }
            EditTarget::NewHeader => {
                let (name, value) = text.split_once(':').unwrap_or((text.as_str(), ""));
                if !name.trim().is_empty() {
                    draft.fields.push(Field {
                        section: Section::Header,
                        name: name.trim().to_string(),
                        value: value.trim().to_string(),
                        required: false,
                        hint: String::new(),
                        custom: true,
                    });
                    // Keep sections together (a stable sort): the new header goes after the last one.
                    draft.fields.sort_by_key(|f| f.section as u8);
                }
            }
        }
        true
    }

    /// Removes a header the person added, or empties the value of a spec parameter; a server variable gets its
    /// default back.
    pub(super) fn clear_field(&mut self) {
        if let Some(EditorRow::ServerVariable(i)) = self.current_row() {
            self.server_vars.set(i, "");
            return;
        }
        let Some(EditorRow::Field(i)) = self.current_row() else { return };
        let Some(draft) = self.draft_mut() else { return };
        if draft.fields.get(i).is_some_and(|f| f.custom) {
            draft.fields.remove(i);
        } else if let Some(field) = draft.fields.get_mut(i) {
            field.value.clear();
        }
        let last = self.rows().len().saturating_sub(1);
        self.row = self.row.min(last);
    }

    /// Fits the list into its rows (the layout's `editor_list`).
    pub(super) fn fit(&mut self, list: Rect) {
        self.height = usize::from(list.height).max(1);
        self.follow_cursor();
    }

    /// Whether the operation on show has a body (the layout then gives it the lower half of the pane).
    pub fn has_body(&self) -> bool {
        self.draft().is_some_and(|d| d.body.is_some())
    }

    fn follow_cursor(&mut self) {
        if self.row < self.offset {
            self.offset = self.row;
        } else if self.row >= self.offset + self.height {
            self.offset = self.row + 1 - self.height;
        }
        // Grown taller (a resize): rows scrolled past come back rather than blank rows showing below.
        self.offset = self.offset.min(self.rows().len().saturating_sub(self.height));
    }
}

pub(super) mod saved;
mod server_vars;

pub use server_vars::ServerVars;

#[cfg(test)]
mod tests;
