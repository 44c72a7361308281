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
