//! The engine against the offline demo's authorization server (what `zorgtui --demo` signs in to): its in-app
//! approval, refresh with rotation, the device grant, and a call to the demo API with the token.

use std::time::Duration;

use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::demo::{self, DemoOptions, DemoServers};

use crate::support::engine::{Engine, config_at, within};

async fn demo_servers(ttl: Duration) -> DemoServers {
    let options =
        DemoOptions { access_token_ttl: ttl, device_poll_interval: Duration::from_secs(1), ..DemoOptions::default() };
    within(demo::start(options)).await.unwrap()
}

fn demo_config(servers: &DemoServers, dir: &std::path::Path) -> zorgtui::auth::AuthConfig {
    let mut config = config_at(servers.issuer(), servers.client_id(), dir);
    config.scope = "openid offline_access users:read organizations:read".into();
    config
}

async fn users_me(servers: &DemoServers, token: &zorgtui::secret::Secret) -> u16 {
    let request = reqwest::Client::new().get(format!("{}/users/me", servers.api_base())).bearer_auth(token.expose());
    within(request.send()).await.unwrap().status().as_u16()
}

#[tokio::test]
async fn sign_in_refresh_and_call_the_demo() {
    let servers = demo_servers(Duration::from_secs(2)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(demo_config(&servers, dir.path()));
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    within(demo::approve(&pending.authorize_url)).await.unwrap();
    let info = engine.signed_in().await;
    assert_eq!(info.subject, "Demo User");
    let first = engine.token().unwrap();
    assert_eq!(users_me(&servers, &first).await, 200);

    let mut token = engine.handle.token();
    token.borrow_and_update();
    within(token.changed()).await.unwrap();
    let second = engine.token().unwrap();
    assert_ne!(second, first, "refreshed before the 2-second token died");
    assert_eq!(users_me(&servers, &second).await, 200);

    engine.handle.send(AuthCommand::Logout);
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(engine.token(), None);
}

#[tokio::test]
async fn the_demo_device_grant() {
    let servers = demo_servers(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(demo_config(&servers, dir.path()));
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    let complete = prompt.verification_uri_complete.expect("the demo sends the complete URI");
    within(demo::approve_device(&complete)).await.unwrap();
    engine.signed_in().await;
    assert_eq!(users_me(&servers, &engine.token().unwrap()).await, 200);
}
