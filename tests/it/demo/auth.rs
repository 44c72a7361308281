//! The demo authorization server: discovery, the code flow with PKCE through `demo::approve`, refresh rotation,
//! expiry, revocation, and the requests it must refuse.

use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use reqwest::header::{LOCATION, WWW_AUTHENTICATE};
use serde_json::Value;
use url::Url;
use zorgtui::demo::{self, DemoError, DemoOptions};

use super::{
    Callback, access_token, api_get, authorize_url, code_for, endpoint, http, json, pkce, redeem, refresh,
    refresh_token, sign_in, start, start_default, within,
};

#[tokio::test]
async fn discovery_has_keycloaks_layout() {
    let demo = start_default().await;
    assert!(demo.issuer().starts_with("http://127.0.0.1:") && demo.issuer().ends_with("/realms/demo"));
    assert!(demo.api_base().starts_with("http://127.0.0.1:") && demo.api_base().ends_with("/v1beta2"));
    assert_eq!(demo.client_id(), "zorgtui-demo");
    let url = format!("{}/.well-known/openid-configuration", demo.issuer());
    let doc: Value = json(within(http().get(url).send()).await.unwrap()).await;
    assert_eq!(doc["issuer"], demo.issuer());
    for (key, path) in [
        ("authorization_endpoint", "auth"),
        ("token_endpoint", "token"),
        ("revocation_endpoint", "revoke"),
        ("userinfo_endpoint", "userinfo"),
        ("device_authorization_endpoint", "auth/device"),
        ("end_session_endpoint", "logout"),
        ("introspection_endpoint", "token/introspect"),
        ("jwks_uri", "certs"),
    ] {
        assert_eq!(doc[key], endpoint(&demo, path), "{key}");
    }
    assert_eq!(doc["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    let grants = doc["grant_types_supported"].as_array().unwrap();
    assert!(grants.contains(&"urn:ietf:params:oauth:grant-type:device_code".into()));
    assert!(grants.contains(&"client_credentials".into()));
    let methods = serde_json::json!(["none", "client_secret_basic", "client_secret_post"]);
    assert_eq!(doc["token_endpoint_auth_methods_supported"], methods);
    assert_eq!(doc["id_token_signing_alg_values_supported"], serde_json::json!(["ES256"]));
    assert!(doc["scopes_supported"].as_array().unwrap().contains(&"organizations:read".into()));
}

#[tokio::test]
async fn code_flow_with_pkce_through_approve() {
    let demo = start_default().await;
    let mut callback = Callback::listen().await;
    let (verifier, challenge) = pkce();
    let url = authorize_url(&demo, &callback.redirect_uri, &challenge, "openid users:read unknown:scope", "xyz");
    within(demo::approve(&url)).await.unwrap();
    let query = callback.next().await;
    assert_eq!(query["state"], "xyz");
    assert_eq!(query["iss"], demo.issuer(), "RFC 9207 iss");
    let code = super::Approval { code: query["code"].clone(), verifier, redirect_uri: callback.redirect_uri.clone() };
    let (status, tokens) = redeem(&demo, &code).await;
    assert_eq!(status, 200, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 60);
    assert_eq!(tokens["refresh_expires_in"], 1800);
    assert_eq!(tokens["scope"], "openid users:read", "unknown scopes are dropped");
    assert!(access_token(&tokens).len() >= 22, "at least 128 bits");
    assert_ne!(access_token(&tokens), refresh_token(&tokens));

    let parts: Vec<&str> = tokens["id_token"].as_str().unwrap().split('.').collect();
    assert_eq!(parts.len(), 3);
    let claims: Value = serde_json::from_slice(&URL_SAFE_NO_PAD.decode(parts[1]).unwrap()).unwrap();
    assert_eq!(claims["iss"], demo.issuer());
    assert_eq!(claims["aud"], "zorgtui-demo");
    assert_eq!(claims["name"], "Demo User");
    assert_eq!(claims["preferred_username"], "demo");
    assert!(claims["exp"].as_u64().unwrap() > claims["iat"].as_u64().unwrap());

    let userinfo = within(http().get(endpoint(&demo, "userinfo")).bearer_auth(access_token(&tokens)).send());
    let userinfo = json(userinfo.await.unwrap()).await;
    assert_eq!(userinfo["sub"], claims["sub"]);
    let me = json(api_get(&demo, "/users/me", access_token(&tokens)).await).await;
    assert_eq!(me["name"], "Demo User");
    assert_eq!(me["id"], claims["sub"]);
}

#[tokio::test]
async fn offline_access_gets_a_refresh_token_that_keycloak_reports_as_0() {
    let demo = start_default().await;
    let tokens = sign_in(&demo, "openid offline_access").await;
    assert_eq!(tokens["refresh_expires_in"], 0);
}

#[tokio::test]
async fn wrong_verifier_is_refused_and_spends_the_code() {
    let demo = start_default().await;
    let mut code = code_for(&demo, "openid").await;
    let right = std::mem::replace(&mut code.verifier, pkce().0);
    let (status, body) = redeem(&demo, &code).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "{body}");
    code.verifier = right;
    let (status, body) = redeem(&demo, &code).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")), "a code is tried once");
}

#[tokio::test]
async fn code_reuse_is_refused_and_revokes_what_the_code_bought() {
    let demo = start_default().await;
    let code = code_for(&demo, "openid users:read").await;
    let (status, tokens) = redeem(&demo, &code).await;
    assert_eq!(status, 200);
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 200);
    let (status, body) = redeem(&demo, &code).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 401);
    assert_eq!(refresh(&demo, refresh_token(&tokens)).await.0, 400);
}

