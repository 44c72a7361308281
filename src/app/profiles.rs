//! Which profile the explorer works with: switching to another one (`P`), a spec choosing one when it arrives, and
//! the questions a spec-born profile needs answered once (the client id to sign in with; whether the issuer's tokens
//! may go to the spec's API), whose answers are remembered for that API.

use std::sync::Arc;

use ratatui_textarea::TextArea;

use super::editor::line_area;
use super::effect::Effect;
use super::keymap::Command;
use super::keys::{ConfirmCommand, ExplorerCommand, PickerCommand, TextCommand};
use super::state::State;
use crate::config::spec_profile::Origin;
use crate::config::{Config, Overrides, Profile};

/// A spec that decides the profile when it arrives (no profile was named): with what to decide.
#[derive(Debug, Clone)]
pub struct SpecChooses {
    pub config: Arc<Config>,
    pub overrides: Overrides,
}

/// A question the explorer waits on (one at a time, so its size does not matter).
#[derive(Debug)]
#[allow(clippy::large_enum_variant)]
pub enum Question {
    /// The client id to sign in with, for a profile a spec brought: typed once, remembered for its API.
    ClientId { input: TextArea<'static> },
    /// Whether the spec's issuer's tokens may go to the spec's API: asked before the first send that carries one,
    /// which goes on a yes as it was (a resend from the history, a next page: not the editor's request).
    TrustPair { issuer: String, api: String, outgoing: Box<super::send::Outgoing> },
    /// Send this write (POST, PUT, PATCH, DELETE) on a profile that asks first (`confirm_writes`); yes allows every
    /// write of the session on that profile.
    Write(Box<super::send::Outgoing>),
    /// Delete the saved request of this name.
    DeleteSaved { name: String },
    /// The value of a spec's apiKey or http credential, typed masked, for the request that waits on it.
    Credential(Box<super::credentials::CredentialAsk>),
}

impl State {
    /// Works with `profile` from now on: its API and servers, its own auth engine; the session shown is its own.
    pub(super) fn use_profile(&mut self, profile: Profile) -> Vec<Effect> {
        let label = profile.label();
        let api = crate::http::host_of(&profile.api);
        self.profile = profile.clone();
        self.auth = crate::auth::AuthStatus::SignedOut;
        self.sign_in = None;
        self.step_up = None;
        self.question = None;
        self.refresh_servers();
        self.info(format!("Profile {label}: requests go to {api}"));
        let mut effects = vec![Effect::UseProfile(Box::new(profile))];
        // Its own history, saved requests and variables.
        effects.extend(super::day::profile_changed(self));
        effects
    }

