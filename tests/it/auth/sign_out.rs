//! Signing out while the person already does the next thing: a sign-out that ends late must not close the sign-in
//! window opened after it. On tokio's paused clock (the fake issuer runs on the test's runtime): the slow
//! revocation takes no real time, and the last pause lasts until the engine has nothing left to do.

use std::time::Duration;

use zorgtui::auth::{AuthCommand, AuthStatus};

use crate::support::engine::{Engine, config_at, stored, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};

#[tokio::test(start_paused = true)]
async fn signing_in_right_after_signing_out_keeps_the_sign_in_window() {
    // Revocation takes a while, so the new sign-in is waiting for the browser before the sign-out ends.
    let server =
        FakeIssuer::start(FakeOptions { revoke_delay: Duration::from_millis(1500), ..FakeOptions::default() }).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::StartDevice);
    engine.signed_in().await;

    engine.handle.send(AuthCommand::Logout);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    engine.waiting_for_browser().await;
    assert!(!server.requests().iter().any(|r| r.starts_with("/revoke")), "the sign-out is still on its way");

    // The sign-out ends: revoked, and the store (locked until then) emptied.
    within(async {
        while !server.requests().iter().any(|r| r.starts_with("/revoke")) {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    })
    .await;
    assert!(stored(&config).await.is_none());
    tokio::time::sleep(Duration::from_millis(300)).await;
    let status = engine.handle.status();
    assert!(matches!(status, AuthStatus::WaitingForBrowser(_)), "the sign-in window was replaced: {status:?}");
    assert_eq!(engine.token(), None);
}
