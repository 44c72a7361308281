//! The loaders on mutated real documents (property tests, in CI on stable; the fuzz targets go further where they
//! run): each of `../shared/`'s OpenAPI, Swagger and Postman documents, with a few lines deleted, doubled,
//! re-indented or ended in YAML and JSON syntax that means something (anchors, aliases, `$ref`s, flow openers,
//! quotes, control characters), a byte flipped or the text cut short. Whatever comes out, the loader answers with a
//! catalogue whose paths all start with `/`, or a one-line error, and never panics.

use proptest::prelude::*;
use zorgtui::api::{Catalogue, openapi, postman};

use super::{SPOTIFY, ZORGAPIS, shared};

/// Line endings that change what a YAML or JSON line means, rather than random bytes the parser rejects at once.
const ENDINGS: &[&str] = &[
    "{",
    "[",
    "}",
    "]",
    ",",
    ":",
    "'",
    "\"",
    "- ",
    "? ",
    "&anchor x",
    "*anchor",
    "<<: *anchor",
    "!!binary aGk=",
    "!custom x",
    "~",
    "null",
    "1e999",
    "-0",
    "\"\\ud800\"",
    "$ref: '#/paths'",
    "$ref: '#/components/schemas'",
    "$ref: '#/'",
    "$ref: '#/components/schemas/Missing'",
    "\"$ref\": \"#/paths\"",
    "{{unclosed",
    "\u{0}",
    "\u{1b}]52;c;aGk=\u{7}",
    "\u{9b}2J",
    "\t",
    "\r",
];

#[derive(Debug, Clone)]
enum Edit {
    DeleteLine(usize),
    DoubleLine(usize),
    Indent(usize),
    Outdent(usize),
    EndLine(usize, &'static str),
    FlipByte(usize, u8),
    CutAt(usize),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        2 => any::<usize>().prop_map(Edit::DeleteLine),
        2 => any::<usize>().prop_map(Edit::DoubleLine),
        1 => any::<usize>().prop_map(Edit::Indent),
        1 => any::<usize>().prop_map(Edit::Outdent),
        4 => (any::<usize>(), prop::sample::select(ENDINGS)).prop_map(|(at, end)| Edit::EndLine(at, end)),
        2 => (any::<usize>(), any::<u8>()).prop_map(|(at, byte)| Edit::FlipByte(at, byte)),
        1 => any::<usize>().prop_map(Edit::CutAt),
    ]
}

fn mutate(original: &[u8], edits: &[Edit]) -> Vec<u8> {
    let mut lines: Vec<Vec<u8>> = original.split(|&b| b == b'\n').map(<[u8]>::to_vec).collect();
    for edit in edits {
        let line = |at: &usize| at % lines.len();
        match edit {
            Edit::DeleteLine(at) if lines.len() > 1 => {
                let at = line(at);
                lines.remove(at);
            }
            Edit::DeleteLine(_) => {}
            Edit::DoubleLine(at) => {
                let at = line(at);
                lines.insert(at, lines[at].clone());
            }
            Edit::Indent(at) => {
                let at = line(at);
                lines[at].splice(0..0, *b"  ");
            }
            Edit::Outdent(at) => {
                let at = line(at);
                let lead = lines[at].iter().take(2).take_while(|&&b| b == b' ' || b == b'\t').count();
                lines[at].drain(..lead);
            }
            Edit::EndLine(at, end) => {
                let at = line(at);
                lines[at].extend_from_slice(end.as_bytes());
            }
            Edit::FlipByte(at, byte) => {
                let at = line(at);
                if let Some(position) = (!lines[at].is_empty()).then(|| at_len(&lines[at])) {
                    lines[at][position] ^= byte | 1;
                }
            }
            Edit::CutAt(at) => {
                let keep = at % lines.len() + 1;
                lines.truncate(keep);
            }
        }
    }
    lines.join(&b'\n')
}

/// The middle of a line: where a key ends and its value starts in most of these documents.
fn at_len(line: &[u8]) -> usize {
    line.len() / 2
}

fn check_catalogue(catalogue: &Catalogue) {
    for op in &catalogue.operations {
        assert!(op.path.starts_with('/'), "{}", op.path);
    }
    for notice in &catalogue.notices {
        assert!(!notice.contains('\n'), "{notice}");
    }
}

fn check_openapi(bytes: &[u8], source: &str) {
    match openapi::parse(bytes, source) {
        Ok(catalogue) => check_catalogue(&catalogue),
        Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
    }
}

fn check_postman(bytes: &[u8]) {
    match postman::parse_collection(bytes, "collection.json") {
        Ok(collection) => {
            check_catalogue(&collection.catalogue);
            let look = postman::lookup(None, &collection.variables);
            let _ = postman::substitute(&collection.api_base, look);
        }
        Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
    }
    if let Err(error) = postman::parse_environment(bytes, "environment.json") {
        assert!(!error.to_string().contains('\n'), "{error}");
    }
}

fn read(relative: &str) -> Vec<u8> {
    std::fs::read(shared(relative)).unwrap_or_else(|e| panic!("{relative}: {e}"))
}

/// The small documents, every kind the loader tells apart: OpenAPI 3.0 and 3.1 in YAML, Swagger 2.0 in YAML and JSON.
const SMALL: &[&str] = &[
    "specs/petstore-expanded-3.0.yaml",
    "specs/petstore-expanded-swagger-2.0.yaml",
    "specs/petstore-separate-swagger-2.0/spec/swagger.yaml",
    "specs/tictactoe-3.1.yaml",
    "specs/uber-swagger-2.0.json",
    "specs/uspto-3.0.yaml",
    "specs/webhook-3.1.yaml",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 160, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn the_small_real_documents_mutated_load_or_say_why_in_a_line(
        which in 0..SMALL.len(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let source = SMALL[which];
        check_openapi(&mutate(&read(source), &edits), source);
    }
}

proptest! {
    // The large documents take tens of milliseconds a parse here: fewer cases, each as searching.
    #![proptest_config(ProptestConfig { cases: 24, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn zorgapis_and_spotify_mutated_load_or_say_why_in_a_line(
        spotify in any::<bool>(),
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let source = if spotify { SPOTIFY } else { ZORGAPIS };
        check_openapi(&mutate(&read(source), &edits), source);
    }

    #[test]
    fn the_zorgapis_postman_files_mutated_load_or_say_why_in_a_line(
        which in 0..3usize,
        edits in prop::collection::vec(edit(), 1..6),
    ) {
        let source = ["zorgapis/postman/collection.json", "zorgapis/postman/sandbox-environment.json",
            "zorgapis/postman/production-environment.json"][which];
        check_postman(&mutate(&read(source), &edits));
    }
}

#[test]
fn a_mutation_changes_the_document_as_described() {
    let text = b"a: 1\n  b: 2\nc: 3";
    // A position is taken modulo the number of lines: 0 is the first, 4 the second of three.
    assert_eq!(mutate(text, &[Edit::DeleteLine(4)]), b"a: 1\nc: 3");
    assert_eq!(mutate(text, &[Edit::Outdent(0), Edit::EndLine(0, "{")]), b"a: 1{\n  b: 2\nc: 3");
    assert_eq!(mutate(text, &[Edit::CutAt(0)]), b"a: 1");
}
