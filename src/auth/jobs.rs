//! The engine's network work, each piece an `async fn` the engine runs as its own task so that commands (cancel,
//! paste, logout) are heard while it runs: preparing a browser sign-in, exchanging the code, the device grant,
//! refreshing under the store's lock, and signing out.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use url::{Host, Url};

use super::discovery::{self, Metadata};
use super::error::AuthError;
use super::listener::{Callback, Listener};
use super::oauth::{self, Authorization, Tokens};
use super::revoke::{self, Hint};
use super::session::Session;
use super::store::TokenStore;
use super::{AuthConfig, DevicePrompt, Redirect, identity};
use crate::http::{Http, Purpose};
use crate::secret::Secret;

/// Tries of a refresh that failed for a reason that may pass (network, a server error), and the pause before each
/// further try.
const REFRESH_RETRY_PAUSES: [Duration; 2] = [Duration::from_secs(1), Duration::from_secs(3)];

/// What every job needs: the profile, one HTTP client (no redirects followed), the store, and the issuer's metadata
/// once discovered. The client is made on first use: restoring a stored session that is still valid, or having
/// none, needs no TLS set-up at all.
#[derive(Clone)]
pub struct Ctx {
    pub config: Arc<AuthConfig>,
    http: Arc<std::sync::OnceLock<Result<Http, AuthError>>>,
    pub store: TokenStore,
    metadata: Arc<tokio::sync::Mutex<Option<Arc<Metadata>>>>,
}

impl Ctx {
    pub fn new(config: AuthConfig) -> Ctx {
        let store = TokenStore::new(&config.store);
        Ctx { config: Arc::new(config), http: Arc::default(), store, metadata: Arc::default() }
    }

    pub fn http(&self) -> Result<&Http, AuthError> {
        self.http
            .get_or_init(|| Http::new(&self.config.http, Purpose::OAuth).map_err(|e| AuthError::Client(e.to_string())))
            .as_ref()
            .map_err(Clone::clone)
    }

    /// The issuer's metadata, discovered once per engine.
    pub async fn metadata(&self) -> Result<Arc<Metadata>, AuthError> {
        let mut cached = self.metadata.lock().await;
        if let Some(metadata) = cached.as_ref() {
            return Ok(Arc::clone(metadata));
        }
        let metadata = Arc::new(discovery::discover(self.http()?, &self.config.issuer).await?);
        *cached = Some(Arc::clone(&metadata));
        Ok(metadata)
    }

    fn client_id(&self) -> &str {
        &self.config.client_id
    }
}

/// A browser sign-in ready to be shown.
pub struct BrowserReady {
    pub metadata: Arc<Metadata>,
    pub authorization: Authorization,
    pub redirect_uri: String,
    pub redirect: Redirect,
    pub listener: Option<Listener>,
}

/// A new or refreshed session, and whether the store took it.
pub struct Signed {
    pub session: Session,
    pub save_error: Option<AuthError>,
}

/// Discovery, the loopback listener (unless the profile's redirect is not loopback), and the authorize URL.
pub async fn prepare_browser(
    ctx: Ctx,
    scopes: Vec<String>,
    on_callback: impl Fn(Callback) + Send + Sync + 'static,
) -> Result<BrowserReady, AuthError> {
    let metadata = ctx.metadata().await?;
    let configured = ctx.config.redirect_uri.clone();
    let loopback = match &configured {
        Some(uri) => loopback_redirect(uri)?,
        None => Some((Ipv4Addr::LOCALHOST.into(), ctx.config.callback_port.unwrap_or(0), "/callback".to_string())),
    };
    let (redirect_uri, redirect, listener) = if let Some((ip, port, path)) = loopback {
        let listener = Listener::bind(ip, port, path, on_callback).await?;
        let port = listener.port();
        let uri = configured.unwrap_or_else(|| format!("http://127.0.0.1:{port}/callback"));
        (uri, Redirect::Loopback { ip, port }, Some(listener))
    } else {
        let uri = configured.unwrap_or_default();
        (uri.clone(), Redirect::Registered { uri }, None)
    };
    let client = oauth::client(&metadata, ctx.client_id());
    let authorization = oauth::authorize(&client, &redirect_uri, &scopes)?;
    Ok(BrowserReady { metadata, authorization, redirect_uri, redirect, listener })
}

