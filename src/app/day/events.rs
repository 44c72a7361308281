//! What the run loop did with the day's files, taken into the explorer: a profile's files read, an exchange kept,
//! an exchange opened (shown, put back in the editor, sent again), a file written, a curl line copied.

use std::collections::BTreeMap;

use super::{DayView, Loaded, OpenPurpose, OpenedExchange, Sent, WorkspaceEvent, Written};
use crate::api::Method;
use crate::api::request::PreparedRequest;
use crate::app::editor::Draft;
use crate::app::effect::Effect;
use crate::app::keys::ExplorerCommand;
use crate::app::response::Shown;
use crate::app::state::{Pane, State};
use crate::workspace::history::KeptRequest;
use crate::workspace::{Exchange, REDACTED, SavedRequest};

pub(in crate::app) fn workspace_event(state: &mut State, event: WorkspaceEvent) -> Vec<Effect> {
    match event {
        WorkspaceEvent::Loaded(loaded) => loaded_files(state, *loaded),
        WorkspaceEvent::Recorded { profile_key, request, summary } => match summary {
            Ok(summary) if profile_key == state.day.profile_key => {
                state.day.history.retain(|s| s.id != summary.id);
                state.day.recorded.insert(request, summary.id.clone());
                state.day.history.insert(0, summary);
                refilter_history(state);
            }
            Ok(_) => {}
            // The run holds it and writes it before the next exchange, or at quit (`run::unwritten`).
            Err(message) => state.error(format!(
                "Not written to the history yet ({message}): it is held here, and written with the next exchange or \
                 when zorgtui quits"
            )),
        },
        WorkspaceEvent::Opened { profile_key, purpose, result } => {
            if profile_key != state.day.profile_key {
                return Vec::new();
            }
            match result {
                Ok(opened) => return opened_exchange(state, purpose, *opened),
                Err(message) => state.error(format!("Cannot open that exchange: {message}")),
            }
        }
        WorkspaceEvent::Written { what, result } => {
            let noun = match what {
                Written::SavedRequests => "saved requests",
                Written::Variables => "variables",
            };
            match result {
                Ok(0) => {}
                Ok(n) => state.info(format!("The {noun} were written with {n} secret value(s) taken out")),
                Err(message) => state.error(format!("The {noun} were not written: {message}")),
            }
        }
        WorkspaceEvent::Copied { live, result } => match result {
            Ok(_) if live => state
                .error("Copied a curl line WITH YOUR LIVE TOKEN in it: anyone who sees it can use it until it expires"),
            Ok(bytes) => state.info(format!(
                "Copied a curl line ({bytes} bytes): its token comes from `zorgtui … token` when it runs, never \
                 written into it"
            )),
            Err(message) => state.error(format!("Not copied: {message}")),
        },
    }
    Vec::new()
}

fn loaded_files(state: &mut State, loaded: Loaded) {
    if loaded.profile_key != state.day.profile_key {
        return;
    }
    state.day.loaded = true;
    match loaded.history {
        Ok(mut history) => {
            history.reverse();
            state.day.history = history;
        }
        Err(message) => state.error(format!("The history could not be read: {message}")),
    }
    match loaded.saved {
        Ok(saved) if saved.is_empty() && state.catalogue.saved.is_empty() => {}
        Ok(saved) => {
            // The cursor stays on what it was on; the editor follows only when that changed (a field being typed
            // into stays open).
            let before = (state.editor.operation.clone(), state.editor.saved.clone());
            state.catalogue.set_saved(saved);
            let selected = state.catalogue.selected_index();
            let same_operation = before.0.as_ref().map(|(_, i)| *i) == selected && before.1.is_none();
            if !same_operation
                || matches!(state.catalogue.selection(), Some(crate::app::catalogue::Selection::Saved(_)))
            {
                state.follow_selection();
            }
        }
        Err(message) => {
            state.error(format!("The saved requests could not be read: {message}"));
            state.day.saved_problem = Some(message);
        }
    }
    match loaded.variables {
        Ok(variables) => state.day.variables = variables,
        Err(message) => {
            state.error(format!("The variables could not be read: {message}"));
            state.day.variables_problem = Some(message);
        }
    }
    refilter_history(state);
}

fn refilter_history(state: &mut State) {
    if let Some(DayView::History(view)) = &mut state.day.view {
        let keep = view.selected(&state.day.history).map(|s| s.id.clone());
        view.refilter(&state.day.history, keep.as_deref());
    }
}

fn opened_exchange(state: &mut State, purpose: OpenPurpose, opened: OpenedExchange) -> Vec<Effect> {
    let OpenedExchange { exchange, ready } = opened;
    let label = format!("{} {}", exchange.request.method, exchange.request.path());
    match purpose {
        OpenPurpose::Show => {
            let Some(ready) = ready else {
                state.info(format!("{label}: no answer was kept ({})", exchange.state.word()));
                return Vec::new();
            };
            let id = state.request_id();
            state.response.in_flight = None;
            state.response.show(Shown::new(id, format!("{label} (from the history)"), ready, &state.keys));
            state.day.view = None;
            state.focus = Pane::Response;
            Vec::new()
        }
        OpenPurpose::Edit => {
            put_back(state, &exchange);
            Vec::new()
        }
        OpenPurpose::Resend => match again(state, &exchange.request) {
            Ok((request, sent)) => {
                state.day.view = None;
                crate::app::send::send_prepared(state, request, label, sent)
            }
            Err(message) => {
                state.error(message);
                Vec::new()
            }
        },
    }
}

