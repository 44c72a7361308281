//! Driving the auth engine in tests: a config for the test authorization server in a temp dir, the events on a
//! channel, waits with a timeout that report what was seen.
//!
//! Waiting for the engine's own timers (a planned refresh, the pause before a retry, a token's expiry, the sign-in
//! timeout) takes no real time on tokio's paused clock: give the engine `Clock::tokio()` and pause. That is safe
//! while every server the engine talks to runs on the test's own runtime (`FakeIssuer`, the demo, axum fixtures),
//! or refuses the connection at once: a paused runtime with nothing to do jumps its clock to the next timer, and
//! would jump past the timeout of a request still on its way to another process (oidc-provider). Against that,
//! pause only while nothing is on its way (`tokio::time::pause`, `advance`, then `resume` before the engine's next
//! request goes out), or wait in real time where the server's clock is what is tested.

use std::path::Path;
use std::time::Duration;

use tokio::sync::mpsc;
use url::Url;
use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::auth::{self, AuthConfig, AuthEvent, AuthHandle, AuthStatus, PendingLogin, StoreConfig};
use zorgtui::config::TokenStoreKind;
use zorgtui::http::HttpSettings;
use zorgtui::secret::Secret;

use super::browser::Browser;
use super::oidc::OidcServer;

/// Upper bound for one step of a flow.
pub const STEP: Duration = Duration::from_secs(20);

pub async fn within<T>(step: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, step).await.expect("step timed out")
}

/// The engine's settings for the native client of `server`, its store in `data_dir`, never opening a browser.
pub fn config(server: &OidcServer, data_dir: &Path) -> AuthConfig {
    config_at(server.issuer().as_str(), server.native_client_id(), data_dir)
}

/// The engine's settings for any issuer and client.
pub fn config_at(issuer: &str, client_id: &str, data_dir: &Path) -> AuthConfig {
    AuthConfig {
        issuer: issuer.to_string(),
        client_id: client_id.to_string(),
        scope: "openid profile offline_access users:read".to_string(),
        redirect_uri: None,
        callback_port: None,
        refresh_margin: Duration::from_secs(30),
        login_timeout: Duration::from_secs(60),
        store: StoreConfig { data_dir: data_dir.to_path_buf(), key: "test".into(), kind: TokenStoreKind::File },
        http: HttpSettings { timeout: Some(Duration::from_secs(10)), ..HttpSettings::default() },
        open_browser: false,
        grant: zorgtui::config::GrantKind::AuthorizationCode,
        client: zorgtui::config::ClientCredentials::default(),
        endpoints: zorgtui::config::EndpointUrls::default(),
        post_logout_redirect_uri: None,
        clock: zorgtui::auth::Clock::system(),
    }
}

/// A running engine and everything it reported.
pub struct Engine {
    pub handle: AuthHandle,
    events: mpsc::UnboundedReceiver<AuthEvent>,
    pub seen: Vec<AuthEvent>,
}

impl Engine {
    pub fn start(config: AuthConfig) -> Engine {
        let (tx, events) = mpsc::unbounded_channel();
        let handle = auth::spawn(config, move |event| {
            let _ = tx.send(event);
        });
        Engine { handle, events, seen: Vec::new() }
    }