/// A configured redirect URI on this machine (`http://127.0.0.1:PORT/path`, `http://[::1]:PORT/path`,
/// `http://localhost:PORT/path`): the address, port and path to listen on. `localhost` is listened on at
/// 127.0.0.1 (RFC 8252 8.3: the name may resolve elsewhere, the IP literal cannot); the URI itself is sent as
/// configured, since that is what the client registered.
fn loopback_redirect(uri: &str) -> Result<Option<(IpAddr, u16, String)>, AuthError> {
    let url = Url::parse(uri).map_err(|_| AuthError::BadUrl { what: "redirect URI", value: uri.to_string() })?;
    if url.scheme() != "http" {
        return Ok(None);
    }
    let ip: IpAddr = match url.host() {
        Some(Host::Ipv4(ip)) if ip.is_loopback() => ip.into(),
        Some(Host::Ipv6(ip)) if ip.is_loopback() => ip.into(),
        Some(Host::Domain(name)) if name.eq_ignore_ascii_case("localhost") => Ipv4Addr::LOCALHOST.into(),
        _ => return Ok(None),
    };
    Ok(Some((ip, url.port_or_known_default().unwrap_or(80), url.path().to_string())))
}

/// Exchanges the code and saves the new session.
pub async fn exchange(
    ctx: Ctx,
    metadata: Arc<Metadata>,
    code: Secret,
    verifier: Secret,
    redirect_uri: String,
    scopes: Vec<String>,
) -> Result<Signed, AuthError> {
    let client = oauth::client(&metadata, ctx.client_id());
    let tokens = oauth::exchange_code(&client, ctx.http()?, &code, &verifier, &redirect_uri).await?;
    Ok(start_session(&ctx, &metadata, tokens, &scopes).await)
}

/// The device grant (RFC 8628): asks for a user code, reports it with `on_prompt`, polls until the person is done.
pub async fn device(
    ctx: Ctx,
    scopes: Vec<String>,
    on_prompt: impl FnOnce(DevicePrompt) + Send,
) -> Result<Signed, AuthError> {
    let metadata = ctx.metadata().await?;
    let client = oauth::client(&metadata, ctx.client_id());
    let details = oauth::start_device(&client, ctx.http()?, &scopes).await?;
    on_prompt(DevicePrompt {
        user_code: super::error::network_text(details.user_code().secret()),
        verification_uri: super::error::network_text(details.verification_uri().as_str()),
        verification_uri_complete: details
            .verification_uri_complete()
            .map(|uri| super::error::network_text(uri.secret())),
        // `expires_in` is capped when read; checked all the same, so no answer can make this panic.
        expires_at: SystemTime::now().checked_add(details.expires_in()).unwrap_or_else(SystemTime::now),
    });
    let tokens = oauth::poll_device(&client, ctx.http()?, &details).await?;
    Ok(start_session(&ctx, &metadata, tokens, &scopes).await)
}

/// A session from a first token response: who signed in, then saved under the lock.
async fn start_session(ctx: &Ctx, metadata: &Metadata, tokens: Tokens, scopes: &[String]) -> Signed {
    let claims = tokens.id_token.as_ref().and_then(|t| identity::id_token_claims(t, &metadata.issuer, ctx.client_id()));
    let mut subject = claims.as_ref().and_then(identity::name);
    if subject.is_none()
        && let (Some(endpoint), Ok(http)) = (&metadata.userinfo_endpoint, ctx.http())
    {
        subject = identity::from_userinfo(http, endpoint, &tokens.access_token).await;
    }
    let subject = subject
        .or_else(|| claims.as_ref().and_then(identity::display_name))
        .unwrap_or_else(|| "unknown user".to_string());
    let session = Session::new(&ctx.config.issuer, ctx.client_id(), tokens, scopes, subject);
    let save_error = match ctx.store.lock().await {
        Ok(lock) => lock.save(&session).await.err(),
        Err(e) => Some(e),
    };
    Signed { session, save_error }
}

