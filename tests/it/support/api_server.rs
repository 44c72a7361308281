//! A small ZorgAPIs-like API on 127.0.0.1 for the app tests: JSON, an error, a slow endpoint, HTML, an empty body.

use std::net::SocketAddr;
use std::time::Duration;

use axum::Router;
use axum::extract::Path;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::IntoResponse;
use axum::routing::get;
use tokio::net::TcpListener;

/// The server; it stops when dropped.
pub struct ApiServer {
    pub addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for ApiServer {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl ApiServer {
    pub async fn start() -> ApiServer {
        let app = Router::new()
            .route("/v1beta2/users/me", get(me))
            .route("/v1beta2/api-requirements-versions", get(versions))
            .route("/v1beta2/api-requirements-versions/{name}", get(version))
            .route("/v1beta2/organizations", get(slow))
            .route("/v1beta2/api-specifications", get(html))
            .route("/v1beta2/trust-frameworks", get(empty))
            .route("/v1beta2/communication-standards", get(hostile))
            .route("/spec/petstore.yaml", get(petstore));
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        ApiServer { addr, task }
    }

    /// The API base, as a profile's `api`.
    pub fn base(&self) -> String {
        format!("http://{}/v1beta2", self.addr)
    }

    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }
}

fn json(status: StatusCode, body: &'static str) -> impl IntoResponse {
    (status, [(header::CONTENT_TYPE, "application/json")], body)
}

async fn me(headers: HeaderMap) -> impl IntoResponse {
    let _ = headers;
    json(StatusCode::OK, r#"{"id":"8f1c","name":"Test Person"}"#)
}

async fn versions() -> impl IntoResponse {
    (
        [(header::CONTENT_TYPE, "application/json"), (header::HeaderName::from_static("total-count"), "2")],
        r#"[{"name":"1.2.0","publishTime":"2024-03-16T14:15:30.500Z","lifecycleState":"PUBLISHED","semVer":{"major":1,"minor":2,"patch":0}},{"name":"1.1.0","publishTime":"2023-10-01T09:00:00Z","lifecycleState":"RETIRED","semVer":{"major":1,"minor":1,"patch":0}}]"#,
    )
}

async fn version(Path(name): Path<String>) -> impl IntoResponse {
    if name == "1.2.0" {
        return json(StatusCode::OK, r#"{"name":"1.2.0","lifecycleState":"PUBLISHED"}"#).into_response();
    }
    json(
        StatusCode::NOT_FOUND,
        r#"{"status":404,"type":"NOT_FOUND","message":"The resource you requested does not exist","details":[{"location":"versionName","message":"no such version"}]}"#,
    )
    .into_response()
}

async fn slow() -> impl IntoResponse {
    tokio::time::sleep(Duration::from_secs(60)).await;
    json(StatusCode::OK, "[]")
}

async fn html() -> impl IntoResponse {
    (
        StatusCode::BAD_GATEWAY,
        [(header::CONTENT_TYPE, "text/html")],
        "<html><body><h1>502 Bad Gateway</h1></body></html>",
    )
}

async fn empty() -> impl IntoResponse {
    (StatusCode::NO_CONTENT, [(header::CONTENT_TYPE, "application/json")], "")
}

/// A value that tries to set the terminal title and write to the clipboard.
async fn hostile() -> impl IntoResponse {
    json(StatusCode::OK, "[{\"name\":\"evil\\u001b]0;pwned\\u0007\",\"c1\":\"\u{9b}31m\"}]")
}

async fn petstore() -> impl IntoResponse {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/specs/petstore-expanded-3.0.yaml");
    ([(header::CONTENT_TYPE, "application/yaml")], std::fs::read(path).unwrap())
}