    /// Whether what was decided about the profile's API still holds for this issuer: the person confirmed the pair
    /// once, or neither came from a spec.
    pub fn pair_trusted(&self) -> bool {
        !matches!(self.profile.origins.api, Origin::Spec | Origin::Collection)
            || self.remembered.api(&self.profile.api).and_then(|a| a.trusted_issuer.as_deref())
                == Some(self.profile.issuer.as_str())
    }
}

/// `P`: the list of profiles, the one in use selected.
pub(super) fn open_picker(state: &mut State) {
    // The profile in use is on the list even when flags or a spec made it, so that the person can come back to it.
    if !state.profiles.iter().any(|p| p.name == state.profile.name) {
        state.profiles.insert(0, state.profile.clone());
    }
    if state.profiles.len() < 2 {
        state.info("This is the only profile: [profiles.NAME] in config.toml adds others");
        return;
    }
    let current = state.profiles.iter().position(|p| p.name == state.profile.name).unwrap_or(0);
    state.profile_picker = Some(current);
}

pub(super) fn picker_key(state: &mut State, command: PickerCommand) -> Vec<Effect> {
    let Some(at) = state.profile_picker else { return Vec::new() };
    let last = state.profiles.len().saturating_sub(1);
    match command {
        PickerCommand::Up => state.profile_picker = Some(at.saturating_sub(1)),
        PickerCommand::Down => state.profile_picker = Some((at + 1).min(last)),
        PickerCommand::Cancel => state.profile_picker = None,
        PickerCommand::Choose => {
            state.profile_picker = None;
            if let Some(profile) = state.profiles.get(at).cloned() {
                if profile == state.profile {
                    return Vec::new();
                }
                return state.use_profile(profile);
            }
        }
    }
    Vec::new()
}

/// A catalogue arrived for a spec that decides the profile: the profile it points at, if it is another one.
pub(super) fn after_spec(state: &mut State) -> Vec<Effect> {
    let Some(choice) = state.spec_chooses.take() else { return Vec::new() };
    let catalogue = Arc::clone(&state.catalogue.catalogue);
    let (mut profile, notices) =
        crate::config::spec_profile::for_spec(&choice.config, &catalogue, &choice.overrides, &state.remembered);
    profile.spec.clone_from(&state.profile.spec);
    for notice in notices {
        state.info(notice);
    }
    if same_target(&profile, &state.profile) {
        return Vec::new();
    }
    state.use_profile(profile)
}

fn same_target(a: &Profile, b: &Profile) -> bool {
    a.api == b.api && a.issuer == b.issuer && a.client_id == b.client_id && a.grant == b.grant
}

/// Before signing in: a spec-born profile without a client id asks for one first.
pub(super) fn needs_client_id(state: &mut State) -> bool {
    if state.profile.origins.client_id != Origin::Missing || !state.profile.client_id.is_empty() {
        return false;
    }
    state.question = Some(Question::ClientId { input: line_area("") });
    true
}

/// Before a send that would carry the token to a spec-born API: the pair is confirmed once. Gives `outgoing` back
/// when no question is needed; otherwise it waits in the question.
pub(super) fn ask_trust(state: &mut State, outgoing: super::send::Outgoing) -> Option<super::send::Outgoing> {
    if state.pair_trusted() || state.granted_scopes().is_none() {
        return Some(outgoing);
    }
    let (issuer, api) = (crate::http::host_of(&state.profile.issuer), crate::http::host_of(&state.profile.api));
    state.question = Some(Question::TrustPair { issuer, api, outgoing: Box::new(outgoing) });
    None
}

/// A command while a question is up: typing and keeping the client id, or the yes/no answer; `None` for one that is
/// not the question's (help, quitting).
pub(super) fn question_command(state: &mut State, command: Command) -> Option<Vec<Effect>> {
    match (&mut state.question, command) {
        (Some(Question::ClientId { input }), Command::Text(TextCommand::Keep)) => {
            let typed = input.lines().first().cloned().unwrap_or_default();
            Some(client_id_given(state, &typed))
        }
        (Some(Question::ClientId { .. }), Command::Text(TextCommand::Leave)) => {
            state.question = None;
            state.info("Not signed in: a client id is needed first");
            Some(Vec::new())
        }
        (Some(Question::ClientId { input }), Command::Type(key)) => {
            super::text_field::type_key(input, &state.keys.text, key);
            Some(Vec::new())
        }
        (Some(Question::Credential(_)), Command::Text(command @ (TextCommand::Keep | TextCommand::Leave))) => {
            Some(super::credentials::answer(state, command))
        }
        (Some(Question::Credential(ask)), Command::Type(key)) => {
            super::text_field::type_key(&mut ask.input, &state.keys.text, key);
            Some(Vec::new())
        }
        (Some(Question::ClientId { .. } | Question::Credential(_)), Command::Text(_)) => Some(Vec::new()),
        (Some(Question::TrustPair { .. }), Command::Confirm(answer)) => {
            let Some(Question::TrustPair { outgoing, .. }) = state.question.take() else { return None };
            Some(trust_answer(state, answer, *outgoing))
        }
        (Some(Question::Write(_) | Question::DeleteSaved { .. }), Command::Confirm(answer)) => {
            Some(super::day::answer(state, answer))
        }
        _ => None,
    }
}

/// The client id typed: used and remembered for the API, then the sign-in goes on.
pub(super) fn client_id_given(state: &mut State, client_id: &str) -> Vec<Effect> {
    state.question = None;
    let client_id = client_id.trim();
    if client_id.is_empty() {
        return Vec::new();
    }
    let mut profile = state.profile.clone();
    profile.client_id = client_id.to_string();
    profile.origins.client_id = Origin::Asked;
    if let Some(api) = state.remembered.api_mut(&profile.api) {
        api.client_id = Some(client_id.to_string());
    }
    let mut effects = vec![Effect::Remember(state.remembered.clone())];
    effects.extend(state.use_profile(profile));
    effects.extend(super::sign_in::login(state, false));
    effects
}

/// The answer about the issuer–API pair: on a yes, the request that asked goes on its way.
pub(super) fn trust_answer(state: &mut State, command: ConfirmCommand, outgoing: super::send::Outgoing) -> Vec<Effect> {
    state.question = None;
    if command != ConfirmCommand::Yes {
        let send = state.keys.explorer.name(ExplorerCommand::Send);
        state.info(format!("Not sent: the token stays with {}; {send} asks again", state.profile.issuer));
        return Vec::new();
    }
    let issuer = state.profile.issuer.clone();
    if let Some(api) = state.remembered.api_mut(&state.profile.api.clone()) {
        api.trusted_issuer = Some(issuer);
    }
    let mut effects = vec![Effect::Remember(state.remembered.clone())];
    effects.extend(super::send::dispatch(state, outgoing));
    effects
}
