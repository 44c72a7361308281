//! A refresh against an issuer that fails the ways real ones do: a 500 error page, an HTML page answered 200, JSON
//! cut short, dying mid-answer, answering after the timeout. Each time the person is told what happened (not
//! "signed out", not "press L"), the session and its refresh token are kept, the token still works until it expires,
//! and the next refresh, once the issuer is well again, succeeds.

use std::time::Duration;

use zorgtui::auth::AuthStatus;
use zorgtui::auth::store::TokenStore;

use crate::support::engine::{Engine, config_at, session_for, stored, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions, RefreshAnswer};

async fn survives(answer: RefreshAnswer, options: FakeOptions, says: &str) {
    let server = FakeIssuer::start(options).await;
    server.answer_refreshes(answer);
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    config.http.timeout = Some(Duration::from_secs(1));
    // Works for ten more minutes: not due, so nothing is refreshed until asked.
    let session = session_for(&config.issuer, &config.client_id, 60, 600);
    within(within(TokenStore::new(&config.store).lock()).await.unwrap().save(&session)).await.unwrap();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(zorgtui::auth::AuthCommand::Restore);
    engine.until("restored", |s| matches!(s, AuthStatus::SignedIn(_))).await;

    let error = within(engine.handle.refresh_now()).await.unwrap_err().to_string();
    assert!(error.contains(says), "{answer:?}: {error}");
    assert!(!error.contains("press L") && !error.to_lowercase().contains("signed out"), "{answer:?}: {error}");
    assert!(!error.contains("stored-refresh") && !error.contains("at-x"), "no token in the message: {error}");
    let AuthStatus::SignedIn(info) = engine.handle.status() else { panic!("{answer:?}: still signed in") };
    assert!(info.refresh_trouble.is_some(), "{answer:?}: the pane can tell the refresh is in trouble");
    assert_eq!(engine.token().map(|t| t.expose().to_string()).as_deref(), Some("stored-access"));
    let kept = stored(&config).await.expect("the session is kept");
    assert_eq!(kept.refresh_token, session.refresh_token, "{answer:?}: the refresh token is not lost");

    server.answer_refreshes(RefreshAnswer::Tokens);
    let fresh = within(engine.handle.refresh_now()).await.expect("refreshed once the issuer is well");
    assert!(fresh.expose().starts_with("at-"), "{answer:?}");
    assert_eq!(stored(&config).await.unwrap().access_token.expose(), fresh.expose(), "and saved");
}

#[tokio::test]
async fn a_500_error_page_is_said_and_survived() {
    survives(
        RefreshAnswer::ServerError,
        FakeOptions::default(),
        "answered 500 Internal Server Error with an error page",
    )
    .await;
}

#[tokio::test]
async fn an_html_page_answered_200_is_said_and_survived() {
    survives(RefreshAnswer::Html, FakeOptions::default(), "an HTML page, not JSON").await;
}

#[tokio::test]
async fn json_cut_short_is_said_and_survived() {
    survives(RefreshAnswer::Malformed, FakeOptions::default(), "not JSON, at line 1").await;
}

#[tokio::test]
async fn an_issuer_dying_mid_answer_is_said_and_survived() {
    survives(RefreshAnswer::Dies, FakeOptions::default(), "connection closed before message completed").await;
}

#[tokio::test]
async fn an_issuer_answering_after_the_timeout_is_said_and_survived() {
    survives(RefreshAnswer::Late, FakeOptions::default(), "no response from 127.0.0.1").await;
}
