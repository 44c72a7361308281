//! One profile: an authorization server, a client, the scopes to ask for and the API to call.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::time::Duration;

use serde::Deserialize;

use super::ConfigError;
use super::client::{ClientAuthMethod, ClientCredentials, EndpointUrls, GrantKind, SecretSource};
use crate::secret::Secret;

/// Every scope the ZorgAPIs docs' Postman set-up asks for.
const ZORGAPIS_SCOPE: &str = "openid offline_access users:read users:write organizations:read organizations:write \
     api-requirements-versions:read api-requirements-versions:write api-specifications:read api-specifications:write \
     communication-standards:read communication-standards:write information-standards:read \
     information-standards:write trust-frameworks:read trust-frameworks:write";

/// How much of each kind of body zorgtui takes from a server. The defaults keep its memory under 512 MiB whatever a
/// server sends: small answers from authorization servers, tens of MB for documents, API bodies in memory up to
/// `body_memory`, then in a temporary file up to `body_disk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Metadata, JWKS, token, userinfo, introspection and revocation answers (`auth_response_cap_kb`).
    pub auth_response: u64,
    /// Specs and collections fetched from a URL (`spec_cap_mb`).
    pub document: u64,
    /// API bodies kept in memory; larger ones go to a temporary file (`body_memory_cap_mb`).
    pub body_memory: u64,
    /// API bodies in all: in the temporary file, or passed on by `zorgtui call` (`body_disk_cap_mb`).
    pub body_disk: u64,
}

impl Limits {
    pub const DEFAULT: Limits =
        Limits { auth_response: 1 << 20, document: 32 << 20, body_memory: 64 << 20, body_disk: 1 << 30 };
}

impl Default for Limits {
    fn default() -> Limits {
        Limits::DEFAULT
    }
}

/// Where tokens are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Default)]
#[serde(rename_all = "lowercase")]
pub enum TokenStoreKind {
    /// One file per profile in the data dir, mode 0600.
    #[default]
    File,
    /// The OS keyring (Secret Service, macOS Keychain).
    Keyring,
}

/// A complete profile.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Profile {
    pub name: String,
    pub issuer: String,
    pub api: String,
    pub client_id: String,
    pub scope: String,
    /// A registered redirect URI that is not a loopback one (e.g. Postman's): sign-in then ends by pasting.
    pub redirect_uri: Option<String>,
    /// A fixed loopback port for the callback listener (default: an ephemeral one).
    pub callback_port: Option<u16>,
    /// An extra CA certificate (PEM) to trust, for corporate proxies and test servers.
    pub ca_file: Option<PathBuf>,
    /// An OpenAPI document (path or URL) to use instead of the built-in catalogue.
    pub spec: Option<String>,
    /// A Postman collection (path or URL) to use as the catalogue (`collection`, `--collection`).
    pub collection: Option<String>,
    /// A Postman environment file whose values the collection's `{{variables}}` take (`environment`).
    pub environment: Option<String>,
    /// How long to wait for an API response before giving up.
    pub timeout: Duration,
    /// How long before the access token expires it is refreshed.
    pub refresh_margin: Duration,
    pub token_store: TokenStoreKind,
    /// How much of each kind of body is taken (`body_memory_cap_mb`, `body_disk_cap_mb`, `spec_cap_mb`,
    /// `auth_response_cap_kb` in the file).
    pub limits: Limits,
    /// True when `--issuer`/`--client-id` made this a one-off profile, stored under its own key.
    pub one_off: bool,
    /// How tokens are obtained: a person signing in, or the client itself (`grant`).
    pub grant: GrantKind,
    /// How the client authenticates (`client_secret_*`, `client_key_file`, `token_endpoint_auth_method`).
    pub client: ClientCredentials,
    /// Endpoints named in the profile, over (or instead of) the server's metadata.
    pub endpoints: EndpointUrls,
    /// Where the browser lands after the sign-out at the server (a registered URI); `None`: the loopback listener.
    pub post_logout_redirect_uri: Option<String>,
    /// The history it keeps and whether it asks before a write (`history*`, `confirm_writes`).
    pub workspace: super::WorkspaceSettings,
    /// Where the API, the issuer and the client id came from (the profile, a spec, a flag, the person).
    pub origins: super::spec_profile::Origins,
}

