//! The day's work in the core: keys in, state and effects out.

#![allow(clippy::unwrap_used)]

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::api::response::ApiResponse;
use crate::app::profiles::Question;
use crate::app::tests::{ctrl_r, key, state, type_text, update};
use crate::app::{Action, Effect, Pane, prepare_response};
use crate::auth::{AuthEvent, AuthStatus, SessionInfo};
use crate::workspace::{ExchangeState, Summary, Variables};

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

/// The profile's files as read: nothing kept yet, or `saved`.
fn loaded(s: &mut State, saved: Vec<SavedRequest>) {
    let effects = profile_changed(s);
    assert!(matches!(effects.as_slice(), [Effect::Workspace(WorkspaceEffect::Load { .. })]), "{effects:?}");
    let loaded = Loaded {
        profile_key: s.profile.store_key(),
        history: Ok(Vec::new()),
        saved: Ok(saved),
        variables: Ok(Variables::default()),
    };
    update(s, Action::Workspace(WorkspaceEvent::Loaded(Box::new(loaded))));
}

fn select(s: &mut State, key: &str) {
    let index = s.catalogue.catalogue.operations.iter().position(|op| op.key().0 == key).unwrap();
    s.catalogue.select_operation(index);
    s.follow_selection();
}

fn sends(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Send { request, .. } => Some(format!("{} {}", request.method, request.url)),
            _ => None,
        })
        .collect()
}

fn answer(s: &mut State, id: u64, response: ApiResponse) {
    update(s, Action::Response { id, ready: Box::new(prepare_response(response)) });
}

#[test]
fn confirm_writes_asks_once_per_session_before_the_first_write_and_never_for_a_read() {
    let mut s = state();
    s.profile.workspace.confirm_writes = true;
    loaded(&mut s, Vec::new());
    select(&mut s, "GET /versions");
    assert_eq!(sends(&update(&mut s, ctrl_r())).len(), 1, "a read goes at once");

    select(&mut s, "DELETE /versions/{name}");
    s.editor.draft_mut().unwrap().fields[0].value = "1.0".into();
    assert!(sends(&update(&mut s, ctrl_r())).is_empty());
    assert!(matches!(s.question, Some(Question::Write(_))), "asked first");
    let lines = question_text(&s, s.question.as_ref().unwrap()).join(" ");
    assert!(lines.contains("DELETE /versions/1.0") && lines.contains("127.0.0.1"), "{lines}");
    // Any key but yes says no.
    assert!(sends(&update(&mut s, key(KeyCode::Enter))).is_empty());
    assert!(s.question.is_none());

    update(&mut s, ctrl_r());
    let effects = update(&mut s, key(KeyCode::Char('y')));
    assert_eq!(sends(&effects), ["DELETE http://127.0.0.1:9/v1/versions/1.0"]);
    assert_eq!(sends(&update(&mut s, ctrl_r())).len(), 1, "asked once per session");

    // The built-in production profile asks.
    assert!(crate::config::Profile::built_in()["production"].workspace.confirm_writes);
}

#[test]
fn every_request_goes_with_what_the_history_needs_unless_the_profile_keeps_none() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    select(&mut s, "GET /versions");
    let effects = update(&mut s, ctrl_r());
    let Some(Effect::Send { history: Some(record), .. }) = effects.first() else { panic!("{effects:?}") };
    assert_eq!(record.profile_key, s.profile.store_key());
    assert_eq!(record.operation.as_deref(), Some("GET /versions"));
    s.profile.workspace.history = false;
    let effects = update(&mut s, ctrl_r());
    assert!(effects.iter().any(|e| matches!(e, Effect::Send { history: None, .. })), "{effects:?}");
}

