//! The engine's network work, each piece an `async fn` the engine runs as its own task so that commands (cancel,
//! paste, logout) are heard while it runs: preparing a browser sign-in, exchanging the code, the device grant,
//! refreshing under the store's lock, and signing out.

use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use url::{Host, Url};

use super::client_auth::{ClientAuth, SigningKey, choose_method, read_secret};
use super::discovery::{self, Metadata};
use super::error::AuthError;
use super::id_token::{self, Expected};
use super::jwks::{KeySet, SignatureError};
use super::listener::{Callback, Listener};
use super::oauth::{self, Authorization, Prompt, Tokens};
use super::revoke::{self, Hint};
use super::session::Session;
use super::store::TokenStore;
use super::{AuthConfig, DevicePrompt, Redirect, identity};
use crate::config::{ClientAuthMethod, GrantKind};
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
    /// The issuer's signing keys, fetched when an ID token first needs them.
    keys: Arc<tokio::sync::Mutex<Option<Arc<KeySet>>>>,
    /// The client secret and key, read once (a `pass` prompt is answered once per engine).
    secret: Arc<tokio::sync::OnceCell<Secret>>,
    key: Arc<tokio::sync::OnceCell<Arc<SigningKey>>>,
}

impl Ctx {
    pub fn new(config: AuthConfig) -> Ctx {
        let store = TokenStore::new(&config.store);
        Ctx {
            config: Arc::new(config),
            http: Arc::default(),
            store,
            metadata: Arc::default(),
            keys: Arc::default(),
            secret: Arc::default(),
            key: Arc::default(),
        }
    }

    /// The time now, from the engine's clock (tests run it on tokio's paused time).
    pub fn now(&self) -> SystemTime {
        self.config.clock.now()
    }

    /// How the client proves who it is to this server, its secret or key read on first use.
    pub async fn client_auth(&self, metadata: &Metadata) -> Result<ClientAuth, AuthError> {
        let method = choose_method(&self.config, metadata)?;
        let secret = match (&self.config.client.secret, method) {
            (Some(source), ClientAuthMethod::ClientSecretBasic | ClientAuthMethod::ClientSecretPost) => {
                Some(self.secret.get_or_try_init(|| read_secret(source, &self.config.store.key)).await?.clone())
            }
            _ => None,
        };
        let key = match (&self.config.client.key_file, method) {
            (Some(path), ClientAuthMethod::PrivateKeyJwt) => {
                let path = path.clone();
                let read = || async move {
                    tokio::task::spawn_blocking(move || SigningKey::read(&path).map(Arc::new))
                        .await
                        .map_err(|_| AuthError::Internal)?
                };
                Some(Arc::clone(self.key.get_or_try_init(read).await?))
            }
            _ => None,
        };
        ClientAuth::new(&self.config, metadata, method, secret, key)
    }

