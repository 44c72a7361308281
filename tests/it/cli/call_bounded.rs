//! `zorgtui call` passes the body on as it arrives, holding none of it, and stops at `body_disk_cap_mb` with a
//! message that says so: a gzip stream that inflates without end no longer takes the machine's memory.

use std::process::Stdio;

use axum::routing::get;

use super::{Home, text};
use crate::support::engine::within;
use crate::support::hostile::{Answer, Hostile};

#[tokio::test]
async fn a_body_without_end_stops_at_the_cap_with_the_setting_named() {
    let server = Hostile::start(Answer::GzipBomb).await;
    let home = Home::new();
    home.config("[profiles.sandbox]\nbody_disk_cap_mb = 4\n");
    let mut command = home.command_at("https://idp.example/realms/x", "zorgtui", &[]);
    command.args(["--api", &server.url("/v1"), "call", "GET", "/bomb"]).stdout(Stdio::piped());
    let output = within(command.output()).await.unwrap();
    assert!(!output.status.success());
    let stderr = text(&output.stderr);
    assert!(stderr.contains("200 OK, but the body from 127.0.0.1"), "{stderr}");
    assert!(stderr.contains("larger than 4.0 MB") && stderr.contains("raise body_disk_cap_mb"), "{stderr}");
    let passed = output.stdout.len();
    assert!((3 << 20..=4 << 20).contains(&passed), "what came before the cap was passed on: {passed} bytes");
    assert!(output.stdout.iter().all(|&b| b == b'0'), "the inflated bytes, as they came");
}

#[tokio::test]
async fn a_large_body_is_passed_on_whole_and_unchanged() {
    let body: Vec<u8> = (0..12u32 << 20).map(|i| b"[0,1]\n"[(i % 6) as usize]).collect();
    let served = body.clone();
    let app = axum::Router::new().route("/v1/big", get(move || std::future::ready(served.clone())));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serving = tokio::spawn(async move { axum::serve(listener, app).await });
    let home = Home::new();
    // Larger than the memory cap: nothing in the way of a streamed body.
    home.config("[profiles.sandbox]\nbody_memory_cap_mb = 1\n");
    let mut command = home.command_at("https://idp.example/realms/x", "zorgtui", &[]);
    command.args(["--api", &format!("http://{addr}/v1"), "call", "GET", "/big"]).stdout(Stdio::piped());
    let output = within(command.output()).await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    assert!(output.stdout == body, "{} bytes out of {}", output.stdout.len(), body.len());
    serving.abort();
}
