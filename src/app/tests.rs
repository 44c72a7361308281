//! `update` with plain asserts: keys in, state and effects out.

#![allow(clippy::unwrap_used)]

use std::time::Duration;

use bytes::Bytes;
use ratatui::crossterm::event::{Event, KeyCode, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
use ratatui::layout::Rect;

use super::*;
use crate::api::response::ApiResponse;
use crate::api::{Catalogue, Method, Operation, Param, ParamLocation, Server, Tag};
use crate::config::Profile;

fn param(name: &str, location: ParamLocation, required: bool, default: Option<&str>) -> Param {
    Param {
        name: name.into(),
        location,
        required,
        kind: None,
        default: default.map(str::to_string),
        example: None,
        allowed: vec![],
        description: String::new(),
    }
}

fn op(method: Method, path: &str, tag: &str, summary: &str, params: Vec<Param>) -> Operation {
    Operation { tag: tag.into(), summary: summary.into(), params, ..Operation::bare(method, path) }
}

pub(super) fn catalogue() -> Catalogue {
    Catalogue {
        title: "Test API".into(),
        source: "test".into(),
        tags: vec![Tag::new("users", ""), Tag::new("versions", "")],
        operations: vec![
            op(Method::Get, "/users/me", "users", "Get me", vec![]),
            op(
                Method::Get,
                "/versions",
                "versions",
                "List versions",
                vec![
                    param("limit", ParamLocation::Query, false, Some("100")),
                    param("filter", ParamLocation::Query, false, None),
                ],
            ),
            op(
                Method::Get,
                "/versions/{name}",
                "versions",
                "Get a version",
                vec![param("name", ParamLocation::Path, true, None)],
            ),
            op(
                Method::Delete,
                "/versions/{name}",
                "versions",
                "Delete a version",
                vec![param("name", ParamLocation::Path, true, None)],
            ),
        ],
        servers: vec![Server::plain("https://spec.example/v1", "Spec server")],
        ..Catalogue::default()
    }
}

pub(super) fn state() -> State {
    let mut profile = Profile::built_in().remove("sandbox").unwrap();
    profile.api = "http://127.0.0.1:9/v1".into();
    State::new(profile, catalogue(), Rect::new(0, 0, 120, 40), crate::testing::now())
}

/// `update` at the time now.
pub(super) fn update(state: &mut State, action: Action) -> Vec<Effect> {
    super::update(state, action, crate::testing::now())
}

pub(super) use crate::testing::{ctrl, key};

/// Adds `op` to the catalogue, as a spec that has it would, and selects it.
fn show_operation(state: &mut State, op: Operation) {
    let mut catalogue = (*state.catalogue.catalogue).clone();
    catalogue.operations.push(op);
    let index = catalogue.operations.len() - 1;
    state.set_catalogue(catalogue);
    state.catalogue.select_operation(index);
    state.follow_selection();
}

pub(super) fn ctrl_r() -> Action {
    ctrl('r')
}

pub(super) fn type_text(state: &mut State, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| update(state, key(KeyCode::Char(c)))).collect()
}

fn selected_path(state: &State) -> String {
    let op = state.catalogue.selected().unwrap();
    format!("{} {}", op.method, op.path)
}

pub(super) fn sent(effects: &[Effect]) -> Option<(u64, String)> {
    effects.iter().find_map(|e| match e {
        Effect::Send { id, request, .. } => Some((*id, format!("{} {}", request.method, request.url))),
        _ => None,
    })
}

pub(super) fn response(status: u16, body: &'static str) -> Box<ReadyResponse> {
    Box::new(prepare_response(ApiResponse {
        status,
        reason: "OK".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: Bytes::from_static(body.as_bytes()),
        elapsed: Duration::from_millis(12),
        url: "http://127.0.0.1:9/v1/users/me".into(),
        spilled: None,
    }))
}

#[test]
fn catalogue_has_focus_at_start_and_tab_cycles() {
    let mut s = state();
    assert_eq!(s.focus, Pane::Catalogue);
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Pane::Editor);
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.focus, Pane::Catalogue);
    update(&mut s, key(KeyCode::BackTab));
    assert_eq!(s.focus, Pane::Auth);
}

