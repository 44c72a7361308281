//! Signing in: the OAuth engine. It runs as a background task, takes [`AuthCommand`]s and reports [`AuthEvent`]s;
//! the screen only ever sees [`AuthStatus`], which holds no secret. The access token reaches the API client through
//! a `watch` channel read at send time, never through the screen.
//!
//! [`spawn`] starts the engine and returns an [`AuthHandle`]. The engine signs in with Authorization Code + PKCE
//! (RFC 7636, RFC 8252: a loopback listener, or the address the browser landed on pasted back), or with the device
//! grant (RFC 8628); it refreshes before expiry in the background and keeps the session in a locked store that
//! other zorgtui processes share; logout revokes (RFC 7009). No ratatui or crossterm here.

pub mod browser;
pub mod claims;
pub mod client_auth;
pub mod clock;
pub mod discovery;
mod engine;
pub mod error;
mod handle;
pub mod id_token;
pub mod identity;
pub mod introspect;
mod jobs;
pub mod jwks;
pub mod listener;
pub mod oauth;
pub mod pages;
pub mod response;
pub mod revoke;
mod send;
pub mod session;
pub mod store;

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

pub use clock::Clock;
pub use error::AuthError;
pub use handle::{AuthHandle, AuthStopper, SHUTDOWN_WAIT, spawn};
pub use send::{Sent, send_with_auth, start_with_auth};

use crate::config::{AppDirs, ClientCredentials, EndpointUrls, GrantKind, Profile, TokenStoreKind};
use crate::http::HttpSettings;

/// How long a sign-in waits for the browser by default.
pub const LOGIN_TIMEOUT: Duration = Duration::from_secs(5 * 60);

/// Everything the engine needs to know about a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuthConfig {
    pub issuer: String,
    pub client_id: String,
    /// Space-separated scopes to ask for.
    pub scope: String,
    /// A registered redirect URI that is not loopback (e.g. Postman's): sign-in then ends by pasting.
    pub redirect_uri: Option<String>,
    /// Fixed port for the loopback listener; `None` = ephemeral.
    pub callback_port: Option<u16>,
    /// Refresh this long before the access token expires.
    pub refresh_margin: Duration,
    /// How long a sign-in may wait for the browser (or the device) before giving up.
    pub login_timeout: Duration,
    pub store: StoreConfig,
    pub http: HttpSettings,
    /// Whether the engine may open a browser (no DISPLAY/WAYLAND_DISPLAY, SSH, `--no-browser` and tests say no).
    pub open_browser: bool,
    /// A person signing in, or the client itself (client credentials).
    pub grant: GrantKind,
    /// How the client authenticates to the server (none, a secret, a private key).
    pub client: ClientCredentials,
    /// Endpoints the profile names, over the server's metadata (or instead of it).
    pub endpoints: EndpointUrls,
    /// A registered post-logout redirect URI; `None`: the loopback listener, where the server allows it.
    pub post_logout_redirect_uri: Option<String>,
    /// Where the engine reads the time (the system's; tests drive it with tokio's paused clock).
    pub clock: Clock,
}

impl AuthConfig {
    /// The engine's settings for `profile`, its tokens under `dirs.data_dir`.
    pub fn from_profile(profile: &Profile, dirs: &AppDirs, open_browser: bool) -> AuthConfig {
        AuthConfig {
            issuer: profile.issuer.clone(),
            client_id: profile.client_id.clone(),
            scope: profile.scope.clone(),
            redirect_uri: profile.redirect_uri.clone(),
            callback_port: profile.callback_port,
            refresh_margin: profile.refresh_margin,
            login_timeout: LOGIN_TIMEOUT,
            store: StoreConfig { data_dir: dirs.data_dir.clone(), key: profile.store_key(), kind: profile.token_store },
            http: HttpSettings::for_profile(profile),
            open_browser,
            grant: profile.grant,
            client: profile.client.clone(),
            endpoints: profile.endpoints.clone(),
            post_logout_redirect_uri: profile.post_logout_redirect_uri.clone(),
            clock: Clock::system(),
        }
    }
}

/// Where the session of a profile is kept.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StoreConfig {
    /// The data dir; token files go in a 0700 `tokens/` below it.
    pub data_dir: PathBuf,
    /// The profile's store key (`Profile::store_key`).
    pub key: String,
    pub kind: TokenStoreKind,
}

/// What the engine is asked to do. Its `Debug` leaves out a pasted address: that carries the authorization code.
#[derive(Clone, PartialEq, Eq)]
pub enum AuthCommand {
    /// Load a stored session (refreshing it if its access token expired); no browser.
    Restore,
    /// Start a sign-in (Authorization Code + PKCE). `extra_scopes` are added to the profile's (step-up).
    Login { extra_scopes: Vec<String> },
    /// The URL the browser landed on, pasted by the person (works with any registered redirect URI).
    PasteRedirect(String),
    /// Switch the running sign-in to the device authorization grant (RFC 8628).
    StartDevice,
    /// Give up the running sign-in.
    CancelLogin,
    /// Refresh now (e.g. the API answered 401).
    Refresh,
    /// Revoke the refresh token where the server offers revocation, forget the session, then end the session at
    /// the server too where it offers RP-Initiated Logout (the status is `SigningOut` while the browser does that).
    Logout,
    /// Like `Login`, but the server is asked to ask for credentials again (`prompt=login`) even if the browser is
    /// still signed in there: to sign in as someone else without signing out first.
    LoginAsSomeoneElse { extra_scopes: Vec<String> },
}

