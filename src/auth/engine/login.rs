//! Signing in: the browser flow (Authorization Code + PKCE, ended by the loopback listener or a paste, whichever
//! comes first) and the device grant, which replaces the browser when the person picks it.

use std::sync::Arc;

use tokio::task::AbortHandle;
use tokio::time::Instant;

use super::{Engine, Internal};
use crate::auth::discovery::Metadata;
use crate::auth::error::AuthError;
use crate::auth::jobs::{self, BrowserReady, CodeExchange, Signed};
use crate::auth::listener::{Callback, Listener};
use crate::auth::oauth::Prompt;
use crate::auth::pages::Page;
use crate::auth::response::{self, Verdict};
use crate::auth::{AuthStatus, DevicePrompt, PendingLogin, browser};
use crate::config::GrantKind;
use crate::secret::Secret;

/// A sign-in in progress.
pub struct Login {
    id: u64,
    scopes: Vec<String>,
    /// When waiting for the browser gives up (`None`: never, when the clock cannot hold the timeout).
    deadline: Option<Instant>,
    task: Option<AbortHandle>,
    phase: Phase,
}

enum Phase {
    /// Discovery and the listener are being set up.
    Preparing,
    /// The person is in the browser.
    Browser(Box<Waiting>),
    /// The device grant runs (its own expiry bounds it).
    Device,
    /// The code is being exchanged.
    Exchanging,
}

/// What a browser sign-in needs to check and finish the response.
struct Waiting {
    metadata: Arc<Metadata>,
    state: Secret,
    verifier: Secret,
    nonce: Option<Secret>,
    redirect_uri: String,
    /// Held while waiting; dropping it closes the port.
    _listener: Option<Listener>,
}

impl Login {
    /// When waiting for the browser gives up; the device grant ends by its own expiry instead.
    pub fn deadline(&self) -> Option<Instant> {
        self.deadline.filter(|_| matches!(self.phase, Phase::Preparing | Phase::Browser(_)))
    }
}

impl Engine {
    /// The profile's scopes plus `extra` (a step-up), each once, in order.
    /// The profile's scopes, and for a step-up (`extra` not empty) also those the session holds: adding one
    /// operation's scope must not drop another added before.
    fn scopes(&self, extra: &[String]) -> Vec<String> {
        let held: &[String] = match &self.session {
            Some(session) if !extra.is_empty() => &session.scopes,
            _ => &[],
        };
        let mut scopes: Vec<String> = Vec::new();
        let asked = self.ctx.config.scope.split_whitespace().map(str::to_string);
        for scope in asked.chain(held.iter().cloned()).chain(extra.iter().cloned()) {
            if !scope.is_empty() && !scopes.contains(&scope) {
                scopes.push(scope);
            }
        }
        scopes
    }

    pub(super) fn start_login(&mut self, extra_scopes: &[String], prompt: Prompt) {
        let scopes = self.scopes(extra_scopes);
        self.drop_login();
        // Signing in again is what the person does now: the browser's sign-out at the server is left to it.
        self.end_session = None;
        if self.ctx.config.grant == GrantKind::ClientCredentials {
            return self.start_machine_login(scopes);
        }
        let id = self.next_id();
        self.set_status(AuthStatus::Working("Contacting the issuer".into()));
        let ctx = self.ctx.clone();
        let internal = self.internal.clone();
        let on_callback = move |callback| {
            let _ = internal.send(Internal::Callback { id, callback });
        };
        let job_scopes = scopes.clone();
        let task = self.spawn(
            async move {
                let result = jobs::prepare_browser(ctx, job_scopes, prompt, on_callback).await;
                Internal::BrowserReady { id, result }
            },
            move |error| Internal::BrowserReady { id, result: Err(error) },
        );
        self.login = Some(Login {
            id,
            scopes,
            deadline: Instant::now().checked_add(self.ctx.config.login_timeout),
            task: Some(task),
            phase: Phase::Preparing,
        });
    }

    /// A machine client's sign-in: one client credentials grant, no browser.
    fn start_machine_login(&mut self, scopes: Vec<String>) {
        let id = self.next_id();
        self.set_status(AuthStatus::Working("Requesting a token for the machine client".into()));
        let (ctx, job_scopes) = (self.ctx.clone(), scopes.clone());
        let task = self.spawn(
            async move { Internal::SignedIn { id, result: jobs::client_credentials(ctx, job_scopes).await } },
            move |error| Internal::SignedIn { id, result: Err(error) },
        );
        self.login = Some(Login { id, scopes, deadline: None, task: Some(task), phase: Phase::Exchanging });
    }

    pub(super) fn browser_ready(&mut self, id: u64, result: Result<BrowserReady, AuthError>) {
        let Some(login) = self.login.as_mut().filter(|l| l.id == id && matches!(l.phase, Phase::Preparing)) else {
            return;
        };
        let ready = match result {
            Ok(ready) => ready,
            Err(error) => return self.fail_login(&error),
        };
        let authorize_url = ready.authorization.url.to_string();
        let browser_opened = self.ctx.config.open_browser && browser::open(&authorize_url);
        let pending = PendingLogin {
            authorize_url,
            redirect: ready.redirect,
            browser_opened,
            device_available: ready.metadata.device_authorization_endpoint.is_some(),
        };
        login.task = None;
        login.phase = Phase::Browser(Box::new(Waiting {
            metadata: ready.metadata,
            state: ready.authorization.state,
            verifier: ready.authorization.verifier,
            nonce: ready.authorization.nonce,
            redirect_uri: ready.redirect_uri,
            _listener: ready.listener,
        }));
        tracing::info!(browser_opened, "waiting for the browser");
        self.set_status(AuthStatus::WaitingForBrowser(pending));
    }

