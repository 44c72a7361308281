//! What a day's work leaves behind, per profile: the history of exchanges, the saved requests and the variables;
//! and what is worked out from a request and its answer without a screen (variables resolved into a request, the
//! pages of a list, the links a spec declares, a curl line, names for a value). No ratatui, no crossterm, no clock
//! of its own: the caller says what time it is.
//!
//! Files, by the profile's store key (so a profile switched to at run time finds its own):
//! - history: `DATA/history/KEY/` (0700): `index.json` and one `e-ID.json` per exchange, each 0600, replaced
//!   atomically under a lock that other zorgtui processes share;
//! - variables: `DATA/variables/KEY.toml` (0600): what they say is the person's doing;
//! - saved requests: `CONFIG/requests/KEY.toml`, beside `config.toml`, plain and meant to be read, edited by hand
//!   and committed: nothing secret goes in (see [`scrub`]).

pub mod atomic;
pub mod credentials;
pub mod curl;
pub mod history;
pub mod links;
pub mod names;
pub mod paging;
pub mod resolve;
pub mod saved;
pub mod scrub;
pub mod variables;

use std::path::{Path, PathBuf};

use thiserror::Error;

pub use history::{Exchange, ExchangeState, HistoryLimits, HistoryStore, Summary};
pub use resolve::{Resolved, Resolver, ScopeKind};
pub use saved::SavedRequest;
pub use scrub::{REDACTED, Scrubber};
pub use variables::Variables;

/// Where a profile's files go: the data directory (history, variables) and the directory of `config.toml` (saved
/// requests).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WorkspaceDirs {
    pub data_dir: PathBuf,
    pub config_dir: PathBuf,
}

impl WorkspaceDirs {
    /// The directories of `dirs`: saved requests beside its `config.toml`.
    pub fn of(dirs: &crate::config::AppDirs) -> WorkspaceDirs {
        let config_dir = dirs.config_file.parent().map_or_else(|| PathBuf::from("."), Path::to_path_buf);
        WorkspaceDirs { data_dir: dirs.data_dir.clone(), config_dir }
    }

    pub fn history(&self, store_key: &str) -> HistoryStore {
        HistoryStore::new(&self.data_dir.join("history").join(file_stem(store_key)))
    }

    pub fn variables_file(&self, store_key: &str) -> PathBuf {
        self.data_dir.join("variables").join(format!("{}.toml", file_stem(store_key)))
    }

    pub fn saved_file(&self, store_key: &str) -> PathBuf {
        self.config_dir.join("requests").join(format!("{}.toml", file_stem(store_key)))
    }
}

/// A profile's store key as a file name: letters, digits, `-`, `_` and `.` stay, anything else becomes `_` (a
/// one-off profile's key holds a URL).
pub fn file_stem(store_key: &str) -> String {
    let stem: String = store_key
        .chars()
        .map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' })
        .collect();
    if stem.is_empty() || stem.starts_with('.') { format!("_{stem}") } else { stem }
}

/// Why a file of the day's work could not be read or written. One line, naming the file and what to do.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum WorkspaceError {
    #[error(transparent)]
    Untrusted(#[from] crate::private_files::UntrustedFile),
    #[error("cannot {what} {path}: {detail}")]
    Io { what: &'static str, path: PathBuf, detail: String },
    #[error("{path}, line {line}: {message} — fix or remove the file")]
    Syntax { path: PathBuf, line: usize, message: String },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
}

impl WorkspaceError {
    pub(crate) fn io(what: &'static str, path: &Path, error: &std::io::Error) -> WorkspaceError {
        WorkspaceError::Io { what, path: path.to_path_buf(), detail: crate::text::plain_error(&error.to_string()) }
    }

    /// A TOML file that does not parse, with its line.
    pub(crate) fn toml(path: &Path, text: &str, error: &toml::de::Error) -> WorkspaceError {
        let offset = error.span().map_or(0, |span| span.start).min(text.len());
        let line = text[..offset].lines().count().max(1) + usize::from(text[..offset].ends_with('\n'));
        let message = error.message().lines().next().unwrap_or("invalid TOML").trim().to_string();
        WorkspaceError::Syntax { path: path.to_path_buf(), line, message }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn store_keys_become_file_names() {
        assert_eq!(file_stem("sandbox"), "sandbox");
        assert_eq!(file_stem("oneoff-http___127.0.0.1_8080-x"), "oneoff-http___127.0.0.1_8080-x");
        assert_eq!(file_stem("../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_stem(""), "_");
    }
}