    /// The oauth2 client and the extra parameters one request needs (a fresh client assertion).
    async fn oauth_client(
        &self,
        metadata: &Metadata,
    ) -> Result<(oauth::OAuthClient, Vec<(&'static str, String)>, ClientAuth), AuthError> {
        let auth = self.client_auth(metadata).await?;
        let proof = auth.extra_params(self.now())?;
        Ok((oauth::client(metadata, &auth), proof, auth))
    }

    /// The issuer's signing keys; `again` fetches them anew (an ID token named a key the cached set lacks).
    async fn keys(&self, metadata: &Metadata, again: bool) -> Result<Arc<KeySet>, AuthError> {
        let mut cached = self.keys.lock().await;
        if let Some(keys) = cached.as_ref().filter(|_| !again) {
            return Ok(Arc::clone(keys));
        }
        let uri = metadata.jwks_uri.as_ref().ok_or_else(|| {
            AuthError::IdToken("the server publishes no signing keys (jwks_uri) to check it with".into())
        })?;
        let keys = Arc::new(KeySet::fetch(self.http()?, uri).await?);
        *cached = Some(Arc::clone(&keys));
        Ok(keys)
    }

    /// Checks an ID token (signature, issuer, audience, expiry, nonce) and returns its claims.
    pub async fn verify_id_token(
        &self,
        metadata: &Metadata,
        auth: &ClientAuth,
        token: &Secret,
        nonce: Option<&Secret>,
    ) -> Result<serde_json::Value, AuthError> {
        let parts = id_token::parts(token.expose()).ok_or_else(|| AuthError::IdToken("it is not a JWT".into()))?;
        let symmetric = parts.header.get("alg").and_then(serde_json::Value::as_str) == Some("HS256");
        let keys = if symmetric { Arc::default() } else { self.keys(metadata, false).await? };
        let checked = match id_token::check_signature(&parts, &keys, auth.secret()) {
            Err(SignatureError::UnknownKid(kid)) => {
                tracing::info!(%kid, "ID token signed with a key not in the cached set; fetching the keys again");
                let keys = self.keys(metadata, true).await?;
                id_token::check_signature(&parts, &keys, auth.secret())
            }
            other => other,
        };
        checked.map_err(|e| match e {
            SignatureError::UnknownKid(kid) => {
                AuthError::IdToken(format!("it is signed with a key ({kid}) the server does not publish"))
            }
            SignatureError::Invalid(reason) => AuthError::IdToken(reason),
        })?;
        let expected = Expected {
            issuer: &metadata.issuer,
            client_id: &self.config.client_id,
            nonce,
            client_secret: auth.secret(),
            now: self.now(),
        };
        id_token::check_claims(&parts.claims, &expected).map_err(AuthError::IdToken)?;
        Ok(parts.claims)
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
        let metadata = Arc::new(discovery::discover(self.http()?, &self.config.issuer, &self.config.endpoints).await?);
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
    prompt: Prompt,
    on_callback: impl Fn(Callback) + Send + Sync + 'static,
) -> Result<BrowserReady, AuthError> {
    let metadata = ctx.metadata().await?;
    if metadata.authorization_endpoint.is_none() {
        return Err(AuthError::NoAuthorizationEndpoint);
    }
    if metadata.lacks_pkce_s256 {
        return Err(AuthError::NoPkceS256);
    }
    // The client's proof is needed only at the token endpoint, but a secret that cannot be read is better told
    // now than after the person signed in.
    let auth = ctx.client_auth(&metadata).await?;
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
    let client = oauth::client(&metadata, &auth);
    let authorization = oauth::authorize(&client, &redirect_uri, &scopes, prompt)?;
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
/// What the code exchange needs from the authorize request.
pub struct CodeExchange {
    pub code: Secret,
    pub verifier: Secret,
    pub nonce: Option<Secret>,
    pub redirect_uri: String,
}

pub async fn exchange(
    ctx: Ctx,
    metadata: Arc<Metadata>,
    exchange: CodeExchange,
    scopes: Vec<String>,
) -> Result<Signed, AuthError> {
    let (client, proof, auth) = ctx.oauth_client(&metadata).await?;
    let CodeExchange { code, verifier, nonce, redirect_uri } = exchange;
    let tokens = oauth::exchange_code(&client, ctx.http()?, &proof, &code, &verifier, &redirect_uri).await?;
    start_session(&ctx, &metadata, &auth, tokens, &scopes, nonce.as_ref()).await
}

/// The client credentials grant: the client's own session, no person and no browser.
pub async fn client_credentials(ctx: Ctx, scopes: Vec<String>) -> Result<Signed, AuthError> {
    let metadata = ctx.metadata().await?;
    let (client, proof, auth) = ctx.oauth_client(&metadata).await?;
    let tokens = oauth::client_credentials(&client, ctx.http()?, &proof, &scopes).await?;
    start_session(&ctx, &metadata, &auth, tokens, &scopes, None).await
}

/// The device grant (RFC 8628): asks for a user code, reports it with `on_prompt`, polls until the person is done.
pub async fn device(
    ctx: Ctx,
    scopes: Vec<String>,
    on_prompt: impl FnOnce(DevicePrompt) + Send,
) -> Result<Signed, AuthError> {
    let metadata = ctx.metadata().await?;
    let (client, proof, auth) = ctx.oauth_client(&metadata).await?;
    let details = oauth::start_device(&client, ctx.http()?, &proof, &scopes).await?;
    on_prompt(DevicePrompt {
        user_code: super::error::network_text(details.user_code().secret()),
        verification_uri: super::error::network_text(details.verification_uri().as_str()),
        verification_uri_complete: details
            .verification_uri_complete()
            .map(|uri| super::error::network_text(uri.secret())),
        // `expires_in` is capped when read; checked all the same, so no answer can make this panic.
        expires_at: ctx.now().checked_add(details.expires_in()).unwrap_or_else(|| ctx.now()),
    });
    // Each poll proves who the client is anew: a client assertion may be used once.
    let tokens = oauth::poll_device(ctx.http()?, &metadata.token_endpoint, &auth, &details, || ctx.now()).await?;
    start_session(&ctx, &metadata, &auth, tokens, &scopes, None).await
}

/// A session from a first token response: the ID token checked, who signed in, then saved under the lock.
async fn start_session(
    ctx: &Ctx,
    metadata: &Metadata,
    auth: &ClientAuth,
    tokens: Tokens,
    scopes: &[String],
    nonce: Option<&Secret>,
) -> Result<Signed, AuthError> {
    let machine = ctx.config.grant == GrantKind::ClientCredentials;
    let claims = match &tokens.id_token {
        Some(token) => Some(ctx.verify_id_token(metadata, auth, token, nonce).await?),
        None => None,
    };
    let mut subject = claims.as_ref().and_then(identity::name);
    if subject.is_none()
        && !machine
        && let (Some(endpoint), Ok(http)) = (&metadata.userinfo_endpoint, ctx.http())
    {
        subject = identity::from_userinfo(http, endpoint, &tokens.access_token).await;
    }
    let subject = subject
        .or_else(|| claims.as_ref().and_then(identity::display_name))
        .unwrap_or_else(|| if machine { format!("machine client {}", ctx.client_id()) } else { "unknown user".into() });
    let mut session = Session::new(&ctx.config.issuer, ctx.client_id(), tokens, scopes, subject, ctx.now());
    session.machine = machine;
    let save_error = match ctx.store.lock().await {
        Ok(lock) => lock.save(&session).await.err(),
        Err(e) => Some(e),
    };
    Ok(Signed { session, save_error })
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

/// Saves `session` under the store's lock unless the store holds a newer one (another process refreshed since).
pub async fn save_if_newer(ctx: &Ctx, session: &Session) -> Result<(), AuthError> {
    let lock = ctx.store.lock().await?;
    let stored = lock.load().await?.filter(|s| s.is_for(&ctx.config.issuer, ctx.client_id()));
    if stored.is_some_and(|stored| stored.obtained_at > session.obtained_at) {
        return Ok(());
    }
    lock.save(session).await
}

/// Refreshes under the store's lock. The store is the source of truth: if another process refreshed since this
/// engine last looked, its tokens are taken instead of spending a refresh token that was already rotated away.
/// `Ok(None)`: nothing stored and nothing known (signed out).
/// `unsaved`: the engine's last save of `known` failed.
pub async fn refresh(
    ctx: Ctx,
    known: Option<Session>,
    mode: RefreshMode,
    unsaved: bool,
) -> Result<Option<Signed>, Unrefreshed> {
    let lock = ctx.store.lock().await?;
    let stored = lock.load().await?.filter(|s| s.is_for(&ctx.config.issuer, ctx.client_id()));
    // A session this engine holds that is newer than the stored one could not be saved (a full disk, say): it has
    // the refresh token that works now, the stored one an old, rotated-away one. It is saved now, at this next
    // chance, and refreshed from. Times are in seconds: a refresh in the second of its sign-in is only told apart
    // by the engine knowing its save failed.
    let stored = match (&known, stored) {
        (Some(known), Some(stored))
            if known.obtained_at > stored.obtained_at || (unsaved && known.obtained_at == stored.obtained_at) =>
        {
            match lock.save(known).await {
                Ok(()) => tracing::info!("saved the session that could not be saved before"),
                Err(error) => tracing::warn!(%error, "the session still cannot be saved; kept in memory"),
            }
            Some(known.clone())
        }
        (_, stored) => stored,
    };
    let margin = ctx.config.refresh_margin;
    let now = ctx.now();
    let adopt = |session: Session| Ok(Some(Signed { session, save_error: None }));
    if let Some(stored) = &stored {
        let changed_elsewhere = known.as_ref().is_none_or(|k| k.access_token != stored.access_token);
        if changed_elsewhere && stored.is_fresh(margin, now) {
            tracing::info!("took the session another process refreshed");
            return adopt(stored.clone());
        }
    }
    let machine = ctx.config.grant == GrantKind::ClientCredentials;
    let stored_matches = stored.is_some();
    let Some(base) = stored.or(known) else {
        // A machine client needs no person to sign in: asked for its session, it gets one.
        return if machine { renew_machine(&ctx, None, &lock).await.map(Some) } else { Ok(None) };
    };
    if mode != RefreshMode::Forced && base.is_fresh(margin, now) {
        return adopt(base);
    }
    let Some(refresh_token) = base.refresh_token.clone() else {
        if machine {
            return renew_machine(&ctx, Some(&base), &lock).await.map(Some);
        }
        return if mode != RefreshMode::Forced && !base.access_expired(now) {
            adopt(base)
        } else {
            Err(AuthError::SessionExpired.into())
        };
    };
    let kept = |error: AuthError| Unrefreshed { error, session: Some(Box::new(base.clone())) };
    let metadata = ctx.metadata().await.map_err(kept)?;
    let http = ctx.http().map_err(kept)?;
    let mut pauses = REFRESH_RETRY_PAUSES.iter();
    let mut auth;
    let tokens = loop {
        let (client, proof, client_auth) = ctx.oauth_client(&metadata).await.map_err(kept)?;
        auth = client_auth;
        match oauth::refresh(&client, http, &proof, &refresh_token).await {
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
        Ok(mut tokens) => {
            // A new ID token may carry a new name; one with only `sub` leaves the name from sign-in. One that does
            // not check out is dropped, not the refresh: the server has rotated the refresh token already.
            let mut subject = None;
            if let Some(token) = tokens.id_token.clone() {
                match ctx.verify_id_token(&metadata, &auth, &token, None).await {
                    Ok(claims) => subject = identity::name(&claims),
                    Err(error) => {
                        tracing::warn!(%error, "the refreshed ID token is ignored");
                        tokens.id_token = None;
                    }
                }
            }
            let session = base.refreshed(tokens, subject, ctx.now());
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
        Err(AuthError::Network(e)) if !e.answered() => Err(kept(AuthError::RefreshUnreachable(e))),
        Err(e) => Err(kept(e)),
    }
}

/// A machine client's new session: a new client credentials grant (there is no refresh token), saved under the
/// lock the caller holds. A failure keeps `base`, as a failed refresh keeps its session.
async fn renew_machine(
    ctx: &Ctx,
    base: Option<&Session>,
    lock: &super::store::StoreLock,
) -> Result<Signed, Unrefreshed> {
    let kept = |error: AuthError| Unrefreshed { error, session: base.map(|b| Box::new(b.clone())) };
    let metadata = ctx.metadata().await.map_err(kept)?;
    let (client, proof, _) = ctx.oauth_client(&metadata).await.map_err(kept)?;
    let scopes: Vec<String> = ctx.config.scope.split_whitespace().map(str::to_string).collect();
    let tokens = match oauth::client_credentials(&client, ctx.http().map_err(kept)?, &proof, &scopes).await {
        Ok(tokens) => tokens,
        Err(AuthError::Network(e)) if !e.answered() => return Err(kept(AuthError::RefreshUnreachable(e))),
        Err(e) => return Err(kept(e)),
    };
    let subject = format!("machine client {}", ctx.client_id());
    let mut session = Session::new(&ctx.config.issuer, ctx.client_id(), tokens, &scopes, subject, ctx.now());
    session.machine = true;
    let save_error = lock.save(&session).await.err();
    tracing::info!("machine client: a new grant");
    Ok(Signed { session, save_error })
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

/// What a sign-out leaves for the browser: the address that ends the session at the server (OpenID Connect
/// RP-Initiated Logout), and where the browser comes back to say it did.
pub struct EndSession {
    pub url: String,
    /// The `state` sent, which the landing must bring back.
    pub state: Secret,
    /// The loopback listener the browser lands on; `None` when it lands on a registered page of the client's.
    pub listener: Option<Listener>,
}

/// How a sign-out went.
pub struct LoggedOut {
    pub revocation: Revocation,
    pub end_session: Option<EndSession>,
}

/// The path the loopback listener takes the end of a sign-out on.
pub const LOGGED_OUT_PATH: &str = "/logged-out";

/// Revokes the refresh token (or, without one, the access token) where the issuer offers revocation, deletes the
/// stored session, and, where the server offers RP-Initiated Logout, makes the address that ends the browser's
/// session there (its landing reported through `on_landing`). The local session is gone even when the issuer could
/// not be told.
pub async fn logout(
    ctx: Ctx,
    known: Option<Session>,
    on_landing: impl Fn(Callback) + Send + Sync + 'static,
) -> Result<LoggedOut, AuthError> {
    let lock = ctx.store.lock().await?;
    let stored = lock.load().await.ok().flatten().filter(|s| s.is_for(&ctx.config.issuer, ctx.client_id()));
    let session = stored.or(known);
    let metadata = ctx.metadata().await;
    let revocation = match (&session, &metadata) {
        (None, _) => Revocation::NothingToRevoke,
        (Some(_), Err(e)) => Revocation::Failed(e.clone()),
        (Some(session), Ok(metadata)) => revoke_session(&ctx, metadata, session).await,
    };
    lock.delete().await?;
    drop(lock);
    let end_session = match (&session, &metadata) {
        // A machine client has no browser session to end.
        (Some(session), Ok(metadata)) if !session.machine => {
            match end_session(&ctx, metadata, session, on_landing).await {
                Ok(end) => end,
                Err(error) => {
                    tracing::warn!(%error, "the browser session cannot be ended");
                    None
                }
            }
        }
        _ => None,
    };
    Ok(LoggedOut { revocation, end_session })
}

async fn revoke_session(ctx: &Ctx, metadata: &Metadata, session: &Session) -> Revocation {
    let Some(endpoint) = &metadata.revocation_endpoint else { return Revocation::NotOffered };
    let (token, hint) = match &session.refresh_token {
        Some(token) => (token, Hint::RefreshToken),
        None => (&session.access_token, Hint::AccessToken),
    };
    let revoked = async {
        let auth = ctx.client_auth(metadata).await?;
        revoke::revoke(ctx.http()?, endpoint, &auth, token, hint, ctx.now()).await
    };
    match revoked.await {
        Ok(()) => Revocation::Revoked,
        Err(e) => Revocation::Failed(e),
    }
}

/// The end-session address, and the listener for its landing when that is on this machine.
async fn end_session(
    ctx: &Ctx,
    metadata: &Metadata,
    session: &Session,
    on_landing: impl Fn(Callback) + Send + Sync + 'static,
) -> Result<Option<EndSession>, AuthError> {
    let Some(endpoint) = &metadata.end_session_endpoint else { return Ok(None) };
    let config = &ctx.config;
    // Back to the loopback listener where the sign-in came back to one (the client then has loopback redirects
    // registered); with a registered web redirect, only to a post-logout URI the profile names.
    let loopback = match (&config.post_logout_redirect_uri, &config.redirect_uri) {
        (Some(uri), _) => loopback_redirect(uri)?.map(|(ip, port, path)| (ip, port, path, Some(uri.clone()))),
        (None, Some(uri)) => loopback_redirect(uri)?.map(|(ip, port, _)| (ip, port, LOGGED_OUT_PATH.to_string(), None)),
        (None, None) => {
            Some((Ipv4Addr::LOCALHOST.into(), config.callback_port.unwrap_or(0), LOGGED_OUT_PATH.to_string(), None))
        }
    };
    let (redirect_uri, listener) = match loopback {
        Some((ip, port, path, configured)) => {
            let listener = Listener::bind(ip, port, path.clone(), on_landing).await?;
            let host = Redirect::loopback_host(ip);
            let uri = configured.unwrap_or_else(|| format!("http://{host}:{}{path}", listener.port()));
            (Some(uri), Some(listener))
        }
        None => (config.post_logout_redirect_uri.clone(), None),
    };
    let state = Secret::new(oauth2::CsrfToken::new_random_len(16).into_secret());
    let mut url = endpoint.clone();
    {
        let mut query = url.query_pairs_mut();
        if let Some(id_token) = &session.id_token {
            query.append_pair("id_token_hint", id_token.expose());
        }
        query.append_pair("client_id", &config.client_id);
        if let Some(uri) = &redirect_uri {
            query.append_pair("post_logout_redirect_uri", uri);
            query.append_pair("state", state.expose());
        }
    }
    // A landing nobody can confirm is not waited for.
    let listener = listener.filter(|_| redirect_uri.is_some());
    Ok(Some(EndSession { url: url.to_string(), state, listener }))
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
