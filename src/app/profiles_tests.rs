//! Switching profiles and the questions a spec-born profile asks, as `update` sees them.

use ratatui::crossterm::event::KeyCode;

use super::tests::{key, state, type_text, update};
use super::*;
use crate::auth::{AuthCommand, AuthEvent, AuthStatus, SessionInfo};
use crate::config::spec_profile::Origin;
use crate::config::{Config, Profile};

fn with_profiles(state: &mut State) {
    let config = Config::parse("", std::path::Path::new("config.toml")).unwrap();
    state.profiles = config.profiles.into_values().collect();
}

/// A profile as a spec would bring it: its own API and issuer, no client id yet.
fn spec_born() -> Profile {
    let mut profile = Profile::new("spec", "https://login.example", "http://127.0.0.1:9/v1", "");
    profile.origins =
        crate::config::spec_profile::Origins { api: Origin::Spec, issuer: Origin::Spec, client_id: Origin::Missing };
    profile.one_off = true;
    profile
}

/// Signed in, on a spec-born profile with a client id: the trust question comes before the first token goes.
fn signed_in_to_a_spec_born_api() -> State {
    let mut s = state();
    let mut profile = spec_born();
    profile.client_id = "cli".into();
    s.profile = profile;
    s.refresh_servers();
    update(&mut s, signed_in());
    s
}

fn signed_in() -> Action {
    Action::Auth(AuthEvent::Status(AuthStatus::SignedIn(SessionInfo {
        subject: "someone".into(),
        scopes: vec!["openid".into()],
        access_expires_at: std::time::SystemTime::UNIX_EPOCH + std::time::Duration::from_secs(4_000_000_000),
        refresh_expires_at: None,
        has_refresh_token: false,
        last_refresh: None,
        refresh_trouble: None,
        machine_client: false,
    })))
}

#[test]
fn p_lists_the_profiles_and_enter_switches_to_the_one_chosen() {
    let mut s = state();
    with_profiles(&mut s);
    update(&mut s, signed_in());
    update(&mut s, key(KeyCode::Char('P')));
    let selected = s.profile_picker.expect("the list is up");
    assert_eq!(s.profiles[selected].name, "sandbox", "the one in use is selected");
    assert!(super::keymap::key_hints(&s).iter().any(|h| h.action == "switch to it"));
    let production = s.profiles.iter().position(|p| p.name == "production").unwrap();
    for _ in 0..production.abs_diff(selected) {
        update(&mut s, key(if production > selected { KeyCode::Char('j') } else { KeyCode::Char('k') }));
    }
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(effects.as_slice(), [Effect::UseProfile(p), Effect::Workspace(crate::app::day::WorkspaceEffect::Load { profile_key })] if p.name == "production" && *profile_key == p.store_key()),
        "a new engine for production: {effects:?}"
    );
    assert_eq!(s.profile.name, "production");
    assert!(s.profile_picker.is_none());
    assert!(matches!(s.auth, AuthStatus::SignedOut), "the sandbox session is not production's");
    assert_eq!(s.servers[0].url, s.profile.api, "requests go to production's API now");
    assert!(s.notice.as_ref().unwrap().text.contains("api.zorgapis.nl"), "{:?}", s.notice);
}

#[test]
fn esc_keeps_the_profile_and_a_lone_profile_says_how_to_add_one() {
    let mut s = state();
    with_profiles(&mut s);
    update(&mut s, key(KeyCode::Char('P')));
    update(&mut s, key(KeyCode::Char('j')));
    assert!(update(&mut s, key(KeyCode::Esc)).is_empty());
    assert_eq!((s.profile.name.as_str(), s.profile_picker), ("sandbox", None));

    let mut alone = state();
    update(&mut alone, key(KeyCode::Char('P')));
    assert!(alone.profile_picker.is_none());
    assert!(alone.notice.unwrap().text.contains("[profiles.NAME]"));
}

