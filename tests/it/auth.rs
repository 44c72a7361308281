//! The auth engine against a real authorization server (oidc-provider, laid out like Keycloak) on loopback: the
//! test plays the browser. No browser is opened and nothing leaves 127.0.0.1.

#![allow(clippy::unwrap_used)] // Tests may unwrap: a panic is the failure report.

mod callback;
mod clients;
mod demo;
mod device;
mod faults;
mod key_rotation;
mod lifetimes;
mod loopback;
mod other_server;
mod paste;
mod refresh;
mod rfc8414;
mod shutdown;
mod sign_out;
mod slow_down;
mod store;

use std::time::Duration;

use url::Url;
use zorgtui::auth::{AuthCommand, AuthStatus, Redirect};

use crate::support::browser::Browser;
use crate::support::engine::{Engine, config, stored, userinfo, with_param, within};
use crate::support::oidc::{OidcOptions, OidcServer};

pub async fn server(options: OidcOptions) -> OidcServer {
    within(OidcServer::start(options)).await
}

#[tokio::test]
async fn full_flow_through_the_loopback_listener() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    assert_eq!(engine.handle.status(), AuthStatus::SignedOut);
    assert_eq!(engine.token(), None);

    engine.handle.send(AuthCommand::Login { extra_scopes: vec!["organizations:read".into()] });
    let working = engine.until("working", |s| matches!(s, AuthStatus::Working(_))).await;
    assert_eq!(working, AuthStatus::Working("Contacting the issuer".into()));
    let pending = engine.waiting_for_browser().await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected: {pending:?}") };
    assert!(!pending.browser_opened);
    assert!(pending.device_available);
    let authorize = Url::parse(&pending.authorize_url).unwrap();
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();
    assert_eq!(query["redirect_uri"], format!("http://127.0.0.1:{port}/callback"));
    assert_eq!(query["code_challenge_method"], "S256");
    assert_eq!(query["scope"], "openid profile offline_access users:read organizations:read");
    assert!(query["state"].len() >= 22, "at least 128 bits of state");
    assert!(!query.contains_key("prompt"));

    let browser = Browser::new();
    let landing = within(browser.login(&authorize, "alice")).await.unwrap();
    assert_eq!(landing.port(), Some(port));

    // A callback for another sign-in is refused and changes nothing.
    let forged = with_param(&landing, "state", "forged-state");
    let (status, body) = within(browser.fetch(&forged)).await.unwrap();
    assert_eq!(status, 400, "{body}");
    assert!(!body.contains("forged-state"), "nothing from the request is echoed");
    assert!(matches!(engine.handle.status(), AuthStatus::WaitingForBrowser(_)));

    let (status, body) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("close this tab"), "{body}");
    let exchanging = engine.until("exchanging", |s| matches!(s, AuthStatus::Working(_))).await;
    assert_eq!(exchanging, AuthStatus::Working("Exchanging the code".into()));
    let info = engine.signed_in().await;
    assert_eq!(info.subject, "Test user alice");
    assert!(info.scopes.contains(&"openid".to_string()) && info.scopes.contains(&"users:read".to_string()));
    assert!(!info.scopes.contains(&"offline_access".to_string()), "narrower than asked is fine: {:?}", info.scopes);
    assert!(info.has_refresh_token);
    assert!(info.access_expires_at > std::time::SystemTime::now());

    let token = engine.token().expect("a token for the API");
    let (status, body) = userinfo(&server, &token).await;
    assert_eq!(status, 200, "{body}");
    assert!(body.contains("\"sub\":\"alice\""), "{body}");

    // The listener is gone once the sign-in came back.
    crate::support::engine::port_closed(port).await;

    let saved = stored(&config).await.expect("the session is saved");
    assert_eq!(saved.access_token, token);
}

#[tokio::test]
async fn a_second_step_up_keeps_the_scope_the_first_added() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let (_, browser, landing) = engine.browser_landing("dave", &["organizations:write"]).await;
    within(browser.fetch(&landing)).await.unwrap();
    let info = engine.signed_in().await;
    assert!(info.scopes.contains(&"organizations:write".to_string()), "{:?}", info.scopes);

    engine.handle.send(AuthCommand::Login { extra_scopes: vec!["api-specifications:write".into()] });
    let pending = engine.waiting_for_browser().await;
    let authorize = Url::parse(&pending.authorize_url).unwrap();
    let scope = authorize.query_pairs().find(|(k, _)| k == "scope").map(|(_, v)| v.into_owned()).unwrap();
    let asked: Vec<&str> = scope.split(' ').collect();
    assert!(asked.contains(&"organizations:write") && asked.contains(&"api-specifications:write"), "{scope}");
}

