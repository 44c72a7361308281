//! A spec's apiKey and http credentials in the explorer: which ones a request carries (its operation's
//! `security`), asked for once per API and scheme (typed masked, then kept by the run loop like a client secret),
//! and sent only to the spec's own servers. The core never holds a value once it is typed: the request names the
//! schemes, and the run loop puts the values in on the wire.

use ratatui_textarea::TextArea;

use super::effect::Effect;
use super::keys::{ExplorerCommand, TextCommand};
use super::profiles::Question;
use super::send::Outgoing;
use super::state::State;
use crate::api::credentials::{self, CredentialUse, Credentials};
use crate::config::spec_profile::origin_of;
use crate::secret::Secret;

/// What a credential question asks for, and the request that waits on the answer. Its `Debug` leaves out what is
/// typed: it is the secret.
pub struct CredentialAsk {
    /// The API (origin) the value is kept for.
    pub origin: String,
    pub credential: CredentialUse,
    pub input: TextArea<'static>,
    pub outgoing: Box<Outgoing>,
}

impl std::fmt::Debug for CredentialAsk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CredentialAsk")
            .field("origin", &self.origin)
            .field("credential", &self.credential)
            .field("outgoing", &self.outgoing.label)
            .finish_non_exhaustive()
    }
}

/// Names on `outgoing` the credentials its operation needs; gives it back ready to go, or `None` when a question
/// for a value not given yet now waits (the request goes on once it is answered).
pub(super) fn attach(state: &mut State, mut outgoing: Outgoing) -> Option<Outgoing> {
    outgoing.request.credentials = None;
    let catalogue = &state.catalogue.catalogue;
    let Some(op) = outgoing.sent.operation.as_ref().and_then(|key| catalogue.find(key)) else {
        return Some(outgoing);
    };
    let uses = credentials::uses_for(catalogue, op, state.granted_scopes().is_some());
    if uses.is_empty() {
        return Some(outgoing);
    }
    let servers = state.spec_server_urls();
    let origin = origin_of(&outgoing.request.url).filter(|_| credentials::may_go_to(&outgoing.request.url, &servers));
    let Some(origin) = origin else {
        let names: Vec<&str> = uses.iter().map(|u| u.scheme.as_str()).collect();
        let host = crate::http::host_of(&outgoing.request.url);
        state.info(format!("Sent without {}: {host} is not one of the spec's servers", names.join(", ")));
        return Some(outgoing);
    };
    let known = state.remembered.api(&origin).map(|api| api.credentials.clone()).unwrap_or_default();
    if let Some(missing) = uses.iter().find(|u| !known.contains(&u.scheme)) {
        let mut input = super::editor::line_area("");
        input.set_mask_char('•');
        let credential = missing.clone();
        state.question = Some(Question::Credential(Box::new(CredentialAsk {
            origin,
            credential,
            input,
            outgoing: Box::new(outgoing),
        })));
        return None;
    }
    let in_keyring = state.profile.token_store == crate::config::TokenStoreKind::Keyring;
    outgoing.request.credentials = Some(Credentials { api: origin, uses, in_keyring });
    Some(outgoing)
}

/// The value typed and kept (Enter): kept for the API, remembered by name, and the request goes on its way (it may
/// ask for the next value it needs). Esc sends nothing.
pub(super) fn answer(state: &mut State, command: TextCommand) -> Vec<Effect> {
    let Some(Question::Credential(ask)) = state.question.take() else { return Vec::new() };
    let CredentialAsk { origin, credential, input, outgoing } = *ask;
    let value = input.lines().concat();
    let value = value.trim();
    if command != TextCommand::Keep || value.is_empty() {
        let send = state.keys.explorer.name(ExplorerCommand::Send);
        state.info(format!("Not sent: {} needs a value; {send} asks again", credential.scheme));
        return Vec::new();
    }
    if let Some(api) = state.remembered.api_mut(&origin)
        && !api.credentials.contains(&credential.scheme)
    {
        api.credentials.push(credential.scheme.clone());
    }
    let mut effects = vec![
        Effect::KeepCredential {
            store: state.profile.token_store,
            origin,
            scheme: credential.scheme,
            value: Secret::new(value),
        },
        Effect::Remember(state.remembered.clone()),
    ];
    effects.extend(super::send::dispatch(state, *outgoing));
    effects
}

/// The kept value of `scheme` for the API at `origin` is gone (deleted by hand, the keyring cleared): forgotten, so
/// the next send asks again.
pub(super) fn gone(state: &mut State, origin: &str, scheme: &str) -> Vec<Effect> {
    let Some(api) = state.remembered.api_mut(origin) else { return Vec::new() };
    api.credentials.retain(|s| s != scheme);
    let send = state.keys.explorer.name(ExplorerCommand::Send);
    state.error(format!("No value is kept for {scheme} any more: it went without; {send} asks for it"));
    vec![Effect::Remember(state.remembered.clone())]
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