impl std::fmt::Debug for AuthCommand {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AuthCommand::Restore => f.write_str("Restore"),
            AuthCommand::Login { extra_scopes } => f.debug_struct("Login").field("extra_scopes", extra_scopes).finish(),
            AuthCommand::PasteRedirect(_) => f.write_str("PasteRedirect(***)"),
            AuthCommand::StartDevice => f.write_str("StartDevice"),
            AuthCommand::CancelLogin => f.write_str("CancelLogin"),
            AuthCommand::Refresh => f.write_str("Refresh"),
            AuthCommand::Logout => f.write_str("Logout"),
            AuthCommand::LoginAsSomeoneElse { extra_scopes } => {
                f.debug_struct("LoginAsSomeoneElse").field("extra_scopes", extra_scopes).finish()
            }
        }
    }
}

/// What the engine reports. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthEvent {
    Status(AuthStatus),
    /// Something to tell the person that does not change the status: a pasted address that is not for this
    /// sign-in, a logout whose revocation failed, a session that could not be saved.
    Notice(String),
}

/// A signed-in session, as the screen may show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SessionInfo {
    /// Who: `name`, else `preferred_username`, else `sub` from the ID token or userinfo.
    pub subject: String,
    /// Scopes granted (may be narrower than asked).
    pub scopes: Vec<String>,
    pub access_expires_at: SystemTime,
    /// When the refresh token expires, when known (`refresh_expires_in`; 0 means an offline token: `None`).
    pub refresh_expires_at: Option<SystemTime>,
    pub last_refresh: Option<SystemTime>,
    pub has_refresh_token: bool,
    /// Why the last refresh failed, while it is tried again (the issuer unreachable): the token works meanwhile.
    pub refresh_trouble: Option<String>,
    /// A machine client (client credentials): no person signed in, `subject` says which client, `scopes` what it
    /// was granted, and it is renewed by a new grant (`has_refresh_token` is false).
    pub machine_client: bool,
}

/// How the browser should come back to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The loopback listener on `port`, at the address the redirect URI names (127.0.0.1 unless it says `[::1]`).
    Loopback { ip: std::net::IpAddr, port: u16 },
    /// A registered URI that is not ours: the person pastes where the browser landed.
    Registered { uri: String },
}

impl Redirect {
    /// The loopback host as a URL or `ssh -L` names it: `127.0.0.1`, `[::1]`.
    pub fn loopback_host(ip: std::net::IpAddr) -> String {
        match ip {
            std::net::IpAddr::V4(v4) => v4.to_string(),
            std::net::IpAddr::V6(v6) => format!("[{v6}]"),
        }
    }
}

/// A sign-in waiting for the person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogin {
    /// The authorize URL, whole (it carries no secret: the PKCE challenge and state are public by design).
    pub authorize_url: String,
    pub redirect: Redirect,
    /// Whether a browser was opened for it.
    pub browser_opened: bool,
    /// Whether discovery offers the device grant.
    pub device_available: bool,
}

/// A sign-out waiting for the browser to end the session at the server (OpenID Connect RP-Initiated Logout).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PendingLogout {
    /// The end-session address, whole (its `id_token_hint` is a signed statement of who signed in, not a
    /// credential: it cannot be used to call anything). To show and to copy, like the sign-in address.
    pub end_session_url: String,
    /// Whether a browser was opened for it.
    pub browser_opened: bool,
    /// Whether the browser comes back to the loopback listener when it is done (else nothing will confirm it, and
    /// the wait ends with a cancel or after the sign-in timeout).
    pub confirmable: bool,
}

/// The device grant's prompt.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DevicePrompt {
    pub user_code: String,
    pub verification_uri: String,
    pub verification_uri_complete: Option<String>,
    pub expires_at: SystemTime,
}

/// What the auth pane shows.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub enum AuthStatus {
    #[default]
    SignedOut,
    /// Looking at the issuer (discovery) or the stored session.
    Working(String),
    WaitingForBrowser(PendingLogin),
    WaitingForDevice(DevicePrompt),
    SignedIn(SessionInfo),
    Refreshing(SessionInfo),
    /// Signed out here (tokens revoked and forgotten); the browser is to end the session at the server. Ends in
    /// `SignedOut` when it lands back, on `CancelLogin`, or after the sign-in timeout.
    SigningOut(PendingLogout),
    /// The session cannot be refreshed: refused (`invalid_grant`, revoked), and gone; or the issuer unreachable,
    /// and kept (its access token offered until it expires, the refresh tried again by itself: `retrying`).
    Expired {
        reason: String,
        /// The session is kept and its refresh is tried again without the person: the issuer was unreachable or
        /// answered oddly (a 500), which may pass. Not "press L": it may well recover by itself.
        retrying: bool,
    },
    Failed {
        reason: String,
    },
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_pasted_address_is_never_printed() {
        let command = AuthCommand::PasteRedirect("http://127.0.0.1:1/callback?code=secret-code&state=s".into());
        assert_eq!(format!("{command:?}"), "PasteRedirect(***)");
    }

    #[test]
    fn loopback_hosts_are_written_as_urls_and_ssh_want_them() {
        assert_eq!(Redirect::loopback_host(std::net::Ipv4Addr::LOCALHOST.into()), "127.0.0.1");
        assert_eq!(Redirect::loopback_host(std::net::Ipv6Addr::LOCALHOST.into()), "[::1]");
    }
}
