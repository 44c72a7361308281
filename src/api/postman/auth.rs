//! Auth as Postman applies it: a request's own `auth`, else its folder's, up to the collection's; `inherit` (or no
//! `auth`) asks the parent, `noauth` stops the search with no credentials. An `oauth2` auth becomes the sign-in.

use serde_json::Value;

use super::schema::{Auth, text_of};

/// The auth a request ends up with, found where Postman finds it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effective {
    /// `noauth`, or nothing anywhere up the chain.
    None,
    /// `oauth2`, with the name of the place it was set (the collection, or a folder's name).
    OAuth2 { settings: OAuth2Settings, set_on: String },
    /// Another kind (`bearer`, `apikey`, `basic`, …), as its type name: listed, not used for sign-in.
    Other { kind: String },
}

/// An `oauth2` auth's settings, as written (`{{variables}}` not yet replaced).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OAuth2Settings {
    pub auth_url: String,
    pub access_token_url: String,
    pub client_id: String,
    /// As written: empty, a `{{variable}}`, or (rarely, and never shown) the secret itself.
    pub client_secret: String,
    pub scope: String,
    pub redirect_uri: String,
    /// `authorization_code` (Postman's default), `authorization_code_with_pkce`, `client_credentials`, `implicit`,
    /// `password_credentials`.
    pub grant_type: String,
    /// `header` (HTTP Basic) or `body`: how a secret is sent.
    pub client_authentication: String,
    /// Postman's "Authorize using browser": its redirect is then Postman's browser callback.
    pub use_browser: bool,
}

impl std::fmt::Debug for super::Collection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // The collection may hold a client secret in its oauth2 settings: only the shape is shown.
        f.debug_struct("Collection")
            .field("catalogue", &self.catalogue.title)
            .field("operations", &self.catalogue.operations.len())
            .field("variables", &self.variables.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .field("scripted", &self.scripted)
            .finish_non_exhaustive()
    }
}

/// Postman's callback page for "Authorize using browser".
pub const POSTMAN_BROWSER_CALLBACK: &str = "https://oauth.pstmn.io/v1/browser-callback";

impl Auth {
    /// The value of parameter `name` of this auth's type: v2.1 writes `"oauth2": [{"key": …, "value": …}]`, v2.0
    /// `"oauth2": {"key": value}`.
    fn param(&self, name: &str) -> Option<String> {
        match self.params.get(&self.kind)? {
            Value::Array(pairs) => pairs
                .iter()
                .find(|pair| pair.get("key").and_then(Value::as_str) == Some(name))
                .map(|pair| text_of(pair.get("value"))),
            Value::Object(map) => map.get(name).map(|v| text_of(Some(v))),
            _ => None,
        }
    }

    fn oauth2(&self) -> OAuth2Settings {
        let get = |name: &str| self.param(name).unwrap_or_default();
        let use_browser = get("useBrowser") == "true";
        let mut redirect_uri = get("redirect_uri");
        if use_browser {
            redirect_uri = POSTMAN_BROWSER_CALLBACK.to_string();
        }
        let grant_type = Some(get("grant_type")).filter(|g| !g.is_empty()).unwrap_or("authorization_code".into());
        OAuth2Settings {
            auth_url: get("authUrl"),
            access_token_url: get("accessTokenUrl"),
            client_id: get("clientId"),
            client_secret: get("clientSecret"),
            scope: get("scope"),
            redirect_uri,
            grant_type,
            client_authentication: get("client_authentication"),
            use_browser,
        }
    }
}

/// What `auth` says for a request whose parent's auth is `inherited`; `set_on` names the place `auth` belongs to.
pub(super) fn apply(auth: Option<&Auth>, inherited: &Effective, set_on: &str) -> Effective {
    let Some(auth) = auth else { return inherited.clone() };
    match auth.kind.as_str() {
        "" | "inherit" => inherited.clone(),
        "noauth" => Effective::None,
        "oauth2" => Effective::OAuth2 { settings: auth.oauth2(), set_on: set_on.to_string() },
        other => Effective::Other { kind: other.to_string() },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn auth(json: &str) -> Auth {
        serde_json::from_str(json).unwrap()
    }

    #[test]
    fn reads_v21_lists_and_v20_objects() {
        let v21 =
            auth(r#"{"type":"oauth2","oauth2":[{"key":"clientId","value":"c"},{"key":"useBrowser","value":false}]}"#);
        let v20 = auth(r#"{"type":"oauth2","oauth2":{"clientId":"c","scope":"a b"}}"#);
        let Effective::OAuth2 { settings, .. } = apply(Some(&v21), &Effective::None, "here") else { panic!() };
        assert_eq!((settings.client_id.as_str(), settings.grant_type.as_str()), ("c", "authorization_code"));
        assert!(!settings.use_browser);
        let Effective::OAuth2 { settings, .. } = apply(Some(&v20), &Effective::None, "here") else { panic!() };
        assert_eq!(settings.scope, "a b");
    }

    #[test]
    fn inherit_noauth_and_other_kinds() {
        let parent = apply(Some(&auth(r#"{"type":"oauth2","oauth2":[]}"#)), &Effective::None, "collection");
        assert_eq!(apply(None, &parent, "f"), parent);
        assert_eq!(apply(Some(&auth(r#"{"type":"inherit"}"#)), &parent, "f"), parent);
        assert_eq!(apply(Some(&auth(r#"{"type":"noauth"}"#)), &parent, "f"), Effective::None);
        assert_eq!(
            apply(Some(&auth(r#"{"type":"bearer","bearer":[]}"#)), &parent, "f"),
            Effective::Other { kind: "bearer".into() }
        );
        let browser = auth(r#"{"type":"oauth2","oauth2":[{"key":"useBrowser","value":true}]}"#);
        let Effective::OAuth2 { settings, .. } = apply(Some(&browser), &Effective::None, "c") else { panic!() };
        assert_eq!(settings.redirect_uri, POSTMAN_BROWSER_CALLBACK);
    }
}
