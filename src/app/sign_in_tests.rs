//! Signing in, as `update` sees it: the engine's statuses in, the sign-in window's keys, step-up.

use std::time::{Duration, SystemTime};

use ratatui::crossterm::event::{Event, KeyCode};

use super::tests::{key, response, sent, state, type_text, update};
use super::*;
use crate::auth::{AuthCommand, AuthEvent, AuthStatus, PendingLogin, Redirect, SessionInfo};

/// The selected operation comes to need `scopes`, as when a spec saying so loads.
fn needs_scopes(s: &mut State, scopes: &[&str]) {
    let mut catalogue = (*s.catalogue.catalogue).clone();
    catalogue.operations[s.catalogue.selected_index().unwrap()].scopes =
        scopes.iter().map(|s| (*s).to_string()).collect();
    s.set_catalogue(catalogue);
}

/// The effects, which must all be for the auth engine, as its commands.
fn auth(effects: Vec<Effect>) -> Vec<AuthCommand> {
    effects
        .into_iter()
        .map(|effect| match effect {
            Effect::Auth(command) => command,
            other => panic!("not for the auth engine: {other:?}"),
        })
        .collect()
}

fn waiting(device_available: bool) -> Action {
    Action::Auth(AuthEvent::Status(AuthStatus::WaitingForBrowser(PendingLogin {
        authorize_url: "http://127.0.0.1:1/realms/x/protocol/openid-connect/auth?state=abc".into(),
        redirect: Redirect::Loopback { ip: std::net::Ipv4Addr::LOCALHOST.into(), port: 53682 },
        browser_opened: false,
        device_available,
    })))
}

fn signed_in(scopes: &[&str]) -> Action {
    Action::Auth(AuthEvent::Status(AuthStatus::SignedIn(SessionInfo {
        subject: "Demo User".into(),
        scopes: scopes.iter().map(|s| (*s).to_string()).collect(),
        access_expires_at: SystemTime::now() + Duration::from_secs(60),
        refresh_expires_at: None,
        last_refresh: None,
        has_refresh_token: true,
        refresh_trouble: None,
        machine_client: false,
    })))
}

#[test]
fn l_signs_in_from_any_pane_but_not_while_typing() {
    let mut s = state();
    s.focus = Pane::Response;
    assert_eq!(auth(update(&mut s, key(KeyCode::Char('L')))), vec![AuthCommand::Login { extra_scopes: vec![] }]);
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    assert!(update(&mut s, key(KeyCode::Char('L'))).is_empty());
    assert_eq!(s.catalogue.active_filter(), "L");
}

#[test]
fn the_sign_in_window_offers_copy_paste_and_cancel() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('L')));
    update(&mut s, waiting(true));
    assert!(s.signing_in());
    assert!(!s.wants_mouse(), "the address can be selected with the mouse");
    let effects = update(&mut s, key(KeyCode::Char('c')));
    assert!(matches!(&effects[..], [Effect::Copy(url)] if url.contains("state=abc")));
    assert_eq!(auth(update(&mut s, key(KeyCode::Char('d')))), vec![AuthCommand::StartDevice]);
    assert_eq!(auth(update(&mut s, key(KeyCode::Esc))), vec![AuthCommand::CancelLogin]);
}

#[test]
fn a_pasted_redirect_address_is_sent_at_once() {
    let mut s = state();
    update(&mut s, waiting(false));
    let url = "https://oauth.pstmn.io/v1/callback?state=abc&code=xyz&iss=http%3A%2F%2F127.0.0.1";
    let effects = update(&mut s, Action::Input(Event::Paste(format!("{url}\n"))));
    assert_eq!(auth(effects), vec![AuthCommand::PasteRedirect(url.into())]);
}

#[test]
fn a_typed_address_goes_with_enter() {
    let mut s = state();
    update(&mut s, waiting(false));
    update(&mut s, key(KeyCode::Char('v')));
    assert!(s.typing());
    type_text(&mut s, "http://127.0.0.1:1/callback?code=1&state=2");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(auth(effects), vec![AuthCommand::PasteRedirect("http://127.0.0.1:1/callback?code=1&state=2".into())]);
}

#[test]
fn in_the_demo_enter_approves() {
    let mut s = state();
    s.demo = true;
    update(&mut s, waiting(false));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(&effects[..], [Effect::DemoApprove { authorize_url }] if authorize_url.contains("state=abc")));
    assert!(s.tick_interval().is_some(), "a spinner shows while approving");
}

#[test]
fn signed_in_closes_the_window_and_gives_the_catalogue_the_keyboard() {
    let mut s = state();
    s.focus = Pane::Editor;
    update(&mut s, waiting(false));
    update(&mut s, signed_in(&["openid"]));
    assert!(!s.signing_in() && s.sign_in.is_none());
    assert_eq!(s.focus, Pane::Catalogue);
    assert!(s.wants_mouse());
    assert_eq!(s.tick_interval(), Some(Duration::from_secs(1)), "the countdown ticks once a second");
}

