//! Who signed in, for the screen: `name`, else `preferred_username`, else `sub`. From the ID token's claims; when
//! those hold no name (oidc-provider, for one, puts only `sub` in an ID token that comes with an access token), or
//! there is no ID token, from the userinfo endpoint.
//!
//! The claims come from an ID token that `id_token` has verified (signature, issuer, audience, expiry, nonce).

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde_json::Value;
use url::Url;

use super::error::network_text;
use crate::http::{BodyKind, Http};
use crate::secret::Secret;

/// The claims of an ID token, if it is one for this issuer and client.
pub fn id_token_claims(id_token: &Secret, issuer: &str, client_id: &str) -> Option<Value> {
    let payload = id_token.expose().split('.').nth(1)?;
    let bytes = URL_SAFE_NO_PAD.decode(payload.trim_end_matches('=')).ok()?;
    let claims: Value = serde_json::from_slice(&bytes).ok()?;
    if claims.get("iss")?.as_str()? != issuer {
        return None;
    }
    let ours = match claims.get("aud")? {
        Value::String(aud) => aud == client_id,
        Value::Array(auds) => auds.iter().any(|a| a.as_str() == Some(client_id)),
        _ => false,
    };
    ours.then_some(claims)
}

/// `name`, else `preferred_username`: what a person is called, if the claims say.
pub fn name(claims: &Value) -> Option<String> {
    pick(claims, &["name", "preferred_username"])
}

/// The name, else the subject identifier.
pub fn display_name(claims: &Value) -> Option<String> {
    pick(claims, &["name", "preferred_username", "sub"])
}

/// The userinfo endpoint's claims (OpenID Connect Core 5.3), for the claims view.
pub async fn userinfo(http: &Http, endpoint: &Url, access_token: &Secret) -> Result<Value, String> {
    let request = http
        .get(endpoint.clone())
        .bearer_auth(access_token.expose())
        .header(reqwest::header::ACCEPT, "application/json");
    let response = http.send(request).await.map_err(|e| e.to_string())?;
    let status = response.status();
    let body = response.bytes(BodyKind::Userinfo).await.map_err(|e| e.to_string())?;
    if !status.is_success() {
        return Err(format!("HTTP {status}"));
    }
    serde_json::from_slice(&body).map_err(|e| format!("not JSON (line {}, column {})", e.line(), e.column()))
}

/// The display name from the userinfo endpoint (OpenID Connect Core 5.3).
pub async fn from_userinfo(http: &Http, endpoint: &Url, access_token: &Secret) -> Option<String> {
    let request = http
        .get(endpoint.clone())
        .bearer_auth(access_token.expose())
        .header(reqwest::header::ACCEPT, "application/json");
    let response = http.send(request).await.ok()?;
    if !response.status().is_success() {
        tracing::info!(status = %response.status(), "userinfo gave no name");
        return None;
    }
    let body = match response.bytes(BodyKind::Userinfo).await {
        Ok(body) => body,
        Err(error) => {
            tracing::info!(%error, "userinfo could not be read");
            return None;
        }
    };
    let claims: Value = serde_json::from_slice(&body).ok()?;
    display_name(&claims)
}

fn pick(claims: &Value, fields: &[&str]) -> Option<String> {
    fields
        .iter()
        .filter_map(|field| claims.get(field).and_then(Value::as_str))
        .find(|value| !value.trim().is_empty())
        .map(network_text)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(claims: &Value) -> Secret {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        Secret::new(format!("{}.{}.sig", part(&serde_json::json!({"alg": "RS256"})), part(claims)))
    }

    fn from_id_token(token: &Secret, issuer: &str, client_id: &str) -> Option<String> {
        display_name(&id_token_claims(token, issuer, client_id)?)
    }

    #[test]
    fn name_then_username_then_sub() {
        let base = serde_json::json!({"iss": "https://i", "aud": "c", "sub": "u1"});
        assert_eq!(from_id_token(&jwt(&base), "https://i", "c").as_deref(), Some("u1"));
        assert_eq!(name(&base), None);
        let mut more = base.clone();
        more["preferred_username"] = "alice".into();
        assert_eq!(from_id_token(&jwt(&more), "https://i", "c").as_deref(), Some("alice"));
        more["name"] = "Alice \u{1b}[31mA".into();
        assert_eq!(from_id_token(&jwt(&more), "https://i", "c").as_deref(), Some("Alice \\u{1b}[31mA"));
    }

    #[test]
    fn another_issuer_or_audience_is_ignored() {
        let claims = serde_json::json!({"iss": "https://other", "aud": "c", "sub": "u1"});
        assert_eq!(from_id_token(&jwt(&claims), "https://i", "c"), None);
        let claims = serde_json::json!({"iss": "https://i", "aud": ["x", "c"], "sub": "u1"});
        assert_eq!(from_id_token(&jwt(&claims), "https://i", "c").as_deref(), Some("u1"));
        let claims = serde_json::json!({"iss": "https://i", "aud": ["x"], "sub": "u1"});
        assert_eq!(from_id_token(&jwt(&claims), "https://i", "c"), None);
        assert_eq!(from_id_token(&Secret::new("not-a-jwt"), "https://i", "c"), None);
    }
}
