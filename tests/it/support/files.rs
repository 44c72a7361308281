//! Files a run left behind, read for what they must not hold.

use std::path::{Path, PathBuf};

/// Every file under `dir`, with its text (empty when it is not text), depth first.
pub fn all(dir: &Path) -> Vec<(PathBuf, String)> {
    let mut found = Vec::new();
    for entry in std::fs::read_dir(dir).into_iter().flatten().flatten() {
        let path = entry.path();
        if path.is_dir() {
            found.extend(all(&path));
        } else {
            found.push((path.clone(), std::fs::read_to_string(&path).unwrap_or_default()));
        }
    }
    found
}
