//! Lifetimes no clock can hold: an issuer (or a stored session) saying a token lives 10^19 seconds must neither
//! crash the engine nor leave it silent. They are capped at ten years, and the engine goes on as usual.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::secret::Secret;

use crate::support::engine::{Engine, config_at, stored, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};

/// 10^19 seconds: fits a u64, but no `SystemTime` or `Instant` can be that far ahead.
const HUGE: u64 = 10_000_000_000_000_000_000;
/// The cap, plus a day for a slow machine.
const CAP: Duration = Duration::from_secs(10 * 365 * 24 * 3600 + 24 * 3600);

/// An issuer that hands out `HUGE` lifetimes everywhere (and a poll interval of `u64::MAX` seconds).
async fn huge_issuer() -> FakeIssuer {
    FakeIssuer::start(FakeOptions {
        expires_in: HUGE,
        refresh_expires_in: Some(HUGE),
        device_expires_in: HUGE,
        device_interval: u64::MAX,
        ..FakeOptions::default()
    })
    .await
}

fn capped(at: SystemTime) -> bool {
    at <= SystemTime::now() + CAP
}

#[tokio::test]
async fn huge_lifetimes_from_the_issuer_are_capped() {
    let server = huge_issuer().await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
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
    assert!(server.requests()[1].contains("grant_type=refresh_token"), "{:?}", server.requests());
    engine.until("signed in after the refresh", |s| matches!(s, AuthStatus::SignedIn(_))).await;
    drop(engine);

    // And the saved session starts the next engine.
    let mut next = Engine::start(config);
    next.handle.send(AuthCommand::Restore);
    next.signed_in().await;
    assert_eq!(next.token().unwrap().expose(), "at-2");
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
        id_token: None,
        machine: false,
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

/// On the engine's own clock (tokio's, paused): a session that cannot be renewed ends when its token does, with no
/// real second waited for.
#[tokio::test]
async fn a_session_without_a_refresh_token_ends_on_the_engines_clock() {
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at("http://127.0.0.1:9/realms/none", "zorgtui", dir.path());
    config.clock = zorgtui::auth::Clock::tokio();
    let session = Session {
        refresh_token: None,
        ..crate::support::engine::session_for(&config.issuer, &config.client_id, 0, 3600)
    };
    let store = TokenStore::new(&config.store);
    within(within(store.lock()).await.unwrap().save(&session)).await.unwrap();
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Restore);
    engine.signed_in().await;
    assert!(engine.token().is_some());

    tokio::time::pause();
    tokio::time::advance(Duration::from_secs(3599)).await;
    tokio::task::yield_now().await;
    assert!(engine.token().is_some(), "a second to go");
    tokio::time::advance(Duration::from_secs(2)).await;
    let expired = engine.until("expired", |s| matches!(s, AuthStatus::Expired { .. })).await;
    assert_eq!(expired, AuthStatus::Expired { reason: "session expired — sign in again".into(), retrying: false });
    assert_eq!(engine.token(), None);
}
