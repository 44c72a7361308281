#![allow(clippy::unwrap_used)]

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::api::credentials::Placement;
use crate::app::Action;
use crate::app::tests::{key, type_text, update};
use crate::config::Profile;

const SPEC: &str = r"
openapi: 3.0.3
info: {title: keys, version: '1'}
servers: [{url: 'http://127.0.0.1:9/v1'}]
components:
  securitySchemes:
    key: {type: apiKey, name: X-API-Key, in: header}
    basic: {type: http, scheme: basic}
paths:
  /keyed: {get: {security: [{key: [], basic: []}], responses: {'200': {description: ok}}}}
  /open: {get: {responses: {'200': {description: ok}}}}
";

fn state() -> State {
    let catalogue = crate::api::openapi::parse(SPEC.as_bytes(), "keys.yaml").unwrap();
    let profile = Profile::new("spec", "https://login.example", "http://127.0.0.1:9/v1", "cli");
    State::new(profile, catalogue, ratatui::layout::Rect::new(0, 0, 120, 40), crate::testing::now())
}

fn select(s: &mut State, path: &str) {
    let index = s.catalogue.catalogue.operations.iter().position(|op| op.path == path).unwrap();
    s.catalogue.select_operation(index);
    s.follow_selection();
}

fn sent(effects: &[Effect]) -> Option<&crate::api::request::PreparedRequest> {
    effects.iter().find_map(|e| match e {
        Effect::Send { request, .. } => Some(request),
        _ => None,
    })
}

#[test]
fn each_value_is_asked_once_masked_kept_by_name_and_the_request_names_the_schemes_only() {
    let mut s = state();
    select(&mut s, "/open");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(sent(&effects).unwrap().credentials.is_none(), "an operation that names no scheme carries none");

    select(&mut s, "/keyed");
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty(), "asked first");
    let Some(Question::Credential(ask)) = &s.question else { panic!("asked for the key") };
    assert_eq!((ask.credential.scheme.as_str(), ask.origin.as_str()), ("key", "http://127.0.0.1:9"));
    assert_eq!(ask.input.mask_char(), Some('•'), "typed masked");
    type_text(&mut s, "k-123");
    assert!(!format!("{:?}", s.question).contains("k-123"), "not in a debug print either");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(effects.iter().any(
        |e| matches!(e, Effect::KeepCredential { scheme, value, .. } if scheme == "key" && value.expose() == "k-123")
    ));
    assert!(sent(&effects).is_none(), "the next value is asked for before anything goes");
    let Some(Question::Credential(ask)) = &s.question else { panic!("asked for the basic credential") };
    assert_eq!(ask.credential.placement, Placement::Basic);
    update(&mut s, key(KeyCode::Esc));
    assert!(s.notice.as_ref().unwrap().text.contains("Not sent"), "Esc sends nothing");

    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "ann:pw");
    let effects = update(&mut s, key(KeyCode::Enter));
    let request = sent(&effects).expect("sent once both are given");
    let credentials = request.credentials.as_ref().unwrap();
    let names: Vec<&str> = credentials.uses.iter().map(|u| u.scheme.as_str()).collect();
    assert_eq!(names, ["key", "basic"]);
    assert!(!request.with_token, "no token beside an Authorization credential");
    assert!(!format!("{request:?}").contains("k-123"), "the request holds no value");
    assert!(!format!("{:?}", s.remembered).contains("k-123"), "only the names are remembered");
    assert_eq!(s.remembered.api("http://127.0.0.1:9").unwrap().credentials, ["key", "basic"]);

    // Asked once: the next send goes at once; a value found gone is forgotten and asked for again.
    assert!(sent(&update(&mut s, key(KeyCode::Enter))).is_some());
    update(&mut s, Action::CredentialGone { origin: "http://127.0.0.1:9".into(), scheme: "key".into() });
    assert!(update(&mut s, key(KeyCode::Enter)).is_empty() && s.question.is_some(), "asked again");
}

#[test]
fn a_request_to_a_server_the_spec_does_not_list_carries_no_credential() {
    let mut s = state();
    select(&mut s, "/keyed");
    update(&mut s, key(KeyCode::Enter));
    let Some(Question::Credential(ask)) = s.question.take() else { panic!("asked") };
    s.remembered.api_mut("http://127.0.0.1:9").unwrap().credentials = vec!["key".into(), "basic".into()];
    // The same operation, as a history entry sent elsewhere would be.
    let mut outgoing = *ask.outgoing;
    outgoing.request.url = "http://127.0.0.2:9/v1/keyed".into();
    let effects = super::super::send::dispatch(&mut s, outgoing);
    assert!(sent(&effects).unwrap().credentials.is_none());
    assert!(s.notice.as_ref().unwrap().text.contains("not one of the spec's servers"));
}
