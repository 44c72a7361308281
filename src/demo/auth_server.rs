//! The demo authorization server, laid out like Keycloak: everything under `/realms/demo`, the OpenID Connect
//! endpoints under `/realms/demo/protocol/openid-connect/`, discovery at `/realms/demo/.well-known/openid-configuration`.

mod authorize;
mod device;
mod token;
mod userinfo;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use serde_json::json;

use super::data::DemoUser;
use super::device_codes::DeviceCodes;
use super::id_token::IdTokenSigner;
use super::scopes::SUPPORTED_SCOPES;
use super::tokens::TokenStore;
use super::{CLIENT_ID, DemoOptions, REALM};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What the authorization server's handlers share.
pub(crate) struct AuthContext {
    issuer: String,
    /// The issuer's path (`/realms/demo`), for links in pages, which stay on the origin the browser used.
    realm_path: String,
    tokens: Arc<TokenStore>,
    devices: DeviceCodes,
    sign_ins: authorize::SignIns,
    signer: IdTokenSigner,
    user: DemoUser,
}

impl AuthContext {
    pub(crate) fn new(issuer: String, tokens: Arc<TokenStore>, user: DemoUser, options: &DemoOptions) -> AuthContext {
        AuthContext {
            issuer,
            realm_path: format!("/realms/{REALM}"),
            tokens,
            devices: DeviceCodes::new(options.device_poll_interval, options.device_code_ttl),
            sign_ins: authorize::SignIns::default(),
            signer: IdTokenSigner::new(),
            user,
        }
    }

    fn endpoint(&self, name: &str) -> String {
        format!("{}/protocol/openid-connect/{name}", self.issuer)
    }
}

pub(crate) fn router(context: AuthContext) -> Router {
    let realm = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/protocol/openid-connect/auth", get(authorize::show))
        .route("/login-actions/authenticate", post(authorize::decide))
        .route("/protocol/openid-connect/token", post(token::token))
        .route("/protocol/openid-connect/revoke", post(token::revoke))
        .route("/protocol/openid-connect/userinfo", get(userinfo::userinfo).post(userinfo::userinfo))
        .route("/protocol/openid-connect/auth/device", post(device::authorize))
        .route("/protocol/openid-connect/certs", get(certs))
        .route("/device", get(device::page).post(device::decide));
    Router::new().nest(&format!("/realms/{REALM}"), realm).with_state(Arc::new(context))
}

type Ctx = State<Arc<AuthContext>>;

async fn discovery(State(ctx): Ctx) -> Response {
    let body = json!({
        "issuer": ctx.issuer,
        "authorization_endpoint": ctx.endpoint("auth"),
        "token_endpoint": ctx.endpoint("token"),
        "revocation_endpoint": ctx.endpoint("revoke"),
        "userinfo_endpoint": ctx.endpoint("userinfo"),
        "device_authorization_endpoint": ctx.endpoint("auth/device"),
        "jwks_uri": ctx.endpoint("certs"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_GRANT],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "scopes_supported": SUPPORTED_SCOPES,
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "name", "given_name", "family_name",
            "preferred_username", "email", "email_verified"],
        "token_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "revocation_endpoint_auth_methods_supported": ["none", "client_secret_basic", "client_secret_post"],
        "authorization_response_iss_parameter_supported": true,
    });
    Json(body).into_response()
}

/// The public half of the per-run key the ID tokens are signed with.
async fn certs(State(ctx): Ctx) -> Response {
    Json(ctx.signer.jwks()).into_response()
}

/// Form or query parameters, each at most once (RFC 6749 §3.1); an empty value counts as absent.
struct Params(HashMap<String, String>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text; `Err` names a parameter given twice.
    fn parse(bytes: &[u8]) -> Result<Params, String> {
        let mut map = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(bytes) {
            if map.insert(name.to_string(), value.into_owned()).is_some() {
                return Err(name.into_owned());
            }
        }
        Ok(Params(map))
    }

    fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|value| !value.is_empty())
    }
}