#[test]
fn arrows_and_vim_keys_move_the_cursor() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('j')));
    update(&mut s, key(KeyCode::Down));
    assert_eq!(selected_path(&s), "GET /versions/{name}");
    update(&mut s, key(KeyCode::Char('k')));
    assert_eq!(selected_path(&s), "GET /versions");
    update(&mut s, key(KeyCode::Char('G')));
    assert_eq!(selected_path(&s), "DELETE /versions/{name}");
    update(&mut s, key(KeyCode::Char('g')));
    assert_eq!(selected_path(&s), "GET /users/me");
}

#[test]
fn filter_narrows_as_you_type_and_enter_keeps_it() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    assert!(s.typing());
    type_text(&mut s, "VERSION");
    assert_eq!(s.catalogue.visible, vec![1, 2, 3]);
    assert_eq!(selected_path(&s), "GET /versions", "cursor on the first match");
    type_text(&mut s, "s/");
    assert_eq!(s.catalogue.visible, vec![2, 3]);
    update(&mut s, key(KeyCode::Enter));
    assert!(!s.typing());
    assert_eq!(s.catalogue.filter, "VERSIONs/");
    assert_eq!(s.catalogue.visible, vec![2, 3]);
}

#[test]
fn filter_matches_the_method_too() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    type_text(&mut s, "delete");
    assert_eq!(s.catalogue.visible, vec![3]);
}

#[test]
fn esc_clears_the_filter_while_typing_or_after() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    type_text(&mut s, "me");
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.catalogue.visible.len(), 4);
    assert!(s.catalogue.filter.is_empty());

    update(&mut s, key(KeyCode::Char('/')));
    type_text(&mut s, "delete");
    update(&mut s, key(KeyCode::Enter));
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.catalogue.visible.len(), 4);
    assert_eq!(selected_path(&s), "DELETE /versions/{name}", "the cursor stays on what was chosen");
}

#[test]
fn q_quits_unless_typing_and_ctrl_c_always() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    let effects = update(&mut s, key(KeyCode::Char('q')));
    assert!(effects.is_empty() && !s.quit, "q is typed into the filter");
    assert_eq!(s.catalogue.active_filter(), "q");
    assert!(update(&mut s, ctrl('c')).is_empty() && s.quit);
    assert!(s.quit);

    let mut s = state();
    assert!(update(&mut s, key(KeyCode::Char('q'))).is_empty() && s.quit);
}

#[test]
fn enter_sends_an_operation_with_its_defaults() {
    let mut s = state();
    update(&mut s, key(KeyCode::Down));
    let effects = update(&mut s, key(KeyCode::Enter));
    let (id, line) = sent(&effects).unwrap();
    assert_eq!(line, "GET http://127.0.0.1:9/v1/versions?limit=100");
    assert_eq!(s.response.in_flight.as_ref().unwrap().id, id);
    assert!(s.tick_interval().is_some(), "the spinner animates while waiting");
}

#[test]
fn a_missing_path_value_is_asked_for_then_sent() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('G')));
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(sent(&effects).is_none(), "never sent as {{name}}");
    assert_eq!(s.focus, Pane::Editor);
    assert!(s.editor.line.is_some(), "the missing value is being edited");
    assert!(s.notice.as_ref().unwrap().text.contains("`name` needs a value"));
    type_text(&mut s, "1.2.0");
    let effects = update(&mut s, key(KeyCode::Enter));
    assert_eq!(sent(&effects).unwrap().1, "DELETE http://127.0.0.1:9/v1/versions/1.2.0");
}

#[test]
fn esc_in_a_field_keeps_the_value_and_q_then_quits() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('G')));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "v9");
    let effects = update(&mut s, key(KeyCode::Esc));
    assert!(effects.is_empty());
    assert!(!s.typing());
    assert_eq!(s.editor.draft().unwrap().fields[0].value, "v9");
    assert!(update(&mut s, key(KeyCode::Char('q'))).is_empty() && s.quit);
}

