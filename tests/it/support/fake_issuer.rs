//! A small issuer whose answers a test sets: what lifetimes it hands out, how slow its refreshes and revocation
//! are, which port it takes (so it can come up where an unreachable issuer was). It approves a device sign-in at
//! the first poll and every refresh; it records each request. Loopback only; it stops when the handle drops.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use axum::Json;
use axum::extract::State;
use axum::routing::{get, post};
use serde_json::{Value, json};

/// What the issuer answers.
#[derive(Debug, Clone)]
pub struct FakeOptions {
    /// Where to listen: `None` any free port on 127.0.0.1.
    pub port: Option<u16>,
    /// `expires_in` of every token answer.
    pub expires_in: u64,
    /// `refresh_expires_in` of every token answer, when sent.
    pub refresh_expires_in: Option<u64>,
    /// `expires_in` and `interval` of the device answer.
    pub device_expires_in: u64,
    pub device_interval: u64,
    /// How long revocation takes before it answers 200.
    pub revoke_delay: Duration,
    /// How long a refresh takes before it is answered.
    pub refresh_delay: Duration,
    /// How long `GET {issuer}/api` (a stand-in API) takes to answer `{"ok": true}`.
    pub api_delay: Duration,
}

impl Default for FakeOptions {
    fn default() -> Self {
        FakeOptions {
            port: None,
            expires_in: 300,
            refresh_expires_in: None,
            device_expires_in: 60,
            device_interval: 1,
            revoke_delay: Duration::ZERO,
            refresh_delay: Duration::ZERO,
            api_delay: Duration::ZERO,
        }
    }
}

/// How the issuer answers a refresh: as it should, or in one of the ways real issuers fail.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum RefreshAnswer {
    #[default]
    Tokens,
    /// 500 with an HTML error page, as a proxy in front of a dying issuer sends.
    ServerError,
    /// 200 with an HTML page (a login page, a captive portal).
    Html,
    /// 200 with JSON cut short.
    Malformed,
    /// The issuer dies mid-answer: the head promises a body, the connection closes after part of it.
    Dies,
    /// Tokens, three seconds late (past a test's one-second timeout, as 30 s is past the default).
    Late,
}

#[derive(Clone)]
struct Shared {
    options: FakeOptions,
    requests: Arc<Mutex<Vec<String>>>,
    refresh_answer: Arc<Mutex<RefreshAnswer>>,
}

pub struct FakeIssuer {
    pub issuer: String,
    requests: Arc<Mutex<Vec<String>>>,
    refresh_answer: Arc<Mutex<RefreshAnswer>>,
    task: tokio::task::JoinHandle<()>,
}

impl FakeIssuer {
    pub async fn start(options: FakeOptions) -> FakeIssuer {
        let listener = tokio::net::TcpListener::bind(("127.0.0.1", options.port.unwrap_or(0))).await.unwrap();
        let issuer = format!("http://{}/realms/fake", listener.local_addr().unwrap());
        let requests: Arc<Mutex<Vec<String>>> = Arc::default();
        let refresh_answer: Arc<Mutex<RefreshAnswer>> = Arc::default();
        let discovery = json!({
            "issuer": issuer,
            "authorization_endpoint": format!("{issuer}/auth"),
            "token_endpoint": format!("{issuer}/token"),
            "device_authorization_endpoint": format!("{issuer}/device"),
            "revocation_endpoint": format!("{issuer}/revoke"),
            "code_challenge_methods_supported": ["S256"],
        });
        let device = json!({
            "device_code": "device-code-1",
            "user_code": "FAKE-CODE",
            "verification_uri": format!("{issuer}/verify"),
            "expires_in": options.device_expires_in,
            "interval": options.device_interval,
        });
        let router = axum::Router::new()
            .route("/realms/fake/.well-known/openid-configuration", get(move || async move { Json(discovery) }))
            .route("/realms/fake/device", post(move || async move { Json(device) }))
            .route("/realms/fake/token", post(token))
            .route("/realms/fake/revoke", post(revoke))
            .route("/realms/fake/api", get(api))
            .with_state(Shared {
                options,
                requests: Arc::clone(&requests),
                refresh_answer: Arc::clone(&refresh_answer),
            });
        let task = tokio::spawn(async move {
            axum::serve(listener, router).await.unwrap();
        });
        FakeIssuer { issuer, requests, refresh_answer, task }
    }

    /// How refreshes are answered from now on.
    pub fn answer_refreshes(&self, answer: RefreshAnswer) {
        *self.refresh_answer.lock().unwrap() = answer;
    }

    /// Every request so far, as `path body`, oldest first (a revocation is recorded once it has answered).
    pub fn requests(&self) -> Vec<String> {
        self.requests.lock().unwrap().clone()
    }
}

impl Drop for FakeIssuer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

async fn token(State(shared): State<Shared>, body: String) -> axum::response::Response {
    use axum::response::IntoResponse as _;
    if body.contains("grant_type=refresh_token") {
        tokio::time::sleep(shared.options.refresh_delay).await;
        let answer = *shared.refresh_answer.lock().unwrap();
        let html = [(axum::http::header::CONTENT_TYPE, "text/html")];
        let page = "<html><body><h1>Service Unavailable</h1></body></html>";
        match answer {
            RefreshAnswer::Tokens => {}
            RefreshAnswer::Late => tokio::time::sleep(Duration::from_secs(3)).await,
            RefreshAnswer::ServerError => {
                shared.requests.lock().unwrap().push(format!("/token (500) {body}"));
                return (axum::http::StatusCode::INTERNAL_SERVER_ERROR, html, page).into_response();
            }
            RefreshAnswer::Html => {
                shared.requests.lock().unwrap().push(format!("/token (html) {body}"));
                return (html, page).into_response();
            }
            RefreshAnswer::Malformed => {
                shared.requests.lock().unwrap().push(format!("/token (malformed) {body}"));
                let json = [(axum::http::header::CONTENT_TYPE, "application/json")];
                return (json, "{\"access_token\": \"at-x\", \"token_type\": ").into_response();
            }
            RefreshAnswer::Dies => {
                shared.requests.lock().unwrap().push(format!("/token (dies) {body}"));
                // A body stream that fails after its first piece: hyper closes the connection mid-body.
                let pieces: Vec<Result<&'static str, std::io::Error>> =
                    vec![Ok("{\"access_token\": \"at-"), Err(std::io::Error::other("the issuer died"))];
                let body = axum::body::Body::from_stream(futures_util::stream::iter(pieces));
                return ([(axum::http::header::CONTENT_LENGTH, "200")], body).into_response();
            }
        }
    }
    let count = {
        let mut requests = shared.requests.lock().unwrap();
        requests.push(format!("/token {body}"));
        requests.iter().filter(|r| r.starts_with("/token")).count()
    };
    let mut answer = json!({
        "access_token": format!("at-{count}"),
        "token_type": "Bearer",
        "expires_in": shared.options.expires_in,
        "refresh_token": format!("rt-{count}"),
        "scope": "openid",
    });
    if let Some(seconds) = shared.options.refresh_expires_in {
        answer["refresh_expires_in"] = seconds.into();
    }
    Json(answer).into_response()
}

async fn revoke(State(shared): State<Shared>, body: String) -> &'static str {
    tokio::time::sleep(shared.options.revoke_delay).await;
    shared.requests.lock().unwrap().push(format!("/revoke {body}"));
    ""
}

async fn api(State(shared): State<Shared>) -> Json<Value> {
    tokio::time::sleep(shared.options.api_delay).await;
    shared.requests.lock().unwrap().push("/api".into());
    Json(json!({"ok": true}))
}
