//! Token introspection (RFC 7662): what the server says about a token the client cannot read itself (an opaque
//! access token). The client authenticates as at the token endpoint.

use std::time::SystemTime;

use serde_json::Value;
use url::Url;

use super::client_auth::ClientAuth;
use super::error::AuthError;
use super::revoke::Hint;
use crate::http::{BodyKind, Http};
use crate::secret::Secret;

/// The server's answer about `token` (`{"active": false}` for one it no longer honours).
pub async fn introspect(
    http: &Http,
    endpoint: &Url,
    auth: &ClientAuth,
    token: &Secret,
    hint: Hint,
    now: SystemTime,
) -> Result<Value, AuthError> {
    let form = vec![("token", token.expose().to_string()), ("token_type_hint", hint.name().to_string())];
    let request = auth.form_request(http.post(endpoint.clone()), form, now)?;
    let response =
        http.send(request.header(reqwest::header::ACCEPT, "application/json")).await.map_err(AuthError::Network)?;
    let status = response.status();
    let body = response.bytes(BodyKind::Introspection).await.map_err(AuthError::Network)?;
    let bad = |detail: String| AuthError::BadResponse { what: "introspection endpoint", detail };
    if !status.is_success() {
        return Err(bad(format!("HTTP {status}")));
    }
    let value: Value =
        serde_json::from_slice(&body).map_err(|e| bad(format!("line {}, column {}", e.line(), e.column())))?;
    if value.get("active").and_then(Value::as_bool).is_none() {
        return Err(bad("no `active` in the answer".into()));
    }
    Ok(value)
}
