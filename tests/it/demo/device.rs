//! The device flow (RFC 8628) against the demo: pending, slow down, approval, denial and expiry, the waits on
//! tokio's paused clock, which the demo measures its intervals and lifetimes on.

use std::time::Duration;

use serde_json::Value;
use zorgtui::demo::{self, DemoOptions, DemoServers};

use super::{access_token, api_get, endpoint, http, json, start, token_request, within};

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";

fn quick() -> DemoOptions {
    DemoOptions { device_poll_interval: Duration::from_millis(500), ..DemoOptions::default() }
}

async fn device_authorization(demo: &DemoServers, scope: &str) -> Value {
    let form = [("client_id", demo.client_id()), ("scope", scope)];
    let response = within(http().post(endpoint(demo, "auth/device")).form(&form).send()).await.unwrap();
    assert_eq!(response.status(), 200);
    json(response).await
}

async fn poll(demo: &DemoServers, device: &Value) -> (u16, Value) {
    let device_code = device["device_code"].as_str().unwrap();
    token_request(demo, &[("grant_type", DEVICE_GRANT), ("client_id", demo.client_id()), ("device_code", device_code)])
        .await
}

fn error(reply: &(u16, Value)) -> (u16, &str) {
    (reply.0, reply.1["error"].as_str().unwrap_or("(none)"))
}

async fn pause(duration: Duration) {
    within(tokio::time::sleep(duration)).await;
}

#[tokio::test(start_paused = true)]
async fn device_flow_pending_slow_down_then_tokens() {
    let demo = start(quick()).await;
    let device = device_authorization(&demo, "openid users:read").await;
    let user_code = device["user_code"].as_str().unwrap();
    assert!(
        user_code.len() == 9
            && user_code.as_bytes()[4] == b'-'
            && user_code.replace('-', "").bytes().all(|b| b.is_ascii_uppercase()),
        "{user_code}"
    );
    let verification_uri = format!("{}/device", demo.issuer());
    assert_eq!(device["verification_uri"], verification_uri);
    assert_eq!(device["verification_uri_complete"], format!("{verification_uri}?user_code={user_code}"));
    assert_eq!(device["interval"], 1, "a 500 ms interval is announced as 1 s");
    assert_eq!(device["expires_in"], 600);

    // The page a person opens shows the code.
    let page = within(http().get(device["verification_uri_complete"].as_str().unwrap()).send()).await.unwrap();
    assert!(within(page.text()).await.unwrap().contains(user_code));

    assert_eq!(error(&poll(&demo, &device).await), (400, "authorization_pending"));
    assert_eq!(error(&poll(&demo, &device).await), (400, "slow_down"), "polled again at once");
    within(demo::approve_device(device["verification_uri_complete"].as_str().unwrap())).await.unwrap();
    pause(Duration::from_millis(550)).await;
    let (status, tokens) = poll(&demo, &device).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["scope"], "openid users:read");
    assert!(tokens["refresh_token"].is_string() && tokens["id_token"].is_string());
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 200);
    pause(Duration::from_millis(550)).await;
    assert_eq!(error(&poll(&demo, &device).await), (400, "invalid_grant"), "a device code is redeemed once");
}

#[tokio::test]
async fn denied_device_gets_access_denied() {
    let demo = start(quick()).await;
    let device = device_authorization(&demo, "openid").await;
    // As a person would: type the code in lower case, without the dash.
    let typed = device["user_code"].as_str().unwrap().replace('-', "").to_lowercase();
    let form = [("user_code", typed.as_str()), ("action", "deny")];
    let page = within(http().post(format!("{}/device", demo.issuer())).form(&form).send()).await.unwrap();
    assert_eq!(page.status(), 200);
    assert_eq!(error(&poll(&demo, &device).await), (400, "access_denied"));
}

#[tokio::test]
async fn unknown_user_code_is_explained_on_the_page() {
    let demo = start(quick()).await;
    let form = [("user_code", "BCDF-GHJK"), ("action", "approve")];
    let page = within(http().post(format!("{}/device", demo.issuer())).form(&form).send()).await.unwrap();
    assert_eq!(page.status(), 400);
    assert!(within(page.text()).await.unwrap().contains("not known"));
    let error = within(demo::approve_device(&format!("{}/device?user_code=BCDF-GHJK", demo.issuer()))).await;
    assert!(error.unwrap_err().to_string().contains("not known"));
}

#[tokio::test(start_paused = true)]
async fn expired_device_code_says_expired_token() {
    let demo = start(DemoOptions { device_code_ttl: Duration::from_millis(300), ..quick() }).await;
    let device = device_authorization(&demo, "openid").await;
    pause(Duration::from_millis(400)).await;
    assert_eq!(error(&poll(&demo, &device).await), (400, "expired_token"));
    let complete = device["verification_uri_complete"].as_str().unwrap();
    assert!(within(demo::approve_device(complete)).await.unwrap_err().to_string().contains("expired"));
}