/// Command-line flags that replace a profile's values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Overrides {
    pub issuer: Option<String>,
    pub client_id: Option<String>,
    pub scope: Option<String>,
    pub api: Option<String>,
    pub spec: Option<String>,
    pub collection: Option<String>,
    pub environment: Option<String>,
    pub grant: Option<GrantKind>,
}

/// A profile as written in the file: anything may be left out.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct ProfileFile {
    issuer: Option<String>,
    api: Option<String>,
    client_id: Option<String>,
    scope: Option<String>,
    redirect_uri: Option<String>,
    callback_port: Option<u16>,
    ca_file: Option<PathBuf>,
    spec: Option<String>,
    collection: Option<String>,
    environment: Option<String>,
    timeout_secs: Option<u64>,
    refresh_margin_secs: Option<u64>,
    token_store: Option<TokenStoreKind>,
    body_memory_cap_mb: Option<u64>,
    body_disk_cap_mb: Option<u64>,
    spec_cap_mb: Option<u64>,
    auth_response_cap_kb: Option<u64>,
    grant: Option<GrantKind>,
    client_secret_env: Option<String>,
    client_secret_command: Option<String>,
    client_secret: Option<String>,
    client_secret_keyring: Option<bool>,
    client_key_file: Option<PathBuf>,
    client_key_id: Option<String>,
    token_endpoint_auth_method: Option<ClientAuthMethod>,
    post_logout_redirect_uri: Option<String>,
    history: Option<bool>,
    history_max_entries: Option<usize>,
    history_max_mb: Option<u64>,
    history_body_max_kb: Option<u64>,
    confirm_writes: Option<bool>,
    // The endpoints one by one: serde cannot flatten into a struct that denies unknown fields.
    authorization_endpoint: Option<String>,
    token_endpoint: Option<String>,
    revocation_endpoint: Option<String>,
    device_authorization_endpoint: Option<String>,
    introspection_endpoint: Option<String>,
    userinfo_endpoint: Option<String>,
    jwks_uri: Option<String>,
    end_session_endpoint: Option<String>,
}

impl Profile {
    fn zorgapis(name: &str, auth_host: &str, api_host: &str) -> Profile {
        Profile {
            name: name.to_string(),
            issuer: format!("https://{auth_host}/realms/zorgapis"),
            api: format!("https://{api_host}/v1beta2"),
            client_id: "zorgapis.postman".to_string(),
            scope: ZORGAPIS_SCOPE.to_string(),
            // The docs' client only knows Postman's callback page: sign-in ends by pasting the landed-on URL.
            redirect_uri: Some("https://oauth.pstmn.io/v1/callback".to_string()),
            callback_port: None,
            ca_file: None,
            spec: None,
            collection: None,
            environment: None,
            timeout: Duration::from_secs(30),
            refresh_margin: Duration::from_secs(30),
            token_store: TokenStoreKind::File,
            limits: Limits::DEFAULT,
            one_off: false,
            grant: GrantKind::AuthorizationCode,
            client: ClientCredentials::default(),
            endpoints: EndpointUrls::default(),
            post_logout_redirect_uri: None,
            workspace: super::WorkspaceSettings::DEFAULT,
            origins: super::spec_profile::Origins::default(),
        }
    }

    /// A profile for any authorization server and API, with the usual defaults and a loopback redirect.
    pub fn new(name: &str, issuer: &str, api: &str, client_id: &str) -> Profile {
        Profile {
            issuer: issuer.to_string(),
            api: api.to_string(),
            client_id: client_id.to_string(),
            scope: "openid offline_access".to_string(),
            redirect_uri: None,
            ..Profile::zorgapis(name, "", "")
        }
    }

    /// The profiles that exist without any configuration.
    pub fn built_in() -> BTreeMap<String, Profile> {
        [
            Profile::zorgapis("sandbox", "auth.sandbox.zorgapis.nl", "api.sandbox.zorgapis.nl"),
            Profile {
                // Production data: the first write of a session is asked about.
                workspace: super::WorkspaceSettings { confirm_writes: true, ..super::WorkspaceSettings::DEFAULT },
                ..Profile::zorgapis("production", "auth.zorgapis.nl", "api.zorgapis.nl")
            },
        ]
        .into_iter()
        .map(|p| (p.name.clone(), p))
        .collect()
    }