/// The request of an exchange back in the editor, on its operation, with the values it went with.
fn put_back(state: &mut State, exchange: &Exchange) {
    let kept = &exchange.request;
    let Some(key) = &kept.operation else {
        state.error(
            "That request was not made from an operation of the catalogue (a page a Link named): r sends it again",
        );
        return;
    };
    let Some(index) = state.catalogue.catalogue.operations.iter().position(|op| op.key().0 == *key) else {
        state.error(format!("{key} is not in this catalogue: r sends it again as it went"));
        return;
    };
    let op = state.catalogue.catalogue.operations[index].clone();
    let (path, query) = split_path(kept.path());
    let saved = SavedRequest {
        name: String::new(),
        method: op.method.as_str().to_string(),
        path: op.path.clone(),
        path_params: match_template(&op.path, path),
        query: query.into_iter().collect(),
        headers: kept
            .headers
            .iter()
            .filter(|(name, value)| value != REDACTED && !crate::workspace::scrub::is_secret_header(name))
            .filter(|(name, _)| op_has_header(&op, name))
            .cloned()
            .collect(),
        body: kept.body.text().filter(|b| !b.is_empty()).map(str::to_string),
    };
    state.catalogue.select_operation(index);
    state.follow_selection();
    state.editor.saved = None;
    state.editor.replace_draft(Draft::from_saved(&op, &saved));
    state.day.view = None;
    state.focus = Pane::Editor;
    let send = state.keys.explorer.name(ExplorerCommand::Send);
    state.info(format!("{key} back in the editor with the values it went with: {send} sends it"));
}

/// Headers a person set (the declared ones, and any not of zorgtui's own making).
fn op_has_header(op: &crate::api::Operation, name: &str) -> bool {
    op.params.iter().any(|p| p.location == crate::api::ParamLocation::Header && p.name.eq_ignore_ascii_case(name))
        || !["accept", "content-type", "user-agent"].contains(&name.to_ascii_lowercase().as_str())
}

/// `/a/b?x=1` → (`/a/b`, [(x, 1)]), decoded.
fn split_path(path: &str) -> (&str, Vec<(String, String)>) {
    match path.split_once('?') {
        Some((path, query)) => (path, url::form_urlencoded::parse(query.as_bytes()).into_owned().collect()),
        None => (path, Vec::new()),
    }
}

/// The values of a path template's `{name}` segments in `path`.
fn match_template(template: &str, path: &str) -> BTreeMap<String, String> {
    let mut found = BTreeMap::new();
    let (template, path) = (template.trim_matches('/'), path.trim_matches('/'));
    let (names, values): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    // A base path the template lacks (`/v1beta2`) comes before it: the template is matched at the end.
    let skip = values.len().saturating_sub(names.len());
    for (name, value) in names.iter().zip(values.iter().skip(skip)) {
        if let Some(name) = name.strip_prefix('{').and_then(|n| n.strip_suffix('}')) {
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy().into_owned();
            found.insert(name.to_string(), value);
        }
    }
    found
}

/// The request of an exchange, to go again to where its base is now (the demo's port changes every run).
fn again(state: &State, kept: &KeptRequest) -> Result<(PreparedRequest, Sent), String> {
    let method = Method::parse(&kept.method).ok_or_else(|| format!("{} is not a method zorgtui sends", kept.method))?;
    let (url, base) = match &kept.base {
        Some(_) if kept.path() != kept.url => {
            let base = state.profile.api.trim_end_matches('/').to_string();
            (format!("{base}{}", kept.path()), Some(state.profile.api.clone()))
        }
        _ => (kept.url.clone(), None),
    };
    let body = match kept.body.bytes() {
        Some(bytes) if bytes.is_empty() => None,
        Some(bytes) => Some(bytes::Bytes::from(bytes)),
        None => return Err("Its body was too large to keep, so it cannot go again from the history".to_string()),
    };
    let headers: Vec<(String, String)> = kept
        .headers
        .iter()
        .filter(|(name, value)| value != REDACTED && !crate::workspace::scrub::is_secret_header(name))
        .cloned()
        .collect();
    let request = PreparedRequest { method, url, headers, body, with_token: false, credentials: None };
    let (path, query) = split_path(kept.path());
    let template = kept.operation.as_deref().and_then(|k| k.split_once(' ')).map(|(_, p)| p.to_string());
    let path_values = template.as_deref().map(|t| match_template(t, path).into_iter().collect()).unwrap_or_default();
    let sent = Sent {
        request: request.clone(),
        operation: kept.operation.clone().map(crate::api::OperationKey),
        path_template: template,
        path: path_values,
        query,
        base,
    };
    Ok((request, sent))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_gives_back_the_values_of_its_template() {
        let found =
            match_template("/organizations/{organizationId}/invitations", "/v1/organizations/5c%201a/invitations");
        assert_eq!(found.get("organizationId").map(String::as_str), Some("5c 1a"));
        assert_eq!(split_path("/x?limit=10&skip=20").1, [("limit".into(), "10".into()), ("skip".into(), "20".into())]);
    }
}
