//! An API on 127.0.0.1 that answers with ZorgAPIs-shaped requirements (the demo's data, written for zorgtui) and
//! a generated body of a few hundred kilobytes.

use std::net::SocketAddr;

use axum::Router;
use axum::http::header;
use axum::routing::get;
use tokio::net::TcpListener;

pub struct InspectorApi {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<()>,
}

impl Drop for InspectorApi {
    fn drop(&mut self) {
        self.task.abort();
    }
}

impl InspectorApi {
    pub async fn start() -> InspectorApi {
        let app = Router::new()
            .route(
                "/v1beta2/api-requirements-versions/{name}/api-requirements",
                get(|| async { ([(header::CONTENT_TYPE, "application/json")], requirements_body()) }),
            )
            .route("/v1beta2/users/me", get(|| async { ([(header::CONTENT_TYPE, "application/json")], big_body()) }));
        let bind = TcpListener::bind("127.0.0.1:0");
        let listener = tokio::time::timeout(std::time::Duration::from_secs(10), bind).await.unwrap().unwrap();
        let addr = listener.local_addr().unwrap();
        let task = tokio::spawn(async move {
            let _ = axum::serve(listener, app).await;
        });
        InspectorApi { addr, task }
    }

    pub fn base(&self) -> String {
        format!("http://{}/v1beta2", self.addr)
    }
}

fn requirements() -> Vec<serde_json::Value> {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/assets/demo/api-requirements.json");
    let data: serde_json::Value = serde_json::from_slice(&std::fs::read(path).unwrap()).unwrap();
    data["requirements"].as_array().unwrap().clone()
}

/// The requirements array, pretty-printed as an API would send it.
pub fn requirements_body() -> Vec<u8> {
    serde_json::to_vec_pretty(&requirements()).unwrap()
}

/// What `.[] | select(.requirementLevel == "MUST") | .code` gives, worked out without jq.
pub fn must_codes() -> Vec<String> {
    requirements()
        .iter()
        .filter(|r| r["requirementLevel"] == "MUST")
        .map(|r| r["code"].as_str().unwrap().to_string())
        .collect()
}

/// About 300 KB of generated requirements.
pub fn big_body() -> String {
    zorgtui::json::testdata::Shape::ArrayOfObjects.generate(300 * 1024)
}
