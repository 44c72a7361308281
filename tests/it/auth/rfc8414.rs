//! Servers that describe themselves by RFC 8414 authorization server metadata, not (or not only) by OpenID
//! Connect discovery: oidc-provider behind a thin layer that hides its OpenID document and serves the same document
//! at RFC 8414's path-inserted address (`tests/oidc/server.mjs`, `METADATA`), or lists revocation, device and
//! introspection only there; and oauth2-mock-server, which its own `wellKnownDocument` setting moves to RFC 8414's
//! address. Sign-in, refresh, the device grant and a sign-out whose revocation the server then holds to.

use std::time::Duration;

use url::Url;
use zorgtui::auth::claims::ClaimsQuery;
use zorgtui::auth::{AuthCommand, AuthEvent, AuthStatus};

use super::server;
use crate::support::browser::Browser;
use crate::support::engine::{Engine, config, config_at, raw_refresh, stored, userinfo, within};
use crate::support::oidc::{Metadata, OidcOptions, OidcServer};

async fn status_of(url: &str) -> u16 {
    within(reqwest::Client::new().get(url).send()).await.unwrap().status().as_u16()
}

/// RFC 8414 3.1: the well-known part between the host and the issuer's path.
fn inserted(server: &OidcServer) -> String {
    let issuer = server.issuer();
    format!("{}/.well-known/oauth-authorization-server{}", issuer.origin().ascii_serialization(), issuer.path())
}

fn no_revocation_notice(engine: &Engine) -> bool {
    !engine.seen.iter().any(|e| matches!(e, AuthEvent::Notice(text) if text.contains("revocation")))
}

/// Signs out through the engine, the browser ending the session at the server; `refresh_token` is refused after.
async fn sign_out_and_check(
    engine: &mut Engine,
    browser: &Browser,
    server: &OidcServer,
    refresh: &zorgtui::secret::Secret,
) {
    engine.handle.send(AuthCommand::Logout);
    let pending = engine.signing_out().await;
    let landing = within(browser.logout(&Url::parse(&pending.end_session_url).unwrap())).await.unwrap();
    within(browser.fetch(&landing)).await.unwrap();
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert!(no_revocation_notice(engine), "revoked at the endpoint RFC 8414 lists: {:?}", engine.seen);
    let (status, body) = raw_refresh(server, refresh).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
}

#[tokio::test]
async fn a_server_with_rfc8414_metadata_only() {
    let options = OidcOptions::default()
        .with_metadata(Metadata::Rfc8414Only)
        .with_access_token_ttl(Duration::from_secs(60))
        .with_device_poll_interval(Duration::from_secs(1));
    let server = server(options).await;
    assert_eq!(status_of(server.discovery_url().as_str()).await, 404, "no OpenID document");
    assert_eq!(status_of(&inserted(&server)).await, 200, "RFC 8414's path-inserted address");
    let appended = format!("{}/.well-known/oauth-authorization-server", server.issuer());
    assert_eq!(status_of(&appended).await, 404, "not the appended form either");

    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    let (pending, browser, landing) = engine.browser_landing("rfc", &[]).await;
    assert!(pending.device_available, "the device endpoint, from RFC 8414's document");
    within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(engine.signed_in().await.subject, "Test user rfc", "the ID token checked against its jwks_uri");
    let first = stored(&config).await.unwrap();
    let refreshed = within(engine.handle.refresh_now()).await.unwrap();
    assert_ne!(refreshed, first.access_token);
    assert_eq!(userinfo(&server, &refreshed).await.0, 200);
    let refresh = stored(&config).await.unwrap().refresh_token.unwrap();
    assert_ne!(Some(&refresh), first.refresh_token.as_ref(), "rotated");
    sign_out_and_check(&mut engine, &browser, &server, &refresh).await;

    // The device grant, from the same document.
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    let verification = Url::parse(&prompt.verification_uri).unwrap();
    within(Browser::new().approve_device(&verification, &prompt.user_code, "device")).await.unwrap();
    assert_eq!(engine.signed_in().await.subject, "Test user device");
}

#[tokio::test]
async fn endpoints_only_rfc8414_lists_are_used_beside_the_openid_document() {
    let options = OidcOptions::default().with_metadata(Metadata::Split).with_access_token_ttl(Duration::from_secs(60));
    let server = server(options).await;
    let openid: serde_json::Value =
        within(within(reqwest::Client::new().get(server.discovery_url()).send()).await.unwrap().json()).await.unwrap();
    assert!(openid.get("revocation_endpoint").is_none() && openid.get("device_authorization_endpoint").is_none());

    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    let (pending, browser, landing) = engine.browser_landing("split", &[]).await;
    assert!(pending.device_available, "from the RFC 8414 document");
    within(browser.fetch(&landing)).await.unwrap();
    engine.signed_in().await;
    let claims = within(engine.handle.claims(ClaimsQuery { ask_server: true, include_raw: false })).await.unwrap();
    assert_eq!(claims["introspection"]["active"], true, "introspection, from the RFC 8414 document: {claims:#}");
    let refresh = stored(&config).await.unwrap().refresh_token.unwrap();
    sign_out_and_check(&mut engine, &browser, &server, &refresh).await;
}

#[tokio::test]
async fn oauth2_mock_server_with_its_metadata_at_the_rfc8414_address() {
    let server = server(OidcOptions { metadata: Metadata::Rfc8414Only, ..OidcOptions::mock_server() }).await;
    let issuer = server.issuer().as_str().trim_end_matches('/').to_string();
    assert_eq!(status_of(&format!("{issuer}/.well-known/openid-configuration")).await, 404);
    assert_eq!(status_of(&format!("{issuer}/.well-known/oauth-authorization-server")).await, 200);

    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer, "zorgtui", dir.path());
    config.scope = "openid profile".into();
    let mut engine = Engine::start(config);
    let (pending, browser, landing) = engine.browser_landing("anyone", &[]).await;
    assert_eq!(Url::parse(&pending.authorize_url).unwrap().path(), "/authorize");
    within(browser.fetch(&landing)).await.unwrap();
    assert!(engine.signed_in().await.has_refresh_token);
    let before = engine.token().unwrap();
    // Its tokens are JWTs with whole-second times: a refresh within the same second would be the same token.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_ne!(within(engine.handle.refresh_now()).await.unwrap(), before);

    // Its revocation endpoint, from the RFC 8414 document, is called (this mock answers 200 and forgets nothing, so
    // the refusal afterwards is checked against oidc-provider above).
    engine.handle.send(AuthCommand::Logout);
    engine.signing_out().await;
    engine.handle.send(AuthCommand::CancelLogin);
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert!(no_revocation_notice(&engine), "{:?}", engine.seen);
}
