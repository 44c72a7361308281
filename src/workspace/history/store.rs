//! A profile's history on disk: `index.json` (the summaries, oldest first) and one `e-ID.json` per exchange in a
//! 0700 directory, every file 0600 and replaced atomically. Writers take `.lock` (other zorgtui processes of the
//! same profile share the history), write the exchange, then the index; the oldest go first past the caps. A
//! crash between the two leaves a file the index does not name, removed at the next write.

use std::fs::File;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use super::entry::{Exchange, Summary};
use crate::private_files;
use crate::private_files::sync_dir;
use crate::workspace::WorkspaceError;
use crate::workspace::atomic::write_private;

/// An index past this is not one of ours (a thousand exchanges take a few hundred KB).
const MAX_INDEX_BYTES: u64 = 64 << 20;

/// How much a profile keeps: `history_max_entries` and `history_max_mb`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HistoryLimits {
    pub max_entries: usize,
    pub max_bytes: u64,
}

impl HistoryLimits {
    pub fn of(settings: &crate::config::WorkspaceSettings) -> HistoryLimits {
        HistoryLimits { max_entries: settings.history_max_entries, max_bytes: settings.history_max_bytes }
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Index {
    version: u32,
    entries: Vec<Summary>,
}

/// One profile's history directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryStore {
    dir: PathBuf,
}

impl HistoryStore {
    pub fn new(dir: &Path) -> HistoryStore {
        HistoryStore { dir: dir.to_path_buf() }
    }

    pub fn dir(&self) -> &Path {
        &self.dir
    }

    fn index_path(&self) -> PathBuf {
        self.dir.join("index.json")
    }

    fn entry_path(&self, id: &str) -> Option<PathBuf> {
        // Ids are ours (digits, `-`, hex); anything else in an index edited by hand names no file.
        id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-').then(|| self.dir.join(format!("e-{id}.json")))
    }

    /// The exchanges kept, oldest first; none when there is no history yet.
    pub fn list(&self) -> Result<Vec<Summary>, WorkspaceError> {
        Ok(self.read_index()?.entries)
    }

    /// One exchange, whole.
    pub fn load(&self, id: &str) -> Result<Exchange, WorkspaceError> {
        let path = self.entry_path(id).ok_or_else(|| self.gone(id))?;
        let text = private_files::read_to_string(&path, MAX_INDEX_BYTES)?.ok_or_else(|| self.gone(id))?;
        serde_json::from_str(&text).map_err(|e| WorkspaceError::Invalid {
            path: path.clone(),
            message: format!("not an exchange zorgtui kept ({e})"),
        })
    }

    fn gone(&self, id: &str) -> WorkspaceError {
        WorkspaceError::Invalid {
            path: self.dir.clone(),
            message: format!("exchange {id} is no longer kept (the oldest go first past history_max_entries)"),
        }
    }

    /// Keeps `exchange`, then drops the oldest until `limits` hold (the newest always stays). Returns its line.
    pub fn record(&self, exchange: &Exchange, limits: HistoryLimits) -> Result<Summary, WorkspaceError> {
        private_files::private_dir(&self.dir)?;
        let _lock = self.lock()?;
        let mut index = self.read_index()?;
        let path = self.entry_path(&exchange.id).ok_or_else(|| self.gone(&exchange.id))?;
        let text = serde_json::to_vec(exchange)
            .map_err(|e| WorkspaceError::Invalid { path: path.clone(), message: format!("cannot be written: {e}") })?;
        write_private(&path, &text)?;
        let summary = exchange.summary(text.len() as u64);
        index.entries.retain(|s| s.id != exchange.id);
        index.entries.push(summary.clone());
        index.entries.sort_by(|a, b| a.at_ms.cmp(&b.at_ms).then_with(|| a.id.cmp(&b.id)));
        let mut total: u64 = index.entries.iter().map(|s| s.stored).sum();
        let mut dropped = Vec::new();
        while index.entries.len() > 1 && (index.entries.len() > limits.max_entries || total > limits.max_bytes) {
            let oldest = index.entries.remove(0);
            total -= oldest.stored;
            dropped.push(oldest.id);
        }
        self.write_index(&index)?;
        // Only once the index no longer names them: a failure above leaves the history as it was.
        for id in dropped {
            if let Some(path) = self.entry_path(&id) {
                let _ = std::fs::remove_file(path);
            }
        }
        self.remove_strays(&index);
        Ok(summary)
    }

    fn read_index(&self) -> Result<Index, WorkspaceError> {
        let path = self.index_path();
        let Some(text) = private_files::read_to_string(&path, MAX_INDEX_BYTES)? else { return Ok(Index::default()) };
        serde_json::from_str(&text)
            .map_err(|e| WorkspaceError::Invalid { path, message: format!("not a history zorgtui wrote ({e})") })
    }

