//! Every client a partner holds, against the real server: confidential clients (client_secret_basic,
//! client_secret_post, private_key_jwt), a machine client (client credentials, JWT access tokens), ID tokens signed
//! RS256, PS256 and ES256, and the claims document with the server's introspection and userinfo answers.

use std::time::Duration;

use zorgtui::auth::claims::ClaimsQuery;
use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::config::{ClientAuthMethod, ClientCredentials, GrantKind, SecretSource};
use zorgtui::secret::Secret;

use super::server;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
use crate::support::engine::{Engine, config, stored, within};
use crate::support::oidc::{CLIENT_SECRET, OidcOptions, OidcServer};

fn confidential(server: &OidcServer, dir: &std::path::Path, client_id: &str) -> zorgtui::auth::AuthConfig {
    let mut config = config(server, dir);
    config.client_id = client_id.into();
    // Through the command door: what `pass show` would print.
    config.client = ClientCredentials {
        secret: Some(SecretSource::Command(format!("printf '%s\\n' {CLIENT_SECRET}"))),
        ..ClientCredentials::default()
    };
    config
}

/// A refresh with the client's secret over HTTP Basic, outside the engine: the server's word on a refresh token.
async fn raw_refresh_as(server: &OidcServer, client_id: &str, refresh_token: &Secret) -> u16 {
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())];
    let request = reqwest::Client::new().post(server.endpoint("token")).basic_auth(client_id, Some(CLIENT_SECRET));
    within(request.form(&form).send()).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn confidential_clients_authenticate_on_every_call_the_way_the_server_takes() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    for (client_id, forced) in [("zorgtui.basic", None), ("zorgtui.post", Some(ClientAuthMethod::ClientSecretPost))] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = confidential(&server, dir.path(), client_id);
        config.client.method = forced;
        let mut engine = Engine::start(config.clone());
        let (info, _browser) = engine.sign_in_with("fleur").await;
        assert_eq!(info.subject, "Test user fleur", "{client_id}");
        // Refresh: the token endpoint again, with the secret.
        let before = engine.token().unwrap();
        let after = within(engine.handle.refresh_now()).await.unwrap();
        assert_ne!(before, after, "{client_id}");
        // Introspection, with the secret: the server vouches for the opaque access token.
        let claims = within(engine.handle.claims(ClaimsQuery { ask_server: true, include_raw: false })).await.unwrap();
        assert_eq!(claims["access_token"]["format"], "opaque", "{claims:#}");
        assert_eq!(claims["introspection"]["active"], true, "{client_id}: {claims:#}");
        assert_eq!(claims["userinfo"]["sub"], "fleur");
        assert_eq!(claims["id_token"]["payload"]["aud"], client_id);
        assert!(!claims.to_string().contains(CLIENT_SECRET) && claims.get("raw").is_none());
        // Revocation, with the secret: the refresh token is dead after the sign-out.
        let refresh = stored(&config).await.unwrap().refresh_token.unwrap();
        engine.handle.send(AuthCommand::Logout);
        engine.signing_out().await;
        engine.handle.send(AuthCommand::CancelLogin);
        engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
        assert_eq!(raw_refresh_as(&server, client_id, &refresh).await, 400, "{client_id}: revoked");
    }
}

#[tokio::test]
async fn a_wrong_secret_is_refused_without_showing_it() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = confidential(&server, dir.path(), "zorgtui.basic");
    config.client.secret = Some(SecretSource::Inline(Secret::new("canary-wrong-secret")));
    let mut engine = Engine::start(config);
    let (_, browser, landing) = engine.browser_landing("gijs", &[]).await;
    within(browser.fetch(&landing)).await.unwrap();
    let reason = engine.failed().await;
    assert!(reason.contains("invalid_client"), "{reason}");
    assert!(!reason.contains("canary"), "{reason}");
}

#[tokio::test]
async fn private_key_jwt_signs_each_request_with_the_clients_key() {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("client.pem");
    let options =
        OidcOptions::default().with_access_token_ttl(Duration::from_secs(60)).with_client_key_file(key_file.clone());
    let server = server(options).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.client_id = "zorgtui.jwt".into();
    config.client = ClientCredentials { key_file: Some(key_file.clone()), ..ClientCredentials::default() };
    let mut engine = Engine::start(config.clone());
    engine.sign_in("hanna").await;
    // Two refreshes: a new assertion (jti) each time, or the server would refuse the second as a replay.
    for _ in 0..2 {
        within(engine.handle.refresh_now()).await.unwrap();
    }

    // A key file others can read is refused, with the chmod to run.
    std::fs::set_permissions(&key_file, std::os::unix::fs::PermissionsExt::from_mode(0o644)).unwrap();
    let other = tempfile::tempdir().unwrap();
    let mut config = crate::support::engine::config_at(server.issuer().as_str(), "zorgtui.jwt", other.path());
    config.client = ClientCredentials { key_file: Some(key_file.clone()), ..ClientCredentials::default() };
    let mut loose = Engine::start(config);
    loose.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let reason = loose.failed().await;
    assert!(reason.contains(&format!("chmod 600 {}", key_file.display())), "{reason}");
}

