//! Keeping a session: refreshes in the background while requests go on, rotated refresh tokens saved at once, a
//! reused refresh token ending the session, a 401's refresh shared by every caller, an issuer down at start-up.

use std::time::Duration;

use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::auth::{AuthCommand, AuthConfig, AuthStatus, Clock};

use super::server;
use crate::support::engine::{Engine, config, config_at, port_closed, raw_refresh, stored, userinfo, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};
use crate::support::oidc::OidcOptions;

#[tokio::test]
async fn refresh_in_the_background_while_requests_continue() {
    // 4-second tokens are refreshed 2 s before they die: room for a busy machine, where `exp` is whole seconds.
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(4))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    engine.sign_in("henk").await;
    let first = stored(&config).await.unwrap();

    // Requests every 150 ms for 8 s, each with the token the watch holds at send time: all must be accepted
    // while the tokens are refreshed under them.
    let token = engine.handle.token();
    let started = tokio::time::Instant::now();
    let mut sent = 0;
    let mut seen_tokens = std::collections::HashSet::new();
    while started.elapsed() < Duration::from_secs(8) {
        let current = token.borrow().clone().expect("never without a token while the session lives");
        seen_tokens.insert(current.expose().to_string());
        let (status, body) = userinfo(&server, &current).await;
        assert_eq!(status, 200, "request {sent} refused: {body}");
        sent += 1;
        tokio::time::sleep(Duration::from_millis(150)).await;
    }
    assert!(seen_tokens.len() >= 3, "tokens were refreshed: {} distinct", seen_tokens.len());
    engine.until("refreshing", |s| matches!(s, AuthStatus::Refreshing(_))).await;
    let info = engine.signed_in().await;
    assert!(info.last_refresh.is_some());

    // Rotation is saved at once: the store holds the refresh token in use, not the first one.
    let now = stored(&config).await.unwrap();
    assert_ne!(now.refresh_token, first.refresh_token, "the refresh token rotated");
    assert_eq!(Some(now.access_token.clone()), engine.token());
    let (status, body) = raw_refresh(&server, first.refresh_token.as_ref().unwrap()).await;
    assert_eq!(status, 400, "the first refresh token is spent: {body}");
}

#[tokio::test]
async fn a_reused_refresh_token_ends_the_session() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    // The engine plans its refresh on tokio's clock, so the test can move it there instead of waiting.
    config.clock = Clock::tokio();
    let mut engine = Engine::start(config.clone());
    engine.sign_in("ingrid").await;
    let first = stored(&config).await.unwrap().refresh_token.unwrap();
    // The engine rotates it...
    within(engine.handle.refresh_now()).await.unwrap();
    assert_ne!(stored(&config).await.unwrap().refresh_token.as_ref(), Some(&first), "rotated");
    // ...then someone replays the old one: the server takes it as theft and revokes the whole grant.
    let (status, _) = raw_refresh(&server, &first).await;
    assert_eq!(status, 400);
    // The engine's planned refresh (halfway through the 60-second token) hears so. Time is moved to it, and
    // resumed at once: the refresh itself talks to the real server on real time.
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(31)).await;
    tokio::time::resume();
    let expired = engine.until("expired", |s| matches!(s, AuthStatus::Expired { .. })).await;
    assert_eq!(expired, AuthStatus::Expired { reason: "session expired — sign in again".into(), retrying: false });
    assert_eq!(engine.token(), None);
    assert!(stored(&config).await.is_none(), "a dead session is not kept");
    // Signed out now: no timer, no refresh attempts, however long one waits.
    engine.drain();
    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(24 * 3600)).await;
    tokio::task::yield_now().await;
    assert_eq!(engine.drain(), Vec::new(), "nothing happens once the session is gone");
    assert_eq!(engine.handle.status(), expired);
}

#[tokio::test]
async fn refresh_now_is_shared_by_its_callers() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.sign_in("jan").await;
    let old = engine.token().unwrap();
    let (a, b, c) = within(async {
        tokio::join!(engine.handle.refresh_now(), engine.handle.refresh_now(), engine.handle.refresh_now())
    })
    .await;
    let (a, b, c) = (a.unwrap(), b.unwrap(), c.unwrap());
    assert_ne!(a, old);
    assert!(a == b && b == c, "one refresh for all three");
    assert_eq!(engine.token(), Some(a.clone()));
    let (status, _) = userinfo(&server, &a).await;
    assert_eq!(status, 200, "the grant survived: no refresh token was spent twice");
    let mut token = engine.handle.token();
    token.borrow_and_update();
    engine.handle.send(AuthCommand::Refresh);
    within(token.changed()).await.unwrap();
    assert_ne!(engine.token(), Some(a));
}

#[tokio::test]
async fn refresh_now_without_a_session_says_so() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let engine = Engine::start(config(&server, dir.path()));
    let error = within(engine.handle.refresh_now()).await.unwrap_err();
    assert_eq!(error.to_string(), "not signed in — sign in first");
}

#[tokio::test]
async fn an_unreachable_issuer_keeps_the_session_and_says_so() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    engine.sign_in("kees").await;
    let token = engine.token().unwrap();
    let port = server.issuer().port().unwrap();
    drop(server);
    port_closed(port).await;
    // Nothing listens: every try is refused at once, and the pauses between them pass on tokio's paused clock.
    tokio::time::pause();
    let error = within(engine.handle.refresh_now()).await.unwrap_err();
    let unreachable = "cannot reach the issuer to refresh the session: cannot connect to 127.0.0.1";
    assert!(error.to_string().starts_with(unreachable), "{error}");
    let notice = engine.notice().await;
    assert!(notice.starts_with("Cannot reach the issuer to refresh the session: cannot connect"), "{notice}");
    assert!(notice.contains("the current token works until it expires"), "{notice}");
    let AuthStatus::SignedIn(info) = engine.handle.status() else { panic!("still signed in while the token works") };
    assert!(info.refresh_trouble.is_some_and(|t| t.starts_with(unreachable)), "the pane can tell");
    assert_eq!(engine.token(), Some(token), "the access token still works until it expires");
    assert!(stored(&config).await.is_some(), "the session is kept for when the issuer is back");
}

