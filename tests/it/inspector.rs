//! The JSON inspector in the response pane, driven through the action channel like a person would: fold, levels,
//! search with `n`, the issue's jq filter on ZorgAPIs-shaped data, copy, save, wrap and raw, a body past the memory
//! cap. `view` (the same inspector full screen) is in `inspector/view.rs`.

mod filter_worker;
mod progressive;
mod server;
mod streaming;
mod view;

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use ratatui::style::Color;
use tokio::sync::mpsc::UnboundedSender;
use zorgtui::api::builtin;
use zorgtui::api::response::ApiResponse;
use zorgtui::app::{Action, Effect, InspectorPane, Pane, State, prepare_response, update};
use zorgtui::json;
use zorgtui::run::Driver;

use crate::support::drive::{drawn, driver, press, profile, run_until, type_keys};
use crate::support::screen::render;
use server::InspectorApi;

const LIMIT: Duration = Duration::from_secs(20);

fn pane(state: &State) -> &InspectorPane {
    state.response.pane().expect("a body is shown")
}

fn path(state: &State) -> String {
    pane(state).view().tree.as_ref().unwrap().cursor_path(zorgtui::json::Access::Direct).unwrap()
}

fn ctrl(tx: &UnboundedSender<Action>, c: char) {
    tx.send(Action::Input(Event::Key(KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)))).unwrap();
}

/// Sends the requirements of version 1.2.0 and puts the focus on the response.
async fn requirements(driver: &mut Driver) {
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "get /api-requirements-versions/{versionName}/api");
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Enter);
    type_keys(&tx, "1.2.0");
    press(&tx, KeyCode::Enter);
    run_until(driver, LIMIT, |s| s.response.shown.is_some()).await;
    press(&tx, KeyCode::Tab);
    run_until(driver, LIMIT, |s| s.focus == Pane::Response).await;
}

#[tokio::test]
async fn fold_levels_and_search_with_n() {
    let api = InspectorApi::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    requirements(&mut driver).await;
    let tx = driver.sender();
    assert_eq!(path(&driver.state), "$");

    press(&tx, KeyCode::Char('1'));
    run_until(&mut driver, LIMIT, |s| pane(s).view().tree.as_ref().unwrap().row_count() == 31).await;
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    assert!(
        screen.contains("{…} 11 keys,") && screen.contains("{…} 12 keys,"),
        "level 1 folds every requirement: {screen}"
    );

    type_keys(&tx, "jl");
    run_until(&mut driver, LIMIT, |s| {
        s.response.pane().is_some_and(|p| p.view().tree.as_ref().unwrap().row_count() == 43)
    })
    .await;
    assert_eq!(path(&driver.state), "$[0]");
    press(&tx, KeyCode::Char('h'));
    type_keys(&tx, "zM");
    run_until(&mut driver, LIMIT, |s| pane(s).view().tree.as_ref().unwrap().row_count() == 1).await;
    assert!(
        drawn(&mut driver, |s| render(s, 160, 48)).await.contains("[…] 29 items"),
        "fold all: one row with the exact count"
    );

    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "SEC-0");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| pane(s).view().match_position() == Some((Some(1), 6))).await;
    assert_eq!(path(&driver.state), "$[21].code", "the first match, its folded parents opened");
    press(&tx, KeyCode::Char('n'));
    run_until(&mut driver, LIMIT, |s| pane(s).view().match_position() == Some((Some(2), 6))).await;
    assert_eq!(path(&driver.state), "$[22].code");
    press(&tx, KeyCode::Char('N'));
    press(&tx, KeyCode::Char('N'));
    run_until(&mut driver, LIMIT, |s| pane(s).view().match_position() == Some((Some(6), 6))).await;
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    assert!(screen.contains("$[26].code") && screen.contains("/SEC-0 6/6"), "path and count on screen: {screen}");
}

#[tokio::test]
async fn the_issue_filter_runs_on_zorgapis_data_and_esc_returns() {
    let api = InspectorApi::start().await;
    let mut driver = driver(profile(&api.base()), 160, 48);
    requirements(&mut driver).await;
    let tx = driver.sender();
    type_keys(&tx, "jj");
    press(&tx, KeyCode::Char('|'));
    type_keys(&tx, r#".[] | select(.requirementLevel == "MUST") | .code"#);
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| pane(s).filtered().is_some()).await;

    let expected = server::must_codes();
    assert_eq!(pane(&driver.state).filtered().unwrap().results, expected.len());
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    for code in &expected {
        assert!(screen.contains(&format!("\"{code}\"")), "{code} in the result: {screen}");
    }
    assert!(screen.contains(&format!("→ {} results", expected.len())), "{screen}");

    press(&tx, KeyCode::Esc);
    run_until(&mut driver, LIMIT, |s| pane(s).filtered().is_none()).await;
    assert_eq!(path(&driver.state), "$[0].architecturalStyles", "the whole document, cursor where it was");

    // The expression is in the history for the session, even for the next response (Ctrl-R sends again).
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "x");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| pane(s).view().query.is_some()).await;
    ctrl(&tx, 'r');
    run_until(&mut driver, LIMIT, |s| s.response.pane().is_some_and(|p| p.view().query.is_none())).await;
    press(&tx, KeyCode::Char('|'));
    press(&tx, KeyCode::Up);
    run_until(&mut driver, LIMIT, |s| pane(s).prompt().is_some_and(|p| p.text().contains("requirementLevel"))).await;
}

