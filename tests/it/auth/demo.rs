//! The engine against the offline demo's authorization server (what `zorgtui --demo` signs in to): its in-app
//! approval, refresh with rotation, the device grant, a call to the demo API with the token; its confidential and
//! machine clients; and a sign-out that revokes and ends the demo's browser session. The demo runs on the test's
//! runtime and measures time on tokio's clock, so tests that wait for a token to age run on paused time.

use std::time::Duration;

use reqwest::StatusCode;
use reqwest::header::LOCATION;
use url::Url;
use zorgtui::auth::claims::ClaimsQuery;
use zorgtui::auth::{AuthCommand, AuthStatus};
use zorgtui::config::{ClientAuthMethod, ClientCredentials, GrantKind, SecretSource};
use zorgtui::demo::{self, CONFIDENTIAL_CLIENT_ID, DemoOptions, DemoServers, MACHINE_CLIENT_ID};
use zorgtui::secret::Secret;

use crate::support::engine::{Engine, config_at, stored, within};

async fn demo_servers(ttl: Duration) -> DemoServers {
    let options =
        DemoOptions { access_token_ttl: ttl, device_poll_interval: Duration::from_secs(1), ..DemoOptions::default() };
    within(demo::start(options)).await.unwrap()
}

fn demo_config(servers: &DemoServers, dir: &std::path::Path) -> zorgtui::auth::AuthConfig {
    let mut config = config_at(servers.issuer(), servers.client_id(), dir);
    config.scope = "openid offline_access users:read organizations:read".into();
    config
}

fn confidential_config(servers: &DemoServers, dir: &std::path::Path) -> zorgtui::auth::AuthConfig {
    let mut config = demo_config(servers, dir);
    config.client_id = CONFIDENTIAL_CLIENT_ID.into();
    config.client = ClientCredentials {
        secret: Some(SecretSource::Inline(servers.client_secret().clone())),
        ..ClientCredentials::default()
    };
    config
}

async fn api_status(servers: &DemoServers, path: &str, token: &Secret) -> u16 {
    let request = reqwest::Client::new().get(format!("{}{path}", servers.api_base())).bearer_auth(token.expose());
    within(request.send()).await.unwrap().status().as_u16()
}

/// A refresh outside the engine, as `client_id` (with the secret when it has one): the server's word on a token.
async fn raw_refresh(servers: &DemoServers, client_id: &str, refresh_token: &Secret) -> u16 {
    let mut form = vec![("grant_type", "refresh_token"), ("refresh_token", refresh_token.expose())];
    form.push(("client_id", client_id));
    if client_id != servers.client_id() {
        form.push(("client_secret", servers.client_secret().expose()));
    }
    let url = format!("{}/protocol/openid-connect/token", servers.issuer());
    within(reqwest::Client::new().post(url).form(&form).send()).await.unwrap().status().as_u16()
}

/// Signs out through the engine and ends the session at the demo as a browser would; the stored refresh token,
/// which the demo must refuse afterwards.
async fn sign_out(engine: &mut Engine, config: &zorgtui::auth::AuthConfig) -> Secret {
    let refresh = stored(config).await.unwrap().refresh_token.unwrap();
    engine.handle.send(AuthCommand::Logout);
    let pending = engine.signing_out().await;
    assert!(pending.confirmable, "the demo sends the browser back to the loopback listener");
    within(demo::end_session(&pending.end_session_url)).await.unwrap();
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(engine.token(), None);
    refresh
}

