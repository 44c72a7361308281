//! The offline demo: an authorization server laid out like ZorgAPIs' Keycloak and a ZorgAPIs-shaped API, both
//! in-process on 127.0.0.1, so anyone can see the whole flow (sign-in, refresh, calls, errors) with no account and
//! no network.
//!
//! [`start`] binds both servers and hands back their URLs; dropping the [`DemoServers`] stops them. [`approve`] plays
//! the person's browser for a sign-in when none can be opened, [`end_session`] for a sign-out. The servers share one
//! in-memory token store: access tokens are opaque random strings that the API looks up, as a resource server would
//! through introspection (which the authorization server offers too).
//!
//! To sign in against it, a profile needs only [`DemoServers::issuer`] (discovery does the rest),
//! [`DemoServers::client_id`] (public, PKCE S256, any loopback redirect URI and port), any scopes from
//! [`SUPPORTED_SCOPES`] (unknown ones are dropped; none at all grants every `:read` scope), and
//! [`DemoServers::api_base`] as the API. The ZorgAPIs catalogue's paths work unchanged under that base. The
//! confidential client [`CONFIDENTIAL_CLIENT_ID`] signs in the same way with [`DemoServers::client_secret`] (HTTP
//! Basic or in the body); the machine client [`MACHINE_CLIENT_ID`] gets tokens for itself with that secret (client
//! credentials). A sign-in approved in a browser starts a session there (a cookie), which the end-session endpoint
//! (RP-Initiated Logout) ends.
//!
//! Lifetimes (codes, tokens, device polls, sessions) are measured on tokio's clock, which is the system's unless a
//! test pauses it: then the demo's tokens expire when the test moves time, without waiting for it.

mod api_server;
mod approve;
mod auth_server;
mod browser_sessions;
mod clients;
mod data;
mod device_codes;
mod id_token;
mod ids;
mod loopback;
mod model;
mod pages;
mod scopes;
mod tokens;

