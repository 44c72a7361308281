//! Display escaping never alters request data: a spec's parameter names, defaults and enums keep their control
//! characters on the way to the wire, and the screen shows them escaped (every frame goes through `defuse`).

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpListener;
use zorgtui::api::openapi;

use crate::support::drive::{driver_with, press, profile, run_until, type_keys};
use crate::support::screen::{draw, text};

const LIMIT: Duration = Duration::from_secs(20);

fn spec(server: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\nservers: [{{url: '{server}'}}]\npaths:\n  /items:\n    get:\n      \
         summary: \"List \\e[31mitems\"\n      parameters:\n        \
         - {{name: q, in: query, schema: {{type: string, default: \"a\\e[31mb\", enum: [\"a\\e[31mb\", plain]}}}}\n"
    )
}

#[test]
fn the_loader_keeps_what_goes_on_the_wire_as_written() {
    let catalogue = openapi::parse(spec("http://127.0.0.1:1/v1").as_bytes(), "spec").unwrap();
    let op = &catalogue.operations[0];
    let q = op.params.iter().find(|p| p.name == "q").unwrap();
    assert_eq!(q.default.as_deref(), Some("a\u{1b}[31mb"), "not its escaped display form");
    assert_eq!(q.allowed, ["a\u{1b}[31mb", "plain"]);
    assert_eq!(op.summary, "List \\u{1b}[31mitems", "prose is escaped: it is only ever shown");
}

#[tokio::test]
async fn a_default_with_a_control_character_is_sent_as_written_and_shown_escaped() {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
    let api = format!("http://{}/v1", listener.local_addr().unwrap());
    let server = tokio::spawn(async move {
        let (mut socket, _) = listener.accept().await.unwrap();
        let mut request = vec![0; 8192];
        let n = socket.read(&mut request).await.unwrap();
        let body = b"{}";
        let head =
            format!("HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n", body.len());
        socket.write_all(head.as_bytes()).await.unwrap();
        socket.write_all(body).await.unwrap();
        String::from_utf8_lossy(&request[..n]).into_owned()
    });
    let catalogue = openapi::parse(spec(&api).as_bytes(), "spec").unwrap();
    let mut driver = driver_with(profile(&api), catalogue, 120, 40);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "get /items");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.editor.operation.is_some()).await;
    let screen = text(&draw(&driver.state, 120, 40));
    assert!(screen.contains(r"a\u{1b}[31mb"), "the value is shown escaped: {screen}");
    assert!(!screen.chars().any(|c| c.is_control() && c != '\n'), "no raw control character reaches the screen");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    let request = tokio::time::timeout(LIMIT, server).await.expect("the request came").unwrap();
    let line = request.lines().next().unwrap_or_default();
    assert!(line.contains("q=a%1B%5B31mb"), "the value as written, percent-encoded, not '\\u{{1b}}': {line}");
}
