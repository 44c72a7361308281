//! The demo authorization server, laid out like Keycloak: everything under `/realms/demo`, the OpenID Connect
//! endpoints under `/realms/demo/protocol/openid-connect/`, discovery at `/realms/demo/.well-known/openid-configuration`.

mod authorize;
mod device;
mod introspect;
mod logout;
mod token;
mod userinfo;

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::Arc;

use axum::Json;
use axum::Router;
use axum::extract::State;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use serde_json::json;

use super::browser_sessions::BrowserSessions;
use super::clients::Clients;
use super::data::DemoUser;
use super::device_codes::DeviceCodes;
use super::id_token::IdTokenSigner;
use super::scopes::SUPPORTED_SCOPES;
use super::tokens::TokenStore;
use super::{DemoOptions, REALM};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

/// What the authorization server's handlers share.
pub(crate) struct AuthContext {
    issuer: String,
    /// The issuer's path (`/realms/demo`), for links in pages, which stay on the origin the browser used.
    realm_path: String,
    tokens: Arc<TokenStore>,
    clients: Clients,
    devices: DeviceCodes,
    sign_ins: authorize::SignIns,
    browsers: BrowserSessions,
    signer: IdTokenSigner,
    user: DemoUser,
}

impl AuthContext {
    pub(crate) fn new(
        issuer: String,
        tokens: Arc<TokenStore>,
        clients: Clients,
        user: DemoUser,
        options: &DemoOptions,
    ) -> AuthContext {
        AuthContext {
            issuer,
            realm_path: format!("/realms/{}", options.realm),
            tokens,
            clients,
            devices: DeviceCodes::new(options.device_poll_interval, options.device_code_ttl),
            sign_ins: authorize::SignIns::default(),
            browsers: BrowserSessions::default(),
            signer: IdTokenSigner::new(),
            user,
        }
    }

    fn endpoint(&self, name: &str) -> String {
        format!("{}/protocol/openid-connect/{name}", self.issuer)
    }
}

pub(crate) fn router(context: AuthContext) -> Router {
    let realm_path = context.realm_path.clone();
    let realm = Router::new()
        .route("/.well-known/openid-configuration", get(discovery))
        .route("/protocol/openid-connect/auth", get(authorize::show))
        .route("/login-actions/authenticate", post(authorize::decide))
        .route("/protocol/openid-connect/token", post(token::token))
        .route("/protocol/openid-connect/token/introspect", post(introspect::introspect))
        .route("/protocol/openid-connect/revoke", post(token::revoke))
        .route("/protocol/openid-connect/logout", get(logout::logout).post(logout::confirmed))
        .route("/protocol/openid-connect/userinfo", get(userinfo::userinfo).post(userinfo::userinfo))
        .route("/protocol/openid-connect/auth/device", post(device::authorize))
        .route("/protocol/openid-connect/certs", get(certs))
        .route("/device", get(device::page).post(device::decide));
    Router::new().nest(&realm_path, realm).with_state(Arc::new(context))
}

type Ctx = State<Arc<AuthContext>>;

async fn discovery(State(ctx): Ctx) -> Response {
    let auth_methods = ["none", "client_secret_basic", "client_secret_post"];
    let body = json!({
        "issuer": ctx.issuer,
        "authorization_endpoint": ctx.endpoint("auth"),
        "token_endpoint": ctx.endpoint("token"),
        "introspection_endpoint": ctx.endpoint("token/introspect"),
        "revocation_endpoint": ctx.endpoint("revoke"),
        "end_session_endpoint": ctx.endpoint("logout"),
        "userinfo_endpoint": ctx.endpoint("userinfo"),
        "device_authorization_endpoint": ctx.endpoint("auth/device"),
        "jwks_uri": ctx.endpoint("certs"),
        "response_types_supported": ["code"],
        "response_modes_supported": ["query"],
        "grant_types_supported": ["authorization_code", "refresh_token", DEVICE_GRANT, "client_credentials"],
        "subject_types_supported": ["public"],
        "id_token_signing_alg_values_supported": ["ES256"],
        "code_challenge_methods_supported": ["S256"],
        "prompt_values_supported": ["none", "login"],
        "scopes_supported": SUPPORTED_SCOPES,
        "claims_supported": ["iss", "sub", "aud", "exp", "iat", "auth_time", "sid", "name", "given_name",
            "family_name", "preferred_username", "email", "email_verified"],
        "token_endpoint_auth_methods_supported": auth_methods,
        "revocation_endpoint_auth_methods_supported": auth_methods,
        "introspection_endpoint_auth_methods_supported": auth_methods,
        "authorization_response_iss_parameter_supported": true,
    });
    Json(body).into_response()
}

/// The public half of the per-run key the ID tokens are signed with.
async fn certs(State(ctx): Ctx) -> Response {
    Json(ctx.signer.jwks()).into_response()
}

/// Form or query parameters, each at most once (RFC 6749 §3.1); an empty value counts as absent.
pub(crate) struct Params(HashMap<String, String>);

impl Params {
    /// Parses `application/x-www-form-urlencoded` text; `Err` names a parameter given twice.
    pub(crate) fn parse(bytes: &[u8]) -> Result<Params, String> {
        let mut map = HashMap::new();
        for (name, value) in url::form_urlencoded::parse(bytes) {
            if map.insert(name.to_string(), value.into_owned()).is_some() {
                return Err(name.into_owned());
            }
        }
        Ok(Params(map))
    }

    pub(crate) fn get(&self, name: &str) -> Option<&str> {
        self.0.get(name).map(String::as_str).filter(|value| !value.is_empty())
    }
}

/// An RFC 6749 §5.2 error from the token, revocation or device endpoint.
#[derive(Debug)]
pub(crate) struct OAuthError {
    pub(crate) status: StatusCode,
    pub(crate) error: &'static str,
    pub(crate) description: Cow<'static, str>,
    /// Set when the client tried HTTP Basic authentication and failed (RFC 6749 §5.2, `invalid_client`).
    pub(crate) basic_challenge: bool,
}

impl OAuthError {
    pub(crate) fn new(error: &'static str, description: impl Into<Cow<'static, str>>) -> OAuthError {
        OAuthError { status: StatusCode::BAD_REQUEST, error, description: description.into(), basic_challenge: false }
    }

    pub(crate) fn invalid_request(description: impl Into<Cow<'static, str>>) -> OAuthError {
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
}
