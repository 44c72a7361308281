//! The device grant's polling where neither test server can be made to go: RFC 8628 3.5's `slow_down` (a small
//! fake issuer answers the first poll with it, and the next poll must come at least `interval + 5` seconds later),
//! and a person who never answers (polling stops when the device code expires). On tokio's paused clock: the fake
//! issuer runs on the test's own runtime, so the clock jumps only over the engine's pauses between polls.

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

/// How the fake issuer's token endpoint answers the device polls.
#[derive(Clone, Copy)]
enum Answers {
    /// `slow_down` to the first poll, tokens to the next.
    SlowDownThenTokens,
    /// `authorization_pending`, always.
    Pending,
}

async fn fake_issuer(answers: Answers, expires_in: u64) -> (String, Polls, tokio::task::JoinHandle<()>) {
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
        "expires_in": expires_in,
        "interval": 1,
    });
    let router = axum::Router::new()
        .route("/realms/fake/.well-known/openid-configuration", get(move || async move { Json(discovery) }))
        .route("/realms/fake/device", post(move || async move { Json(device) }))
        .route("/realms/fake/token", post(token))
        .with_state((Arc::clone(&polls), answers));
    let task = tokio::spawn(async move {
        axum::serve(listener, router).await.unwrap();
    });
    (issuer, polls, task)
}

async fn token(State((polls, answers)): State<(Polls, Answers)>) -> (axum::http::StatusCode, Json<Value>) {
    let count = {
        let mut polls = polls.lock().unwrap();
        polls.push(Instant::now());
        polls.len()
    };
    match answers {
        Answers::SlowDownThenTokens if count == 1 => {
            return (axum::http::StatusCode::BAD_REQUEST, Json(json!({"error": "slow_down"})));
        }
        Answers::SlowDownThenTokens => {}
        Answers::Pending => {
            return (axum::http::StatusCode::BAD_REQUEST, Json(json!({"error": "authorization_pending"})));
        }
    }
    let tokens = json!({"access_token": "at-1", "token_type": "Bearer", "expires_in": 300, "scope": "openid"});
    (axum::http::StatusCode::OK, Json(tokens))
}

#[tokio::test(start_paused = true)]
async fn slow_down_adds_five_seconds() {
    let (issuer, polls, server) = fake_issuer(Answers::SlowDownThenTokens, 60).await;
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

#[tokio::test(start_paused = true)]
async fn polling_stops_when_the_device_code_expires() {
    let (issuer, polls, server) = fake_issuer(Answers::Pending, 10).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    let mut engine = Engine::start(config);
    let started = Instant::now();
    engine.handle.send(AuthCommand::StartDevice);
    assert_eq!(engine.failed().await, "the device code expired before the sign-in was approved — start again");
    let polls = polls.lock().unwrap().clone();
    assert!((9..=10).contains(&polls.len()), "a poll a second for 10 s: {}", polls.len());
    assert!(polls.windows(2).all(|pair| pair[1] - pair[0] >= Duration::from_secs(1)), "{polls:?}");
    assert!(started.elapsed() <= Duration::from_secs(11), "gave up when the code expired: {:?}", started.elapsed());
    server.abort();
}