#[test]
fn edits_are_kept_per_operation() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('G')));
    update(&mut s, key(KeyCode::Enter));
    type_text(&mut s, "abc");
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::BackTab));
    update(&mut s, key(KeyCode::Char('k')));
    assert_eq!(s.editor.draft().unwrap().fields[0].value, "");
    update(&mut s, key(KeyCode::Char('j')));
    assert_eq!(s.editor.draft().unwrap().fields[0].value, "abc");
}

#[test]
fn esc_cancels_the_request_and_its_late_answer_is_dropped() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    assert!(matches!(update(&mut s, key(KeyCode::Esc)).as_slice(), [Effect::Cancel(cancelled)] if *cancelled == id));
    assert!(s.response.in_flight.is_none());
    assert!(s.tick_interval().is_none(), "nothing animates once cancelled");
    update(&mut s, Action::Response { id, ready: response(200, "{}") });
    assert!(s.response.shown.is_none());
}

#[test]
fn a_new_send_cancels_the_one_in_flight() {
    let mut s = state();
    let (first, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(effects[0], Effect::Cancel(cancelled) if cancelled == first));
    assert!(sent(&effects).is_some());
}

#[test]
fn a_response_is_shown_and_a_failure_keeps_the_last_one() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(&mut s, Action::Response { id, ready: response(200, r#"{"name":"Demo"}"#) });
    let shown = s.response.shown.as_ref().unwrap();
    assert_eq!((shown.status, shown.size, shown.label.as_str()), (200, 15, "GET /users/me"));
    assert!(matches!(&shown.body, BodyView::Inspector(pane) if pane.view().tree.is_some()));

    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(&mut s, Action::RequestFailed { id, message: "cannot connect".into() });
    assert_eq!(s.response.failure.as_ref().unwrap().message, "cannot connect");
    assert!(s.response.shown.is_some(), "what was received is not lost");

    // Sending again and cancelling leaves the failure on show, not an empty pane.
    sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(&mut s, key(KeyCode::Esc));
    assert_eq!(s.response.failure.as_ref().unwrap().message, "cannot connect");
}

#[test]
fn a_body_that_will_not_do_is_said_once_then_sent() {
    use crate::api::RequestBody;
    let mut s = state();
    let mut post = Operation::bare(Method::Post, "/users/me");
    post.body = Some(RequestBody { content_type: "application/json".into(), required: true, example: None });
    show_operation(&mut s, post);
    s.focus = Pane::Editor;
    assert!(sent(&update(&mut s, ctrl_r())).is_none(), "an empty required body is said first");
    assert!(s.notice.as_ref().unwrap().text.contains("expects a body"), "{:?}", s.notice);
    assert!(sent(&update(&mut s, ctrl_r())).is_some(), "the second ^R sends it anyway");

    let mut upload = Operation::bare(Method::Post, "/users/me/avatar");
    upload.body = Some(RequestBody { content_type: "multipart/form-data".into(), required: false, example: None });
    show_operation(&mut s, upload);
    assert!(sent(&update(&mut s, ctrl_r())).is_none());
    assert!(s.notice.as_ref().unwrap().text.contains("multipart/form-data"), "{:?}", s.notice);
}

#[test]
fn a_binary_body_is_said_to_be_binary() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    let png = Box::new(prepare_response(ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![("content-type".into(), "image/png".into())],
        body: Bytes::from_static(b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
        elapsed: Duration::from_millis(3),
        url: "http://127.0.0.1:9/v1/users/me".into(),
        spilled: None,
    }));
    update(&mut s, Action::Response { id, ready: png });
    let note = s.response.shown.as_ref().unwrap().invalid_json.clone().unwrap();
    assert!(note.starts_with("binary content (image/png)"), "{note}");
}

#[test]
fn a_401_while_signed_out_says_to_sign_in() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(&mut s, Action::Response { id, ready: response(401, r#"{"status":401,"type":"UNAUTHENTICATED"}"#) });
    assert!(s.notice.as_ref().unwrap().text.contains("L signs in"), "{:?}", s.notice);
}

#[test]
fn zorgapis_errors_are_read() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    let body = r#"{"status":404,"type":"NOT_FOUND","message":"The resource you requested does not exist"}"#;
    update(&mut s, Action::Response { id, ready: response(404, body) });
    let error = s.response.shown.as_ref().unwrap().api_error.as_ref().unwrap();
    assert_eq!(error.kind, "NOT_FOUND");
}

#[test]
fn response_pane_scrolls_with_keys() {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    update(
        &mut s,
        Action::Response { id, ready: response(200, "[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20]") },
    );
    s.focus = Pane::Response;
    update(&mut s, key(KeyCode::Char('G')));
    let inspector = s.response.pane().unwrap().view().tree.as_ref().unwrap();
    assert_eq!(inspector.cursor(), 21);
    assert!(inspector.offset() > 0);
}

#[test]
fn headers_are_added_as_name_colon_value() {
    let mut s = state();
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Char('a')));
    type_text(&mut s, "X-Trace: 42");
    update(&mut s, key(KeyCode::Enter));
    let effects = update(&mut s, ctrl('r'));
    let Some(Effect::Send { request, .. }) = effects.first() else { panic!("{effects:?}") };
    assert!(request.headers.contains(&("X-Trace".into(), "42".into())), "{:?}", request.headers);
}

