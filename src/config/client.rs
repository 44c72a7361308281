//! What a profile says about its client beyond the id: how it gets tokens (a person in a browser, or itself as a
//! machine), how it proves who it is at the token endpoint (nothing, a secret, a signed key), and where the server's
//! endpoints are when it publishes no metadata.

use std::path::PathBuf;

use serde::Deserialize;

use crate::secret::Secret;

/// How the client obtains tokens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GrantKind {
    /// A person signs in (Authorization Code + PKCE, or the device grant); refreshed with the refresh token.
    #[default]
    AuthorizationCode,
    /// The client signs in as itself (RFC 6749 4.4): no browser, no refresh token, a new grant before expiry.
    ClientCredentials,
}

impl GrantKind {
    /// Reads a grant as people write it: `client_credentials` or `client-credentials`, `authorization_code` or
    /// `authorization-code`.
    pub fn parse(text: &str) -> Result<GrantKind, String> {
        match text.trim().replace('-', "_").as_str() {
            "authorization_code" | "code" => Ok(GrantKind::AuthorizationCode),
            "client_credentials" => Ok(GrantKind::ClientCredentials),
            _ => Err(format!("`{text}` is not a grant zorgtui knows — use authorization_code or client_credentials")),
        }
    }
}

impl<'de> Deserialize<'de> for GrantKind {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<GrantKind, D::Error> {
        let text = String::deserialize(deserializer)?;
        GrantKind::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// How the client authenticates at the token, revocation, device and introspection endpoints.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClientAuthMethod {
    /// A public client: `client_id` in the body, no proof.
    None,
    /// HTTP Basic with the URL-encoded id and secret (RFC 6749 2.3.1).
    ClientSecretBasic,
    /// `client_id` and `client_secret` in the body.
    ClientSecretPost,
    /// A JWT signed with the client's private key (RFC 7523, OpenID Connect Core 9).
    PrivateKeyJwt,
}

impl ClientAuthMethod {
    /// The name servers list in `token_endpoint_auth_methods_supported`.
    pub fn name(self) -> &'static str {
        match self {
            ClientAuthMethod::None => "none",
            ClientAuthMethod::ClientSecretBasic => "client_secret_basic",
            ClientAuthMethod::ClientSecretPost => "client_secret_post",
            ClientAuthMethod::PrivateKeyJwt => "private_key_jwt",
        }
    }
}

/// Where a confidential client's secret comes from. Only the source is kept in the profile; the secret is read
/// when it is first needed, so a `pass` prompt or a keyring unlock happens only for a sign-in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecretSource {
    /// An environment variable (`client_secret_env`).
    Env(String),
    /// A command run through `sh -c`, the first line of its stdout (`client_secret_command`).
    Command(String),
    /// Written in `config.toml` (`client_secret`), which is readable by its owner alone.
    Inline(Secret),
    /// The OS keyring, stored there by `zorgtui secret set` (`client_secret_keyring = true`).
    Keyring,
    /// Written in a `config.toml` others can read: refused, with what to run.
    Refused(String),
}

/// Endpoints named in the profile: they win over the server's metadata, and make a server without metadata usable.
#[derive(Debug, Clone, PartialEq, Eq, Default, Deserialize)]
pub struct EndpointUrls {
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub revocation_endpoint: Option<String>,
    pub device_authorization_endpoint: Option<String>,
    pub introspection_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub jwks_uri: Option<String>,
    pub end_session_endpoint: Option<String>,
}

impl EndpointUrls {
    /// Each of `other`'s endpoints that is set replaces this one's.
    pub fn overlay(&mut self, other: EndpointUrls) {
        macro_rules! take {
            ($($field:ident),*) => { $( if other.$field.is_some() { self.$field = other.$field; } )* };
        }
        take!(
            authorization_endpoint,
            token_endpoint,
            revocation_endpoint,
            device_authorization_endpoint,
            introspection_endpoint,
            userinfo_endpoint,
            jwks_uri,
            end_session_endpoint
        );
    }
}

/// How the client proves who it is, as the profile says.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientCredentials {
    pub secret: Option<SecretSource>,
    /// A PEM private key (PKCS#8 RSA or P-256, or PKCS#1 RSA) for `private_key_jwt`.
    pub key_file: Option<PathBuf>,
    /// The `kid` to put in the client assertion's header, when the server holds several keys of the client.
    pub key_id: Option<String>,
    /// Forces a method instead of choosing one from the server's `token_endpoint_auth_methods_supported`.
    pub method: Option<ClientAuthMethod>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn both_spellings_of_a_grant_are_read() {
        assert_eq!(GrantKind::parse("client_credentials"), Ok(GrantKind::ClientCredentials));
        assert_eq!(GrantKind::parse("client-credentials"), Ok(GrantKind::ClientCredentials));
        assert_eq!(GrantKind::parse("authorization-code"), Ok(GrantKind::AuthorizationCode));
        assert!(GrantKind::parse("password").unwrap_err().contains("client_credentials"));
    }
}