/// Why a refresh runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RefreshMode {
    /// Start-up: take the stored session, refreshing it only if its access token is due.
    Restore,
    /// The planned refresh before expiry.
    Scheduled,
    /// Asked for (the API answered 401): refresh even if the token looks fresh, unless another process just did.
    Forced,
}

/// A refresh that did not work, and the session it started from.
pub struct Unrefreshed {
    pub error: AuthError,
    /// The session the refresh was for, as stored. At start-up the engine has no session of its own yet: this is
    /// the one it keeps when the failure may pass (the issuer unreachable), as a refresh in the background keeps
    /// the session it has.
    pub session: Option<Box<Session>>,
}

impl From<AuthError> for Unrefreshed {
    fn from(error: AuthError) -> Self {
        Unrefreshed { error, session: None }
    }
}

/// Refreshes under the store's lock. The store is the source of truth: if another process refreshed since this
/// engine last looked, its tokens are taken instead of spending a refresh token that was already rotated away.
/// `Ok(None)`: nothing stored and nothing known (signed out).
pub async fn refresh(ctx: Ctx, known: Option<Session>, mode: RefreshMode) -> Result<Option<Signed>, Unrefreshed> {
    let lock = ctx.store.lock().await?;
    let stored = lock.load().await?.filter(|s| s.is_for(&ctx.config.issuer, ctx.client_id()));
    let margin = ctx.config.refresh_margin;
    let adopt = |session: Session| Ok(Some(Signed { session, save_error: None }));
    if let Some(stored) = &stored {
        let changed_elsewhere = known.as_ref().is_none_or(|k| k.access_token != stored.access_token);
        if changed_elsewhere && stored.is_fresh(margin) {
            tracing::info!("took the session another process refreshed");
            return adopt(stored.clone());
        }
    }
    let stored_matches = stored.is_some();
    let Some(base) = stored.or(known) else { return Ok(None) };
    if mode != RefreshMode::Forced && base.is_fresh(margin) {
        return adopt(base);
    }
    let Some(refresh_token) = base.refresh_token.clone() else {
        return if mode != RefreshMode::Forced && !base.access_expired() {
            adopt(base)
        } else {
            Err(AuthError::SessionExpired.into())
        };
    };
    let kept = |error: AuthError| Unrefreshed { error, session: Some(Box::new(base.clone())) };
    let metadata = ctx.metadata().await.map_err(kept)?;
    let client = oauth::client(&metadata, ctx.client_id());
    let http = ctx.http().map_err(kept)?;
    let mut pauses = REFRESH_RETRY_PAUSES.iter();
    let tokens = loop {
        match oauth::refresh(&client, http, &refresh_token).await {
            Err(error) if may_pass(&error) => match pauses.next() {
                Some(pause) => {
                    tracing::warn!(%error, "refresh failed; trying again");
                    tokio::time::sleep(*pause).await;
                }
                None => break Err(error),
            },
            other => break other,
        }
    };
    match tokens {
        Ok(tokens) => {
            // A new ID token may carry a new name; one with only `sub` leaves the name from sign-in.
            let subject = tokens
                .id_token
                .as_ref()
                .and_then(|t| identity::id_token_claims(t, &metadata.issuer, ctx.client_id()))
                .and_then(|claims| identity::name(&claims));
            let session = base.refreshed(tokens, subject);
            // Saved before the lock is released: the rotated refresh token is the only one that works now.
            let save_error = lock.save(&session).await.err();
            tracing::info!(rotated = session.refresh_token != base.refresh_token, "refreshed");
            Ok(Some(Signed { session, save_error }))
        }
        Err(AuthError::SessionExpired) => {
            if stored_matches {
                lock.delete().await?;
            }
            Err(AuthError::SessionExpired.into())
        }
        Err(AuthError::Network(e)) => Err(kept(AuthError::RefreshUnreachable(e))),
        Err(e) => Err(kept(e)),
    }
}

