//! The inspector's keys and job answers, at the `update` level: commands in, state and effects out.

use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use bytes::Bytes;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use super::*;
use crate::app::Effect;
use crate::app::keys::Keymap;
use crate::json::{self, Document, Row, RowToken, Source};

fn doc(json: &str) -> Arc<Document> {
    Arc::new(Document::parse(Bytes::from(json.to_string())).unwrap())
}

fn pane(json: &str) -> InspectorPane {
    let mut pane = InspectorPane::new(ReadyBody::Json(doc(json)), false, "body.json", 1).unwrap();
    pane.set_size(10, 80);
    pane
}

fn text_pane(text: &str) -> InspectorPane {
    let raw = crate::json::RawText::new(Source::from_bytes(Bytes::from(text.to_string()))).unwrap();
    let mut pane = InspectorPane::new(ReadyBody::Text(raw), false, "body.txt", 1).unwrap();
    pane.set_size(10, 80);
    pane
}

/// Presses a key as the person would: through the pane's own key map.
fn press_with(pane: &mut InspectorPane, code: KeyCode, modifiers: KeyModifiers) -> Vec<Effect> {
    match pane.key_input(&Keymap::default(), KeyEvent::new(code, modifiers)) {
        Some(input) => pane.input(input, Instant::now()),
        None => Vec::new(),
    }
}

/// What the effects put on the clipboard.
fn copied(effects: &[Effect]) -> Vec<String> {
    effects.iter().filter_map(|e| if let Effect::Copy(text) = e { Some(text.clone()) } else { None }).collect()
}

fn press(pane: &mut InspectorPane, code: KeyCode) -> Vec<Effect> {
    press_with(pane, code, KeyModifiers::NONE)
}

fn keys(pane: &mut InspectorPane, text: &str) -> Vec<Effect> {
    text.chars().flat_map(|c| press(pane, KeyCode::Char(c))).collect()
}

fn tree(pane: &InspectorPane) -> &crate::json::Inspector {
    pane.view().tree.as_ref().unwrap()
}

fn path(pane: &InspectorPane) -> String {
    tree(pane).cursor_path(crate::json::Access::Direct).unwrap()
}

fn cursor_row(pane: &InspectorPane) -> Row {
    let t = tree(pane);
    t.rows(t.cursor(), 1).unwrap().pop().unwrap()
}

fn folded_children(pane: &InspectorPane) -> Option<usize> {
    match cursor_row(pane).token {
        RowToken::Folded { children, .. } => Some(children),
        _ => None,
    }
}

/// Runs the search effect as the run loop would, and hands the answer back.
fn answer_search(pane: &mut InspectorPane, effects: &[Effect]) -> Vec<Effect> {
    let Some(Effect::Inspector(InspectorEffect::Search { job, target, query, .. })) = effects.last() else {
        panic!("a search was asked for: {effects:?}")
    };
    match target {
        SearchTarget::Tree(doc) => {
            let results = json::search(doc, query, &AtomicBool::new(false), |_, _| {}).unwrap();
            pane.event(InspectorEvent::Searched { job: *job, result: Ok(results) }, Instant::now())
        }
        SearchTarget::Lines(_) => panic!("a tree search"),
    }
}

fn answer_filter(pane: &mut InspectorPane, effects: &[Effect]) {
    let Some(Effect::Inspector(InspectorEffect::Filter { job, doc, expr, .. })) = effects.last() else {
        panic!("a filter was asked for: {effects:?}")
    };
    let result = json::filter(doc, expr, &AtomicBool::new(false))
        .map(|out| (Arc::new(out.document), out.results))
        .map_err(|e| e.to_string());
    pane.event(InspectorEvent::Filtered { job: *job, result }, Instant::now());
}

const PEOPLE: &str = r#"[{"name":"Ann","roles":["admin","dev"],"age":41},{"name":"Bob","roles":[],"tags":{}},{"name":"Cy","roles":["ops"]}]"#;

