//! Files replaced whole: written to a temporary file in the same directory, flushed to disk, renamed over the old
//! one, the directory flushed. A crash or a full disk leaves the old file or the new one, never half of either,
//! and never loses what was there.

use std::io::Write as _;
use std::path::Path;

use super::WorkspaceError;
use crate::private_files;

/// Replaces `path` (its directory made 0700 and checked) with `bytes`, mode 0600: for files that hold what a person
/// did (history, variables). The one atomic private write, `private_files::write_atomic`.
pub fn write_private(path: &Path, bytes: &[u8]) -> Result<(), WorkspaceError> {
    Ok(private_files::write_atomic(path, bytes)?)
}

/// Replaces `path` with `bytes`, keeping the mode of the file it replaces (0644 for a new one): for files meant to
/// be read, edited and committed (saved requests).
pub fn write_shared(path: &Path, bytes: &[u8]) -> Result<(), WorkspaceError> {
    use std::os::unix::fs::PermissionsExt as _;
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(|e| WorkspaceError::io("create", dir, &e))?;
    let mode = std::fs::symlink_metadata(path)
        .ok()
        .filter(std::fs::Metadata::is_file)
        .map_or(0o644, |meta| meta.permissions().mode() & 0o777);
    let mut temp = tempfile::Builder::new()
        .prefix(".zorgtui-")
        .tempfile_in(dir)
        .map_err(|e| WorkspaceError::io("create a file in", dir, &e))?;
    temp.write_all(bytes).map_err(|e| WorkspaceError::io("write", temp.path(), &e))?;
    temp.as_file()
        .set_permissions(std::fs::Permissions::from_mode(mode))
        .map_err(|e| WorkspaceError::io("set the mode of", temp.path(), &e))?;
    temp.as_file().sync_all().map_err(|e| WorkspaceError::io("sync", temp.path(), &e))?;
    temp.persist(path).map_err(|e| WorkspaceError::io("replace", path, &e.error))?;
    private_files::sync_dir(dir);
    Ok(())
}

#[cfg(test)]
mod tests {
    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn private_files_are_0600_in_a_0700_directory_and_replaced_whole() {
        let temp = tempfile::tempdir().unwrap();
        let dir = temp.path().join("history/sandbox");
        let path = dir.join("index.json");
        write_private(&path, b"one").unwrap();
        write_private(&path, b"two").unwrap();
        assert_eq!(std::fs::read(&path).unwrap(), b"two");
        assert_eq!((mode(&dir), mode(&path)), (0o700, 0o600));
        let names: Vec<_> = std::fs::read_dir(&dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        assert_eq!(names, ["index.json"], "no temporary file is left behind");
    }

    #[test]
    fn a_failed_write_keeps_what_was_there() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("requests/sandbox.toml");
        write_shared(&path, b"kept").unwrap();
        assert_eq!(mode(&path), 0o644);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o640)).unwrap();
        write_shared(&path, b"new").unwrap();
        assert_eq!(mode(&path), 0o640, "a person's chmod is kept");
        // A directory that cannot take a new file: the write fails and the old file stays whole.
        let dir = path.parent().unwrap();
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o500)).unwrap();
        let failed = write_shared(&path, b"lost");
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).unwrap();
        // Root writes anywhere: there is nothing to check then.
        if rustix::process::geteuid().as_raw() != 0 {
            assert!(failed.is_err());
            assert_eq!(std::fs::read(&path).unwrap(), b"new");
        }
    }
}
