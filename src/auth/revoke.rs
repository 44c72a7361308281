//! Token revocation (RFC 7009), sent by hand: oauth2's `revoke_token` refuses http endpoints, and the test server
//! (like any issuer on loopback) is http. The client proves who it is as at the token endpoint.

use url::Url;

use super::client_auth::ClientAuth;
use super::error::{AuthError, network_text};
use crate::http::{BodyKind, Http};
use crate::secret::Secret;

/// Which kind of token is revoked (the `token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    RefreshToken,
    AccessToken,
}

impl Hint {
    pub fn name(self) -> &'static str {
        match self {
            Hint::RefreshToken => "refresh_token",
            Hint::AccessToken => "access_token",
        }
    }
}

/// Asks the issuer to revoke `token`. A public client identifies itself with `client_id` (RFC 7009 2.1), a
/// confidential one authenticates.
pub async fn revoke(
    http: &Http,
    endpoint: &Url,
    auth: &ClientAuth,
    token: &Secret,
    hint: Hint,
    now: std::time::SystemTime,
) -> Result<(), AuthError> {
    let form = vec![("token", token.expose().to_string()), ("token_type_hint", hint.name().to_string())];
    let request = auth.form_request(http.post(endpoint.clone()), form, now)?;
    let response = http.send(request).await.map_err(AuthError::Network)?;
    let status = response.status();
    if status.is_success() {
        return Ok(());
    }
    let body = response.bytes(BodyKind::Revocation).await.map_err(AuthError::Network)?;
    let body: serde_json::Value = serde_json::from_slice(&body).unwrap_or_default();
    let error = body.get("error").and_then(serde_json::Value::as_str).map(network_text);
    Err(AuthError::TokenEndpoint(match error {
        Some(error) => format!("revocation answered {status}: {error}"),
        None => format!("revocation answered {status}"),
    }))
}
