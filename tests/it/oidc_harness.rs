//! Proves the test authorization server and the scripted browser with plain reqwest, before any product code
//! uses them: Keycloak's layout, code + PKCE, refresh rotation, expiry, revocation, device flow, cancel.

#![allow(clippy::unwrap_used)] // Tests may unwrap: a panic is the failure report.

mod device;
mod process;
mod redirects;

use std::future::Future;
use std::time::Duration;

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::distributions::{Alphanumeric, DistString};
use reqwest::StatusCode;
use serde_json::Value;
use sha2::{Digest, Sha256};
use url::Url;

use crate::support::browser::Browser;
use crate::support::oidc::{OidcOptions, OidcServer};

/// Upper bound for any single step against the local server.
const STEP: Duration = Duration::from_secs(15);
const SCOPE: &str = "openid profile email users:read organizations:read";

async fn within<T>(step: impl Future<Output = T>) -> T {
    tokio::time::timeout(STEP, step).await.expect("step timed out")
}

async fn start(options: OidcOptions) -> OidcServer {
    within(OidcServer::start(options)).await
}

struct Pkce {
    verifier: String,
    challenge: String,
}

fn pkce() -> Pkce {
    let verifier = Alphanumeric.sample_string(&mut rand::thread_rng(), 64);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    Pkce { verifier, challenge }
}

fn authorize_url(server: &OidcServer, client_id: &str, redirect_uri: &str, scope: &str, pkce: &Pkce) -> Url {
    let mut url = server.endpoint("auth");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", client_id)
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", scope)
        .append_pair("state", "state-123")
        .append_pair("code_challenge", &pkce.challenge)
        .append_pair("code_challenge_method", "S256");
    url
}

fn query(url: &Url, name: &str) -> Option<String> {
    url.query_pairs().find(|(key, _)| key == name).map(|(_, value)| value.into_owned())
}

async fn post_form(server: &OidcServer, endpoint: &str, form: &[(&str, &str)]) -> (StatusCode, Value) {
    let response = within(reqwest::Client::new().post(server.endpoint(endpoint)).form(form).send()).await.unwrap();
    let status = response.status();
    let body = within(response.text()).await.unwrap();
    (status, serde_json::from_str(&body).unwrap_or(Value::String(body)))
}

async fn exchange_code(
    server: &OidcServer,
    client_id: &str,
    landing: &Url,
    redirect_uri: &str,
    verifier: &str,
) -> (StatusCode, Value) {
    let code = query(landing, "code").expect("a code in the redirect");
    let form = [
        ("grant_type", "authorization_code"),
        ("client_id", client_id),
        ("code", &code),
        ("redirect_uri", redirect_uri),
        ("code_verifier", verifier),
    ];
    post_form(server, "token", &form).await
}

async fn refresh(server: &OidcServer, refresh_token: &str) -> (StatusCode, Value) {
    let form =
        [("grant_type", "refresh_token"), ("client_id", server.native_client_id()), ("refresh_token", refresh_token)];
    post_form(server, "token", &form).await
}

async fn userinfo(server: &OidcServer, access_token: &str) -> (StatusCode, String) {
    let request = reqwest::Client::new().get(server.endpoint("userinfo")).bearer_auth(access_token);
    let response = within(request.send()).await.unwrap();
    let status = response.status();
    (status, within(response.text()).await.unwrap())
}

fn text<'a>(body: &'a Value, field: &str) -> &'a str {
    body[field].as_str().unwrap_or_else(|| panic!("no string {field} in {body}"))
}

