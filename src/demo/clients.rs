//! The clients registered at the demo authorization server, and how each proves who it is at the token,
//! revocation, device and introspection endpoints.
//!
//! Three, one of each kind a ZorgAPIs partner holds: the public native client (PKCE, no secret), a confidential
//! one (the same, plus a secret sent by HTTP Basic or in the body: both are accepted), and a machine client that
//! only gets tokens for itself (client credentials, the same secret). The secret is made fresh for each run.

use axum::http::{HeaderMap, StatusCode, header};
use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use sha2::{Digest as _, Sha256};

use super::auth_server::{OAuthError, Params};
use crate::secret::Secret;

/// The public client (no secret; PKCE required).
pub const CLIENT_ID: &str = "zorgtui-demo";
/// The confidential client: a person signs in, and the client adds its secret (`client_secret_basic` or
/// `client_secret_post`) to every call.
pub const CONFIDENTIAL_CLIENT_ID: &str = "zorgtui-demo-confidential";
/// The machine client: client credentials only, no person and no browser.
pub const MACHINE_CLIENT_ID: &str = "zorgtui-demo-machine";

/// A public client registered with one redirect that is not a loopback one (ZorgAPIs' `zorgapis.postman`, which
/// knows only Postman's callback page): what a Postman collection's sign-in needs from the demo. The person pastes
/// the address the browser landed on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PasteClient {
    pub client_id: String,
    pub redirect_uri: String,
}

/// What a client is allowed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    Public,
    Confidential,
    Machine,
}

impl Kind {
    pub(crate) fn of(client_id: &str) -> Option<Kind> {
        match client_id {
            CLIENT_ID => Some(Kind::Public),
            CONFIDENTIAL_CLIENT_ID => Some(Kind::Confidential),
            MACHINE_CLIENT_ID => Some(Kind::Machine),
            _ => None,
        }
    }

    /// Whether a person signs in with this client in a browser (the authorization endpoint, the device grant).
    pub(crate) fn has_people(self) -> bool {
        self != Kind::Machine
    }
}

/// A client that proved who it is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Authenticated {
    pub(crate) id: &'static str,
    pub(crate) kind: Kind,
}

/// The registered clients and their one secret.
pub(crate) struct Clients {
    secret: Secret,
    /// The paste client, its id made `'static` once per start (ids are compared and handed on as `&'static str`).
    paste: Option<(&'static str, String)>,
}

impl Clients {
    pub(crate) fn new(secret: Secret) -> Clients {
        Clients { secret, paste: None }
    }

    /// With `paste` registered too (ids of the built-in clients keep their meaning).
    pub(crate) fn with_paste(mut self, paste: Option<PasteClient>) -> Clients {
        self.paste = paste
            .filter(|p| Kind::of(&p.client_id).is_none())
            .map(|p| (&*Box::leak(p.client_id.into_boxed_str()), p.redirect_uri));
        self
    }

    /// The client called `client_id`: its id as the server keeps it, and its kind.
    pub(crate) fn find(&self, client_id: &str) -> Option<(&'static str, Kind)> {
        if let Some((id, _)) = self.paste.as_ref().filter(|(id, _)| *id == client_id) {
            return Some((id, Kind::Public));
        }
        let kind = Kind::of(client_id)?;
        let id = match kind {
            Kind::Public => CLIENT_ID,
            Kind::Confidential => CONFIDENTIAL_CLIENT_ID,
            Kind::Machine => MACHINE_CLIENT_ID,
        };
        Some((id, kind))
    }

    /// The one redirect a client registered, when it is not the loopback kind.
    pub(crate) fn registered_redirect(&self, client_id: &str) -> Option<&str> {
        self.paste.as_ref().filter(|(id, _)| *id == client_id).map(|(_, uri)| uri.as_str())
    }