    /// Applies command-line flags. A different issuer or client makes a one-off profile: its tokens are kept under a
    /// key of their own and it signs in through a loopback redirect, since nothing else is known to be registered.
    #[must_use]
    pub fn with_overrides(mut self, overrides: &Overrides) -> Profile {
        let changes_identity = overrides.issuer.as_ref().is_some_and(|i| *i != self.issuer)
            || overrides.client_id.as_ref().is_some_and(|c| *c != self.client_id);
        if changes_identity {
            self.one_off = true;
            self.redirect_uri = None;
            self.callback_port = None;
        }
        let set = |field: &mut String, value: &Option<String>| {
            if let Some(value) = value {
                field.clone_from(value);
            }
        };
        for (given, origin) in [
            (overrides.issuer.is_some(), &mut self.origins.issuer),
            (overrides.client_id.is_some(), &mut self.origins.client_id),
            (overrides.api.is_some(), &mut self.origins.api),
        ] {
            if given {
                *origin = super::spec_profile::Origin::Flag;
            }
        }
        set(&mut self.issuer, &overrides.issuer);
        set(&mut self.client_id, &overrides.client_id);
        set(&mut self.scope, &overrides.scope);
        set(&mut self.api, &overrides.api);
        if overrides.spec.is_some() {
            self.spec.clone_from(&overrides.spec);
        }
        if overrides.collection.is_some() {
            self.collection.clone_from(&overrides.collection);
        }
        if overrides.environment.is_some() {
            self.environment.clone_from(&overrides.environment);
        }
        if let Some(grant) = overrides.grant {
            self.grant = grant;
        }
        self
    }

    /// The profile's name as people should read it: a one-off profile is not the named profile it started from.
    pub fn label(&self) -> String {
        // A spec's own profile keeps its name ("spec"); flags that change the identity make a one-off.
        if self.one_off
            && !matches!(self.origins.api, super::spec_profile::Origin::Spec | super::spec_profile::Origin::Collection)
        {
            "one-off".to_string()
        } else {
            self.name.clone()
        }
    }

    /// The name tokens are stored under: the profile's name, or for a one-off profile one made of issuer and client.
    pub fn store_key(&self) -> String {
        if !self.one_off {
            return self.name.clone();
        }
        let readable: String = format!("{}-{}", self.issuer, self.client_id)
            .chars()
            .map(|c| if c.is_ascii_alphanumeric() || c == '-' || c == '.' { c } else { '_' })
            .collect();
        format!("oneoff-{readable}")
    }
}

