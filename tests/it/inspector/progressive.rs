//! Progressive opening (issue 17): `zorgtui view` shows a big document's start while the whole is indexed, keys
//! work on it at once, and the whole document takes its place where the person left it. Driven step by step
//! through the viewer's update (the job's answers handed in), so what happens between the preview and the whole
//! is certain rather than raced; `view.rs` runs the same through the real jobs.

use bytes::Bytes;
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use zorgtui::app::{
    Action, Effect, Expect, InspectorEffect, InspectorEvent, Now, OpenInput, ViewerState, prepare_body,
};
use zorgtui::json::{PREVIEW_BYTES, Preview, Source};

use crate::support::screen::text;

fn now() -> Now {
    Now { instant: std::time::Instant::now(), wall: std::time::SystemTime::now() }
}

fn render(state: &ViewerState) -> String {
    let mut terminal = Terminal::new(TestBackend::new(120, 30)).unwrap();
    terminal.draw(|frame| zorgtui::ui::draw_viewer(frame, state)).unwrap();
    text(terminal.backend().buffer())
}

fn key(state: &mut ViewerState, code: KeyCode) -> Vec<Effect> {
    state.update(Action::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), now())
}

fn keys(state: &mut ViewerState, typed: &str) {
    for c in typed.chars() {
        key(state, KeyCode::Char(c));
    }
}

/// A viewer on `text` that has been handed the preview, and the job id its answers carry.
fn previewed(text: &str) -> (ViewerState, Source, zorgtui::app::JobId) {
    let (mut state, effects) =
        ViewerState::new(OpenInput::File("big.json".into()), 64 << 20, Rect::new(0, 0, 120, 30), now());
    let Some(Effect::Inspector(InspectorEffect::Open { job, .. })) = effects.into_iter().next() else { panic!() };
    let source = Source::from_bytes(Bytes::from(text.to_string()));
    let preview = Preview::of(&source, PREVIEW_BYTES).expect("a preview of a big document");
    let event =
        InspectorEvent::Previewed { job, preview: Box::new(preview), source: Some(source.clone()), file_backed: false };
    state.update(Action::Inspector(event), now());
    let event = InspectorEvent::Progress { job, done: source.len() / 3, total: source.len() };
    state.update(Action::Inspector(event), now());
    (state, source, job)
}

fn indexed(state: &mut ViewerState, source: Source, job: zorgtui::app::JobId) -> Vec<Effect> {
    let body = prepare_body(source, Expect::Maybe, None, |_, _| {}).unwrap();
    state.update(
        Action::Inspector(InspectorEvent::Opened { job, result: Ok(Box::new(body)), file_backed: false }),
        now(),
    )
}

#[test]
fn the_start_shows_at_once_keys_work_and_the_whole_takes_its_place_where_it_was_left() {
    let text = zorgtui::json::testdata::array_of_objects(8 * PREVIEW_BYTES);
    let (mut state, source, job) = previewed(&text);
    let screen = render(&state);
    assert!(screen.contains("\"code\": \"REQ-000000\""), "the first rows: {screen}");
    assert!(screen.contains("33% of 8.0 MB indexed"), "{screen}");

    // Moving and folding work on the preview; G goes to the end of what is indexed and says so.
    keys(&mut state, "jjjl");
    key(&mut state, KeyCode::Char('G'));
    let screen = render(&state);
    assert!(screen.contains("The end of what is indexed so far (33% of 8.0 MB indexed)"), "{screen}");
    keys(&mut state, "kkk");
    let before = render(&state);

    // A filter waits for the whole, and says so; the search runs on what is there.
    key(&mut state, KeyCode::Char('|'));
    keys(&mut state, "length");
    assert!(key(&mut state, KeyCode::Enter).is_empty(), "no filter job on the preview");
    assert!(render(&state).contains("filter waits, Esc stops"), "{}", render(&state));

    // The whole document: the same screen, the filter runs.
    let effects = indexed(&mut state, source, job);
    assert!(effects.iter().any(|e| matches!(e, Effect::Inspector(InspectorEffect::Filter { .. }))), "{effects:?}");
    let pane = state.pane.as_ref().unwrap();
    assert!(pane.indexing().is_none());
    let after = render(&state);
    // The last two rows were the preview's: its last value (no comma after it there) and its closing bracket.
    let rows = |screen: &str| screen.lines().skip(1).take(25).map(str::to_string).collect::<Vec<_>>();
    assert_eq!(rows(&after), rows(&before), "the rows on screen stay");
    key(&mut state, KeyCode::Esc);
    key(&mut state, KeyCode::Char('G'));
    let tree = state.pane.as_ref().unwrap().view().tree.as_ref().unwrap();
    assert_eq!(tree.cursor() + 1, tree.row_count());
    let whole = zorgtui::json::Document::parse(Bytes::from(text)).unwrap();
    assert!(tree.row_count() > 2000 && tree.document().entry_count() == whole.entry_count(), "the whole document");
    assert!(!render(&state).contains("indexed so far"));
}

