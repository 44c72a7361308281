//! Any bytes as one of the day's files, read as `zorgtui` reads them: the history's index and an exchange kept in
//! it, the saved requests (TOML) and the variables. The first byte picks the file; each is an answer or a
//! `WorkspaceError` naming the file, never a panic, and what reads is used as the History view uses it.
#![no_main]

use std::os::unix::fs::PermissionsExt as _;
use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zorgtui::workspace::{Exchange, HistoryStore, Variables, saved};

fn write_private(path: &Path, bytes: &[u8]) {
    std::fs::write(path, bytes).expect("a temporary file");
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600)).expect("0600");
}

fuzz_target!(|input: &[u8]| {
    let Some((&which, bytes)) = input.split_first() else { return };
    match which % 4 {
        0 => {
            let Ok(exchange) = serde_json::from_slice::<Exchange>(bytes) else { return };
            let _ = exchange.summary(bytes.len() as u64);
            if let Some(response) = &exchange.response {
                let _ = response.body.text();
                let _ = response.body.bytes();
            }
        }
        1 => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let store = HistoryStore::new(dir.path());
            std::fs::set_permissions(dir.path(), std::fs::Permissions::from_mode(0o700)).expect("0700");
            write_private(&dir.path().join("index.json"), bytes);
            if let Ok(list) = store.list() {
                for summary in list.iter().take(4) {
                    let _ = store.load(&summary.id);
                }
            }
        }
        2 => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join("sandbox.toml");
            write_private(&path, bytes);
            let _ = saved::load(&path);
        }
        _ => {
            let dir = tempfile::tempdir().expect("a temporary folder");
            let path = dir.path().join("variables.json");
            write_private(&path, bytes);
            if let Ok(variables) = Variables::load(&path) {
                let _ = variables.iter().count();
            }
        }
    }
});
