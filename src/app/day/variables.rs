//! Variables: `{{name}}` in any field is replaced by its value when the request goes; a path or query parameter of
//! the same name is filled from it. The Variables view lists them (change, add, remove); from the inspector, one key
//! keeps the value under the cursor under a name offered from its key and the catalogue's parameter names.

use super::prompt::{NamePrompt, PromptPurpose};
use super::{DayView, Written};
use crate::app::effect::Effect;
use crate::app::inspector::{CursorReadError, CursorText, ReadFor, Reading};
use crate::app::keys::{ExplorerCommand, VariablesCommand};
use crate::app::state::State;
use crate::workspace::variables::valid_name;

/// The view's cursor over the variables, in name order.
#[derive(Debug, Default)]
pub struct VariablesView {
    pub cursor: usize,
    pub offset: usize,
    pub height: usize,
}

impl VariablesView {
    pub(in crate::app) fn fit(&mut self, height: u16, len: usize) {
        self.height = usize::from(height).max(1);
        self.cursor = self.cursor.min(len.saturating_sub(1));
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.height {
            self.offset = self.cursor + 1 - self.height;
        }
    }
}

/// The variables key: opens the view, or closes it.
pub(in crate::app) fn toggle(state: &mut State) {
    if matches!(state.day.view, Some(DayView::Variables(_))) {
        state.day.view = None;
        return;
    }
    crate::app::update::leave_text(state);
    state.day.view = Some(DayView::Variables(VariablesView::default()));
}

/// The name under the view's cursor.
fn selected(state: &State) -> Option<(String, String)> {
    let Some(DayView::Variables(view)) = &state.day.view else { return None };
    state.day.variables.iter().nth(view.cursor).map(|(n, v)| (n.to_string(), v.to_string()))
}

pub(in crate::app) fn variables_command(state: &mut State, command: VariablesCommand) -> Vec<Effect> {
    match command {
        VariablesCommand::Add => {
            if state.may_write(Written::Variables) {
                state.day.prompt = Some(NamePrompt::new(PromptPurpose::AddVariable, "name = value", "", Vec::new()));
            }
        }
        VariablesCommand::Edit => {
            let Some((name, value)) = selected(state) else {
                let add = state.keys.variables.name(VariablesCommand::Add);
                state.info(format!("No variables yet: {add} adds one"));
                return Vec::new();
            };
            if state.may_write(Written::Variables) {
                let label = format!("{name} =");
                state.day.prompt =
                    Some(NamePrompt::new(PromptPurpose::EditVariable { name }, &label, &value, Vec::new()));
            }
        }
        VariablesCommand::Remove => {
            let Some((name, _)) = selected(state) else { return Vec::new() };
            if state.may_write(Written::Variables) {
                state.day.variables.remove(&name);
                state.info(format!("Removed the variable {name}"));
                return vec![state.save_variables_effect()];
            }
        }
    }
    Vec::new()
}

/// An explorer key while the view is open: the list moves, Esc closes it.
pub(in crate::app) fn explorer_key(state: &mut State, command: ExplorerCommand) -> bool {
    use ExplorerCommand as C;
    let len = state.day.variables.len();
    let Some(DayView::Variables(view)) = &mut state.day.view else { return false };
    let last = len.saturating_sub(1);
    match command {
        C::Up => view.cursor = view.cursor.saturating_sub(1),
        C::Down => view.cursor = (view.cursor + 1).min(last),
        C::PageUp | C::Top => view.cursor = 0,
        C::PageDown | C::Bottom => view.cursor = last,
        C::Back => state.day.view = None,
        _ => return false,
    }
    true
}

/// Sets `name` to `value` and writes the variables.
pub(super) fn set(state: &mut State, name: &str, value: &str) -> Vec<Effect> {
    if !valid_name(name) {
        state.error(format!("“{name}” cannot be a variable's name: letters, digits, _, - and . only"));
        return Vec::new();
    }
    if !state.may_write(Written::Variables) {
        return Vec::new();
    }
    state.day.variables.set(name, value);
    let shown: String = value.chars().take(40).collect();
    state.info(format!("{{{{{name}}}}} = {shown} — kept for this profile"));
    vec![state.save_variables_effect()]
}

/// The set-variable key in the response pane: the value under the inspector's cursor (read by a job when the
/// body is a file, answered in [`variable_value_read`]), a name offered.
pub(in crate::app) fn set_variable_from_inspector(state: &mut State) -> Vec<Effect> {
    let now = state.now;
    let Some(pane) = state.response.pane_mut() else {
        state.info("No response body to take a value from");
        return Vec::new();
    };
    match pane.read_under_cursor(ReadFor::Variable, now) {
        Some(Reading::Now(result)) => variable_value_read(state, result),
        Some(Reading::Job(effect)) => vec![effect],
        None => Vec::new(),
    }
}

/// The value under the inspector's cursor, read: offers a variable name for it.
pub(in crate::app) fn variable_value_read(
    state: &mut State,
    result: Result<Option<CursorText>, CursorReadError>,
) -> Vec<Effect> {
    let found = match result {
        Ok(Some(found)) => found,
        Ok(None) => return Vec::new(),
        Err(error) => {
            let message = state.response.pane().map(|p| p.read_error_message(&error)).unwrap_or_default();
            state.error(message);
            return Vec::new();
        }
    };
    // A JSON string is kept without its quotes: `{{id}}` goes into a path as the id itself.
    let value = match serde_json::from_str::<serde_json::Value>(&found.text) {
        Ok(serde_json::Value::String(s)) if found.path.is_some() => s,
        _ => found.text,
    };
    let path = found.path;
    if !state.may_write(Written::Variables) {
        return Vec::new();
    }
    let template = state.response.shown.as_ref().and_then(|s| s.sent.as_ref()).and_then(|s| s.path_template.clone());
    let suggestions = crate::workspace::names::suggest(
        path.as_deref().unwrap_or("$"),
        template.as_deref(),
        &state.catalogue.catalogue,
    );
    let first = suggestions.first().cloned().unwrap_or_default();
    let label = "Variable name";
    state.day.prompt = Some(NamePrompt::new(PromptPurpose::SetVariable { value }, label, &first, suggestions));
    Vec::new()
}