    /// The client calling a back-channel endpoint. `client_id` in the body or HTTP Basic; a confidential or machine
    /// client must add its secret one way or the other (not both, RFC 6749 2.3.1). The public client may send any
    /// secret over Basic, which it ignores (as Keycloak's public clients do).
    pub(crate) fn authenticate(&self, headers: &HeaderMap, params: &Params) -> Result<Authenticated, OAuthError> {
        let basic = headers
            .get(header::AUTHORIZATION)
            .and_then(|value| value.to_str().ok())
            .and_then(|value| value.strip_prefix("Basic ").or_else(|| value.strip_prefix("basic ")));
        let from_basic = match basic {
            None => None,
            Some(encoded) => Some(
                basic_credentials(encoded.trim())
                    .ok_or_else(|| unauthorized(true, "Malformed HTTP Basic credentials"))?,
            ),
        };
        let body_secret = params.get("client_secret");
        if from_basic.is_some() && body_secret.is_some() {
            return Err(OAuthError::invalid_request("Client authentication given twice: HTTP Basic and client_secret"));
        }
        let (client_id, secret) = match (from_basic, params.get("client_id")) {
            (Some((basic, _)), Some(body)) if basic != body => {
                return Err(OAuthError::invalid_request("client_id differs between the body and HTTP Basic"));
            }
            (Some((id, secret)), _) => (id, Some(secret)),
            (None, Some(id)) => (id.to_owned(), body_secret.map(str::to_owned)),
            (None, None) => return Err(unauthorized(false, "Missing client_id")),
        };
        let Some((id, kind)) = self.find(&client_id) else {
            return Err(unauthorized(
                basic.is_some(),
                "Unknown client; the demo knows zorgtui-demo, zorgtui-demo-confidential and zorgtui-demo-machine",
            ));
        };
        if kind != Kind::Public {
            match secret.filter(|s| !s.is_empty()) {
                None => {
                    return Err(unauthorized(
                        false,
                        "This client must authenticate: client_secret_basic or client_secret_post",
                    ));
                }
                Some(given) if !self.is_secret(&given) => {
                    return Err(unauthorized(basic.is_some(), "Invalid client credentials"));
                }
                Some(_) => {}
            }
        }
        Ok(Authenticated { id, kind })
    }

    /// Compares digests, so the time taken says nothing about how much of a guess was right.
    fn is_secret(&self, given: &str) -> bool {
        Sha256::digest(given.as_bytes()) == Sha256::digest(self.secret.expose().as_bytes())
    }
}

fn unauthorized(basic_challenge: bool, description: &'static str) -> OAuthError {
    OAuthError { status: StatusCode::UNAUTHORIZED, basic_challenge, ..OAuthError::new("invalid_client", description) }
}

/// The client id and secret from `base64(urlencode(id) ":" urlencode(secret))` (RFC 6749 2.3.1).
fn basic_credentials(encoded: &str) -> Option<(String, String)> {
    let decoded = String::from_utf8(STANDARD.decode(encoded).ok()?).ok()?;
    let (id, secret) = decoded.split_once(':')?;
    let decode = |part: &str| -> Option<String> {
        Some(url::form_urlencoded::parse(format!("v={part}").as_bytes()).next()?.1.into_owned())
    };
    Some((decode(id)?, decode(secret)?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn clients() -> Clients {
        Clients::new(Secret::new("s3cr%t"))
    }

    fn basic(id: &str, secret: &str) -> HeaderMap {
        let mut headers = HeaderMap::new();
        let value = format!("Basic {}", STANDARD.encode(format!("{id}:{secret}")));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_str(&value).unwrap());
        headers
    }

    fn form(text: &str) -> Params {
        Params::parse(text.as_bytes()).unwrap()
    }

    #[test]
    fn basic_credentials_are_url_decoded() {
        let encoded = STANDARD.encode("zorgtui%2Ddemo:s3cr%25t");
        assert_eq!(basic_credentials(&encoded), Some(("zorgtui-demo".into(), "s3cr%t".into())));
        assert_eq!(basic_credentials("not base64!"), None);
    }

    #[test]
    fn confidential_clients_need_their_secret_one_way() {
        let clients = clients();
        let id = CONFIDENTIAL_CLIENT_ID;
        let ok = |headers: &HeaderMap, body: &str| clients.authenticate(headers, &form(body)).map(|c| c.kind).ok();
        assert_eq!(ok(&basic(id, "s3cr%25t"), ""), Some(Kind::Confidential));
        assert_eq!(ok(&HeaderMap::new(), &format!("client_id={id}&client_secret=s3cr%25t")), Some(Kind::Confidential));
        let refused = |headers: &HeaderMap, body: &str| clients.authenticate(headers, &form(body)).unwrap_err();
        assert_eq!(refused(&HeaderMap::new(), &format!("client_id={id}")).error, "invalid_client");
        assert_eq!(refused(&basic(id, "wrong"), "").status, StatusCode::UNAUTHORIZED);
        assert!(refused(&basic(id, "wrong"), "").basic_challenge);
        let twice = refused(&basic(id, "s3cr%25t"), "client_secret=s3cr%25t");
        assert_eq!(twice.error, "invalid_request");
        assert_eq!(refused(&HeaderMap::new(), "client_id=someone").error, "invalid_client");
    }

    #[test]
    fn the_public_client_needs_no_secret() {
        let clients = clients();
        let public = clients.authenticate(&HeaderMap::new(), &form("client_id=zorgtui-demo")).unwrap();
        assert_eq!(public, Authenticated { id: CLIENT_ID, kind: Kind::Public });
        assert_eq!(clients.authenticate(&basic(CLIENT_ID, ""), &form("")).unwrap().kind, Kind::Public);
    }
}