#[test]
fn the_history_view_lists_newest_first_filters_and_opens_sends_again_and_edits() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    let summary = |id: &str, method: &str, path: &str, status| Summary {
        id: id.into(),
        at_ms: 1,
        method: method.into(),
        path: path.into(),
        status: Some(status),
        state: ExchangeState::Complete,
        size: Some(10),
        elapsed_ms: Some(5),
        stored: 100,
    };
    for (i, (method, path, status)) in [("GET", "/versions", 200), ("DELETE", "/versions/1", 404)].iter().enumerate() {
        let summary = Ok(summary(&format!("e{i}"), method, path, *status));
        let event = WorkspaceEvent::Recorded { profile_key: s.profile.store_key(), request: i as u64, summary };
        update(&mut s, Action::Workspace(event));
    }
    update(&mut s, ctrl_o());
    let Some(DayView::History(view)) = &s.day.view else { panic!() };
    assert_eq!(view.selected(&s.day.history).unwrap().id, "e1", "newest first");
    update(&mut s, key(KeyCode::Char('/')));
    type_text(&mut s, "200");
    let Some(DayView::History(view)) = &s.day.view else { panic!() };
    assert_eq!(view.visible.len(), 1, "filtered as typed");
    update(&mut s, key(KeyCode::Enter));
    let open = |s: &mut State, code| match update(s, key(code)).pop() {
        Some(Effect::Workspace(WorkspaceEffect::Open { id, purpose, .. })) => (id, purpose),
        other => panic!("{other:?}"),
    };
    assert_eq!(open(&mut s, KeyCode::Enter), ("e0".to_string(), OpenPurpose::Show));
    assert_eq!(open(&mut s, KeyCode::Char('r')).1, OpenPurpose::Resend);
    assert_eq!(open(&mut s, KeyCode::Char('e')).1, OpenPurpose::Edit);
    update(&mut s, key(KeyCode::Esc));
    update(&mut s, key(KeyCode::Esc));
    assert!(s.day.view.is_none(), "Esc clears the filter, then closes");
}

#[test]
fn the_mouse_selects_a_row_of_the_history_and_variables_views_and_a_second_click_opens_it() {
    use ratatui::crossterm::event::{Event, KeyModifiers, MouseButton, MouseEvent, MouseEventKind};
    let mut s = state();
    loaded(&mut s, Vec::new());
    for (i, path) in ["/a", "/b", "/c"].iter().enumerate() {
        let summary = Ok(Summary {
            id: format!("e{i}"),
            at_ms: 1,
            method: "GET".into(),
            path: (*path).into(),
            status: Some(200),
            state: ExchangeState::Complete,
            size: Some(10),
            elapsed_ms: Some(5),
            stored: 100,
        });
        let event = WorkspaceEvent::Recorded { profile_key: s.profile.store_key(), request: i as u64, summary };
        update(&mut s, Action::Workspace(event));
    }
    let list = crate::app::layout::day_view_list(s.area);
    let mouse = |kind, row: u16| {
        Action::Input(Event::Mouse(MouseEvent {
            kind,
            column: list.x + 3,
            row: list.y + row,
            modifiers: KeyModifiers::NONE,
        }))
    };
    let click = |row| mouse(MouseEventKind::Down(MouseButton::Left), row);
    update(&mut s, ctrl_o());
    let selected = |s: &State| match &s.day.view {
        Some(DayView::History(view)) => view.selected(&s.day.history).unwrap().id.clone(),
        _ => panic!("the history is open"),
    };
    assert!(update(&mut s, click(2)).is_empty(), "a first click selects");
    assert_eq!(selected(&s), "e0", "the third row, newest first");
    assert!(update(&mut s, click(7)).is_empty() && selected(&s) == "e0", "below the rows: nothing");
    update(&mut s, mouse(MouseEventKind::ScrollUp, 0));
    assert_eq!(selected(&s), "e2", "the wheel moves the selection");
    match update(&mut s, click(0)).pop() {
        Some(Effect::Workspace(WorkspaceEffect::Open { id, purpose, .. })) => {
            assert_eq!((id.as_str(), purpose), ("e2", OpenPurpose::Show));
        }
        other => panic!("a second click opens the response: {other:?}"),
    }

    update(&mut s, key(KeyCode::Esc));
    s.day.variables.set("one", "1");
    s.day.variables.set("two", "2");
    update(&mut s, key(KeyCode::Char('V')));
    update(&mut s, click(1));
    assert!(s.day.prompt.is_none(), "a first click selects");
    update(&mut s, click(1));
    let prompt = s.day.prompt.as_ref().expect("a second click changes the variable");
    assert!(prompt.label.contains("two"), "{}", prompt.label);
}

