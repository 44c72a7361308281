//! Discovery: what the issuer says about itself at `{issuer}/.well-known/openid-configuration` (OpenID Connect
//! Discovery, with RFC 8414's field names), checked before anything is sent to the endpoints it names.

use serde::Deserialize;
use url::Url;

use super::error::{AuthError, network_text};
use crate::http::{BodyKind, Http, is_loopback};

/// The endpoints and promises of an issuer, as far as zorgtui uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Exactly as the issuer names itself; the `iss` of authorization responses is compared with this.
    pub issuer: String,
    pub authorization_endpoint: Url,
    pub token_endpoint: Url,
    pub device_authorization_endpoint: Option<Url>,
    pub revocation_endpoint: Option<Url>,
    pub userinfo_endpoint: Option<Url>,
    /// RFC 9207: the issuer promises `iss` on every authorization response, so a response without it is refused.
    pub iss_parameter_supported: bool,
}

#[derive(Deserialize)]
struct Document {
    issuer: String,
    authorization_endpoint: String,
    token_endpoint: String,
    device_authorization_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

/// The configured issuer, checked: an absolute URL, https unless on loopback.
pub fn check_issuer(issuer: &str) -> Result<Url, AuthError> {
    let url = Url::parse(issuer).map_err(|_| AuthError::BadUrl { what: "issuer URL", value: network_text(issuer) })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(AuthError::InsecureIssuer { issuer: issuer.to_string() }),
        _ => Err(AuthError::BadUrl { what: "issuer URL", value: network_text(issuer) }),
    }
}

/// The discovery document's address for `issuer` (OpenID Connect Discovery 1.0, section 4: appended to the path).
pub fn discovery_url(issuer: &str) -> String {
    format!("{}/.well-known/openid-configuration", issuer.trim_end_matches('/'))
}

/// Fetches and checks the issuer's metadata.
pub async fn discover(http: &Http, issuer: &str) -> Result<Metadata, AuthError> {
    check_issuer(issuer)?;
    let url = discovery_url(issuer);
    let failed = |reason: String| AuthError::Discovery { url: url.clone(), reason };
    let response = http
        .send(http.get(&url).header(reqwest::header::ACCEPT, "application/json"))
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    if !status.is_success() {
        return Err(failed(format!("HTTP {status}")));
    }
    let body = response.bytes(BodyKind::Metadata).await.map_err(|e| failed(e.to_string()))?;
    let document: Document = serde_json::from_slice(&body)
        .map_err(|e| failed(format!("not a discovery document (line {}, column {})", e.line(), e.column())))?;
    from_document(document, issuer, &url)
}

fn from_document(document: Document, configured: &str, url: &str) -> Result<Metadata, AuthError> {
    let same_issuer =
        document.issuer == configured || document.issuer.trim_end_matches('/') == configured.trim_end_matches('/');
    if !same_issuer {
        return Err(AuthError::DiscoveryIssuerMismatch {
            url: url.to_string(),
            expected: configured.to_string(),
            found: network_text(&document.issuer),
        });
    }
    if let Some(methods) = &document.code_challenge_methods_supported
        && !methods.iter().any(|m| m == "S256")
    {
        return Err(AuthError::NoPkceS256);
    }
    let optional = |what, value: Option<String>| value.map(|v| endpoint(what, &v)).transpose();
    Ok(Metadata {
        authorization_endpoint: endpoint("authorization endpoint", &document.authorization_endpoint)?,
        token_endpoint: endpoint("token endpoint", &document.token_endpoint)?,
        device_authorization_endpoint: optional(
            "device authorization endpoint",
            document.device_authorization_endpoint,
        )?,
        revocation_endpoint: optional("revocation endpoint", document.revocation_endpoint)?,
        userinfo_endpoint: optional("userinfo endpoint", document.userinfo_endpoint)?,
        iss_parameter_supported: document.authorization_response_iss_parameter_supported,
        issuer: document.issuer,
    })
}

/// An endpoint from the document: a URL, and https unless on loopback (a token sent over plain http to another
/// machine is a token given away).
fn endpoint(what: &'static str, value: &str) -> Result<Url, AuthError> {
    let url = Url::parse(value).map_err(|_| AuthError::BadUrl { what, value: network_text(value) })?;
    match url.scheme() {
        "https" => Ok(url),
        "http" if is_loopback(&url) => Ok(url),
        "http" => Err(AuthError::InsecureEndpoint { what, url: network_text(value) }),
        _ => Err(AuthError::BadUrl { what, value: network_text(value) }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn document(issuer: &str) -> Document {
        Document {
            issuer: issuer.to_string(),
            authorization_endpoint: format!("{issuer}/protocol/openid-connect/auth"),
            token_endpoint: format!("{issuer}/protocol/openid-connect/token"),
            device_authorization_endpoint: None,
            revocation_endpoint: Some(format!("{issuer}/protocol/openid-connect/revoke")),
            userinfo_endpoint: None,
            code_challenge_methods_supported: Some(vec!["plain".into(), "S256".into()]),
            authorization_response_iss_parameter_supported: true,
        }
    }

    #[test]
    fn http_only_on_loopback() {
        assert!(check_issuer("https://auth.zorgapis.nl/realms/zorgapis").is_ok());
        assert!(check_issuer("http://127.0.0.1:8080/realms/x").is_ok());
        assert!(check_issuer("http://127.9.9.9/realms/x").is_ok());
        assert!(check_issuer("http://[::1]:8080/realms/x").is_ok());
        assert!(check_issuer("http://localhost:8080/realms/x").is_ok());
        let err = check_issuer("http://auth.example/realms/x").unwrap_err();
        assert_eq!(err, AuthError::InsecureIssuer { issuer: "http://auth.example/realms/x".into() });
        assert!(check_issuer("http://127.0.0.1.evil.example/").is_err());
        assert!(check_issuer("ftp://127.0.0.1/").is_err());
        assert!(check_issuer("not a url").is_err());
    }

    #[test]
    fn discovery_url_appends_to_the_path() {
        assert_eq!(
            discovery_url("https://idp.example/realms/z/"),
            "https://idp.example/realms/z/.well-known/openid-configuration"
        );
    }

    #[test]
    fn issuer_must_match() {
        let issuer = "https://idp.example/realms/z";
        let meta = from_document(document(issuer), issuer, "u").unwrap();
        assert!(meta.iss_parameter_supported);
        assert_eq!(meta.token_endpoint.as_str(), "https://idp.example/realms/z/protocol/openid-connect/token");
        let err = from_document(document("https://evil.example/realms/z"), issuer, "u").unwrap_err();
        assert!(matches!(err, AuthError::DiscoveryIssuerMismatch { .. }), "{err}");
    }

    #[test]
    fn endpoints_off_loopback_must_be_https() {
        let issuer = "https://idp.example/realms/z";
        let mut doc = document(issuer);
        doc.token_endpoint = "http://idp.example/token".into();
        let err = from_document(doc, issuer, "u").unwrap_err();
        assert!(matches!(err, AuthError::InsecureEndpoint { what: "token endpoint", .. }), "{err}");
    }

    #[test]
    fn pkce_s256_required_when_methods_are_listed() {
        let issuer = "https://idp.example/realms/z";
        let mut doc = document(issuer);
        doc.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert_eq!(from_document(doc, issuer, "u").unwrap_err(), AuthError::NoPkceS256);
        let mut doc = document(issuer);
        doc.code_challenge_methods_supported = None;
        assert!(from_document(doc, issuer, "u").is_ok());
    }
}