/// Signs in with the native client through the whole code + PKCE flow; returns the token response.
async fn sign_in(server: &OidcServer, scope: &str) -> Value {
    let redirect_uri = "http://127.0.0.1:49152/callback";
    let pkce = pkce();
    let url = authorize_url(server, server.native_client_id(), redirect_uri, scope, &pkce);
    let landing = within(Browser::new().login(&url, "alice")).await.unwrap();
    let (status, tokens) =
        exchange_code(server, server.native_client_id(), &landing, redirect_uri, &pkce.verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    tokens
}

#[tokio::test]
async fn discovery_has_keycloak_layout() {
    let server = start(OidcOptions::default()).await;
    let issuer = server.issuer().as_str().to_owned();
    assert!(issuer.starts_with("http://127.0.0.1:") && issuer.ends_with("/realms/zorgapis"), "{issuer}");

    let response = within(reqwest::get(server.discovery_url())).await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let discovery: Value = within(response.json()).await.unwrap();
    assert_eq!(discovery["issuer"], issuer.as_str());
    let endpoints = [
        ("authorization_endpoint", "auth"),
        ("token_endpoint", "token"),
        ("revocation_endpoint", "revoke"),
        ("device_authorization_endpoint", "auth/device"),
        ("userinfo_endpoint", "userinfo"),
        ("jwks_uri", "certs"),
    ];
    for (field, path) in endpoints {
        assert_eq!(discovery[field], format!("{issuer}/protocol/openid-connect/{path}"), "{field}");
    }
    assert_eq!(discovery["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(discovery["authorization_response_iss_parameter_supported"], true);
    let scopes = discovery["scopes_supported"].as_array().unwrap();
    for scope in ["openid", "offline_access", "users:read", "api-specifications:write"] {
        assert!(scopes.contains(&Value::from(scope)), "{scope} missing from {scopes:?}");
    }
}

#[tokio::test]
async fn code_flow_with_pkce_gives_tokens_that_userinfo_accepts() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50123/callback";
    let pkce = pkce();
    let url = authorize_url(&server, server.native_client_id(), redirect_uri, SCOPE, &pkce);

    let browser = Browser::new();
    let landing = within(browser.login(&url, "alice")).await.unwrap();
    assert_eq!(browser.prompts_answered(), ["login"], "consent is skipped for the native client");
    assert_eq!(landing.as_str().split('?').next(), Some(redirect_uri), "{landing}");
    assert_eq!(query(&landing, "state").as_deref(), Some("state-123"));
    assert_eq!(query(&landing, "iss").as_deref(), Some(server.issuer().as_str()));

    let (status, tokens) =
        exchange_code(&server, server.native_client_id(), &landing, redirect_uri, &pkce.verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["token_type"], "Bearer");
    assert_eq!(tokens["expires_in"], 5);
    assert_eq!(tokens["scope"], SCOPE);
    assert!(tokens.get("refresh_expires_in").is_none(), "oidc-provider does not say when refresh tokens end");
    for field in ["access_token", "refresh_token", "id_token"] {
        assert!(!text(&tokens, field).is_empty(), "{field}");
    }

    let (status, body) = userinfo(&server, text(&tokens, "access_token")).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    let claims: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(claims["sub"], "alice");
    assert_eq!(claims["email"], "alice@example.test");
}

#[tokio::test]
async fn wrong_code_verifier_is_refused() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50124/callback";
    let pkce = pkce();
    let url = authorize_url(&server, server.native_client_id(), redirect_uri, SCOPE, &pkce);
    let landing = within(Browser::new().login(&url, "alice")).await.unwrap();

    let wrong = self::pkce().verifier;
    let (status, body) = exchange_code(&server, server.native_client_id(), &landing, redirect_uri, &wrong).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");
    assert_eq!(body["error_description"], "grant request is invalid");
}

#[tokio::test]
async fn refresh_rotates_and_a_reused_refresh_token_ends_the_grant() {
    let server = start(OidcOptions::default()).await;
    let first = sign_in(&server, SCOPE).await;
    let old = text(&first, "refresh_token");

    let (status, second) = refresh(&server, old).await;
    assert_eq!(status, StatusCode::OK, "{second}");
    let rotated = text(&second, "refresh_token");
    assert_ne!(rotated, old, "refresh tokens rotate");
    assert_eq!(second["scope"], SCOPE);
    assert!(second.get("id_token").is_some(), "a refresh also returns an id_token");

    let (status, body) = refresh(&server, old).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");

    // Reuse is taken as theft: the whole grant is revoked, the rotated token and its access token too.
    let (status, body) = refresh(&server, rotated).await;
    assert_eq!((status, &body["error"]), (StatusCode::BAD_REQUEST, &Value::from("invalid_grant")), "{body}");
    let (status, _) = userinfo(&server, text(&second, "access_token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn expired_access_token_is_refused_and_refresh_still_works() {
    // Three seconds: long enough to be used once on a busy machine, short enough to wait out.
    let server = start(OidcOptions::default().with_access_token_ttl(Duration::from_secs(3))).await;
    let tokens = sign_in(&server, SCOPE).await;
    assert_eq!(tokens["expires_in"], 3);
    let (status, _) = userinfo(&server, text(&tokens, "access_token")).await;
    assert_eq!(status, StatusCode::OK);

    tokio::time::sleep(Duration::from_millis(4200)).await;
    let request = reqwest::Client::new().get(server.endpoint("userinfo")).bearer_auth(text(&tokens, "access_token"));
    let response = within(request.send()).await.unwrap();
    assert_eq!(response.status(), StatusCode::UNAUTHORIZED);
    let challenge = response.headers()["www-authenticate"].to_str().unwrap().to_owned();
    assert!(challenge.contains("error=\"invalid_token\""), "{challenge}");
    let body: Value = within(response.json()).await.unwrap();
    assert_eq!(body["error"], "invalid_token", "{body}");

    let (status, renewed) = refresh(&server, text(&tokens, "refresh_token")).await;
    assert_eq!(status, StatusCode::OK, "{renewed}");
    let (status, _) = userinfo(&server, text(&renewed, "access_token")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn expired_refresh_token_is_refused() {
    let options = OidcOptions::default().with_refresh_token_ttl(Duration::from_secs(1));
    let server = start(options).await;
    let tokens = sign_in(&server, SCOPE).await;

    tokio::time::sleep(Duration::from_millis(2200)).await;
    let (status, body) = refresh(&server, text(&tokens, "refresh_token")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");
}

#[tokio::test]
async fn revoked_refresh_token_is_refused() {
    let server = start(OidcOptions::default()).await;
    let tokens = sign_in(&server, SCOPE).await;
    let refresh_token = text(&tokens, "refresh_token");

    let form =
        [("client_id", server.native_client_id()), ("token", refresh_token), ("token_type_hint", "refresh_token")];
    let (status, body) = post_form(&server, "revoke", &form).await;
    assert_eq!(status, StatusCode::OK, "{body}");
    assert_eq!(body, Value::String(String::new()), "revocation answers 200 with an empty body");

    let (status, body) = refresh(&server, refresh_token).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["error"], "invalid_grant", "{body}");
    // Revoking the refresh token revokes its grant, so the access token dies with it.
    let (status, _) = userinfo(&server, text(&tokens, "access_token")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn cancelling_sign_in_redirects_with_access_denied() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50125/callback";
    let url = authorize_url(&server, server.native_client_id(), redirect_uri, SCOPE, &pkce());

    let landing = within(Browser::new().deny(&url)).await.unwrap();
    assert_eq!(landing.as_str().split('?').next(), Some(redirect_uri), "{landing}");
    assert_eq!(query(&landing, "error").as_deref(), Some("access_denied"));
    assert_eq!(query(&landing, "error_description").as_deref(), Some("End-User aborted interaction"));
    assert_eq!(query(&landing, "state").as_deref(), Some("state-123"));
    assert_eq!(query(&landing, "iss").as_deref(), Some(server.issuer().as_str()));
    assert_eq!(query(&landing, "code"), None);
}

#[tokio::test]
async fn deny_fails_when_there_is_nothing_to_cancel() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50126/callback";
    let browser = Browser::new();
    let url = authorize_url(&server, server.native_client_id(), redirect_uri, SCOPE, &pkce());
    within(browser.login(&url, "alice")).await.unwrap();

    // Signed in, consent skipped: a second authorization goes straight back with a code (single sign-on).
    let again = authorize_url(&server, server.native_client_id(), redirect_uri, SCOPE, &pkce());
    let error = within(browser.deny(&again)).await.unwrap_err().to_string();
    assert!(error.contains("no sign-in page to cancel") && error.contains("code="), "{error}");
}
