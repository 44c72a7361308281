use std::sync::Arc;
use std::sync::atomic::AtomicBool;

use bytes::Bytes;

use super::*;
use crate::json::{Container, ScalarKind, search};

fn doc(json: &str) -> Arc<Document> {
    Arc::new(Document::parse(Bytes::from(json.to_string())).unwrap())
}

fn inspector(json: &str) -> Inspector {
    Inspector::new(doc(json))
}

fn all_rows(ins: &Inspector) -> Vec<Row> {
    ins.rows(0, usize::MAX).unwrap()
}

/// Rows as short text: `key: token` with `…N` for folded containers and `,` for commas, indented by depth.
fn render(ins: &Inspector) -> Vec<String> {
    all_rows(ins)
        .into_iter()
        .map(|row| {
            let token = match row.token {
                RowToken::Open(Container::Object) => "{".to_string(),
                RowToken::Open(Container::Array) => "[".to_string(),
                RowToken::Close(Container::Object) => "}".to_string(),
                RowToken::Close(Container::Array) => "]".to_string(),
                RowToken::Folded { container: Container::Object, children } => format!("{{…{children}}}"),
                RowToken::Folded { container: Container::Array, children } => format!("[…{children}]"),
                RowToken::Scalar { text, .. } => text,
            };
            let key = row.key.map(|k| format!("{k}: ")).unwrap_or_default();
            format!("{}{key}{token}{}", " ".repeat(row.depth), if row.comma { "," } else { "" })
        })
        .collect()
}

fn cursor_to(ins: &mut Inspector, row: usize) {
    ins.top();
    ins.move_by(isize::try_from(row).unwrap());
}

