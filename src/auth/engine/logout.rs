//! Signing out: the tokens revoked and forgotten here, then, where the server offers RP-Initiated Logout, the
//! browser sent to end the session there, and its landing back on the loopback listener awaited (so the next
//! sign-in asks for credentials again). Also the claims document, which reads the session the engine holds.

use tokio::sync::oneshot;
use tokio::time::Instant;

use super::{Engine, Internal};
use crate::auth::claims::{self, ClaimsQuery};
use crate::auth::error::AuthError;
use crate::auth::jobs::{self, LoggedOut, Revocation};
use crate::auth::listener::{Callback, Listener};
use crate::auth::pages::Page;
use crate::auth::revoke::Hint;
use crate::auth::{AuthStatus, PendingLogout, browser, identity, introspect};
use crate::secret::Secret;

/// The browser on its way to end the session at the server.
pub struct EndSessionWait {
    id: u64,
    state: Secret,
    /// Held while waiting; dropping it closes the port.
    _listener: Option<Listener>,
    /// When waiting gives up: the sign-in timeout, which is as long as a person may take there.
    pub deadline: Option<Instant>,
}

impl Engine {
    pub(super) fn start_logout(&mut self) {
        self.drop_login();
        self.end_session = None;
        if let Some(job) = self.refresh.take() {
            job.task.abort();
            for waiter in job.waiters {
                let _ = waiter.send(Err(AuthError::NotSignedIn));
            }
        }
        if let Some((_, task)) = self.logout.take() {
            task.abort();
        }
        // No request goes out with a token that is being revoked.
        let known = self.session.take();
        self.forget();
        self.set_status(AuthStatus::Working("Signing out".into()));
        let id = self.next_id();
        let ctx = self.ctx.clone();
        let internal = self.internal.clone();
        let on_landing = move |callback| {
            let _ = internal.send(Internal::LogoutLanded { id, callback });
        };
        let task = self.spawn(
            async move { Internal::LoggedOut { id, result: jobs::logout(ctx, known, on_landing).await } },
            move |error| Internal::LoggedOut { id, result: Err(error) },
        );
        self.logout = Some((id, task));
    }

    pub(super) fn logged_out(&mut self, id: u64, result: Result<LoggedOut, AuthError>) {
        if self.logout.as_ref().is_none_or(|(current, _)| *current != id) {
            return;
        }
        self.logout = None;
        // What happened, never with a token: the log tells a sign-out from a session that merely ended.
        tracing::info!(result = ?result.as_ref().map(|r| match r.revocation {
            Revocation::Revoked => "revoked",
            Revocation::NothingToRevoke => "nothing to revoke",
            Revocation::NotOffered => "issuer offers no revocation",
            Revocation::Failed(_) => "revocation failed",
        }), end_session = result.as_ref().is_ok_and(|r| r.end_session.is_some()), "signed out");
        let end_session = match result {
            Ok(LoggedOut { revocation, end_session }) => {
                match revocation {
                    Revocation::Revoked | Revocation::NothingToRevoke => {}
                    Revocation::NotOffered => self.notice(
                        "signed out here; the issuer offers no revocation, so the refresh token stays valid until it \
                         expires"
                            .into(),
                    ),
                    Revocation::Failed(error) => self.notice(format!(
                        "signed out here, but the issuer could not be told ({error}): the refresh token stays valid \
                         until it expires"
                    )),
                }
                end_session
            }
            Err(error) => {
                self.notice(format!("signed out, but the stored session could not be removed: {error}"));
                None
            }
        };
        // A sign-in started meanwhile keeps its window (it is what the person is doing now): the browser session
        // is then left as it is.
        match end_session {
            Some(end) if self.login.is_none() => {
                let browser_opened = self.ctx.config.open_browser && browser::open(&end.url);
                let confirmable = end.listener.is_some();
                self.end_session = Some(EndSessionWait {
                    id,
                    state: end.state,
                    _listener: end.listener,
                    deadline: Instant::now().checked_add(self.ctx.config.login_timeout),
                });
                tracing::info!(browser_opened, confirmable, "ending the session at the server");
                self.set_status(AuthStatus::SigningOut(PendingLogout {
                    end_session_url: end.url,
                    browser_opened,
                    confirmable,
                }));
            }
            _ => self.show_session(),
        }
    }

    /// The browser came back from the server's end-session page.
    pub(super) fn logout_landed(&mut self, id: u64, callback: Callback) {
        let Some(wait) = self.end_session.as_ref().filter(|wait| wait.id == id) else {
            let _ = callback.reply.send(Page::Gone);
            return;
        };
        let state = callback.params.iter().find(|(name, _)| name == "state").map(|(_, value)| value.as_str());
        if state != Some(wait.state.expose()) {
            tracing::warn!("refused a sign-out landing for another sign-out (state mismatch); still waiting");
            let _ = callback.reply.send(Page::NotOurs);
            return;
        }
        let _ = callback.reply.send(Page::SignedOut);
        tracing::info!("the session at the server has ended");
        self.end_session = None;
        self.show_session();
    }

    /// Stops waiting for the browser to end the session at the server (the person pressed Esc, or signs in).
    pub(super) fn cancel_end_session(&mut self) {
        if self.end_session.take().is_some() {
            tracing::info!("stopped waiting for the end of the session at the server");
            self.show_session();
        }
    }

    pub(super) fn end_session_timed_out(&mut self) {
        tracing::info!("no landing from the end-session page in time");
        self.cancel_end_session();
    }

    /// The claims document of the session held now, the server asked when `query` says so.
    pub(super) fn claims(&self, query: ClaimsQuery, reply: oneshot::Sender<Result<serde_json::Value, AuthError>>) {
        let Some(session) = self.session.clone() else {
            let _ = reply.send(Err(AuthError::NotSignedIn));
            return;
        };
        let ctx = self.ctx.clone();
        tokio::spawn(async move {
            let mut document = claims::document(&session, query, ctx.now());
            if query.ask_server {
                let answers = ask_server(&ctx, &session).await;
                if let Some(object) = document.as_object_mut() {
                    object.extend(answers);
                }
            }
            let _ = reply.send(Ok(document));
        });
    }
}

/// Introspection of the access token and the userinfo answer, where the server offers them; what failed is said
/// in the document instead.
async fn ask_server(
    ctx: &jobs::Ctx,
    session: &crate::auth::session::Session,
) -> serde_json::Map<String, serde_json::Value> {
    let mut out = serde_json::Map::new();
    let metadata = match ctx.metadata().await {
        Ok(metadata) => metadata,
        Err(error) => {
            out.insert("server".into(), serde_json::json!({ "error": error.to_string() }));
            return out;
        }
    };
    let Ok(http) = ctx.http() else { return out };
    if let Some(endpoint) = &metadata.introspection_endpoint {
        let answer = async {
            let auth = ctx.client_auth(&metadata).await?;
            introspect::introspect(http, endpoint, &auth, &session.access_token, Hint::AccessToken, ctx.now()).await
        };
        let value = answer.await.unwrap_or_else(|e| serde_json::json!({ "error": e.to_string() }));
        out.insert("introspection".into(), value);
    } else {
        out.insert("introspection".into(), serde_json::json!({ "note": "the server offers no introspection" }));
    }
    if let Some(endpoint) = metadata.userinfo_endpoint.as_ref().filter(|_| !session.machine) {
        let value = identity::userinfo(http, endpoint, &session.access_token)
            .await
            .unwrap_or_else(|e| serde_json::json!({ "error": e }));
        out.insert("userinfo".into(), value);
    }
    out
}
