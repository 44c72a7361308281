//! The engine: one task that owns the session and reacts to commands, callbacks and the results of its jobs.
//!
//! It never waits on the network itself: discovery, token requests and the store run as jobs (their own tasks)
//! that report back, so a cancel, a paste or a logout is heard at any time. When nothing is going on it waits on
//! its channels and, while signed in, on one timer: the next refresh (or, with no way to refresh, the access
//! token's expiry). Signed out, it has no timer at all.
//!
//! Only the issuer refusing the refresh token (`invalid_grant`) ends a session. A refresh that fails otherwise
//! (the issuer unreachable, at start-up or later) keeps the session, says why, and is tried again after a pause
//! that grows; the access token is offered to the API until it expires.

mod login;
mod logout;

use std::sync::Arc;
use std::time::{Duration, SystemTime};

use tokio::sync::{mpsc, oneshot, watch};
use tokio::task::AbortHandle;
use tokio::time::Instant;

use super::claims::ClaimsQuery;
use super::error::AuthError;
use super::jobs::{self, Ctx, RefreshMode, Signed, Unrefreshed};
use super::listener::Callback;
use super::session::Session;
use super::{AuthCommand, AuthEvent, AuthStatus};
use crate::secret::Secret;

/// What the handle sends.
pub enum Request {
    Command(AuthCommand),
    RefreshNow(oneshot::Sender<Result<Secret, AuthError>>),
    /// The claims document of the current session.
    Claims(ClaimsQuery, oneshot::Sender<Result<serde_json::Value, AuthError>>),
    /// Stop: the handle was dropped, or its owner asks, with a sender to hear when what had to finish did.
    /// Stop; the sender hears what the person should still be told (a session that could not be saved).
    Shutdown(Option<oneshot::Sender<Option<String>>>),
}

/// What jobs and the listener send back. `id` ties a result to the job that is still wanted: a cancelled or
/// replaced job's late result is dropped.
enum Internal {
    BrowserReady {
        id: u64,
        result: Result<jobs::BrowserReady, AuthError>,
    },
    Callback {
        id: u64,
        callback: Callback,
    },
    DevicePrompt {
        id: u64,
        prompt: super::DevicePrompt,
    },
    SignedIn {
        id: u64,
        result: Result<Signed, AuthError>,
    },
    Refreshed {
        id: u64,
        result: Result<Option<Signed>, Unrefreshed>,
    },
    LoggedOut {
        id: u64,
        result: Result<jobs::LoggedOut, AuthError>,
    },
    /// The browser came back from ending the session at the server.
    LogoutLanded {
        id: u64,
        callback: Callback,
    },
}

/// A refresh on its way, and who waits for it.
struct RefreshJob {
    id: u64,
    task: AbortHandle,
    waiters: Vec<oneshot::Sender<Result<Secret, AuthError>>>,
}

/// What the one session timer does when it fires.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Timer {
    Refresh,
    /// The access token dies now: no longer offered to the API, and the session ends unless it can be refreshed.
    Expiry,
}

/// A failed refresh the session outlives.
struct Stale {
    reason: AuthError,
    retry_at: SystemTime,
}

/// The pause before trying a failed refresh again, doubled after each failure up to the longest.
const FIRST_RETRY_PAUSE: Duration = Duration::from_secs(10);
const LONGEST_RETRY_PAUSE: Duration = Duration::from_secs(5 * 60);
/// How many of the session's secrets, newest kept, are scrubbed by value: the live ones and a few replaced ones.
const MAX_KNOWN_SECRETS: usize = 12;

pub struct Engine {
    ctx: Ctx,
    on_event: Arc<dyn Fn(AuthEvent) + Send + Sync>,
    status: watch::Sender<AuthStatus>,
    token: watch::Sender<Option<Secret>>,
    /// Every secret of the session (the access token even once expired, the refresh and ID tokens), for scrubbing
    /// what is kept on disk by value.
    secrets: watch::Sender<Vec<Secret>>,
    internal: mpsc::UnboundedSender<Internal>,
    session: Option<Session>,
    /// Why the last refresh failed, and when to try again, while the session is kept.
    stale: Option<Stale>,
    /// The pause after the next failed refresh.
    retry_pause: Duration,
    login: Option<login::Login>,
    refresh: Option<RefreshJob>,
    logout: Option<(u64, AbortHandle)>,
    /// The browser ending the session at the server, after the sign-out here.
    end_session: Option<logout::EndSessionWait>,
    timer: Option<(Instant, Timer)>,
    next_id: u64,
    /// The session held could not be saved (a full disk): saved at the next refresh, or at the end.
    unsaved: bool,
}

