//! What the tests share, the unit tests in `src/` and the integration tests in `tests/it` alike: keys pressed as a
//! person presses them, the time an action happens at, responses as a server sends them, and waiting for something
//! without a fixed sleep. Not for the program itself.

use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};

use crate::api::response::ApiResponse;
use crate::app::{Action, Now};

/// The time now, as the run loop would hand it in.
pub fn now() -> Now {
    Now { instant: std::time::Instant::now(), wall: std::time::SystemTime::now() }
}

/// A key press without modifiers.
pub fn key(code: KeyCode) -> Action {
    key_with(code, KeyModifiers::NONE)
}

/// A key press with modifiers.
pub fn key_with(code: KeyCode, modifiers: KeyModifiers) -> Action {
    Action::Input(Event::Key(KeyEvent::new(code, modifiers)))
}

/// Ctrl and a letter.
pub fn ctrl(c: char) -> Action {
    key_with(KeyCode::Char(c), KeyModifiers::CONTROL)
}

/// The key presses that type `text`, a character each.
pub fn typed(text: &str) -> Vec<Action> {
    text.chars().map(|c| key(KeyCode::Char(c))).collect()
}

/// A response with `body` as the server sent it, JSON by its type.
pub fn json_response(status: u16, body: &str) -> ApiResponse {
    response(status, Some("application/json"), body)
}

/// A response with `body` as the server sent it, of `content_type` (none: no header).
pub fn response(status: u16, content_type: Option<&str>, body: &str) -> ApiResponse {
    ApiResponse {
        status,
        reason: reason(status).into(),
        headers: content_type.map(|t| vec![("content-type".to_string(), t.to_string())]).unwrap_or_default(),
        body: Bytes::from(body.to_string()),
        elapsed: Duration::from_millis(12),
        url: "http://127.0.0.1:9/v1/users/me".into(),
        spilled: None,
    }
}

fn reason(status: u16) -> &'static str {
    reqwest::StatusCode::from_u16(status).ok().and_then(|s| s.canonical_reason()).unwrap_or("")
}

/// Polls `done` until it holds, or fails after `limit` naming `what`: for a port to close, a file to appear.
pub async fn eventually(what: &str, limit: Duration, mut done: impl FnMut() -> bool) {
    let started = tokio::time::Instant::now();
    while !done() {
        assert!(started.elapsed() < limit, "{what}: not within {limit:?}");
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
}
