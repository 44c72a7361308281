//! The store as the one source of truth: two engines on one store refreshing at once both stay signed in, files
//! are private, and the keyring store works where a keyring runs.

use std::time::Duration;

use zorgtui::auth::{AuthCommand, StoreConfig};
use zorgtui::config::TokenStoreKind;

use super::server;
use crate::support::engine::{Engine, config, stored, userinfo, within};
use crate::support::oidc::OidcOptions;

#[tokio::test]
async fn two_engines_refreshing_at_once_both_stay_signed_in() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut first = Engine::start(config.clone());
    first.sign_in("noor").await;
    let mut second = Engine::start(config.clone());
    second.handle.send(AuthCommand::Restore);
    second.signed_in().await;
    assert_eq!(second.token(), first.token());

    for round in 0..3 {
        let (a, b) = within(async { tokio::join!(first.handle.refresh_now(), second.handle.refresh_now()) }).await;
        let (a, b) = (a.unwrap(), b.unwrap());
        // One of them refreshed; the other waited for the lock, re-read the store and took those tokens, instead
        // of spending the rotated refresh token a second time (which the server would take as theft).
        assert_eq!(a, b, "round {round}: both hold the one new token");
        let (status, body) = userinfo(&server, &a).await;
        assert_eq!(status, 200, "round {round}: {body}");
        assert_eq!(stored(&config).await.unwrap().access_token, a);
    }
    // Either can still refresh on its own afterwards: the grant is alive.
    let again = within(second.handle.refresh_now()).await.unwrap();
    assert_eq!(userinfo(&server, &again).await.0, 200);
}

#[cfg(unix)]
#[tokio::test]
async fn token_files_are_private() {
    use std::os::unix::fs::PermissionsExt as _;
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut engine = Engine::start(config(&server, &data));
    engine.sign_in("olga").await;
    let tokens = data.join("tokens");
    let mode = |p: &std::path::Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode(&tokens), 0o700);
    let files: Vec<_> = std::fs::read_dir(&tokens).unwrap().map(|e| e.unwrap().path()).collect();
    assert_eq!(files.len(), 2, "the session and its lock: {files:?}");
    for file in files {
        assert_eq!(mode(&file), 0o600, "{}", file.display());
    }
}

#[tokio::test]
async fn the_keyring_store_keeps_a_session_where_a_keyring_runs() {
    if !zorgtui::auth::store::keyring_available() {
        eprintln!("skipped: no OS keyring (Secret Service) here");
        return;
    }
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.store = StoreConfig {
        data_dir: dir.path().to_path_buf(),
        key: format!("zorgtui-test-{}", std::process::id()),
        kind: TokenStoreKind::Keyring,
    };
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    // A keyring may be listed yet locked or absent on a headless box: a failure to save is told, not hidden.
    let pending = engine.waiting_for_browser().await;
    let browser = crate::support::browser::Browser::new();
    let landing = within(browser.login(&url::Url::parse(&pending.authorize_url).unwrap(), "piet")).await.unwrap();
    within(browser.fetch(&landing)).await.unwrap();
    engine.signed_in().await;
    if stored(&config).await.is_none() {
        eprintln!("skipped: the keyring refused the session");
        return;
    }
    assert!(!zorgtui::auth::store::token_file(dir.path(), &config.store.key).exists(), "nothing on disk");
    engine.handle.send(AuthCommand::Logout);
    engine.until("signed out", |s| *s == zorgtui::auth::AuthStatus::SignedOut).await;
    assert!(stored(&config).await.is_none());
}