fn ctrl_o() -> Action {
    crate::testing::ctrl('o')
}

#[test]
fn a_request_is_saved_under_a_name_at_the_top_of_the_catalogue_renamed_and_deleted_after_asking() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    select(&mut s, "GET /versions/{name}");
    s.editor.draft_mut().unwrap().fields[0].value = "{{version}}".into();
    update(&mut s, crate::testing::ctrl('s'));
    assert!(s.day.prompt.is_some());
    update(&mut s, crate::testing::ctrl('u'));
    type_text(&mut s, "one version");
    let effects = update(&mut s, key(KeyCode::Enter));
    let Some(Effect::Workspace(WorkspaceEffect::SaveRequests { requests, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(requests[0].name, "one version");
    assert_eq!(requests[0].path_params.get("name").map(String::as_str), Some("{{version}}"));
    assert_eq!(s.catalogue.rows()[..2], [crate::app::ListRow::SavedHeading, crate::app::ListRow::Saved(0)]);
    assert_eq!(s.editor.saved.as_deref(), Some("one version"));

    // Saving again updates it, without asking for a name.
    s.editor.draft_mut().unwrap().fields[0].value = "2.0".into();
    let effects = update(&mut s, crate::testing::ctrl('s'));
    assert!(s.day.prompt.is_none());
    let Some(Effect::Workspace(WorkspaceEffect::SaveRequests { requests, .. })) = effects.first() else { panic!() };
    assert_eq!((requests.len(), requests[0].path_params["name"].as_str()), (1, "2.0"));

    s.focus = Pane::Catalogue;
    s.catalogue.select_saved(0);
    update(&mut s, key(KeyCode::Char('r')));
    update(&mut s, crate::testing::ctrl('u'));
    type_text(&mut s, "renamed");
    let effects = update(&mut s, key(KeyCode::Enter));
    let Some(Effect::Workspace(WorkspaceEffect::SaveRequests { requests, .. })) = effects.first() else { panic!() };
    assert_eq!(requests[0].name, "renamed");

    update(&mut s, key(KeyCode::Char('d')));
    assert!(matches!(s.question, Some(Question::DeleteSaved { .. })));
    let effects = update(&mut s, key(KeyCode::Char('y')));
    let Some(Effect::Workspace(WorkspaceEffect::SaveRequests { requests, .. })) = effects.first() else { panic!() };
    assert!(requests.is_empty());
    assert!(!s.catalogue.rows().contains(&crate::app::ListRow::SavedHeading));
}

#[test]
fn a_value_from_the_inspector_becomes_a_variable_that_fills_a_parameter_of_its_name_visibly() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    select(&mut s, "GET /versions");
    let id = s.next_request;
    update(&mut s, ctrl_r());
    answer(&mut s, id, crate::testing::json_response(200, r#"[{"name": "1.2.0"}]"#));
    s.focus = Pane::Response;
    // Down to the first item's `name`.
    update(&mut s, key(KeyCode::Char('0')));
    for _ in 0..2 {
        update(&mut s, key(KeyCode::Char('j')));
    }
    update(&mut s, key(KeyCode::Char('v')));
    let prompt = s.day.prompt.as_ref().expect("a name is asked");
    assert_eq!(prompt.text(), "name", "offered from the key: {:?}", prompt.suggestions);
    let effects = update(&mut s, key(KeyCode::Enter));
    assert!(matches!(effects.first(), Some(Effect::Workspace(WorkspaceEffect::SaveVariables { .. }))));
    assert_eq!(s.day.variables.get("name"), Some("1.2.0"));

    select(&mut s, "GET /versions/{name}");
    let draft = s.editor.draft().unwrap();
    let op = s.operation().unwrap();
    let filled = s.filled_from(draft, op, crate::app::Section::Path, "name").unwrap();
    assert_eq!(filled.value, "1.2.0");
    assert_eq!(sends(&update(&mut s, ctrl_r())), ["GET http://127.0.0.1:9/v1/versions/1.2.0"], "filled, not asked");
}

#[test]
fn the_next_page_moves_skip_by_limit_and_the_line_says_which_items_of_how_many() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    select(&mut s, "GET /versions");
    s.editor.draft_mut().unwrap().fields[0].value = "2".into();
    let id = s.next_request;
    update(&mut s, ctrl_r());
    let mut response = crate::testing::json_response(200, r#"[{"a":1},{"a":2}]"#);
    response.headers.push(("Total-Count".into(), "5".into()));
    answer(&mut s, id, response);
    let page = s.response.shown.as_ref().unwrap().page.clone().unwrap();
    assert_eq!(page.describe().as_deref(), Some("items 1–2 of 5"));
    let effects = update(&mut s, key(KeyCode::Char('>')));
    assert_eq!(sends(&effects), ["GET http://127.0.0.1:9/v1/versions?limit=2&skip=2"]);
    let skip = s.editor.draft().unwrap().fields.iter().find(|f| f.name == "skip").map(|f| f.value.clone());
    assert!(skip.is_none() || skip.as_deref() == Some("2"));
    assert!(update(&mut s, key(KeyCode::Char('<'))).is_empty() || s.response.in_flight.is_some());
}

#[test]
fn copy_as_curl_takes_the_token_from_zorgtui_token_and_the_demo_offers_only_the_explicit_line() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    update(&mut s, signed_in());
    select(&mut s, "GET /versions");
    let effects = update(&mut s, key(KeyCode::Char('c')));
    let Some(Effect::Workspace(WorkspaceEffect::CopyCurl { token, .. })) = effects.first() else {
        panic!("{effects:?}")
    };
    assert_eq!(*token, CurlToken::Command);
    s.demo = true;
    assert!(update(&mut s, key(KeyCode::Char('c'))).is_empty());
    assert!(s.notice.as_ref().unwrap().text.contains("demo"), "{:?}", s.notice);
    let effects = update(&mut s, key(KeyCode::Char('C')));
    assert!(matches!(
        effects.first(),
        Some(Effect::Workspace(WorkspaceEffect::CopyCurl { token: CurlToken::Live, .. }))
    ));
}

#[test]
fn links_the_spec_declares_are_offered_after_the_response_and_f_fills_the_next_operation() {
    let mut s = state();
    loaded(&mut s, Vec::new());
    let mut catalogue = (*s.catalogue.catalogue).clone();
    let get = catalogue.operations.iter_mut().find(|op| op.key().0 == "GET /versions/{name}").unwrap();
    get.operation_id = Some("getVersion".into());
    let list = catalogue.operations.iter_mut().find(|op| op.key().0 == "GET /versions").unwrap();
    list.links = vec![crate::api::ResponseLink {
        status: "200".into(),
        name: "first version".into(),
        operation_id: Some("getVersion".into()),
        operation_ref: None,
        parameters: vec![("name".into(), "$response.body#/0/name".into())],
        description: String::new(),
    }];
    s.set_catalogue(catalogue);
    select(&mut s, "GET /versions");
    let id = s.next_request;
    update(&mut s, ctrl_r());
    answer(&mut s, id, crate::testing::json_response(200, r#"[{"name": "7.0"}]"#));
    let shown = s.response.shown.as_ref().unwrap();
    assert_eq!(shown.links.len(), 1, "offered after the response");
    assert_eq!(shown.links[0].values, [("name".to_string(), "7.0".to_string())]);
    s.focus = Pane::Response;
    update(&mut s, key(KeyCode::Char('f')));
    assert_eq!(s.operation().unwrap().key().0, "GET /versions/{name}");
    assert_eq!(s.editor.draft().unwrap().fields[0].value, "7.0");
    assert_eq!(s.focus, Pane::Editor);
}
