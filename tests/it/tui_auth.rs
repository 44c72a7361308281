//! Signing in from the explorer, driven through its action channel like a person at the keyboard: against the
//! offline demo (issue 4's walk-through) and against the real authorization server.

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use axum::Router;
use axum::http::{HeaderMap, StatusCode};
use axum::routing::get;
use ratatui::crossterm::event::{Event, KeyCode};
use url::Url;
use zorgtui::app::{Action, State};
use zorgtui::auth::AuthStatus;
use zorgtui::demo::{self, DemoOptions};

use crate::support::browser::Browser;
use crate::support::drive::{driver_with_auth, filter_and_send, press, profile, run_until, type_keys};
use crate::support::engine::config_at;
use crate::support::oidc::{OidcOptions, OidcServer};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);

fn signed_in(state: &State) -> bool {
    matches!(state.auth, AuthStatus::SignedIn(_))
}

fn authorize_url(state: &State) -> Url {
    match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => Url::parse(&pending.authorize_url).unwrap(),
        other => panic!("not waiting for the browser: {other:?}"),
    }
}

#[tokio::test]
async fn the_demo_walk_through() {
    let servers = demo::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let profile = profile(servers.api_base());
    let mut config = config_at(servers.issuer(), servers.client_id(), dir.path());
    config.scope = "openid offline_access users:read api-requirements-versions:read".into();
    let mut driver = driver_with_auth(profile, config, 160, 48);
    driver.state.demo = true;
    let tx = driver.sender();
    assert!(render(&driver.state, 160, 48).contains("Signed out"));

    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Waiting for the browser") && screen.contains("press Enter to approve"), "{screen}");

    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, signed_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Signed in as Demo User"), "{screen}");
    assert!(screen.contains("token expires in 0:5") || screen.contains("token expires in 1:00"), "{screen}");

    filter_and_send(&tx, "api-requirements-versions");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("200 OK"), "{screen}");
    for field in ["\"publishTime\"", "\"lifecycleState\"", "\"semVer\""] {
        assert!(screen.contains(field), "{field}:\n{screen}");
    }
}

#[tokio::test]
async fn a_refresh_happens_while_keys_are_handled() {
    let options = DemoOptions { access_token_ttl: Duration::from_secs(2), ..DemoOptions::default() };
    let servers = demo::start(options).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(servers.issuer(), servers.client_id(), dir.path());
    config.refresh_margin = Duration::from_secs(1);
    let mut driver = driver_with_auth(profile(servers.api_base()), config, 160, 48);
    driver.state.demo = true;
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, signed_in).await;

    // Keep moving while the engine refreshes in the background: no key waits for it.
    let keys = tx.clone();
    let typing = tokio::spawn(async move {
        for i in 0..40 {
            let _ =
                keys.send(crate::support::drive::key(if i % 2 == 0 { KeyCode::Char('j') } else { KeyCode::Char('k') }));
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    });
    run_until(&mut driver, LIMIT, |s| matches!(&s.auth, AuthStatus::SignedIn(info) if info.last_refresh.is_some()))
        .await;
    typing.await.unwrap();
    assert!(render(&driver.state, 160, 48).contains("refreshed"));

    // The refreshed token works.
    filter_and_send(&tx, "get /users/me");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    assert_eq!(driver.state.response.shown.as_ref().unwrap().status, 200);
}

#[tokio::test]
async fn sign_in_against_the_real_server_by_loopback() {
    let server = OidcServer::start(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_at(server.issuer().as_str(), server.native_client_id(), dir.path());
    let mut driver = driver_with_auth(profile("http://127.0.0.1:9/v1beta2"), config, 160, 48);
    press(&driver.sender(), KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("ssh -L"), "the remote-session hint is there: {screen}");

    let browser = Browser::new();
    let landed = browser.login(&authorize_url(&driver.state), "alice").await.unwrap();
    let (status, page) = browser.fetch(&landed).await.unwrap();
    assert_eq!(status, 200, "{page}");
    run_until(&mut driver, LIMIT, signed_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Signed in as Test user alice"), "{screen}");
}

#[tokio::test]
async fn sign_in_by_pasting_where_the_browser_landed() {
    let server = OidcServer::start(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(server.issuer().as_str(), server.paste_client_id(), dir.path());
    config.redirect_uri = Some(server.paste_redirect_uri().to_string());
    let mut driver = driver_with_auth(profile("http://127.0.0.1:9/v1beta2"), config, 160, 48);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("The browser ends on https://oauth.pstmn.io/v1/callback"), "{screen}");

    let landed = Browser::new().login(&authorize_url(&driver.state), "bob").await.unwrap();
    // The person pastes with their terminal: one bracketed paste.
    tx.send(Action::Input(Event::Paste(landed.to_string()))).unwrap();
    run_until(&mut driver, LIMIT, signed_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Signed in as Test user bob"), "{screen}");
}

#[tokio::test]
async fn a_typed_paste_that_is_not_for_this_sign_in_is_refused_and_the_wait_goes_on() {
    let server = OidcServer::start(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config_at(server.issuer().as_str(), server.native_client_id(), dir.path());
    let mut driver = driver_with_auth(profile("http://127.0.0.1:9/v1beta2"), config, 160, 48);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Char('v'));
    type_keys(&tx, "http://127.0.0.1:1/callback?code=forged&state=forged");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.notice.is_some()).await;
    assert!(driver.state.signing_in(), "still waiting for the real one");
    press(&tx, KeyCode::Esc);
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SignedOut)).await;
}

