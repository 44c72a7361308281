//! Inputs that are not (good) OpenAPI: each gives a one-line error or a catalogue with notices, never a panic.

use std::fmt::Write as _;

use zorgtui::api::{SpecError, openapi};

use super::{SPOTIFY, ZORGAPIS, shared};

fn error_of(text: &str) -> String {
    match openapi::parse(text.as_bytes(), "spec") {
        Ok(catalogue) => panic!("loaded: {catalogue:?}"),
        Err(e) => e.to_string(),
    }
}

#[test]
fn documents_that_are_not_openapi_3_say_what_they_are() {
    assert_eq!(
        error_of("swagger: '1.2'\npaths: {}\n"),
        "spec is Swagger 1.2; zorgtui reads OpenAPI 3.0 and 3.1, and Swagger 2.0"
    );
    assert_eq!(error_of("{\"info\": {}}"), "spec is not an OpenAPI document: no `openapi` field");
    assert_eq!(error_of("[1, 2]"), "spec is not an OpenAPI document: its top level is a list, not a mapping");
    assert_eq!(error_of("just words"), "spec is not an OpenAPI document: its top level is a string, not a mapping");
    assert_eq!(
        error_of("openapi: 2.5.0\n"),
        "spec is OpenAPI 2.5.0; zorgtui reads OpenAPI 3.0 and 3.1, and Swagger 2.0"
    );
    assert_eq!(
        error_of("openapi: [3]\n"),
        "spec is not an OpenAPI document: its `openapi` field is not a version number"
    );
    assert_eq!(error_of(" \n"), "spec is empty");
    assert_eq!(
        error_of("openapi: 3.1.0\npaths: [a, b]\n"),
        "spec: `paths` must be a mapping of paths to operations, not a list"
    );
}

#[test]
fn syntax_errors_name_line_and_column() {
    assert_eq!(
        error_of("{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {,}\n}"),
        "spec: invalid JSON at line 3, column 13: key must be a string"
    );
    let yaml = error_of("openapi: 3.1.0\npaths:\n  /a:\n    get: {\n  bad\n");
    assert!(yaml.starts_with("spec: invalid YAML at line "), "{yaml}");
    assert!(!yaml.contains('\n'), "{yaml}");
}

#[test]
fn unquoted_3_0_version_and_newer_3_x_are_read() {
    let plain = openapi::parse(b"openapi: 3.0\ninfo: {title: T, version: 1}\npaths: {}\n", "s").unwrap();
    assert_eq!(plain.title, "T 1");
    let newer = openapi::parse(b"openapi: 3.2.0\npaths: {}\n", "s").unwrap();
    assert_eq!(newer.notices[0], "OpenAPI 3.2.0 is newer than 3.1: read as 3.1");
}

#[test]
fn bad_references_skip_their_piece_and_say_so() {
    let doc = "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '#/components/parameters/gone'\n        \
               - $ref: 'common.yaml#/parameters/page'\n        - {name: ok, in: query}\n      \
               requestBody: {$ref: '#/components/requestBodies/Loop'}\n  /b:\n    $ref: '#/paths/~1a'\n  \
               /c:\n    post:\n      requestBody:\n        content:\n          application/json:\n            \
               schema: {$ref: '#/components/schemas/Tree'}\ncomponents:\n  requestBodies:\n    \
               Loop: {$ref: '#/components/requestBodies/Loop2'}\n    Loop2: {$ref: '#/components/requestBodies/Loop'}\n  \
               schemas:\n    Tree:\n      type: object\n      properties:\n        label: {type: string}\n        \
               kids: {type: array, items: {$ref: '#/components/schemas/Tree'}}\n        parent: {$ref: '#/components/schemas/Tree'}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "s").unwrap();
    let keys: Vec<String> = catalogue.operations.iter().map(|o| o.key().0).collect();
    assert_eq!(keys, ["GET /a", "GET /b", "POST /c"], "a path item $ref is followed");
    assert_eq!(catalogue.operations[0].params.len(), 1);
    assert!(catalogue.operations[0].body.is_none());
    let tree = catalogue.operations[2].body.as_ref().unwrap().example.as_deref().unwrap();
    assert_eq!(tree, "{\n  \"label\": \"string\",\n  \"kids\": []\n}");
    assert_eq!(
        catalogue.notices,
        [
            "1 external $ref reference not followed (first: `common.yaml#/parameters/page`); those parts are skipped",
            "GET /a: $ref `#/components/parameters/gone` points nowhere; the parameter is skipped",
            "GET /a: circular $ref `#/components/requestBodies/Loop`; the request body is skipped",
            "GET /b: $ref `#/components/parameters/gone` points nowhere; the parameter is skipped",
            "GET /b: circular $ref `#/components/requestBodies/Loop`; the request body is skipped",
        ]
    );
}

