//! The one HTTP client factory: an extra CA from the profile is trusted, API calls follow redirects and OAuth calls
//! never do, and failures read as what happened and what to do.

use std::time::Duration;

use axum::Router;
use axum::response::Redirect;
use axum::routing::get;
use zorgtui::api::Method;
use zorgtui::api::client::send;
use zorgtui::api::request::PreparedRequest;
use zorgtui::http::{Http, HttpSettings, Purpose, SendError};

use crate::support::tls::TlsServer;

const LIMIT: Duration = Duration::from_secs(10);

fn get_request(url: String) -> PreparedRequest {
    PreparedRequest { method: Method::Get, url, headers: vec![], body: None, with_token: false, credentials: None }
}

#[tokio::test]
async fn the_profiles_ca_file_is_trusted() {
    let server = TlsServer::start(r#"{"ok":true}"#).await;
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, &server.ca_pem).unwrap();
    let url = format!("https://127.0.0.1:{}/v1/users/me", server.port);

    let settings = HttpSettings { ca_file: Some(ca_file), timeout: Some(LIMIT), ..HttpSettings::default() };
    let client = Http::new(&settings, Purpose::Api).unwrap();
    let response = tokio::time::timeout(LIMIT, send(&client, &get_request(url.clone()), None)).await.unwrap().unwrap();
    assert_eq!((response.status, &response.body[..]), (200, &br#"{"ok":true}"#[..]));

    let untrusting = Http::new(&HttpSettings::default(), Purpose::Api).unwrap();
    let error = tokio::time::timeout(LIMIT, send(&untrusting, &get_request(url), None)).await.unwrap().unwrap_err();
    assert!(matches!(error, SendError::Tls { .. }), "{error:?}");
    assert!(error.to_string().contains("set ca_file in the profile"), "{error}");
}

#[test]
fn a_ca_file_that_is_not_pem_is_refused_with_its_name() {
    let dir = tempfile::tempdir().unwrap();
    let ca_file = dir.path().join("ca.pem");
    std::fs::write(&ca_file, "not a certificate").unwrap();
    let error =
        Http::new(&HttpSettings { ca_file: Some(ca_file), timeout: None, ..HttpSettings::default() }, Purpose::Api)
            .unwrap_err();
    assert!(error.to_string().contains("ca.pem"), "{error}");
    let missing = dir.path().join("missing.pem");
    let error =
        Http::new(&HttpSettings { ca_file: Some(missing), timeout: None, ..HttpSettings::default() }, Purpose::Api)
            .unwrap_err();
    assert!(error.to_string().starts_with("cannot read the CA file"), "{error}");
}

#[tokio::test]
async fn api_calls_follow_redirects_and_oauth_calls_do_not() {
    let app = Router::new()
        .route("/old", get(|| async { Redirect::temporary("/new") }))
        .route("/new", get(|| async { "arrived" }));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let url = format!("http://{addr}/old");

    let api = Http::new(&HttpSettings::default(), Purpose::Api).unwrap();
    let followed = tokio::time::timeout(LIMIT, send(&api, &get_request(url.clone()), None)).await.unwrap().unwrap();
    assert_eq!((followed.status, &followed.body[..]), (200, &b"arrived"[..]));
    assert!(followed.url.ends_with("/new"));

    let oauth = Http::new(&HttpSettings::default(), Purpose::OAuth).unwrap();
    let kept = tokio::time::timeout(LIMIT, send(&oauth, &get_request(url), None)).await.unwrap().unwrap();
    assert_eq!(kept.status, 307, "the OAuth client shows the redirect instead of following it");
    server.abort();
}

#[tokio::test]
async fn a_server_that_hangs_times_out_with_a_clear_message() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    // Accepts and never answers.
    let server = tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((stream, _)) = listener.accept().await {
            held.push(stream);
        }
    });
    let settings = HttpSettings { timeout: Some(Duration::from_millis(300)), ..HttpSettings::default() };
    let client = Http::new(&settings, Purpose::Api).unwrap();
    let error = tokio::time::timeout(LIMIT, send(&client, &get_request(format!("http://{addr}/x")), None))
        .await
        .unwrap()
        .unwrap_err();
    assert!(matches!(error, SendError::Timeout { .. }), "{error:?}");
    assert!(error.to_string().contains("no response from 127.0.0.1"), "{error}");
    server.abort();
}

#[tokio::test]
async fn a_token_goes_only_with_a_request_cleared_to_carry_it() {
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let record = seen.clone();
    let app = Router::new().route(
        "/x",
        get(move |headers: axum::http::HeaderMap| {
            let record = record.clone();
            async move {
                record.lock().unwrap().push(headers.get("authorization").map(|v| v.to_str().unwrap().to_string()));
                "ok"
            }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let server = tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Http::new(&HttpSettings::default(), Purpose::Api).unwrap();
    let token = zorgtui::secret::Secret::new("t0k3n");
    let mut request = get_request(format!("http://{addr}/x"));
    tokio::time::timeout(LIMIT, send(&client, &request, Some(&token))).await.unwrap().unwrap();
    request.with_token = true;
    tokio::time::timeout(LIMIT, send(&client, &request, Some(&token))).await.unwrap().unwrap();
    assert_eq!(*seen.lock().unwrap(), [None, Some("Bearer t0k3n".to_string())]);
    server.abort();
}

#[tokio::test]
async fn https_to_a_plain_http_port_says_so_rather_than_asking_whether_the_server_is_up() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let app = Router::new().route("/", get(|| async { "plain" }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    let client = Http::new(&HttpSettings { timeout: Some(LIMIT), ..HttpSettings::default() }, Purpose::Api).unwrap();
    let url = format!("https://127.0.0.1:{port}/");
    let error = tokio::time::timeout(LIMIT, send(&client, &get_request(url), None)).await.unwrap().unwrap_err();
    assert!(matches!(error, SendError::NotTls { .. }), "{error:?}");
    assert_eq!(
        error.to_string(),
        format!(
            "127.0.0.1:{port} answered in plain HTTP, not HTTPS — write http:// in the address, or use the server's HTTPS port"
        )
    );
}
