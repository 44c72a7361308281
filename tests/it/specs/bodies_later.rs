//! A big spec's first read leaves its example bodies for later: the catalogue comes at once, the bodies follow on
//! another thread, and what the person sees and what the cache keeps end up as one whole read gives.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use zorgtui::api::openapi::{self, BODIES_LATER_BYTES};
use zorgtui::api::spec_cache::SpecCache;
use zorgtui::api::{Catalogue, Method};

use super::{SPOTIFY, ZORGAPIS, shared};
use crate::support::{drive, screen};

const LIMIT: u64 = 64 << 20;

/// The real document at `relative`, written to `dir` with a top-level extension that takes it past the size whose
/// bodies are made later (an `x-` key that no reader counts).
fn padded(dir: &std::path::Path, relative: &str) -> std::path::PathBuf {
    let mut text = std::fs::read_to_string(shared(relative)).unwrap();
    text.push_str("\nx-padding: '");
    text.push_str(&"p".repeat(BODIES_LATER_BYTES));
    text.push_str("'\n");
    let path = dir.join(std::path::Path::new(relative).file_name().unwrap());
    std::fs::write(&path, text).unwrap();
    path
}

fn examples(catalogue: &Catalogue) -> Vec<Option<&str>> {
    catalogue.operations.iter().map(|o| o.body.as_ref().and_then(|b| b.example.as_deref())).collect()
}

#[test]
fn a_big_spec_comes_without_bodies_and_its_completion_is_the_whole_read_kept_in_the_cache() {
    for relative in [SPOTIFY, ZORGAPIS] {
        let dir = tempfile::tempdir().unwrap();
        let path = padded(dir.path(), relative);
        let whole_read = openapi::load_file_with(&path, LIMIT).unwrap().catalogue;
        assert!(examples(&whole_read).iter().flatten().count() > 3, "{relative} has example bodies to make");

        let cache = SpecCache::new(&dir.path().join("cache"));
        let (quick, completion) = cache.load_file_soon(&path, LIMIT).unwrap();
        let completion = completion.expect("a big document leaves its bodies for later");
        assert!(examples(&quick).iter().all(Option::is_none), "{relative}: no body made yet");
        let keys = |c: &Catalogue| c.operations.iter().map(zorgtui::api::Operation::key).collect::<Vec<_>>();
        assert_eq!(keys(&quick), keys(&whole_read), "{relative}: the same operations in the same order");
        assert_eq!(
            (&quick.servers, &quick.security, &quick.oauth),
            (&whole_read.servers, &whole_read.security, &whole_read.oauth)
        );
        assert!(!dir.path().join("cache/specs").exists(), "nothing is kept before the bodies are made");

        assert_eq!(completion.catalogue().unwrap(), whole_read, "{relative}");
        let (cached, none) = cache.load_file_soon(&path, LIMIT).unwrap();
        assert!(none.is_none());
        assert_eq!(cached, whole_read, "{relative}: the cache keeps the whole catalogue");
    }
    // A small document is read whole at once, as before.
    let cache_dir = tempfile::tempdir().unwrap();
    let (small, completion) = SpecCache::new(cache_dir.path()).load_file_soon(&shared(SPOTIFY), LIMIT).unwrap();
    assert!(completion.is_none());
    assert_eq!(small, openapi::load_file(&shared(SPOTIFY)).unwrap());
}

#[tokio::test]
async fn the_editor_shows_an_operations_example_body_once_it_is_made() {
    let dir = tempfile::tempdir().unwrap();
    let path = padded(dir.path(), SPOTIFY);
    let whole = openapi::load_file_with(&path, LIMIT).unwrap().catalogue;
    let op = whole.operations.iter().find(|o| o.operation_id.as_deref() == Some("change-playlist-details")).unwrap();
    assert_eq!(op.method, Method::Put);
    let example = op.body.as_ref().unwrap().example.clone().unwrap();
    let first_line = example.lines().nth(1).unwrap().trim().to_string();
    assert!(first_line.contains("Updated Playlist"), "{example}");

    let (quick, completion) = SpecCache::new(&dir.path().join("cache")).load_file_soon(&path, LIMIT).unwrap();
    let mut driver = drive::driver_with(drive::profile("http://127.0.0.1:9"), quick, 160, 48);
    let tx = driver.sender();
    drive::press(&tx, KeyCode::Char('/'));
    drive::type_keys(&tx, "Change Playlist Details");
    drive::press(&tx, KeyCode::Enter);
    let key = op.key();
    drive::run_until(&mut driver, Duration::from_secs(10), |s| {
        s.editor.operation.as_ref().is_some_and(|(k, _)| *k == key)
    })
    .await;
    let before = screen::render(&driver.state, 160, 48);
    assert!(before.contains(&op.path) && !before.contains(&first_line), "{before}");

    driver.complete_catalogue(completion.unwrap());
    let made = |s: &zorgtui::app::State| {
        s.editor.draft().and_then(|d| d.body.as_ref()).is_some_and(|b| b.lines().iter().any(|l| !l.is_empty()))
    };
    drive::run_until(&mut driver, Duration::from_secs(20), made).await;
    let after = screen::render(&driver.state, 160, 48);
    assert!(after.contains(&first_line), "the example body shows ({first_line}):\n{after}");
}

