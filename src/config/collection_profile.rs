//! A Postman collection brings its API and its sign-in, as a spec does (`spec_profile`). With an environment, its
//! `{{baseApiUrl}}` is the API and its `oauth2` auth the sign-in: `authUrl` and `accessTokenUrl` are used as they
//! are, and a Keycloak-shaped one (`…/realms/zorgapis/protocol/openid-connect/auth`) names its realm as the issuer
//! (so `baseAuthUrl` picks the issuer). A configured profile with that issuer and client is the profile in use (the
//! ZorgAPIs Sandbox environment signs in as the built-in `sandbox` profile, Production as `production`, which asks
//! before a write); another gets a one-off profile of its own.
//!
//! An empty `clientSecret` means a public client. A non-empty one is used only from a file readable by its owner
//! alone (0600), as for `client_secret` in `config.toml`; otherwise sign-in says what to do (chmod 600, or keep it
//! in the keyring). Postman's callback page as the redirect means the sign-in ends by pasting the address the
//! browser landed on.

use std::path::Path;

use super::client::{ClientAuthMethod, EndpointUrls, GrantKind, SecretSource};
use super::spec_profile::{Origin, Origins, origin_of};
use super::{Config, Overrides, Profile};
use crate::api::postman::{self, Collection, Environment};
use crate::secret::Secret;

/// What was opened: the collection, perhaps an environment, and the files they came from (`None` for a URL).
pub struct Opened<'a> {
    pub collection: &'a Collection,
    pub environment: Option<&'a Environment>,
    pub collection_file: Option<&'a Path>,
    pub environment_file: Option<&'a Path>,
}

impl Opened<'_> {
    /// `text` with the environment's, then the collection's, `{{variables}}` in place.
    pub fn resolve(&self, text: &str) -> String {
        postman::substitute(text, postman::lookup(self.environment, &self.collection.variables))
    }
}

/// The profile for `opened`: `named` (a profile the person chose) keeps its sign-in and takes the collection's API;
/// otherwise the collection's oauth2 auth decides. Flags win over both. Also what to tell the person.
pub fn for_collection(
    config: &Config,
    named: Option<&Profile>,
    opened: &Opened<'_>,
    overrides: &Overrides,
) -> (Profile, Vec<String>) {
    let mut notices = Vec::new();
    let api = opened.resolve(&opened.collection.api_base);
    let api_known = super::super::api::spec_source::is_url(&api) && !api.contains("{{");
    if !api_known && overrides.api.is_none() {
        notices.push(format!(
            "the collection's requests go to {}, which has no value: give --environment, or --api",
            opened.collection.api_base
        ));
    }
    let mut profile = match named {
        Some(named) => named.clone(),
        None => sign_in_profile(config, opened, &mut notices),
    };
    if api_known {
        // The same server as the profile's own API needs no word from the person; another one is the collection's
        // to name, and its tokens go there only once the person allowed that pair (as for a spec).
        if origin_of(&api) != origin_of(&profile.api) {
            profile.origins.api = Origin::Collection;
        }
        profile.api = api;
    }
    let mut profile = profile.with_overrides(overrides);
    if overrides.api.is_some() {
        profile.origins.api = Origin::Flag;
    }
    (profile, notices)
}

