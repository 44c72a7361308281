//! The device flow (RFC 8628) against the test server: polling, the person's approval or refusal.

use std::time::Duration;

use reqwest::StatusCode;
use serde_json::Value;
use url::Url;

use super::{OidcOptions, OidcServer, post_form, start, text, userinfo, within};
use crate::support::browser::Browser;

const DEVICE_GRANT: &str = "urn:ietf:params:oauth:grant-type:device_code";
/// Polls before giving up; the test server answers at once once approved, so few are needed.
const MAX_POLLS: usize = 50;

async fn authorize_device(server: &OidcServer) -> Value {
    let form = [("client_id", server.native_client_id()), ("scope", "openid users:read")];
    let (status, body) = post_form(server, "auth/device", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    body
}

async fn poll(server: &OidcServer, device_code: &str) -> (StatusCode, Value) {
    let form = [("grant_type", DEVICE_GRANT), ("client_id", server.native_client_id()), ("device_code", device_code)];
    post_form(server, "token", &form).await
}

#[tokio::test]
async fn device_flow_answers_pending_until_the_person_approves() {
    let server = start(OidcOptions::default()).await;
    let device = authorize_device(&server).await;
    let verification_uri = Url::parse(text(&device, "verification_uri")).unwrap();
    assert_eq!(verification_uri.as_str(), format!("{}/device", server.issuer()));
    let user_code = text(&device, "user_code");
    assert_eq!(device["verification_uri_complete"], format!("{verification_uri}?user_code={user_code}"));
    assert_eq!(device["expires_in"], 600);
    assert!(device.get("interval").is_none(), "oidc-provider sends no interval: {device}");
    let device_code = text(&device, "device_code");

    let (status, body) = poll(&server, device_code).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "authorization_pending", "{body}");

    let browser = Browser::new();
    within(browser.approve_device(&verification_uri, user_code, "bob")).await.unwrap();
    assert_eq!(browser.prompts_answered(), ["login"]);

    let mut tokens = None;
    for _ in 0..MAX_POLLS {
        let (status, body) = poll(&server, device_code).await;
        if status == StatusCode::OK {
            tokens = Some(body);
            break;
        }
        assert_eq!(body["error"], "authorization_pending", "{body}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let tokens = tokens.expect("tokens after approval");
    assert_eq!(tokens["scope"], "openid users:read");
    assert!(!text(&tokens, "refresh_token").is_empty());
    assert!(!text(&tokens, "id_token").is_empty());
    let (status, claims) = userinfo(&server, text(&tokens, "access_token")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(claims.contains("\"sub\":\"bob\""), "{claims}");

    let (status, body) = poll(&server, device_code).await;
    assert_eq!((status, &body["error"]), (StatusCode::BAD_REQUEST, &Value::from("invalid_grant")), "{body}");
}

#[tokio::test]
async fn device_flow_refused_by_the_person_gives_access_denied() {
    let server = start(OidcOptions::default().with_device_poll_interval(Duration::from_secs(1))).await;
    let device = authorize_device(&server).await;
    assert_eq!(device["interval"], 1, "the interval option is sent like Keycloak sends it");
    let verification_uri = Url::parse(text(&device, "verification_uri")).unwrap();

    within(Browser::new().deny_device(&verification_uri, text(&device, "user_code"))).await.unwrap();

    let (status, body) = poll(&server, text(&device, "device_code")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "access_denied", "{body}");
}

#[tokio::test]
async fn unknown_user_code_is_not_accepted() {
    let server = start(OidcOptions::default()).await;
    let verification_uri = Url::parse(&format!("{}/device", server.issuer())).unwrap();
    let error = within(Browser::new().approve_device(&verification_uri, "BCDF-GHJK", "bob")).await.unwrap_err();
    assert!(error.to_string().contains("BCDF-GHJK was not accepted"), "{error:#}");
}
