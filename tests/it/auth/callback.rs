//! The loopback listener under the things that reach it: a mix-up (wrong `iss`), a cancel in the browser, bytes
//! that are not HTTP, other methods and paths, and nobody coming back at all.

use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use url::Url;
use zorgtui::auth::{AuthCommand, AuthStatus, Redirect};

use super::server;
use crate::support::browser::Browser;
use crate::support::engine::{Engine, config, port_closed, with_param, within};
use crate::support::oidc::OidcOptions;

#[tokio::test]
async fn a_response_from_another_issuer_is_refused() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let (_, browser, landing) = engine.browser_landing("mallory", &[]).await;
    let mixed_up = with_param(&landing, "iss", "http://127.0.0.1:1/realms/evil");
    let (status, body) = within(browser.fetch(&mixed_up)).await.unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("did not complete") && !body.contains("evil"), "{body}");
    let reason = engine.failed().await;
    assert!(reason.contains("came from http://127.0.0.1:1/realms/evil") && reason.contains("RFC 9207"), "{reason}");
    assert_eq!(engine.token(), None, "the code was never exchanged");
}

#[tokio::test]
async fn cancelling_in_the_browser_is_told_plainly() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let browser = Browser::new();
    let landing = within(browser.deny(&Url::parse(&pending.authorize_url).unwrap())).await.unwrap();
    assert!(landing.as_str().contains("error=access_denied"), "{landing}");
    let (status, _) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(engine.failed().await, "sign-in was cancelled in the browser");
}

#[tokio::test]
async fn garbage_on_the_port_never_ends_the_wait() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected") };
    let base = format!("http://127.0.0.1:{port}");
    let http = reqwest::Client::builder().no_proxy().build().unwrap();

    // Bytes that are not HTTP, a connection that says nothing and is dropped, a half request.
    for bytes in [&b"\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03garbage\r\n\r\n"[..], b"", b"GET /callback?state="] {
        let mut stream = within(tokio::net::TcpStream::connect(("127.0.0.1", port))).await.unwrap();
        stream.write_all(bytes).await.unwrap();
        drop(stream);
    }
    let mut stream = within(tokio::net::TcpStream::connect(("127.0.0.1", port))).await.unwrap();
    stream.write_all(b"NOT HTTP AT ALL\r\n\r\n").await.unwrap();
    let mut answer = Vec::new();
    let _ = tokio::time::timeout(Duration::from_secs(5), stream.read_to_end(&mut answer)).await;

    let head = within(http.head(format!("{base}/callback?code=x&state=y")).send()).await.unwrap();
    assert_eq!(head.status(), 405);
    let post = within(http.post(format!("{base}/callback")).body("code=x&state=y").send()).await.unwrap();
    assert_eq!(post.status(), 405);
    let other = within(http.get(format!("{base}/favicon.ico")).send()).await.unwrap();
    assert_eq!(other.status(), 404);
    let script = within(http.get(format!("{base}/callback?state=%3Cscript%3Ealert(1)%3C/script%3E&code=1")).send())
        .await
        .unwrap();
    assert_eq!(script.status(), 400);
    assert_eq!(script.headers()["cache-control"], "no-store");
    assert!(!within(script.text()).await.unwrap().contains("<script>"));
    let empty = within(http.get(format!("{base}/callback")).send()).await.unwrap();
    assert_eq!(empty.status(), 400);
    assert!(matches!(engine.handle.status(), AuthStatus::WaitingForBrowser(_)), "still waiting");

    let browser = Browser::new();
    let landing = within(browser.login(&Url::parse(&pending.authorize_url).unwrap(), "dave")).await.unwrap();
    let (status, _) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    assert_eq!(engine.signed_in().await.subject, "Test user dave");
}

#[tokio::test]
async fn the_wait_times_out_with_a_clear_message() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.login_timeout = zorgtui::auth::LOGIN_TIMEOUT;
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected") };
    // The five minutes pass on tokio's paused clock, which the engine's deadline is set on: nothing talks to the
    // server meanwhile, so no request can race the jump.
    tokio::time::pause();
    tokio::time::advance(zorgtui::auth::LOGIN_TIMEOUT).await;
    assert_eq!(engine.failed().await, "no answer from the browser within 5 min — sign in again");
    tokio::time::resume();
    port_closed(port).await;
}

#[tokio::test]
async fn cancel_closes_the_listener_and_a_fixed_port_is_used() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let free = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let mut config = config(&server, dir.path());
    config.callback_port = Some(free);
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    assert_eq!(pending.redirect, Redirect::Loopback { ip: std::net::Ipv4Addr::LOCALHOST.into(), port: free });
    assert!(pending.authorize_url.contains(&format!("127.0.0.1%3A{free}%2Fcallback")), "{}", pending.authorize_url);
    engine.handle.send(AuthCommand::CancelLogin);
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    port_closed(free).await;
}

#[tokio::test]
async fn dropping_the_handle_ends_the_sign_in() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let commander = engine.handle.commander();
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected") };
    drop(engine);
    port_closed(port).await;
    commander(AuthCommand::Restore); // a command after shutdown goes nowhere, quietly
}

#[tokio::test]
async fn a_request_head_that_never_ends_is_cut_off_and_nothing_outlives_the_sign_in() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected") };

    // Half a request line, then nothing: the listener stops waiting for the rest after a few seconds.
    let mut slow = within(tokio::net::TcpStream::connect(("127.0.0.1", port))).await.unwrap();
    slow.write_all(b"GET /callback?state=").await.unwrap();
    let started = std::time::Instant::now();
    let mut rest = Vec::new();
    let read = within(slow.read_to_end(&mut rest)).await;
    assert!(read.is_ok() || started.elapsed() < Duration::from_secs(9), "{read:?}");
    assert!(started.elapsed() < Duration::from_secs(9), "cut off after {:?}", started.elapsed());

    // A connection that says nothing at all, still open when the sign-in completes: closed with it.
    let mut idle = within(tokio::net::TcpStream::connect(("127.0.0.1", port))).await.unwrap();
    let browser = Browser::new();
    let landing = within(browser.login(&Url::parse(&pending.authorize_url).unwrap(), "erin")).await.unwrap();
    let (status, _) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    engine.signed_in().await;
    let mut byte = [0u8; 1];
    let read = within(idle.read(&mut byte)).await;
    assert!(matches!(read, Ok(0) | Err(_)), "the idle connection outlived the sign-in: {read:?}");
}
