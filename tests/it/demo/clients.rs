//! The demo's confidential and machine clients on the wire: the secret by HTTP Basic or in the body, and refused
//! when missing, wrong or sent twice; client credentials for the machine client alone; revocation and
//! introspection only for the client's own tokens.

use base64::Engine as _;
use base64::engine::general_purpose::STANDARD;
use reqwest::header::WWW_AUTHENTICATE;
use serde_json::Value;
use zorgtui::demo::{CONFIDENTIAL_CLIENT_ID, DemoServers, MACHINE_CLIENT_ID};

use super::{
    access_token, api_get, authorize_url, endpoint, http, pkce, refresh_token, sign_in, start_default, within,
};

/// `POST` a form to one of the demo's endpoints, with HTTP Basic credentials if given.
async fn post(demo: &DemoServers, name: &str, basic: Option<(&str, &str)>, form: &[(&str, &str)]) -> (u16, Value) {
    let mut request = http().post(endpoint(demo, name)).form(form);
    if let Some((id, secret)) = basic {
        request = request.basic_auth(id, Some(secret));
    }
    let response = within(request.send()).await.unwrap();
    let status = response.status().as_u16();
    let text = within(response.text()).await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

#[tokio::test]
async fn the_machine_client_gets_a_token_for_itself_by_basic_or_in_the_body() {
    let demo = start_default().await;
    let secret = demo.client_secret().expose().to_owned();
    let grant = [("grant_type", "client_credentials"), ("scope", "openid organizations:read")];
    let (status, by_basic) = post(&demo, "token", Some((MACHINE_CLIENT_ID, &secret)), &grant).await;
    assert_eq!(status, 200, "{by_basic}");
    assert_eq!(by_basic["scope"], "organizations:read", "no person, so no openid");
    assert!(by_basic.get("refresh_token").is_none() && by_basic.get("id_token").is_none(), "{by_basic}");
    assert_eq!(api_get(&demo, "/organizations", access_token(&by_basic)).await.status(), 200);

    let in_body = [grant[0], grant[1], ("client_id", MACHINE_CLIENT_ID), ("client_secret", &secret)];
    let (status, body) = post(&demo, "token", None, &in_body).await;
    assert_eq!(status, 200, "{body}");
    assert_ne!(access_token(&body), access_token(&by_basic));
}

#[tokio::test]
async fn a_missing_wrong_or_doubled_secret_is_refused() {
    let demo = start_default().await;
    let secret = demo.client_secret().expose().to_owned();
    let grant = ("grant_type", "client_credentials");
    let (status, body) = post(&demo, "token", None, &[grant, ("client_id", MACHINE_CLIENT_ID)]).await;
    assert_eq!((status, body["error"].as_str()), (401, Some("invalid_client")), "no secret");
    let response = within(
        http().post(endpoint(&demo, "token")).basic_auth(MACHINE_CLIENT_ID, Some("wrong")).form(&[grant]).send(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers()[WWW_AUTHENTICATE].to_str().unwrap().starts_with("Basic "));
    let doubled = [grant, ("client_secret", secret.as_str())];
    let (status, body) = post(&demo, "token", Some((MACHINE_CLIENT_ID, &secret)), &doubled).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_request")), "two ways at once: {body}");
    // The secret is the one of this run: another run's does not open this one.
    let other = start_default().await;
    let theirs = other.client_secret().expose().to_owned();
    assert_ne!(theirs, secret);
    let (status, _) = post(&demo, "token", Some((CONFIDENTIAL_CLIENT_ID, &theirs)), &[grant]).await;
    assert_eq!(status, 401);
    let encoded = STANDARD.encode(format!("{MACHINE_CLIENT_ID}:{}", "x".repeat(4)));
    let response = within(
        http().post(endpoint(&demo, "token")).header("authorization", format!("Basic {encoded}")).form(&[grant]).send(),
    )
    .await
    .unwrap();
    assert_eq!(response.status(), 401);
}

#[tokio::test]
async fn each_client_keeps_to_its_grants() {
    let demo = start_default().await;
    let secret = demo.client_secret().expose().to_owned();
    let machine_grant = [("grant_type", "client_credentials"), ("client_id", "zorgtui-demo")];
    let (status, body) = post(&demo, "token", None, &machine_grant).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unauthorized_client")), "the public client");
    let (status, body) =
        post(&demo, "token", Some((CONFIDENTIAL_CLIENT_ID, &secret)), &[("grant_type", "client_credentials")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unauthorized_client")), "the confidential client");
    let (status, body) = post(&demo, "auth/device", Some((MACHINE_CLIENT_ID, &secret)), &[("scope", "openid")]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("unauthorized_client")), "no person, no device");

    // No sign-in page for the machine client, and never a redirect for it.
    let (_, challenge) = pkce();
    let url = authorize_url(&demo, "http://127.0.0.1:9/cb", &challenge, "openid", "s")
        .replace("client_id=zorgtui-demo", &format!("client_id={MACHINE_CLIENT_ID}"));
    let response = within(http().get(url).send()).await.unwrap();
    assert_eq!(response.status(), 400);
    assert!(within(response.text()).await.unwrap().contains("client credentials"));
}

#[tokio::test]
async fn revocation_and_introspection_are_for_the_clients_own_tokens() {
    let demo = start_default().await;
    let secret = demo.client_secret().expose().to_owned();
    let tokens = sign_in(&demo, "openid users:read").await;
    let public = ("client_id", "zorgtui-demo");

    let (status, answer) = post(&demo, "token/introspect", None, &[public, ("token", access_token(&tokens))]).await;
    assert_eq!(status, 200);
    assert_eq!((answer["active"].as_bool(), answer["client_id"].as_str()), (Some(true), Some("zorgtui-demo")));
    assert_eq!(answer["scope"], "openid users:read");
    assert!(answer["exp"].as_u64().is_some() && answer["sid"].is_string(), "{answer}");
    let (_, answer) = post(&demo, "token/introspect", None, &[public, ("token", refresh_token(&tokens))]).await;
    assert_eq!((answer["active"].as_bool(), answer["token_type"].as_str()), (Some(true), Some("Refresh")));
    // Another client learns nothing of it, and cannot revoke it.
    let (_, answer) =
        post(&demo, "token/introspect", Some((MACHINE_CLIENT_ID, &secret)), &[("token", access_token(&tokens))]).await;
    assert_eq!(answer, serde_json::json!({ "active": false }));
    let (status, body) =
        post(&demo, "revoke", Some((CONFIDENTIAL_CLIENT_ID, &secret)), &[("token", refresh_token(&tokens))]).await;
    assert_eq!((status, body["error"].as_str()), (400, Some("invalid_token")));
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 200, "still alive");

    // Its own client can: and then the token is dead for introspection too.
    let (status, _) = post(&demo, "revoke", None, &[public, ("token", refresh_token(&tokens))]).await;
    assert_eq!(status, 200);
    let (_, answer) = post(&demo, "token/introspect", None, &[public, ("token", access_token(&tokens))]).await;
    assert_eq!(answer["active"], false);
    let (_, answer) = post(&demo, "token/introspect", None, &[public, ("token", "never-issued")]).await;
    assert_eq!(answer["active"], false);
}
