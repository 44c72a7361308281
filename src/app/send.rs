//! Sending: the operation on show becomes a request, after any missing required value is asked for, `{{name}}`s
//! are resolved, and the token is cleared for where it goes. A write on a profile that asks first (`confirm_writes`)
//! waits for a yes. Every request goes with what the history needs to keep it.

use std::sync::Arc;

use super::day::Sent;
use super::editor::EditTarget;
use super::effect::Effect;
use super::profiles::Question;
use super::response::InFlight;
use super::sign_in;
use super::state::{Pane, State};
use crate::api::Method;
use crate::api::client::token_may_go_to;
use crate::api::credentials::Credentials;
use crate::api::request::{BuildError, PreparedRequest, fill_path, prepare};

/// A request ready to go, with its label (`POST /organizations`) and what it was made of.
#[derive(Debug, Clone)]
pub struct Outgoing {
    pub request: PreparedRequest,
    pub label: String,
    pub sent: Sent,
}

/// Sends the operation on show, or first asks for a missing required value.
pub(super) fn send(state: &mut State) -> Vec<Effect> {
    let Some(op) = state.operation().cloned() else {
        state.error("No operation selected");
        return Vec::new();
    };
    let Some(draft) = state.editor.draft() else { return Vec::new() };
    // A required field filled from a variable of its name is not missing.
    let missing = draft.fields.iter().position(|f| {
        f.required && f.value.trim().is_empty() && state.filled_from(draft, &op, f.section, &f.name).is_none()
    });
    if let Some(missing) = missing {
        let name = draft.fields[missing].name.clone();
        ask_for(state, missing);
        let keep = state.keys.text.name(super::keys::TextCommand::Keep);
        state.info(format!("`{name}` needs a value: type it, {keep} sends"));
        return Vec::new();
    }
    let values = match state.resolved_values(draft, &op) {
        Ok(values) => values,
        Err(unresolved) => {
            let variables = state.keys.explorer.name(super::keys::ExplorerCommand::Variables);
            state.error(format!("Not sent: {unresolved} — {variables} shows the variables, or type the value"));
            return Vec::new();
        }
    };
    let label = format!("{} {}", op.method, op.path);
    // The second send of the same operation goes ahead anyway: the person was told and chose to.
    let warned = state.step_up.as_ref().is_some_and(|s| s.label == label);
    if !warned && sign_in::needs_step_up(state, &label, &op.scopes) {
        return Vec::new();
    }
    // A body that will not do is said once; sending again goes ahead, as the person chose.
    if let Some(problem) = body_problem(&op, &values)
        && state.body_warned.as_deref() != Some(label.as_str())
    {
        let send = state.keys.explorer.name(super::keys::ExplorerCommand::Send);
        state.info(format!("{problem}: {send} sends it anyway"));
        state.body_warned = Some(label);
        return Vec::new();
    }
    state.body_warned = None;
    state.editor.send_when_complete = false;
    match prepare(&op, &state.server_url(), &values) {
        Ok(request) => {
            // The response is labelled with the path as sent (`/versions/1.2.0`), not its template.
            let sent_path = fill_path(&op.path, &values.path).unwrap_or_else(|_| op.path.clone());
            let label = format!("{} {sent_path}", op.method);
            let base = (state.server == 0).then(|| state.profile.api.clone());
            let sent = Sent {
                request: request.clone(),
                operation: Some(op.key()),
                path_template: Some(op.path.clone()),
                path: values.path.clone(),
                query: values.query.clone(),
                base,
            };
            dispatch(state, Outgoing { request, label, sent })
        }
        Err(BuildError::MissingPathParam(name)) => {
            if let Some(i) = state.editor.draft().and_then(|d| d.fields.iter().position(|f| f.name == name)) {
                ask_for(state, i);
            }
            Vec::new()
        }
        Err(e) => {
            state.error(e.to_string());
            Vec::new()
        }
    }
}

