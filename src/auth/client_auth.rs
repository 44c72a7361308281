//! How the client proves who it is: nothing (a public client), a secret (HTTP Basic or in the body), or a JWT
//! signed with its private key (`private_key_jwt`, RFC 7523). The method is the profile's if it forces one, else
//! the server's choice from `token_endpoint_auth_methods_supported` (Basic first). The same proof goes with every
//! call to the token, revocation, device and introspection endpoints.
//!
//! The secret is read where the profile says (an environment variable, a command, `config.toml`, the OS keyring)
//! when it is first needed, once per engine, and is only ever held as a [`Secret`].

mod key;
mod source;

use std::sync::Arc;
use std::time::SystemTime;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use oauth2::{AuthType, ClientSecret};
use serde_json::json;

pub use key::SigningKey;
pub use source::{KEYRING_SERVICE, forget_keyring_secret, read_secret, store_keyring_secret};

use super::AuthConfig;
use super::discovery::Metadata;
use super::error::AuthError;
use super::oauth::OAuthClient;
use crate::config::ClientAuthMethod;
use crate::secret::Secret;

/// How long a client assertion is valid: long enough for one request, short enough to be useless if caught.
const ASSERTION_LIFETIME_SECS: u64 = 60;

/// `client_assertion_type` for a JWT (RFC 7523 2.2).
pub const ASSERTION_TYPE: &str = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

/// What the client sends to prove who it is.
#[derive(Clone)]
pub struct ClientAuth {
    pub client_id: String,
    pub method: ClientAuthMethod,
    secret: Option<Secret>,
    key: Option<Arc<SigningKey>>,
    key_id: Option<String>,
    /// The `aud` of client assertions: the issuer, which every server accepts (RFC 7523bis).
    audience: String,
}

impl std::fmt::Debug for ClientAuth {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientAuth")
            .field("client_id", &self.client_id)
            .field("method", &self.method)
            .finish_non_exhaustive()
    }
}

/// The method to use: the profile's, else what the profile holds (a key, a secret) as the server allows it.
pub fn choose_method(config: &AuthConfig, metadata: &Metadata) -> Result<ClientAuthMethod, AuthError> {
    if let Some(forced) = config.client.method {
        return Ok(forced);
    }
    if config.client.key_file.is_some() {
        return Ok(ClientAuthMethod::PrivateKeyJwt);
    }
    if config.client.secret.is_none() {
        return Ok(ClientAuthMethod::None);
    }
    let Some(listed) = &metadata.token_endpoint_auth_methods else {
        // RFC 8414 2: without the list, client_secret_basic is the default.
        return Ok(ClientAuthMethod::ClientSecretBasic);
    };
    for method in [ClientAuthMethod::ClientSecretBasic, ClientAuthMethod::ClientSecretPost] {
        if listed.iter().any(|m| m == method.name()) {
            return Ok(method);
        }
    }
    Err(AuthError::ClientAuth(format!(
        "the server takes a client secret neither by HTTP Basic nor in the body (it lists {}) — set \
         token_endpoint_auth_method in the profile",
        super::error::network_text(&listed.join(", "))
    )))
}

impl ClientAuth {
    /// The proof for `method`, with the secret or key it needs (given by the caller, read once per engine).
    pub fn new(
        config: &AuthConfig,
        metadata: &Metadata,
        method: ClientAuthMethod,
        secret: Option<Secret>,
        key: Option<Arc<SigningKey>>,
    ) -> Result<ClientAuth, AuthError> {
        let needs = |what: &str| {
            AuthError::ClientAuth(format!(
                "token_endpoint_auth_method = \"{}\" needs {what} in the profile",
                method.name()
            ))
        };
        match method {
            ClientAuthMethod::ClientSecretBasic | ClientAuthMethod::ClientSecretPost if secret.is_none() => {
                return Err(needs("a client secret (client_secret_env, client_secret_command, ...)"));
            }
            ClientAuthMethod::PrivateKeyJwt if key.is_none() => return Err(needs("client_key_file")),
            _ => {}
        }
        Ok(ClientAuth {
            client_id: config.client_id.clone(),
            method,
            secret,
            key,
            key_id: config.client.key_id.clone(),
            audience: metadata.issuer.clone(),
        })
    }

