//! The demo's end-session endpoint (RP-Initiated Logout) on the wire: an ID token hint it issued, a client that
//! agrees with it, a loopback post-logout redirect; anything else gets a page and no redirect. Without a hint the
//! person is asked first. Signing out there ends the session's tokens, and `prompt=none` then finds nobody.

use reqwest::StatusCode;
use reqwest::header::{LOCATION, SET_COOKIE};
use url::Url;
use zorgtui::demo::DemoServers;

use super::within;
use super::{access_token, api_get, authorize_url, endpoint, pkce, refresh, refresh_token, sign_in, start_default};

/// A browser that keeps cookies and follows no redirect.
fn browser() -> reqwest::Client {
    reqwest::Client::builder()
        .cookie_store(true)
        .redirect(reqwest::redirect::Policy::none())
        .no_proxy()
        .build()
        .unwrap()
}

fn logout_url(demo: &DemoServers, pairs: &[(&str, &str)]) -> Url {
    let mut url = Url::parse(&endpoint(demo, "logout")).unwrap();
    url.query_pairs_mut().extend_pairs(pairs);
    url
}

async fn refused(demo: &DemoServers, pairs: &[(&str, &str)], why: &str) {
    let response = within(browser().get(logout_url(demo, pairs)).send()).await.unwrap();
    assert_eq!(response.status(), StatusCode::BAD_REQUEST, "{why}");
    assert!(response.headers().get(LOCATION).is_none(), "{why}: never a redirect");
    let html = within(response.text()).await.unwrap();
    assert!(html.contains(why), "{why}: {html}");
}

#[tokio::test]
async fn only_a_hint_it_issued_and_a_loopback_redirect_are_taken() {
    let demo = start_default().await;
    let tokens = sign_in(&demo, "openid users:read").await;
    let hint = tokens["id_token"].as_str().unwrap();
    let back = "http://127.0.0.1:9/logged-out";

    let mut parts: Vec<&str> = hint.split('.').collect();
    let forged_payload = base64::Engine::encode(&base64::engine::general_purpose::URL_SAFE_NO_PAD, b"{\"sub\":\"x\"}");
    parts[1] = &forged_payload;
    let forged = parts.join(".");
    refused(&demo, &[("id_token_hint", &forged)], "not an ID token this server issued").await;
    let other_run = start_default().await;
    let theirs = sign_in(&other_run, "openid").await;
    refused(&demo, &[("id_token_hint", theirs["id_token"].as_str().unwrap())], "not an ID token this server issued")
        .await;
    refused(&demo, &[("id_token_hint", hint), ("client_id", "zorgtui-demo-confidential")], "another client").await;
    refused(&demo, &[("client_id", "someone")], "not known here").await;
    refused(&demo, &[("post_logout_redirect_uri", back)], "needs the client").await;
    let off_loopback = [("id_token_hint", hint), ("post_logout_redirect_uri", "https://evil.example/bye")];
    refused(&demo, &off_loopback, "only returns to loopback").await;
    assert_eq!(refresh(&demo, refresh_token(&tokens)).await.0, 200, "no refused request signed anyone out");
}

#[tokio::test]
async fn a_hinted_sign_out_ends_the_session_and_goes_back_with_state() {
    let demo = start_default().await;
    let browser = browser();
    // A sign-in in this browser, so it has a session at the demo.
    let (verifier, challenge) = pkce();
    let callback = "http://127.0.0.1:9/callback";
    let page_url = authorize_url(&demo, callback, &challenge, "openid users:read", "s1");
    let page = within(within(browser.get(&page_url).send()).await.unwrap().text()).await.unwrap();
    let session = page.split("name=\"session\" value=\"").nth(1).unwrap().split('"').next().unwrap();
    let approve = format!("{}/login-actions/authenticate", demo.issuer());
    let approved = within(browser.post(approve).form(&[("session", session), ("action", "approve")]).send());
    let approved = approved.await.unwrap();
    assert!(approved.headers()[SET_COOKIE].to_str().unwrap().starts_with("DEMO_SESSION="));
    let landed = Url::parse(approved.headers()[LOCATION].to_str().unwrap()).unwrap();
    let code = landed.query_pairs().find(|(k, _)| k == "code").unwrap().1.into_owned();
    let approval = super::Approval { code, verifier, redirect_uri: callback.to_owned() };
    let (status, tokens) = super::redeem(&demo, &approval).await;
    assert_eq!(status, 200, "{tokens}");

    // prompt=none finds the session.
    let (_, challenge) = pkce();
    let silent = format!("{}&prompt=none", authorize_url(&demo, callback, &challenge, "openid", "s2"));
    let answer = within(browser.get(&silent).send()).await.unwrap();
    assert!(answer.headers()[LOCATION].to_str().unwrap().contains("code="), "signed in: no page");

    let back = "http://127.0.0.1:9/logged-out";
    let hint = tokens["id_token"].as_str().unwrap();
    let url = logout_url(&demo, &[("id_token_hint", hint), ("post_logout_redirect_uri", back), ("state", "st8")]);
    let response = within(browser.get(url).send()).await.unwrap();
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    assert_eq!(response.headers()[LOCATION], "http://127.0.0.1:9/logged-out?state=st8");
    assert!(response.headers()[SET_COOKIE].to_str().unwrap().contains("Max-Age=0"), "the cookie is cleared");

    // What the session signed in is over, and the browser is signed in no more.
    assert_eq!(refresh(&demo, refresh_token(&tokens)).await.0, 400);
    assert_eq!(api_get(&demo, "/users/me", access_token(&tokens)).await.status(), 401);
    let (_, challenge) = pkce();
    let silent = format!("{}&prompt=none", authorize_url(&demo, callback, &challenge, "openid", "s3"));
    let answer = within(browser.get(&silent).send()).await.unwrap();
    let location = answer.headers()[LOCATION].to_str().unwrap().to_owned();
    assert!(location.contains("error=login_required") && location.contains("state=s3"), "{location}");
}

#[tokio::test]
async fn without_a_hint_the_person_is_asked_first() {
    let demo = start_default().await;
    let tokens = sign_in(&demo, "openid users:read offline_access").await;
    let back = "http://[::1]:9/bye";
    let url = logout_url(&demo, &[("client_id", "zorgtui-demo"), ("post_logout_redirect_uri", back), ("state", "q")]);
    let page = within(browser().get(url.clone()).send()).await.unwrap();
    assert_eq!(page.status(), StatusCode::OK);
    let html = within(page.text()).await.unwrap();
    assert!(html.contains("Sign out of the zorgtui demo?") && html.contains("name=\"confirm\""), "{html}");
    // "Sign out" posts the request back, confirmed.
    let fields: Vec<(String, String)> = html
        .split("<input type=\"hidden\" name=\"")
        .skip(1)
        .map(|input| {
            let (name, rest) = input.split_once('"').unwrap();
            let value = rest.split("value=\"").nth(1).unwrap().split('"').next().unwrap();
            (name.to_owned(), value.replace("&#39;", "'").replace("&amp;", "&"))
        })
        .collect();
    assert!(fields.contains(&("confirm".into(), "yes".into())) && fields.contains(&("state".into(), "q".into())));
    let confirmed = within(browser().post(endpoint(&demo, "logout")).form(&fields).send()).await.unwrap();
    assert_eq!(confirmed.status(), StatusCode::SEE_OTHER);
    assert_eq!(confirmed.headers()[LOCATION], "http://[::1]:9/bye?state=q");
    // An offline token outlives the browser session, as Keycloak's offline sessions do.
    assert_eq!(refresh(&demo, refresh_token(&tokens)).await.0, 200);
}
