//! Saving the request as edited under a name, saving it again, renaming and deleting: the saved requests are their
//! own group at the top of the endpoint list, and their file is written after each change.

use super::Written;
use super::prompt::{NamePrompt, PromptPurpose};
use crate::app::catalogue::Selection;
use crate::app::effect::Effect;
use crate::app::keys::{CatalogueCommand, ExplorerCommand};
use crate::app::profiles::Question;
use crate::app::state::State;
use crate::app::update::leave_text;

/// The save key: a saved request on show is saved again; anything else asks for a name.
pub(in crate::app) fn save_request(state: &mut State) -> Vec<Effect> {
    leave_text(state);
    let Some(op) = state.operation().cloned() else {
        state.error("No request to save: select an endpoint first");
        return Vec::new();
    };
    if !state.may_write(Written::SavedRequests) {
        return Vec::new();
    }
    if let Some(name) = state.editor.saved.clone()
        && state.catalogue.saved.iter().any(|r| r.name == name)
    {
        return store(state, &name, &op, "updated");
    }
    let offered = if op.summary.is_empty() { format!("{} {}", op.method, op.path) } else { op.summary.clone() };
    state.day.prompt = Some(NamePrompt::new(PromptPurpose::SaveRequest, "Save as", &offered, Vec::new()));
    Vec::new()
}

/// Saves the request on show as `name` (replacing a saved request of that name).
pub(super) fn save_as(state: &mut State, name: &str) -> Vec<Effect> {
    if name.is_empty() {
        state.error("A saved request needs a name");
        return Vec::new();
    }
    let Some(op) = state.operation().cloned() else { return Vec::new() };
    let replaced = state.catalogue.saved.iter().any(|r| r.name == name);
    store(state, name, &op, if replaced { "replaced" } else { "saved" })
}

fn store(state: &mut State, name: &str, op: &crate::api::Operation, done: &str) -> Vec<Effect> {
    let Some(draft) = state.editor.draft() else { return Vec::new() };
    let request = draft.to_saved(name, op);
    let mut saved = state.catalogue.saved.clone();
    match saved.iter_mut().find(|r| r.name == name) {
        Some(existing) => *existing = request,
        None => saved.push(request),
    }
    // The draft on show is the saved request's from now on.
    if let Some(draft) = state.editor.draft().cloned() {
        state.editor.saved = Some(name.to_string());
        state.editor.replace_draft(draft);
    }
    state.catalogue.set_saved(saved);
    if let Some(i) = state.catalogue.saved.iter().position(|r| r.name == name) {
        state.catalogue.select_saved(i);
    }
    state.follow_selection();
    state.info(format!(
        "Request “{name}” {done} (saving again with {} updates it)",
        state.keys.explorer.name(ExplorerCommand::SaveRequest)
    ));
    vec![state.save_requests_effect()]
}

/// The rename key, on a saved request.
pub(in crate::app) fn rename_saved(state: &mut State) -> Vec<Effect> {
    let Some(name) = selected_saved(state, CatalogueCommand::RenameSaved) else { return Vec::new() };
    if state.may_write(Written::SavedRequests) {
        state.day.prompt =
            Some(NamePrompt::new(PromptPurpose::RenameSaved { from: name.clone() }, "Rename to", &name, Vec::new()));
    }
    Vec::new()
}

pub(super) fn rename(state: &mut State, from: &str, to: &str) -> Vec<Effect> {
    if to.is_empty() || to == from {
        return Vec::new();
    }
    if state.catalogue.saved.iter().any(|r| r.name == to) {
        state.error(format!("There is a saved request named “{to}” already: pick another name"));
        return Vec::new();
    }
    let mut saved = state.catalogue.saved.clone();
    let Some(request) = saved.iter_mut().find(|r| r.name == from) else { return Vec::new() };
    request.name = to.to_string();
    let key = crate::api::OperationKey(request.operation_key());
    state.editor.rename_saved(&key, from, Some(to));
    state.catalogue.set_saved(saved);
    if let Some(i) = state.catalogue.saved.iter().position(|r| r.name == to) {
        state.catalogue.select_saved(i);
    }
    state.follow_selection();
    state.info(format!("Renamed “{from}” to “{to}”"));
    vec![state.save_requests_effect()]
}

/// The delete key, on a saved request: asks first.
pub(in crate::app) fn delete_saved(state: &mut State) -> Vec<Effect> {
    let Some(name) = selected_saved(state, CatalogueCommand::DeleteSaved) else { return Vec::new() };
    if state.may_write(Written::SavedRequests) {
        state.question = Some(Question::DeleteSaved { name });
    }
    Vec::new()
}

pub(super) fn delete(state: &mut State, name: &str) -> Vec<Effect> {
    let mut saved = state.catalogue.saved.clone();
    let Some(at) = saved.iter().position(|r| r.name == name) else { return Vec::new() };
    let request = saved.remove(at);
    state.editor.rename_saved(&crate::api::OperationKey(request.operation_key()), name, None);
    state.catalogue.set_saved(saved);
    state.follow_selection();
    state.info(format!("Deleted the saved request “{name}”"));
    vec![state.save_requests_effect()]
}

/// The saved request under the cursor, or a word on what the key is for.
fn selected_saved(state: &mut State, command: CatalogueCommand) -> Option<String> {
    if let Some(Selection::Saved(i)) = state.catalogue.selection() {
        return state.catalogue.saved.get(i).map(|r| r.name.clone());
    }
    let key = state.keys.catalogue.name(command);
    state.info(format!("{key} is for a saved request: they are listed first, under Saved"));
    None
}
