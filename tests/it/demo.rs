//! The offline demo against plain reqwest: the authorization server as a client sees it, the API, the device flow,
//! and the demo data checked against the real ZorgAPIs spec. Helpers here; tests in `demo/`.

#![allow(clippy::unwrap_used)] // Tests may unwrap: a panic is the failure report.

mod api;
mod auth;
mod clients;
mod device;
mod end_session;
mod oauth2_client;
mod spec_check;

use std::collections::HashMap;
use std::future::Future;
use std::time::Duration;

use axum::Router;
use axum::extract::Query;
use axum::routing::get;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use rand::RngCore as _;
use serde_json::Value;
use sha2::{Digest as _, Sha256};
use tokio::net::TcpListener;
use tokio::sync::mpsc;
use url::Url;
use zorgtui::demo::{self, DemoOptions, DemoServers};

/// Every await in these tests runs under this.
pub async fn within<F: Future>(future: F) -> F::Output {
    tokio::time::timeout(Duration::from_secs(15), future).await.expect("timed out")
}

pub async fn start(options: DemoOptions) -> DemoServers {
    within(demo::start(options)).await.unwrap()
}

pub async fn start_default() -> DemoServers {
    start(DemoOptions::default()).await
}

/// A client like the product's: no redirects followed, no proxy.
pub fn http() -> reqwest::Client {
    reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).no_proxy().build().unwrap()
}

pub fn endpoint(demo: &DemoServers, name: &str) -> String {
    format!("{}/protocol/openid-connect/{name}", demo.issuer())
}

/// A PKCE verifier and its S256 challenge, computed here rather than by the code under test.
pub fn pkce() -> (String, String) {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    let verifier = URL_SAFE_NO_PAD.encode(bytes);
    let challenge = URL_SAFE_NO_PAD.encode(Sha256::digest(verifier.as_bytes()));
    (verifier, challenge)
}

/// The product's loopback listener, reduced to what a test needs: it reports each callback's query.
pub struct Callback {
    pub redirect_uri: String,
    received: mpsc::UnboundedReceiver<HashMap<String, String>>,
}

impl Callback {
    pub async fn listen() -> Callback {
        let listener = within(TcpListener::bind("127.0.0.1:0")).await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let (sender, received) = mpsc::unbounded_channel();
        let app = Router::new().route(
            "/callback",
            get(move |Query(query): Query<HashMap<String, String>>| {
                let sender = sender.clone();
                async move {
                    let _ = sender.send(query);
                    "Signed in; you can close this page."
                }
            }),
        );
        tokio::spawn(async move { axum::serve(listener, app).await });
        Callback { redirect_uri: format!("http://127.0.0.1:{port}/callback"), received }
    }

    pub async fn next(&mut self) -> HashMap<String, String> {
        within(self.received.recv()).await.unwrap()
    }
}

/// An authorization request as the product builds it.
pub fn authorize_url(demo: &DemoServers, redirect_uri: &str, challenge: &str, scope: &str, state: &str) -> String {
    let mut url = Url::parse(&endpoint(demo, "auth")).unwrap();
    url.query_pairs_mut()
        .append_pair("response_type", "code")
        .append_pair("client_id", demo.client_id())
        .append_pair("redirect_uri", redirect_uri)
        .append_pair("scope", scope)
        .append_pair("state", state)
        .append_pair("code_challenge", challenge)
        .append_pair("code_challenge_method", "S256");
    url.into()
}

/// `POST` a form to the token endpoint; status and JSON body.
pub async fn token_request(demo: &DemoServers, form: &[(&str, &str)]) -> (u16, Value) {
    let response = within(http().post(endpoint(demo, "token")).form(form).send()).await.unwrap();
    let status = response.status().as_u16();
    (status, within(response.json()).await.unwrap())
}

/// A code from a full sign-in through `demo::approve`, with the verifier and redirect URI to redeem it.
pub struct Approval {
    pub code: String,
    pub verifier: String,
    pub redirect_uri: String,
}

pub async fn code_for(demo: &DemoServers, scope: &str) -> Approval {
    let mut callback = Callback::listen().await;
    let (verifier, challenge) = pkce();
    let url = authorize_url(demo, &callback.redirect_uri, &challenge, scope, "st4te");
    within(demo::approve(&url)).await.unwrap();
    let query = callback.next().await;
    Approval { code: query["code"].clone(), verifier, redirect_uri: callback.redirect_uri }
}

pub async fn redeem(demo: &DemoServers, code: &Approval) -> (u16, Value) {
    token_request(
        demo,
        &[
            ("grant_type", "authorization_code"),
            ("client_id", demo.client_id()),
            ("code", &code.code),
            ("redirect_uri", &code.redirect_uri),
            ("code_verifier", &code.verifier),
        ],
    )
    .await
}

/// Signs in with `scope` and returns the token response.
pub async fn sign_in(demo: &DemoServers, scope: &str) -> Value {
    let code = code_for(demo, scope).await;
    let (status, body) = redeem(demo, &code).await;
    assert_eq!(status, 200, "{body}");
    body
}

pub async fn refresh(demo: &DemoServers, refresh_token: &str) -> (u16, Value) {
    token_request(
        demo,
        &[("grant_type", "refresh_token"), ("client_id", demo.client_id()), ("refresh_token", refresh_token)],
    )
    .await
}

/// `GET {api_base}{path}` with a bearer token; the whole response.
pub async fn api_get(demo: &DemoServers, path: &str, token: &str) -> reqwest::Response {
    within(http().get(format!("{}{path}", demo.api_base())).bearer_auth(token).send()).await.unwrap()
}

pub async fn json(response: reqwest::Response) -> Value {
    within(response.json()).await.unwrap()
}

pub fn access_token(tokens: &Value) -> &str {
    tokens["access_token"].as_str().unwrap()
}

pub fn refresh_token(tokens: &Value) -> &str {
    tokens["refresh_token"].as_str().unwrap()
}
