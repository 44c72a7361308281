//! The oauth2 crate, set up for one issuer and one client: the authorize URL with PKCE S256, `state` and `nonce`,
//! the token requests (code, refresh, device, client credentials) with the client's proof of who it is, and their
//! errors turned into [`AuthError`]s that hold no secret. The device grant's polling is our own loop
//! (`device_poll`), so that each poll carries a proof of its own.

mod device_poll;
mod token_answer;

use std::borrow::Cow;
use std::time::Duration;

use oauth2::basic::{
    BasicErrorResponse, BasicRevocationErrorResponse, BasicTokenIntrospectionResponse, BasicTokenType,
};
use oauth2::{
    AuthType, AuthUrl, AuthorizationCode, Client, ClientId, CsrfToken, DeviceAuthorizationUrl, EndpointMaybeSet,
    EndpointNotSet, EndpointSet, ErrorResponseType, PkceCodeChallenge, PkceCodeVerifier, RedirectUrl, RefreshToken,
    RequestTokenError, Scope, StandardDeviceAuthorizationResponse, StandardErrorResponse, StandardRevocableToken,
    TokenResponse, TokenUrl,
};
use url::Url;

use super::client_auth::ClientAuth;
use super::discovery::Metadata;
use super::error::{AuthError, network_text};
use super::session::MAX_LIFETIME;
use crate::http::Http;
use crate::secret::Secret;

pub use device_poll::poll_device;
pub use token_answer::TokenAnswer;

/// The longest a device code is polled for, whatever its `expires_in` says: someone is at the prompt now.
const MAX_DEVICE_WAIT: Duration = Duration::from_secs(24 * 3600);
/// How long a token said to live 0 seconds (or less) is used before it is refreshed: a floor between refreshes,
/// where taking the server at its word would refresh it in a loop. A token the API then refuses is refreshed at once.
const ZERO_LIFETIME_FLOOR: Duration = Duration::from_secs(60);
/// The longest first pause between device polls (RFC 8628's default is 5 s; `slow_down` may add to it).
const MAX_POLL_INTERVAL: Duration = Duration::from_secs(60);

type TokenResponseBody = TokenAnswer;

/// A client at one issuer: authorization and token endpoints known, the device endpoint if offered.
pub type OAuthClient = Client<
    BasicErrorResponse,
    TokenResponseBody,
    BasicTokenIntrospectionResponse,
    StandardRevocableToken,
    BasicRevocationErrorResponse,
    EndpointSet,
    EndpointMaybeSet,
    EndpointNotSet,
    EndpointNotSet,
    EndpointSet,
>;

/// What a token endpoint handed out, secrets wrapped.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access_token: Secret,
    pub expires_in: Option<Duration>,
    pub refresh_token: Option<Secret>,
    /// Keycloak's `refresh_expires_in`; 0 (an offline token) means no known expiry.
    pub refresh_expires_in: Option<Duration>,
    /// The granted scope, when the response says (RFC 6749 5.1: absent means as asked).
    pub scopes: Option<Vec<String>>,
    pub id_token: Option<Secret>,
}

/// Which grant a token request was for: the same error means different things to the person.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Code,
    Refresh,
    Device,
    ClientCredentials,
}

/// An authorize URL and the secrets that go with it.
pub struct Authorization {
    pub url: Url,
    pub state: Secret,
    pub verifier: Secret,
    /// Sent when `openid` is asked for, and checked in the ID token (OpenID Connect Core 3.1.2.1).
    pub nonce: Option<Secret>,
}

/// The client for `metadata`, proving itself as `auth` says. Without an authorization endpoint (a server for
/// machines) the token endpoint stands in for it in the type: no authorize URL is ever made then.
pub fn client(metadata: &Metadata, auth: &ClientAuth) -> OAuthClient {
    let authorize = metadata.authorization_endpoint.clone().unwrap_or_else(|| metadata.token_endpoint.clone());
    let client = Client::new(ClientId::new(auth.client_id.clone()))
        .set_auth_type(AuthType::RequestBody)
        .set_auth_uri(AuthUrl::from_url(authorize))
        .set_token_uri(TokenUrl::from_url(metadata.token_endpoint.clone()))
        .set_device_authorization_url_option(
            metadata.device_authorization_endpoint.clone().map(DeviceAuthorizationUrl::from_url),
        );
    auth.configure(client)
}