#[tokio::test]
async fn redirect_uri_must_match_the_authorization_request() {
    let demo = start_default().await;
    let mut code = code_for(&demo, "openid").await;
    code.redirect_uri = code.redirect_uri.replace("/callback", "/other");
    let (status, body) = redeem(&demo, &code).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
}

#[tokio::test]
async fn refresh_rotates_and_reuse_revokes_the_family() {
    let demo = start_default().await;
    let first = sign_in(&demo, "openid users:read").await;
    let (status, second) = refresh(&demo, refresh_token(&first)).await;
    assert_eq!(status, 200, "{second}");
    assert_ne!(refresh_token(&second), refresh_token(&first), "rotated");
    assert_ne!(access_token(&second), access_token(&first));
    assert!(second["id_token"].is_string());
    assert_eq!(api_get(&demo, "/users/me", access_token(&second)).await.status(), 200);

    // The old refresh token again: refused, and the whole family with it (RFC 9700 §4.14.2).
    let (status, body) = refresh(&demo, refresh_token(&first)).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_grant")));
    assert_eq!(refresh(&demo, refresh_token(&second)).await.0, 400, "the newest refresh token is revoked too");
    assert_eq!(api_get(&demo, "/users/me", access_token(&second)).await.status(), 401);
}

#[tokio::test]
async fn refresh_may_narrow_scope_but_not_widen_it() {
    let demo = start_default().await;
    let tokens = sign_in(&demo, "openid users:read organizations:read").await;
    let form = |scope| {
        [
            ("grant_type", "refresh_token"),
            ("client_id", "zorgtui-demo"),
            ("refresh_token", refresh_token(&tokens)),
            ("scope", scope),
        ]
    };
    let (status, body) = super::token_request(&demo, &form("openid users:write")).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_scope")));
    // Asking too much did not spend the refresh token.
    let (status, body) = super::token_request(&demo, &form("users:read")).await;
    assert_eq!((status, body["scope"].as_str()), (200, Some("users:read")));
    assert_eq!(api_get(&demo, "/organizations", access_token(&body)).await.status(), 403);
}

#[tokio::test(start_paused = true)]
async fn access_tokens_expire() {
    let demo = start(DemoOptions { access_token_ttl: Duration::from_millis(700), ..DemoOptions::default() }).await;
    let tokens = sign_in(&demo, "openid users:read").await;
    assert_eq!(tokens["expires_in"], 1, "sub-second lifetimes are announced as 1 s");
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 200);
    within(tokio::time::sleep(Duration::from_millis(900))).await;
    let expired = api_get(&demo, "/users/me", access_token(&tokens)).await;
    assert_eq!(expired.status(), 401);
    let challenge = expired.headers()[WWW_AUTHENTICATE].to_str().unwrap().to_owned();
    assert!(challenge.starts_with("Bearer ") && challenge.contains("error=\"invalid_token\""), "{challenge}");
    let body = json(expired).await;
    assert_eq!((body["status"].as_u64(), body["type"].as_str()), (Some(401), Some("UNAUTHENTICATED")));
    // The refresh token still works: that is what the short lifetime is there to show.
    let (status, _) = refresh(&demo, refresh_token(&tokens)).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn revocation_always_answers_200_and_revokes() {
    let demo = start_default().await;
    let tokens = sign_in(&demo, "openid users:read").await;
    let url = endpoint(&demo, "revoke");
    let revoke = async |token: String| {
        let form = [("token", token), ("client_id", "zorgtui-demo".to_owned())];
        within(http().post(&url).form(&form).send()).await.unwrap().status()
    };
    assert_eq!(revoke(access_token(&tokens).to_owned()).await, 200);
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 401);
    assert_eq!(revoke(refresh_token(&tokens).to_owned()).await, 200);
    assert_eq!(refresh(&demo, refresh_token(&tokens)).await.0, 400);
    assert_eq!(revoke("never-issued".to_owned()).await, 200, "RFC 7009: unknown tokens too");
}