#[test]
fn g_on_the_start_goes_on_to_the_end_once_the_whole_is_indexed_unless_another_key_came() {
    let text = zorgtui::json::testdata::array_of_objects(4 * PREVIEW_BYTES);
    for (after_g, to_the_end) in [("", true), ("k", false)] {
        let (mut state, source, job) = previewed(&text);
        key(&mut state, KeyCode::Char('G'));
        keys(&mut state, after_g);
        let preview_rows = state.pane.as_ref().unwrap().view().tree.as_ref().unwrap().row_count();
        indexed(&mut state, source.clone(), job);
        let tree = state.pane.as_ref().unwrap().view().tree.as_ref().unwrap();
        assert_eq!(tree.cursor() + 1 == tree.row_count(), to_the_end, "after G{after_g}");
        assert!(tree.row_count() > preview_rows);
    }
}

#[test]
fn esc_stops_a_waiting_filter_and_a_cut_value_is_not_copied() {
    let text = zorgtui::json::testdata::array_of_objects(4 * PREVIEW_BYTES);
    let (mut state, source, job) = previewed(&text);
    key(&mut state, KeyCode::Char('|'));
    keys(&mut state, ".[0]");
    key(&mut state, KeyCode::Enter);
    key(&mut state, KeyCode::Esc);
    assert!(render(&state).contains("Filter stopped"), "{}", render(&state));
    // The root array is cut by the preview: copying it would copy a part.
    key(&mut state, KeyCode::Char('y'));
    assert!(render(&state).contains("not indexed to its end yet"), "{}", render(&state));
    let effects = indexed(&mut state, source, job);
    assert!(!effects.iter().any(|e| matches!(e, Effect::Inspector(InspectorEffect::Filter { .. }))), "stopped");
}

#[test]
fn a_document_that_breaks_past_its_start_keeps_the_start_and_says_where() {
    let mut text = zorgtui::json::testdata::array_of_objects(3 * PREVIEW_BYTES);
    text.truncate(text.len() - 2);
    text.push_str("x]");
    let (mut state, source, job) = previewed(&text);
    indexed(&mut state, source, job);
    let screen = render(&state);
    assert!(screen.contains("\"code\": \"REQ-000000\""), "the start stays: {screen}");
    assert!(screen.contains("invalid JSON at line") && screen.contains("shown is the start"), "{screen}");
    key(&mut state, KeyCode::Char('G'));
    assert!(render(&state).contains("The end of what could be read"), "{}", render(&state));
}

#[test]
fn stdin_shows_its_start_while_it_is_still_being_read() {
    let text = zorgtui::json::testdata::array_of_objects(3 * PREVIEW_BYTES);
    let (mut state, effects) = ViewerState::new(OpenInput::Stdin, 64 << 20, Rect::new(0, 0, 120, 30), now());
    let Some(Effect::Inspector(InspectorEffect::Open { job, .. })) = effects.into_iter().next() else { panic!() };
    let start = Source::from_bytes(Bytes::copy_from_slice(&text.as_bytes()[..=PREVIEW_BYTES]));
    let preview = Box::new(Preview::of(&start, PREVIEW_BYTES).unwrap());
    state
        .update(Action::Inspector(InspectorEvent::Previewed { job, preview, source: None, file_backed: false }), now());
    state.update(Action::Inspector(InspectorEvent::Progress { job, done: 2 << 20, total: 0 }), now());
    assert!(
        render(&state).contains("2.0 MB received") && render(&state).contains("stdin   2.0 MB so far"),
        "{}",
        render(&state)
    );
    key(&mut state, KeyCode::Char('s'));
    assert!(render(&state).contains("Only the start of the body is here"), "no save of a part: {}", render(&state));

    let source = Source::from_bytes(Bytes::from(text.clone()));
    let event = InspectorEvent::Read { job, source: source.clone(), file_backed: false };
    state.update(Action::Inspector(event), now());
    state.update(
        Action::Inspector(InspectorEvent::Progress { job, done: source.len() / 2, total: source.len() }),
        now(),
    );
    assert!(render(&state).contains("50% of 3.0 MB indexed"), "{}", render(&state));
    indexed(&mut state, source, job);
    assert!(state.pane.as_ref().unwrap().indexing().is_none());
    assert_eq!(state.pane.as_ref().unwrap().whole().source.len(), text.len() as u64);
}

#[test]
fn a_read_that_fails_past_the_start_keeps_the_start_and_says_why() {
    let text = zorgtui::json::testdata::array_of_objects(3 * PREVIEW_BYTES);
    let (mut state, _, job) = previewed(&text);
    let result = Err("cannot read big.json: Input/output error".to_string());
    state.update(Action::Inspector(InspectorEvent::Opened { job, result, file_backed: false }), now());
    let screen = render(&state);
    assert!(screen.contains("\"code\": \"REQ-000000\""), "the start stays: {screen}");
    assert!(screen.contains("Input/output error: shown is the start"), "{screen}");
    assert!(state.tick_interval().is_none(), "nothing spins on");
}
