//! The sign-in listener under a flood, in a `zorgtui login` limited to 1,024 file descriptors: 1,100 connections
//! that never finish a request (some say nothing, some dribble half a request line) cannot keep the browser's
//! callback out, and none of them outlives the sign-in.

use std::time::Duration;

use rustix::process::{Resource, Rlimit, getrlimit, setrlimit};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};
use tokio::net::TcpStream;

use super::{Home, Login};
use crate::support::browser::Browser;
use crate::support::engine::within;
use crate::support::oidc::{OidcOptions, OidcServer};

const FLOOD: usize = 1_100;

/// Lets this test process hold the flood's sockets, whatever its soft limit; `false` when the hard limit is too low.
fn enough_files_here(needed: u64) -> bool {
    let limit = getrlimit(Resource::Nofile);
    if limit.current.is_none_or(|current| current >= needed) {
        return true;
    }
    if limit.maximum.is_some_and(|maximum| maximum < needed) {
        return false;
    }
    setrlimit(Resource::Nofile, Rlimit { current: Some(needed), maximum: limit.maximum }).is_ok()
}

#[tokio::test]
async fn a_flood_of_idle_connections_cannot_keep_the_callback_out() {
    if !enough_files_here(FLOOD as u64 + 512) {
        eprintln!("skipped: this process may not open {FLOOD} sockets");
        return;
    }
    let server = within(OidcServer::start(OidcOptions::default())).await;
    let home = Home::new();
    let mut login = Login::start_limited(&home, &server, &["--no-browser"], 1024);
    let authorize = login.authorize_url().await;
    let redirect = authorize.query_pairs().find(|(k, _)| k == "redirect_uri").unwrap().1.into_owned();
    let port = url::Url::parse(&redirect).unwrap().port().unwrap();

    let mut flood = Vec::with_capacity(FLOOD);
    for i in 0..FLOOD {
        let Ok(Ok(mut stream)) =
            tokio::time::timeout(Duration::from_secs(2), TcpStream::connect(("127.0.0.1", port))).await
        else {
            continue; // the listener's queue was full for a moment: the flood goes on regardless
        };
        if i % 2 == 0 {
            let _ = stream.write_all(b"GET /callback?state=").await;
        }
        flood.push(stream);
    }
    assert!(flood.len() > FLOOD / 2, "the flood got in: {}", flood.len());

    let browser = Browser::new();
    let landing = within(browser.login(&authorize, "flo")).await.unwrap();
    let (status, body) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200, "the real callback landed: {body}");
    let (exit, stderr) = login.finish().await;
    assert!(exit.success(), "{stderr}");

    // Every flood connection is closed by now, or within the grace for the last page.
    for stream in &mut flood {
        let mut byte = [0u8; 1];
        let read = within(stream.read(&mut byte)).await;
        assert!(matches!(read, Ok(0) | Err(_)), "a flood connection outlived the sign-in: {read:?}");
    }
}