#[test]
fn vim_keys_and_arrows_move_and_fold() {
    let mut p = pane(PEOPLE);
    assert_eq!(path(&p), "$");
    press(&mut p, KeyCode::Char('j'));
    press(&mut p, KeyCode::Down);
    assert_eq!(path(&p), "$[0].name");
    press(&mut p, KeyCode::Char('h'));
    assert_eq!(path(&p), "$[0]", "h on a scalar goes to the parent");
    press(&mut p, KeyCode::Char('h'));
    assert_eq!(folded_children(&p), Some(3), "h on an open container folds it");
    press(&mut p, KeyCode::Left);
    assert_eq!(path(&p), "$", "h on a folded container goes to the parent");
    press(&mut p, KeyCode::Char('j'));
    press(&mut p, KeyCode::Char('l'));
    assert_eq!(folded_children(&p), None, "l unfolds");
    press(&mut p, KeyCode::Right);
    assert_eq!(path(&p), "$[0].name", "l on an open container goes in");
    press(&mut p, KeyCode::Up);
    press(&mut p, KeyCode::Char(' '));
    assert_eq!(folded_children(&p), Some(3), "Space toggles");
    press(&mut p, KeyCode::Enter);
    assert_eq!(folded_children(&p), None, "Enter toggles too");
}

#[test]
fn levels_fold_all_and_unfold_all() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('1'));
    assert_eq!(tree(&p).row_count(), 5, "[, three folded objects, ]");
    press(&mut p, KeyCode::Char('2'));
    assert!(
        tree(&p)
            .rows(0, 20)
            .unwrap()
            .iter()
            .any(|r| r.token == RowToken::Folded { container: crate::json::Container::Array, children: 2 })
    );
    keys(&mut p, "zM");
    assert_eq!(tree(&p).row_count(), 1, "zM folds everything");
    assert_eq!(folded_children(&p), Some(3));
    keys(&mut p, "zR");
    let everything = tree(&p).row_count();
    keys(&mut p, "zM0");
    assert_eq!(tree(&p).row_count(), everything, "0 unfolds everything too");
    assert!(p.pending().is_none());
    keys(&mut p, "zx");
    assert!(p.pending().is_none(), "an unknown second key ends the prefix");
}

#[test]
fn parent_siblings_top_end_and_pages() {
    let mut p = pane(PEOPLE);
    keys(&mut p, "jj");
    press(&mut p, KeyCode::Char('J'));
    assert_eq!(path(&p), "$[0].roles");
    press(&mut p, KeyCode::Char(']'));
    assert_eq!(path(&p), "$[0].age");
    press(&mut p, KeyCode::Char('['));
    press(&mut p, KeyCode::Char('K'));
    assert_eq!(path(&p), "$[0].name");
    press(&mut p, KeyCode::Char('p'));
    assert_eq!(path(&p), "$[0]");
    press(&mut p, KeyCode::Char('G'));
    assert_eq!(tree(&p).cursor() + 1, tree(&p).row_count());
    press(&mut p, KeyCode::Char('g'));
    assert_eq!(tree(&p).cursor(), 0);
    keys(&mut p, "0");
    press(&mut p, KeyCode::PageDown);
    assert_eq!(tree(&p).cursor(), 8, "a page is the rows on screen less one (9 rows + the info line)");
    press_with(&mut p, KeyCode::Char('u'), KeyModifiers::CONTROL);
    assert_eq!(tree(&p).cursor(), 4, "Ctrl-U: half a page");
    press_with(&mut p, KeyCode::Char('d'), KeyModifiers::CONTROL);
    press(&mut p, KeyCode::PageUp);
    assert_eq!(tree(&p).cursor(), 0);
}

#[test]
fn search_as_you_type_replaces_the_running_search() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    assert!(p.typing());
    let first = keys(&mut p, "o");
    let Some(Effect::Inspector(InspectorEffect::Search { cancel: first_cancel, .. })) = first.last() else {
        panic!("{first:?}")
    };
    let second = keys(&mut p, "p");
    assert!(first_cancel.is_cancelled(), "the new search cancels the old");
    assert!(p.busy());
    answer_search(&mut p, &second);
    assert_eq!(path(&p), "$[2].roles[0]", "the answer takes the cursor to the match, unfolding its parents");
    assert_eq!(p.view().match_position(), Some((Some(1), 1)), "`op` is in one value");
    press(&mut p, KeyCode::Enter);
    assert!(!p.typing());
    assert_eq!(path(&p), "$[2].roles[0]", "Enter keeps the match the typing went to");
}