#[test]
fn rows_follow_pretty_printing() {
    let ins = inspector(r#"{"a":[1,"x"],"b":null}"#);
    assert_eq!(render(&ins), ["{", " a: [", "  1,", "  \"x\"", " ],", " b: null", "}"]);
    let rows = all_rows(&ins);
    assert_eq!(rows[3].token, RowToken::Scalar { kind: ScalarKind::String, text: "\"x\"".into() });
    assert_eq!(rows[5].token, RowToken::Scalar { kind: ScalarKind::Null, text: "null".into() });
}

#[test]
fn opens_with_the_root_and_its_first_child_expanded() {
    let ins = inspector(r#"[{"a":1,"n":{"x":1}},{"b":{"c":2}},[3,4],[],{}]"#);
    assert_eq!(render(&ins), ["[", " {", "  a: 1,", "  n: {…1}", " },", " {…1},", " […2],", " […0],", " {…0}", "]"]);
}

#[test]
fn scalars_keep_their_json_text_and_keys_are_decoded() {
    let ins = inspector(r#"{"a\"b":"x\u00e9\n","n":1e400,"m":-0.50,"t":true,"é 🔑":false}"#);
    assert_eq!(
        render(&ins),
        ["{", " a\"b: \"x\\u00e9\\n\",", " n: 1e400,", " m: -0.50,", " t: true,", " é 🔑: false", "}"]
    );
}

#[test]
fn top_level_scalars_are_one_row() {
    for (json, text) in [("42", "42"), (" \"s\" ", "\"s\""), ("null", "null"), ("{}", "{…0}"), ("\u{feff}7", "7")] {
        let ins = inspector(json);
        assert_eq!(render(&ins), [text], "{json}");
    }
}

#[test]
fn duplicate_keys_are_all_shown_in_order() {
    let ins = inspector(r#"{"a":1,"b":2,"a":3}"#);
    assert_eq!(render(&ins), ["{", " a: 1,", " b: 2,", " a: 3", "}"]);
}

#[test]
fn cursor_stays_in_view() {
    let mut ins = inspector("[1,2,3,4,5,6,7,8,9,10]");
    ins.set_viewport(3);
    ins.move_by(5);
    assert_eq!((ins.cursor(), ins.offset()), (5, 3));
    ins.bottom();
    assert_eq!(ins.cursor(), 11);
    assert_eq!(ins.offset(), 9);
    ins.scroll_by(-100);
    assert_eq!((ins.offset(), ins.cursor()), (0, 2));
    ins.page(true);
    assert_eq!(ins.cursor(), 4);
}

#[test]
fn fold_and_unfold_keep_the_inner_state() {
    let mut ins = inspector(r#"[{"a":{"b":1}},{"c":{"d":2}}]"#);
    assert_eq!(render(&ins), ["[", " {", "  a: {…1}", " },", " {…1}", "]"]);
    cursor_to(&mut ins, 4);
    ins.unfold();
    assert_eq!(render(&ins)[4..], [" {", "  c: {…1}", " }", "]"]);
    cursor_to(&mut ins, 5);
    ins.unfold();
    assert_eq!(render(&ins)[5..], ["  c: {", "   d: 2", "  }", " }", "]"]);
    // Folding the outer object from its closing row, then unfolding it, shows `c` still unfolded.
    cursor_to(&mut ins, 8);
    ins.fold();
    assert_eq!(ins.cursor(), 4, "the cursor goes to the folded container");
    assert_eq!(render(&ins)[4..], [" {…1}", "]"]);
    ins.toggle_fold();
    assert_eq!(render(&ins)[5..], ["  c: {", "   d: 2", "  }", " }", "]"]);
}

#[test]
fn folding_a_scalar_or_an_empty_container_does_nothing() {
    let mut ins = inspector("[1,[]]");
    let before = render(&ins);
    for row in [1, 2] {
        cursor_to(&mut ins, row);
        ins.toggle_fold();
        assert_eq!(render(&ins), before);
    }
}

#[test]
fn fold_all_unfold_all_and_levels() {
    let json = r#"{"a":[{"b":[1]}],"c":{"d":{}}}"#;
    let mut ins = inspector(json);
    ins.fold_all();
    assert_eq!(render(&ins), ["{…2}"]);
    ins.unfold_all();
    assert_eq!(
        render(&ins),
        ["{", " a: [", "  {", "   b: [", "    1", "   ]", "  }", " ],", " c: {", "  d: {…0}", " }", "}"]
    );
    assert_eq!(ins.row_count(), doc(json).entry_count() as usize);
    ins.fold_to_level(1);
    assert_eq!(render(&ins), ["{", " a: […1],", " c: {…1}", "}"]);
    ins.fold_to_level(2);
    assert_eq!(render(&ins), ["{", " a: [", "  {…1}", " ],", " c: {", "  d: {…0}", " }", "}"]);
    ins.fold_to_level(0);
    assert_eq!(ins.row_count(), 1);
}

#[test]
fn unfold_subtree_opens_everything_below() {
    let mut ins = inspector(r#"[{"a":1},{"b":{"c":[2]}}]"#);
    cursor_to(&mut ins, 4);
    ins.unfold_subtree();
    assert_eq!(render(&ins)[4..], [" {", "  b: {", "   c: [", "    2", "   ]", "  }", " }", "]"]);
}

#[test]
fn a_fold_keeps_the_cursor_at_its_height_on_screen() {
    let json = format!("[{}]", (0..100).map(|i| format!("{{\"i\":{i}}}")).collect::<Vec<_>>().join(","));
    let mut ins = inspector(&json);
    ins.unfold_all();
    ins.set_viewport(10);
    cursor_to(&mut ins, 150);
    let height = ins.cursor() - ins.offset();
    ins.fold();
    assert_eq!(render(&ins)[ins.cursor()], " {…1},");
    assert_eq!(ins.cursor() - ins.offset(), height);
}

#[test]
fn structure_moves() {
    let mut ins = inspector(r#"{"a":[1,2,3],"b":{"c":1},"d":4}"#);
    ins.unfold_all();
    cursor_to(&mut ins, 3); // 2
    ins.next_sibling();
    assert_eq!(ins.cursor(), 4);
    ins.next_sibling();
    assert_eq!(ins.cursor(), 4, "no sibling after the last");
    ins.prev_sibling();
    ins.prev_sibling();
    ins.prev_sibling();
    assert_eq!(ins.cursor(), 2);
    ins.parent();
    assert_eq!(ins.cursor(), 1);
    ins.next_sibling();
    assert_eq!(ins.cursor(), 6, "over the array to b");
    ins.next_sibling();
    assert_eq!(ins.cursor(), 9);
    ins.prev_sibling();
    assert_eq!(ins.cursor(), 6);
    cursor_to(&mut ins, 8); // b's closing row
    ins.next_sibling();
    assert_eq!(ins.cursor(), 9);
    cursor_to(&mut ins, 8);
    ins.parent();
    assert_eq!(ins.cursor(), 6, "from a closing row to its opening row");
    ins.parent();
    ins.parent();
    assert_eq!(ins.cursor(), 0);
}

#[test]
fn paths_use_jq_syntax() {
    let mut ins = inspector(r#"{"items":[{"roles":["x","y"]}],"a b":1,"é":2,"_k9":{"":3}}"#);
    ins.unfold_all();
    let paths: Vec<String> = (0..ins.row_count())
        .map(|row| {
            cursor_to(&mut ins, row);
            ins.cursor_path(crate::json::Access::Direct).unwrap()
        })
        .collect();
    assert_eq!(
        paths,
        [
            "$",
            "$.items",
            "$.items[0]",
            "$.items[0].roles",
            "$.items[0].roles[0]",
            "$.items[0].roles[1]",
            "$.items[0].roles",
            "$.items[0]",
            "$.items",
            "$[\"a b\"]",
            "$[\"é\"]",
            "$._k9",
            "$._k9[\"\"]",
            "$._k9",
            "$",
        ]
    );
}

#[test]
fn large_containers_count_and_index_children_exactly() {
    let n = 189_804;
    let json = format!("[{}]", (0..n).map(|i| i.to_string()).collect::<Vec<_>>().join(","));
    let mut ins = inspector(&json);
    ins.fold_all();
    assert_eq!(all_rows(&ins)[0].token, RowToken::Folded { container: Container::Array, children: n });
    ins.unfold_all();
    for i in [0, 63, 64, 65, 127, 128, 4097, n - 1] {
        cursor_to(&mut ins, i + 1);
        assert_eq!(ins.cursor_path(crate::json::Access::Direct).unwrap(), format!("$[{i}]"));
    }
    ins.bottom();
    assert_eq!(render(&ins).last().map(String::as_str), Some("]"));
}

#[test]
fn the_value_under_the_cursor_is_its_text_in_the_body() {
    let json = "{\"s\": \"a\\\"b\", \"o\": {\"x\": [1, 2]}, \"e\": [ ], \"n\": 1.50}";
    let mut ins = inspector(json);
    ins.unfold_all();
    let texts: Vec<String> = (0..ins.row_count())
        .map(|row| {
            cursor_to(&mut ins, row);
            assert_eq!(ins.cursor_value_len().unwrap(), ins.cursor_value_text(u64::MAX).unwrap().len() as u64);
            ins.cursor_value_text(1000).unwrap()
        })
        .collect();
    assert_eq!(texts[0], json);
    assert_eq!(texts[1], "\"a\\\"b\"");
    assert_eq!(texts[2], "{\"x\": [1, 2]}");
    assert_eq!(texts[3], "[1, 2]");
    assert_eq!(texts[8], "[ ]");
    assert_eq!(texts[9], "1.50");
    cursor_to(&mut ins, 0);
    let err = ins.cursor_value_text(10).unwrap_err();
    assert!(matches!(err, ValueError::TooLarge { limit: 10, .. }), "{err}");
}

#[test]
fn huge_strings_are_clipped_in_rows_but_whole_in_copies() {
    let long = "x".repeat(ROW_TEXT_LIMIT * 3);
    let json = format!("[\"{long}\", 1]");
    let mut ins = inspector(&json);
    let rows = all_rows(&ins);
    let RowToken::Scalar { text, .. } = &rows[1].token else { panic!("{:?}", rows[1]) };
    assert!(text.ends_with('…') && text.len() < ROW_TEXT_LIMIT + 8);
    assert!(rows[1].comma);
    cursor_to(&mut ins, 1);
    assert_eq!(ins.cursor_value_len().unwrap(), long.len() as u64 + 2);
}

#[test]
fn deep_nesting_renders_at_any_depth() {
    let depth = 10_000;
    let json = format!("{}1{}", "[".repeat(depth), "]".repeat(depth));
    let mut ins = inspector(&json);
    ins.unfold_all();
    assert_eq!(ins.row_count(), 2 * depth + 1);
    cursor_to(&mut ins, depth);
    let rows = ins.rows(depth - 1, 3).unwrap();
    assert_eq!(rows.iter().map(|r| r.depth).collect::<Vec<_>>(), [depth - 1, depth, depth - 1]);
    assert_eq!(ins.cursor_path(crate::json::Access::Direct).unwrap(), format!("${}", "[0]".repeat(depth)));
    ins.fold_all();
    assert_eq!(ins.row_count(), 1);
}

#[test]
fn search_marks_rows_and_jumps_through_folds() {
    let json = r#"[{"name":"Alpha","code":"A1"},{"name":"beta","nested":{"alphabet":"xyz"}},{"n":"ALPHA"}]"#;
    let document = doc(json);
    let results = search(&document, "alpha", &AtomicBool::new(false), |_, _| {}).unwrap();
    assert_eq!(results.count(), 3, "Alpha, the alphabet key, ALPHA");
    let mut ins = Inspector::new(document);
    ins.set_search(Some(results));
    assert!(ins.next_match());
    assert_eq!(
        (ins.cursor_path(crate::json::Access::Direct).unwrap(), ins.current_match()),
        ("$[0].name".to_string(), Some(1))
    );
    let row = &ins.rows(ins.cursor(), 1).unwrap()[0];
    assert_eq!(row.hit, RowHit { key: false, value: true, current: true });
    assert!(ins.next_match());
    assert_eq!(
        ins.cursor_path(crate::json::Access::Direct).unwrap(),
        "$[1].nested.alphabet",
        "folded parents were opened"
    );
    assert_eq!(ins.rows(ins.cursor(), 1).unwrap()[0].hit, RowHit { key: true, value: false, current: true });
    assert!(ins.next_match());
    assert_eq!(ins.cursor_path(crate::json::Access::Direct).unwrap(), "$[2].n");
    assert!(ins.next_match());
    assert_eq!(
        (ins.cursor_path(crate::json::Access::Direct).unwrap(), ins.current_match()),
        ("$[0].name".to_string(), Some(1)),
        "wraps around"
    );
    assert!(ins.prev_match());
    assert_eq!(ins.cursor_path(crate::json::Access::Direct).unwrap(), "$[2].n", "wraps backwards");
    ins.set_search(None);
    assert!(!ins.next_match());
}

#[test]
fn a_match_off_the_screen_lands_mid_screen_and_one_on_it_does_not_scroll() {
    let items: Vec<String> = (0..200).map(|i| format!("\"item {i}\"")).collect();
    let document = doc(&format!("[{}]", items.join(",")));
    let results = search(&document, "item 150", &AtomicBool::new(false), |_, _| {}).unwrap();
    let mut ins = Inspector::new(document.clone());
    ins.set_viewport(20);
    ins.set_search(Some(results));
    assert!(ins.next_match());
    assert_eq!(ins.cursor_path(crate::json::Access::Direct).unwrap(), "$[150]");
    assert_eq!(ins.cursor() - ins.offset(), 10, "half the viewport above the match");
    let near = search(&document, "item 155", &AtomicBool::new(false), |_, _| {}).unwrap();
    let offset = ins.offset();
    ins.set_search(Some(near));
    assert!(ins.next_match());
    assert_eq!(
        (ins.cursor_path(crate::json::Access::Direct).unwrap(), ins.offset()),
        ("$[155]".to_string(), offset),
        "on screen: no scroll"
    );
}

#[test]
fn a_file_backed_document_shows_the_same_rows() {
    use std::io::Write as _;
    let json = crate::json::testdata::array_of_objects(200_000);
    let mut file = tempfile::tempfile().unwrap();
    file.write_all(json.as_bytes()).unwrap();
    let mut from_file = Inspector::new(Arc::new(Document::open_file(file).unwrap()));
    let mut from_memory = inspector(&json);
    for ins in [&mut from_file, &mut from_memory] {
        ins.unfold_all();
    }
    assert_eq!(from_file.row_count(), from_memory.row_count());
    for start in [0, 1000, from_file.row_count() - 50] {
        assert_eq!(from_file.rows(start, 50).unwrap(), from_memory.rows(start, 50).unwrap());
    }
}

/// The rows a naive walk gives for the same fold state.
fn naive_visible(ins: &Inspector) -> Vec<EntryId> {
    let index = &ins.doc.index;
    let mut out = Vec::new();
    let mut e = 0;
    while e < index.len() {
        out.push(e);
        e = if ins.is_folded(e) { index.close_of(e) + 1 } else { e + 1 };
    }
    out
}

#[test]
fn random_folds_agree_with_a_naive_walk() {
    let json = crate::json::testdata::array_of_objects(40_000);
    let mut ins = inspector(&json);
    let mut state = 11u64;
    for step in 0..300 {
        state = state.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        let row = usize::try_from(state >> 33).unwrap() % ins.row_count();
        cursor_to(&mut ins, row);
        match (state >> 20) % 9 {
            0 => ins.fold_all(),
            1 => ins.unfold_subtree(),
            2 => ins.fold_to_level(usize::try_from((state >> 10) % 4).unwrap()),
            3 => ins.unfold_all(),
            _ => ins.toggle_fold(),
        }
        let naive = naive_visible(&ins);
        assert_eq!(ins.row_count(), naive.len(), "step {step}");
        for (row, &e) in naive.iter().enumerate().step_by(7) {
            assert_eq!(ins.visible.select(row), Some(e as usize), "step {step}, row {row}");
        }
        assert!(ins.cursor() < ins.row_count());
    }
}
