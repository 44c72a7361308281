//! Token revocation (RFC 7009), sent by hand: oauth2's `revoke_token` refuses http endpoints, and the test server
//! (like any issuer on loopback) is http.

use url::Url;

use super::error::{AuthError, network_text};
use crate::http::{BodyKind, Http};
use crate::secret::Secret;

/// Which kind of token is revoked (the `token_type_hint`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Hint {
    RefreshToken,
    AccessToken,
}

/// Asks the issuer to revoke `token`. A public client identifies itself with `client_id` (RFC 7009 2.1).
pub async fn revoke(http: &Http, endpoint: &Url, client_id: &str, token: &Secret, hint: Hint) -> Result<(), AuthError> {
    let hint = match hint {
        Hint::RefreshToken => "refresh_token",
        Hint::AccessToken => "access_token",
    };
    let form = [("token", token.expose()), ("token_type_hint", hint), ("client_id", client_id)];
    let response = http.send(http.post(endpoint.clone()).form(&form)).await.map_err(AuthError::Network)?;
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
