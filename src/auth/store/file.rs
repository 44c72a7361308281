//! The session in a file: `tokens/` is 0700, the file 0600, replaced atomically (a temp file in the same directory,
//! fsynced, renamed over the old one, the directory fsynced) so a crash leaves the old session or the new one,
//! never half of either. It is read only when it is private (see `private_files`): a file others could read, one of
//! another user's, a link or a FIFO is refused with what to run.

use std::fs::File;
use std::path::{Path, PathBuf};

use crate::auth::error::AuthError;
use crate::private_files::{self, UntrustedFile};

/// A stored session is a few kilobytes; a file far larger is not one of ours.
const MAX_SESSION_BYTES: u64 = 1 << 20;

#[derive(Debug, Clone)]
pub struct FileBackend {
    dir: PathBuf,
    path: PathBuf,
}

impl FileBackend {
    pub fn new(dir: PathBuf, path: PathBuf) -> FileBackend {
        FileBackend { dir, path }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    pub fn read(&self) -> Result<Option<String>, AuthError> {
        private_dir(&self.dir)?;
        private_files::read_to_string(&self.path, MAX_SESSION_BYTES).map_err(|e| match e {
            UntrustedFile::NotText { path } => {
                AuthError::CorruptSession { place: path.display().to_string(), detail: "not text (not UTF-8)".into() }
            }
            other => untrusted(&other),
        })
    }

    pub fn write(&self, text: &str) -> Result<(), AuthError> {
        private_files::write_atomic(&self.path, text.as_bytes()).map_err(|e| untrusted(&e))
    }

    pub fn delete(&self) -> Result<(), AuthError> {
        match std::fs::remove_file(&self.path) {
            Ok(()) => {
                private_files::sync_dir(&self.dir);
                Ok(())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(io_error("cannot delete", &self.path, &e)),
        }
    }
}

/// Makes `dir` (and its parents), 0700, and checks that only this user can change it and its parent.
pub fn private_dir(dir: &Path) -> Result<(), AuthError> {
    private_files::private_dir(dir).map_err(|e| untrusted(&e))
}

/// Opens (creating) the store's lock file: private, never through a link.
pub fn open_lock(path: &Path) -> Result<File, AuthError> {
    private_files::open_read_write(path).map_err(|e| untrusted(&e))
}

fn untrusted(refusal: &UntrustedFile) -> AuthError {
    AuthError::Store(refusal.to_string())
}

fn io_error(what: &str, path: &Path, error: &std::io::Error) -> AuthError {
    AuthError::Store(format!("{what} {}: {error}", path.display()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn files_are_private_and_replaced_whole() {
        use std::os::unix::fs::PermissionsExt as _;
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("data/tokens");
        let backend = FileBackend::new(dir.clone(), dir.join("p.json"));
        assert_eq!(backend.read().unwrap(), None);
        backend.write("{\"a\":1}").unwrap();
        backend.write("{\"a\":2}").unwrap();
        assert_eq!(backend.read().unwrap().as_deref(), Some("{\"a\":2}"));
        let mode = |p: &Path| std::fs::metadata(p).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode(&dir), 0o700);
        assert_eq!(mode(&dir.join("p.json")), 0o600);
        let leftovers: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(leftovers, vec![std::ffi::OsString::from("p.json")], "no temp file left behind");
        backend.delete().unwrap();
        backend.delete().unwrap();
        assert_eq!(backend.read().unwrap(), None);
    }

    #[cfg(unix)]
    #[test]
    fn a_loose_directory_is_tightened() {
        use std::os::unix::fs::PermissionsExt as _;
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("tokens");
        std::fs::create_dir(&dir).unwrap();
        std::fs::set_permissions(&dir, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&dir).unwrap();
        assert_eq!(std::fs::metadata(&dir).unwrap().permissions().mode() & 0o777, 0o700);
    }
}