    /// A public client's proof: its id alone.
    pub fn public(client_id: &str) -> ClientAuth {
        ClientAuth {
            client_id: client_id.to_string(),
            method: ClientAuthMethod::None,
            secret: None,
            key: None,
            key_id: None,
            audience: String::new(),
        }
    }

    /// Whether the client holds a secret (an ID token signed with HS256 can then be checked with it).
    pub fn secret(&self) -> Option<&Secret> {
        self.secret.as_ref()
    }

    /// The oauth2 client set up to send the secret the chosen way. A client assertion is added to each request by
    /// [`ClientAuth::extra_params`] instead: it must be new for every request.
    pub fn configure(&self, client: OAuthClient) -> OAuthClient {
        match (&self.method, &self.secret) {
            (ClientAuthMethod::ClientSecretBasic, Some(secret)) => client
                .set_client_secret(ClientSecret::new(secret.expose().to_string()))
                .set_auth_type(AuthType::BasicAuth),
            (ClientAuthMethod::ClientSecretPost, Some(secret)) => client
                .set_client_secret(ClientSecret::new(secret.expose().to_string()))
                .set_auth_type(AuthType::RequestBody),
            _ => client.set_auth_type(AuthType::RequestBody),
        }
    }

    /// Parameters a request must carry besides what the oauth2 crate sends: the client assertion, fresh.
    pub fn extra_params(&self, now: SystemTime) -> Result<Vec<(&'static str, String)>, AuthError> {
        match (&self.method, &self.key) {
            (ClientAuthMethod::PrivateKeyJwt, Some(key)) => Ok(vec![
                ("client_assertion_type", ASSERTION_TYPE.to_string()),
                ("client_assertion", self.assertion(key, now)?.expose().to_string()),
            ]),
            _ => Ok(Vec::new()),
        }
    }

    /// A form request (revocation, introspection) with the proof: in a header or in the form itself.
    pub fn form_request(
        &self,
        request: reqwest::RequestBuilder,
        mut form: Vec<(&'static str, String)>,
        now: SystemTime,
    ) -> Result<reqwest::RequestBuilder, AuthError> {
        let request = match (&self.method, &self.secret) {
            (ClientAuthMethod::ClientSecretBasic, Some(secret)) => {
                // RFC 6749 2.3.1: both parts form-encoded before they are joined.
                let encode = |text: &str| url::form_urlencoded::byte_serialize(text.as_bytes()).collect::<String>();
                request.basic_auth(encode(&self.client_id), Some(encode(secret.expose())))
            }
            (ClientAuthMethod::ClientSecretPost, Some(secret)) => {
                form.push(("client_id", self.client_id.clone()));
                form.push(("client_secret", secret.expose().to_string()));
                request
            }
            _ => {
                form.push(("client_id", self.client_id.clone()));
                form.extend(self.extra_params(now)?);
                request
            }
        };
        Ok(request.form(&form))
    }

    /// A client assertion (RFC 7523 3): signed by the client's key, for the issuer, valid a minute, never reused.
    fn assertion(&self, key: &SigningKey, now: SystemTime) -> Result<Secret, AuthError> {
        let iat = now.duration_since(SystemTime::UNIX_EPOCH).map_or(0, |d| d.as_secs());
        let mut jti = [0u8; 16];
        rand::RngCore::fill_bytes(&mut rand::rngs::OsRng, &mut jti);
        let mut header = json!({ "alg": key.alg(), "typ": "JWT" });
        if let Some(kid) = &self.key_id {
            header["kid"] = kid.clone().into();
        }
        let claims = json!({
            "iss": self.client_id, "sub": self.client_id, "aud": self.audience,
            "jti": URL_SAFE_NO_PAD.encode(jti), "iat": iat, "exp": iat + ASSERTION_LIFETIME_SECS,
        });
        let input =
            format!("{}.{}", URL_SAFE_NO_PAD.encode(header.to_string()), URL_SAFE_NO_PAD.encode(claims.to_string()));
        let signature = key.sign(input.as_bytes())?;
        Ok(Secret::new(format!("{input}.{}", URL_SAFE_NO_PAD.encode(signature))))
    }
}
