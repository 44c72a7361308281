//! Ending a sign-in by pasting the address the browser landed on: the only way for a client whose registered
//! redirect is not ours (Postman's page), and a second way next to the loopback listener.

use zorgtui::auth::{AuthCommand, AuthStatus, Redirect};

use super::server;
use crate::support::engine::{Engine, config, userinfo, with_param};
use crate::support::oidc::OidcOptions;

#[tokio::test]
async fn a_registered_redirect_is_finished_by_pasting() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = config(&server, dir.path());
    config.client_id = server.paste_client_id().to_string();
    config.redirect_uri = Some(server.paste_redirect_uri().to_string());
    let mut engine = Engine::start(config);
    let (pending, _, landing) = engine.browser_landing("erin", &[]).await;
    assert_eq!(pending.redirect, Redirect::Registered { uri: server.paste_redirect_uri().to_string() });
    assert!(landing.as_str().starts_with(server.paste_redirect_uri().as_str()), "{landing}");

    engine.handle.send(AuthCommand::PasteRedirect("https://example.com/nothing".into()));
    assert!(engine.notice().await.contains("not the address the browser landed on"));
    engine.handle.send(AuthCommand::PasteRedirect(with_param(&landing, "state", "old").to_string()));
    assert!(engine.notice().await.contains("state mismatch"));
    assert!(matches!(engine.handle.status(), AuthStatus::WaitingForBrowser(_)), "a wrong paste keeps the wait");

    engine.handle.send(AuthCommand::PasteRedirect(format!("  {landing}\n")));
    let info = engine.signed_in().await;
    assert_eq!(info.subject, "Test user erin");
    let (status, _) = userinfo(&server, &engine.token().unwrap()).await;
    assert_eq!(status, 200);
}

#[tokio::test]
async fn a_paste_also_ends_a_loopback_sign_in() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let (pending, _, landing) = engine.browser_landing("frank", &[]).await;
    let Redirect::Loopback { port, .. } = pending.redirect else { panic!("loopback expected") };
    engine.handle.send(AuthCommand::PasteRedirect(landing.to_string()));
    assert_eq!(engine.signed_in().await.subject, "Test user frank");
    // The browser that comes back late finds nobody waiting.
    crate::support::engine::port_closed(port).await;
}

#[tokio::test]
async fn a_pasted_wrong_issuer_ends_the_sign_in() {
    let server = server(OidcOptions::default()).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(config(&server, dir.path()));
    let (_, _, landing) = engine.browser_landing("gina", &[]).await;
    let mut no_iss = landing.clone();
    let pairs: Vec<(String, String)> = landing.query_pairs().into_owned().filter(|(k, _)| k != "iss").collect();
    no_iss.query_pairs_mut().clear().extend_pairs(pairs);
    engine.handle.send(AuthCommand::PasteRedirect(no_iss.to_string()));
    let reason = engine.failed().await;
    assert!(reason.contains("lacks the `iss`"), "discovery promised iss: {reason}");
}
