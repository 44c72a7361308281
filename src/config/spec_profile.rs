//! A spec brings its API and its sign-in. With `--spec` and no profile named: when the spec's servers include a
//! configured profile's API (the ZorgAPIs document lists the sandbox and production), that profile is used, the
//! default one first. Otherwise requests go to the spec's own first server, never silently to the ZorgAPIs sandbox,
//! and signing in follows the spec's security scheme: `openIdConnectUrl` gives the issuer for discovery; an OAuth2
//! flow's `authorizationUrl`/`tokenUrl` are used as they are; a `clientCredentials`-only scheme makes a machine
//! client. A client id comes from the flag, else from what the person gave for that API before (kept in the data
//! dir), else the explorer asks once.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::client::{EndpointUrls, GrantKind};
use super::{Config, Overrides, Profile};
use crate::api::{Catalogue, FlowKind, OAuthFlow, SchemeKind, SecurityScheme};

/// Where a profile's value came from, for the Sign-in pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Origin {
    /// The profile (built in, or `config.toml`).
    #[default]
    Profile,
    /// The OpenAPI document.
    Spec,
    /// The Postman collection (and its environment).
    Collection,
    /// A command-line flag.
    Flag,
    /// Typed by the person in the explorer (and remembered for the API).
    Asked,
    /// Nobody gave it yet: the explorer asks for it.
    Missing,
}

impl Origin {
    pub fn label(self) -> &'static str {
        match self {
            Origin::Profile => "profile",
            Origin::Spec => "spec",
            Origin::Collection => "collection",
            Origin::Flag => "flag",
            Origin::Asked => "given here",
            Origin::Missing => "not given",
        }
    }
}

/// Where the values that decide where requests and tokens go came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Origins {
    pub api: Origin,
    pub issuer: Origin,
    pub client_id: Origin,
}

/// What the person said about an API whose spec brought it, kept between runs (`{data_dir}/apis.json`, 0600).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Remembered {
    /// By the API's origin (`https://api.example.com`).
    #[serde(default)]
    pub apis: BTreeMap<String, RememberedApi>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RememberedApi {
    /// The client id the person gave for signing in to this API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The issuer whose tokens the person allowed to go to this API.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trusted_issuer: Option<String>,
    /// The apiKey and http schemes whose value the person gave for this API (the values are kept apart, like a
    /// client secret: see `workspace::credentials`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credentials: Vec<String>,
}

impl Remembered {
    /// What is remembered for the API at `api` (any URL of it: its origin is the key).
    pub fn api(&self, api: &str) -> Option<&RememberedApi> {
        self.apis.get(&origin_of(api)?)
    }

    pub fn api_mut(&mut self, api: &str) -> Option<&mut RememberedApi> {
        Some(self.apis.entry(origin_of(api)?).or_default())
    }
}

/// Where [`Remembered`] is kept under the data directory.
pub const REMEMBERED_FILE: &str = "apis.json";

impl Remembered {
    /// What was kept at `path`; nothing when there is no file. A file that cannot be trusted or read is an error the
    /// person can act on (it only holds client ids and the pairs confirmed, so a broken one can be deleted).
    pub fn load(path: &std::path::Path) -> Result<Remembered, String> {
        let text =
            crate::private_files::read_to_string(path, 1 << 20).map_err(|e| format!("{}: {e}", path.display()))?;
        match text {
            None => Ok(Remembered::default()),
            Some(text) => serde_json::from_str(&text).map_err(|e| {
                format!("{} is not what zorgtui wrote ({e}): delete it, and the explorer asks again", path.display())
            }),
        }
    }

