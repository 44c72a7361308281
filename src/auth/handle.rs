//! The engine's face: commands in, the access token and the status out. Dropping the handle stops the engine;
//! [`AuthHandle::shutdown`] stops it and waits for a refresh or a sign-out on its way to be saved.

use std::sync::Arc;
use std::time::Duration;

use futures_util::FutureExt as _;
use tokio::sync::{mpsc, oneshot, watch};

use super::engine::{Engine, Request};
use super::error::AuthError;
use super::jobs::Ctx;
use super::{AuthCommand, AuthConfig, AuthEvent, AuthStatus};
use crate::secret::Secret;

/// Starts the auth engine as a tokio task (it must be called inside a runtime) and returns at once. `on_event` is
/// called from the engine's task for every status change and notice; it must not block.
pub fn spawn(config: AuthConfig, on_event: impl Fn(AuthEvent) + Send + Sync + 'static) -> AuthHandle {
    let (requests, requests_rx) = mpsc::unbounded_channel();
    let (status_tx, status) = watch::channel(AuthStatus::SignedOut);
    let (token_tx, token) = watch::channel(None);
    let (secrets_tx, secrets) = watch::channel(Vec::new());
    let on_event: Arc<dyn Fn(AuthEvent) + Send + Sync> = Arc::new(on_event);
    let engine = Engine::run(
        Ctx::new(config),
        Arc::clone(&on_event),
        status_tx.clone(),
        token_tx.clone(),
        secrets_tx,
        requests_rx,
    );
    tokio::spawn(async move {
        // Should the engine itself panic, the screen and the doors are told, instead of waiting on a silent
        // engine; requests then answer `EngineStopped`, and no token is left that nothing would refresh or expire.
        if let Err(payload) = std::panic::AssertUnwindSafe(engine).catch_unwind().await {
            tracing::error!(panic = super::engine::panic_text(payload.as_ref()), "the auth engine panicked");
            token_tx.send_replace(None);
            let status = AuthStatus::Failed { reason: AuthError::Internal.to_string() };
            status_tx.send_replace(status.clone());
            on_event(AuthEvent::Status(status));
        }
    });
    AuthHandle { requests, token, secrets, status }
}

/// How long [`AuthHandle::shutdown`] waits at most for a refresh or a sign-out on its way.
pub const SHUTDOWN_WAIT: Duration = Duration::from_secs(5);

/// Talks to a running engine.
pub struct AuthHandle {
    requests: mpsc::UnboundedSender<Request>,
    token: watch::Receiver<Option<Secret>>,
    secrets: watch::Receiver<Vec<Secret>>,
    status: watch::Receiver<AuthStatus>,
}

impl AuthHandle {
    /// Asks the engine to do something; what comes of it arrives as events.
    pub fn send(&self, command: AuthCommand) {
        let _ = self.requests.send(Request::Command(command));
    }

    /// A command sender that outlives borrows of the handle (for the run loop's effect runner).
    pub fn commander(&self) -> impl Fn(AuthCommand) + Send + Sync + 'static {
        let requests = self.requests.clone();
        move |command| {
            let _ = requests.send(Request::Command(command));
        }
    }

    /// The current access token (`None` when there is no usable one), to read at send time.
    pub fn token(&self) -> watch::Receiver<Option<Secret>> {
        self.token.clone()
    }

    /// Every token of this run's sessions that a kept file must not hold: the access token (also once expired or
    /// replaced), the refresh token and the ID token, the newest few. For scrubbing by value, never for sending.
    pub fn session_secrets(&self) -> Vec<Secret> {
        self.secrets.borrow().clone()
    }

    /// Asks the engine to stop, at once, and returns a future that waits (at most [`SHUTDOWN_WAIT`]) until a
    /// refresh or a sign-out on its way has finished and saved: await it before the runtime goes, or a refresh
    /// cut off between the token response and the save loses the rotated refresh token. The sign-in in progress
    /// ends at once.
    pub fn shutdown(self) -> impl Future<Output = Option<String>> + Send + 'static {
        self.stopper().stop()
    }

    /// What stops the engine and waits for it, for an owner that hands the handle itself to someone else.
    pub fn stopper(&self) -> AuthStopper {
        AuthStopper { requests: self.requests.clone() }
    }

    /// The latest status.
    pub fn status(&self) -> AuthStatus {
        self.status.borrow().clone()
    }

    /// The status as it changes (only the latest is kept between reads).
    pub fn statuses(&self) -> watch::Receiver<AuthStatus> {
        self.status.clone()
    }

    /// The claims of the session's tokens as a JSON document (see [`crate::auth::claims`]): decoded offline, and
    /// with the server's introspection and userinfo answers when `query.ask_server`. For the claims view.
    pub async fn claims(&self, query: super::claims::ClaimsQuery) -> Result<serde_json::Value, AuthError> {
        let (reply, answer) = oneshot::channel();
        self.requests.send(Request::Claims(query, reply)).map_err(|_| AuthError::EngineStopped)?;
        answer.await.map_err(|_| AuthError::EngineStopped)?
    }

    /// Refreshes now and returns the new access token: for "a 401 triggers one refresh and one retry". Callers that
    /// ask while a refresh runs share it. If another process refreshed meanwhile, its token is taken instead.
    pub async fn refresh_now(&self) -> Result<Secret, AuthError> {
        let (reply, answer) = oneshot::channel();
        self.requests.send(Request::RefreshNow(reply)).map_err(|_| AuthError::EngineStopped)?;
        answer.await.map_err(|_| AuthError::EngineStopped)?
    }
}

/// Stops an engine and waits for it (see [`AuthHandle::shutdown`]), wherever its handle went.
pub struct AuthStopper {
    requests: mpsc::UnboundedSender<Request>,
}

impl AuthStopper {
    /// Asks the engine to stop, at once (not when awaited); the future waits, at most [`SHUTDOWN_WAIT`], for a
    /// refresh or a sign-out on its way to finish and save. An engine already gone is done. Answers what the person
    /// should still read: a session that could not be saved, even at the end.
    pub fn stop(self) -> impl Future<Output = Option<String>> + Send + 'static {
        let (finished, done) = oneshot::channel();
        let asked = self.requests.send(Request::Shutdown(Some(finished))).is_ok();
        async move {
            if !asked {
                return None;
            }
            let Ok(parting) = tokio::time::timeout(SHUTDOWN_WAIT, done).await else {
                tracing::warn!(seconds = SHUTDOWN_WAIT.as_secs(), "the auth engine did not finish in time");
                return None;
            };
            parting.ok().flatten()
        }
    }
}

impl Drop for AuthHandle {
    /// Stops the engine (also while a [`AuthHandle::commander`] lives on): the sign-in in progress ends and its
    /// listener closes; a refresh or a sign-out on its way finishes while the runtime lives.
    fn drop(&mut self) {
        let _ = self.requests.send(Request::Shutdown(None));
    }
}
