//! Every body zorgtui reads is bounded while it streams, after decompression: what a hostile server sends (a small
//! gzip stream that inflates without end, a body without end) stops at the limit of its kind, with a message that
//! names the limit and how to raise it; a body that keeps flowing is never "no response"; one that stops is told
//! apart from one that never started.

use std::time::Duration;

use url::Url;
use zorgtui::api::Method;
use zorgtui::api::client::send;
use zorgtui::api::request::PreparedRequest;
use zorgtui::auth::AuthError;
use zorgtui::auth::client_auth::ClientAuth;
use zorgtui::auth::discovery::{Metadata, discover};
use zorgtui::config::Limits;
use zorgtui::http::{BodyKind, Http, HttpSettings, Purpose, SendError};
use zorgtui::secret::Secret;

use crate::support::engine::within;
use crate::support::hostile::{Answer, Hostile};

fn http(limits: Limits, timeout: Duration) -> Http {
    Http::new(&HttpSettings { ca_file: None, timeout: Some(timeout), limits }, Purpose::Api).unwrap()
}

fn small() -> Limits {
    Limits { auth_response: 64 << 10, document: 2 << 20, body_memory: 1 << 20, body_disk: 4 << 20 }
}

fn get(url: String) -> PreparedRequest {
    PreparedRequest { method: Method::Get, url, headers: vec![], body: None, with_token: false, credentials: None }
}

#[tokio::test]
async fn an_api_body_stops_at_the_disk_cap_however_it_is_encoded() {
    for answer in [Answer::GzipBomb, Answer::Endless] {
        let server = Hostile::start(answer).await;
        let error =
            within(send(&http(small(), Duration::from_secs(10)), &get(server.url("/v1/x")), None)).await.unwrap_err();
        assert_eq!(
            error,
            SendError::TooLarge { host: server.addr.to_string(), kind: BodyKind::Api, limit: 4 << 20 },
            "{answer:?}"
        );
        let text = error.to_string();
        assert!(text.contains("larger than 4.0 MB") && text.contains("raise body_disk_cap_mb"), "{text}");
    }
}

#[tokio::test]
async fn a_body_that_keeps_flowing_is_not_called_no_response() {
    let server = Hostile::start(Answer::Trickle { every: Duration::from_millis(100), pieces: 15 }).await;
    // Each piece comes well within the timeout, the whole body well after it.
    let response =
        within(send(&http(small(), Duration::from_millis(600)), &get(server.url("/x")), None)).await.unwrap();
    assert_eq!(response.status, 200);
    let values: Vec<u8> = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(values.len(), 15);
    assert!(response.elapsed > Duration::from_millis(600), "it took longer than the timeout: {:?}", response.elapsed);
}

#[tokio::test]
async fn a_body_that_stops_half_way_says_so() {
    let server = Hostile::start(Answer::Stall).await;
    let error =
        within(send(&http(small(), Duration::from_millis(300)), &get(server.url("/x")), None)).await.unwrap_err();
    assert!(matches!(error, SendError::Stalled { kind: BodyKind::Api, received: 1025, .. }), "{error:?}");
    let text = error.to_string();
    assert!(text.contains("stopped sending the body after 1.0 KB") && !text.contains("no response"), "{text}");
}

#[tokio::test]
async fn discovery_is_bounded() {
    let server = Hostile::start(Answer::GzipBomb).await;
    let oauth = Http::new(&HttpSettings { limits: small(), ..HttpSettings::default() }, Purpose::OAuth).unwrap();
    let endpoints = zorgtui::config::EndpointUrls::default();
    let error = within(discover(&oauth, &server.url("/realms/x"), &endpoints)).await.unwrap_err();
    let text = error.to_string();
    assert!(
        text.contains("the issuer's metadata")
            && text.contains("larger than 64.0 KB")
            && text.contains("auth_response_cap_kb"),
        "{text}"
    );
}

fn metadata_at(server: &Hostile) -> Metadata {
    let at = |path: &str| Url::parse(&server.url(path)).unwrap();
    Metadata {
        issuer: server.url("/realms/x"),
        authorization_endpoint: Some(at("/auth")),
        token_endpoint: at("/token"),
        device_authorization_endpoint: Some(at("/device")),
        revocation_endpoint: Some(at("/revoke")),
        userinfo_endpoint: Some(at("/userinfo")),
        introspection_endpoint: Some(at("/introspect")),
        jwks_uri: Some(at("/jwks")),
        end_session_endpoint: None,
        token_endpoint_auth_methods: None,
        lacks_pkce_s256: false,
        iss_parameter_supported: false,
    }
}

#[tokio::test]
async fn token_revocation_and_userinfo_answers_are_bounded() {
    let server = Hostile::start(Answer::GzipBomb).await;
    let oauth = Http::new(&HttpSettings { limits: small(), ..HttpSettings::default() }, Purpose::OAuth).unwrap();
    let metadata = metadata_at(&server);
    let client = zorgtui::auth::oauth::client(&metadata, &ClientAuth::public("zorgtui"));

    let error = within(zorgtui::auth::oauth::refresh(&client, &oauth, &[], &Secret::new("rt"))).await.unwrap_err();
    let AuthError::Network(SendError::TooLarge { kind: BodyKind::Token, limit, .. }) = &error else {
        panic!("{error:?}")
    };
    assert_eq!(*limit, 64 << 10);
    assert!(error.to_string().contains("the authorization server's answer"), "{error}");

    let userinfo = metadata.userinfo_endpoint.clone().unwrap();
    let name = within(zorgtui::auth::identity::from_userinfo(&oauth, &userinfo, &Secret::new("at"))).await;
    assert_eq!(name, None, "an answer past the limit gives no name rather than all of memory");
}

#[tokio::test]
async fn a_revocation_error_page_is_bounded() {
    let server = Hostile::start(Answer::ErrorBomb).await;
    let oauth = Http::new(&HttpSettings { limits: small(), ..HttpSettings::default() }, Purpose::OAuth).unwrap();
    let endpoint = metadata_at(&server).revocation_endpoint.unwrap();
    let hint = zorgtui::auth::revoke::Hint::RefreshToken;
    let auth = ClientAuth::public("zorgtui");
    let now = std::time::SystemTime::now();
    let error = within(zorgtui::auth::revoke::revoke(&oauth, &endpoint, &auth, &Secret::new("rt"), hint, now))
        .await
        .unwrap_err();
    assert!(matches!(error, AuthError::Network(SendError::TooLarge { kind: BodyKind::Revocation, .. })), "{error:?}");
}

#[tokio::test]
async fn a_spec_from_a_url_is_bounded() {
    let server = Hostile::start(Answer::Endless).await;
    let error =
        within(zorgtui::api::spec_source::fetch(&http(small(), Duration::from_secs(10)), &server.url("/s.yaml")))
            .await
            .unwrap_err();
    let text = error.to_string();
    assert!(text.contains("the spec") && text.contains("larger than 2.0 MB") && text.contains("spec_cap_mb"), "{text}");
}
