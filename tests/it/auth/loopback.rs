//! The loopback listener takes the address the profile's redirect URI names (RFC 8252 7.3): `[::1]` is listened
//! on as ::1, `localhost` as 127.0.0.1 (RFC 8252 8.3), and the authorize request carries the URI as configured.

use std::net::{Ipv4Addr, Ipv6Addr};
use std::time::Duration;

use url::Url;
use zorgtui::auth::{AuthCommand, Redirect};

use crate::support::engine::{Engine, config_at, within};
use crate::support::fake_issuer::{FakeIssuer, FakeOptions};

/// Signs in through a listener for `redirect_uri`, the test coming back to `callback_base` as the browser would.
/// Returns the redirect URI the authorize request carried and the body of the code exchange.
async fn sign_in_through(redirect_uri: &str, callback_base: &str) -> (String, String) {
    let server = FakeIssuer::start(FakeOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
    config.scope = "openid".into();
    config.redirect_uri = Some(redirect_uri.to_string());
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    let port = Url::parse(redirect_uri).unwrap().port().unwrap();
    let ip = if redirect_uri.contains("[::1]") { Ipv6Addr::LOCALHOST.into() } else { Ipv4Addr::LOCALHOST.into() };
    assert_eq!(pending.redirect, Redirect::Loopback { ip, port });
    let authorize = Url::parse(&pending.authorize_url).unwrap();
    let query: std::collections::HashMap<_, _> = authorize.query_pairs().into_owned().collect();

    let http = reqwest::Client::builder().no_proxy().build().unwrap();
    let callback = format!("{callback_base}/callback?code=the-code&state={}", query["state"]);
    let answer = within(http.get(&callback).send()).await.unwrap();
    assert_eq!(answer.status(), 200);
    engine.signed_in().await;
    let exchange = server.requests().into_iter().find(|r| r.contains("grant_type=authorization_code")).unwrap();
    (query["redirect_uri"].clone(), exchange)
}

fn free_port(ip: std::net::IpAddr) -> u16 {
    std::net::TcpListener::bind((ip, 0)).unwrap().local_addr().unwrap().port()
}

/// A free port on ::1, or `None` (the test then skips, saying so) where the machine has no IPv6 loopback.
fn free_ipv6_port() -> Option<u16> {
    match std::net::TcpListener::bind((Ipv6Addr::LOCALHOST, 0)) {
        Ok(listener) => Some(listener.local_addr().unwrap().port()),
        Err(error) => {
            eprintln!("SKIPPED: no IPv6 loopback here ({error})");
            None
        }
    }
}

#[tokio::test]
async fn an_ipv6_redirect_is_listened_on_at_ipv6_loopback() {
    let Some(port) = free_ipv6_port() else { return };
    let redirect_uri = format!("http://[::1]:{port}/callback");
    let (sent, exchange) = sign_in_through(&redirect_uri, &format!("http://[::1]:{port}")).await;
    assert_eq!(sent, redirect_uri);
    let encoded: String = url::form_urlencoded::byte_serialize(redirect_uri.as_bytes()).collect();
    assert!(exchange.contains(&format!("redirect_uri={encoded}")), "{exchange}");
}

#[tokio::test]
async fn a_localhost_redirect_is_listened_on_at_127_0_0_1_and_sent_as_configured() {
    let port = free_port(Ipv4Addr::LOCALHOST.into());
    let redirect_uri = format!("http://localhost:{port}/callback");
    let (sent, _) = sign_in_through(&redirect_uri, &format!("http://127.0.0.1:{port}")).await;
    assert_eq!(sent, redirect_uri, "the authorize request names the host as configured");
}

#[tokio::test]
async fn the_listener_is_only_where_the_redirect_says() {
    let Some(port) = free_ipv6_port() else { return };
    let server = FakeIssuer::start(FakeOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&server.issuer, "zorgtui", dir.path());
    config.redirect_uri = Some(format!("http://[::1]:{port}/callback"));
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    engine.waiting_for_browser().await;
    assert!(within(tokio::net::TcpStream::connect((Ipv6Addr::LOCALHOST, port))).await.is_ok());
    let v4 = tokio::time::timeout(Duration::from_secs(2), tokio::net::TcpStream::connect((Ipv4Addr::LOCALHOST, port)));
    assert!(!matches!(v4.await, Ok(Ok(_))), "nothing listens on 127.0.0.1:{port}");
}