#[test]
fn enter_before_the_last_answer_goes_to_a_match_of_the_whole_query() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    let first = keys(&mut p, "o");
    answer_search(&mut p, &first);
    let on_o = path(&p);
    let second = keys(&mut p, "p");
    press(&mut p, KeyCode::Enter);
    answer_search(&mut p, &second);
    assert_ne!(on_o, "$[2].roles[0]");
    assert_eq!(path(&p), "$[2].roles[0]", "a match of `op`, not the `o` the typing had reached");
}

#[test]
fn esc_while_typing_a_search_goes_back_to_where_it_started() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('j'));
    let start = path(&p);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "ops");
    answer_search(&mut p, &effects);
    assert_eq!(path(&p), "$[2].roles[0]");
    press(&mut p, KeyCode::Esc);
    assert_eq!(path(&p), start, "Esc: back where / was pressed");
    assert!(p.view().query.is_none());
}

#[test]
fn n_and_n_shift_move_between_matches_and_wrap() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "name");
    // Enter before the answer: the jump waits for it.
    press(&mut p, KeyCode::Enter);
    answer_search(&mut p, &effects);
    assert_eq!(path(&p), "$[0].name");
    press(&mut p, KeyCode::Char('n'));
    assert_eq!(path(&p), "$[1].name");
    press(&mut p, KeyCode::Char('n'));
    press(&mut p, KeyCode::Char('n'));
    assert_eq!(path(&p), "$[0].name", "wraps around");
    press(&mut p, KeyCode::Char('N'));
    assert_eq!(path(&p), "$[2].name");
    assert_eq!(p.view().match_position(), Some((Some(3), 3)));
    press(&mut p, KeyCode::Esc);
    assert!(p.view().query.is_none() && p.view().match_position().is_none(), "Esc clears the search");
    press(&mut p, KeyCode::Char('n'));
    assert!(p.take_notice().unwrap().text.contains("No search"));
}

#[test]
fn a_search_with_no_match_says_so() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "zebra");
    answer_search(&mut p, &effects);
    press(&mut p, KeyCode::Enter);
    assert_eq!(p.take_notice().unwrap().text, "No match for `zebra`");
}

#[test]
fn esc_in_the_search_field_cancels_and_clears() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "q");
    assert!(p.typing(), "q types a q in the field");
    press(&mut p, KeyCode::Esc);
    let Some(Effect::Inspector(InspectorEffect::Search { cancel, .. })) = effects.last() else { panic!() };
    assert!(cancel.is_cancelled() && !p.busy() && !p.typing());
    answer_search(&mut p, &effects);
    assert!(p.view().match_position().is_none(), "a late answer is dropped");
}

#[test]
fn filter_shows_its_result_and_esc_returns_with_the_state_kept() {
    let mut p = pane(PEOPLE);
    keys(&mut p, "jj");
    let before = (path(&p), tree(&p).row_count());
    press(&mut p, KeyCode::Char('|'));
    let effects = keys(&mut p, ".[] | .name");
    assert!(effects.is_empty(), "a filter runs on Enter, not per key");
    let effects = press(&mut p, KeyCode::Enter);
    assert!(p.busy());
    answer_filter(&mut p, &effects);
    let filtered = p.filtered().unwrap();
    assert_eq!((filtered.expr.as_str(), filtered.results), (".[] | .name", 3));
    let rows: Vec<String> = tree(&p)
        .rows(0, 10)
        .unwrap()
        .into_iter()
        .filter_map(|r| match r.token {
            RowToken::Scalar { text, .. } => Some(text),
            _ => None,
        })
        .collect();
    assert_eq!(rows, ["\"Ann\"", "\"Bob\"", "\"Cy\""]);
    assert!(p.take_notice().unwrap().text.starts_with("3 results"));
    press(&mut p, KeyCode::Esc);
    assert!(p.filtered().is_none());
    assert_eq!((path(&p), tree(&p).row_count()), before, "the whole document as it was left");
    assert_eq!(p.history(), [".[] | .name"]);
}

