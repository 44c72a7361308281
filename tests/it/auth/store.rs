//! The store as the one source of truth: two engines on one store refreshing at once both stay signed in, files
//! are private, and the keyring store works where a keyring runs.

use std::time::Duration;

use zorgtui::auth::{AuthCommand, AuthStatus, StoreConfig};
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

#[tokio::test]
async fn a_corrupt_token_file_is_named_as_corrupt_and_a_sign_in_replaces_it() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let file = zorgtui::auth::store::TokenStore::new(&config.store).token_file();
    for (written, detail) in [
        (b"{\"format\": 1, \"issuer\": ".to_vec(), "not JSON at line 1, column 24"),
        (b"{\"format\": 1}".to_vec(), "missing field `issuer`"),
        (vec![0xff, 0xfe, b'{'], "not text (not UTF-8)"),
    ] {
        write_private(&file, &written);
        let mut engine = Engine::start(config.clone());
        engine.handle.send(AuthCommand::Restore);
        let status = engine.until("the verdict", |s| matches!(s, AuthStatus::Expired { .. })).await;
        let expected =
            format!("the saved session in {} is corrupt ({detail}) — sign in again to replace it", file.display());
        assert_eq!(status, AuthStatus::Expired { reason: expected, retrying: false });
        assert_eq!(engine.token(), None);
    }
    let mut engine = Engine::start(config.clone());
    engine.sign_in("piet").await;
    assert_eq!(stored(&config).await.map(|s| s.subject.is_empty()), Some(false), "the corrupt file is replaced");
}

/// A session the engine holds that is newer than the stored one (its save failed: a full disk) is the one refreshed
/// from and saved at the next chance; the stored one's refresh token was rotated away, and spending it again would
/// make the server revoke the whole grant.
#[tokio::test]
async fn a_rotated_refresh_token_that_could_not_be_saved_is_not_lost() {
    let server = server(OidcOptions::default().with_access_token_ttl(Duration::from_secs(60))).await;
    let dir = tempfile::tempdir().unwrap();
    let config = config(&server, dir.path());
    let mut engine = Engine::start(config.clone());
    engine.sign_in("quinten").await;
    let mut first = stored(&config).await.unwrap();
    within(engine.handle.refresh_now()).await.unwrap();
    // As if the refresh's save had failed: the store still holds the first session, with a spent refresh token.
    first.obtained_at -= 10;
    let store = zorgtui::auth::store::TokenStore::new(&config.store);
    within(within(store.lock()).await.unwrap().save(&first)).await.unwrap();

    let next = within(engine.handle.refresh_now()).await.unwrap();
    let (status, body) = userinfo(&server, &next).await;
    assert_eq!(status, 200, "the grant is alive: the rotated refresh token was used, not the spent one: {body}");
    let now = stored(&config).await.unwrap();
    assert_eq!(now.access_token, next, "saved at this next chance");
    assert_ne!(now.refresh_token, first.refresh_token);
}

fn write_private(path: &std::path::Path, bytes: &[u8]) {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::set_permissions(path.parent().unwrap(), std::fs::Permissions::from_mode(0o700)).unwrap();
    let _ = std::fs::remove_file(path);
    let mut file = std::fs::OpenOptions::new().write(true).create_new(true).mode(0o600).open(path).unwrap();
    std::io::Write::write_all(&mut file, bytes).unwrap();
}
