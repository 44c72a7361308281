//! Each pane as a person sees it, at the smallest supported size (80×24) and a wide one (160×48). Snapshots are
//! reviewed with `cargo insta review`; a change to what is drawn shows up as a diff here.

use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Color;
use zorgtui::api::builtin;
use zorgtui::api::response::ApiResponse;
use zorgtui::app::{Action, Pane, State, prepare_response, update};

use crate::support::drive::profile;
use crate::support::screen::{draw, render};

const SIZES: [(u16, u16); 2] = [(80, 24), (160, 48)];

fn state(width: u16, height: u16) -> State {
    State::new(
        profile("https://api.sandbox.zorgapis.nl/v1beta2"),
        builtin::catalogue(),
        Rect::new(0, 0, width, height),
        zorgtui::testing::now(),
    )
}

fn keys(state: &mut State, text: &str) {
    for c in text.chars() {
        press(state, KeyCode::Char(c));
    }
}

fn press(state: &mut State, code: KeyCode) -> Vec<zorgtui::app::Effect> {
    update(state, Action::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), zorgtui::testing::now())
}

/// Sends the selected operation and answers it with `status` and `body`, as the network would.
fn answer(state: &mut State, status: u16, reason: &str, body: &'static str) {
    let effects = press(state, KeyCode::Enter);
    let id = effects
        .iter()
        .find_map(|e| match e {
            zorgtui::app::Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the request was sent");
    let ready = prepare_response(ApiResponse {
        status,
        reason: reason.into(),
        headers: vec![("content-type".into(), "application/json".into()), ("total-count".into(), "2".into())],
        body: Bytes::from_static(body.as_bytes()),
        elapsed: Duration::from_millis(87),
        url: "https://api.sandbox.zorgapis.nl/v1beta2/x".into(),
        spilled: None,
    });
    update(state, Action::Response { id, ready: Box::new(ready) }, zorgtui::testing::now());
}

#[test]
fn catalogue_at_start() {
    for (w, h) in SIZES {
        let s = state(w, h);
        insta::assert_snapshot!(format!("catalogue_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn catalogue_filtering() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('/'));
        keys(&mut s, "invitation");
        insta::assert_snapshot!(format!("filtering_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn request_editor_asking_for_a_path_value() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('/'));
        keys(&mut s, "get /api-requirements-versions/{versionName}/");
        press(&mut s, KeyCode::Enter);
        press(&mut s, KeyCode::Enter);
        keys(&mut s, "1.2");
        assert_eq!(s.focus, Pane::Editor);
        insta::assert_snapshot!(format!("editor_prompt_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn request_editor_with_a_body() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('/'));
        keys(&mut s, "post /organizations");
        press(&mut s, KeyCode::Enter);
        press(&mut s, KeyCode::Tab);
        insta::assert_snapshot!(format!("editor_body_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn response_with_json() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('/'));
        keys(&mut s, "get /api-requirements-versions");
        press(&mut s, KeyCode::Enter);
        answer(
            &mut s,
            200,
            "OK",
            r#"[{"name":"1.2.0","publishTime":"2024-03-16T14:15:30.500Z","lifecycleState":"PUBLISHED","semVer":{"major":1,"minor":2,"patch":0}},{"name":"1.1.0","lifecycleState":"RETIRED"}]"#,
        );
        press(&mut s, KeyCode::Tab);
        press(&mut s, KeyCode::Tab);
        insta::assert_snapshot!(format!("response_json_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn response_with_a_zorgapis_error() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('/'));
        keys(&mut s, "post /organizations");
        press(&mut s, KeyCode::Enter);
        answer(
            &mut s,
            422,
            "Unprocessable Entity",
            r#"{"status":422,"type":"INVALID_ARGUMENT","message":"A request parameter includes an invalid value","details":[{"location":"name","message":"'name' is required"}]}"#,
        );
        insta::assert_snapshot!(format!("response_error_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn help_overlay() {
    for (w, h) in SIZES {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('?'));
        insta::assert_snapshot!(format!("help_{w}x{h}"), render(&s, w, h));
    }
}

#[test]
fn methods_are_coloured_and_the_focused_pane_stands_out() {
    let s = state(160, 48);
    let buffer = draw(&s, 160, 48);
    let layout = s.layout;
    // The first operation row: " GET    /users/me".
    let method_cell = &buffer[(layout.catalogue.x + 2, layout.catalogue.y + 2)];
    assert_eq!(method_cell.symbol(), "G");
    assert_eq!(method_cell.fg, Color::Green);
    assert_eq!(buffer[(layout.catalogue.x, layout.catalogue.y)].fg, Color::Cyan, "the focused border is bright");
    assert_eq!(buffer[(layout.editor.x, layout.editor.y)].fg, Color::DarkGray);
}

#[test]
fn every_size_from_tiny_to_huge_draws_without_panicking() {
    for (w, h) in [(1, 1), (20, 5), (60, 15), (80, 24), (120, 40), (300, 100)] {
        let mut s = state(w, h);
        press(&mut s, KeyCode::Char('?'));
        let _ = render(&s, w, h);
        press(&mut s, KeyCode::Esc);
        answer(&mut s, 200, "OK", r#"{"a":[1,2,3]}"#);
        let _ = render(&s, w, h);
    }
}

#[test]
fn a_session_whose_refresh_fails_says_so_in_the_pane() {
    use std::time::SystemTime;
    use zorgtui::auth::{AuthEvent, AuthStatus, SessionInfo};
    let mut s = state(160, 48);
    let info = SessionInfo {
        subject: "Demo User".into(),
        scopes: vec!["openid".into()],
        access_expires_at: SystemTime::now() + Duration::from_secs(60),
        refresh_expires_at: None,
        last_refresh: None,
        has_refresh_token: true,
        refresh_trouble: Some("cannot reach the issuer to refresh the session".into()),
        machine_client: false,
    };
    update(&mut s, Action::Auth(AuthEvent::Status(AuthStatus::SignedIn(info))), zorgtui::testing::now());
    let screen = render(&s, 160, 48);
    let first = screen.lines().nth(1).unwrap();
    assert!(first.contains("Signed in as Demo User  ⚠ cannot refresh, retrying  token expires in"), "{first}");
}

#[test]
fn an_expired_token_whose_refresh_is_retried_is_not_called_an_expired_session() {
    use zorgtui::auth::{AuthEvent, AuthStatus};
    let mut s = state(160, 48);
    let reason = "cannot refresh the session: the token endpoint answered with something that is not a valid \
                  response (an HTML page, not JSON)"
        .to_string();
    let status = AuthStatus::Expired { reason: reason.clone(), retrying: true };
    update(&mut s, Action::Auth(AuthEvent::Status(status)), zorgtui::testing::now());
    let screen = render(&s, 160, 48);
    let first = screen.lines().nth(1).unwrap();
    assert!(first.contains("● Token expired; the refresh is retried by itself"), "{first}");
    assert!(!screen.contains("Session expired"), "{screen}");
    update(
        &mut s,
        Action::Auth(AuthEvent::Status(AuthStatus::Expired { reason, retrying: false })),
        zorgtui::testing::now(),
    );
    let screen = render(&s, 160, 48);
    assert!(screen.lines().nth(1).unwrap().contains("● Session expired — press L"), "{screen}");
}

/// Every screen of the walk-through: the catalogue, a JSON response with a search, the help.
fn screens_of(appearance: zorgtui::app::Appearance) -> Vec<ratatui::buffer::Buffer> {
    let mut s = state(120, 40);
    s.appearance = appearance;
    let mut buffers = vec![draw(&s, 120, 40)];
    press(&mut s, KeyCode::Char('/'));
    keys(&mut s, "get /api-requirements-versions");
    press(&mut s, KeyCode::Enter);
    answer(&mut s, 200, "OK", r#"[{"name":"1.2.0","ok":true,"n":1,"x":null}]"#);
    press(&mut s, KeyCode::Tab);
    press(&mut s, KeyCode::Tab);
    buffers.push(draw(&s, 120, 40));
    press(&mut s, KeyCode::Char('?'));
    buffers.push(draw(&s, 120, 40));
    buffers
}

#[test]
fn no_color_draws_no_colour_and_keeps_the_meaning_in_marks() {
    let plain = zorgtui::app::Appearance { theme: zorgtui::config::ThemeName::Dark, color: false };
    let buffers = screens_of(plain);
    for buffer in &buffers {
        for cell in buffer.content() {
            assert_eq!((cell.fg, cell.bg), (Color::Reset, Color::Reset), "{:?} at {:?}", cell.symbol(), cell);
        }
    }
    // The selected operation is marked without colour: reversed.
    let s = state(120, 40);
    let selected_row = s.layout.catalogue_list.y + 1;
    let cell = &buffers[0][(s.layout.catalogue_list.x + 2, selected_row)];
    assert!(cell.modifier.contains(ratatui::style::Modifier::REVERSED), "{cell:?}");
}

#[test]
fn the_light_theme_uses_no_yellow_or_cyan_text() {
    let light = zorgtui::app::Appearance { theme: zorgtui::config::ThemeName::Light, color: true };
    for buffer in screens_of(light) {
        for cell in buffer.content() {
            assert!(!matches!(cell.fg, Color::Yellow | Color::Cyan | Color::LightYellow), "{cell:?}");
        }
    }
}
