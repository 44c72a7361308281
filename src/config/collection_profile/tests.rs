use std::os::unix::fs::PermissionsExt as _;

use super::*;
use crate::api::postman::{parse_collection, parse_environment};

const COLLECTION: &str = r#"{"info": {"name": "Z", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "auth": {"type": "oauth2", "oauth2": [
    {"key": "authUrl", "value": "{{baseAuthUrl}}/realms/zorgapis/protocol/openid-connect/auth"},
    {"key": "accessTokenUrl", "value": "{{baseAuthUrl}}/realms/zorgapis/protocol/openid-connect/token"},
    {"key": "clientId", "value": "{{clientId}}"}, {"key": "clientSecret", "value": "{{clientSecret}}"},
    {"key": "scope", "value": "openid users:read"}, {"key": "redirect_uri", "value": "https://oauth.pstmn.io/v1/callback"}]},
  "variable": [{"key": "baseAuthUrl", "value": "https://auth.zorgapis.nl"}, {"key": "clientId", "value": "zorgapis.postman"},
    {"key": "clientSecret", "value": ""}, {"key": "baseApiUrl", "value": "https://api.zorgapis.nl"}],
  "item": [{"name": "me", "request": {"method": "GET", "url": "{{baseApiUrl}}/v1beta2/users/me"}}]}"#;

fn env(auth: &str, api: &str, secret: &str) -> Environment {
    let text = format!(
        r#"{{"name": "E", "values": [{{"key": "baseAuthUrl", "value": "{auth}", "enabled": true}},
        {{"key": "baseApiUrl", "value": "{api}", "enabled": true}}, {{"key": "clientSecret", "value": "{secret}", "enabled": true}}]}}"#
    );
    parse_environment(text.as_bytes(), "env.json").unwrap()
}

fn config() -> Config {
    Config::parse("", Path::new("config.toml")).unwrap()
}

fn profile_for(environment: Option<&Environment>, environment_file: Option<&Path>) -> (Profile, Vec<String>) {
    let collection = parse_collection(COLLECTION.as_bytes(), "c.json").unwrap();
    let opened = Opened { collection: &collection, environment, collection_file: None, environment_file };
    for_collection(&config(), None, &opened, &Overrides::default())
}

#[test]
fn the_environment_picks_the_issuer_and_a_configured_profile_signs_in() {
    let sandbox = env("https://auth.sandbox.zorgapis.nl", "https://api.sandbox.zorgapis.nl", "");
    let (profile, notices) = profile_for(Some(&sandbox), None);
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(profile.name, "sandbox");
    assert_eq!(profile.issuer, "https://auth.sandbox.zorgapis.nl/realms/zorgapis");
    assert_eq!(profile.api, "https://api.sandbox.zorgapis.nl");
    assert_eq!(profile.origins.api, Origin::Profile, "the same server as the profile's API");
    assert_eq!(profile.redirect_uri.as_deref(), Some("https://oauth.pstmn.io/v1/callback"), "the paste path");
    assert_eq!(profile.scope, "openid users:read");
    assert_eq!(profile.client.secret, None, "an empty clientSecret is a public client");

    // Without an environment the collection's own variables say production.
    let (profile, _) = profile_for(None, None);
    assert_eq!((profile.name.as_str(), profile.workspace.confirm_writes), ("production", true));

    let local = env("http://127.0.0.1:9", "http://127.0.0.1:8", "");
    let (profile, _) = profile_for(Some(&local), None);
    assert_eq!(profile.issuer, "http://127.0.0.1:9/realms/zorgapis");
    assert!(profile.one_off && profile.label() == "collection", "{}", profile.label());
    assert_eq!(profile.origins.api, Origin::Collection);
    assert_eq!(
        profile.endpoints.token_endpoint.as_deref(),
        Some("http://127.0.0.1:9/realms/zorgapis/protocol/openid-connect/token")
    );
}

#[test]
fn a_client_secret_is_used_only_from_a_private_file() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("env.json");
    std::fs::write(&file, "{}").unwrap();
    let with_secret = env("http://127.0.0.1:9", "http://127.0.0.1:8", "s3cret-canary");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o644)).unwrap();
    let (profile, _) = profile_for(Some(&with_secret), Some(&file));
    let Some(SecretSource::Refused(why)) = &profile.client.secret else { panic!("{:?}", profile.client.secret) };
    assert!(why.contains("chmod 600") && why.contains("keyring") && !why.contains("s3cret"), "{why}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o600)).unwrap();
    let (profile, _) = profile_for(Some(&with_secret), Some(&file));
    assert!(matches!(&profile.client.secret, Some(SecretSource::Inline(s)) if s.expose() == "s3cret-canary"));
    let (profile, _) = profile_for(Some(&with_secret), None);
    assert!(matches!(&profile.client.secret, Some(SecretSource::Refused(_))), "from a URL: refused");
}

#[test]
fn no_base_says_what_to_give() {
    let collection = parse_collection(
        br#"{"info": {"schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"}, "item": [{"name": "x", "request": "{{nowhere}}/x"}]}"#,
        "c.json",
    )
    .unwrap();
    let opened = Opened { collection: &collection, environment: None, collection_file: None, environment_file: None };
    let (_, notices) = for_collection(&config(), None, &opened, &Overrides::default());
    assert!(notices.iter().any(|n| n.contains("{{nowhere}}") && n.contains("--environment")), "{notices:?}");
    assert!(notices.iter().any(|n| n.contains("no oauth2")), "{notices:?}");
}
