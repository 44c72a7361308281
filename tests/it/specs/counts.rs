//! Every real document in `../shared/` opens with one operation per HTTP method under `paths`, counted here on the
//! YAML tree by a walk of its own (path items reached by `$ref` included; webhooks and callbacks are not under
//! `paths`, and uppercase keys are not methods).

use serde_yaml_ng::Value;
use zorgtui::api::openapi;

use super::shared;

const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Operations under `paths`, counted on the tree: each path item (or the one its `$ref` names, in this document or
/// a file beside it) contributes its lowercase method keys.
fn count_independently(path: &std::path::Path) -> usize {
    let doc: Value = serde_yaml_ng::from_slice(&std::fs::read(path).unwrap()).unwrap();
    let Some(paths) = doc.get("paths").and_then(Value::as_mapping) else { return 0 };
    paths
        .iter()
        .filter(|(key, _)| !key.as_str().is_some_and(|k| k.starts_with("x-")))
        .map(|(_, item)| {
            let item = match item.get("$ref").and_then(Value::as_str) {
                Some(reference) => resolve(path, &doc, reference),
                None => item.clone(),
            };
            item.as_mapping()
                .map_or(0, |m| m.keys().filter(|k| k.as_str().is_some_and(|k| METHODS.contains(&k))).count())
        })
        .sum()
}

fn resolve(path: &std::path::Path, doc: &Value, reference: &str) -> Value {
    let (file, pointer) = reference.split_once('#').unwrap_or((reference, ""));
    let target = if file.is_empty() {
        doc.clone()
    } else {
        serde_yaml_ng::from_slice(&std::fs::read(path.parent().unwrap().join(file)).unwrap()).unwrap()
    };
    let json: serde_json::Value = serde_json::to_value(&target).unwrap();
    serde_json::from_value(json.pointer(pointer).cloned().unwrap_or_default()).unwrap()
}

/// Every document of `../shared/specs` and `../shared/zorgapis` (the split Swagger 2.0 example by its root).
fn documents() -> Vec<std::path::PathBuf> {
    let mut found = Vec::new();
    for dir in ["specs", "zorgapis"] {
        for entry in std::fs::read_dir(shared(dir)).unwrap() {
            let path = entry.unwrap().path();
            let is_spec = path.extension().is_some_and(|e| e == "yaml" || e == "yml" || e == "json");
            if is_spec {
                found.push(path);
            } else if path.join("spec/swagger.yaml").is_file() {
                found.push(path.join("spec/swagger.yaml"));
            }
        }
    }
    found.sort();
    found
}

#[test]
fn every_shared_document_opens_with_one_operation_per_method_under_paths() {
    let documents = documents();
    assert!(documents.len() >= 9, "{documents:?}");
    for path in documents {
        let catalogue = openapi::load_file(&path).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(catalogue.operations.len(), count_independently(&path), "{}", path.display());
        assert!(
            !catalogue.notices.iter().any(|n| n.contains("$ref")),
            "{}: every $ref is followed: {:?}",
            path.display(),
            catalogue.notices
        );
    }
}

#[test]
fn known_counts() {
    let counts = [
        ("zorgapis/openapi-v1beta2.yaml", 74),
        ("specs/spotify-openapi-3.0.yml", 97),
        ("specs/petstore-expanded-3.0.yaml", 4),
        ("specs/uspto-3.0.yaml", 3),
        ("specs/tictactoe-3.1.yaml", 3),
        ("specs/webhook-3.1.yaml", 0),
        ("specs/petstore-expanded-swagger-2.0.yaml", 4),
        ("specs/uber-swagger-2.0.json", 5),
        ("specs/petstore-separate-swagger-2.0/spec/swagger.yaml", 4),
    ];
    for (relative, count) in counts {
        assert_eq!(openapi::load_file(&shared(relative)).unwrap().operations.len(), count, "{relative}");
    }
}

#[test]
fn path_items_reached_by_ref_count_and_callbacks_do_not() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /a:\n    get:\n      callbacks:\n        \
               onEvent:\n          '{$request.body#/url}':\n            post: {responses: {'200': {description: ok}}}\n    \
               GET: {summary: not a method}\n  /b: {$ref: '#/components/pathItems/B'}\n  x-internal: {get: {}}\n\
               components:\n  pathItems:\n    B: {get: {}, put: {}, parameters: []}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "inline.yaml").unwrap();
    let keys: Vec<String> = catalogue.operations.iter().map(|o| o.key().0).collect();
    assert_eq!(keys, ["GET /a", "GET /b", "PUT /b"]);
}
