//! Metadata: what the server says about itself, from wherever it says it. OpenID Connect Discovery
//! (`{issuer}/.well-known/openid-configuration`) and RFC 8414 authorization server metadata
//! (`/.well-known/oauth-authorization-server`, inserted before the issuer's path as the RFC says, or appended to it as
//! some servers serve it) are both read, each one's `issuer` checked, and what either lists is used: some servers
//! list revocation or the device endpoint only in the RFC 8414 document. Endpoints the profile names win over both,
//! and make a plain OAuth 2 server that publishes neither usable. Every document is read through the bounded reader.

use serde::Deserialize;
use url::Url;

use super::error::{AuthError, network_text};
use crate::config::EndpointUrls;
use crate::http::{BodyKind, Http, is_loopback};

/// The endpoints and promises of a server, as far as zorgtui uses them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Metadata {
    /// Exactly as the server names itself (or, without metadata, as the profile names it); the `iss` of
    /// authorization responses and ID tokens is compared with this.
    pub issuer: String,
    /// `None` on a server only machines use (client credentials).
    pub authorization_endpoint: Option<Url>,
    pub token_endpoint: Url,
    pub device_authorization_endpoint: Option<Url>,
    pub revocation_endpoint: Option<Url>,
    pub introspection_endpoint: Option<Url>,
    pub userinfo_endpoint: Option<Url>,
    pub jwks_uri: Option<Url>,
    /// OpenID Connect RP-Initiated Logout: where the browser session is ended.
    pub end_session_endpoint: Option<Url>,
    /// `token_endpoint_auth_methods_supported`; `None` when not listed (RFC 8414 2: then `client_secret_basic`).
    pub token_endpoint_auth_methods: Option<Vec<String>>,
    /// `code_challenge_methods_supported` lists methods but not S256.
    pub lacks_pkce_s256: bool,
    /// RFC 9207: the issuer promises `iss` on every authorization response, so a response without it is refused.
    pub iss_parameter_supported: bool,
}

/// One metadata document, every field optional but the issuer: which are needed depends on what is used.
#[derive(Deserialize, Default)]
struct Document {
    issuer: String,
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    jwks_uri: Option<String>,
    end_session_endpoint: Option<String>,
    token_endpoint_auth_methods_supported: Option<Vec<String>>,
    code_challenge_methods_supported: Option<Vec<String>>,
    #[serde(default)]
    authorization_response_iss_parameter_supported: bool,
}

