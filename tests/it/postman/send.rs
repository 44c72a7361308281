//! A request of the official collection sent end to end, signed in the collection's way (its client, Postman's
//! redirect, so the sign-in ends by pasting): against the demo standing in for the collection's servers, and
//! against oidc-provider with only Postman's redirect registered.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use ratatui::crossterm::event::{Event, KeyCode};
use ratatui::layout::Rect;
use zorgtui::app::{Action, State};
use zorgtui::auth::{AuthConfig, AuthStatus, Redirect};
use zorgtui::config::{AppDirs, Overrides};
use zorgtui::demo::{self, DemoOptions};
use zorgtui::run::Driver;

use super::{SANDBOX, config, open, shared};
use crate::support::browser::Browser;
use crate::support::drive::{filter_and_send, press, run_until};
use crate::support::oidc::{OidcOptions, OidcServer};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);

fn dirs(data: &std::path::Path) -> AppDirs {
    AppDirs {
        config_file: data.join("config.toml"),
        data_dir: data.to_path_buf(),
        cache_dir: data.join("cache"),
        state_dir: data.join("state"),
    }
}

/// The explorer on the collection's catalogue and scopes, its sign-in engine attached; the token's receiver.
fn explorer(
    profile: zorgtui::config::Profile,
    auth: AuthConfig,
    opened: &zorgtui::run::collection::OpenedCollection,
) -> (Driver, tokio::sync::watch::Receiver<Option<zorgtui::secret::Secret>>) {
    let mut driver = Driver::new(profile, opened.collection.catalogue.clone(), Rect::new(0, 0, 160, 48));
    let events = driver.sender();
    let handle = zorgtui::auth::spawn(auth, move |event| {
        let _ = events.send(Action::Auth(event));
    });
    let token = handle.token();
    driver.attach_auth(handle);
    let info = opened.info();
    driver.state.use_collection(info.scopes, info.scripted, &info.script_variables);
    driver.start();
    (driver, token)
}

fn signed_in(state: &State) -> bool {
    matches!(state.auth, AuthStatus::SignedIn(_))
}

fn pending(state: &State) -> zorgtui::auth::PendingLogin {
    match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => pending.clone(),
        other => panic!("not waiting for the browser: {other:?}"),
    }
}

#[tokio::test]
async fn against_the_demo_standing_in_for_the_collections_servers() {
    let mut opened = open(Some(&shared(SANDBOX))).await;
    let options = opened.demo_options(DemoOptions::default());
    assert_eq!(options.realm, "zorgapis");
    let paste = options.paste_client.clone().unwrap();
    assert_eq!(
        (paste.client_id.as_str(), paste.redirect_uri.as_str()),
        ("zorgapis.postman", "https://oauth.pstmn.io/v1/callback")
    );
    let servers = demo::start(options).await.unwrap();
    let (profile, notices) = opened.demo_profile(&servers, &config(), &Overrides::default());
    assert!(notices.is_empty(), "{notices:?}");
    assert_eq!(profile.issuer, format!("http://{}/realms/zorgapis", servers.auth_addr()));
    assert_eq!(profile.api, format!("http://{}", servers.api_addr()));
    let dir = tempfile::tempdir().unwrap();
    let auth = AuthConfig::from_profile(&profile, &dirs(dir.path()), false);
    let (mut driver, _) = explorer(profile, auth, &opened);
    driver.state.demo = true;
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    assert!(
        matches!(pending(&driver.state).redirect, Redirect::Registered { .. }),
        "Postman's redirect: the paste path"
    );
    // Enter approves as the demo user, and the explorer pastes where the browser would have landed.
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, signed_in).await;

    filter_and_send(&tx, "user information for authenticated");
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert_eq!(driver.state.response.shown.as_ref().unwrap().status, 200, "{screen}");
    assert!(screen.contains("Demo User"), "{screen}");
}

#[tokio::test]
async fn against_oidc_provider_with_only_postmans_redirect() {
    let server = OidcServer::start(OidcOptions::default()).await;
    assert_eq!(server.paste_redirect_uri().as_str(), "https://oauth.pstmn.io/v1/callback");
    // An API on loopback that keeps the Authorization header of each call.
    let seen = Arc::new(Mutex::new(Vec::<String>::new()));
    let keep = seen.clone();
    let app = Router::new().route(
        "/v1beta2/users/me",
        get(move |headers: HeaderMap| {
            let keep = keep.clone();
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
                keep.lock().unwrap().push(auth);
                ([("content-type", "application/json")], r#"{"id":"u1","name":"Test user erin"}"#)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = listener.local_addr().unwrap();
    let serve = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });

    // The Sandbox environment as a person would edit it for this server: baseAuthUrl and baseApiUrl changed.
    let text = std::fs::read_to_string(shared(SANDBOX)).unwrap();
    let origin = server.issuer().origin().ascii_serialization();
    let text = text
        .replace("https://auth.sandbox.zorgapis.nl", &origin)
        .replace("https://api.sandbox.zorgapis.nl", &format!("http://{api}"));
    let dir = tempfile::tempdir().unwrap();
    let environment = dir.path().join("local-environment.json");
    std::fs::write(&environment, text).unwrap();
    let opened = open(Some(&environment)).await;
    let (profile, _) = super::profile_of(&opened);
    assert_eq!(profile.issuer, server.issuer().as_str().trim_end_matches('/'), "baseAuthUrl picks the issuer");
    assert_eq!(profile.redirect_uri.as_deref(), Some("https://oauth.pstmn.io/v1/callback"));
    let auth = AuthConfig::from_profile(&profile, &dirs(dir.path()), false);
    let (mut driver, token) = explorer(profile, auth, &opened);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, State::signing_in).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("The browser ends on https://oauth.pstmn.io/v1/callback"), "{screen}");
    let authorize = url::Url::parse(&pending(&driver.state).authorize_url).unwrap();
    let landed = Browser::new().login(&authorize, "erin").await.unwrap();
    assert!(landed.as_str().starts_with("https://oauth.pstmn.io/v1/callback?"), "{landed}");
    tx.send(Action::Input(Event::Paste(landed.to_string()))).unwrap();
    run_until(&mut driver, LIMIT, signed_in).await;

    filter_and_send(&tx, "user information for authenticated");
    // The token goes to a host the collection named: asked once.
    run_until(&mut driver, LIMIT, |s| s.question.is_some() || s.response.shown.is_some()).await;
    if driver.state.question.is_some() {
        press(&tx, KeyCode::Char('y'));
    }
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    assert_eq!(driver.state.response.shown.as_ref().unwrap().status, 200);
    let token = token.borrow().clone().expect("a token");
    assert_eq!(seen.lock().unwrap().last().cloned(), Some(format!("Bearer {}", token.expose())));
    let (status, _) = crate::support::engine::userinfo(&server, &token).await;
    assert_eq!(status, 200, "the token is oidc-provider's own");
    serve.abort();
}
