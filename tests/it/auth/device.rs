//! The device authorization grant (RFC 8628), only when asked for.

use std::time::Duration;

use url::Url;
use zorgtui::auth::{AuthCommand, AuthStatus, DevicePrompt};

use super::server;
use crate::support::browser::Browser;
use crate::support::engine::{Engine, config, userinfo, within};
use crate::support::oidc::OidcOptions;

async fn device_prompt(engine: &mut Engine) -> DevicePrompt {
    match engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await {
        AuthStatus::WaitingForDevice(prompt) => prompt,
        _ => unreachable!(),
    }
}

#[tokio::test]
async fn the_device_grant_signs_in() {
    let server = server(OidcOptions::default().with_device_poll_interval(Duration::from_secs(1))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::StartDevice);
    let prompt = device_prompt(&mut engine).await;
    assert_eq!(prompt.user_code.len(), 9, "like ABCD-EFGH: {}", prompt.user_code);
    assert!(prompt.verification_uri_complete.is_some());
    assert!(prompt.expires_at > std::time::SystemTime::now() + Duration::from_secs(500));
    within(Browser::new().approve_device(&Url::parse(&prompt.verification_uri).unwrap(), &prompt.user_code, "lotte"))
        .await
        .unwrap();
    let info = engine.signed_in().await;
    assert_eq!(info.subject, "Test user lotte");
    let (status, _) = userinfo(&server, &engine.token().unwrap()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn the_browser_wait_can_switch_to_the_device_grant() {
    // No `interval` in the response: the RFC's 5 seconds between polls.
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    assert!(pending.device_available);
    engine.handle.send(AuthCommand::StartDevice);
    let prompt = device_prompt(&mut engine).await;
    let started = tokio::time::Instant::now();
    within(Browser::new().approve_device(&Url::parse(&prompt.verification_uri).unwrap(), &prompt.user_code, "max"))
        .await
        .unwrap();
    assert_eq!(engine.signed_in().await.subject, "Test user max");
    // First poll at once, the next ones 5 s apart: an approval right away is seen at the second poll.
    assert!(started.elapsed() >= Duration::from_secs(3), "polled faster than the default interval");
}

#[tokio::test]
async fn refusing_on_the_device_page_is_told() {
    let server = server(OidcOptions::default().with_device_poll_interval(Duration::from_secs(1))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::StartDevice);
    let prompt = device_prompt(&mut engine).await;
    within(Browser::new().deny_device(&Url::parse(&prompt.verification_uri).unwrap(), &prompt.user_code))
        .await
        .unwrap();
    assert_eq!(engine.failed().await, "sign-in was refused on the device page");
    assert_eq!(engine.token(), None);
}