#[tokio::test]
async fn a_machine_client_needs_no_browser_and_renews_with_a_new_grant() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = confidential(&server, dir.path(), "zorgtui.machine");
    config.grant = GrantKind::ClientCredentials;
    config.scope = "users:read organizations:read".into();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let info = engine.signed_in().await;
    assert!(info.machine_client && !info.has_refresh_token, "{info:?}");
    assert_eq!(info.subject, "machine client zorgtui.machine");
    assert_eq!(info.scopes, ["users:read", "organizations:read"]);
    assert!(
        !engine.seen.iter().any(|e| matches!(e, zorgtui::auth::AuthEvent::Status(AuthStatus::WaitingForBrowser(_))))
    );
    let first = engine.token().unwrap();
    // A JWT access token for the API: its claims are readable without asking anyone.
    let claims = within(engine.handle.claims(ClaimsQuery::default())).await.unwrap();
    assert_eq!(claims["access_token"]["format"], "jwt", "{claims:#}");
    assert_eq!(claims["access_token"]["payload"]["aud"], "urn:zorgtui:api");
    assert_eq!(claims["access_token"]["payload"]["client_id"], "zorgtui.machine");
    assert!(claims["access_token"]["times"]["exp"]["relative"].as_str().unwrap().starts_with("in "), "{claims:#}");
    assert!(claims["access_token"].get("signature").is_none());
    // Renewal: a new grant, saved.
    let second = within(engine.handle.refresh_now()).await.unwrap();
    assert_ne!(first, second);
    assert_eq!(stored(&config).await.unwrap().access_token, second);
    // A new engine with nothing stored gets its token by itself (what `zorgtui token` relies on).
    let empty = tempfile::tempdir().unwrap();
    let mut config = confidential(&server, empty.path(), "zorgtui.machine");
    config.grant = GrantKind::ClientCredentials;
    config.scope = "users:read".into();
    let mut next = Engine::start(config);
    next.handle.send(AuthCommand::Restore);
    assert!(next.signed_in().await.machine_client);
}

#[tokio::test]
async fn id_tokens_signed_rs256_ps256_and_es256_are_verified() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    for (client_id, alg) in [("zorgtui", "RS256"), ("zorgtui.ps256", "PS256"), ("zorgtui.es256", "ES256")] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = config(&server, dir.path());
        config.client_id = client_id.into();
        let mut engine = Engine::start(config);
        engine.sign_in("ids").await;
        let claims = within(engine.handle.claims(ClaimsQuery::default())).await.unwrap();
        assert_eq!(claims["id_token"]["header"]["alg"], alg, "{client_id}");
        assert!(claims["id_token"]["payload"]["nonce"].is_string(), "the nonce went out and came back");
    }
}

#[tokio::test]
async fn private_key_jwt_device_polls_each_carry_a_new_assertion() {
    let keys = tempfile::tempdir().unwrap();
    let key_file = keys.path().join("client.pem");
    let options =
        OidcOptions::default().with_client_key_file(key_file.clone()).with_device_poll_interval(Duration::from_secs(1));
    let server = server(options).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.client_id = "zorgtui.jwt".into();
    config.client = ClientCredentials { key_file: Some(key_file), ..ClientCredentials::default() };
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    // Approved only once a poll was answered "pending": the sign-in then takes a second poll, which the server
    // refuses if it carries the first one's assertion again (a reused jti).
    let pending = format!("grant.error {DEVICE_GRANT} authorization_pending");
    within(async {
        while !server.stderr().contains(&pending) {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
    let verification = url::Url::parse(&prompt.verification_uri).unwrap();
    within(crate::support::browser::Browser::new().approve_device(&verification, &prompt.user_code, "ida"))
        .await
        .unwrap();
    let status =
        engine.until("signed in or failed", |s| matches!(s, AuthStatus::SignedIn(_) | AuthStatus::Failed { .. })).await;
    assert!(matches!(&status, AuthStatus::SignedIn(info) if info.subject == "Test user ida"), "{status:?}");
    assert!(!server.stderr().contains("invalid_client"), "{}", server.stderr());
}
