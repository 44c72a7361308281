//! `zorgtui token` while the issuer is down and the stored token is due for its refresh: a token that still
//! works is printed (the problem on stderr); the session is kept for when the issuer is back.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use zorgtui::auth::StoreConfig;
use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::config::{Config, Overrides};
use zorgtui::secret::Secret;

use super::{Home, text};
use crate::support::engine::within;

/// Stores, for the one-off profile of `issuer`, a session whose access token works `left` more seconds but is due
/// for its refresh (the default margin is 30 s).
async fn store_due_session(home: &Home, issuer: &str, left: u64) -> Session {
    let overrides = Overrides {
        issuer: Some(issuer.into()),
        client_id: Some("zorgtui".into()),
        scope: Some("openid offline_access".into()),
        ..Overrides::default()
    };
    let profile = Config::load(&home.data().join("none.toml")).unwrap().select(None, &overrides).unwrap();
    let store =
        TokenStore::new(&StoreConfig { data_dir: home.data(), key: profile.store_key(), kind: profile.token_store });
    let now = SystemTime::now().duration_since(UNIX_EPOCH).unwrap().as_secs();
    let session = Session {
        format: 1,
        issuer: profile.issuer.clone(),
        client_id: profile.client_id.clone(),
        subject: "Stored".into(),
        scopes: vec!["openid".into()],
        access_token: Secret::new("stored-access"),
        access_expires_at: now + left,
        obtained_at: now - 600,
        refresh_token: Some(Secret::new("stored-refresh")),
        refresh_expires_at: None,
        last_refresh: None,
    };
    within(within(store.lock()).await.unwrap().save(&session)).await.unwrap();
    session
}

#[tokio::test]
async fn token_prints_a_token_that_still_works_while_the_issuer_is_down() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let issuer = format!("http://127.0.0.1:{port}/realms/down");
    let home = Home::new();
    store_due_session(&home, &issuer, 25).await;

    let output = within(home.command_at(&issuer, "zorgtui", &["token"]).output()).await.unwrap();
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(text(&output.stdout).trim(), "stored-access");
    assert!(stderr.contains("warning:") && stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");

    // Once the token is dead it is not printed; the session stays stored for when the issuer is back.
    let dead = Home::new();
    store_due_session(&dead, &issuer, 0).await;
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let output = within(dead.command_at(&issuer, "zorgtui", &["token"]).output()).await.unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).is_empty());
    assert!(
        std::fs::read_dir(dead.data().join("tokens"))
            .unwrap()
            .any(|e| { e.unwrap().path().extension().is_some_and(|x| x == "json") })
    );
}