    /// The browser came back to the listener.
    pub(super) fn callback(&mut self, id: u64, callback: Callback) {
        let Some(Phase::Browser(waiting)) = self.login.as_ref().filter(|l| l.id == id).map(|l| &l.phase) else {
            let _ = callback.reply.send(Page::Gone);
            return;
        };
        let verdict = judge(waiting, &callback.params);
        match verdict {
            Verdict::NotOurs => {
                tracing::warn!("refused a callback for another sign-in (state mismatch); still waiting");
                let _ = callback.reply.send(Page::NotOurs);
            }
            Verdict::Refused(error) => {
                let _ = callback.reply.send(Page::Refused);
                self.fail_login(&error);
            }
            Verdict::Code(code) => {
                let _ = callback.reply.send(Page::Done);
                self.exchange(code);
            }
        }
    }

    /// The person pasted the address the browser landed on.
    pub(super) fn paste(&mut self, text: &str) {
        let verdict = match self.login.as_ref().map(|l| &l.phase) {
            Some(Phase::Browser(waiting)) => match response::parse_pasted(text) {
                Ok(params) => judge(waiting, &params),
                Err(error) => return self.notice(error.to_string()),
            },
            Some(_) => return self.notice("the sign-in is not waiting for an address right now".into()),
            None => return self.notice("no sign-in is waiting for an address — start one first".into()),
        };
        match verdict {
            Verdict::NotOurs => self.notice(AuthError::StateMismatch.to_string()),
            Verdict::Refused(error) => self.fail_login(&error),
            Verdict::Code(code) => self.exchange(code),
        }
    }

    fn exchange(&mut self, code: Secret) {
        let Some(login) = self.login.as_mut() else { return };
        let Phase::Browser(waiting) = std::mem::replace(&mut login.phase, Phase::Exchanging) else { return };
        // The listener closes here: the one response it waited for has come.
        let Waiting { metadata, verifier, nonce, redirect_uri, .. } = *waiting;
        let (id, scopes, ctx) = (login.id, login.scopes.clone(), self.ctx.clone());
        let exchange = CodeExchange { code, verifier, nonce, redirect_uri };
        let task = self.spawn(
            async move {
                let result = jobs::exchange(ctx, metadata, exchange, scopes).await;
                Internal::SignedIn { id, result }
            },
            move |error| Internal::SignedIn { id, result: Err(error) },
        );
        if let Some(login) = self.login.as_mut() {
            login.task = Some(task);
        }
        self.set_status(AuthStatus::Working("Exchanging the code".into()));
    }

    pub(super) fn start_device(&mut self) {
        let scopes = match self.login.as_ref().map(|l| (&l.phase, &l.scopes)) {
            Some((Phase::Device, _)) => return,
            Some((Phase::Browser(waiting), _)) if waiting.metadata.device_authorization_endpoint.is_none() => {
                return self.notice(AuthError::DeviceUnavailable.to_string());
            }
            Some((_, scopes)) => scopes.clone(),
            None => self.scopes(&[]),
        };
        self.drop_login();
        self.end_session = None;
        let id = self.next_id();
        self.set_status(AuthStatus::Working("Contacting the issuer".into()));
        let ctx = self.ctx.clone();
        let internal = self.internal.clone();
        let on_prompt = move |prompt| {
            let _ = internal.send(Internal::DevicePrompt { id, prompt });
        };
        let job_scopes = scopes.clone();
        let task = self.spawn(
            async move { Internal::SignedIn { id, result: jobs::device(ctx, job_scopes, on_prompt).await } },
            move |error| Internal::SignedIn { id, result: Err(error) },
        );
        self.login = Some(Login { id, scopes, deadline: None, task: Some(task), phase: Phase::Device });
    }

    pub(super) fn device_prompt(&mut self, id: u64, prompt: DevicePrompt) {
        if self.login.as_ref().is_some_and(|l| l.id == id && matches!(l.phase, Phase::Device)) {
            tracing::info!("waiting for the device sign-in");
            self.set_status(AuthStatus::WaitingForDevice(prompt));
        }
    }

    pub(super) fn signed_in(&mut self, id: u64, result: Result<Signed, AuthError>) {
        if self.login.as_ref().is_none_or(|l| l.id != id) {
            return;
        }
        match result {
            Ok(signed) => {
                self.login = None;
                tracing::info!(subject = %signed.session.subject, "signed in");
                self.adopt(signed);
                self.show_session();
            }
            Err(error) => self.fail_login(&error),
        }
    }

    pub(super) fn cancel_login(&mut self) {
        if self.login.is_some() {
            tracing::info!("sign-in cancelled");
            self.drop_login();
            self.show_session();
        }
    }

    pub(super) fn login_timed_out(&mut self) {
        let seconds = self.ctx.config.login_timeout.as_secs();
        self.fail_login(&AuthError::Timeout { seconds });
    }

    fn fail_login(&mut self, error: &AuthError) {
        tracing::warn!(%error, "sign-in failed");
        self.drop_login();
        if self.logout.is_none() {
            self.set_status(AuthStatus::Failed { reason: error.to_string() });
        }
    }

    /// Ends any sign-in in progress: its job stopped, its listener closed.
    pub(super) fn drop_login(&mut self) {
        if let Some(login) = self.login.take()
            && let Some(task) = login.task
        {
            task.abort();
        }
    }
}

fn judge(waiting: &Waiting, params: &[(String, String)]) -> Verdict {
    response::check(params, &waiting.state, &waiting.metadata.issuer, waiting.metadata.iss_parameter_supported)
}
