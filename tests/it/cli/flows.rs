//! The doors as a person (or a script) uses them.

use std::time::Duration;

use zorgtui::secret::Secret;

use super::{Home, Login, outlive, text};
use crate::support::browser::Browser;
use crate::support::engine::{raw_refresh, userinfo, with_param, within};
use crate::support::oidc::{OidcOptions, OidcServer};

const TTL: Duration = Duration::from_secs(3);

async fn server() -> OidcServer {
    within(OidcServer::start(OidcOptions::default().with_access_token_ttl(TTL))).await
}

/// The session file the one-off profile wrote (`tokens/oneoff-….json`).
fn session_file(home: &Home) -> std::path::PathBuf {
    std::fs::read_dir(home.data().join("tokens"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .expect("a session file")
}

fn stored(home: &Home) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(session_file(home)).unwrap()).unwrap()
}

fn secret(value: &serde_json::Value, field: &str) -> Secret {
    Secret::new(value[field].as_str().unwrap_or_else(|| panic!("no {field}")))
}

async fn token(home: &Home, server: &OidcServer) -> Secret {
    let output = home.run(server, &["token"]).await;
    assert!(output.status.success(), "token failed: {}", text(&output.stderr));
    let printed = text(&output.stdout);
    assert_eq!(printed.lines().count(), 1, "one line, the token");
    Secret::new(printed.trim())
}

#[tokio::test]
async fn login_token_call_logout_end_to_end() {
    let server = server().await;
    let home = Home::new();

    // Signed out: token says so and fails.
    let output = home.run(&server, &["token"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).contains("not signed in"), "{}", text(&output.stderr));

    let mut login = Login::start(&home, &server, &["--no-browser"]);
    let authorize = login.authorize_url().await;
    let browser = Browser::new();
    let landing = within(browser.login(&authorize, "quinten")).await.unwrap();
    let code = landing.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let (status, _) = within(browser.fetch(&with_param(&landing, "state", "forged"))).await.unwrap();
    assert_eq!(status, 400, "a forged callback is refused");
    let (status, _) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    let (exit, stderr) = login.finish().await;
    assert!(exit.success(), "{stderr}");
    assert!(stderr.contains("Signed in as quinten"), "{stderr}");

    // token: a token the server accepts; after expiry, a new one it accepts too.
    let first = token(&home, &server).await;
    assert_eq!(userinfo(&server, &first).await.0, 200);
    outlive(TTL).await;
    assert_eq!(userinfo(&server, &first).await.0, 401, "the first token died");
    let second = token(&home, &server).await;
    assert_ne!(second, first, "a refreshed token");
    let (status, body) = userinfo(&server, &second).await;
    assert_eq!(status, 200, "{body}");

    let output = home.run(&server, &["status"]).await;
    let status_text = text(&output.stdout);
    assert!(output.status.success() && status_text.contains("signed in as quinten"), "{status_text}");

    // call: the API here is the issuer's own protected userinfo.
    let api = format!("{}/protocol/openid-connect", server.issuer());
    let output = home.run(&server, &["--api", &api, "call", "GET", "/userinfo"]).await;
    assert!(output.status.success(), "{}", text(&output.stderr));
    let body: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(body["sub"], "quinten");
    assert!(text(&output.stderr).starts_with("200 OK in "), "{}", text(&output.stderr));

    // A 401 (a stored access token the server does not know) gets one refresh and one retry.
    let file = session_file(&home);
    let mut session = stored(&home);
    session["access_token"] = "not-a-token-the-server-knows".into();
    std::fs::write(&file, session.to_string()).unwrap();
    let output = home.run(&server, &["--api", &api, "call", "GET", "/userinfo"]).await;
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert!(stderr.contains("401 Unauthorized: refreshing") && stderr.contains("200 OK in"), "{stderr}");

    // An error status exits non-zero, the body still on stdout.
    let output = home.run(&server, &["--api", &api, "call", "GET", "/nothing-here"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stderr).starts_with("404 Not Found in "), "{}", text(&output.stderr));
    assert!(!output.stdout.is_empty(), "the error body is printed");

    #[cfg(unix)]
    for (path, mode) in super::modes(&home.data()) {
        let want = if path.is_dir() { 0o700 } else { 0o600 };
        assert_eq!(mode, want, "{}", path.display());
    }

    let session = stored(&home);
    let refresh = secret(&session, "refresh_token");
    let access = secret(&session, "access_token");
    // The sign-out prints the address that ends the session at the server, and waits for the browser to land.
    let mut logout = Login::spawn(home.command(&server, &["logout", "--no-browser"]));
    let line = logout.line("the end-session address", |l| l.contains("/protocol/openid-connect/logout?")).await;
    let landing = within(browser.logout(&url::Url::parse(line.trim()).unwrap())).await.unwrap();
    let (status, _) = within(browser.fetch(&landing)).await.unwrap();
    assert_eq!(status, 200);
    let (exit, stderr) = logout.finish().await;
    assert!(exit.success(), "{stderr}");
    assert!(stderr.contains("Signed out of profile"), "{stderr}");
    let (status, body) = raw_refresh(&server, &refresh).await;
    assert_eq!(status, 400, "the refresh token is refused after logout: {body}");
    let output = home.run(&server, &["token"]).await;
    assert_eq!(output.status.code(), Some(1), "token fails after logout");
    let output = home.run(&server, &["status"]).await;
    assert_eq!(output.status.code(), Some(1));
    assert!(text(&output.stdout).contains("signed out"));

    // The log says what happened and holds no secret.
    let log = home.log();
    assert!(log.contains("signed in") && log.contains("refreshed"), "the log is written: {log}");
    for secret in [first.expose(), second.expose(), refresh.expose(), access.expose(), code.as_str()] {
        assert!(!log.contains(secret), "a secret in the log");
    }
}