impl Engine {
    pub fn run(
        ctx: Ctx,
        on_event: Arc<dyn Fn(AuthEvent) + Send + Sync>,
        status: watch::Sender<AuthStatus>,
        token: watch::Sender<Option<Secret>>,
        secrets: watch::Sender<Vec<Secret>>,
        requests: mpsc::UnboundedReceiver<Request>,
    ) -> impl std::future::Future<Output = ()> + Send {
        let (internal, internal_rx) = mpsc::unbounded_channel();
        let engine = Engine {
            ctx,
            on_event,
            status,
            token,
            secrets,
            internal,
            session: None,
            stale: None,
            retry_pause: FIRST_RETRY_PAUSE,
            login: None,
            refresh: None,
            logout: None,
            end_session: None,
            timer: None,
            next_id: 0,
            unsaved: false,
        };
        engine.serve(requests, internal_rx)
    }

    async fn serve(
        mut self,
        mut requests: mpsc::UnboundedReceiver<Request>,
        mut internal: mpsc::UnboundedReceiver<Internal>,
    ) {
        let finished = loop {
            let login_deadline = self.login.as_ref().and_then(login::Login::deadline);
            let end_session_deadline = self.end_session.as_ref().and_then(|wait| wait.deadline);
            let timer = self.timer;
            tokio::select! {
                request = requests.recv() => match request {
                    Some(Request::Command(command)) => self.command(command),
                    Some(Request::RefreshNow(reply)) => self.refresh_now(Some(reply)),
                    Some(Request::Claims(query, reply)) => self.claims(query, reply),
                    Some(Request::Shutdown(finished)) => break finished,
                    None => break None,
                },
                Some(message) = internal.recv() => self.internal(message),
                () = sleep_until(login_deadline) => self.login_timed_out(),
                () = sleep_until(end_session_deadline) => self.end_session_timed_out(),
                () = sleep_until(timer.map(|(at, _)| at)) => self.timer_fired(),
            }
        };
        self.finish(requests, internal, finished.into_iter().collect()).await;
    }

    /// On shutdown the sign-in stops (its listener closes, device polling ends) and nothing new starts, but a
    /// refresh or a sign-out on its way is waited for: stopping a refresh between the token response and the
    /// save would lose the rotated refresh token, which is then the only one that works. Whoever asked to stop
    /// hears on `finished` when that is done (and bounds the wait; the jobs have their own timeouts).
    async fn finish(
        mut self,
        mut requests: mpsc::UnboundedReceiver<Request>,
        mut internal: mpsc::UnboundedReceiver<Internal>,
        mut finished: Vec<oneshot::Sender<Option<String>>>,
    ) {
        self.drop_login();
        self.end_session = None;
        let mut handles_gone = false;
        while self.refresh.is_some() || self.logout.is_some() {
            tokio::select! {
                request = requests.recv(), if !handles_gone => match request {
                    Some(Request::Shutdown(also)) => finished.extend(also),
                    // A caller waiting for a token shares the refresh on its way; none other starts now.
                    Some(Request::RefreshNow(reply)) => match &mut self.refresh {
                        Some(job) => job.waiters.push(reply),
                        None => {
                            let _ = reply.send(Err(AuthError::EngineStopped));
                        }
                    },
                    Some(Request::Command(command)) => tracing::debug!(?command, "stopping: command ignored"),
                    Some(Request::Claims(_, reply)) => {
                        let _ = reply.send(Err(AuthError::EngineStopped));
                    }
                    None => handles_gone = true,
                },
                Some(message) = internal.recv() => self.internal(message),
            }
        }
        let parting = self.save_unsaved().await;
        for sender in finished {
            let _ = sender.send(parting.clone());
        }
    }

    /// At the end: a session that could not be saved gets one more try (the disk may have room again); if it still
    /// cannot be, its renewed refresh token is lost with this run, and the person is told to sign in next time.
    async fn save_unsaved(&mut self) -> Option<String> {
        let session = self.session.as_ref().filter(|_| self.unsaved)?;
        match jobs::save_if_newer(&self.ctx, session).await {
            Ok(()) => {
                tracing::info!("saved, at the end, the session that could not be saved before");
                self.unsaved = false;
                None
            }
            Err(error) => {
                tracing::warn!(%error, "the session could not be saved at the end either");
                Some(format!(
                    "the session could not be saved ({error}); its renewed refresh token is lost with this run: sign \
                     in again next time"
                ))
            }
        }
    }

