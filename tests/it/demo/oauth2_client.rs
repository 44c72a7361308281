//! The `oauth2` crate (what the product's engine is built on) against the demo: the code flow with PKCE, a refresh,
//! and the device flow, so the demo is known to speak the dialect the engine expects.

use std::time::Duration;

use oauth2::basic::BasicClient;
use oauth2::{
    AuthUrl, AuthorizationCode, ClientId, CsrfToken, DeviceAuthorizationUrl, PkceCodeChallenge, RedirectUrl, Scope,
    StandardDeviceAuthorizationResponse, TokenResponse as _, TokenUrl,
};
use zorgtui::demo::{self, DemoOptions};

use super::{Callback, api_get, endpoint, http, start, start_default, within};

#[tokio::test]
async fn code_flow_and_refresh_with_the_oauth2_crate() {
    let demo = start_default().await;
    let mut callback = Callback::listen().await;
    let client = BasicClient::new(ClientId::new(demo.client_id().to_owned()))
        .set_auth_uri(AuthUrl::new(endpoint(&demo, "auth")).unwrap())
        .set_token_uri(TokenUrl::new(endpoint(&demo, "token")).unwrap())
        .set_redirect_uri(RedirectUrl::new(callback.redirect_uri.clone()).unwrap());
    let (challenge, verifier) = PkceCodeChallenge::new_random_sha256();
    let (url, state) = client
        .authorize_url(CsrfToken::new_random)
        .add_scope(Scope::new("openid".to_owned()))
        .add_scope(Scope::new("offline_access".to_owned()))
        .add_scope(Scope::new("organizations:read".to_owned()))
        .set_pkce_challenge(challenge)
        .url();
    within(demo::approve(url.as_str())).await.unwrap();
    let query = callback.next().await;
    assert_eq!(&query["state"], state.secret());

    let http = http();
    let exchange = client.exchange_code(AuthorizationCode::new(query["code"].clone())).set_pkce_verifier(verifier);
    let tokens = within(exchange.request_async(&http)).await.unwrap();
    assert_eq!(tokens.expires_in(), Some(Duration::from_secs(60)));
    let scopes: Vec<&str> = tokens.scopes().unwrap().iter().map(|scope| scope.as_str()).collect();
    assert_eq!(scopes, ["offline_access", "openid", "organizations:read"]);
    let organizations = api_get(&demo, "/organizations", tokens.access_token().secret()).await;
    assert_eq!(organizations.status(), 200);

    let refresh = tokens.refresh_token().unwrap();
    let refreshed = within(client.exchange_refresh_token(refresh).request_async(&http)).await.unwrap();
    assert_ne!(refreshed.refresh_token().unwrap().secret(), refresh.secret());
    assert!(within(client.exchange_refresh_token(refresh).request_async(&http)).await.is_err(), "rotated out");
}

#[tokio::test(start_paused = true)]
async fn device_flow_with_the_oauth2_crate() {
    let demo = start(DemoOptions { device_poll_interval: Duration::from_millis(100), ..DemoOptions::default() }).await;
    let client = BasicClient::new(ClientId::new(demo.client_id().to_owned()))
        .set_token_uri(TokenUrl::new(endpoint(&demo, "token")).unwrap())
        .set_device_authorization_url(DeviceAuthorizationUrl::new(endpoint(&demo, "auth/device")).unwrap());
    let http = http();
    let request = client.exchange_device_code().add_scope(Scope::new("users:read".to_owned()));
    let details: StandardDeviceAuthorizationResponse = within(request.request_async(&http)).await.unwrap();
    let complete = details.verification_uri_complete().unwrap().secret().clone();
    let approver = tokio::spawn(async move {
        // The person takes a moment before approving, so the client sees authorization_pending first.
        tokio::time::sleep(Duration::from_millis(300)).await;
        demo::approve_device(&complete).await
    });
    let polling = client.exchange_device_access_token(&details).request_async(&http, tokio::time::sleep, None);
    let tokens = within(polling).await.unwrap();
    within(approver).await.unwrap().unwrap();
    assert_eq!(api_get(&demo, "/users/me", tokens.access_token().secret()).await.status(), 200);
}