impl ProfileFile {
    /// Fills what the file left out from the built-in profile of the same name; a new profile must name its servers.
    /// `loose_file` says why the file itself may not hold a secret (others can read it), if so.
    pub(super) fn complete(
        self,
        name: &str,
        base: Option<Profile>,
        loose_file: Option<&str>,
    ) -> Result<Profile, ConfigError> {
        let missing = |field: &str| ConfigError::Invalid {
            profile: name.to_string(),
            problem: format!("missing `{field}` (a new profile needs issuer, api and client_id)"),
        };
        let mut profile = if let Some(base) = base {
            base
        } else {
            let issuer = self.issuer.clone().ok_or_else(|| missing("issuer"))?;
            let api = self.api.clone().ok_or_else(|| missing("api"))?;
            let client_id = self.client_id.clone().ok_or_else(|| missing("client_id"))?;
            Profile::new(name, &issuer, &api, &client_id)
        };
        profile.name = name.to_string();
        macro_rules! take {
            ($($field:ident),*) => { $( if let Some(v) = self.$field { profile.$field = v; } )* };
        }
        take!(issuer, api, client_id, scope);
        if self.redirect_uri.is_some() {
            profile.redirect_uri = self.redirect_uri.filter(|uri| !uri.is_empty());
        }
        profile.callback_port = self.callback_port.or(profile.callback_port);
        profile.ca_file = self.ca_file.or(profile.ca_file);
        profile.spec = self.spec.or(profile.spec);
        profile.collection = self.collection.or(profile.collection);
        profile.environment = self.environment.or(profile.environment);
        if let Some(secs) = self.timeout_secs {
            profile.timeout = Duration::from_secs(secs.max(1));
        }
        if let Some(secs) = self.refresh_margin_secs {
            profile.refresh_margin = Duration::from_secs(secs);
        }
        profile.token_store = self.token_store.unwrap_or(profile.token_store);
        profile.grant = self.grant.unwrap_or(profile.grant);
        let invalid = |problem: String| ConfigError::Invalid { profile: name.to_string(), problem };
        let sources: Vec<SecretSource> = [
            self.client_secret_env.map(SecretSource::Env),
            self.client_secret_command.map(SecretSource::Command),
            self.client_secret.map(|secret| match loose_file {
                Some(refusal) => SecretSource::Refused(format!("client_secret is not taken from {refusal}")),
                None => SecretSource::Inline(Secret::new(secret)),
            }),
            self.client_secret_keyring.filter(|on| *on).map(|_| SecretSource::Keyring),
        ]
        .into_iter()
        .flatten()
        .collect();
        if sources.len() > 1 {
            return Err(invalid(
                "give the client secret one way: client_secret_env, client_secret_command, client_secret or \
                 client_secret_keyring"
                    .into(),
            ));
        }
        if let Some(source) = sources.into_iter().next() {
            profile.client.secret = Some(source);
        }
        profile.client.key_file = self.client_key_file.or(profile.client.key_file);
        profile.client.key_id = self.client_key_id.or(profile.client.key_id);
        profile.client.method = self.token_endpoint_auth_method.or(profile.client.method);
        if profile.client.key_file.is_some() && profile.client.secret.is_some() {
            return Err(invalid("give either a client secret or client_key_file, not both".into()));
        }
        profile.post_logout_redirect_uri = self.post_logout_redirect_uri.or(profile.post_logout_redirect_uri);
        profile.workspace = profile.workspace.with(
            self.history,
            self.history_max_entries,
            self.history_max_mb,
            self.history_body_max_kb,
            self.confirm_writes,
        );
        profile.endpoints.overlay(EndpointUrls {
            authorization_endpoint: self.authorization_endpoint,
            token_endpoint: self.token_endpoint,
            revocation_endpoint: self.revocation_endpoint,
            device_authorization_endpoint: self.device_authorization_endpoint,
            introspection_endpoint: self.introspection_endpoint,
            userinfo_endpoint: self.userinfo_endpoint,
            jwks_uri: self.jwks_uri,
            end_session_endpoint: self.end_session_endpoint,
        });
        let limits = &mut profile.limits;
        for (setting, field, unit) in [
            (self.body_memory_cap_mb, &mut limits.body_memory, 1 << 20),
            (self.body_disk_cap_mb, &mut limits.body_disk, 1 << 20),
            (self.spec_cap_mb, &mut limits.document, 1 << 20),
            (self.auth_response_cap_kb, &mut limits.auth_response, 1 << 10),
        ] {
            if let Some(count) = setting {
                *field = count.max(1).saturating_mul(unit);
            }
        }
        Ok(profile)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn issuer_override_makes_a_one_off_profile_with_its_own_store_key() {
        let sandbox = Profile::built_in().remove("sandbox").unwrap();
        assert_eq!(sandbox.store_key(), "sandbox");
        let overrides = Overrides {
            issuer: Some("http://127.0.0.1:8080/realms/test".into()),
            client_id: Some("native".into()),
            ..Overrides::default()
        };
        let one_off = sandbox.with_overrides(&overrides);
        assert!(one_off.one_off);
        assert_eq!(one_off.redirect_uri, None, "one-off profiles sign in through loopback");
        assert_eq!(one_off.store_key(), "oneoff-http___127.0.0.1_8080_realms_test-native");
        assert_eq!(one_off.label(), "one-off");
    }

    #[test]
    fn scope_override_keeps_the_profile() {
        let sandbox = Profile::built_in().remove("sandbox").unwrap();
        let changed = sandbox.with_overrides(&Overrides { scope: Some("openid".into()), ..Overrides::default() });
        assert!(!changed.one_off);
        assert_eq!(changed.scope, "openid");
    }
}