    fn command(&mut self, command: AuthCommand) {
        // AuthCommand's Debug leaves out a pasted address (it carries the code).
        tracing::debug!(?command, "auth command");
        match command {
            AuthCommand::Restore => self.restore(),
            AuthCommand::Login { extra_scopes } => self.start_login(&extra_scopes, super::oauth::Prompt::Default),
            AuthCommand::LoginAsSomeoneElse { extra_scopes } => {
                self.start_login(&extra_scopes, super::oauth::Prompt::Login);
            }
            AuthCommand::PasteRedirect(text) => self.paste(&text),
            AuthCommand::StartDevice => self.start_device(),
            AuthCommand::CancelLogin => {
                self.cancel_end_session();
                self.cancel_login();
            }
            AuthCommand::Refresh => self.refresh_now(None),
            AuthCommand::Logout => self.start_logout(),
        }
    }

    fn internal(&mut self, message: Internal) {
        match message {
            Internal::BrowserReady { id, result } => self.browser_ready(id, result),
            Internal::Callback { id, callback } => self.callback(id, callback),
            Internal::DevicePrompt { id, prompt } => self.device_prompt(id, prompt),
            Internal::SignedIn { id, result } => self.signed_in(id, result),
            Internal::Refreshed { id, result } => self.refreshed(id, result),
            Internal::LoggedOut { id, result } => self.logged_out(id, result),
            Internal::LogoutLanded { id, callback } => self.logout_landed(id, callback),
        }
    }

    fn next_id(&mut self) -> u64 {
        self.next_id += 1;
        self.next_id
    }