#[test]
fn filter_errors_are_one_line_and_esc_stops_a_running_filter() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('|'));
    keys(&mut p, ".[] | nope(");
    assert!(press(&mut p, KeyCode::Enter).is_empty(), "what does not compile does not run");
    let notice = p.take_notice().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(notice.text.starts_with("filter does not compile"), "{}", notice.text);
    assert_eq!(p.prompt().unwrap().text(), ".[] | nope(", "the prompt stays open, the text there to fix");
    press(&mut p, KeyCode::Esc);

    press(&mut p, KeyCode::Char('|'));
    keys(&mut p, ".[0] + 1");
    let effects = press(&mut p, KeyCode::Enter);
    answer_filter(&mut p, &effects);
    let notice = p.take_notice().unwrap();
    assert!(notice.text.starts_with("filter failed"), "{}", notice.text);
    assert!(p.filtered().is_none());

    press(&mut p, KeyCode::Char('|'));
    assert_eq!(p.prompt().unwrap().text(), "", "the prompt opens empty");
    press(&mut p, KeyCode::Up);
    assert_eq!(p.prompt().unwrap().text(), ".[0] + 1", "↑ brings back the last expression");
    press(&mut p, KeyCode::Esc);
    press(&mut p, KeyCode::Char('|'));
    keys(&mut p, ".[0]");
    let effects = press(&mut p, KeyCode::Enter);
    press(&mut p, KeyCode::Esc);
    let Some(Effect::Inspector(InspectorEffect::Filter { cancel, .. })) = effects.last() else { panic!() };
    assert!(cancel.is_cancelled() && !p.busy());
    answer_filter(&mut p, &effects);
    assert!(p.filtered().is_none(), "the answer of a stopped filter is dropped");
}

#[test]
fn copy_value_and_path_and_the_size_limit() {
    let mut p = pane(PEOPLE);
    keys(&mut p, "jjj");
    assert_eq!(copied(&press(&mut p, KeyCode::Char('Y'))), ["$[0].roles"]);
    assert_eq!(copied(&press(&mut p, KeyCode::Char('y'))), ["[\"admin\",\"dev\"]"]);
    assert!(p.take_notice().unwrap().text.starts_with("Copied the value of $[0].roles"));

    let big = format!("{{\"blob\":\"{}\"}}", "x".repeat(usize::try_from(out_of_pane::COPY_LIMIT).unwrap()));
    let mut p = pane(&big);
    press(&mut p, KeyCode::Char('j'));
    assert!(press(&mut p, KeyCode::Char('y')).is_empty());
    let notice = p.take_notice().unwrap();
    assert_eq!(notice.kind, NoticeKind::Error);
    assert!(notice.text.contains("$.blob is 1.0 MB") && notice.text.contains("s saves"), "{}", notice.text);
}

#[test]
fn save_asks_for_a_path_and_asks_again_before_replacing() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('s'));
    assert_eq!(p.prompt().unwrap().text(), "body.json", "a name is offered");
    press_with(&mut p, KeyCode::Char('u'), KeyModifiers::CONTROL);
    keys(&mut p, "/tmp/people.json");
    let effects = press(&mut p, KeyCode::Enter);
    let [Effect::Inspector(InspectorEffect::Save { job, path, overwrite: false, source })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    assert_eq!((path.to_str(), source.len()), (Some("/tmp/people.json"), PEOPLE.len() as u64));
    p.event(InspectorEvent::Saved { job: *job, result: Err(SaveError::Exists(path.clone())) }, Instant::now());
    assert!(p.prompt().unwrap().label().contains("exists. Replace it?"));
    let effects = press(&mut p, KeyCode::Char('y'));
    let [Effect::Inspector(InspectorEffect::Save { job, overwrite: true, .. })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    p.event(InspectorEvent::Saved { job: *job, result: Ok((path.clone(), 12)) }, Instant::now());
    assert_eq!(p.take_notice().unwrap().text, "Saved 12 B to /tmp/people.json");

    press(&mut p, KeyCode::Char('s'));
    let effects = press(&mut p, KeyCode::Enter);
    let [Effect::Inspector(InspectorEffect::Save { job, path, .. })] = effects.as_slice() else { panic!() };
    p.event(InspectorEvent::Saved { job: *job, result: Err(SaveError::Exists(path.clone())) }, Instant::now());
    assert!(press(&mut p, KeyCode::Char('n')).is_empty());
    assert!(p.take_notice().unwrap().text.starts_with("Not saved"));
}

#[test]
fn wrap_raw_editor_and_pager() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('w'));
    assert!(p.wrap());
    let effects = press(&mut p, KeyCode::Char('r'));
    assert!(p.view().showing_raw());
    let [Effect::Inspector(InspectorEffect::CountLines { job, source })] = effects.as_slice() else {
        panic!("{effects:?}")
    };
    let raw = crate::json::RawText::new(source.clone()).map_err(|e| e.to_string());
    p.event(InspectorEvent::LinesCounted { job: *job, result: raw }, Instant::now());
    assert_eq!(p.view().raw.as_ref().unwrap().line_count(), 1);
    assert!(press(&mut p, KeyCode::Char('r')).is_empty());
    assert!(!p.view().showing_raw());
    assert!(press(&mut p, KeyCode::Char('r')).is_empty(), "the lines are counted once");
    let editor = press(&mut p, KeyCode::Char('e'));
    assert!(matches!(
        editor.as_slice(),
        [Effect::Inspector(InspectorEffect::External { program: ExternalProgram::Editor, suffix: ".json", .. })]
    ));
    p.event(InspectorEvent::ExternalDone(Ok(())), Instant::now());
    assert!(p.take_notice().unwrap().text.starts_with("The editor had a copy"), "the edits were not kept: say so");
    let pager = press(&mut p, KeyCode::Char('o'));
    assert!(matches!(
        pager.as_slice(),
        [Effect::Inspector(InspectorEffect::External { program: ExternalProgram::Pager, .. })]
    ));
}