#[test]
fn server_row_cycles_between_profile_and_spec_servers() {
    let mut s = state();
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.server_url(), "http://127.0.0.1:9/v1");
    update(&mut s, key(KeyCode::Right));
    assert_eq!(s.server_url(), "https://spec.example/v1");
    update(&mut s, key(KeyCode::Enter));
    assert_eq!(s.server_url(), "http://127.0.0.1:9/v1");
}

#[test]
fn help_opens_and_closes() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('?')));
    assert!(s.help.is_some());
    assert!(update(&mut s, key(KeyCode::Char('q'))).is_empty(), "q closes help, does not quit");
    assert!(s.help.is_none());
}

#[test]
fn help_scrolls_by_key_and_wheel_and_stops_at_its_last_page() {
    let mut s = state();
    update(&mut s, Action::Input(Event::Resize(80, 24)));
    update(&mut s, key(KeyCode::Char('?')));
    let wheel = MouseEvent { kind: MouseEventKind::ScrollDown, column: 40, row: 12, modifiers: KeyModifiers::NONE };
    update(&mut s, Action::Input(Event::Mouse(wheel)));
    assert_eq!(s.help, Some(3));
    for _ in 0..20 {
        update(&mut s, key(KeyCode::PageDown));
    }
    let last = crate::app::help_max_offset(&s.keys.help(crate::app::ScreenKind::Explorer), s.area);
    assert!(last > 10, "80x24 cannot show all of the help at once");
    assert_eq!(s.help, Some(last));
}

#[test]
fn a_click_focuses_and_selects() {
    let mut s = state();
    let list = s.layout.catalogue;
    // Rows: users, GET /users/me, versions, GET /versions, ...: the fourth inner row is GET /versions.
    let click = MouseEvent {
        kind: MouseEventKind::Down(MouseButton::Left),
        column: list.x + 3,
        row: list.y + 4,
        modifiers: KeyModifiers::NONE,
    };
    s.focus = Pane::Response;
    update(&mut s, Action::Input(Event::Mouse(click)));
    assert_eq!(s.focus, Pane::Catalogue);
    assert_eq!(selected_path(&s), "GET /versions");
}

#[test]
fn paste_goes_into_the_field_being_typed() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('/')));
    update(&mut s, Action::Input(Event::Paste("ver\nsions".into())));
    assert_eq!(s.catalogue.active_filter(), "versions");
}

#[test]
fn resize_refits_the_panes() {
    let mut s = state();
    update(&mut s, Action::Input(Event::Resize(80, 24)));
    assert_eq!(s.layout.status.y, 23);
}

#[test]
fn the_token_goes_only_to_the_profiles_api() {
    let mut s = state();
    let Some(Effect::Send { request, .. }) = update(&mut s, key(KeyCode::Enter)).pop() else { panic!() };
    assert!(request.with_token, "the profile's API on loopback gets the token");
    update(&mut s, key(KeyCode::Tab));
    update(&mut s, key(KeyCode::Right));
    let effects = update(&mut s, ctrl('r'));
    let Some(Effect::Send { request, .. }) = effects.iter().find(|e| matches!(e, Effect::Send { .. })).cloned() else {
        panic!("{effects:?}")
    };
    assert!(request.url.starts_with("https://spec.example/v1"));
    assert!(!request.with_token, "a server from the spec does not");
}