#[tokio::test]
async fn copy_path_and_value_go_out_as_osc52_text() {
    let api = InspectorApi::start().await;
    let mut driver = driver(profile(&api.base()), 120, 40);
    requirements(&mut driver).await;
    let tx = driver.sender();
    // The server sends members in alphabetical order: architecturalStyles, category, code, ...
    type_keys(&tx, "jjjjY");
    run_until(&mut driver, LIMIT, |s| s.notice.is_some()).await;
    assert_eq!(driver.take_clipboard(), ["$[0].code"]);
    type_keys(&tx, "y");
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.contains("value"))).await;
    assert_eq!(driver.take_clipboard(), ["\"DOC-01\""]);
    type_keys(&tx, "py");
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.contains("$[0] ("))).await;
    let copied = driver.take_clipboard();
    let value: serde_json::Value = serde_json::from_str(&copied[0]).unwrap();
    assert_eq!(value["code"], "DOC-01", "a container is copied whole: {}", copied[0]);
}

#[tokio::test]
async fn save_writes_the_body_0600_and_asks_before_replacing() {
    use std::os::unix::fs::PermissionsExt as _;
    let api = InspectorApi::start().await;
    let mut driver = driver(profile(&api.base()), 120, 40);
    requirements(&mut driver).await;
    let tx = driver.sender();
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("requirements.json");
    press(&tx, KeyCode::Char('s'));
    run_until(&mut driver, LIMIT, |s| pane(s).prompt().is_some_and(|p| p.text() == "api-requirements.json")).await;
    ctrl(&tx, 'u');
    type_keys(&tx, target.to_str().unwrap());
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.starts_with("Saved"))).await;
    assert_eq!(std::fs::read(&target).unwrap(), server::requirements_body());
    assert_eq!(std::fs::metadata(&target).unwrap().permissions().mode() & 0o777, 0o600);

    std::fs::write(&target, "keep me").unwrap();
    press(&tx, KeyCode::Char('s'));
    ctrl(&tx, 'u');
    type_keys(&tx, target.to_str().unwrap());
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| {
        s.response.pane().and_then(InspectorPane::prompt).is_some_and(|p| p.label().contains("Replace it?"))
    })
    .await;
    press(&tx, KeyCode::Char('n'));
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.starts_with("Not saved"))).await;
    assert_eq!(std::fs::read_to_string(&target).unwrap(), "keep me");

    press(&tx, KeyCode::Char('s'));
    ctrl(&tx, 'u');
    type_keys(&tx, &format!("{}/nowhere/x.json", dir.path().display()));
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.notice.as_ref().is_some_and(|n| n.text.contains("does not exist"))).await;
}

#[tokio::test]
async fn wrap_and_raw_change_what_is_drawn() {
    let api = InspectorApi::start().await;
    let mut driver = driver(profile(&api.base()), 80, 24);
    requirements(&mut driver).await;
    let tx = driver.sender();
    type_keys(&tx, "jjjj");
    run_until(&mut driver, LIMIT, |s| path(s) == "$[0].code").await;
    press(&tx, KeyCode::Char('j'));
    run_until(&mut driver, LIMIT, |s| path(s) == "$[0].description").await;
    let cut = drawn(&mut driver, |s| render(s, 80, 24)).await;
    assert!(cut.contains("\"description\": \"The API specification MUS…"), "cut at the edge: {cut}");
    press(&tx, KeyCode::Char('w'));
    run_until(&mut driver, LIMIT, |s| pane(s).wrap()).await;
    let wrapped = drawn(&mut driver, |s| render(s, 80, 24)).await;
    assert!(!wrapped.contains("specification MUS…") && wrapped.contains("[wrap]"), "wrapped: {wrapped}");

    press(&tx, KeyCode::Char('r'));
    run_until(&mut driver, LIMIT, |s| pane(s).view().raw.is_some()).await;
    let raw = drawn(&mut driver, |s| render(s, 80, 24)).await;
    assert!(
        raw.contains(" 1 │ [") && raw.contains(" 3 │     \"architecturalStyles\": ["),
        "the body's own lines: {raw}"
    );
    assert!(raw.contains("line 1 of"), "{raw}");
    press(&tx, KeyCode::Char('r'));
    run_until(&mut driver, LIMIT, |s| !pane(s).view().showing_raw()).await;
    assert_eq!(path(&driver.state), "$[0].description", "the tree as it was");
}

