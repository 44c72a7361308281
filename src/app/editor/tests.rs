//! The request editor's drafts: defaults offered, values kept per operation.
use super::*;
use crate::api::{Method, Param, RequestBody};

fn param(name: &str, location: ParamLocation, default: Option<&str>) -> Param {
    Param {
        name: name.into(),
        location,
        required: false,
        kind: None,
        default: default.map(str::to_string),
        example: None,
        allowed: vec![],
        description: String::new(),
    }
}

pub(super) fn op() -> Operation {
    Operation {
        method: Method::Post,
        path: "/orgs/{id}/things".into(),
        tag: "t".into(),
        summary: String::new(),
        operation_id: None,
        params: vec![
            param("id", ParamLocation::Path, Some("ignored")),
            param("limit", ParamLocation::Query, Some("100")),
            param("filter", ParamLocation::Query, None),
        ],
        body: Some(RequestBody {
            content_type: "application/json".into(),
            required: true,
            example: Some("{\n  \"name\": \"x\"\n}".into()),
        }),
        scopes: vec![],
        accept: None,
        links: vec![],
        description: String::new(),
    }
}

#[test]
fn draft_offers_defaults_but_never_prefills_a_path() {
    let mut editor = EditorState::default();
    editor.show(Some((&op(), 0)));
    let values = editor.draft().unwrap().values();
    assert_eq!(values.path, vec![("id".to_string(), String::new())]);
    assert_eq!(values.query[0], ("limit".to_string(), "100".to_string()));
    assert_eq!(values.headers, vec![("Accept".to_string(), "application/json".to_string())]);
    assert_eq!(values.body.as_deref(), Some("{\n  \"name\": \"x\"\n}"));
    assert_eq!(editor.draft().unwrap().first_missing(), Some(0));
}

#[test]
fn edits_survive_switching_operations() {
    let mut editor = EditorState::default();
    let first = op();
    let mut second = op();
    second.path = "/other".into();
    editor.show(Some((&first, 0)));
    editor.start_edit(EditTarget::Field(0));
    editor.line.as_mut().unwrap().1.insert_str("42");
    assert!(editor.commit_edit());
    editor.show(Some((&second, 0)));
    assert_eq!(editor.draft().unwrap().fields[0].value, "");
    editor.show(Some((&first, 0)));
    assert_eq!(editor.draft().unwrap().fields[0].value, "42");
}

#[test]
fn new_header_is_typed_as_name_colon_value() {
    let mut editor = EditorState::default();
    editor.show(Some((&op(), 0)));
    editor.start_edit(EditTarget::NewHeader);
    editor.line.as_mut().unwrap().1.insert_str("X-Trace: abc");
    editor.commit_edit();
    let headers = editor.draft().unwrap().values().headers;
    assert!(headers.contains(&("X-Trace".to_string(), "abc".to_string())), "{headers:?}");
}

#[test]
fn cursor_skips_headings() {
    let mut editor = EditorState::default();
    editor.show(Some((&op(), 0)));
    editor.height = 50;
    assert_eq!(editor.current_row(), Some(EditorRow::Server));
    editor.move_by(1);
    assert_eq!(editor.current_row(), Some(EditorRow::Field(0)));
    editor.move_by(1);
    assert_eq!(editor.current_row(), Some(EditorRow::Field(1)));
    editor.move_by(100);
    assert_eq!(editor.current_row(), Some(EditorRow::Body));
}

#[test]
fn growing_taller_brings_back_rows_scrolled_past() {
    let mut editor = EditorState::default();
    editor.show(Some((&op(), 0)));
    editor.fit(Rect::new(0, 0, 80, 9)); // 7 inner rows less title and URL: 5, halved for the body: 3
    editor.move_by(10);
    assert!(editor.offset > 0, "scrolled to the last rows");
    editor.fit(Rect::new(0, 0, 80, 40));
    assert_eq!(editor.offset, 0, "everything fits again: nothing stays hidden at the top");
}

#[test]
fn accept_asks_for_what_the_operation_answers_in() {
    let mut editor = EditorState::default();
    let mut image = op();
    image.path = "/qr".into();
    image.accept = Some("image/png".into());
    editor.show(Some((&image, 0)));
    let headers = editor.draft().unwrap().values().headers;
    assert_eq!(headers, vec![("Accept".to_string(), "image/png".to_string())]);
}
