//! `HTTPS_PROXY`, `HTTP_PROXY` and `NO_PROXY` are honoured by every client the factory makes, checked through the
//! binary (the environment is read per process) with a recording proxy on 127.0.0.1. Nothing leaves loopback: the
//! API names an `.invalid` host that only the proxy ever sees.

use std::process::{Command, Output};
use std::sync::{Arc, Mutex};

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// A proxy that writes down the request line of each request and answers with `answer`.
async fn recording_proxy(answer: &'static str) -> (u16, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let seen = Arc::new(Mutex::new(Vec::new()));
    let record = seen.clone();
    tokio::spawn(async move {
        while let Ok((mut stream, _)) = listener.accept().await {
            let record = record.clone();
            tokio::spawn(async move {
                let mut head = vec![0u8; 8192];
                let n = stream.read(&mut head).await.unwrap_or(0);
                let text = String::from_utf8_lossy(&head[..n]).into_owned();
                record.lock().unwrap().push(text.lines().next().unwrap_or_default().to_string());
                let _ = stream.write_all(answer.as_bytes()).await;
                let _ = stream.shutdown().await;
            });
        }
    });
    (port, seen)
}

fn call(api: &str, env: &[(&str, String)]) -> Output {
    let dir = tempfile::tempdir().unwrap();
    let mut command = Command::new(env!("CARGO_BIN_EXE_zorgtui"));
    command
        .args(["--api", api, "call", "GET", "/users/me"])
        .env("ZORGTUI_CONFIG", dir.path().join("none.toml"))
        .env("ZORGTUI_DATA_DIR", dir.path().join("data"))
        .env("ZORGTUI_STATE_DIR", dir.path().join("state"))
        .env("ZORGTUI_CACHE_DIR", dir.path().join("cache"));
    for var in ["HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "no_proxy"] {
        command.env_remove(var);
    }
    for (name, value) in env {
        command.env(name, value);
    }
    command.output().unwrap()
}

const OK: &str = "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 11\r\nconnection: close\r\n\r\n{\"via\":\"p\"}";

#[tokio::test]
async fn http_requests_go_through_http_proxy() {
    let (port, seen) = recording_proxy(OK).await;
    let output = tokio::task::spawn_blocking(move || {
        call("http://api.invalid/v1beta2", &[("HTTP_PROXY", format!("http://127.0.0.1:{port}"))])
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert_eq!(String::from_utf8_lossy(&output.stdout).trim(), r#"{"via":"p"}"#);
    assert_eq!(seen.lock().unwrap().as_slice(), ["GET http://api.invalid/v1beta2/users/me HTTP/1.1"]);
}

#[tokio::test]
async fn https_requests_tunnel_through_https_proxy() {
    let (port, seen) = recording_proxy("HTTP/1.1 403 Forbidden\r\ncontent-length: 0\r\n\r\n").await;
    let output = tokio::task::spawn_blocking(move || {
        call("https://api.invalid/v1beta2", &[("HTTPS_PROXY", format!("http://127.0.0.1:{port}"))])
    })
    .await
    .unwrap();
    assert!(!output.status.success(), "the proxy refused the tunnel");
    assert_eq!(seen.lock().unwrap().as_slice(), ["CONNECT api.invalid:443 HTTP/1.1"]);
}

#[tokio::test]
async fn no_proxy_hosts_are_reached_directly() {
    let (proxy_port, proxy_seen) = recording_proxy(OK).await;
    let (api_port, api_seen) = recording_proxy(OK).await;
    let output = tokio::task::spawn_blocking(move || {
        call(
            &format!("http://127.0.0.1:{api_port}/v1beta2"),
            &[("HTTP_PROXY", format!("http://127.0.0.1:{proxy_port}")), ("NO_PROXY", "127.0.0.1".to_string())],
        )
    })
    .await
    .unwrap();
    assert!(output.status.success(), "{}", String::from_utf8_lossy(&output.stderr));
    assert!(proxy_seen.lock().unwrap().is_empty(), "the proxy was skipped");
    assert_eq!(api_seen.lock().unwrap().as_slice(), ["GET /v1beta2/users/me HTTP/1.1"]);
}