    fn write_index(&self, index: &Index) -> Result<(), WorkspaceError> {
        let path = self.index_path();
        let text = serde_json::to_vec_pretty(&Index { version: 1, entries: index.entries.clone() })
            .map_err(|e| WorkspaceError::Invalid { path: path.clone(), message: format!("cannot be written: {e}") })?;
        write_private(&path, &text)
    }

    /// Waits for other writers of this history (another zorgtui of the same profile).
    fn lock(&self) -> Result<File, WorkspaceError> {
        let path = self.dir.join(".lock");
        let file = private_files::open_read_write(&path)?;
        file.lock().map_err(|e| WorkspaceError::io("lock", &path, &e))?;
        Ok(file)
    }

    /// Removes exchanges the index does not name: left by a crash between an exchange and its index.
    fn remove_strays(&self, index: &Index) {
        let Ok(entries) = std::fs::read_dir(&self.dir) else { return };
        let mut removed = false;
        for entry in entries.flatten() {
            let name = entry.file_name();
            let Some(id) = name.to_str().and_then(|n| n.strip_prefix("e-")).and_then(|n| n.strip_suffix(".json"))
            else {
                continue;
            };
            if !index.entries.iter().any(|s| s.id == id) {
                removed |= std::fs::remove_file(entry.path()).is_ok();
            }
        }
        if removed {
            sync_dir(&self.dir);
        }
    }
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn exchange(id: &str, at_ms: u64, body: &str) -> Exchange {
        Exchange::sample(id, at_ms, body)
    }

    const ROOMY: HistoryLimits = HistoryLimits { max_entries: 100, max_bytes: 1 << 20 };

    #[test]
    fn exchanges_are_kept_private_and_listed_oldest_first() {
        let temp = tempfile::tempdir().unwrap();
        let store = HistoryStore::new(&temp.path().join("history/sandbox"));
        assert!(store.list().unwrap().is_empty());
        store.record(&exchange("2", 2000, "b"), ROOMY).unwrap();
        store.record(&exchange("1", 1000, "a"), ROOMY).unwrap();
        let list = store.list().unwrap();
        assert_eq!(list.iter().map(|s| s.id.as_str()).collect::<Vec<_>>(), ["1", "2"]);
        assert_eq!((list[0].path.as_str(), list[0].status), ("/items/1", Some(200)));
        assert_eq!(store.load("2").unwrap(), exchange("2", 2000, "b"));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(store.dir()), 0o700);
        for entry in std::fs::read_dir(store.dir()).unwrap() {
            assert_eq!(mode(&entry.unwrap().path()), 0o600);
        }
    }

    #[test]
    fn the_oldest_go_first_past_either_cap() {
        let temp = tempfile::tempdir().unwrap();
        let store = HistoryStore::new(temp.path());
        for i in 0..5 {
            store
                .record(&exchange(&i.to_string(), i * 10, "x"), HistoryLimits { max_bytes: 1 << 20, max_entries: 3 })
                .unwrap();
        }
        let ids = |store: &HistoryStore| store.list().unwrap().into_iter().map(|s| s.id).collect::<Vec<_>>();
        assert_eq!(ids(&store), ["2", "3", "4"]);
        assert!(store.load("0").is_err(), "its file went with it");
        let one = store.list().unwrap()[0].stored;
        store.record(&exchange("5", 50, "x"), HistoryLimits { max_entries: 100, max_bytes: one * 2 }).unwrap();
        assert_eq!(ids(&store), ["4", "5"]);
        let big = "y".repeat(10_000);
        store.record(&exchange("6", 60, &big), HistoryLimits { max_entries: 100, max_bytes: 10 }).unwrap();
        assert_eq!(ids(&store), ["6"], "the newest stays even alone past the cap");
        let files = std::fs::read_dir(store.dir()).unwrap().filter_map(Result::ok).count();
        assert_eq!(files, 3, "index, lock and the one exchange: {:?}", std::fs::read_dir(store.dir()));
    }

    #[test]
    fn a_stray_exchange_is_removed_and_a_loose_history_refused() {
        let temp = tempfile::tempdir().unwrap();
        let store = HistoryStore::new(temp.path());
        store.record(&exchange("1", 1, "a"), ROOMY).unwrap();
        write_private(&store.dir().join("e-999.json"), b"{}").unwrap();
        store.record(&exchange("2", 2, "b"), ROOMY).unwrap();
        assert!(!store.dir().join("e-999.json").exists());
        std::fs::set_permissions(store.dir().join("index.json"), std::fs::Permissions::from_mode(0o644)).unwrap();
        let refused = store.list().unwrap_err().to_string();
        assert!(refused.contains("chmod 600"), "{refused}");
        assert!(store.load("../../etc/passwd").is_err());
    }
}
