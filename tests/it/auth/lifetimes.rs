//! Lifetimes no clock can hold: an issuer (or a stored session) saying a token lives 10^19 seconds must neither
//! crash the engine nor leave it silent. They are capped at ten years, and the engine goes on as usual.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};
use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::secret::Secret;

use crate::support::engine::{Engine, config_at, stored, within};

/// 10^19 seconds: fits a u64, but no `SystemTime` or `Instant` can be that far ahead.
const HUGE: u64 = 10_000_000_000_000_000_000;
/// The cap, plus a day for a slow machine.
const CAP: Duration = Duration::from_secs(10 * 365 * 24 * 3600 + 24 * 3600);

type Grants = Arc<Mutex<Vec<String>>>;

/// An issuer whose device and token endpoints hand out `HUGE` lifetimes everywhere (and a poll interval of
/// `u64::MAX` seconds); it approves at the first poll.
async fn fake_issuer() -> (String, Grants, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/realms/huge", listener.local_addr().unwrap());
    let grants: Grants = Arc::default();
    let discovery = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "device_authorization_endpoint": format!("{issuer}/device"),
        "code_challenge_methods_supported": ["S256"],
    });
    let device = json!({
        "device_code": "device-code-1",
        "user_code": "HUGE-LIFE",
        "verification_uri": format!("{issuer}/verify"),
        "expires_in": HUGE,
        "interval": u64::MAX,
    });
    let router = axum::Router::new()
        .route("/realms/huge/.well-known/openid-configuration", get(move || async move { Json(discovery) }))
        .route("/realms/huge/device", post(move || async move { Json(device) }))
        .route("/realms/huge/token", post(token))
        .with_state(Arc::clone(&grants));
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (issuer, grants, task)
}

async fn token(State(grants): State<Grants>, body: String) -> Json<Value> {
    let count = {
        let mut grants = grants.lock().unwrap();
        grants.push(body);
        grants.len()
    };
    Json(json!({
        "access_token": format!("at-{count}"),
        "token_type": "Bearer",
        "expires_in": HUGE,
        "refresh_token": format!("rt-{count}"),
        "refresh_expires_in": HUGE,
        "scope": "openid",
    }))
}

fn capped(at: SystemTime) -> bool {
    at <= SystemTime::now() + CAP
}

#[tokio::test]
async fn huge_lifetimes_from_the_issuer_are_capped() {
    let (issuer, grants, server) = fake_issuer().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    assert!(capped(prompt.expires_at), "{:?}", prompt.expires_at);

    let info = engine.signed_in().await;
    assert!(capped(info.access_expires_at) && info.access_expires_at > SystemTime::now() + Duration::from_secs(3600));
    assert!(info.refresh_expires_at.is_some_and(capped), "{:?}", info.refresh_expires_at);
    let saved = stored(&config).await.unwrap();
    assert!(capped(UNIX_EPOCH + Duration::from_secs(saved.access_expires_at)));

    // The engine is alive: a forced refresh gets another huge answer and stays signed in.
    let fresh = within(engine.handle.refresh_now()).await.unwrap();
    assert_eq!(fresh.expose(), "at-2");
    assert!(grants.lock().unwrap()[1].contains("grant_type=refresh_token"));
    engine.until("signed in after the refresh", |s| matches!(s, AuthStatus::SignedIn(_))).await;
    drop(engine);

    // And the saved session starts the next engine.
    let mut next = Engine::start(config);
    next.handle.send(AuthCommand::Restore);
    next.signed_in().await;
    assert_eq!(next.token().unwrap().expose(), "at-2");
    server.abort();
}

#[tokio::test]
async fn a_stored_session_with_huge_times_restores() {
    let dir = tempfile::tempdir().unwrap();
    // No issuer is asked: the stored token is fresh (for a very long time).
    let config = config_at("http://127.0.0.1:9/realms/none", "zorgtui", dir.path());
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let session = Session {
        format: 1,
        issuer: config.issuer.clone(),
        client_id: config.client_id.clone(),
        subject: "Huge".into(),
        scopes: vec!["openid".into()],
        access_token: Secret::new("stored-access"),
        access_expires_at: now + HUGE,
        obtained_at: now,
        refresh_token: Some(Secret::new("stored-refresh")),
        refresh_expires_at: Some(u64::MAX),
        last_refresh: Some(u64::MAX),
    };
    let store = TokenStore::new(&config.store);
    within(within(store.lock()).await.unwrap().save(&session)).await.unwrap();

    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Restore);
    let info = engine.signed_in().await;
    assert!(capped(info.access_expires_at), "{:?}", info.access_expires_at);
    assert!(info.refresh_expires_at.is_some_and(capped));
    assert!(info.last_refresh.is_some_and(|at| at <= SystemTime::now()), "{:?}", info.last_refresh);
    assert_eq!(engine.token().unwrap().expose(), "stored-access");
}
