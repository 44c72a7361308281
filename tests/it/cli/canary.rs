//! A canary client secret and the tokens it buys, at `ZORGTUI_LOG=trace`, through sign-in, refresh, a call, the
//! claims (offline and from the server) and the sign-out: found nowhere but in the 0600 files that must hold them
//! (config.toml holds the secret, the session file the tokens), and never in the log or in what is printed, but
//! the token `zorgtui token` is asked for.

use std::time::Duration;

use super::{Home, Login, outlive, text};
use crate::support::browser::Browser;
use crate::support::engine::within;
use crate::support::oidc::{CLIENT_SECRET, OidcOptions, OidcServer};

const TTL: Duration = Duration::from_secs(3);

#[tokio::test]
async fn the_secret_and_tokens_are_only_where_they_must_be() {
    use std::os::unix::fs::PermissionsExt as _;
    let server = within(OidcServer::start(OidcOptions::default().with_access_token_ttl(TTL))).await;
    let home = Home::new();
    let config = home.path().join("config.toml");
    let api = format!("{}/protocol/openid-connect", server.issuer());
    std::fs::write(
        &config,
        format!(
            "default_profile = \"canary\"\n[profiles.canary]\nissuer = \"{}\"\napi = \"{api}\"\n\
             client_id = \"zorgtui.basic\"\nscope = \"openid profile offline_access\"\nclient_secret = \"{CLIENT_SECRET}\"\n",
            server.issuer()
        ),
    )
    .unwrap();
    std::fs::set_permissions(&config, std::fs::Permissions::from_mode(0o600)).unwrap();
    let printed = std::cell::RefCell::new(String::new());
    let run = async |args: &[&str]| {
        let output = within(home.bare(args).output()).await.unwrap();
        assert!(output.status.success(), "{args:?}: {}", text(&output.stderr));
        printed.borrow_mut().push_str(&text(&output.stderr));
        output
    };

    let mut login = Login::spawn(home.bare(&["login", "--no-browser"]));
    let authorize = login.authorize_url().await;
    let browser = Browser::new();
    let landing = within(browser.login(&authorize, "canary")).await.unwrap();
    within(browser.fetch(&landing)).await.unwrap();
    let (exit, stderr) = login.finish().await;
    assert!(exit.success(), "{stderr}");
    printed.borrow_mut().push_str(&stderr);

    let session_file = std::fs::read_dir(home.data().join("tokens"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "json"))
        .unwrap();
    let mut tokens = Vec::new();
    let remember = |tokens: &mut Vec<String>| {
        let session: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&session_file).unwrap()).unwrap();
        for field in ["access_token", "refresh_token", "id_token"] {
            tokens.push(session[field].as_str().unwrap().to_string());
        }
    };
    remember(&mut tokens);
    let first = text(&run(&["token"]).await.stdout).trim().to_string();
    outlive(TTL).await;
    let second = text(&run(&["token"]).await.stdout).trim().to_string();
    assert_ne!(first, second, "refreshed");
    remember(&mut tokens);
    let called = text(&run(&["call", "GET", "/userinfo"]).await.stdout);
    printed.borrow_mut().push_str(&called);
    let offline = text(&run(&["status", "--claims"]).await.stdout);
    assert!(offline.contains("\"format\": \"opaque\"") && offline.contains("\"nonce\""), "{offline}");
    let decoded = text(&run(&["token", "--decode"]).await.stdout);
    assert!(decoded.contains("\"active\": true"), "{decoded}");
    printed.borrow_mut().push_str(&offline);
    printed.borrow_mut().push_str(&decoded);

    let mut logout = Login::spawn(home.bare(&["logout", "--no-browser"]));
    let line = logout.line("the end-session address", |l| l.contains("/protocol/openid-connect/logout?")).await;
    let end = url::Url::parse(line.trim()).unwrap();
    let landing = within(browser.logout(&end)).await.unwrap();
    within(browser.fetch(&landing)).await.unwrap();
    let (exit, stderr) = logout.finish().await;
    assert!(exit.success() && stderr.contains("Signed out"), "{stderr}");
    // The end-session address carries the ID token as its hint, by design (a signed statement, not a credential).
    printed.borrow_mut().push_str(&stderr.replace(end.as_str(), "<end-session address>"));
    let printed = printed.into_inner();

    let canaries: Vec<&str> = std::iter::once(CLIENT_SECRET).chain(tokens.iter().map(String::as_str)).collect();
    for canary in &canaries {
        assert!(!printed.contains(canary), "a secret was printed");
    }
    let log = home.log();
    assert!(log.contains("TRACE") || log.contains("DEBUG"), "the log is verbose");
    for (path, mode) in super::modes(home.path()) {
        if path.is_dir() {
            continue;
        }
        let content = std::fs::read(&path).unwrap();
        let content = String::from_utf8_lossy(&content);
        for canary in &canaries {
            if content.contains(canary) {
                assert!(path == config || path == session_file, "a secret in {}", path.display());
                assert_eq!(mode, 0o600, "{}", path.display());
            }
        }
    }
    assert!(!session_file.exists(), "the session is gone after the sign-out");
}