/// Sends a request made elsewhere (the history's, a page a `Link` names): as it is, its token cleared as any.
pub(super) fn send_prepared(state: &mut State, mut request: PreparedRequest, label: String, sent: Sent) -> Vec<Effect> {
    request.with_token = false;
    dispatch(state, Outgoing { request, label, sent })
}

/// Clears the token for where the request goes, asks first when the profile wants that for a write, then sends.
pub(super) fn dispatch(state: &mut State, outgoing: Outgoing) -> Vec<Effect> {
    // The spec's apiKey and http credentials first: a value not given yet is asked for, and the request waits.
    let Some(mut outgoing) = super::credentials::attach(state, outgoing) else { return Vec::new() };
    // An http bearer or basic credential is the Authorization header: the session's token stays home then.
    let authorized = outgoing.request.credentials.as_ref().is_some_and(Credentials::sets_authorization);
    match token_may_go_to(&outgoing.request.url, &state.profile.api) {
        Ok(()) if authorized => {}
        // A spec paired this issuer with this API: the person says once that the token may go there.
        Ok(()) => match super::profiles::ask_trust(state, outgoing) {
            None => return Vec::new(),
            Some(back) => {
                outgoing = back;
                outgoing.request.with_token = true;
            }
        },
        Err(refusal) if state.granted_scopes().is_some() => {
            state.info(format!("Sent without your token: {refusal}"));
        }
        Err(_) => {}
    }
    outgoing.sent.request.with_token = outgoing.request.with_token;
    let writes = matches!(outgoing.request.method, Method::Post | Method::Put | Method::Patch | Method::Delete);
    let key = state.profile.store_key();
    if writes && state.profile.workspace.confirm_writes && !state.day.writes_confirmed.contains(&key) {
        state.question = Some(Question::Write(Box::new(outgoing)));
        return Vec::new();
    }
    go(state, outgoing)
}

/// Sends `outgoing` now: what was on its way is cancelled (and kept in the history as cancelled).
pub(super) fn go(state: &mut State, outgoing: Outgoing) -> Vec<Effect> {
    let mut effects = Vec::new();
    if let Some(previous) = state.response.in_flight.take() {
        effects.push(Effect::Cancel(previous.id));
    }
    let id = state.request_id();
    let Outgoing { request, label, sent } = outgoing;
    let history = state.history_record(&sent);
    // What is on show (a response or a failure) stays until the answer replaces it, or comes back on Esc.
    state.response.in_flight = Some(InFlight { id, label, started: state.now, sent: Arc::new(sent) });
    effects.push(Effect::Send { id, request, history });
    effects
}

/// What is wrong with the body about to be sent, if anything is.
fn body_problem(op: &crate::api::Operation, values: &crate::api::request::RequestValues) -> Option<String> {
    let spec = op.body.as_ref()?;
    let text = values.body.as_deref().unwrap_or_default();
    // A Content-Type the person set is what goes on the wire, so it is what the body is checked against.
    let typed = values.headers.iter().find(|(name, _)| name.trim().eq_ignore_ascii_case("content-type"));
    let content_type = typed.map_or(spec.content_type.as_str(), |(_, v)| v.as_str()).to_ascii_lowercase();
    if content_type.starts_with("multipart/") {
        return Some(format!("zorgtui cannot build {} bodies yet: what is typed goes as it is", spec.content_type));
    }
    if text.trim().is_empty() {
        return spec.required.then(|| format!("The operation expects a body ({}) and it is empty", spec.content_type));
    }
    // One JSON document is expected; JSON lines (`ndjson`, `json-seq`) are several and are not checked.
    let one_document =
        content_type.contains("json") && !content_type.contains("ndjson") && !content_type.contains("seq");
    if one_document && let Err(error) = serde_json::from_str::<serde::de::IgnoredAny>(text) {
        return Some(format!("The body is not valid JSON ({error})"));
    }
    None
}

fn ask_for(state: &mut State, field: usize) {
    state.focus = Pane::Editor;
    state.editor.select_field(field);
    state.editor.start_edit(EditTarget::Field(field));
    state.editor.send_when_complete = true;
}