/// Whether a failed refresh is worth trying again in a moment.
fn may_pass(error: &AuthError) -> bool {
    match error {
        AuthError::Network(_) | AuthError::BadResponse { .. } => true,
        AuthError::TokenEndpoint(text) => {
            text.starts_with("server_error") || text.starts_with("temporarily_unavailable")
        }
        _ => false,
    }
}

/// How telling the issuer about a sign-out went.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Revocation {
    Revoked,
    NothingToRevoke,
    NotOffered,
    Failed(AuthError),
}

/// Revokes the refresh token (or, without one, the access token) where the issuer offers revocation, then deletes
/// the stored session. The local session is gone even when the issuer could not be told.
pub async fn logout(ctx: Ctx, known: Option<Session>) -> Result<Revocation, AuthError> {
    let lock = ctx.store.lock().await?;
    let stored = lock.load().await.ok().flatten().filter(|s| s.is_for(&ctx.config.issuer, ctx.client_id()));
    let revocation = match stored.or(known) {
        None => Revocation::NothingToRevoke,
        Some(session) => revoke_session(&ctx, &session).await,
    };
    lock.delete().await?;
    Ok(revocation)
}

async fn revoke_session(ctx: &Ctx, session: &Session) -> Revocation {
    let metadata = match ctx.metadata().await {
        Ok(metadata) => metadata,
        Err(e) => return Revocation::Failed(e),
    };
    let Some(endpoint) = &metadata.revocation_endpoint else { return Revocation::NotOffered };
    let (token, hint) = match &session.refresh_token {
        Some(token) => (token, Hint::RefreshToken),
        None => (&session.access_token, Hint::AccessToken),
    };
    let http = match ctx.http() {
        Ok(http) => http,
        Err(e) => return Revocation::Failed(e),
    };
    match revoke::revoke(http, endpoint, ctx.client_id(), token, hint).await {
        Ok(()) => Revocation::Revoked,
        Err(e) => Revocation::Failed(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_redirects_are_listened_on_where_they_say() {
        let v4: IpAddr = Ipv4Addr::LOCALHOST.into();
        let v6: IpAddr = std::net::Ipv6Addr::LOCALHOST.into();
        assert_eq!(loopback_redirect("http://127.0.0.1:8765/cb").unwrap(), Some((v4, 8765, "/cb".to_string())));
        assert_eq!(loopback_redirect("http://[::1]:8765/cb").unwrap(), Some((v6, 8765, "/cb".to_string())));
        assert_eq!(loopback_redirect("http://LocalHost:8765/cb").unwrap(), Some((v4, 8765, "/cb".to_string())));
        let other: IpAddr = Ipv4Addr::new(127, 0, 0, 2).into();
        assert_eq!(loopback_redirect("http://127.0.0.2/cb").unwrap(), Some((other, 80, "/cb".to_string())));
        assert_eq!(loopback_redirect("https://oauth.pstmn.io/v1/callback").unwrap(), None);
        assert_eq!(loopback_redirect("http://192.168.1.10:8765/cb").unwrap(), None);
        assert_eq!(loopback_redirect("http://[::ffff:127.0.0.1]:8765/cb").unwrap(), None);
        assert_eq!(loopback_redirect("https://127.0.0.1:8765/cb").unwrap(), None);
        assert!(loopback_redirect("not a uri").is_err());
    }
}