#[tokio::test]
async fn bad_requests_get_a_page_not_a_redirect() {
    let demo = start_default().await;
    let (_, challenge) = pkce();
    for redirect in ["https://evil.example/callback", "http://evil.example/cb", "http://127.0.0.1:1/cb#frag"] {
        let url = authorize_url(&demo, redirect, &challenge, "openid", "s");
        let response = within(http().get(&url).send()).await.unwrap();
        assert_eq!(response.status(), 400, "{redirect}");
        assert!(response.headers().get(LOCATION).is_none());
        let html = within(response.text()).await.unwrap();
        assert!(html.contains("redirect_uri"), "{html}");
        // approve() reports the page's reason instead of following anything.
        let error = within(demo::approve(&url)).await.unwrap_err();
        assert!(error.to_string().contains("loopback"), "{error}");
    }
    let unknown_client = authorize_url(&demo, "http://127.0.0.1:1/cb", &challenge, "openid", "s")
        .replace("client_id=zorgtui-demo", "client_id=someone-else");
    assert_eq!(within(http().get(unknown_client).send()).await.unwrap().status(), 400);
}

#[tokio::test]
async fn other_mistakes_go_back_to_the_client_with_state_and_iss() {
    let demo = start_default().await;
    let url = authorize_url(&demo, "http://localhost:9/cb", "", "openid", "s1");
    let response = within(http().get(&url).send()).await.unwrap();
    assert_eq!(response.status(), 303);
    let location = Url::parse(response.headers()[LOCATION].to_str().unwrap()).unwrap();
    assert_eq!((location.host_str(), location.port(), location.path()), (Some("localhost"), Some(9), "/cb"));
    let query: std::collections::HashMap<_, _> = location.query_pairs().into_owned().collect();
    assert_eq!(query["error"], "invalid_request");
    assert_eq!(query["state"], "s1");
    assert_eq!(query["iss"], demo.issuer());
}

#[tokio::test]
async fn deny_sends_access_denied() {
    let demo = start_default().await;
    let (_, challenge) = pkce();
    let url = authorize_url(&demo, "http://[::1]:9/cb", &challenge, "openid", "s2");
    let page = within(within(http().get(&url).send()).await.unwrap().text()).await.unwrap();
    assert!(page.contains("Sign in to the zorgtui demo") && page.contains("Demo User"));
    let session = page.split("name=\"session\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let action = format!("{}/login-actions/authenticate", demo.issuer());
    let form = [("session", session), ("action", "deny")];
    let response = within(http().post(action).form(&form).send()).await.unwrap();
    assert_eq!(response.status(), 303);
    let location = response.headers()[LOCATION].to_str().unwrap();
    assert!(location.starts_with("http://[::1]:9/cb?error=access_denied&"), "{location}");
    assert!(location.contains("state=s2"));
}

#[tokio::test]
async fn approve_fetches_only_loopback_urls() {
    let error = within(demo::approve("https://auth.sandbox.zorgapis.nl/realms/zorgapis/protocol/openid-connect/auth"))
        .await
        .unwrap_err();
    assert!(matches!(error, DemoError::NotLoopback(_)), "{error}");
    assert!(!error.to_string().contains("/realms/"), "the refused URL is named by its origin only: {error}");
}

#[tokio::test]
async fn fixed_ports_are_used_and_freed_on_shutdown() {
    let first = start_default().await;
    let (auth_port, api_port) = (first.auth_addr().port(), first.api_addr().port());
    within(first.shutdown()).await;
    let options = DemoOptions { auth_port: Some(auth_port), api_port: Some(api_port), ..DemoOptions::default() };
    let again = start(options.clone()).await;
    assert_eq!(again.issuer(), format!("http://127.0.0.1:{auth_port}/realms/demo"));
    assert_eq!(again.api_base(), format!("http://127.0.0.1:{api_port}/v1beta2"));
    // Taken ports are reported, naming the server.
    let error = within(demo::start(options)).await.unwrap_err();
    assert!(matches!(error, DemoError::Bind { server: "authorization server", .. }), "{error}");
    // Dropping stops the servers too: the port comes free without anyone awaiting anything.
    drop(again);
    within(async {
        while std::net::TcpListener::bind(("127.0.0.1", auth_port)).is_err() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await;
}