#[test]
fn the_editor_follows_a_reloaded_catalogue_and_keeps_what_was_typed() {
    let mut s = state();
    update(&mut s, key(KeyCode::Char('j')));
    update(&mut s, key(KeyCode::Tab));
    assert_eq!(s.operation().unwrap().path, "/versions");
    let filter = s.editor.draft().unwrap().fields.iter().position(|f| f.name == "filter").unwrap();
    s.editor.draft_mut().unwrap().fields[filter].value = "name eq 'x'".into();
    let mut newer = catalogue();
    newer.operations.insert(0, op(Method::Get, "/health", "users", "Health", vec![]));
    newer.operations[2].summary = "List the versions, newer spec".into();
    s.set_catalogue(newer);
    let op = s.operation().expect("still an operation on show");
    assert_eq!((op.path.as_str(), op.summary.as_str()), ("/health", "Health"), "the new selection, not a stale copy");
    s.catalogue.select_operation(2);
    s.follow_selection();
    assert_eq!(s.operation().unwrap().summary, "List the versions, newer spec");
    assert_eq!(s.editor.draft().unwrap().fields[filter].value, "name eq 'x'", "what was typed is kept");
}

#[test]
fn example_bodies_made_later_fill_empty_drafts_and_leave_typed_ones() {
    use crate::api::RequestBody;
    let body = |example: Option<&str>| {
        Some(RequestBody { content_type: "application/json".into(), required: true, example: example.map(Into::into) })
    };
    let mut s = state();
    let mut quick = (*s.catalogue.catalogue).clone();
    for path in ["/a", "/b"] {
        quick.operations.push(Operation { body: body(None), ..Operation::bare(Method::Post, path) });
    }
    s.set_catalogue(quick.clone());
    let at = |s: &State, path: &str| s.catalogue.catalogue.operations.iter().position(|o| o.path == path).unwrap();
    let body_of = |s: &State| s.editor.draft().unwrap().body.as_ref().unwrap().lines().join("\n");
    // A draft of /a made while its example was pending; one of /b typed into.
    for path in ["/b", "/a"] {
        let index = at(&s, path);
        s.catalogue.select_operation(index);
        s.follow_selection();
    }
    assert_eq!(body_of(&s), "");
    let index = at(&s, "/b");
    s.catalogue.select_operation(index);
    s.follow_selection();
    s.editor.draft_mut().unwrap().body.as_mut().unwrap().insert_str("{\"mine\": 1}");

    let mut whole = quick.clone();
    for op in whole.operations.iter_mut().filter(|o| o.body.is_some()) {
        op.body = body(Some(&format!("{{\"for\": \"{}\"}}", op.path)));
    }
    whole.notices = vec!["made with the bodies".into()];
    let mut other = whole.clone();
    other.operations.pop();
    update(&mut s, Action::BodiesMade(Ok(Box::new(other))));
    assert!(s.catalogue.catalogue.operations.iter().all(|o| o.body.as_ref().is_none_or(|b| b.example.is_none())));

    update(&mut s, Action::BodiesMade(Ok(Box::new(whole))));
    assert_eq!(body_of(&s), "{\"mine\": 1}", "what was typed stays");
    let index = at(&s, "/a");
    s.catalogue.select_operation(index);
    s.follow_selection();
    assert_eq!(body_of(&s), "{\"for\": \"/a\"}");
    let a = &s.catalogue.catalogue.operations[index];
    assert_eq!(a.body.as_ref().unwrap().example.as_deref(), Some("{\"for\": \"/a\"}"));
    assert_eq!(s.catalogue.catalogue.notices, ["made with the bodies"]);

    update(&mut s, Action::BodiesMade(Err("out of memory".into())));
    assert!(
        s.notice
            .as_ref()
            .unwrap()
            .text
            .contains("Example bodies are left out: the spec breaks past its endpoints: out of memory")
    );
}