#[tokio::test]
async fn a_body_past_the_memory_cap_is_read_from_a_temporary_file() {
    let api = InspectorApi::start().await;
    let mut profile = profile(&api.base());
    profile.limits.body_memory = 64 * 1024;
    let mut driver = driver(profile, 160, 48);
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "get /users/me");
    press(&tx, KeyCode::Enter);
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| s.response.shown.is_some()).await;
    assert!(pane(&driver.state).file_backed());
    assert!(pane(&driver.state).whole().source.as_bytes().is_none(), "not in memory");
    press(&tx, KeyCode::Tab);
    press(&tx, KeyCode::Tab);
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "REQ-000500");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, LIMIT, |s| pane(s).view().match_position() == Some((Some(1), 1))).await;
    let screen = drawn(&mut driver, |s| render(s, 160, 48)).await;
    assert!(screen.contains("$[500].code") && screen.contains("[on disk]"), "{screen}");
    assert!(screen.contains("KB in a temporary file"), "the status line says so: {screen}");
}

/// The explorer's state with the requirements shown and the response focused, without the network: the response
/// is handed to `update` as the run loop would, with a fixed time, so snapshots are steady.
fn shown_state(width: u16, height: u16) -> State {
    let api = "https://api.sandbox.zorgapis.nl/v1beta2";
    let mut state =
        State::new(profile(api), builtin::catalogue(), Rect::new(0, 0, width, height), zorgtui::testing::now());
    keys(&mut state, "/get /api-requirements-versions/{versionName}/api");
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Enter);
    keys(&mut state, "1.2.0");
    let effects = key(&mut state, KeyCode::Enter);
    let id = effects
        .iter()
        .find_map(|e| match e {
            Effect::Send { id, .. } => Some(*id),
            _ => None,
        })
        .expect("the request was sent");
    let ready = prepare_response(ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body: server::requirements_body().into(),
        elapsed: Duration::from_millis(87),
        url: format!("{api}/api-requirements-versions/1.2.0/api-requirements"),
        spilled: None,
    });
    update(&mut state, Action::Response { id, ready: Box::new(ready) }, zorgtui::testing::now());
    key(&mut state, KeyCode::Tab);
    assert_eq!(state.focus, Pane::Response);
    state
}

fn key(state: &mut State, code: KeyCode) -> Vec<Effect> {
    let effects =
        update(state, Action::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), zorgtui::testing::now());
    run_jobs(state, effects)
}

fn keys(state: &mut State, text: &str) {
    for c in text.chars() {
        key(state, KeyCode::Char(c));
    }
}

/// Runs the inspector's search and filter jobs at once, as the run loop would on a blocking thread.
fn run_jobs(state: &mut State, effects: Vec<Effect>) -> Vec<Effect> {
    use zorgtui::app::{InspectorEffect, InspectorEvent, SearchTarget};
    let never = AtomicBool::new(false);
    let mut rest = Vec::new();
    for effect in effects {
        let event = match effect {
            Effect::Inspector(InspectorEffect::Search { job, target: SearchTarget::Tree(doc), query, .. }) => {
                let result = json::search(&doc, &query, &never, |_, _| {}).map_err(|e| e.to_string());
                InspectorEvent::Searched { job, result }
            }
            Effect::Inspector(InspectorEffect::Filter { job, doc, expr, .. }) => {
                let result = json::filter(&doc, &expr, &never)
                    .map(|out| (Arc::new(out.document), out.results))
                    .map_err(|e| e.to_string());
                InspectorEvent::Filtered { job, result }
            }
            other => {
                rest.push(other);
                continue;
            }
        };
        let more = update(state, Action::Inspector(event), zorgtui::testing::now());
        rest.extend(run_jobs(state, more));
    }
    rest
}

#[test]
fn inspector_screens() {
    for (w, h) in [(80, 24), (160, 48)] {
        let mut state = shown_state(w, h);
        keys(&mut state, "2/must");
        key(&mut state, KeyCode::Enter);
        assert_eq!(pane(&state).view().match_position(), Some((Some(1), 28)));
        insta::assert_snapshot!(format!("inspector_search_{w}x{h}"), render(&state, w, h));

        keys(&mut state, "|[.[] | select(.score > 1) | {code, roles}]");
        key(&mut state, KeyCode::Enter);
        assert!(pane(&state).filtered().is_some());
        insta::assert_snapshot!(format!("inspector_filter_{w}x{h}"), render(&state, w, h));
    }
}

#[test]
fn search_matches_are_marked_and_the_current_one_stands_out() {
    let mut state = shown_state(160, 48);
    keys(&mut state, "/must");
    key(&mut state, KeyCode::Enter);
    let buffer = crate::support::screen::draw(&state, 160, 48);
    let screen = crate::support::screen::text(&buffer);
    let cell = |needle: &str| {
        let (row, line) = screen.lines().enumerate().find(|(_, l)| l.contains(needle)).unwrap();
        let chars: Vec<char> = line.chars().collect();
        let column = chars.windows(4).position(|w| w.iter().collect::<String>() == "MUST").unwrap();
        buffer[(u16::try_from(column).unwrap(), u16::try_from(row).unwrap())].clone()
    };
    assert_eq!(cell("The API specification MUST").bg, Color::LightMagenta, "the current match");
    assert_eq!(cell("\"requirementLevel\": \"MUST\",").bg, Color::Yellow, "another match");
}
