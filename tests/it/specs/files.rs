//! `$ref`s into other files: followed by relative path (`../` too), cycle-safe; absolute paths and URLs refused.

use std::path::Path;

use zorgtui::api::openapi;

fn write(dir: &Path, relative: &str, text: &str) {
    let path = dir.join(relative);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

const ROOT: &str = "openapi: 3.0.3\ninfo: {title: Split, version: '1'}\npaths:\n  /things:\n    $ref: 'paths/things.yaml'\n  \
                    /other:\n    get:\n      parameters:\n        - $ref: '../shared/params.yaml#/components/parameters/Page'\n";

#[test]
fn refs_are_followed_into_other_files_and_back_without_looping() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "api/openapi.yaml", ROOT);
    // The path item refers to a schema beside it, which refers back into itself and to the root.
    write(
        dir.path(),
        "api/paths/things.yaml",
        "get:\n  parameters: [{$ref: '#/x-params/q'}]\npost:\n  requestBody:\n    content:\n      application/json:\n        \
         schema: {$ref: '../schemas/Thing.yaml'}\nx-params:\n  q: {name: q, in: query, schema: {type: string}}\n",
    );
    write(
        dir.path(),
        "api/schemas/Thing.yaml",
        "type: object\nproperties:\n  name: {type: string, example: bolt}\n  parts: {type: array, items: {$ref: 'Thing.yaml'}}\n  \
         owner: {$ref: '../openapi.yaml#/components/schemas/Owner'}\n",
    );
    write(
        dir.path(),
        "shared/params.yaml",
        "components:\n  parameters:\n    Page: {name: page, in: query, schema: {type: integer, default: 1}}\n",
    );
    let root = dir.path().join("api/openapi.yaml");
    std::fs::write(
        &root,
        format!("{ROOT}components:\n  schemas:\n    Owner: {{properties: {{id: {{type: integer}}}}}}\n"),
    )
    .unwrap();

    let catalogue = openapi::load_file(&root).unwrap();
    assert!(catalogue.notices.is_empty(), "{:?}", catalogue.notices);
    let keys: Vec<String> = catalogue.operations.iter().map(|o| o.key().0).collect();
    assert_eq!(keys, ["GET /things", "POST /things", "GET /other"]);
    assert_eq!(catalogue.operations[0].params[0].name, "q");
    let body = catalogue.operations[1].body.as_ref().unwrap().example.as_deref().unwrap();
    assert_eq!(body, "{\n  \"name\": \"bolt\",\n  \"parts\": [],\n  \"owner\": {\n    \"id\": 0\n  }\n}");
    assert_eq!(catalogue.operations[2].params[0].default.as_deref(), Some("1"));
}

#[test]
fn absolute_paths_urls_missing_files_and_broken_files_are_refused_with_a_notice() {
    let dir = tempfile::tempdir().unwrap();
    let secret = dir.path().join("secret.yaml");
    std::fs::write(&secret, "name: leaked\nin: query\n").unwrap();
    let doc = format!(
        "openapi: 3.1.0\npaths:\n  /a:\n    get:\n      parameters:\n        - $ref: '{}'\n        \
         - $ref: 'https://elsewhere.example/p.yaml'\n        - $ref: 'gone.yaml#/p'\n        - $ref: 'broken.yaml#/p'\n        \
         - $ref: 'ok.yaml#/nope'\n        - {{name: kept, in: query}}\n",
        secret.display()
    );
    write(dir.path(), "spec.yaml", &doc);
    write(dir.path(), "broken.yaml", "p: [unclosed\n");
    write(dir.path(), "ok.yaml", "p: {name: p, in: query}\n");
    let catalogue = openapi::load_file(&dir.path().join("spec.yaml")).unwrap();
    let names: Vec<&str> = catalogue.operations[0].params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["kept"], "{:?}", catalogue.notices);
    let notices = catalogue.notices.join("\n");
    assert!(notices.contains("absolute file paths are refused"), "{notices}");
    assert!(notices.contains("may only name files beside it"), "{notices}");
    assert!(notices.contains("gone.yaml: cannot read it: "), "{notices}");
    assert!(notices.contains("broken.yaml: invalid YAML at line"), "{notices}");
    assert!(notices.contains("$ref `ok.yaml#/nope` points nowhere"), "a dangling ref is named as written: {notices}");
    assert!(catalogue.notices.iter().all(|n| !n.contains('\n')));
}

#[test]
fn a_cycle_of_refs_across_files_is_named_not_followed_forever() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "spec.yaml", "openapi: 3.1.0\npaths:\n  /a:\n    $ref: 'a.yaml'\n");
    write(dir.path(), "a.yaml", "$ref: 'b.yaml'\n");
    write(dir.path(), "b.yaml", "$ref: 'a.yaml'\n");
    let catalogue = openapi::load_file(&dir.path().join("spec.yaml")).unwrap();
    assert!(catalogue.operations.is_empty());
    assert!(catalogue.notices.iter().any(|n| n.contains("/a: circular $ref")), "{:?}", catalogue.notices);
}

#[test]
fn yaml_integers_past_64_bits_load() {
    let doc = "openapi: 3.0.0\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      parameters:\n        \
               - {name: n, in: query, schema: {type: integer, maximum: 340282366920938463463374607431768211455, default: 18446744073709551616}}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "big.yaml").unwrap();
    assert_eq!(catalogue.operations[0].params[0].default.as_deref(), Some("1.8446744073709552e19"));
}