#[tokio::test(start_paused = true)]
async fn sign_in_refresh_call_and_sign_out_of_the_demo() {
    let servers = demo_servers(Duration::from_secs(2)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = demo_config(&servers, dir.path());
    config.clock = zorgtui::auth::Clock::tokio();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    within(demo::approve(&pending.authorize_url)).await.unwrap();
    let info = engine.signed_in().await;
    assert_eq!(info.subject, "Demo User");
    let first = engine.token().unwrap();
    assert_eq!(api_status(&servers, "/users/me", &first).await, 200);

    let mut token = engine.handle.token();
    token.borrow_and_update();
    within(token.changed()).await.unwrap();
    let second = engine.token().unwrap();
    assert_ne!(second, first, "refreshed before the 2-second token died");
    assert_eq!(api_status(&servers, "/users/me", &second).await, 200);

    let refresh = sign_out(&mut engine, &config).await;
    assert_eq!(raw_refresh(&servers, servers.client_id(), &refresh).await, 400, "revoked at the sign-out");
    assert_eq!(api_status(&servers, "/users/me", &second).await, 401, "its access token with it");
}

#[tokio::test(start_paused = true)]
async fn the_demo_device_grant() {
    let servers = demo_servers(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut engine = Engine::start(demo_config(&servers, dir.path()));
    engine.handle.send(AuthCommand::StartDevice);
    let waiting = engine.until("a device prompt", |s| matches!(s, AuthStatus::WaitingForDevice(_))).await;
    let AuthStatus::WaitingForDevice(prompt) = waiting else { unreachable!() };
    let complete = prompt.verification_uri_complete.expect("the demo sends the complete URI");
    within(demo::approve_device(&complete)).await.unwrap();
    engine.signed_in().await;
    assert_eq!(api_status(&servers, "/users/me", &engine.token().unwrap()).await, 200);
}

#[tokio::test]
async fn the_confidential_demo_client_signs_in_with_its_secret_either_way() {
    let servers = demo_servers(Duration::from_secs(60)).await;
    // As the demo's metadata allows (Basic first), then forced into the body.
    for forced in [None, Some(ClientAuthMethod::ClientSecretPost)] {
        let dir = tempfile::tempdir().unwrap();
        let mut config = confidential_config(&servers, dir.path());
        config.client.method = forced;
        let mut engine = Engine::start(config.clone());
        engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
        let pending = engine.waiting_for_browser().await;
        within(demo::approve(&pending.authorize_url)).await.unwrap();
        assert_eq!(engine.signed_in().await.subject, "Demo User", "{forced:?}");
        let before = engine.token().unwrap();
        let after = within(engine.handle.refresh_now()).await.unwrap();
        assert_ne!(before, after, "{forced:?}");
        assert_eq!(api_status(&servers, "/organizations", &after).await, 200);
        // Introspection, with the secret: the demo vouches for its opaque token, and says whose it is.
        let claims = within(engine.handle.claims(ClaimsQuery { ask_server: true, include_raw: false })).await.unwrap();
        assert_eq!(claims["access_token"]["format"], "opaque");
        assert_eq!(claims["introspection"]["active"], true, "{claims:#}");
        assert_eq!(claims["introspection"]["client_id"], CONFIDENTIAL_CLIENT_ID);
        assert_eq!(claims["id_token"]["payload"]["aud"], CONFIDENTIAL_CLIENT_ID);
        assert_eq!(claims["id_token"]["header"]["alg"], "ES256", "verified against the demo's JWKS");
        assert!(!claims.to_string().contains(servers.client_secret().expose()));
        let refresh = sign_out(&mut engine, &config).await;
        assert_eq!(raw_refresh(&servers, CONFIDENTIAL_CLIENT_ID, &refresh).await, 400, "{forced:?}: revoked");
    }

    // The wrong secret: refused at the token endpoint, the secret in no message.
    let dir = tempfile::tempdir().unwrap();
    let mut config = confidential_config(&servers, dir.path());
    config.client.secret = Some(SecretSource::Inline(Secret::new("canary-wrong-demo-secret")));
    let mut engine = Engine::start(config);
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let pending = engine.waiting_for_browser().await;
    within(demo::approve(&pending.authorize_url)).await.unwrap();
    let reason = engine.failed().await;
    assert!(reason.contains("invalid_client") && !reason.contains("canary"), "{reason}");
}

#[tokio::test]
async fn the_machine_demo_client_needs_no_browser() {
    let servers = demo_servers(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    let mut config = confidential_config(&servers, dir.path());
    config.client_id = MACHINE_CLIENT_ID.into();
    config.grant = GrantKind::ClientCredentials;
    config.scope = "organizations:read api-specifications:read".into();
    let mut engine = Engine::start(config.clone());
    engine.handle.send(AuthCommand::Login { extra_scopes: Vec::new() });
    let info = engine.signed_in().await;
    assert!(info.machine_client && !info.has_refresh_token, "{info:?}");
    assert_eq!(info.scopes, ["api-specifications:read", "organizations:read"]);
    assert!(
        !engine.seen.iter().any(|e| matches!(e, zorgtui::auth::AuthEvent::Status(AuthStatus::WaitingForBrowser(_))))
    );
    let first = engine.token().unwrap();
    assert_eq!(api_status(&servers, "/organizations", &first).await, 200);
    assert_eq!(api_status(&servers, "/api-requirements-versions", &first).await, 403, "a scope it was not granted");

    let second = within(engine.handle.refresh_now()).await.unwrap();
    assert_ne!(first, second, "renewed by a new grant");
    let claims = within(engine.handle.claims(ClaimsQuery { ask_server: true, include_raw: false })).await.unwrap();
    assert_eq!(claims["introspection"]["sub"], format!("service-account-{MACHINE_CLIENT_ID}"), "{claims:#}");
    assert!(claims.get("userinfo").is_none(), "no person to ask about");

    // Its sign-out revokes the access token; there is no browser session to end.
    engine.handle.send(AuthCommand::Logout);
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert!(!engine.seen.iter().any(|e| matches!(e, zorgtui::auth::AuthEvent::Status(AuthStatus::SigningOut(_)))));
    assert_eq!(api_status(&servers, "/organizations", &second).await, 401, "revoked");
    assert!(stored(&config).await.is_none());
}

/// A browser with a cookie jar at the demo: it answers the sign-in page with Approve and says whether it was shown
/// (a browser signed in at the demo comes straight back).
struct DemoBrowser {
    http: reqwest::Client,
    jar: std::sync::Arc<reqwest::cookie::Jar>,
}

impl DemoBrowser {
    fn new() -> DemoBrowser {
        let jar = std::sync::Arc::new(reqwest::cookie::Jar::default());
        let http = reqwest::Client::builder()
            .cookie_provider(std::sync::Arc::clone(&jar))
            .redirect(reqwest::redirect::Policy::none())
            .no_proxy()
            .build()
            .unwrap();
        DemoBrowser { http, jar }
    }

    /// The cookies it would send to `url`, as a `Cookie` header says them.
    fn cookies(&self, url: &str) -> Option<String> {
        use reqwest::cookie::CookieStore as _;
        self.jar.cookies(&Url::parse(url).unwrap()).map(|value| value.to_str().unwrap().to_owned())
    }

    /// A browser holding the same cookies for `url` (one that kept a copy of the session cookie).
    fn with_cookies(url: &str, cookies: &str) -> DemoBrowser {
        let browser = DemoBrowser::new();
        let url = Url::parse(url).unwrap();
        for cookie in cookies.split("; ") {
            browser.jar.add_cookie_str(&format!("{cookie}; Path=/"), &url);
        }
        browser
    }

    /// Opens the authorize address and lands on the engine's listener; `true` if the sign-in page was shown.
    async fn sign_in(&self, authorize_url: &str) -> bool {
        let url = Url::parse(authorize_url).unwrap();
        let response = within(self.http.get(url.clone()).send()).await.unwrap();
        let (asked, redirect) = if response.status() == StatusCode::OK {
            let html = within(response.text()).await.unwrap();
            let session = html.split("name=\"session\" value=\"").nth(1).unwrap().split('"').next().unwrap();
            let action = url.join(html.split("action=\"").nth(1).unwrap().split('"').next().unwrap()).unwrap();
            let form = [("session", session), ("action", "approve")];
            (true, within(self.http.post(action).form(&form).send()).await.unwrap())
        } else {
            (false, response)
        };
        assert_eq!(redirect.status(), StatusCode::SEE_OTHER);
        self.land(&redirect).await;
        asked
    }

    /// Opens the end-session address and follows it back to the engine's listener.
    async fn sign_out(&self, end_session_url: &str) -> Url {
        let response = within(self.http.get(end_session_url).send()).await.unwrap();
        assert_eq!(response.status(), StatusCode::SEE_OTHER, "the ID token hint makes it sign out at once");
        self.land(&response).await
    }

    async fn land(&self, redirect: &reqwest::Response) -> Url {
        let landing = Url::parse(redirect.headers()[LOCATION].to_str().unwrap()).unwrap();
        let answer = within(self.http.get(landing.clone()).send()).await.unwrap();
        assert_eq!(answer.status(), StatusCode::OK, "{landing}");
        landing
    }
}

#[tokio::test]
async fn signing_out_ends_the_demo_browser_session_so_the_next_sign_in_asks() {
    let servers = demo_servers(Duration::from_secs(60)).await;
    let dir = tempfile::tempdir().unwrap();
    let config = demo_config(&servers, dir.path());
    let mut engine = Engine::start(config.clone());
    let browser = DemoBrowser::new();
    let sign_in = async |engine: &mut Engine, command: AuthCommand| {
        engine.handle.send(command);
        let pending = engine.waiting_for_browser().await;
        let asked = browser.sign_in(&pending.authorize_url).await;
        engine.signed_in().await;
        asked
    };
    let login = || AuthCommand::Login { extra_scopes: Vec::new() };
    assert!(sign_in(&mut engine, login()).await, "the first sign-in asks");
    assert!(!sign_in(&mut engine, login()).await, "signed in at the demo: it comes straight back");
    let someone_else = AuthCommand::LoginAsSomeoneElse { extra_scopes: Vec::new() };
    assert!(sign_in(&mut engine, someone_else).await, "prompt=login asks all the same");
    let id_token = stored(&config).await.unwrap().id_token.unwrap();
    let cookies = browser.cookies(&pending_authorize(&servers)).expect("the demo's session cookie");

    engine.handle.send(AuthCommand::Logout);
    let pending = engine.signing_out().await;
    let end = Url::parse(&pending.end_session_url).unwrap();
    let query: std::collections::HashMap<_, _> = end.query_pairs().into_owned().collect();
    assert_eq!(query["id_token_hint"], id_token.expose());
    assert_eq!(query["client_id"], servers.client_id());
    let landing = browser.sign_out(end.as_str()).await;
    assert_eq!(
        landing.query_pairs().find(|(k, _)| k == "state").map(|(_, v)| v.into_owned()),
        query.get("state").cloned()
    );
    engine.until("signed out", |s| *s == AuthStatus::SignedOut).await;
    assert_eq!(browser.cookies(&pending_authorize(&servers)), None, "the browser was told to forget it");

    assert!(sign_in(&mut engine, login()).await, "the session at the demo is gone: it asks again");
    // Ended at the demo too, not only forgotten by this browser: a copy of the old cookie signs nobody in.
    engine.handle.send(login());
    let pending = engine.waiting_for_browser().await;
    let kept = DemoBrowser::with_cookies(&pending.authorize_url, &cookies);
    assert!(kept.sign_in(&pending.authorize_url).await, "the old session cookie is worth nothing");
    engine.signed_in().await;
}

/// An address under the demo realm, where its session cookie goes.
fn pending_authorize(servers: &DemoServers) -> String {
    format!("{}/protocol/openid-connect/auth", servers.issuer())
}