    /// Runs `job` as a task whose result comes back as an internal message. Should it panic, `on_panic` comes
    /// back instead, with an error that says so: the engine never waits for an answer that will not come.
    fn spawn<F>(&self, job: F, on_panic: impl FnOnce(AuthError) -> Internal + Send + 'static) -> AbortHandle
    where
        F: std::future::Future<Output = Internal> + Send + 'static,
    {
        let internal = self.internal.clone();
        tokio::spawn(async move {
            let message = guarded(job, on_panic).await;
            let _ = internal.send(message);
        })
        .abort_handle()
    }

    // --- status -------------------------------------------------------------------------------------------------

    fn set_status(&self, status: AuthStatus) {
        let changed = self.status.send_if_modified(|current| {
            if *current == status {
                return false;
            }
            *current = status.clone();
            true
        });
        if changed {
            (self.on_event)(AuthEvent::Status(status));
        }
    }

    fn notice(&self, text: String) {
        tracing::info!(notice = %text, "auth notice");
        (self.on_event)(AuthEvent::Notice(text));
    }

    /// The status when no sign-in is shown: the session as it stands. A session whose refresh failed for a reason
    /// that may pass (the issuer down) still reads as signed in while its access token works; the failure is told
    /// as a notice, and the refresh is tried again.
    fn resting_status(&self) -> AuthStatus {
        let now = self.ctx.now();
        match (&self.session, &self.stale) {
            (Some(session), Some(stale)) if !session.access_expired(now) => AuthStatus::SignedIn(super::SessionInfo {
                refresh_trouble: Some(stale.reason.to_string()),
                ..session.info()
            }),
            (Some(_), Some(stale)) => AuthStatus::Expired { reason: stale.reason.to_string(), retrying: true },
            (Some(session), None) if self.refresh.is_some() => AuthStatus::Refreshing(session.info()),
            (Some(session), None) => AuthStatus::SignedIn(session.info()),
            (None, _) => AuthStatus::SignedOut,
        }
    }

    /// Shows the session's status unless a sign-in or a sign-out is on screen.
    fn show_session(&self) {
        if self.login.is_none() && self.logout.is_none() && self.end_session.is_none() {
            self.set_status(self.resting_status());
        }
    }

    fn publish_token(&self) {
        let now = self.ctx.now();
        let token = self.session.as_ref().filter(|s| !s.access_expired(now)).map(|s| s.access_token.clone());
        self.token.send_if_modified(|current| {
            if *current == token {
                return false;
            }
            current.clone_from(&token);
            true
        });
        let secrets: Vec<Secret> = self.session.as_ref().map_or_else(Vec::new, |s| {
            std::iter::once(&s.access_token).chain(&s.refresh_token).chain(&s.id_token).cloned().collect()
        });
        // Secrets of a session that ended are kept too: a body that echoed them can still be recorded after.
        self.secrets.send_if_modified(|known| {
            let new: Vec<Secret> = secrets.into_iter().filter(|s| !known.contains(s)).collect();
            known.extend(new.iter().cloned());
            let cap = known.len().saturating_sub(MAX_KNOWN_SECRETS);
            known.drain(..cap);
            !new.is_empty()
        });
    }

    // --- the session --------------------------------------------------------------------------------------------

    /// Takes a new or refreshed session: published, saved problems told, the next refresh planned.
    fn adopt(&mut self, signed: Signed) {
        self.unsaved = signed.save_error.is_some();
        if let Some(error) = signed.save_error {
            tracing::warn!(%error, "the session could not be saved");
            let what = if signed.session.last_refresh.is_some() { "refreshed" } else { "signed in" };
            self.notice(format!(
                "{}, but the session could not be saved: {error} — it is kept here and saved at the next chance",
                crate::text::capitalize(what)
            ));
        }
        self.session = Some(signed.session);
        self.stale = None;
        self.retry_pause = FIRST_RETRY_PAUSE;
        self.publish_token();
        self.schedule();
    }

    /// Forgets the session: no token for the API, nothing to refresh.
    fn forget(&mut self) {
        self.session = None;
        self.unsaved = false;
        self.stale = None;
        self.retry_pause = FIRST_RETRY_PAUSE;
        self.timer = None;
        self.publish_token();
    }

    fn schedule(&mut self) {
        let margin = self.ctx.config.refresh_margin;
        let clock = self.ctx.config.clock;
        let now = clock.now();
        self.timer = self.session.as_ref().and_then(|session| {
            let expiry = session.access_expires_at();
            // A machine client renews by a new grant, as a person's session does with its refresh token.
            let (at, timer) = match (session.renewable(), &self.stale) {
                (true, None) => (session.refresh_at(margin), Timer::Refresh),
                // The last refresh failed: try again later; should the token expire first, it is taken from the
                // API then.
                (true, Some(Stale { retry_at, .. })) if expiry > now && expiry < *retry_at => (expiry, Timer::Expiry),
                (true, Some(Stale { retry_at, .. })) => (*retry_at, Timer::Refresh),
                (false, _) => (expiry, Timer::Expiry),
            };
            clock.deadline(at).map(|at| (at, timer))
        });
    }

    fn timer_fired(&mut self) {
        let Some((_, timer)) = self.timer.take() else { return };
        match timer {
            // A refresh already on its way plans the next one when it is done.
            Timer::Refresh if self.refresh.is_some() => {}
            Timer::Refresh => self.start_refresh(RefreshMode::Scheduled, None),
            Timer::Expiry => {
                self.publish_token();
                // With a refresh token the session lives on: a refresh may still work (its retry is planned).
                let now = self.ctx.now();
                if self.session.as_ref().is_some_and(|s| s.access_expired(now) && !s.renewable()) {
                    let reason = self.stale.take().map_or(AuthError::SessionExpired, |stale| stale.reason);
                    self.session = None;
                    self.publish_token();
                    if self.login.is_none() && self.logout.is_none() {
                        self.set_status(AuthStatus::Expired { reason: reason.to_string(), retrying: false });
                    }
                } else {
                    // The token just expired while the issuer is away: the pane says so now, not at the next try.
                    self.show_session();
                    self.schedule();
                }
            }
        }
    }

    fn restore(&mut self) {
        if self.session.is_some() || self.refresh.is_some() {
            self.show_session();
            return;
        }
        if self.login.is_none() {
            self.set_status(AuthStatus::Working("Restoring the session".into()));
        }
        self.start_refresh(RefreshMode::Restore, None);
    }

    fn refresh_now(&mut self, reply: Option<oneshot::Sender<Result<Secret, AuthError>>>) {
        if let Some(job) = &mut self.refresh {
            job.waiters.extend(reply);
            return;
        }
        if self.session.is_none() {
            if let Some(reply) = reply {
                let _ = reply.send(Err(AuthError::NotSignedIn));
            }
            return;
        }
        self.start_refresh(RefreshMode::Forced, reply);
    }

    fn start_refresh(&mut self, mode: RefreshMode, reply: Option<oneshot::Sender<Result<Secret, AuthError>>>) {
        let id = self.next_id();
        let ctx = self.ctx.clone();
        let known = self.session.clone();
        let unsaved = self.unsaved;
        let task = self.spawn(
            async move {
                let result = jobs::refresh(ctx, known, mode, unsaved).await;
                Internal::Refreshed { id, result }
            },
            move |error| Internal::Refreshed { id, result: Err(error.into()) },
        );
        self.refresh = Some(RefreshJob { id, task, waiters: reply.into_iter().collect() });
        if mode != RefreshMode::Restore
            && let Some(session) = &self.session
            && self.login.is_none()
            && self.logout.is_none()
        {
            self.set_status(AuthStatus::Refreshing(session.info()));
        }
    }

    fn refreshed(&mut self, id: u64, result: Result<Option<Signed>, Unrefreshed>) {
        if self.refresh.as_ref().is_none_or(|job| job.id != id) {
            return;
        }
        let waiters = self.refresh.take().map(|job| job.waiters).unwrap_or_default();
        let answer = match result {
            Ok(Some(signed)) => {
                self.adopt(signed);
                self.session.as_ref().map(|s| s.access_token.clone()).ok_or(AuthError::NotSignedIn)
            }
            Ok(None) => {
                self.forget();
                Err(AuthError::NotSignedIn)
            }
            Err(Unrefreshed { error, session }) => {
                if !error.ends_session() && self.session.is_none() {
                    // At start-up: the stored session, kept like the one a refresh in the background fails for.
                    self.session = session.map(|session| *session);
                    self.publish_token();
                }
                if error.ends_session() || self.session.is_none() {
                    tracing::info!(%error, "the session ended");
                    self.forget();
                    if self.login.is_none() && self.logout.is_none() {
                        self.set_status(AuthStatus::Expired { reason: error.to_string(), retrying: false });
                    }
                    for waiter in waiters {
                        let _ = waiter.send(Err(error.clone()));
                    }
                    return;
                }
                // The issuer could not be reached (or answered oddly): the session is kept and the access token
                // works until it expires; the refresh is tried again after a pause.
                tracing::warn!(%error, retry_in = ?self.retry_pause, "refresh failed; the session is kept");
                let now = self.ctx.now();
                let meanwhile = if self.session.as_ref().is_some_and(|s| s.access_expired(now)) {
                    "the access token has expired; the refresh is tried again"
                } else {
                    "the current token works until it expires, and the refresh is tried again"
                };
                let what = match &error {
                    AuthError::RefreshUnreachable(_) => crate::text::capitalize(&error.to_string()),
                    _ => format!("Cannot refresh the session: {error}"),
                };
                self.notice(format!("{what}; {meanwhile}"));
                let retry_at = now.checked_add(self.retry_pause).unwrap_or(now);
                self.stale = Some(Stale { reason: error.clone(), retry_at });
                self.retry_pause = (self.retry_pause * 2).min(LONGEST_RETRY_PAUSE);
                self.schedule();
                Err(error)
            }
        };
        self.show_session();
        for waiter in waiters {
            let _ = waiter.send(answer.clone());
        }
    }
}

async fn sleep_until(deadline: Option<Instant>) {
    match deadline {
        Some(deadline) => tokio::time::sleep_until(deadline).await,
        None => std::future::pending().await,
    }
}

/// `job`'s output, or `on_panic`'s if it panics: a job that dies must still be answered for.
async fn guarded<T>(job: impl std::future::Future<Output = T>, on_panic: impl FnOnce(AuthError) -> T) -> T {
    use futures_util::FutureExt as _;
    match std::panic::AssertUnwindSafe(job).catch_unwind().await {
        Ok(output) => output,
        Err(payload) => {
            tracing::error!(panic = panic_text(payload.as_ref()), "an auth job panicked");
            on_panic(AuthError::Internal)
        }
    }
}

/// What a panic said, when it said it as text.
pub(super) fn panic_text(payload: &(dyn std::any::Any + Send)) -> &str {
    payload
        .downcast_ref::<&str>()
        .copied()
        .or_else(|| payload.downcast_ref::<String>().map(String::as_str))
        .unwrap_or("(no message)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_job_that_panics_is_answered_for() {
        let done: Result<u8, AuthError> = guarded(async { Ok(1) }, Err).await;
        assert_eq!(done, Ok(1));
        let panicked: Result<u8, AuthError> = guarded(async { panic!("overflow when adding duration") }, Err).await;
        assert_eq!(panicked, Err(AuthError::Internal));
    }
}
