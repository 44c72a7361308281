//! OpenAPI `links` after a response: the operations the spec says may follow, with their parameters worked out from
//! the exchange (`$response.body#/id` → `organizationId`), offered on the response line; the follow key opens the
//! next one in the editor, filled in, for the person to look at and send.

use super::Sent;
use crate::app::ReadyResponse;
use crate::app::effect::Effect;
use crate::app::keys::{ExplorerCommand, ResponseCommand};
use crate::app::state::{Pane, State};
use crate::workspace::links::{ExchangeView, evaluate, for_status, operation_ref_target, parameter_name};

/// A link offered after a response: the operation it opens and the values it fills.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LinkOffer {
    pub name: String,
    /// Index into the catalogue's operations.
    pub operation: usize,
    pub values: Vec<(String, String)>,
}

/// Bodies past this are not parsed for links (a list of thousands has none worth it).
const LINK_BODY_LIMIT: usize = 1 << 20;

/// The links the spec declares for the answer `ready` to `sent`, with their values.
pub(in crate::app) fn link_offers(state: &State, sent: &Sent, ready: &ReadyResponse) -> Vec<LinkOffer> {
    let Some(key) = &sent.operation else { return Vec::new() };
    let operations = &state.catalogue.catalogue.operations;
    let Some(op) = operations.iter().find(|op| op.key() == *key) else { return Vec::new() };
    if op.links.is_empty() {
        return Vec::new();
    }
    let response = &ready.response;
    let json = |bytes: &[u8]| -> Option<serde_json::Value> {
        (bytes.len() <= LINK_BODY_LIMIT).then(|| serde_json::from_slice(bytes).ok()).flatten()
    };
    let response_body = json(&response.body);
    let request_body = sent.request.body.as_deref().and_then(json);
    let view = ExchangeView {
        method: sent.request.method.as_str(),
        url: &sent.request.url,
        path: &sent.path,
        query: &sent.query,
        request_headers: &sent.request.headers,
        request_body: request_body.as_ref(),
        status: response.status,
        response_headers: &response.headers,
        response_body: response_body.as_ref(),
    };
    let mut offers = Vec::new();
    for link in for_status(&op.links, response.status) {
        let target = if let Some(id) = &link.operation_id {
            operations.iter().position(|o| o.operation_id.as_deref() == Some(id.as_str()))
        } else {
            link.operation_ref.as_deref().and_then(operation_ref_target).and_then(|(method, path)| {
                operations.iter().position(|o| o.method.as_str() == method && o.path == path)
            })
        };
        let Some(operation) = target else { continue };
        let values = link
            .parameters
            .iter()
            .filter_map(|(name, expression)| Some((parameter_name(name).to_string(), evaluate(expression, &view)?)))
            .collect();
        offers.push(LinkOffer { name: link.name.clone(), operation, values });
    }
    offers
}

/// The follow key: the next link offered after the response on show opens in the editor, filled in.
pub(in crate::app) fn follow_link(state: &mut State) -> Vec<Effect> {
    let offers = state.response.shown.as_ref().map(|s| s.links.clone()).unwrap_or_default();
    if offers.is_empty() {
        state.info("The spec declares no links after this response");
        return Vec::new();
    }
    let offer = offers[state.day.next_link % offers.len()].clone();
    state.day.next_link += 1;
    state.catalogue.select_operation(offer.operation);
    state.follow_selection();
    if let Some(draft) = state.editor.draft_mut() {
        for (name, value) in &offer.values {
            if let Some(field) = draft.fields.iter_mut().find(|f| f.name == *name) {
                field.value.clone_from(value);
            }
        }
    }
    state.focus = Pane::Editor;
    let filled: Vec<String> = offer.values.iter().map(|(n, v)| format!("{n} = {v}")).collect();
    let send = state.keys.explorer.name(ExplorerCommand::Send);
    let again = state.keys.response.name(ResponseCommand::FollowLink);
    let more = if offers.len() > 1 { format!("; {again} again: the next of {}", offers.len()) } else { String::new() };
    state.info(format!("Link “{}”: {} filled in — {send} sends it{more}", offer.name, filled.join(", ")));
    Vec::new()
}
