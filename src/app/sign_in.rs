//! Signing in, as the explorer sees it: `L`, the sign-in window while the browser (or a device) is awaited, pasting
//! the address the browser landed on, the demo's in-app approval, and the step-up offer when an operation needs a
//! scope the session lacks.

use ratatui_textarea::TextArea;

use super::editor::line_area;
use super::effect::Effect;
use super::keys::ExplorerCommand;
use super::state::{Pane, State};
use crate::auth::{AuthCommand, AuthEvent, AuthStatus};

/// The sign-in window's own state (the rest is in `AuthStatus`).
#[derive(Debug, Default)]
pub struct SignInDialog {
    /// Where the person pastes the address the browser landed on.
    pub paste: Option<TextArea<'static>>,
    /// The demo's approval is on its way.
    pub approving: bool,
}

/// An operation needs scopes this session was not granted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StepUp {
    pub label: String,
    pub missing: Vec<String>,
}

impl State {
    /// Whether the sign-in window is up: a sign-in waits for the browser or a device, or a sign-out for the
    /// browser to end the session at the server.
    pub fn signing_in(&self) -> bool {
        matches!(
            self.auth,
            AuthStatus::WaitingForBrowser(_) | AuthStatus::WaitingForDevice(_) | AuthStatus::SigningOut(_)
        )
    }

    /// Whether the terminal should report the mouse. Off while the sign-in window shows its address, so the person
    /// can select it with the mouse as in any terminal.
    pub fn wants_mouse(&self) -> bool {
        !self.signing_in()
    }

    /// Scopes granted to the current session, if signed in.
    pub fn granted_scopes(&self) -> Option<&[String]> {
        match &self.auth {
            AuthStatus::SignedIn(session) | AuthStatus::Refreshing(session) => Some(&session.scopes),
            _ => None,
        }
    }
}

/// A status from the engine.
pub(super) fn auth_event(state: &mut State, event: AuthEvent) -> Vec<Effect> {
    let status = match event {
        AuthEvent::Status(status) => status,
        AuthEvent::Notice(text) => {
            state.info(text);
            return Vec::new();
        }
    };
    let was_signing_in = state.signing_in();
    let signed_in = matches!(status, AuthStatus::SignedIn(_));
    if let AuthStatus::Failed { reason } = &status {
        state.error(format!("Sign-in failed: {reason}"));
    }
    state.auth = status;
    if !state.signing_in() {
        state.sign_in = None;
    }
    if was_signing_in && signed_in {
        // Back to work: the catalogue has the keyboard again.
        state.focus = Pane::Catalogue;
        state.step_up = None;
    }
    Vec::new()
}

/// `L`: start a sign-in, with the scopes of a pending step-up added; as someone else, the server is asked to ask
/// for credentials again even if the browser is still signed in there.
pub(super) fn login(state: &mut State, someone_else: bool) -> Vec<Effect> {
    if state.profile.issuer.is_empty() {
        state.info(
            "Nothing to sign in to: the spec names no OAuth2 or OpenID Connect sign-in — --issuer and --client-id \
             name one",
        );
        return Vec::new();
    }
    if super::profiles::needs_client_id(state) {
        return Vec::new();
    }
    let extra_scopes = state.step_up.take().map(|s| s.missing).unwrap_or_default();
    state.sign_in = Some(SignInDialog::default());
    let command = if someone_else {
        AuthCommand::LoginAsSomeoneElse { extra_scopes }
    } else {
        AuthCommand::Login { extra_scopes }
    };
    vec![Effect::Auth(command)]
}

/// The address the browser landed on, pasted or typed.
pub(super) fn submit_paste(state: &mut State, text: &str) -> Vec<Effect> {
    let text = text.trim();
    if text.is_empty() {
        return Vec::new();
    }
    if let Some(dialog) = &mut state.sign_in {
        dialog.paste = None;
    }
    vec![Effect::Auth(AuthCommand::PasteRedirect(text.to_string()))]
}

/// A paste while the sign-in window is up: an address with a code (or an error) is taken at once; anything else goes
/// into the paste field to be checked and sent with `Enter`.
pub(super) fn paste(state: &mut State, text: &str) -> Vec<Effect> {
    let one_line: String = text.chars().filter(|c| !c.is_control()).collect();
    let looks_complete =
        crate::api::spec_source::is_url(&one_line) && (one_line.contains("code=") || one_line.contains("error="));
    if looks_complete {
        return submit_paste(state, &one_line);
    }
    let dialog = state.sign_in.get_or_insert_with(SignInDialog::default);
    dialog.paste.get_or_insert_with(|| line_area("")).insert_str(&one_line);
    Vec::new()
}

/// `Enter` in the sign-in window: send what was pasted, or (demo) approve as the demo user, or end the session at
/// the demo's server, as its browser would.
pub(super) fn confirm(state: &mut State) -> Vec<Effect> {
    let pasted = state.sign_in.as_ref().and_then(|d| d.paste.as_ref()).and_then(|p| p.lines().first().cloned());
    if let Some(text) = pasted.filter(|t| !t.trim().is_empty()) {
        return submit_paste(state, &text);
    }
    if !state.demo {
        return Vec::new();
    }
    let effect = match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => match pending.redirect {
            // Postman's page cannot be reached from here: the demo hands back where the browser would land.
            crate::auth::Redirect::Registered { .. } => {
                Effect::DemoApproveToLanding { authorize_url: pending.authorize_url.clone() }
            }
            crate::auth::Redirect::Loopback { .. } => {
                Effect::DemoApprove { authorize_url: pending.authorize_url.clone() }
            }
        },
        AuthStatus::SigningOut(pending) => Effect::DemoEndSession { end_session_url: pending.end_session_url.clone() },
        _ => return Vec::new(),
    };
    state.sign_in.get_or_insert_with(SignInDialog::default).approving = true;
    vec![effect]
}

/// The address to copy from the sign-in window.
pub(super) fn copy_address(state: &mut State) -> Vec<Effect> {
    let text = match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => pending.authorize_url.clone(),
        AuthStatus::WaitingForDevice(device) => {
            device.verification_uri_complete.clone().unwrap_or_else(|| device.verification_uri.clone())
        }
        AuthStatus::SigningOut(pending) => pending.end_session_url.clone(),
        _ => return Vec::new(),
    };
    state.info("Address copied to the clipboard (OSC 52)");
    vec![Effect::Copy(text)]
}

/// Whether the scopes an operation needs were granted; if not, remember what is missing for `L` and say so.
pub(super) fn needs_step_up(state: &mut State, label: &str, required: &[String]) -> bool {
    let Some(granted) = state.granted_scopes() else { return false };
    let missing: Vec<String> = required.iter().filter(|s| !granted.contains(s)).cloned().collect();
    if missing.is_empty() {
        return false;
    }
    let (sign_in, send) =
        (state.keys.explorer.name(ExplorerCommand::SignIn), state.keys.explorer.name(ExplorerCommand::Send));
    state.info(format!(
        "{label} needs {}, which this session was not granted: {sign_in} signs in again with it, {send} sends anyway",
        missing.join(" ")
    ));
    state.step_up = Some(StepUp { label: label.to_string(), missing });
    true
}