#[tokio::test]
async fn restore_needs_no_browser() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut first = Engine::start(config.clone());
    first.sign_in("bob").await;
    let token = first.token().unwrap();
    drop(first);

    let mut second = Engine::start(config.clone());
    second.handle.send(AuthCommand::Restore);
    let info = second.signed_in().await;
    assert_eq!(info.subject, "Test user bob");
    assert_eq!(second.token(), Some(token), "a fresh stored token is used as is");
    assert!(
        !second.seen.iter().any(|e| matches!(e, zorgtui::auth::AuthEvent::Status(AuthStatus::WaitingForBrowser(_))))
    );

    // Nothing stored: signed out, quietly.
    let empty = tempfile::tempdir().unwrap();
    let mut third = Engine::start(crate::support::engine::config(&server, empty.path()));
    third.handle.send(AuthCommand::Restore);
    third.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(third.token(), None);
}

#[tokio::test]
async fn logout_revokes_the_refresh_token_ends_the_browser_session_and_the_next_sign_in_asks_again() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    let (_, browser) = engine.sign_in_with("carol").await;
    let saved = stored(&config).await.unwrap();
    let refresh_token = saved.refresh_token.clone().unwrap();
    let id_token = saved.id_token.clone().expect("the verified ID token is kept for the sign-out");

    // Without a sign-out, the browser's session at the server signs the same person in without asking.
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let answered = browser.prompts_answered().len();
    let landing = within(browser.login(&Url::parse(&pending.authorize_url).unwrap(), "carol")).await.unwrap();
    assert_eq!(browser.prompts_answered().len(), answered, "signed in at the server: no login form");
    within(browser.fetch(&landing)).await.unwrap();
    engine.signed_in().await;

    engine.handle.send(AuthCommand::Logout);
    let pending = engine.signing_out().await;
    assert!(pending.confirmable && !pending.browser_opened);
    let end = Url::parse(&pending.end_session_url).unwrap();
    assert!(end.as_str().starts_with(server.endpoint("logout").as_str()), "{end}");
    let query: std::collections::HashMap<_, _> = end.query_pairs().into_owned().collect();
    assert_eq!(query["client_id"], "zorgtui");
    assert_ne!(query["id_token_hint"], id_token.expose(), "the hint is the latest ID token");
    assert!(query["post_logout_redirect_uri"].starts_with("http://127.0.0.1:"), "{query:?}");
    // The landing needs this sign-out's state.
    let landing = within(browser.logout(&end)).await.unwrap();
    let (status, _) = within(browser.fetch(&with_param(&landing, "state", "forged"))).await.unwrap();
    assert_eq!(status, 400);
    let (status, body) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("signed out"), "{body}");
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(engine.token(), None);
    assert!(stored(&config).await.is_none(), "the stored session is deleted");
    assert!(!zorgtui::auth::store::token_file(dir.path(), "test").exists());
    let (status, body) = crate::support::engine::raw_refresh(&server, &refresh_token).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
    let (status, _) = userinfo(&server, &saved.access_token).await;
    assert_eq!(status, 401, "revoking the refresh token killed its access token too");

    // The next sign-in in the same browser asks for the password again.
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let answered = browser.prompts_answered().len();
    let landing = within(browser.login(&Url::parse(&pending.authorize_url).unwrap(), "carol")).await.unwrap();
    assert_eq!(browser.prompts_answered()[answered..], ["login"], "the login form is shown again");
    within(browser.fetch(&landing)).await.unwrap();
    engine.signed_in().await;
}

#[tokio::test]
async fn signing_in_as_someone_else_asks_for_credentials_without_a_sign_out() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let (_, browser) = engine.sign_in_with("dirk").await;
    engine.handle.send(AuthCommand::LoginAsSomeoneElse { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let authorize = Url::parse(&pending.authorize_url).unwrap();
    assert!(authorize.query_pairs().any(|(k, v)| k == "prompt" && v == "login"), "{authorize}");
    let answered = browser.prompts_answered().len();
    let landing = within(browser.login(&authorize, "eva")).await.unwrap();
    assert_eq!(browser.prompts_answered()[answered..], ["login"], "asked again though signed in there");
    within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(engine.signed_in().await.subject, "Test user eva");
}

#[tokio::test]
async fn http_issuer_off_loopback_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let server = server(OidcOptions::default()).await;
    let mut config = config(&server, dir.path());
    config.issuer = "http://auth.example.invalid/realms/x".into();
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let reason = engine.failed().await;
    assert!(reason.contains("uses http: only https is allowed"), "{reason}");
}

#[tokio::test]
async fn discovery_failure_names_the_url() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.issuer = format!("{}-nope", server.issuer());
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let reason = engine.failed().await;
    assert!(
        reason.starts_with(&format!("discovery failed at {}/.well-known/openid-configuration", config.issuer)),
        "{reason}"
    );
    assert!(reason.contains("404"), "{reason}");
}
