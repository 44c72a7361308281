//! Where sessions are kept between runs, and the lock that makes the store the one source of truth.
//!
//! Every read and write goes through a [`StoreLock`]: an exclusive lock on `{data_dir}/tokens/{key}.lock`, held by
//! the engine across read-refresh-write. Two zorgtui processes (the TUI refreshing in the background, a `zorgtui
//! token` in a script) therefore never both spend the same rotating refresh token: the second one waits, re-reads,
//! and finds the tokens the first one saved. The session itself is in `{key}.json` (0600, written atomically) or,
//! opted in, in the OS keyring.

mod file;
mod keyring;

use std::fs::{File, TryLockError};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use super::StoreConfig;
use super::error::AuthError;
use super::session::Session;
use crate::config::TokenStoreKind;

/// How often a waiting process tries the lock again, and for how long: the holder only ever holds it for a token
/// request (bounded by the HTTP timeout and a few retries).
const LOCK_POLL: Duration = Duration::from_millis(25);
const LOCK_WAIT: Duration = Duration::from_secs(120);

/// The store of one profile.
#[derive(Debug, Clone)]
pub struct TokenStore {
    dir: PathBuf,
    key: String,
    kind: TokenStoreKind,
}

/// Where the session lives.
#[derive(Debug, Clone)]
enum Backend {
    File(file::FileBackend),
    Keyring(keyring::KeyringBackend),
}

/// The store, locked. Dropping it releases the lock.
#[derive(Debug)]
pub struct StoreLock {
    _lock: File,
    backend: Backend,
}

impl Backend {
    /// Where the session is, for a message.
    fn place(&self) -> String {
        match self {
            Backend::File(file) => file.path().display().to_string(),
            Backend::Keyring(_) => "the OS keyring".to_string(),
        }
    }
}

impl TokenStore {
    pub fn new(config: &StoreConfig) -> TokenStore {
        TokenStore { dir: config.data_dir.join("tokens"), key: file_safe(&config.key), kind: config.kind }
    }

    /// The file a session is kept in (when the store is a file).
    pub fn token_file(&self) -> PathBuf {
        self.dir.join(format!("{}.json", self.key))
    }

    /// Takes the lock, waiting while another process (or engine) holds it.
    pub async fn lock(&self) -> Result<StoreLock, AuthError> {
        let dir = self.dir.clone();
        let lock_path = self.dir.join(format!("{}.lock", self.key));
        let file = blocking(move || {
            file::private_dir(&dir)?;
            file::open_lock(&lock_path)
        })
        .await?;
        let started = Instant::now();
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(TryLockError::WouldBlock) if started.elapsed() < LOCK_WAIT => tokio::time::sleep(LOCK_POLL).await,
                Err(TryLockError::WouldBlock) => {
                    return Err(AuthError::Store(format!(
                        "another zorgtui has held {} for over {} s",
                        self.dir.display(),
                        LOCK_WAIT.as_secs()
                    )));
                }
                Err(TryLockError::Error(e)) => return Err(AuthError::Store(format!("cannot lock the store: {e}"))),
            }
        }
        let backend = match self.kind {
            TokenStoreKind::File => Backend::File(file::FileBackend::new(self.dir.clone(), self.token_file())),
            TokenStoreKind::Keyring => Backend::Keyring(keyring::KeyringBackend::new(&self.key)),
        };
        Ok(StoreLock { _lock: file, backend })
    }
}

impl StoreLock {
    /// The stored session; `None` when there is none or it cannot be read (signing in again replaces it).
    pub async fn load(&self) -> Result<Option<Session>, AuthError> {
        let backend = self.backend.clone();
        let text = blocking(move || match &backend {
            Backend::File(f) => f.read(),
            Backend::Keyring(k) => k.read(),
        })
        .await?;
        let Some(text) = text else { return Ok(None) };
        match serde_json::from_str::<Session>(&text) {
            Ok(session) => Ok(Some(session.within_bounds())),
            Err(e) => {
                // Only where, or which field is missing: serde's other messages may quote a value (a token).
                tracing::warn!(line = e.line(), column = e.column(), "the stored session is unreadable");
                let detail = match e.classify() {
                    serde_json::error::Category::Data if e.to_string().starts_with("missing field") => {
                        e.to_string().split(" at line").next().unwrap_or("a field is missing").to_string()
                    }
                    serde_json::error::Category::Data => format!("a field of the wrong kind at line {}", e.line()),
                    _ => format!("not JSON at line {}, column {}", e.line(), e.column()),
                };
                Err(AuthError::CorruptSession { place: self.backend.place(), detail })
            }
        }
    }

    pub async fn save(&self, session: &Session) -> Result<(), AuthError> {
        let text = serde_json::to_string_pretty(session)
            .map_err(|_| AuthError::Store("cannot write the session as JSON".into()))?;
        let backend = self.backend.clone();
        blocking(move || match &backend {
            Backend::File(f) => f.write(&text),
            Backend::Keyring(k) => k.write(&text),
        })
        .await
    }

    pub async fn delete(&self) -> Result<(), AuthError> {
        let backend = self.backend.clone();
        blocking(move || match &backend {
            Backend::File(f) => f.delete(),
            Backend::Keyring(k) => k.delete(),
        })
        .await
    }
}

/// Store work is small but blocking (fsync, D-Bus for the keyring): off the async threads.
async fn blocking<T: Send + 'static>(
    work: impl FnOnce() -> Result<T, AuthError> + Send + 'static,
) -> Result<T, AuthError> {
    tokio::task::spawn_blocking(work).await.map_err(|_| AuthError::Store("the store task stopped".into()))?
}

/// A profile key as a file name: letters, digits, `-`, `_` and `.` kept, anything else (`/`, `..`) made `_`.
fn file_safe(key: &str) -> String {
    let safe: String =
        key.chars().map(|c| if c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.') { c } else { '_' }).collect();
    let safe = safe.trim_start_matches('.');
    if safe.is_empty() { "default".to_string() } else { safe.to_string() }
}

/// Whether the OS keyring can be reached (tests of the keyring store skip themselves where it cannot).
pub fn keyring_available() -> bool {
    keyring::available()
}

/// The path a file store keeps a profile's session in, for tests and `zorgtui status`.
pub fn token_file(data_dir: &Path, key: &str) -> PathBuf {
    data_dir.join("tokens").join(format!("{}.json", file_safe(key)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_cannot_leave_the_directory() {
        assert_eq!(file_safe("sandbox"), "sandbox");
        assert_eq!(file_safe("../../etc/passwd"), "_.._etc_passwd");
        assert_eq!(file_safe(".."), "default");
        assert_eq!(file_safe("oneoff-http___127.0.0.1_8080-x"), "oneoff-http___127.0.0.1_8080-x");
    }
}
