//! Signing in: the OAuth engine. It runs as a background task, takes [`AuthCommand`]s and reports [`AuthEvent`]s;
//! the screen only ever sees [`AuthStatus`], which holds no secret. The access token reaches the API client through
//! a `watch` channel read at send time, never through the screen.
//!
//! INTERFACE FIRST: the engine behind it is being written (see `spawn`); the TUI is built against these types.

use std::path::PathBuf;
use std::time::{Duration, SystemTime};

use crate::api::client::HttpSettings;
use crate::config::TokenStoreKind;

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

/// What the engine is asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
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
    /// Revoke the refresh token where the server offers revocation, then forget the session.
    Logout,
}

/// What the engine reports. Holds no secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthEvent {
    Status(AuthStatus),
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
}

/// How the browser should come back to us.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Redirect {
    /// The loopback listener on 127.0.0.1:port.
    Loopback { port: u16 },
    /// A registered URI that is not ours: the person pastes where the browser landed.
    Registered { uri: String },
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
    /// The session can no longer be refreshed (`invalid_grant`, revoked, server down): "session expired — press L".
    Expired {
        reason: String,
    },
    Failed {
        reason: String,
    },
}