/// An RFC 6749 §5.2 error from the token, revocation or device endpoint.
#[derive(Debug)]
struct OAuthError {
    status: StatusCode,
    error: &'static str,
    description: Cow<'static, str>,
    /// Set when the client tried HTTP Basic authentication and failed (RFC 6749 §5.2, `invalid_client`).
    basic_challenge: bool,
}

impl OAuthError {
    fn new(error: &'static str, description: impl Into<Cow<'static, str>>) -> OAuthError {
        OAuthError { status: StatusCode::BAD_REQUEST, error, description: description.into(), basic_challenge: false }
    }

    fn invalid_request(description: impl Into<Cow<'static, str>>) -> OAuthError {
        OAuthError::new("invalid_request", description)
    }
}

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let body = json!({ "error": self.error, "error_description": self.description });
        let mut response = (self.status, no_store(Json(body).into_response())).into_response();
        if self.basic_challenge {
            let challenge = HeaderValue::from_str(&format!("Basic realm=\"{REALM}\"")).ok();
            if let Some(challenge) = challenge {
                response.headers_mut().insert(header::WWW_AUTHENTICATE, challenge);
            }
        }
        response
    }
}

/// Token responses must not be cached (RFC 6749 §5.1).
fn no_store(mut response: Response) -> Response {
    let headers = response.headers_mut();
    headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    headers.insert(header::PRAGMA, HeaderValue::from_static("no-cache"));
    response
}

/// The client calling the token, revocation or device endpoint: `client_id` in the body, or HTTP Basic (with any
/// secret: the client is public, like Keycloak's public clients, which ignore one).
fn authenticate_client(headers: &HeaderMap, params: &Params) -> Result<String, OAuthError> {
    let basic = headers
        .get(header::AUTHORIZATION)
        .and_then(|value| value.to_str().ok())
        .and_then(|value| value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")));
    let from_basic = match basic {
        None => None,
        Some(encoded) => Some(basic_client_id(encoded.trim()).ok_or_else(|| OAuthError {
            status: StatusCode::UNAUTHORIZED,
            basic_challenge: true,
            ..OAuthError::new("invalid_client", "Malformed HTTP Basic credentials")
        })?),
    };
    let client_id = match (from_basic, params.get("client_id")) {
        (Some(basic), Some(body)) if basic != body => {
            return Err(OAuthError::invalid_request("client_id differs between the body and HTTP Basic"));
        }
        (Some(id), _) => id,
        (None, Some(id)) => id.to_owned(),
        (None, None) => {
            return Err(OAuthError {
                status: StatusCode::UNAUTHORIZED,
                ..OAuthError::new("invalid_client", "Missing client_id")
            });
        }
    };
    if client_id != CLIENT_ID {
        return Err(OAuthError {
            status: StatusCode::UNAUTHORIZED,
            basic_challenge: basic.is_some(),
            ..OAuthError::new("invalid_client", "Unknown client; the demo knows only zorgtui-demo")
        });
    }
    Ok(client_id)
}

/// The client id from `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 §2.3.1).
fn basic_client_id(encoded: &str) -> Option<String> {
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (id, _secret) = decoded.split_once(':')?;
    let id: String = url::form_urlencoded::parse(format!("id={id}").as_bytes()).next()?.1.into_owned();
    Some(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_refuse_duplicates_and_treat_empty_as_absent() {
        assert_eq!(Params::parse(b"a=1&a=2").err().as_deref(), Some("a"));
        let params = Params::parse(b"a=&b=x%20y").unwrap();
        assert_eq!(params.get("a"), None);
        assert_eq!(params.get("b"), Some("x y"));
    }

    #[test]
    fn basic_credentials_are_url_decoded() {
        let encoded = STANDARD.encode("zorgtui%2Ddemo:");
        assert_eq!(basic_client_id(&encoded).as_deref(), Some("zorgtui-demo"));
        assert_eq!(basic_client_id("not base64!"), None);
    }
}
