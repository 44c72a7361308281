//! `zorgtui token` while the issuer is down and the stored token is due for its refresh: a token that still
//! works is printed (the problem on stderr); the session is kept for when the issuer is back.

use super::{Home, store_session, text};
use crate::support::engine::within;

#[tokio::test]
async fn token_prints_a_token_that_still_works_while_the_issuer_is_down() {
    let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
    let issuer = format!("http://127.0.0.1:{port}/realms/down");
    let home = Home::new();
    store_session(&home, &issuer, 600, 25).await;

    let output = within(home.command_at(&issuer, "zorgtui", &["token"]).output()).await.unwrap();
    let stderr = text(&output.stderr);
    assert!(output.status.success(), "{stderr}");
    assert_eq!(text(&output.stdout).trim(), "stored-access");
    assert!(stderr.contains("warning:") && stderr.contains(&format!("127.0.0.1:{port}")), "{stderr}");

    // Once the token is dead (its expiry second has come: it is stored with none left) it is not printed; the
    // session stays stored for when the issuer is back.
    let dead = Home::new();
    store_session(&dead, &issuer, 600, 0).await;
    let output = within(dead.command_at(&issuer, "zorgtui", &["token"]).output()).await.unwrap();
    assert_eq!(output.status.code(), Some(1), "{}", text(&output.stderr));
    assert!(text(&output.stdout).is_empty());
    assert!(
        std::fs::read_dir(dead.data().join("tokens"))
            .unwrap()
            .any(|e| { e.unwrap().path().extension().is_some_and(|x| x == "json") })
    );
}