#[test]
fn text_bodies_move_by_line_and_search_lines() {
    let mut p = text_pane("one\ntwo\nthree two\n");
    assert!(p.view().showing_raw());
    press(&mut p, KeyCode::Char('r'));
    assert!(p.take_notice().unwrap().text.contains("not JSON"));
    press(&mut p, KeyCode::Char('G'));
    assert_eq!(p.view().raw.as_ref().unwrap().cursor(), 2);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "two");
    let Some(Effect::Inspector(InspectorEffect::Search { job, target: SearchTarget::Lines(_), .. })) = effects.last()
    else {
        panic!("{effects:?}")
    };
    p.event(InspectorEvent::LinesFound { job: *job, result: Ok(vec![1, 2]) }, Instant::now());
    press(&mut p, KeyCode::Enter);
    assert_eq!(p.view().raw.as_ref().unwrap().cursor(), 1, "wrapped to the first match");
    assert_eq!(copied(&press(&mut p, KeyCode::Char('y'))), ["two"]);
    press(&mut p, KeyCode::Char('|'));
    keys(&mut p, ".");
    press(&mut p, KeyCode::Backspace);
    keys(&mut p, ".a");
    assert!(press(&mut p, KeyCode::Enter).is_empty());
    assert!(p.take_notice().unwrap().text.contains("nothing to filter"));
}

#[test]
fn answers_for_other_jobs_are_dropped() {
    let mut p = pane(PEOPLE);
    let results = json::search(&doc(PEOPLE), "Ann", &AtomicBool::new(false), |_, _| {}).unwrap();
    p.event(InspectorEvent::Searched { job: 999_999, result: Ok(results) }, Instant::now());
    assert!(p.view().match_position().is_none());
    p.event(InspectorEvent::Filtered { job: 999_999, result: Ok((doc("[1]"), 1)) }, Instant::now());
    assert!(p.filtered().is_none());
}

#[test]
fn a_dropped_pane_cancels_its_jobs() {
    let mut p = pane(PEOPLE);
    press(&mut p, KeyCode::Char('/'));
    let effects = keys(&mut p, "a");
    let Some(Effect::Inspector(InspectorEffect::Search { cancel, .. })) = effects.last() else { panic!() };
    let cancel = cancel.clone();
    drop(p);
    assert!(cancel.is_cancelled());
}

#[test]
fn hints_follow_what_is_open() {
    let mut p = pane(PEOPLE);
    let has = |p: &InspectorPane, key: &str| p.hints(&Keymap::default()).iter().any(|h| h.key == key);
    assert!(has(&p, "/") && has(&p, "|") && !has(&p, "nN"));
    press(&mut p, KeyCode::Char('|'));
    assert!(has(&p, "↑↓"));
    press(&mut p, KeyCode::Esc);
    press(&mut p, KeyCode::Char('z'));
    assert!(has(&p, "zR"));
}

mod in_the_explorer {
    //! The inspector inside the explorer's response pane: which keys it takes from the explorer.