#[test]
fn signed_out_and_idle_means_no_ticks() {
    let s = state();
    assert_eq!(s.tick_interval(), None);
}

#[test]
fn a_missing_scope_offers_a_sign_in_that_adds_it() {
    let mut s = state();
    update(&mut s, signed_in(&["openid"]));
    needs_scopes(&mut s, &["users:read"]);
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_none(), "not a bare 403");
    assert!(s.notice.as_ref().unwrap().text.contains("needs users:read"), "{:?}", s.notice);
    assert_eq!(
        auth(update(&mut s, key(KeyCode::Char('L')))),
        vec![AuthCommand::Login { extra_scopes: vec!["users:read".into()] }]
    );
}

#[test]
fn a_warned_send_goes_ahead_the_second_time() {
    let mut s = state();
    update(&mut s, signed_in(&["openid"]));
    needs_scopes(&mut s, &["users:read"]);
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_none());
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_some());
}

#[test]
fn an_expired_session_keeps_the_request_and_the_response() {
    let mut s = state();
    update(&mut s, signed_in(&["openid"]));
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(&mut s, Action::Response { id, ready: response(200, r#"{"a":1}"#) });
    update(
        &mut s,
        Action::Auth(AuthEvent::Status(AuthStatus::Expired { reason: "invalid_grant".into(), retrying: false })),
    );
    assert!(s.response.shown.is_some());
    assert!(s.editor.draft().is_some());
    assert!(matches!(s.auth, AuthStatus::Expired { .. }));
}

#[test]
fn x_in_the_auth_pane_signs_out() {
    let mut s = state();
    update(&mut s, signed_in(&["openid"]));
    s.focus = Pane::Auth;
    assert_eq!(auth(update(&mut s, key(KeyCode::Char('x')))), vec![AuthCommand::Logout]);
    s.focus = Pane::Catalogue;
    assert!(update(&mut s, key(KeyCode::Char('x'))).is_empty(), "x means nothing elsewhere");
}

#[test]
fn the_sign_in_pane_offers_the_claims_and_someone_else() {
    let mut s = state();
    s.focus = Pane::Auth;
    assert!(update(&mut s, key(KeyCode::Char('c'))).is_empty(), "no tokens to read while signed out");
    assert!(s.notice.as_ref().unwrap().text.contains("Not signed in"), "{:?}", s.notice);
    update(&mut s, signed_in(&["openid"]));
    s.focus = Pane::Auth;
    assert!(matches!(update(&mut s, key(KeyCode::Char('c'))).as_slice(), [Effect::Claims { include_raw: false }]));
    assert!(matches!(update(&mut s, key(KeyCode::Char('R'))).as_slice(), [Effect::Claims { include_raw: true }]));
    assert_eq!(
        auth(update(&mut s, key(KeyCode::Char('S')))),
        vec![AuthCommand::LoginAsSomeoneElse { extra_scopes: vec![] }]
    );
}

#[test]
fn the_claims_show_in_the_response_pane_and_raw_tokens_are_warned_of() {
    let mut s = state();
    update(&mut s, signed_in(&["openid"]));
    let claims = crate::testing::json_response(200, r#"{"access_token":{"format":"jwt","payload":{"sub":"u1"}}}"#);
    update(&mut s, Action::Claims(Ok(Box::new(prepare_response(claims)))));
    assert_eq!(s.focus, Pane::Response);
    assert!(s.response.shown.as_ref().is_some_and(|shown| shown.claims));
    assert!(s.notice.is_none());
    let raw = crate::testing::json_response(200, r#"{"raw":{"access_token":"eyJ..."}}"#);
    update(&mut s, Action::Claims(Ok(Box::new(prepare_response(raw)))));
    assert!(s.notice.as_ref().unwrap().text.contains("raw tokens are on screen"), "{:?}", s.notice);
}

#[test]
fn a_sign_out_at_the_server_shows_its_address_and_the_demo_ends_it_with_enter() {
    let mut s = state();
    s.demo = true;
    let pending = crate::auth::PendingLogout {
        end_session_url: "http://127.0.0.1:1/realms/x/logout?id_token_hint=h".into(),
        browser_opened: false,
        confirmable: true,
    };
    update(&mut s, Action::Auth(AuthEvent::Status(AuthStatus::SigningOut(pending))));
    assert!(s.signing_in(), "the window is up");
    assert!(update(&mut s, key(KeyCode::Char('d'))).is_empty(), "no device for a sign-out");
    let copied = update(&mut s, key(KeyCode::Char('c')));
    assert!(matches!(copied.as_slice(), [Effect::Copy(url)] if url.contains("/logout?")), "{copied:?}");
    let ended = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(ended.as_slice(), [Effect::DemoEndSession { end_session_url }] if end_session_url.contains("logout"))
    );
    assert_eq!(auth(update(&mut s, key(KeyCode::Esc))), vec![AuthCommand::CancelLogin]);
}