#[test]
fn a_missing_client_id_is_asked_once_then_remembered_and_the_sign_in_goes_on() {
    let mut s = state();
    s.profile = spec_born();
    assert!(update(&mut s, key(KeyCode::Char('L'))).is_empty(), "nothing starts without a client id");
    assert!(matches!(s.question, Some(Question::ClientId { .. })));
    assert!(s.typing(), "q types a q");
    type_text(&mut s, "my-cli");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(
        matches!(&effects[0], Effect::Remember(r) if r.api("http://127.0.0.1:9").unwrap().client_id.as_deref() == Some("my-cli"))
    );
    assert!(matches!(&effects[1], Effect::UseProfile(p) if p.client_id == "my-cli"));
    assert!(matches!(&effects[2], Effect::Workspace(crate::app::day::WorkspaceEffect::Load { .. })), "its own files");
    assert!(matches!(&effects[3], Effect::Auth(AuthCommand::Login { .. })));
    assert_eq!(s.profile.origins.client_id, Origin::Asked);
}

#[test]
fn the_token_goes_to_a_spec_born_api_only_after_yes() {
    let mut s = signed_in_to_a_spec_born_api();
    // Not signed in there is nothing to ask: a send without a token goes as before.
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(effects.is_empty() && matches!(s.question, Some(Question::TrustPair { .. })), "{effects:?}");
    assert!(update(&mut s, key(KeyCode::Char('x'))).is_empty(), "any other key says no");
    assert!(s.notice.as_ref().unwrap().text.contains("Not sent"));
    update(&mut s, key(KeyCode::Enter));
    let effects = update(&mut s, key(KeyCode::Char('y')));
    assert!(
        matches!(&effects[0], Effect::Remember(r) if r.api(&s.profile.api).unwrap().trusted_issuer.as_deref() == Some("https://login.example"))
    );
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { request, .. } if request.with_token)));
    assert!(s.pair_trusted());
    // Asked once: the next send goes at once.
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { .. })), "{effects:?}");
}

#[test]
fn a_resend_that_waits_on_the_trust_question_goes_as_it_was_after_yes() {
    let mut s = signed_in_to_a_spec_born_api();
    // The editor's request, taken from the question, stands in for one from the history with another path.
    update(&mut s, key(KeyCode::Enter));
    let Some(Question::TrustPair { outgoing, .. }) = s.question.take() else { panic!("asked") };
    let mut other = *outgoing;
    other.request.url.push_str("/from-history");
    let label = "GET /from-history".to_string();
    assert!(super::send::send_prepared(&mut s, other.request, label, other.sent).is_empty(), "asked first");
    let effects = update(&mut s, key(KeyCode::Char('y')));
    let sent: Vec<_> = effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { request, .. } => Some(request),
            _ => None,
        })
        .collect();
    assert_eq!(sent.len(), 1, "{effects:?}");
    assert!(sent[0].url.ends_with("/from-history") && sent[0].with_token, "{:?}", sent[0].url);
}

#[test]
fn a_spec_from_a_url_chooses_the_profile_when_it_arrives() {
    let mut s = state();
    let config = std::sync::Arc::new(Config::parse("", std::path::Path::new("config.toml")).unwrap());
    s.spec_chooses = Some(SpecChooses { config, overrides: crate::config::Overrides::default() });
    let mut catalogue = super::tests::catalogue();
    catalogue.servers = vec![crate::api::Server::plain("https://things.example/v1", "")];
    let effects = update(&mut s, Action::SpecLoaded(Ok(Box::new(catalogue))));
    assert!(
        matches!(effects.as_slice(), [Effect::UseProfile(p), Effect::Workspace(_)] if p.api == "https://things.example/v1")
    );
    assert_eq!(s.server_url(), "https://things.example/v1", "not the sandbox");
    assert!(s.spec_chooses.is_none(), "decided once: a revalidated spec does not switch again");
}