impl Document {
    /// Whether every endpoint zorgtui may use is listed: then no second document is worth a request.
    fn is_complete(&self) -> bool {
        self.authorization_endpoint.is_some()
            && self.token_endpoint.is_some()
            && self.device_authorization_endpoint.is_some()
            && self.revocation_endpoint.is_some()
            && self.introspection_endpoint.is_some()
            && self.end_session_endpoint.is_some()
    }
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

/// RFC 8414's addresses for `issuer`: the well-known part inserted between host and path (section 3.1), then
/// appended to the path, as servers that followed OpenID's habit serve it. One address when the issuer has no path.
pub fn rfc8414_urls(issuer: &Url) -> Vec<String> {
    const WELL_KNOWN: &str = "/.well-known/oauth-authorization-server";
    let path = issuer.path().trim_end_matches('/');
    let mut origin = issuer.clone();
    origin.set_path("");
    origin.set_query(None);
    origin.set_fragment(None);
    let origin = origin.as_str().trim_end_matches('/').to_string();
    let inserted = format!("{origin}{WELL_KNOWN}{path}");
    let appended = format!("{origin}{path}{WELL_KNOWN}");
    if inserted == appended { vec![inserted] } else { vec![inserted, appended] }
}

/// Fetches the server's metadata, from both kinds of document, with the profile's endpoints over them.
pub async fn discover(http: &Http, issuer: &str, profile: &EndpointUrls) -> Result<Metadata, AuthError> {
    let issuer_url = check_issuer(issuer)?;
    // A profile that names the token endpoint does without metadata: a failure to read it is only logged.
    let self_sufficient = profile.token_endpoint.is_some();
    let oidc_url = discovery_url(issuer);
    let mut documents = Vec::new();
    let mut missing = Vec::new();
    match fetch(http, &oidc_url, issuer).await {
        Ok(Some(document)) => documents.push(document),
        Ok(None) => missing.push(oidc_url.clone()),
        Err(error @ AuthError::DiscoveryIssuerMismatch { .. }) => return Err(error),
        Err(error) if self_sufficient => tracing::info!(%error, "no usable OpenID Connect discovery"),
        Err(error) => return Err(error),
    }
    if documents.first().is_none_or(|d| !d.is_complete()) {
        for url in rfc8414_urls(&issuer_url) {
            match fetch(http, &url, issuer).await {
                Ok(Some(document)) => {
                    documents.push(document);
                    break;
                }
                Ok(None) => missing.push(url),
                Err(error @ AuthError::DiscoveryIssuerMismatch { .. }) => return Err(error),
                // The OpenID document was read: a broken second one is not worth failing for.
                Err(error) if !documents.is_empty() || self_sufficient => {
                    tracing::info!(%error, "no usable RFC 8414 metadata");
                }
                Err(error) => return Err(error),
            }
        }
    }
    if documents.is_empty() && !self_sufficient {
        return Err(AuthError::Discovery {
            url: oidc_url,
            reason: format!(
                "HTTP 404 Not Found, and no RFC 8414 metadata at {} — check the issuer URL, or name token_endpoint \
                 (and authorization_endpoint) in the profile",
                missing.iter().skip(1).cloned().collect::<Vec<_>>().join(" or ")
            ),
        });
    }
    tracing::info!(documents = documents.len(), "metadata read");
    merge(documents, issuer, profile)
}

/// Reads one document: `Ok(None)` when the server has none there (a 404, or another refusal of the address).
async fn fetch(http: &Http, url: &str, issuer: &str) -> Result<Option<Document>, AuthError> {
    let failed = |reason: String| AuthError::Discovery { url: url.to_string(), reason };
    let response = http
        .send(http.get(url).header(reqwest::header::ACCEPT, "application/json"))
        .await
        .map_err(|e| failed(e.to_string()))?;
    let status = response.status();
    if status.is_client_error() {
        tracing::debug!(url, %status, "no metadata here");
        return Ok(None);
    }
    if !status.is_success() {
        return Err(failed(format!("HTTP {status}")));
    }
    let body = response.bytes(BodyKind::Metadata).await.map_err(|e| failed(e.to_string()))?;
    let document: Document = serde_json::from_slice(&body)
        .map_err(|e| failed(format!("not a metadata document (line {}, column {})", e.line(), e.column())))?;
    if !same_issuer(&document.issuer, issuer) {
        return Err(AuthError::DiscoveryIssuerMismatch {
            url: url.to_string(),
            expected: issuer.to_string(),
            found: network_text(&document.issuer),
        });
    }
    Ok(Some(document))
}

fn same_issuer(found: &str, configured: &str) -> bool {
    found == configured || found.trim_end_matches('/') == configured.trim_end_matches('/')
}

/// The documents in order of precedence (OpenID first), each filling what the ones before left out, then the
/// profile's endpoints over all of them.
fn merge(documents: Vec<Document>, configured: &str, profile: &EndpointUrls) -> Result<Metadata, AuthError> {
    let mut merged = Document { issuer: configured.to_string(), ..Document::default() };
    let mut iss_promised = false;
    for (index, document) in documents.into_iter().enumerate() {
        if index == 0 {
            merged.issuer.clone_from(&document.issuer);
        }
        iss_promised |= document.authorization_response_iss_parameter_supported;
        macro_rules! fill {
            ($($field:ident),*) => { $( if merged.$field.is_none() { merged.$field = document.$field; } )* };
        }
        fill!(
            authorization_endpoint,
            token_endpoint,
            device_authorization_endpoint,
            revocation_endpoint,
            introspection_endpoint,
            userinfo_endpoint,
            jwks_uri,
            end_session_endpoint,
            token_endpoint_auth_methods_supported,
            code_challenge_methods_supported
        );
    }
    macro_rules! profile_wins {
        ($($field:ident),*) => { $( if let Some(url) = &profile.$field { merged.$field = Some(url.clone()); } )* };
    }
    profile_wins!(
        authorization_endpoint,
        token_endpoint,
        revocation_endpoint,
        device_authorization_endpoint,
        introspection_endpoint,
        userinfo_endpoint,
        jwks_uri,
        end_session_endpoint
    );
    let optional = |what, value: Option<String>| value.map(|v| endpoint(what, &v)).transpose();
    let token_endpoint = merged.token_endpoint.ok_or_else(|| AuthError::Discovery {
        url: discovery_url(configured),
        reason: "the metadata names no token endpoint — name token_endpoint in the profile".into(),
    })?;
    Ok(Metadata {
        authorization_endpoint: optional("authorization endpoint", merged.authorization_endpoint)?,
        token_endpoint: endpoint("token endpoint", &token_endpoint)?,
        device_authorization_endpoint: optional("device authorization endpoint", merged.device_authorization_endpoint)?,
        revocation_endpoint: optional("revocation endpoint", merged.revocation_endpoint)?,
        introspection_endpoint: optional("introspection endpoint", merged.introspection_endpoint)?,
        userinfo_endpoint: optional("userinfo endpoint", merged.userinfo_endpoint)?,
        jwks_uri: optional("JWKS", merged.jwks_uri)?,
        end_session_endpoint: optional("end-session endpoint", merged.end_session_endpoint)?,
        token_endpoint_auth_methods: merged.token_endpoint_auth_methods_supported,
        lacks_pkce_s256: merged.code_challenge_methods_supported.is_some_and(|m| !m.iter().any(|m| m == "S256")),
        iss_parameter_supported: iss_promised,
        issuer: merged.issuer,
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

    const ISSUER: &str = "https://idp.example/realms/z";

    fn oidc() -> Document {
        Document {
            issuer: ISSUER.to_string(),
            authorization_endpoint: Some(format!("{ISSUER}/protocol/openid-connect/auth")),
            token_endpoint: Some(format!("{ISSUER}/protocol/openid-connect/token")),
            userinfo_endpoint: Some(format!("{ISSUER}/protocol/openid-connect/userinfo")),
            code_challenge_methods_supported: Some(vec!["plain".into(), "S256".into()]),
            authorization_response_iss_parameter_supported: true,
            ..Document::default()
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
    fn discovery_url_appends_to_the_path_and_rfc8414_inserts_then_appends() {
        assert_eq!(
            discovery_url("https://idp.example/realms/z/"),
            "https://idp.example/realms/z/.well-known/openid-configuration"
        );
        assert_eq!(
            rfc8414_urls(&Url::parse("https://idp.example/realms/z/").unwrap()),
            [
                "https://idp.example/.well-known/oauth-authorization-server/realms/z",
                "https://idp.example/realms/z/.well-known/oauth-authorization-server"
            ]
        );
        assert_eq!(
            rfc8414_urls(&Url::parse("http://127.0.0.1:8080").unwrap()),
            ["http://127.0.0.1:8080/.well-known/oauth-authorization-server"]
        );
    }

    #[test]
    fn what_only_rfc8414_lists_is_used_and_the_profile_wins() {
        let rfc8414 = Document {
            revocation_endpoint: Some(format!("{ISSUER}/revoke")),
            device_authorization_endpoint: Some(format!("{ISSUER}/device")),
            token_endpoint: Some(format!("{ISSUER}/other-token")),
            token_endpoint_auth_methods_supported: Some(vec!["client_secret_post".into()]),
            ..Document { issuer: ISSUER.into(), ..Document::default() }
        };
        let profile =
            EndpointUrls { userinfo_endpoint: Some("https://api.example/me".into()), ..EndpointUrls::default() };
        let meta = merge(vec![oidc(), rfc8414], ISSUER, &profile).unwrap();
        assert_eq!(meta.token_endpoint.as_str(), "https://idp.example/realms/z/protocol/openid-connect/token");
        assert_eq!(meta.revocation_endpoint.unwrap().as_str(), "https://idp.example/realms/z/revoke");
        assert!(meta.device_authorization_endpoint.is_some());
        assert_eq!(meta.userinfo_endpoint.unwrap().as_str(), "https://api.example/me");
        assert_eq!(meta.token_endpoint_auth_methods, Some(vec!["client_secret_post".to_string()]));
        assert!(meta.iss_parameter_supported && !meta.lacks_pkce_s256);
    }

    #[test]
    fn a_server_without_metadata_works_from_the_profile() {
        let profile = EndpointUrls {
            authorization_endpoint: Some("https://oauth.example/authorize".into()),
            token_endpoint: Some("https://oauth.example/token".into()),
            ..EndpointUrls::default()
        };
        let meta = merge(Vec::new(), "https://oauth.example", &profile).unwrap();
        assert_eq!(meta.issuer, "https://oauth.example");
        assert_eq!(meta.token_endpoint.as_str(), "https://oauth.example/token");
        assert!(meta.revocation_endpoint.is_none() && !meta.iss_parameter_supported);
        let none = merge(Vec::new(), "https://oauth.example", &EndpointUrls::default()).unwrap_err();
        assert!(none.to_string().contains("name token_endpoint in the profile"), "{none}");
    }

    #[test]
    fn endpoints_off_loopback_must_be_https() {
        let mut doc = oidc();
        doc.token_endpoint = Some("http://idp.example/token".into());
        let err = merge(vec![doc], ISSUER, &EndpointUrls::default()).unwrap_err();
        assert!(matches!(err, AuthError::InsecureEndpoint { what: "token endpoint", .. }), "{err}");
    }

    #[test]
    fn pkce_without_s256_is_noted() {
        let mut doc = oidc();
        doc.code_challenge_methods_supported = Some(vec!["plain".into()]);
        assert!(merge(vec![doc], ISSUER, &EndpointUrls::default()).unwrap().lacks_pkce_s256);
    }
}