fn sign_in_profile(config: &Config, opened: &Opened<'_>, notices: &mut Vec<String>) -> Profile {
    let mut profile = Profile::new("collection", "", "", "");
    profile.scope = String::new();
    profile.origins = Origins { api: Origin::Collection, issuer: Origin::Missing, client_id: Origin::Missing };
    let Some(oauth2) = &opened.collection.oauth2 else {
        notices.push("the collection has no oauth2 auth: sign-in needs --issuer and --client-id".to_string());
        profile.one_off = true;
        return profile;
    };
    let auth_url = opened.resolve(&oauth2.auth_url);
    let token_url = opened.resolve(&oauth2.access_token_url);
    let client_id = opened.resolve(&oauth2.client_id);
    let issuer = issuer_of(&auth_url, &token_url);
    for (what, value) in [("authUrl", &auth_url), ("accessTokenUrl", &token_url), ("clientId", &client_id)] {
        if value.contains("{{") {
            notices.push(format!("the collection's oauth2 {what} {value} has a variable without a value"));
        }
    }
    // A configured profile for this very server and client: its name, its token store, its confirm_writes.
    let configured = config
        .profiles
        .get(&config.default_profile)
        .into_iter()
        .chain(config.profiles.values())
        .find(|p| !issuer.is_empty() && p.issuer.trim_end_matches('/') == issuer && p.client_id == client_id);
    if let Some(configured) = configured {
        profile = configured.clone();
    } else {
        profile.issuer.clone_from(&issuer);
        profile.client_id.clone_from(&client_id);
        // Its own store key (issuer and client): it is no profile the person configured.
        profile.one_off = true;
    }
    profile.origins.issuer = if issuer.is_empty() { Origin::Missing } else { Origin::Collection };
    profile.origins.client_id =
        if client_id.is_empty() || client_id.contains("{{") { Origin::Missing } else { Origin::Collection };
    profile.scope = opened.resolve(&oauth2.scope);
    let some = |text: &str| (!text.is_empty() && !text.contains("{{")).then(|| text.to_string());
    profile.endpoints =
        EndpointUrls { authorization_endpoint: some(&auth_url), token_endpoint: some(&token_url), ..profile.endpoints };
    let redirect = opened.resolve(&oauth2.redirect_uri);
    (profile.redirect_uri, profile.callback_port) = redirect_of(&redirect);
    match oauth2.grant_type.as_str() {
        "client_credentials" => profile.grant = GrantKind::ClientCredentials,
        "authorization_code" | "authorization_code_with_pkce" | "" => profile.grant = GrantKind::AuthorizationCode,
        other => notices.push(format!(
            "the collection's oauth2 grant `{other}` is not one zorgtui uses: it signs in with the authorization code \
             grant (PKCE) instead"
        )),
    }
    match oauth2.client_authentication.as_str() {
        "header" => profile.client.method = Some(ClientAuthMethod::ClientSecretBasic),
        "body" => profile.client.method = Some(ClientAuthMethod::ClientSecretPost),
        _ => {}
    }
    profile.client.secret = secret_of(opened, &oauth2.client_secret).or(profile.client.secret);
    profile
}

/// The issuer: a Keycloak realm's URL when the authorization URL is one of its (`…/protocol/openid-connect/auth`),
/// else the token endpoint's origin (the endpoints are named, so nothing needs discovering there).
fn issuer_of(auth_url: &str, token_url: &str) -> String {
    for url in [auth_url, token_url] {
        if let Some((realm, _)) = url.split_once("/protocol/openid-connect/")
            && origin_of(realm).is_some()
        {
            return realm.trim_end_matches('/').to_string();
        }
    }
    origin_of(token_url).or_else(|| origin_of(auth_url)).unwrap_or_default()
}

/// A loopback redirect is the listener's (its port kept); any other (Postman's callback page) is a registered one
/// that ends the sign-in by pasting; none is the loopback listener on any port.
fn redirect_of(redirect: &str) -> (Option<String>, Option<u16>) {
    let Ok(url) = url::Url::parse(redirect) else { return (None, None) };
    let loopback = matches!(url.host_str(), Some("127.0.0.1" | "localhost" | "[::1]"));
    if loopback && url.scheme() == "http" { (None, url.port()) } else { (Some(redirect.to_string()), None) }
}

/// The client secret: none when empty; from the file it is written in only when that file is private (0600).
fn secret_of(opened: &Opened<'_>, written: &str) -> Option<SecretSource> {
    let value = opened.resolve(written);
    if value.is_empty() || value.contains("{{") {
        return None;
    }
    // Where the value came from: the environment when the setting is its variable and it has the name.
    let variable = written.trim().strip_prefix("{{").and_then(|w| w.strip_suffix("}}")).map(str::trim);
    let from_environment =
        variable.is_some_and(|name| opened.environment.and_then(|e| e.get(name)).is_some_and(|v| !v.is_empty()));
    let file = if from_environment { opened.environment_file } else { opened.collection_file };
    let what = if from_environment { "environment" } else { "collection" };
    let Some(file) = file else {
        return Some(SecretSource::Refused(format!(
            "the client secret in the {what} fetched from a URL is not used: keep it with `zorgtui secret set` and \
             client_secret_keyring = true in a profile"
        )));
    };
    match super::loose_secret_file(file) {
        None => Some(SecretSource::Inline(Secret::new(value))),
        Some(refusal) => Some(SecretSource::Refused(format!(
            "the client secret is not taken from {refusal}; or keep it in the keyring (`zorgtui secret set`, \
             client_secret_keyring = true) and empty clientSecret in the {what}"
        ))),
    }
}

#[cfg(test)]
mod tests;