    /// Waits for a status that `wanted` accepts (statuses before it are kept in `seen`).
    pub async fn until(&mut self, what: &str, wanted: impl Fn(&AuthStatus) -> bool) -> AuthStatus {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            let next = tokio::time::timeout_at(deadline, self.events.recv()).await;
            match next {
                Ok(Some(event)) => {
                    self.seen.push(event.clone());
                    if let AuthEvent::Status(status) = event
                        && wanted(&status)
                    {
                        return status;
                    }
                }
                Ok(None) => panic!("the engine stopped while waiting for {what}; seen {:#?}", self.seen),
                Err(elapsed) => panic!("no {what} within {STEP:?} ({elapsed}); seen {:#?}", self.seen),
            }
        }
    }

    /// Waits for a notice.
    pub async fn notice(&mut self) -> String {
        let deadline = tokio::time::Instant::now() + STEP;
        loop {
            match tokio::time::timeout_at(deadline, self.events.recv()).await {
                Ok(Some(AuthEvent::Notice(text))) => return text,
                Ok(Some(event)) => self.seen.push(event),
                _ => panic!("no notice; seen {:#?}", self.seen),
            }
        }
    }

    /// The events reported since the last wait, without waiting for more (they are kept in `seen` too).
    pub fn drain(&mut self) -> Vec<AuthEvent> {
        let mut new = Vec::new();
        while let Ok(event) = self.events.try_recv() {
            new.push(event);
        }
        self.seen.extend(new.iter().cloned());
        new
    }

    pub async fn waiting_for_browser(&mut self) -> PendingLogin {
        match self.until("waiting for the browser", |s| matches!(s, AuthStatus::WaitingForBrowser(_))).await {
            AuthStatus::WaitingForBrowser(pending) => pending,
            _ => unreachable!(),
        }
    }

    pub async fn signed_in(&mut self) -> zorgtui::auth::SessionInfo {
        match self.until("signed in", |s| matches!(s, AuthStatus::SignedIn(_) | AuthStatus::Failed { .. })).await {
            AuthStatus::SignedIn(info) => info,
            other => panic!("sign-in failed: {other:?}"),
        }
    }

    pub async fn failed(&mut self) -> String {
        match self.until("a failure", |s| matches!(s, AuthStatus::Failed { .. } | AuthStatus::SignedIn(_))).await {
            AuthStatus::Failed { reason } => reason,
            other => panic!("expected a failure, got {other:?}"),
        }
    }

    pub fn token(&self) -> Option<Secret> {
        self.handle.token().borrow().clone()
    }

    /// Starts a sign-in (asking for `extra_scopes` as well) and lets the browser log in as `user`. Returns what the
    /// engine waits with, the browser, and the address the browser landed on, not yet visited.
    pub async fn browser_landing(&mut self, user: &str, extra_scopes: &[&str]) -> (PendingLogin, Browser, Url) {
        let extra_scopes = extra_scopes.iter().map(|s| (*s).to_string()).collect();
        self.handle.send(auth::AuthCommand::Login { extra_scopes });
        let pending = self.waiting_for_browser().await;
        let browser = Browser::new();
        let landing = within(browser.login(&Url::parse(&pending.authorize_url).unwrap(), user)).await.unwrap();
        (pending, browser, landing)
    }

    /// Signs in as `user` through the loopback listener, the test playing the browser.
    pub async fn sign_in(&mut self, user: &str) -> zorgtui::auth::SessionInfo {
        self.sign_in_with(user).await.0
    }

    /// [`Engine::sign_in`], returning the browser too (signed in at the server: its cookies hold the session).
    pub async fn sign_in_with(&mut self, user: &str) -> (zorgtui::auth::SessionInfo, Browser) {
        let (_, browser, landing) = self.browser_landing(user, &[]).await;
        let (status, _) = within(browser.fetch(&landing)).await.unwrap();
        assert_eq!(status, 200);
        (self.signed_in().await, browser)
    }

    /// Waits for the sign-out to reach the browser part (ending the session at the server).
    pub async fn signing_out(&mut self) -> zorgtui::auth::PendingLogout {
        match self.until("signing out in the browser", |s| matches!(s, AuthStatus::SigningOut(_))).await {
            AuthStatus::SigningOut(pending) => pending,
            _ => unreachable!(),
        }
    }
}

/// Waits (polling, within a step) until nothing listens on 127.0.0.1:`port` any more.
pub async fn port_closed(port: u16) {
    let closed = async {
        while tokio::net::TcpStream::connect(("127.0.0.1", port)).await.is_ok() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(STEP, closed).await.unwrap_or_else(|_| panic!("port {port} still open after {STEP:?}"));
}

/// The session in the store of `config`, read under its lock as the engine does.
pub async fn stored(config: &AuthConfig) -> Option<Session> {
    let store = TokenStore::new(&config.store);
    let lock = within(store.lock()).await.unwrap();
    within(lock.load()).await.unwrap()
}

/// GET userinfo with `token`: the server's word on whether the token is good.
pub async fn userinfo(server: &OidcServer, token: &Secret) -> (u16, String) {
    let request = reqwest::Client::new().get(server.endpoint("userinfo")).bearer_auth(token.expose());
    let response = within(request.send()).await.unwrap();
    let status = response.status().as_u16();
    (status, within(response.text()).await.unwrap())
}

/// A refresh with plain reqwest, outside the engine (to reuse an old refresh token, or to check one was revoked).
pub async fn raw_refresh(server: &OidcServer, refresh_token: &Secret) -> (u16, serde_json::Value) {
    let form = [
        ("grant_type", "refresh_token"),
        ("client_id", server.native_client_id()),
        ("refresh_token", refresh_token.expose()),
    ];
    let response = within(reqwest::Client::new().post(server.endpoint("token")).form(&form).send()).await.unwrap();
    let status = response.status().as_u16();
    (status, within(response.json()).await.unwrap_or_default())
}

/// The URL with one query parameter replaced.
pub fn with_param(url: &Url, name: &str, value: &str) -> Url {
    let pairs: Vec<(String, String)> = url
        .query_pairs()
        .map(|(k, v)| {
            let v = if k == name { value.to_string() } else { v.into_owned() };
            (k.into_owned(), v)
        })
        .collect();
    let mut out = url.clone();
    out.query_pairs_mut().clear().extend_pairs(pairs);
    out
}

/// A session of `issuer` and `client_id` obtained `ago` seconds ago whose access token works `left` more seconds,
/// with a refresh token: what a store holds after an earlier run.
pub fn session_for(issuer: &str, client_id: &str, ago: u64, left: u64) -> Session {
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs();
    Session {
        format: 1,
        issuer: issuer.to_string(),
        client_id: client_id.to_string(),
        subject: "Stored".into(),
        scopes: vec!["openid".into()],
        access_token: Secret::new("stored-access"),
        access_expires_at: now + left,
        obtained_at: now - ago,
        refresh_token: Some(Secret::new("stored-refresh")),
        refresh_expires_at: None,
        last_refresh: None,
        id_token: None,
        machine: false,
    }
}
