//! A subcommand that ends while its engine refreshes in the background: the process waits for the rotated
//! refresh token to be saved before it exits (the runtime, and any task on it, ends with the process).

use std::time::Duration;

use super::{Home, store_session, text};
use crate::support::engine::within;
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};

#[tokio::test]
async fn call_ending_during_a_background_refresh_saves_the_rotated_token() {
    // The stored token lives 4 s, so its refresh is planned 2 s in and takes 3 s; the API answers after 3 s: the
    // call ends while the refresh is on its way.
    let server = FakeIssuer::start(FakeOptions {
        refresh_delay: Duration::from_secs(3),
        api_delay: Duration::from_secs(3),
        ..FakeOptions::default()
    })
    .await;
    let home = Home::new();
    store_session(&home, &server.issuer, 0, 4).await;
    let args = ["--api", &server.issuer, "call", "GET", "/api"];
    let output = within(home.command_at(&server.issuer, "zorgtui", &args).output()).await.unwrap();
    assert!(output.status.success(), "{}", text(&output.stderr));
    let requests = server.requests();
    let api_at = requests.iter().position(|r| r == "/api").unwrap();
    let refresh_at = requests.iter().position(|r| r.contains("grant_type=refresh_token"));
    assert!(refresh_at.is_some_and(|at| at > api_at), "the refresh ended after the call: {requests:?}");

    let session_file = std::fs::read_dir(home.data().join("tokens"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let saved: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(session_file).unwrap()).unwrap();
    assert_eq!(saved["refresh_token"], "rt-1", "the rotated refresh token is saved");
}
