//! Credentials that are not OAuth: a spec's `apiKey` (header, query or cookie) and `http` (bearer, basic) schemes.
//! Which of them an operation needs comes from its `security`; the values themselves never pass through here
//! until the last moment ([`apply`], called on the copy of the request that goes on the wire).

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use super::catalogue::{Catalogue, Operation, ParamLocation, SchemeKind};
use super::request::PreparedRequest;
use crate::secret::Secret;

/// Where a credential goes in the request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum Placement {
    Header(String),
    Query(String),
    Cookie(String),
    /// `Authorization: Bearer <value>`.
    Bearer,
    /// `Authorization: Basic <base64 of the value>`, the value typed as `user:password`.
    Basic,
}

impl Placement {
    /// Where the scheme puts its value, for a scheme zorgtui can send this way.
    pub fn of(kind: &SchemeKind) -> Option<Placement> {
        match kind {
            SchemeKind::ApiKey { name, location } => Some(match location {
                ParamLocation::Header => Placement::Header(name.clone()),
                ParamLocation::Query => Placement::Query(name.clone()),
                ParamLocation::Cookie => Placement::Cookie(name.clone()),
                ParamLocation::Path => return None,
            }),
            SchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("bearer") => Some(Placement::Bearer),
            SchemeKind::Http { scheme, .. } if scheme.eq_ignore_ascii_case("basic") => Some(Placement::Basic),
            _ => None,
        }
    }

    /// For people: "the header X-API-Key", "Authorization: Basic".
    pub fn describe(&self) -> String {
        match self {
            Placement::Header(name) => format!("the header {name}"),
            Placement::Query(name) => format!("the query parameter {name}"),
            Placement::Cookie(name) => format!("the cookie {name}"),
            Placement::Bearer => "Authorization: Bearer".into(),
            Placement::Basic => "Authorization: Basic (typed as user:password)".into(),
        }
    }
}

/// One credential a request carries: the scheme it belongs to (its value is kept under that name) and where it goes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CredentialUse {
    pub scheme: String,
    pub placement: Placement,
}

/// The credentials a request carries, and the API (its origin) they are kept for.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Credentials {
    pub api: String,
    pub uses: Vec<CredentialUse>,
    /// Whether the values are kept in the OS keyring (the profile keeps its tokens there), not in the data dir.
    pub in_keyring: bool,
}

impl Credentials {
    /// Whether one of them is the `Authorization` header (http bearer or basic): then the session's token stays.
    pub fn sets_authorization(&self) -> bool {
        self.uses.iter().any(|u| matches!(u.placement, Placement::Bearer | Placement::Basic))
    }
}

/// The apiKey and http credentials `operation` needs: from the first of its `security` alternatives that zorgtui
/// can satisfy. An alternative of OAuth schemes only is satisfied by the session when `signed_in` (and needs no
/// credential of these); an empty one (`{}`) lets the request in without any. An alternative naming a scheme that
/// cannot be sent (mutual TLS, an unknown type) is passed over.
pub fn uses_for(catalogue: &Catalogue, operation: &Operation, signed_in: bool) -> Vec<CredentialUse> {
    for alternative in catalogue.security_of(operation) {
        let mut uses = Vec::new();
        let mut satisfiable = true;
        for (name, _) in &alternative.schemes {
            let Some(scheme) = catalogue.scheme(name) else {
                satisfiable = false;
                break;
            };
            match &scheme.kind {
                SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. } => satisfiable &= signed_in,
                kind => match Placement::of(kind) {
                    Some(placement) => uses.push(CredentialUse { scheme: name.clone(), placement }),
                    None => satisfiable = false,
                },
            }
        }
        if satisfiable {
            return uses;
        }
    }
    // None can be met as things are: the first one that asks for a credential says what to ask for.
    catalogue
        .security_of(operation)
        .iter()
        .flat_map(|alternative| &alternative.schemes)
        .filter_map(|(name, _)| {
            let placement = Placement::of(&catalogue.scheme(name)?.kind)?;
            Some(CredentialUse { scheme: name.clone(), placement })
        })
        .take(1)
        .collect()
}

/// Whether credentials kept for a spec may go to `url`: only to the spec's own servers (`servers`, resolved URLs),
/// same origin and under the server's path, and over HTTPS unless on loopback.
pub fn may_go_to(url: &str, servers: &[String]) -> bool {
    let Ok(target) = url::Url::parse(url) else { return false };
    if target.scheme() != "https" && !crate::http::is_loopback(&target) {
        return false;
    }
    servers.iter().filter_map(|s| url::Url::parse(s).ok()).any(|server| {
        let base = server.path().trim_end_matches('/');
        let path = target.path();
        server.origin() == target.origin()
            && path.strip_prefix(base).is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
    })
}

/// The request as it goes on the wire: each credential with a value put where its scheme says. Kept apart from the
/// request the history and the screen see, which never hold the values.
pub fn apply(request: &PreparedRequest, values: &[(CredentialUse, Secret)]) -> PreparedRequest {
    let mut wire = request.clone();
    for (credential, value) in values {
        let value = value.expose();
        match &credential.placement {
            Placement::Header(name) => wire.headers.push((name.clone(), value.to_string())),
            Placement::Bearer => wire.headers.push(("Authorization".into(), format!("Bearer {value}"))),
            Placement::Basic => {
                let encoded = base64::engine::general_purpose::STANDARD.encode(value.as_bytes());
                wire.headers.push(("Authorization".into(), format!("Basic {encoded}")));
            }
            Placement::Cookie(name) => {
                let pair = format!("{name}={value}");
                match wire.headers.iter_mut().find(|(n, _)| n.eq_ignore_ascii_case("cookie")) {
                    Some((_, cookies)) => *cookies = format!("{cookies}; {pair}"),
                    None => wire.headers.push(("Cookie".into(), pair)),
                }
            }
            Placement::Query(name) => {
                if let Ok(mut url) = url::Url::parse(&wire.url) {
                    url.query_pairs_mut().append_pair(name, value);
                    wire.url = url.to_string();
                }
            }
        }
    }
    wire
}

#[cfg(test)]
#[path = "credentials_tests.rs"]
mod tests;
