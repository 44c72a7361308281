//! A spec brings its API and its sign-in (issue 13 item 1), tried as a person would: a spec whose OpenID Connect
//! scheme names the real authorization server (oidc-provider) and whose server is an API on loopback. The explorer
//! asks for the client id once, signs in there, and sends the token to the spec's API only after the person has
//! seen both hosts and said yes; both answers are remembered for the next run.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Router;
use axum::http::HeaderMap;
use axum::routing::get;
use ratatui::crossterm::event::KeyCode;
use ratatui::layout::Rect;
use url::Url;
use zorgtui::app::State;
use zorgtui::auth::AuthStatus;
use zorgtui::config::spec_profile::{self, Origin, REMEMBERED_FILE, Remembered};
use zorgtui::config::{AppDirs, Config, Overrides, Profile};
use zorgtui::run::{AuthSpawner, Driver};

use crate::support::browser::Browser;
use crate::support::drive::{press, run_until, type_keys};
use crate::support::oidc::{OidcOptions, OidcServer};
use crate::support::screen::render;

const LIMIT: Duration = Duration::from_secs(20);

/// An API on loopback that answers every GET and keeps the Authorization header of each request (`None` for none).
struct RecordingApi {
    base: String,
    seen: Arc<Mutex<Vec<Option<String>>>>,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for RecordingApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn recording_api() -> RecordingApi {
    let seen: Arc<Mutex<Vec<Option<String>>>> = Arc::default();
    let log = Arc::clone(&seen);
    let app = Router::new().route(
        "/v1/things",
        get(move |headers: HeaderMap| {
            let log = Arc::clone(&log);
            async move {
                let auth = headers.get("authorization").and_then(|v| v.to_str().ok()).map(str::to_string);
                log.lock().unwrap().push(auth);
                ([("content-type", "application/json")], r#"[{"thing":1}]"#)
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1", listener.local_addr().unwrap());
    let task = tokio::spawn(async move {
        let _ = axum::serve(listener, app).await;
    });
    RecordingApi { base, seen, task }
}

/// The spec as its owners would publish it: one server, an OpenID Connect scheme at the issuer's discovery URL.
fn spec(api: &str, discovery: &Url) -> zorgtui::api::Catalogue {
    let document = serde_json::json!({
        "openapi": "3.0.3",
        "info": {"title": "Things", "version": "1"},
        "servers": [{"url": api}],
        "paths": {"/things": {"get": {"summary": "List things", "security": [{"oidc": ["openid"]}],
            "responses": {"200": {"description": "ok"}}}}},
        "components": {"securitySchemes": {"oidc": {"type": "openIdConnect", "openIdConnectUrl": discovery.as_str()}}}
    });
    zorgtui::api::openapi::parse(document.to_string().as_bytes(), "things.json").unwrap()
}

fn dirs(root: &std::path::Path) -> AppDirs {
    AppDirs {
        config_file: root.join("config.toml"),
        data_dir: root.join("data"),
        state_dir: root.join("state"),
        cache_dir: root.join("cache"),
    }
}

/// The explorer as `zorgtui --spec things.json` starts it: the profile the spec chose, engines from a spawner.
fn explorer(profile: Profile, catalogue: zorgtui::api::Catalogue, dirs: &AppDirs, remembered: Remembered) -> Driver {
    let mut driver = Driver::new(profile, catalogue, Rect::new(0, 0, 160, 48));
    driver.remember_in(&dirs.data_dir, remembered);
    let spawner = AuthSpawner::new(driver.sender(), dirs.clone(), false);
    driver.use_spawner(spawner);
    driver.start();
    driver
}

fn remembered(dirs: &AppDirs) -> Remembered {
    Remembered::load(&dirs.data_dir.join(REMEMBERED_FILE)).unwrap()
}

async fn eventually_remembered(dirs: &AppDirs, done: impl Fn(&Remembered) -> bool) -> Remembered {
    let wait = async {
        loop {
            let now = remembered(dirs);
            if done(&now) {
                return now;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    };
    tokio::time::timeout(LIMIT, wait).await.expect("the answer was written in time")
}

fn waiting_url(state: &State) -> Option<Url> {
    match &state.auth {
        AuthStatus::WaitingForBrowser(pending) => Url::parse(&pending.authorize_url).ok(),
        _ => None,
    }
}

#[tokio::test]
async fn the_spec_signs_in_at_its_issuer_asks_once_and_sends_the_token_only_to_the_pair_confirmed() {
    let server = OidcServer::start(OidcOptions::default()).await;
    let api = recording_api().await;
    let root = tempfile::tempdir().unwrap();
    let dirs = dirs(root.path());
    let config = Config::parse("", &dirs.config_file).unwrap();
    let catalogue = spec(&api.base, &server.discovery_url());

    let (profile, _) = spec_profile::for_spec(&config, &catalogue, &Overrides::default(), &Remembered::default());
    assert_eq!(profile.api, api.base, "requests go to the spec's server, not the sandbox");
    assert_eq!(profile.issuer.trim_end_matches('/'), server.issuer().as_str().trim_end_matches('/'));
    assert_eq!(profile.origins.client_id, Origin::Missing);
    let mut driver = explorer(profile, catalogue.clone(), &dirs, Remembered::default());
    let tx = driver.sender();
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("(spec)") && screen.contains("client asked at sign-in"), "{screen}");
    let api_host = Url::parse(&api.base).unwrap().host_str().unwrap().to_string();
    assert!(screen.contains(&format!("Sign-in · spec → {api_host}")), "profile and API host in view: {screen}");

    // L asks for the client id first; typed once, the sign-in goes on with it.
    press(&tx, KeyCode::Char('L'));
    run_until(&mut driver, LIMIT, |s| s.question.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("needs the id of a client registered there"), "{screen}");
    type_keys(&tx, server.native_client_id());
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| waiting_url(s).is_some()).await;
    let authorize = waiting_url(&driver.state).unwrap();
    assert!(authorize.as_str().starts_with(server.issuer().as_str()), "signs in at the spec's issuer: {authorize}");
    let landed = Browser::new().login(&authorize, "alice").await.unwrap();
    Browser::new().fetch(&landed).await.unwrap();
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SignedIn(_))).await;
    let kept = eventually_remembered(&dirs, |r| r.api(&api.base).is_some_and(|a| a.client_id.is_some())).await;
    assert_eq!(kept.api(&api.base).unwrap().client_id.as_deref(), Some(server.native_client_id()));

    // The first send asks about the pair, both hosts on screen; no sends nothing.
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.question.is_some()).await;
    let screen = render(&driver.state, 160, 48);
    let issuer_host = server.issuer().host_str().unwrap().to_string();
    assert!(screen.contains("Send the token here?") && screen.contains(&issuer_host), "{screen}");
    press(&tx, KeyCode::Char('n'));
    run_until(&mut driver, LIMIT, |s| s.question.is_none()).await;
    assert!(render(&driver.state, 160, 48).contains("Not sent"), "said why");
    assert!(api.seen.lock().unwrap().is_empty(), "nothing went to the API");

    // Yes: the token goes, and the pair is remembered.
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.question.is_some()).await;
    press(&tx, KeyCode::Char('y'));
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let seen = api.seen.lock().unwrap().clone();
    assert_eq!(seen.len(), 1);
    assert!(seen[0].as_deref().is_some_and(|h| h.starts_with("Bearer ") && h.len() > 20), "{seen:?}");
    let kept = eventually_remembered(&dirs, |r| r.api(&api.base).is_some_and(|a| a.trusted_issuer.is_some())).await;
    assert_eq!(kept.api(&api.base).unwrap().trusted_issuer.as_deref(), Some(driver.state.profile.issuer.as_str()));
    let mode = std::fs::metadata(dirs.data_dir.join(REMEMBERED_FILE)).unwrap();
    assert_eq!(std::os::unix::fs::PermissionsExt::mode(&mode.permissions()) & 0o777, 0o600);
    driver.finish().await;

    // The next run: the client id and the pair come from what was said; the session is restored, and the send
    // goes at once.
    let (profile, _) = spec_profile::for_spec(&config, &catalogue, &Overrides::default(), &kept);
    assert_eq!((profile.client_id.as_str(), profile.origins.client_id), (server.native_client_id(), Origin::Asked));
    let mut driver = explorer(profile, catalogue, &dirs, kept);
    run_until(&mut driver, LIMIT, |s| matches!(s.auth, AuthStatus::SignedIn(_))).await;
    assert!(
        render(&driver.state, 160, 48).contains("(given here)")
            || driver.state.profile.origins.client_id == Origin::Asked
    );
    press(&driver.sender(), KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    assert!(driver.state.question.is_none());
    assert_eq!(api.seen.lock().unwrap().len(), 2);
    driver.finish().await;
}

#[tokio::test]
async fn a_spec_listing_the_sandbox_uses_the_sandbox_profile_and_asks_nothing() {
    let document =
        std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/zorgapis/openapi-v1beta2.yaml")).unwrap();
    let catalogue = zorgtui::api::openapi::parse(&document, "openapi-v1beta2.yaml").unwrap();
    let config = Config::parse("", std::path::Path::new("config.toml")).unwrap();
    let (profile, notices) = spec_profile::for_spec(&config, &catalogue, &Overrides::default(), &Remembered::default());
    assert_eq!(profile.name, "sandbox", "the sandbox first, though production is listed too");
    assert!(notices.is_empty());
    assert_eq!(profile.origins.api, Origin::Profile);
    let state = State::new(profile, catalogue, Rect::new(0, 0, 160, 48), zorgtui::testing::now());
    assert!(state.pair_trusted(), "a configured profile's pair needs no question");
}
