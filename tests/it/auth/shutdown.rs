//! Quitting while a refresh is on its way: `AuthHandle::shutdown` (and the explorer's `Driver::finish`) waits for
//! it to save the rotated refresh token before the runtime goes, as `main` drops its runtime right after; the
//! wait is bounded.

use std::time::{Duration, Instant};

use zorgtui::auth::store::TokenStore;
use zorgtui::auth::{AuthCommand, AuthConfig, AuthStatus, SHUTDOWN_WAIT};
use zorgtui::secret::Secret;

use crate::support::drive::{driver_with_auth, profile, run_until};
use crate::support::engine::{Engine, STEP, config_at, stored, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};

/// Signs in on a runtime of its own, starts a refresh, shuts down while it waits for the issuer, then drops the
/// runtime as `main` does on exit. Returns how long the shutdown took.
fn quit_during_a_refresh(config: AuthConfig) -> Duration {
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
    let took = runtime.block_on(async {
        let mut engine = Engine::start(config);
        engine.handle.send(AuthCommand::StartDevice);
        engine.signed_in().await;
        engine.handle.send(AuthCommand::Refresh);
        engine.until("refreshing", |s| matches!(s, AuthStatus::Refreshing(_))).await;
        let Engine { handle, .. } = engine;
        let started = Instant::now();
        tokio::time::timeout(SHUTDOWN_WAIT * 2, handle.shutdown()).await.unwrap();
        started.elapsed()
    });
    drop(runtime);
    took
}

async fn setup(refresh_delay: Duration) -> (FakeIssuer, tempfile::TempDir, AuthConfig) {
    let server = FakeIssuer::start(FakeOptions { refresh_delay, ..FakeOptions::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    (server, dir, config)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quitting_during_a_refresh_keeps_the_rotated_refresh_token() {
    let (server, _dir, config) = setup(Duration::from_millis(800)).await;
    let engine_config = config.clone();
    let took = within(tokio::task::spawn_blocking(move || quit_during_a_refresh(engine_config))).await.unwrap();
    let saved = stored(&config).await.unwrap();
    assert_eq!(saved.refresh_token, Some(Secret::new("rt-2")), "the rotated refresh token is saved");
    assert_eq!(saved.access_token, Secret::new("at-2"));
    assert!(server.requests().iter().any(|r| r.contains("grant_type=refresh_token")));
    assert!(took >= Duration::from_millis(500), "the shutdown waited for the refresh: {took:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_wait_at_shutdown_is_bounded() {
    let (_server, _dir, config) = setup(SHUTDOWN_WAIT * 3).await;
    let took =
        tokio::time::timeout(SHUTDOWN_WAIT * 4, tokio::task::spawn_blocking(move || quit_during_a_refresh(config)))
            .await
            .unwrap()
            .unwrap();
    assert!(took >= SHUTDOWN_WAIT && took < SHUTDOWN_WAIT + Duration::from_secs(2), "{took:?}");
}

#[tokio::test]
async fn shutdown_with_nothing_on_its_way_is_prompt() {
    let (_server, _dir, config) = setup(Duration::ZERO).await;
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::StartDevice);
    engine.signed_in().await;
    let token = engine.handle.token();
    let Engine { handle, .. } = engine;
    let started = Instant::now();
    within(handle.shutdown()).await;
    assert!(started.elapsed() < Duration::from_secs(1), "{:?}", started.elapsed());
    assert!(token.has_changed().is_err(), "the engine has stopped");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_explorer_finishes_a_refresh_before_it_exits() {
    let (server, _dir, config) = setup(Duration::from_millis(1500)).await;
    // A stored session whose refresh is planned 1 s after start-up.
    let session = super::refresh::stored_session(&config, 0, 2);
    within(within(TokenStore::new(&config.store).lock()).await.unwrap().save(&session)).await.unwrap();
    let engine_config = config.clone();
    let api = server.issuer.clone();
    within(tokio::task::spawn_blocking(move || {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        runtime.block_on(async {
            let mut driver = driver_with_auth(profile(&api), engine_config, 100, 30);
            run_until(&mut driver, STEP, |s| matches!(s.auth, AuthStatus::SignedIn(_))).await;
            run_until(&mut driver, STEP, |s| matches!(s.auth, AuthStatus::Refreshing(_))).await;
            driver.finish().await;
        });
        drop(runtime);
    }))
    .await
    .unwrap();
    let saved = stored(&config).await.unwrap();
    assert_eq!(saved.refresh_token, Some(Secret::new("rt-1")), "the rotated refresh token is saved");
}
