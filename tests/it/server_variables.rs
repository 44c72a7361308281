//! A spec's server variables in the editor (issue 13, item 1): filled from their defaults, chosen from the values
//! the spec lists or typed, shown in the URL the request goes to, and sent there; the spec's credentials go to a
//! URL made of values the spec names, never to one a typed value made.

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use zorgtui::app::{Action, Effect, Question, State, update};
use zorgtui::config::spec_profile::{self, Remembered};
use zorgtui::config::{Config, Overrides};

use crate::support::screen::render;

fn state_for(document: &[u8], source: &str) -> State {
    let catalogue = zorgtui::api::openapi::parse(document, source).unwrap();
    let config = Config::parse("", std::path::Path::new("config.toml")).unwrap();
    let (profile, _) = spec_profile::for_spec(&config, &catalogue, &Overrides::default(), &Remembered::default());
    State::new(profile, catalogue, Rect::new(0, 0, 120, 30), zorgtui::testing::now())
}

fn press_with(state: &mut State, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    update(state, Action::Input(Event::Key(KeyEvent::new(code, modifiers))), zorgtui::testing::now())
}

fn press(state: &mut State, code: KeyCode) -> Vec<Effect> {
    press_with(state, code, KeyModifiers::NONE)
}

fn type_text(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

fn sent_url(effects: &[Effect]) -> Option<String> {
    effects.iter().find_map(|e| match e {
        Effect::Send { request, .. } => Some(request.url.clone()),
        _ => None,
    })
}

#[test]
fn the_uspto_servers_scheme_is_chosen_from_its_enum_shown_and_sent_there() {
    let document = std::fs::read(crate::specs::shared("specs/uspto-3.0.yaml")).unwrap();
    let mut state = state_for(&document, "uspto-3.0.yaml");
    assert_eq!(state.server_url(), "https://developer.uspto.gov/ds-api", "the default, https");
    press(&mut state, KeyCode::Tab);
    let screen = render(&state, 120, 30);
    assert!(
        screen.contains("{scheme} https  https | http (←→/hl)"),
        "the variable under Server, with its values:\n{screen}"
    );

    press(&mut state, KeyCode::Down);
    press(&mut state, KeyCode::Right);
    assert_eq!(state.server_url(), "http://developer.uspto.gov/ds-api");
    let screen = render(&state, 120, 30);
    assert!(screen.contains("Server     http://developer.uspto.gov/ds-api"), "{screen}");
    assert!(screen.contains("→ http://developer.uspto.gov/ds-api/"), "the URL as it will go:\n{screen}");
    let effects = press_with(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let url = sent_url(&effects).unwrap_or_else(|| panic!("{effects:?}"));
    assert!(url.starts_with("http://developer.uspto.gov/ds-api/"), "{url}");

    // Enter on a listed variable takes the next value; `d` puts the default back.
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.server_url(), "https://developer.uspto.gov/ds-api");
    press(&mut state, KeyCode::Left);
    press(&mut state, KeyCode::Char('d'));
    assert_eq!(state.server_url(), "https://developer.uspto.gov/ds-api");
}

const TENANTS: &str = r"
openapi: 3.0.3
info: {title: Tenants, version: '1'}
servers:
  - url: https://{tenant}.{region}.example.com/v1
    variables:
      tenant: {default: acme, description: your organisation}
      region: {default: eu, enum: [eu, us]}
components:
  securitySchemes:
    key: {type: apiKey, in: header, name: X-API-Key}
security: [{key: []}]
paths:
  /things:
    get: {summary: Things, responses: {'200': {description: ok}}}
";

#[test]
fn a_typed_variable_is_sent_there_but_the_spec_key_goes_only_to_urls_the_spec_names() {
    let mut state = state_for(TENANTS.as_bytes(), "tenants.yaml");
    assert_eq!(state.server_url(), "https://acme.eu.example.com/v1");
    press(&mut state, KeyCode::Tab);
    press(&mut state, KeyCode::Down);
    let screen = render(&state, 120, 30);
    assert!(screen.contains("{tenant} acme  your organisation"), "{screen}");
    assert!(screen.contains("{region} eu  eu | us (←→/hl)"), "{screen}");

    // A value the spec lists: the key is asked for this server's origin.
    press(&mut state, KeyCode::Down);
    press(&mut state, KeyCode::Right);
    assert_eq!(state.server_url(), "https://acme.us.example.com/v1");
    let effects = press_with(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    assert!(sent_url(&effects).is_none(), "the request waits on the key's question");
    match &state.question {
        Some(Question::Credential(ask)) => assert_eq!(ask.origin, "https://acme.us.example.com"),
        other => panic!("{other:?}"),
    }
    press(&mut state, KeyCode::Esc);

    // A value typed freely: the request goes there, without the key.
    press(&mut state, KeyCode::Up);
    press(&mut state, KeyCode::Enter);
    press(&mut state, KeyCode::Backspace);
    press(&mut state, KeyCode::Backspace);
    press(&mut state, KeyCode::Backspace);
    press(&mut state, KeyCode::Backspace);
    type_text(&mut state, "zorg");
    press(&mut state, KeyCode::Enter);
    assert_eq!(state.server_url(), "https://zorg.us.example.com/v1");
    let effects = press_with(&mut state, KeyCode::Char('r'), KeyModifiers::CONTROL);
    let url = sent_url(&effects).unwrap_or_else(|| panic!("{effects:?}"));
    assert_eq!(url, "https://zorg.us.example.com/v1/things");
    let Some(Effect::Send { request, .. }) = effects.iter().find(|e| matches!(e, Effect::Send { .. })) else {
        unreachable!()
    };
    assert!(request.credentials.is_none(), "{:?}", request.credentials);
    let screen = render(&state, 120, 30);
    assert!(screen.contains("Sent without key"), "says why:\n{screen}");

    // Another operation keeps the server as set: the server is chosen for all of them.
    assert_eq!(state.server_url(), "https://zorg.us.example.com/v1");
}
