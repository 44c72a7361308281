//! A big JSON response shown while it arrives (`streaming`): its start, keys on it, the whole in its place, and a
//! response cut off that keeps its start.

use bytes::Bytes;
use ratatui::crossterm::event::KeyCode;

use super::response::{BodyView, prepare_response};
use super::tests::{key, sent, state, update};
use super::{Action, Pane, State};
use crate::api::response::ApiResponse;
use crate::json::{PREVIEW_BYTES, Preview, Source};

fn api_response(body: Bytes) -> ApiResponse {
    ApiResponse {
        status: 200,
        reason: "OK".into(),
        headers: vec![("content-type".into(), "application/json".into())],
        body,
        elapsed: std::time::Duration::from_millis(40),
        url: "http://127.0.0.1:9/v1/users/me".into(),
        spilled: None,
    }
}

/// A request in flight whose start (of `text`) has arrived, a third of it received.
fn started(text: &str) -> (State, u64) {
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    let start = Bytes::copy_from_slice(&text.as_bytes()[..=PREVIEW_BYTES]);
    let preview = Preview::of(&Source::from_bytes(start), PREVIEW_BYTES).unwrap();
    let head = api_response(Bytes::new());
    let total = text.len() as u64;
    let (head, preview) = (Box::new(head), Box::new(preview));
    update(&mut s, Action::ResponseStarted { id, head, preview, received: total / 4, total: Some(total) });
    update(&mut s, Action::ResponseArriving { id, received: total / 3, total: Some(total) });
    (s, id)
}

fn tree_rows(s: &State) -> (usize, usize) {
    let tree = s.response.pane().unwrap().view().tree.as_ref().unwrap();
    (tree.cursor(), tree.row_count())
}

#[test]
fn the_start_shows_while_the_rest_arrives_and_the_whole_takes_its_place() {
    let text = crate::json::testdata::array_of_objects(5 * PREVIEW_BYTES);
    let (mut s, id) = started(&text);
    assert!(s.response.in_flight.is_some(), "still on its way");
    let pane = s.response.pane().expect("the start is shown");
    let indexing = pane.indexing().unwrap();
    assert!(indexing.arriving && indexing.progress().starts_with("33% of 5.0 MB received"), "{indexing:?}");
    assert_eq!(s.response.shown.as_ref().unwrap().size, text.len() as u64 / 3);

    s.focus = Pane::Response;
    for _ in 0..5 {
        update(&mut s, key(KeyCode::Char('j')));
    }
    assert_eq!(tree_rows(&s).0, 5, "keys work on the start");
    update(&mut s, key(KeyCode::Char('s')));
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(notice.contains("Only the start of the body is here"), "no save of a part: {notice}");

    let ready = prepare_response(api_response(Bytes::from(text.clone())));
    update(&mut s, Action::Response { id, ready: Box::new(ready) });
    assert!(s.response.in_flight.is_none());
    let pane = s.response.pane().unwrap();
    assert!(pane.indexing().is_none(), "the whole");
    assert_eq!(pane.whole().source.len(), text.len() as u64, "saves and raw lines read the whole body");
    let (cursor, rows) = tree_rows(&s);
    assert_eq!(cursor, 5, "where it was left");
    let whole = crate::json::Document::parse(Bytes::from(text)).unwrap();
    assert!(rows > 2 && pane.view().tree.as_ref().unwrap().document().entry_count() == whole.entry_count());
    assert_eq!(s.response.shown.as_ref().unwrap().size, whole.len_bytes());
}

#[test]
fn a_response_cut_off_keeps_its_start_and_says_so() {
    let text = crate::json::testdata::array_of_objects(3 * PREVIEW_BYTES);
    let (mut s, id) = started(&text);
    update(&mut s, Action::RequestFailed { id, message: "the server stopped answering".into() });
    let pane = s.response.pane().expect("the start stays");
    let broken = pane.indexing().and_then(|i| i.broken.as_ref()).expect("said");
    assert!(broken.message.contains("did not arrive (the server stopped answering)"), "{broken:?}");

    // Cancelled by Esc: the same.
    let (mut s, _) = started(&text);
    update(&mut s, key(KeyCode::Esc));
    assert!(s.response.in_flight.is_none());
    let pane = s.response.pane().unwrap();
    assert!(pane.indexing().unwrap().broken.as_ref().unwrap().message.contains("cancelled"));
}

#[test]
fn a_start_that_comes_after_its_whole_or_for_another_request_is_dropped() {
    let text = crate::json::testdata::array_of_objects(2 * PREVIEW_BYTES);
    let mut s = state();
    let (id, _) = sent(&update(&mut s, key(KeyCode::Enter))).unwrap();
    let ready = prepare_response(api_response(Bytes::from(text.clone())));
    update(&mut s, Action::Response { id, ready: Box::new(ready) });
    let start = Bytes::copy_from_slice(&text.as_bytes()[..=PREVIEW_BYTES]);
    let preview = Preview::of(&Source::from_bytes(start), PREVIEW_BYTES).unwrap();
    let (head, preview) = (Box::new(api_response(Bytes::new())), Box::new(preview));
    update(&mut s, Action::ResponseStarted { id, head, preview, received: 0, total: None });
    let pane = s.response.pane().unwrap();
    assert!(pane.indexing().is_none() && matches!(s.response.shown.as_ref().unwrap().body, BodyView::Inspector(_)));
}

#[test]
fn a_response_that_breaks_past_its_start_keeps_the_start_and_can_be_saved_whole() {
    let mut text = crate::json::testdata::array_of_objects(3 * PREVIEW_BYTES);
    text.truncate(text.len() - 2);
    text.push_str("x]");
    let (mut s, id) = started(&text);
    let ready = prepare_response(api_response(Bytes::from(text.clone())));
    update(&mut s, Action::Response { id, ready: Box::new(ready) });
    let pane = s.response.pane().expect("the start stays");
    let indexing = pane.indexing().unwrap();
    assert!(!indexing.arriving && indexing.broken.as_ref().is_some_and(|e| e.line > 0), "{indexing:?}");
    assert_eq!(pane.whole().source.len(), text.len() as u64, "the whole body, for a save");
    s.focus = Pane::Response;
    let effects = update(&mut s, key(KeyCode::Char('s')));
    let notice = s.notice.as_ref().map(|n| n.text.clone()).unwrap_or_default();
    assert!(!notice.contains("Only the start"), "{notice} {effects:?}");
}
