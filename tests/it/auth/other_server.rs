//! Against a second, independently written server laid out nothing like Keycloak: axa-group's oauth2-mock-server
//! (the issuer is the bare origin, endpoints at the root, RS256 ID tokens from its own JWKS, only `none` listed as
//! client authentication). Sign-in with nonce and a verified ID token, refresh, claims, revocation, and the
//! end-session address its metadata offers.

use std::time::Duration;

use url::Url;
use zorgtui::auth::claims::ClaimsQuery;
use zorgtui::auth::{AuthCommand, AuthStatus};

use super::server;
use crate::support::engine::{Engine, config_at, within};
use crate::support::oidc::OidcOptions;

#[tokio::test]
async fn oauth2_mock_server_signs_in_refreshes_and_signs_out() {
    let server = server(OidcOptions::mock_server()).await;
    let issuer = server.issuer().as_str().trim_end_matches('/').to_string();
    let dir = tempfile::tempdir().unwrap();
    let mut config = config_at(&issuer, "zorgtui", dir.path());
    config.scope = "openid profile".into();
    let mut engine = Engine::start(config);
    let (pending, browser, landing) = engine.browser_landing("anyone", &[]).await;
    let authorize = Url::parse(&pending.authorize_url).unwrap();
    assert_eq!(authorize.path(), "/authorize", "the mock's layout, from its discovery document");
    assert!(authorize.query_pairs().any(|(k, _)| k == "nonce"));
    within(browser.fetch(&landing)).await.unwrap();
    let info = engine.signed_in().await;
    assert!(info.has_refresh_token);

    let claims = within(engine.handle.claims(ClaimsQuery::default())).await.unwrap();
    assert_eq!(claims["id_token"]["header"]["alg"], "RS256", "{claims:#}");
    assert_eq!(claims["id_token"]["payload"]["iss"], issuer.as_str());
    assert!(claims["id_token"]["payload"]["nonce"].is_string());
    assert_eq!(claims["access_token"]["format"], "jwt");

    let before = engine.token().unwrap();
    tokio::time::sleep(Duration::from_millis(1100)).await;
    let after = within(engine.handle.refresh_now()).await.unwrap();
    assert_ne!(before, after);

    engine.handle.send(AuthCommand::Logout);
    let pending = engine.signing_out().await;
    assert!(pending.end_session_url.starts_with(&format!("{issuer}/endsession?")), "{}", pending.end_session_url);
    assert!(
        !engine.seen.iter().any(|e| matches!(e, zorgtui::auth::AuthEvent::Notice(_))),
        "revoked: {:?}",
        engine.seen
    );
    engine.handle.send(AuthCommand::CancelLogin);
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(engine.token(), None);
}