#[test]
fn odd_shapes_inside_a_document_never_fail_it() {
    let doc = "openapi: 3.1.0\ninfo: [1]\ntags: {a: 1}\nservers: 7\nsecurity: nope\npaths:\n  /a: 5\n  /b:\n    \
               get: [1]\n    post:\n      tags: [{x: 1}]\n      parameters: {a: 1}\n      requestBody: {content: [1]}\n      \
               security: {oauth2: 1}\n  x-ext: {get: {}}\n  /c:\n    parameters: [7, {name: p, in: path, schema: 3}]\n    \
               delete: {}\ncomponents:\n  securitySchemes:\n    oauth2: {type: oauth2, flows: 3}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "s").unwrap();
    let keys: Vec<String> = catalogue.operations.iter().map(|o| o.key().0).collect();
    assert_eq!(keys, ["POST /b", "DELETE /c"]);
    assert_eq!(catalogue.title, "Untitled API");
    assert_eq!(catalogue.operations[1].params[0].name, "p");
    assert!(catalogue.notices.len() >= 2, "{:?}", catalogue.notices);
}

#[test]
fn huge_nesting_is_an_error_not_a_stack_overflow() {
    let deep_json = "[".repeat(100_000);
    assert!(error_of(&deep_json).starts_with("spec: invalid JSON at line 1, column 128"), "{}", error_of(&deep_json));
    let deep_yaml = "a:\n".to_string() + &"  - ".repeat(50_000) + "x\n";
    assert!(error_of(&deep_yaml).starts_with("spec: invalid YAML"), "{}", error_of(&deep_yaml));
    let deep_flow = "openapi: 3.1.0\npaths: ".to_string() + &"{a: ".repeat(20_000);
    assert!(error_of(&deep_flow).starts_with("spec: invalid YAML"));
}

#[test]
fn alias_bombs_are_refused() {
    let mut bomb = String::from("openapi: 3.1.0\na0: &a0 [x, x, x, x, x, x, x, x, x, x]\n");
    for level in 1..12 {
        let prev = format!("*a{}", level - 1);
        writeln!(bomb, "a{level}: &a{level} [{}]", vec![prev; 10].join(", ")).unwrap();
    }
    assert!(error_of(&bomb).starts_with("spec: invalid YAML"), "{}", error_of(&bomb));
}

#[test]
fn schemas_that_fan_out_load_quickly() {
    // Four layers of 300 branches each, none saying its type: walking them all would be 300^4 visits.
    let mut doc = String::from(
        "openapi: 3.1.0\npaths:\n  /a:\n    post:\n      parameters:\n        \
         - {name: p, in: query, schema: {$ref: '#/components/schemas/L0'}}\n      requestBody:\n        \
         content: {application/json: {schema: {$ref: '#/components/schemas/L0'}}}\ncomponents:\n  schemas:\n",
    );
    for layer in 0..4 {
        let branches = vec![format!("{{$ref: '#/components/schemas/L{}'}}", layer + 1); 300].join(", ");
        writeln!(doc, "    L{layer}: {{allOf: [{branches}]}}").unwrap();
    }
    doc.push_str("    L4: {description: a leaf without a type}\n");
    let catalogue = openapi::parse(doc.as_bytes(), "fan").unwrap();
    let operation = &catalogue.operations[0];
    assert_eq!(operation.params[0].kind, None);
    assert_eq!(operation.body.as_ref().unwrap().example.as_deref(), Some("{}"));
}

#[test]
fn truncated_real_documents_never_panic() {
    for relative in [ZORGAPIS, SPOTIFY, "specs/tictactoe-3.1.yaml", "specs/uspto-3.0.yaml"] {
        let bytes = std::fs::read(shared(relative)).unwrap();
        let tree: serde_yaml_ng::Value = serde_yaml_ng::from_slice(&bytes).unwrap();
        let json = serde_json::to_vec(&tree).unwrap();
        for document in [&bytes, &json] {
            let step = (document.len() / 37).max(1);
            for cut in (0..document.len()).step_by(step).chain([1, 2, 10, document.len() - 1]) {
                // Either outcome is fine; what matters is an answer, in one line when it is an error.
                if let Err(e) = openapi::parse(&document[..cut], relative) {
                    assert!(!e.to_string().contains('\n'), "{e}");
                }
            }
        }
    }
}

#[test]
fn random_bytes_never_panic() {
    let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let alphabet = b"{}[]:,-'\"&*!|>#% \n\t\\aZ09.$ref~/\xff\x00\xc3";
    for round in 0..400 {
        let len = usize::try_from(next() % 300).unwrap();
        let bytes: Vec<u8> = if round % 2 == 0 {
            (0..len).map(|_| next().to_le_bytes()[0]).collect()
        } else {
            (0..len).map(|_| alphabet[usize::try_from(next()).unwrap() % alphabet.len()]).collect()
        };
        let mut with_header = b"openapi: 3.1.0\npaths:\n  /a:\n    get:\n      ".to_vec();
        with_header.extend_from_slice(&bytes);
        for input in [&bytes, &with_header] {
            if let Err(e) = openapi::parse(input, "random") {
                assert!(!e.to_string().contains('\n'), "{e}");
            }
        }
    }
}

#[test]
fn a_missing_file_is_a_read_error() {
    let err = openapi::load_file(&shared("specs/no-such-file.yaml")).unwrap_err();
    assert!(matches!(err, SpecError::Read { .. }), "{err:?}");
    assert!(err.to_string().contains("no-such-file.yaml: cannot read it: "), "{err}");
}