#[tokio::test]
async fn a_401_gets_one_refresh_and_one_retry() {
    let servers = demo::start(DemoOptions::default()).await.unwrap();
    // An API that refuses the first call, as if the token had just been revoked, and records the tokens it saw.
    let calls = Arc::new(AtomicUsize::new(0));
    let tokens = Arc::new(std::sync::Mutex::new(Vec::new()));
    let (c, t) = (calls.clone(), tokens.clone());
    let app = Router::new().route(
        "/v1beta2/users/me",
        get(move |headers: HeaderMap| {
            let (c, t) = (c.clone(), t.clone());
            async move {
                t.lock().unwrap().push(headers.get("authorization").map(|v| v.to_str().unwrap().to_string()));
                if c.fetch_add(1, Ordering::SeqCst) == 0 {
                    (StatusCode::UNAUTHORIZED, "{}")
                } else {
                    (StatusCode::OK, r#"{"name":"Demo User"}"#)
                }
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v1beta2", listener.local_addr().unwrap());
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let dir = tempfile::tempdir().unwrap();
    let config = config_at(servers.issuer(), servers.client_id(), dir.path());
    let mut driver = driver_with_auth(profile(&api), config, 160, 48);
    driver.state.demo = true;
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, signed_in).await;
    filter_and_send(&tx, "get /users/me");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    assert_eq!(driver.state.response.shown.as_ref().unwrap().status, 200);
    let seen = tokens.lock().unwrap().clone();
    assert_eq!(seen.len(), 2, "one retry");
    assert_ne!(seen[0], seen[1], "the retry carries the refreshed token");
    assert!(seen.iter().all(|t| t.as_deref().is_some_and(|t| t.starts_with("Bearer "))));
    server.abort();
}

#[tokio::test]
async fn the_claims_view_and_a_sign_out_that_ends_the_demo_session() {
    let servers = demo::start(DemoOptions::default()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let config = config_at(servers.issuer(), servers.client_id(), dir.path());
    let mut driver = driver_with_auth(profile(servers.api_base()), config, 160, 48);
    driver.state.demo = true;
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, signed_in).await;

    // What the tokens say, as JSON in the inspector: the payload, never the signature, no raw token.
    driver.state.focus = zorgtui::app::Pane::Auth;
    press(&tx, KeyCode::Char('c'));
    run_until(&mut driver, LIMIT, |s| s.response.shown.as_ref().is_some_and(|shown| shown.claims)).await;
    let screen = render(&driver.state, 160, 48);
    assert!(
        screen.contains("Claims") && screen.contains("\"id_token\"") && screen.contains("\"introspection\""),
        "{screen}"
    );
    assert!(!screen.contains("\"signature\"") && !screen.contains("\"raw\""), "{screen}");

    // Signing out ends the session at the demo's server too: the window shows the address, Enter plays the browser.
    driver.state.focus = zorgtui::app::Pane::Auth;
    press(&tx, KeyCode::Char('x'));
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SigningOut(_) | AuthStatus::SignedOut)).await;
    if matches!(driver.state.auth, AuthStatus::SigningOut(_)) {
        let screen = render(&driver.state, 160, 48);
        assert!(screen.contains("Signing out at the server"), "{screen}");
        press(&tx, KeyCode::Enter);
    }
    run_until(&mut driver, LIMIT, |s| s.auth == AuthStatus::SignedOut).await;
    assert!(!driver.state.signing_in(), "the window is gone");
}