/// A session for `config` obtained `ago` seconds ago whose access token works `left` more seconds.
pub fn stored_session(config: &AuthConfig, ago: u64, left: u64) -> Session {
    crate::support::engine::session_for(&config.issuer, &config.client_id, ago, left)
}

/// A port nothing listens on yet, and an engine config for an issuer there with a session stored whose access
/// token works for `left` more seconds but is due for its refresh.
async fn issuer_down_with_a_stored_session(dir: &std::path::Path, left: u64) -> (u16, AuthConfig, Session) {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = config_at(&format!("http://127.0.0.1:{port}/realms/fake"), "zorgtui", dir);
    config.scope = "openid".into();
    config.refresh_margin = Duration::from_secs(120);
    config.clock = Clock::tokio();
    let session = stored_session(&config, 600, left);
    within(within(TokenStore::new(&config.store).lock()).await.unwrap().save(&session)).await.unwrap();
    (port, config, session)
}

/// Restores, and returns what the person is told about the failed start-up refresh.
async fn restore_fails(engine: &mut Engine) -> String {
    engine.handle.send(AuthCommand::Restore);
    let notice = engine.notice().await;
    assert!(notice.starts_with("Cannot re"), "the problem is reported: {notice}");
    notice
}

// On paused time from the start: the refresh's tries are refused at once, the issuer that comes back runs on this
// test's own runtime, so tokio's clock jumps only past the pauses between tries, never past an answer on its way.
#[tokio::test(start_paused = true)]
async fn starting_while_the_issuer_is_unreachable_keeps_the_session_and_tries_again() {
    let dir = tempfile::tempdir().unwrap();
    let (port, config, session) = issuer_down_with_a_stored_session(dir.path(), 60).await;
    let mut engine = Engine::start(config.clone());
    let reason = restore_fails(&mut engine).await;
    assert!(reason.contains(&format!("127.0.0.1:{port}")), "{reason}");
    assert_eq!(engine.token().map(|t| t.expose().to_string()).as_deref(), Some("stored-access"));
    assert_eq!(stored(&config).await.unwrap().refresh_token, session.refresh_token, "the session is kept");

    // The issuer comes back: the next try refreshes, as a background refresh would.
    let server = FakeIssuer::start(FakeOptions { port: Some(port), ..FakeOptions::default() }).await;
    let refreshed = |s: &AuthStatus| matches!(s, AuthStatus::SignedIn(info) if info.last_refresh.is_some());
    engine.until("refreshed once the issuer is back", refreshed).await;
    assert_eq!(engine.token().unwrap().expose(), "at-1");
    assert!(server.requests()[0].contains("refresh_token=stored-refresh"), "{:?}", server.requests());
}

#[tokio::test(start_paused = true)]
async fn a_session_outlives_its_access_token_while_the_issuer_is_unreachable() {
    let dir = tempfile::tempdir().unwrap();
    let (port, config, _) = issuer_down_with_a_stored_session(dir.path(), 2).await;
    let mut engine = Engine::start(config);
    restore_fails(&mut engine).await;
    assert!(engine.token().is_some());
    // The token expires before the next try: it is no longer offered, but the session is not dropped.
    let mut token = engine.handle.token();
    within(token.wait_for(Option::is_none)).await.unwrap();
    assert!(matches!(engine.handle.status(), AuthStatus::Expired { .. }));

    let _server = FakeIssuer::start(FakeOptions { port: Some(port), ..FakeOptions::default() }).await;
    let refreshed = |s: &AuthStatus| matches!(s, AuthStatus::SignedIn(info) if info.last_refresh.is_some());
    engine.until("refreshed once the issuer is back", refreshed).await;
    assert_eq!(engine.token().unwrap().expose(), "at-1");
}

/// Fifty callers at once ask for a fresh token (as fifty API calls answered 401 would): one refresh serves them
/// all. Two refreshes would spend one rotating refresh token twice, which oidc-provider takes as theft and answers
/// by revoking the grant; so every call succeeding with one token, and the grant alive afterwards, says one.
#[tokio::test]
async fn fifty_calls_in_flight_share_one_refresh_and_all_succeed() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.sign_in("wim").await;
    let old = engine.token().unwrap();
    let calls = (0..50).map(|_| {
        let (handle, server) = (&engine.handle, &server);
        async move {
            let token = handle.refresh_now().await.unwrap();
            let (status, body) = userinfo(server, &token).await;
            (token, status, body)
        }
    });
    let answers = within(futures_util::future::join_all(calls)).await;
    let tokens: std::collections::HashSet<_> = answers.iter().map(|(t, _, _)| t.expose().to_string()).collect();
    assert_eq!(tokens.len(), 1, "one refresh for all fifty");
    assert!(!tokens.contains(old.expose()));
    for (_, status, body) in &answers {
        assert_eq!(*status, 200, "{body}");
    }
    let again = within(engine.handle.refresh_now()).await.unwrap();
    assert_eq!(userinfo(&server, &again).await.0, 200, "the grant is alive");
}
