//! Where the browser is sent back: a loopback listener on any port, a pasted https URL, refused redirect URIs,
//! the consent page, and how `offline_access` is narrowed.

use std::collections::HashMap;

use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use reqwest::StatusCode;
use tokio::net::TcpListener;

use super::{OidcOptions, SCOPE, authorize_url, exchange_code, pkce, query, start, text, within};
use crate::support::browser::Browser;

/// A stand-in for the product's loopback listener: answers `/callback` with the code it received.
async fn callback_listener() -> (String, tokio::task::JoinHandle<()>) {
    let listener = within(TcpListener::bind("127.0.0.1:0")).await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new().route(
        "/callback",
        get(|Query(params): Query<HashMap<String, String>>| async move {
            format!("received code {}", params.get("code").map_or("none", String::as_str))
        }),
    );
    let task = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    (format!("http://127.0.0.1:{port}/callback"), task)
}

#[tokio::test]
async fn loopback_redirect_on_any_port_reaches_the_listener() {
    let server = start(OidcOptions::default()).await;
    let (redirect_uri, listener) = callback_listener().await;
    let pkce = pkce();
    let url = authorize_url(&server, server.native_client_id(), &redirect_uri, SCOPE, &pkce);
    let browser = Browser::new();

    let landing = within(browser.login(&url, "alice")).await.unwrap();
    assert_eq!(landing.as_str().split('?').next(), Some(redirect_uri.as_str()), "{landing}");
    let code = query(&landing, "code").unwrap();
    let (status, body) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!((status, body), (StatusCode::OK, format!("received code {code}")));
    listener.abort();
}

#[tokio::test]
async fn paste_client_lands_on_its_https_redirect_without_fetching_it() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = server.paste_redirect_uri();
    let pkce = pkce();
    let url = authorize_url(&server, server.paste_client_id(), redirect_uri.as_str(), SCOPE, &pkce);

    let landing = within(Browser::new().login(&url, "carol")).await.unwrap();
    assert!(landing.as_str().starts_with("https://oauth.pstmn.io/v1/callback?code="), "{landing}");
    assert_eq!(query(&landing, "iss").as_deref(), Some(server.issuer().as_str()));

    let (status, tokens) =
        exchange_code(&server, server.paste_client_id(), &landing, redirect_uri.as_str(), &pkce.verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert!(!text(&tokens, "refresh_token").is_empty());
}

#[tokio::test]
async fn unregistered_redirects_are_refused_on_an_error_page() {
    let server = start(OidcOptions::default()).await;
    let refused = [
        (server.paste_client_id(), "http://127.0.0.1:50200/callback"),
        (server.native_client_id(), "http://127.0.0.1:50200/elsewhere"),
        (server.native_client_id(), "http://localhost:50200/callback"),
    ];
    for (client_id, redirect_uri) in refused {
        let url = authorize_url(&server, client_id, redirect_uri, SCOPE, &pkce());
        let error = within(Browser::new().login(&url, "alice")).await.unwrap_err().to_string();
        assert!(error.contains("answered 400"), "{client_id} {redirect_uri}: {error}");
        assert!(error.contains("error : invalid_redirect_uri"), "{client_id} {redirect_uri}: {error}");
    }
}

#[tokio::test]
async fn missing_pkce_is_sent_back_to_the_client() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50201/callback";
    let mut url = server.endpoint("auth");
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", server.native_client_id())
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", SCOPE)
        .append_pair("state", "s");
    let landing = within(Browser::new().login(&url, "alice")).await.unwrap();
    assert_eq!(query(&landing, "error").as_deref(), Some("invalid_request"), "{landing}");
    assert_eq!(
        query(&landing, "error_description").as_deref(),
        Some("Authorization Server policy requires PKCE to be used for this request")
    );
}

#[tokio::test]
async fn consent_client_passes_through_the_consent_page() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50202/callback";
    let pkce = pkce();
    let url = authorize_url(&server, server.consent_client_id(), redirect_uri, SCOPE, &pkce);

    let browser = Browser::new();
    let landing = within(browser.login(&url, "dave")).await.unwrap();
    assert_eq!(browser.prompts_answered(), ["login", "consent"]);
    let (status, tokens) =
        exchange_code(&server, server.consent_client_id(), &landing, redirect_uri, &pkce.verifier).await;
    assert_eq!(status, StatusCode::OK, "{tokens}");
    assert_eq!(tokens["scope"], SCOPE);
}

#[tokio::test]
async fn offline_access_is_dropped_unless_consent_is_prompted() {
    let server = start(OidcOptions::default()).await;
    let redirect_uri = "http://127.0.0.1:50203/callback";
    let browser = Browser::new();

    let pkce_plain = pkce();
    let plain = authorize_url(
        &server,
        server.native_client_id(),
        redirect_uri,
        "openid offline_access users:read",
        &pkce_plain,
    );
    let landing = within(browser.login(&plain, "erin")).await.unwrap();
    let (_, tokens) =
        exchange_code(&server, server.native_client_id(), &landing, redirect_uri, &pkce_plain.verifier).await;
    assert_eq!(tokens["scope"], "openid users:read", "silently narrowed: {tokens}");
    assert!(!text(&tokens, "refresh_token").is_empty(), "a refresh token all the same");

    let pkce_consent = pkce();
    let mut consent = authorize_url(
        &server,
        server.native_client_id(),
        redirect_uri,
        "openid offline_access users:read",
        &pkce_consent,
    );
    consent.query_pairs_mut().append_pair("prompt", "consent");
    let landing = within(browser.login(&consent, "erin")).await.unwrap();
    assert_eq!(browser.prompts_answered(), ["login", "consent"], "signed in once; consent asked when prompted");
    let (_, tokens) =
        exchange_code(&server, server.native_client_id(), &landing, redirect_uri, &pkce_consent.verifier).await;
    // The grant's order, not the request's: compare scope as a set.
    let mut granted: Vec<&str> = text(&tokens, "scope").split(' ').collect();
    granted.sort_unstable();
    assert_eq!(granted, ["offline_access", "openid", "users:read"], "{tokens}");
}
