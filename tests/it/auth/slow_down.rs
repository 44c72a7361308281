//! RFC 8628 3.5's `slow_down`, which neither test server sends on its own: a small fake issuer answers the first
//! poll with it, and the next poll must come at least `interval + 5` seconds later. On tokio's paused clock: the
//! fake issuer runs on the test's own runtime, so the clock jumps only over the engine's pauses between polls.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};
use tokio::time::Instant;
use zorgtui::auth::{AuthCommand, AuthStatus};

use crate::support::engine::{Engine, config_at};

type Polls = Arc<Mutex<Vec<Instant>>>;

async fn fake_issuer() -> (String, Polls, tokio::task::JoinHandle<()>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let issuer = format!("http://{}/realms/fake", listener.local_addr().unwrap());
    let polls: Polls = Arc::default();
    let discovery = json!({
        "issuer": issuer,
        "authorization_endpoint": format!("{issuer}/auth"),
        "token_endpoint": format!("{issuer}/token"),
        "device_authorization_endpoint": format!("{issuer}/device"),
        "code_challenge_methods_supported": ["S256"],
    });
    let device = json!({
        "device_code": "device-code-1",
        "user_code": "WDJB-MJHT",
        "verification_uri": format!("{issuer}/verify"),
        "expires_in": 60,
        "interval": 1,
    });
    let router = axum::Router::new()
        .route("/realms/fake/.well-known/openid-configuration", get(move || async move { Json(discovery) }))
        .route("/realms/fake/device", post(move || async move { Json(device) }))
        .route("/realms/fake/token", post(token))
        .with_state(Arc::clone(&polls));
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (issuer, polls, task)
}

async fn token(State(polls): State<Polls>) -> (axum::http::StatusCode, Json<Value>) {
    let count = {
        let mut polls = polls.lock().unwrap();
        polls.push(Instant::now());
        polls.len()
    };
    if count == 1 {
        return (axum::http::StatusCode::BAD_REQUEST, Json(json!({"error": "slow_down"})));
    }
    let tokens = json!({"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "scope": "openid"});
    (axum::http::StatusCode::OK, Json(tokens))
}

#[tokio::test(start_paused = true)]
async fn slow_down_adds_five_seconds() {
    let (issuer, polls, server) = fake_issuer().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    assert_eq!(prompt.user_code, "WDJB-MJHT");
    let info = tokio::time::timeout(Duration::from_secs(20), engine.signed_in()).await.unwrap();
    assert_eq!(info.scopes, vec!["openid".to_string()]);
    let polls = polls.lock().unwrap().clone();
    assert_eq!(polls.len(), 2);
    let gap = polls[1] - polls[0];
    assert!(gap >= Duration::from_secs(6), "after slow_down the interval is 1 + 5 s, waited {gap:?}");
    server.abort();
}
