//! A big JSON response in the response pane while it arrives (issue 17): a server on loopback sends its first
//! 1.5 MB and holds the rest until the test lets it go. The pane shows the start, keys work on it, and the whole
//! takes its place where the person left it.

use std::sync::Arc;

use ratatui::crossterm::event::KeyCode;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use tokio::sync::Notify;
use zorgtui::app::Pane;

use super::{LIMIT, pane};
use crate::support::drive::{drawn, driver, press, profile, run_until, type_keys};
use crate::support::screen::render;

/// Answers one request with `body`: its first `first` bytes at once, the rest once `go` is notified.
async fn held_back(body: Vec<u8>, first: usize, go: Arc<Notify>) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}/v1beta2", listener.local_addr().unwrap());
    tokio::spawn(async move {
        let Ok((mut socket, _)) = listener.accept().await else { return };
        let mut request = Vec::new();
        let mut buf = [0u8; 4096];
        while !request.windows(4).any(|w| w == b"\r\n\r\n") {
            match socket.read(&mut buf).await {
                Ok(0) | Err(_) => return,
                Ok(n) => request.extend_from_slice(&buf[..n]),
            }
        }
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
        let _ = socket.write_all(head.as_bytes()).await;
        let _ = socket.write_all(&body[..first]).await;
        go.notified().await;
        let _ = socket.write_all(&body[first..]).await;
        let _ = socket.flush().await;
        let _ = socket.shutdown().await;
    });
    base
}

#[tokio::test]
async fn the_start_of_a_big_response_shows_while_the_rest_arrives() {
    let body = zorgtui::json::testdata::array_of_objects(4 << 20).into_bytes();
    let go = Arc::new(Notify::new());
    let base = held_back(body.clone(), 3 << 19, Arc::clone(&go)).await;
    let mut driver = driver(profile(&base), 160, 48);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "get /users/me");
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.pane().is_some_and(|p| p.indexing().is_some())).await;
    assert!(driver.state.response.in_flight.is_some(), "the rest is still on its way");
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    assert!(screen.contains("\"code\": \"REQ-000000\"") && screen.contains("% of 4.0 MB received"), "{screen}");

    for _ in 0..4 {
        if driver.state.focus == Pane::Response {
            break;
        }
        let before = driver.state.focus;
        press(&tx, KeyCode::Tab);
        run_until(&mut driver, LIMIT, |s| s.focus != before).await;
    }
    type_keys(&tx, "jjjj");
    run_until(&mut driver, LIMIT, |s| pane(s).view().tree.as_ref().unwrap().cursor() == 4).await;
    go.notify_one();
    run_until(&mut driver, LIMIT, |s| s.response.in_flight.is_none() && pane(s).indexing().is_none()).await;
    let tree = pane(&driver.state).view().tree.as_ref().unwrap();
    assert_eq!(tree.cursor(), 4, "where it was left");
    assert_eq!(pane(&driver.state).whole().source.len(), body.len() as u64);
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    assert!(!screen.contains("received") && screen.contains("200 OK"), "{screen}");
}