/// How the server should treat a browser that is already signed in there.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Prompt {
    /// No `prompt` (RFC 9700 2.1.1): the server decides, and a signed-in browser comes straight back.
    #[default]
    Default,
    /// `prompt=login`: ask for credentials again, to sign in as someone else.
    Login,
}

/// The authorize URL: response type `code`, PKCE S256, a fresh 256-bit `state`, a `nonce` with `openid`, and
/// `prompt=login` only when asked.
pub fn authorize(
    client: &OAuthClient,
    redirect_uri: &str,
    scopes: &[String],
    prompt: Prompt,
) -> Result<Authorization, AuthError> {
    let redirect = redirect_url(redirect_uri)?;
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let nonce = scopes.iter().any(|s| s == "openid").then(|| Secret::new(CsrfToken::new_random_len(32).into_secret()));
    let mut request = client
        .authorize_url(|| CsrfToken::new_random_len(32))
        .set_redirect_uri(Cow::Owned(redirect))
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .set_pkce_challenge(challenge);
    if let Some(nonce) = &nonce {
        request = request.add_extra_param("nonce", nonce.expose().to_string());
    }
    if prompt == Prompt::Login {
        request = request.add_extra_param("prompt", "login");
    }
    let (url, state) = request.url();
    Ok(Authorization {
        url,
        state: Secret::new(state.secret().clone()),
        verifier: Secret::new(verifier.secret()),
        nonce,
    })
}

fn redirect_url(redirect_uri: &str) -> Result<RedirectUrl, AuthError> {
    RedirectUrl::new(redirect_uri.to_string())
        .map_err(|_| AuthError::BadUrl { what: "redirect URI", value: network_text(redirect_uri) })
}