/// Past 1 MiB, with parameters whose schemas are `$ref`s into a big `components/schemas` (directly, and through a
/// schema that names another).
fn generated_with_parameter_refs() -> String {
    use std::fmt::Write as _;
    let mut doc = String::from("openapi: 3.0.3\ninfo: {title: Refs, version: '1'}\npaths:\n");
    for i in 0..2000 {
        write!(
            doc,
            "  /things/{i}:\n    parameters:\n    - {{name: mode, in: query, schema: {{$ref: '#/components/schemas/Mode'}}}}\n    \
             post:\n      summary: Thing {i}\n      parameters:\n      - $ref: '#/components/parameters/Level'\n      \
             requestBody:\n        content:\n          application/json:\n            schema: {{$ref: '#/components/schemas/S{i}'}}\n"
        )
        .unwrap();
    }
    doc.push_str("components:\n  parameters:\n    Level: {name: level, in: header, schema: {$ref: '#/components/schemas/Wrapper'}}\n  schemas:\n");
    for i in 0..4000 {
        if i == 2500 {
            doc.push_str("    Mode: {type: string, enum: [fast, slow], default: fast}\n");
            doc.push_str("    Wrapper:\n      allOf:\n      - $ref: '#/components/schemas/Level'\n");
        }
        if i == 3900 {
            doc.push_str("    Level: {type: integer, enum: [1, 2, 3]}\n");
        }
        write!(doc, "    S{i}:\n      type: object\n      properties:\n        name: {{type: string, description: the name of {i}}}\n        size: {{type: integer}}\n").unwrap();
    }
    assert!(doc.len() > BODIES_LATER_BYTES, "{}", doc.len());
    doc
}

#[test]
fn parameters_whose_schemas_are_refs_read_first_as_in_a_whole_read() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("refs.yaml");
    std::fs::write(&path, generated_with_parameter_refs()).unwrap();
    let whole = openapi::load_file_with(&path, LIMIT).unwrap().catalogue;
    let (quick, completion) = SpecCache::new(&dir.path().join("cache")).load_file_soon(&path, LIMIT).unwrap();
    let post = |c: &Catalogue| c.operations.iter().find(|o| o.path == "/things/7" && o.method == Method::Post).cloned();
    let first = post(&quick).unwrap();
    let params: Vec<(&str, Option<&str>, Vec<&str>)> = first
        .params
        .iter()
        .map(|p| (p.name.as_str(), p.kind.as_deref(), p.allowed.iter().map(String::as_str).collect()))
        .collect();
    assert_eq!(
        params,
        [("mode", Some("string"), vec!["fast", "slow"]), ("level", Some("integer"), vec!["1", "2", "3"])]
    );
    assert!(quick.notices.is_empty(), "no $ref points nowhere: {:?}", quick.notices);
    let mut without_bodies = whole.clone();
    for body in without_bodies.operations.iter_mut().filter_map(|o| o.body.as_mut()) {
        body.example = None;
    }
    assert_eq!(quick.operations, without_bodies.operations, "only the example bodies wait");
    let made = completion.unwrap().catalogue().unwrap();
    assert_eq!(made, whole);
    assert!(post(&made).unwrap().body.unwrap().example.unwrap().contains("\"size\": 0"));
}

#[test]
fn a_schema_that_breaks_is_said_with_its_line_when_the_bodies_are_made() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("broken.yaml");
    let text = generated_with_parameter_refs()
        .replace("    S3000:\n      type: object\n", "    S3000:\n      type: [object\n");
    std::fs::write(&path, &text).unwrap();
    let whole = openapi::load_file_with(&path, LIMIT).unwrap_err().to_string();
    let (quick, completion) = SpecCache::new(&dir.path().join("cache")).load_file_soon(&path, LIMIT).unwrap();
    assert_eq!(quick.operations.len(), 2000, "the endpoints show");
    let later = completion.unwrap().catalogue().unwrap_err().to_string();
    assert_eq!(later, whole, "the same one-line message, with line and column");
    assert!(later.contains("line"), "{later}");
}