use std::net::{Ipv4Addr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use tokio::net::TcpListener;
use tokio::sync::oneshot;
use tokio::task::JoinHandle;

pub use approve::{approve, approve_device, approve_to_landing, end_session};
pub use clients::{CLIENT_ID, CONFIDENTIAL_CLIENT_ID, MACHINE_CLIENT_ID, PasteClient};
pub use scopes::SUPPORTED_SCOPES;

use crate::secret::Secret;

/// The realm in the issuer URL, as Keycloak names it.
pub const REALM: &str = "demo";

/// How the demo servers behave; `Default` is what `zorgtui --demo` uses.
#[derive(Debug, Clone)]
pub struct DemoOptions {
    /// Lifetime of access tokens: short by default so a refresh happens while someone watches.
    pub access_token_ttl: Duration,
    /// Lifetime of refresh tokens, renewed on every refresh (Keycloak's session idle timeout). Grants with
    /// `offline_access` get refresh tokens that do not expire, reported as `refresh_expires_in: 0`.
    pub refresh_token_ttl: Duration,
    /// Port of the authorization server on 127.0.0.1; `None` picks a free one.
    pub auth_port: Option<u16>,
    /// Port of the API on 127.0.0.1; `None` picks a free one.
    pub api_port: Option<u16>,
    /// Display name of the one demo user (`name` claim, `GET /users/me`).
    pub user_name: String,
    /// Least time between two device-flow polls; polling sooner gets `slow_down`. The `interval` announced to the
    /// client is this rounded up to whole seconds.
    pub device_poll_interval: Duration,
    /// How long a device code (and its user code) may wait for approval.
    pub device_code_ttl: Duration,
    /// The realm in the issuer's path (`/realms/<realm>`): [`REALM`] unless a Postman collection names another.
    pub realm: String,
    /// A public client registered with a redirect that is not loopback (a collection's `zorgapis.postman` and
    /// Postman's callback page): its sign-in ends by pasting the landed-on address.
    pub paste_client: Option<PasteClient>,
}

impl Default for DemoOptions {
    fn default() -> Self {
        DemoOptions {
            access_token_ttl: Duration::from_secs(60),
            refresh_token_ttl: Duration::from_secs(30 * 60),
            auth_port: None,
            api_port: None,
            user_name: "Demo User".to_owned(),
            device_poll_interval: Duration::from_secs(5),
            device_code_ttl: Duration::from_secs(600),
            realm: REALM.to_owned(),
            paste_client: None,
        }
    }
}

/// What can go wrong starting the demo or approving a sign-in in it.
#[derive(Debug, thiserror::Error)]
pub enum DemoError {
    #[error("could not listen on 127.0.0.1:{port} for the demo {server} ({source}); pick another port or none")]
    Bind {
        server: &'static str,
        port: u16,
        #[source]
        source: std::io::Error,
    },
    #[error("the built-in demo data is broken ({0}); this is a bug in zorgtui")]
    Data(String),
    #[error("refused to open {0}: the demo only talks to 127.0.0.1, localhost or [::1] over http")]
    NotLoopback(String),
    #[error("the demo sign-in request failed: {0}")]
    Http(#[source] reqwest::Error),
    #[error("the demo sign-in did not go as expected: {0}")]
    Unexpected(String),
}

/// The two running demo servers. Dropping this stops them (connections in flight finish first); [`shutdown`]
/// also waits for that.
///
/// [`shutdown`]: DemoServers::shutdown
#[derive(Debug)]
pub struct DemoServers {
    issuer: String,
    api_base: String,
    client_secret: Secret,
    auth_addr: SocketAddr,
    api_addr: SocketAddr,
    // Dropping a sender is the shutdown signal for its server.
    stop: Vec<oneshot::Sender<()>>,
    tasks: Vec<JoinHandle<()>>,
}

impl DemoServers {
    /// The issuer, e.g. `http://127.0.0.1:PORT/realms/demo`; discovery is at `{issuer}/.well-known/openid-configuration`.
    pub fn issuer(&self) -> &str {
        &self.issuer
    }

    /// The API base URL, e.g. `http://127.0.0.1:PORT/v1beta2` (the ZorgAPIs operations' paths go after it).
    pub fn api_base(&self) -> &str {
        &self.api_base
    }

    /// The client id to sign in with.
    pub fn client_id(&self) -> &'static str {
        CLIENT_ID
    }

    /// The secret of [`CONFIDENTIAL_CLIENT_ID`] and [`MACHINE_CLIENT_ID`], made fresh for each run.
    pub fn client_secret(&self) -> &Secret {
        &self.client_secret
    }

    pub fn auth_addr(&self) -> SocketAddr {
        self.auth_addr
    }

    pub fn api_addr(&self) -> SocketAddr {
        self.api_addr
    }

    /// Stops both servers and waits (at most a few seconds) until they have finished.
    pub async fn shutdown(mut self) {
        self.stop.clear();
        for task in self.tasks.drain(..) {
            let abort = task.abort_handle();
            if tokio::time::timeout(Duration::from_secs(3), task).await.is_err() {
                abort.abort();
            }
        }
    }
}

/// Starts the demo authorization server and API on 127.0.0.1 (ports from `options`, or free ones).
pub async fn start(options: DemoOptions) -> Result<DemoServers, DemoError> {
    let data = data::shared()?;
    let auth_listener = bind("authorization server", options.auth_port).await?;
    let api_listener = bind("API", options.api_port).await?;
    let auth_addr = local_addr("authorization server", &auth_listener)?;
    let api_addr = local_addr("API", &api_listener)?;
    let realm =
        if options.realm.is_empty() || options.realm.contains(['/', '?', '#']) { REALM } else { &options.realm };
    let issuer = format!("http://{auth_addr}/realms/{realm}");
    let options = DemoOptions { realm: realm.to_owned(), ..options };
    let api_base = format!("http://{api_addr}/v1beta2");

    let user = data::DemoUser::new(&data, &options.user_name);
    let tokens = Arc::new(tokens::TokenStore::new(options.access_token_ttl, options.refresh_token_ttl));
    let client_secret = Secret::new(ids::random_secret());
    let clients = clients::Clients::new(client_secret.clone()).with_paste(options.paste_client.clone());
    let context = auth_server::AuthContext::new(issuer.clone(), Arc::clone(&tokens), clients, user.clone(), &options);
    let auth_router = auth_server::router(context);
    let api_router = api_server::router(api_server::ApiContext::new(tokens, data, user, api_base.clone()));

    let (auth_stop, auth_task) = serve(auth_listener, auth_router);
    let (api_stop, api_task) = serve(api_listener, api_router);
    tracing::info!(%issuer, %api_base, "demo servers started");
    Ok(DemoServers {
        issuer,
        api_base,
        client_secret,
        auth_addr,
        api_addr,
        stop: vec![auth_stop, api_stop],
        tasks: vec![auth_task, api_task],
    })
}

async fn bind(server: &'static str, port: Option<u16>) -> Result<TcpListener, DemoError> {
    let port = port.unwrap_or(0);
    TcpListener::bind((Ipv4Addr::LOCALHOST, port)).await.map_err(|source| DemoError::Bind { server, port, source })
}

fn local_addr(server: &'static str, listener: &TcpListener) -> Result<SocketAddr, DemoError> {
    listener.local_addr().map_err(|source| DemoError::Bind { server, port: 0, source })
}

fn serve(listener: TcpListener, router: axum::Router) -> (oneshot::Sender<()>, JoinHandle<()>) {
    let (stop, stopped) = oneshot::channel::<()>();
    let task = tokio::spawn(async move {
        let signal = async move {
            // Either an explicit send or the sender being dropped means stop.
            let _ = stopped.await;
        };
        if let Err(error) = axum::serve(listener, router).with_graceful_shutdown(signal).await {
            tracing::warn!(%error, "demo server stopped with an error");
        }
    });
    (stop, task)
}