#[tokio::test]
async fn login_finished_by_a_paste_on_stdin() {
    use tokio::io::AsyncWriteExt as _;
    let server = server().await;
    let home = Home::new();
    let mut login = Login::start(&home, &server, &["--no-browser"]);
    let authorize = login.authorize_url().await;
    let landing = within(Browser::new().login(&authorize, "rosa")).await.unwrap();
    let mut stdin = login.child.stdin.take().unwrap();
    let forged = format!("{}\n", with_param(&landing, "state", "forged"));
    stdin.write_all(forged.as_bytes()).await.unwrap();
    login.line("the refusal of the forged paste", |l| l.contains("state mismatch")).await;
    stdin.write_all(format!("{landing}\n").as_bytes()).await.unwrap();
    let (exit, stderr) = login.finish().await;
    assert!(exit.success(), "{stderr}");
    assert!(stderr.contains("Signed in as rosa"), "{stderr}");
    let code = landing.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    assert!(!home.log().contains(&code), "the pasted code is not logged");
    assert_eq!(userinfo(&server, &token(&home, &server).await).await.0, 200);
}

#[tokio::test]
async fn login_with_the_device_grant() {
    let server =
        within(OidcServer::start(OidcOptions::default().with_device_poll_interval(Duration::from_secs(1)))).await;
    let home = Home::new();
    let mut login = Login::start(&home, &server, &["--device"]);
    let uri = login.line("the verification address", |l| l.contains("/device")).await;
    let uri = uri.split_whitespace().find(|w| w.starts_with("http")).unwrap().to_string();
    login.line("the blank line", str::is_empty).await;
    let code = login.line("the user code", |l| !l.trim().is_empty()).await;
    within(Browser::new().approve_device(&url::Url::parse(&uri).unwrap(), code.trim(), "sem")).await.unwrap();
    let (exit, stderr) = login.finish().await;
    assert!(exit.success(), "{stderr}");
    assert!(stderr.contains("Signed in as sem"), "{stderr}");
}

#[tokio::test]
async fn two_processes_refreshing_at_once_both_end_signed_in() {
    let server = server().await;
    let home = Home::new();
    let mut login = Login::start(&home, &server, &["--no-browser"]);
    let authorize = login.authorize_url().await;
    let browser = Browser::new();
    let landing = within(browser.login(&authorize, "tim")).await.unwrap();
    within(browser.fetch(&landing)).await.unwrap();
    assert!(login.finish().await.0.success());
    outlive(TTL).await;
    // Both find the access token expired and refresh: the store's lock makes one of them wait and take the
    // other's tokens, so the rotating refresh token is spent once and the grant survives.
    let (a, b) = tokio::join!(home.run(&server, &["token"]), home.run(&server, &["token"]));
    assert!(a.status.success(), "{}", text(&a.stderr));
    assert!(b.status.success(), "{}", text(&b.stderr));
    let (a, b) = (Secret::new(text(&a.stdout).trim()), Secret::new(text(&b.stdout).trim()));
    assert_eq!(a, b, "one refresh, shared through the store");
    assert_eq!(userinfo(&server, &a).await.0, 200, "the grant is alive");
    outlive(TTL).await;
    let c = token(&home, &server).await;
    assert_eq!(userinfo(&server, &c).await.0, 200, "and can still be refreshed");
}