    use ratatui::crossterm::event::KeyCode;

    use crate::app::tests::{key, response, sent, state, type_text, update};
    use crate::app::{Action, Effect, Pane, State};

    fn with_response() -> State {
        let mut s = state();
        let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
        update(&mut s, Action::Response { id, ready: response(200, r#"{"quit":[1,2],"name":"q"}"#) });
        s.focus = Pane::Response;
        s
    }

    #[test]
    fn the_search_field_takes_q_and_tab_still_moves_focus_outside_it() {
        let mut s = with_response();
        update(&mut s, key(KeyCode::Char('/')));
        let effects = type_text(&mut s, "q");
        assert!(!s.quit, "q is typed into the field");
        assert!(matches!(effects.as_slice(), [Effect::Inspector(_)]), "and searched for: {effects:?}");
        assert_eq!(s.response.pane().unwrap().prompt().unwrap().text(), "q");
        update(&mut s, key(KeyCode::Enter));
        update(&mut s, key(KeyCode::Tab));
        assert_eq!(s.focus, Pane::Auth, "Tab is the explorer's once the field is closed");
    }

    #[test]
    fn esc_cancels_a_request_on_its_way_before_it_clears_the_search() {
        let mut s = with_response();
        update(&mut s, key(KeyCode::Char('/')));
        type_text(&mut s, "name");
        update(&mut s, key(KeyCode::Enter));
        let (id, _) = sent(&update(&mut s, crate::app::tests::ctrl_r())).unwrap();
        let effects = update(&mut s, key(KeyCode::Esc));
        assert!(matches!(effects.as_slice(), [Effect::Cancel(cancelled)] if *cancelled == id), "{effects:?}");
        assert!(s.response.pane().unwrap().view().query.is_some(), "the search stays");
        update(&mut s, key(KeyCode::Esc));
        assert!(s.response.pane().unwrap().view().query.is_none(), "then Esc clears it");
    }

    #[test]
    fn h_shows_the_headers_and_the_status_bar_names_the_inspector_keys() {
        let mut s = with_response();
        let hints: Vec<String> = crate::app::key_hints(&s).into_iter().map(|h| h.key).collect();
        let hints: Vec<&str> = hints.iter().map(String::as_str).collect();
        assert!(hints.contains(&"|") && hints.contains(&"H"), "{hints:?}");
        update(&mut s, key(KeyCode::Char('H')));
        assert!(s.response.show_headers);
        update(&mut s, key(KeyCode::Char('j')));
        assert!(s.response.pane().unwrap().view().tree.as_ref().unwrap().cursor() == 0, "j scrolls the headers");
    }
}

#[test]
fn a_line_taller_than_the_screen_is_read_by_scrolling_through_its_rows() {
    // One 2,000-character line and a short one; 9 body rows of 40 columns.
    let long = "x".repeat(2_000);
    let mut pane = text_pane(&format!("{long}\nshort"));
    pane.set_size(10, 40);
    press(&mut pane, KeyCode::Char('w'));
    let raw = |pane: &InspectorPane| {
        let raw = pane.view().raw.as_ref().unwrap();
        (raw.cursor(), raw.skip(), raw.cursor_rows())
    };
    let (_, _, rows) = raw(&pane);
    let gutter = 4; // "1 │ "
    assert_eq!(rows, wrapped_row_count(&format!("1 │ {long}"), 40, gutter));
    assert!(rows > 50, "{rows}");
    press(&mut pane, KeyCode::Char('j'));
    assert_eq!(raw(&pane), (0, 1, rows), "j scrolls the tall line by a row");
    press(&mut pane, KeyCode::PageDown);
    assert_eq!(raw(&pane).1, 9, "a page is the body less one row");
    press(&mut pane, KeyCode::Char('k'));
    assert_eq!(raw(&pane).1, 8);
    for _ in 0..20 {
        press(&mut pane, KeyCode::PageDown);
    }
    assert_eq!(raw(&pane).0, 1, "past the end of the tall line, the next line");
    assert_eq!(raw(&pane).1, 0);
    // Without wrapping, lines are lines again.
    press(&mut pane, KeyCode::Char('g'));
    press(&mut pane, KeyCode::Char('w'));
    press(&mut pane, KeyCode::Char('j'));
    assert_eq!(raw(&pane), (1, 0, 1));
}