    /// Keeps this at `path` (0600, replaced atomically).
    pub fn save(&self, path: &std::path::Path) -> Result<(), String> {
        let bytes = serde_json::to_vec_pretty(self).map_err(|e| e.to_string())?;
        crate::private_files::write_atomic(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
    }
}

/// `https://api.example.com:8443` of any URL; `None` for one that is not absolute.
pub fn origin_of(url: &str) -> Option<String> {
    let url = url::Url::parse(url).ok()?;
    url.host_str()?;
    Some(url.origin().ascii_serialization())
}

/// The profile for `catalogue` when no profile was named, and what to tell the person about the choice.
pub fn for_spec(
    config: &Config,
    catalogue: &Catalogue,
    overrides: &Overrides,
    remembered: &Remembered,
) -> (Profile, Vec<String>) {
    let default = config.profiles.get(&config.default_profile).cloned();
    let servers: Vec<&str> =
        catalogue.servers.iter().map(|s| s.url.trim_end_matches('/')).filter(|u| origin_of(u).is_some()).collect();
    // A configured profile whose API the spec lists: the default one first, then the others by name.
    let candidates = default.iter().chain(config.profiles.values().filter(|p| p.name != config.default_profile));
    if let Some(profile) = candidates.clone().find(|p| servers.contains(&p.api.trim_end_matches('/'))) {
        return (profile.clone().with_overrides(overrides), Vec::new());
    }
    let Some(api) = servers.first() else {
        let fallback = default.unwrap_or_else(|| Profile::new("spec", "", "", "")).with_overrides(overrides);
        let notice = format!(
            "the spec names no server with an absolute URL: requests go to profile {}'s API {} — --api chooses another",
            fallback.label(),
            fallback.api
        );
        return (fallback, vec![notice]);
    };
    own_profile(catalogue, api, overrides, remembered)
}

/// A profile made from the spec: its first server, its sign-in.
fn own_profile(
    catalogue: &Catalogue,
    api: &str,
    overrides: &Overrides,
    remembered: &Remembered,
) -> (Profile, Vec<String>) {
    let mut notices = Vec::new();
    let mut profile = Profile::new("spec", "", api, "");
    profile.scope = String::new();
    profile.origins = Origins { api: Origin::Spec, issuer: Origin::Spec, client_id: Origin::Missing };
    match sign_in_scheme(catalogue) {
        Some(scheme) => apply_scheme(&mut profile, scheme, &mut notices),
        None => {
            // Nothing to sign in to: the issuer stays empty and the explorer says so when asked to sign in.
            profile.origins.issuer = Origin::Missing;
        }
    }
    if let Some(client_id) = remembered.api(api).and_then(|a| a.client_id.clone()) {
        profile.client_id = client_id;
        profile.origins.client_id = Origin::Asked;
    }
    let mut profile = profile.with_overrides(overrides);
    for (given, origin) in [
        (overrides.api.is_some(), &mut profile.origins.api),
        (overrides.issuer.is_some(), &mut profile.origins.issuer),
        (overrides.client_id.is_some(), &mut profile.origins.client_id),
    ] {
        if given {
            *origin = Origin::Flag;
        }
    }
    // Its own store key (issuer and client), and a loopback redirect: nothing else is known to be registered.
    profile.one_off = true;
    profile.redirect_uri = None;
    (profile, notices)
}

/// The scheme to sign in with: the OAuth2 or OpenID Connect scheme most operations name (the first declared on a
/// tie).
fn sign_in_scheme(catalogue: &Catalogue) -> Option<&SecurityScheme> {
    let usable = |s: &&SecurityScheme| matches!(s.kind, SchemeKind::OAuth2 { .. } | SchemeKind::OpenIdConnect { .. });
    let uses = |name: &str| {
        catalogue.security.values().filter(|alts| alts.iter().any(|a| a.schemes.iter().any(|(n, _)| n == name))).count()
    };
    let mut best: Option<(&SecurityScheme, usize)> = None;
    for scheme in catalogue.security_schemes.iter().filter(usable) {
        let count = uses(&scheme.name);
        if best.is_none_or(|(_, most)| count > most) {
            best = Some((scheme, count));
        }
    }
    best.map(|(scheme, _)| scheme)
}

fn apply_scheme(profile: &mut Profile, scheme: &SecurityScheme, notices: &mut Vec<String>) {
    match &scheme.kind {
        SchemeKind::OpenIdConnect { url } => {
            let issuer = url.trim_end_matches('/').strip_suffix("/.well-known/openid-configuration").unwrap_or(url);
            if issuer == url {
                notices.push(format!(
                    "the spec's openIdConnectUrl {url} is not at …/.well-known/openid-configuration: it is taken as \
                     the issuer — --issuer names another"
                ));
            }
            profile.issuer = issuer.to_string();
            profile.scope = "openid".to_string();
        }
        SchemeKind::OAuth2 { flows } => {
            let interactive = flows.iter().find(|f| f.kind == FlowKind::AuthorizationCode);
            let machine = flows.iter().find(|f| f.kind == FlowKind::ClientCredentials);
            let Some(flow) = interactive.or(machine) else {
                let kinds: Vec<String> = flows.iter().map(|f| format!("{:?}", f.kind)).collect();
                notices.push(format!(
                    "the spec's OAuth2 scheme `{}` offers only {} flows, which zorgtui does not use (no implicit or \
                     password grant): sign-in needs --issuer",
                    scheme.name,
                    kinds.join(", ")
                ));
                profile.origins.issuer = Origin::Missing;
                return;
            };
            if interactive.is_none() {
                profile.grant = GrantKind::ClientCredentials;
            }
            apply_flow(profile, flow);
        }
        _ => profile.origins.issuer = Origin::Missing,
    }
}

/// The flow's endpoints, used as they are (no discovery: the profile names them); the issuer, which names the
/// server and keys its stored session, is the token endpoint's origin.
fn apply_flow(profile: &mut Profile, flow: &OAuthFlow) {
    let token = flow.token_url.clone();
    profile.issuer = token.as_deref().or(flow.authorization_url.as_deref()).and_then(origin_of).unwrap_or_default();
    profile.endpoints = EndpointUrls {
        authorization_endpoint: flow.authorization_url.clone(),
        token_endpoint: token,
        device_authorization_endpoint: flow.device_authorization_url.clone(),
        ..EndpointUrls::default()
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Method, Operation, SecurityRequirement, Server};

    fn catalogue(servers: &[&str], schemes: Vec<SecurityScheme>) -> Catalogue {
        let mut catalogue = Catalogue {
            servers: servers.iter().map(|s| Server::plain(s, "")).collect(),
            security_schemes: schemes,
            operations: vec![Operation::bare(Method::Get, "/things")],
            ..Catalogue::default()
        };
        if let Some(first) = catalogue.security_schemes.first() {
            let requirement = SecurityRequirement { schemes: vec![(first.name.clone(), vec![])] };
            catalogue.security.insert(catalogue.operations[0].key(), vec![requirement]);
        }
        catalogue
    }

    fn config() -> Config {
        Config::parse("", std::path::Path::new("config.toml")).unwrap()
    }

    fn oauth(flows: Vec<OAuthFlow>) -> SecurityScheme {
        SecurityScheme { name: "oauth".into(), description: String::new(), kind: SchemeKind::OAuth2 { flows } }
    }

    fn flow(kind: FlowKind) -> OAuthFlow {
        OAuthFlow {
            kind,
            authorization_url: Some("https://idp.example/authorize".into()),
            token_url: Some("https://idp.example/oauth/token".into()),
            refresh_url: None,
            device_authorization_url: None,
            scopes: vec![],
        }
    }

    #[test]
    fn a_spec_that_lists_a_profiles_api_uses_that_profile_the_default_first() {
        let zorgapis =
            catalogue(&["https://api.zorgapis.nl/v1beta2", "https://api.sandbox.zorgapis.nl/v1beta2/"], vec![]);
        let (profile, notices) = for_spec(&config(), &zorgapis, &Overrides::default(), &Remembered::default());
        assert_eq!((profile.name.as_str(), notices.len()), ("sandbox", 0));
        let production_only = catalogue(&["https://api.zorgapis.nl/v1beta2"], vec![]);
        let (profile, _) = for_spec(&config(), &production_only, &Overrides::default(), &Remembered::default());
        assert_eq!(profile.name, "production");
    }

    #[test]
    fn another_api_goes_to_the_specs_server_and_signs_in_as_its_scheme_says() {
        let spec = catalogue(&["https://api.example/v1"], vec![oauth(vec![flow(FlowKind::AuthorizationCode)])]);
        let (profile, _) = for_spec(&config(), &spec, &Overrides::default(), &Remembered::default());
        assert_eq!(profile.api, "https://api.example/v1");
        assert!(!profile.api.contains("zorgapis"), "never silently to the sandbox");
        assert_eq!(profile.issuer, "https://idp.example");
        assert_eq!(profile.endpoints.token_endpoint.as_deref(), Some("https://idp.example/oauth/token"));
        assert_eq!(profile.endpoints.authorization_endpoint.as_deref(), Some("https://idp.example/authorize"));
        assert_eq!(profile.grant, GrantKind::AuthorizationCode);
        assert_eq!(profile.origins, Origins { api: Origin::Spec, issuer: Origin::Spec, client_id: Origin::Missing });
        assert!(profile.one_off && profile.redirect_uri.is_none());

        let machine = catalogue(&["https://api.example/v1"], vec![oauth(vec![flow(FlowKind::ClientCredentials)])]);
        let (profile, _) = for_spec(&config(), &machine, &Overrides::default(), &Remembered::default());
        assert_eq!(profile.grant, GrantKind::ClientCredentials);
    }

    #[test]
    fn openid_connect_discovers_and_flags_and_remembered_values_win() {
        let oidc = SecurityScheme {
            name: "oidc".into(),
            description: String::new(),
            kind: SchemeKind::OpenIdConnect {
                url: "https://login.example/realms/r/.well-known/openid-configuration".into(),
            },
        };
        let spec = catalogue(&["https://api.example/v1"], vec![oidc]);
        let mut remembered = Remembered::default();
        remembered.api_mut("https://api.example/anything").unwrap().client_id = Some("cli".into());
        let (profile, _) = for_spec(&config(), &spec, &Overrides::default(), &remembered);
        assert_eq!((profile.issuer.as_str(), profile.client_id.as_str()), ("https://login.example/realms/r", "cli"));
        assert_eq!(profile.origins.client_id, Origin::Asked);
        assert!(profile.scope.contains("openid"));
        let flags = Overrides { client_id: Some("mine".into()), ..Overrides::default() };
        let (profile, _) = for_spec(&config(), &spec, &flags, &remembered);
        assert_eq!((profile.client_id.as_str(), profile.origins.client_id), ("mine", Origin::Flag));
    }

    #[test]
    fn a_spec_without_servers_says_where_requests_go() {
        let (profile, notices) =
            for_spec(&config(), &catalogue(&["/relative"], vec![]), &Overrides::default(), &Remembered::default());
        assert_eq!(profile.name, "sandbox");
        assert!(notices[0].contains("names no server") && notices[0].contains("--api"), "{notices:?}");
    }
}