/// Trades an authorization code (with its PKCE verifier) for tokens.
pub async fn exchange_code(
    client: &OAuthClient,
    http: &Http,
    proof: &[(&'static str, String)],
    code: &Secret,
    verifier: &Secret,
    redirect_uri: &str,
) -> Result<Tokens, AuthError> {
    let mut request = client
        .exchange_code(AuthorizationCode::new(code.expose().to_string()))
        .set_pkce_verifier(PkceCodeVerifier::new(verifier.expose().to_string()))
        .set_redirect_uri(Cow::Owned(redirect_url(redirect_uri)?));
    for (name, value) in proof {
        request = request.add_extra_param(*name, value.clone());
    }
    let response = request.request_async(http).await.map_err(|e| token_error(e, Grant::Code))?;
    tokens(&response)
}

/// Trades a refresh token for new tokens (the server may rotate the refresh token).
pub async fn refresh(
    client: &OAuthClient,
    http: &Http,
    proof: &[(&'static str, String)],
    refresh_token: &Secret,
) -> Result<Tokens, AuthError> {
    let token = RefreshToken::new(refresh_token.expose().to_string());
    let mut request = client.exchange_refresh_token(&token);
    for (name, value) in proof {
        request = request.add_extra_param(*name, value.clone());
    }
    let response = request.request_async(http).await.map_err(|e| token_error(e, Grant::Refresh))?;
    tokens(&response)
}

/// The client credentials grant (RFC 6749 4.4): the client's own token, for `scopes`.
pub async fn client_credentials(
    client: &OAuthClient,
    http: &Http,
    proof: &[(&'static str, String)],
    scopes: &[String],
) -> Result<Tokens, AuthError> {
    let mut request = client.exchange_client_credentials().add_scopes(scopes.iter().map(|s| Scope::new(s.clone())));
    for (name, value) in proof {
        request = request.add_extra_param(*name, value.clone());
    }
    let response = request.request_async(http).await.map_err(|e| token_error(e, Grant::ClientCredentials))?;
    tokens(&response)
}

/// Starts the device grant: the user code and where to enter it.
pub async fn start_device(
    client: &OAuthClient,
    http: &Http,
    proof: &[(&'static str, String)],
    scopes: &[String],
) -> Result<StandardDeviceAuthorizationResponse, AuthError> {
    let mut request = client.exchange_device_code().map_err(|_| AuthError::DeviceUnavailable)?;
    for (name, value) in proof {
        request = request.add_extra_param(*name, value.clone());
    }
    let details = request
        .add_scopes(scopes.iter().map(|s| Scope::new(s.clone())))
        .request_async(http)
        .await
        .map_err(|e| token_error(e, Grant::Device))?;
    device_within_bounds(&details)
}

/// The device grant's answer with its `expires_in` and `interval` capped: the oauth2 crate adds to both (a
/// `slow_down` adds five seconds to the interval), which panics or fails near `u64::MAX` seconds.
fn device_within_bounds(
    details: &StandardDeviceAuthorizationResponse,
) -> Result<StandardDeviceAuthorizationResponse, AuthError> {
    // Its fields have no setters: through its own serde form, the one way it is built.
    let bad = |detail: &str| AuthError::BadResponse { what: "device endpoint", detail: detail.to_string() };
    let mut value = serde_json::to_value(details).map_err(|_| bad("cannot read the answer again"))?;
    for (field, cap) in [("expires_in", MAX_DEVICE_WAIT), ("interval", MAX_POLL_INTERVAL)] {
        if let Some(seconds) = value.get_mut(field)
            && let Some(found) = seconds.as_u64()
        {
            *seconds = found.min(cap.as_secs()).into();
        }
    }
    // Never serde's message: it may quote the device code.
    serde_json::from_value(value).map_err(|_| bad("cannot read the answer again"))
}

fn tokens(response: &TokenResponseBody) -> Result<Tokens, AuthError> {
    if *response.token_type() != BasicTokenType::Bearer {
        return Err(AuthError::BadResponse {
            what: "token endpoint",
            detail: format!("token type `{}` instead of Bearer", network_text(response.token_type().as_ref())),
        });
    }
    Ok(Tokens {
        access_token: Secret::new(response.access_token().secret().clone()),
        // A lifetime of 0 (or less, read as 0) would have the token refreshed the moment it came, again and again.
        expires_in: response.expires_in().map(|d| if d.is_zero() { ZERO_LIFETIME_FLOOR } else { d.min(MAX_LIFETIME) }),
        refresh_token: response.refresh_token().map(|t| Secret::new(t.secret().clone())),
        refresh_expires_in: response
            .refresh_expires_in
            .filter(|s| *s > 0)
            .map(|s| Duration::from_secs(s).min(MAX_LIFETIME)),
        scopes: response.scopes().map(|s| s.iter().map(|scope| network_text(scope)).collect()),
        id_token: response.id_token.clone(),
    })
}

/// A failed token request, told without its body (which may hold tokens) or any value the client sent.
fn token_error<T>(error: RequestTokenError<crate::http::SendError, StandardErrorResponse<T>>, grant: Grant) -> AuthError
where
    T: ErrorResponseType + AsRef<str> + std::fmt::Display + 'static,
{
    let what = match grant {
        Grant::Device => "device endpoint",
        Grant::Code | Grant::Refresh | Grant::ClientCredentials => "token endpoint",
    };
    match error {
        RequestTokenError::ServerResponse(response) => {
            server_error(grant, response.error().as_ref(), response.error_description().map(String::as_str))
        }
        RequestTokenError::Request(e) => AuthError::Network(e),
        RequestTokenError::Parse(e, body) => AuthError::BadResponse { what, detail: parse_detail(&e, &body) },
        // oauth2 refuses a body of another Content-Type before reading it; an HTML page is the usual one.
        RequestTokenError::Other(text) if text.contains("text/html") => {
            AuthError::BadResponse { what, detail: "an HTML page, not JSON".to_string() }
        }
        RequestTokenError::Other(text) => AuthError::BadResponse { what, detail: network_text(&text) },
    }
}

/// What was wrong with an answer that did not read as a token response: never serde's message for a value (it
/// may quote a token), only where, which field, or what the body looks like.
fn parse_detail(error: &serde_path_to_error::Error<serde_json::Error>, body: &[u8]) -> String {
    use serde_json::error::Category;
    let inner = error.inner();
    let start = body.iter().find(|b| !b.is_ascii_whitespace());
    match inner.classify() {
        Category::Eof if body.iter().all(u8::is_ascii_whitespace) => "an empty body".to_string(),
        Category::Syntax | Category::Eof if start == Some(&b'<') => "an HTML page, not JSON".to_string(),
        Category::Syntax | Category::Eof | Category::Io => {
            format!("not JSON, at line {}, column {}", inner.line(), inner.column())
        }
        Category::Data if start != Some(&b'{') => "JSON, but not an object with an access_token".to_string(),
        Category::Data => {
            let message = inner.to_string();
            if let Some(field) = message.strip_prefix("missing field ").and_then(|m| m.split(" at line").next()) {
                format!("JSON without the field {field}")
            } else {
                format!("`{}` is not what RFC 6749 says it must be", error.path())
            }
        }
    }
}

/// An OAuth error response (RFC 6749 5.2, RFC 8628 3.5), as the person should read it.
pub fn server_error(grant: Grant, error: &str, description: Option<&str>) -> AuthError {
    match (grant, error) {
        (Grant::Refresh, "invalid_grant") => AuthError::SessionExpired,
        (Grant::Code, "invalid_grant") => AuthError::CodeRejected,
        (Grant::Device, "expired_token") => AuthError::DeviceExpired,
        (Grant::Device, "access_denied") => AuthError::DeviceDenied,
        _ => {
            let mut text = network_text(error);
            if let Some(description) = description.filter(|d| !d.trim().is_empty()) {
                text.push_str(": ");
                text.push_str(&network_text(description));
            }
            AuthError::TokenEndpoint(text)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metadata() -> Metadata {
        let at = |p: &str| Url::parse(&format!("https://idp.example/realms/z/protocol/openid-connect/{p}")).unwrap();
        Metadata {
            issuer: "https://idp.example/realms/z".into(),
            authorization_endpoint: Some(at("auth")),
            token_endpoint: at("token"),
            device_authorization_endpoint: None,
            revocation_endpoint: None,
            introspection_endpoint: None,
            userinfo_endpoint: None,
            jwks_uri: None,
            end_session_endpoint: None,
            token_endpoint_auth_methods: None,
            lacks_pkce_s256: false,
            iss_parameter_supported: true,
        }
    }

    #[test]
    fn authorize_url_has_pkce_state_and_no_prompt() {
        let client = client(&metadata(), &ClientAuth::public("zorgtui"));
        let scopes = vec!["openid".to_string(), "users:read".to_string()];
        let auth = authorize(&client, "http://127.0.0.1:4000/callback", &scopes, Prompt::Default).unwrap();
        let query: std::collections::HashMap<String, String> = auth.url.query_pairs().into_owned().collect();
        assert_eq!(query["response_type"], "code");
        assert_eq!(query["client_id"], "zorgtui");
        assert_eq!(query["redirect_uri"], "http://127.0.0.1:4000/callback");
        assert_eq!(query["scope"], "openid users:read");
        assert_eq!(query["code_challenge_method"], "S256");
        assert_eq!(query["state"], auth.state.expose());
        assert!(!query.contains_key("prompt"));
        assert_eq!(Some(query["nonce"].as_str()), auth.nonce.as_ref().map(Secret::expose));
        // 32 random bytes, base64url: 256 bits of state.
        assert_eq!(auth.state.expose().len(), 43);
        assert!(auth.verifier.expose().len() >= 43);
        assert!(!auth.url.as_str().contains(auth.verifier.expose()), "the verifier never leaves the client");
        let again = authorize(&client, "http://127.0.0.1:4000/callback", &scopes, Prompt::Login).unwrap();
        assert_ne!(again.state, auth.state);
        assert_ne!(again.nonce, auth.nonce);
        assert!(again.url.query_pairs().any(|(k, v)| k == "prompt" && v == "login"));
        let plain = authorize(&client, "http://127.0.0.1:4000/callback", &["users:read".into()], Prompt::Default);
        assert!(plain.unwrap().nonce.is_none(), "no nonce without openid");
    }

    #[tokio::test]
    async fn a_huge_device_answer_is_capped_and_survives_slow_down() {
        let answer: StandardDeviceAuthorizationResponse = serde_json::from_value(serde_json::json!({
            "device_code": "device-code", "user_code": "ABCD-EFGH", "verification_uri": "https://idp.example/verify",
            "expires_in": u64::MAX, "interval": u64::MAX,
        }))
        .unwrap();
        let details = device_within_bounds(&answer).unwrap();
        assert_eq!((details.expires_in(), details.interval()), (MAX_DEVICE_WAIT, MAX_POLL_INTERVAL));
        assert_eq!(details.device_code().secret(), "device-code");
        assert_eq!(details.user_code().secret(), "ABCD-EFGH");

        // The oauth2 crate adds five seconds on `slow_down`: u64::MAX seconds would overflow there.
        let polls = std::sync::atomic::AtomicUsize::new(0);
        let http = |_request| {
            let first = polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) == 0;
            let body = if first {
                r#"{"error":"slow_down"}"#
            } else {
                r#"{"access_token":"at","token_type":"Bearer","expires_in":60}"#
            };
            let response = axum::http::Response::builder()
                .status(if first { 400 } else { 200 })
                .header("content-type", "application/json")
                .body(body.as_bytes().to_vec())
                .unwrap();
            std::future::ready(Ok::<_, std::io::Error>(response))
        };
        let slept = std::sync::Mutex::new(Vec::new());
        let sleep = |pause| {
            slept.lock().unwrap().push(pause);
            std::future::ready(())
        };
        let client = client(&metadata(), &ClientAuth::public("zorgtui"));
        let tokens = client.exchange_device_access_token(&details).request_async(&http, sleep, None).await.unwrap();
        assert_eq!(tokens.access_token().secret(), "at");
        assert_eq!(*slept.lock().unwrap(), vec![MAX_POLL_INTERVAL + Duration::from_secs(5)]);
    }

    #[test]
    fn an_answer_that_is_not_a_token_response_says_what_it_was() {
        let detail = |body: &str| {
            let mut de = serde_json::Deserializer::from_str(body);
            let error = serde_path_to_error::deserialize::<_, TokenAnswer>(&mut de).unwrap_err();
            parse_detail(&error, body.as_bytes())
        };
        assert_eq!(detail(""), "an empty body");
        assert_eq!(detail("<html>502 Bad Gateway</html>"), "an HTML page, not JSON");
        assert_eq!(detail(r#"{"access_token": "at", "#), "not JSON, at line 1, column 23");
        assert_eq!(detail(r#"{"token_type":"Bearer"}"#), "JSON without the field `access_token`");
        assert_eq!(detail(r#""text""#), "JSON, but not an object with an access_token");
        let typed = detail(r#"{"access_token":"secret-at","token_type":"Bearer","refresh_token":7}"#);
        assert_eq!(typed, "`refresh_token` is not what RFC 6749 says it must be");
    }

    #[test]
    fn a_lifetime_of_zero_or_less_is_a_floor_between_refreshes_not_a_loop() {
        let lifetime = |written: &str| {
            let text = format!(r#"{{"access_token":"at","token_type":"Bearer","expires_in":{written}}}"#);
            tokens(&serde_json::from_str(&text).unwrap()).unwrap().expires_in
        };
        assert_eq!(lifetime("0"), Some(ZERO_LIFETIME_FLOOR));
        assert_eq!(lifetime("-5"), Some(ZERO_LIFETIME_FLOOR));
        assert_eq!(lifetime("\"3600\""), Some(Duration::from_secs(3600)));
        assert_eq!(lifetime("1e20"), Some(MAX_LIFETIME));
        assert_eq!(lifetime("null"), None);
    }

    #[test]
    fn errors_are_told_by_grant() {
        assert_eq!(
            server_error(Grant::Refresh, "invalid_grant", Some("grant request is invalid")),
            AuthError::SessionExpired
        );
        assert_eq!(server_error(Grant::Code, "invalid_grant", None), AuthError::CodeRejected);
        assert_eq!(server_error(Grant::Device, "expired_token", None), AuthError::DeviceExpired);
        assert_eq!(server_error(Grant::Device, "access_denied", None), AuthError::DeviceDenied);
        let other = server_error(Grant::Code, "invalid_client", Some("no\u{1b}]0;x\u{7}"));
        assert_eq!(other.to_string(), "the token endpoint refused the request: invalid_client: no\\u{1b}]0;x\\u{7}");
    }
}
