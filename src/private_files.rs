//! Files that hold secrets or what a person did (tokens, the log, history) and the directories they live in.
//!
//! Such a file is trusted only when it cannot have been read or planted by someone else: a regular file (never
//! followed through a symbolic link, and a FIFO refused at once rather than waited on), owned by this user, not
//! readable or writable by group or others, in a directory only this user can change (or a sticky one of root's,
//! such as `/tmp`). Anything else is refused with the command that puts it right.

use std::fs::File;
use std::io;
use std::os::unix::fs::{MetadataExt as _, PermissionsExt as _};
use std::path::{Path, PathBuf};

use rustix::fs::{Mode, OFlags};
use thiserror::Error;

/// Why a file or directory is not trusted with a secret.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum UntrustedFile {
    #[error(
        "{path} is a symbolic link; zorgtui does not follow links for its private files — remove the link (rm {path})"
    )]
    Symlink { path: PathBuf },
    #[error("{path} is not a regular file ({kind}) — remove it (rm {path})")]
    NotRegular { path: PathBuf, kind: &'static str },
    #[error("{path} belongs to another user (uid {owner}) — remove it, or make it yours: chown {uid} {path}")]
    Foreign { path: PathBuf, owner: u32, uid: u32 },
    #[error(
        "{path} can be read or changed by others (mode {mode:03o}) — run chmod 600 {path}, and sign in again if \
         others may have read it"
    )]
    Loose { path: PathBuf, mode: u32 },
    #[error("{path} can be changed by others (mode {mode:03o}), so its files could be swapped — run chmod go-w {path}")]
    LooseDir { path: PathBuf, mode: u32 },
    #[error("{path} belongs to another user (uid {owner}) — use a directory of your own, or chown {uid} {path}")]
    ForeignDir { path: PathBuf, owner: u32, uid: u32 },
    #[error("cannot open {path}: {detail}")]
    Io { path: PathBuf, detail: String },
    /// Writing (or flushing, or renaming into place) failed; the file it replaces is as it was.
    #[error("cannot write {path}: {detail}")]
    Write { path: PathBuf, detail: String },
    /// Read whole, it is not UTF-8: not a file zorgtui wrote (or one damaged since).
    #[error("{path} is not text (not UTF-8) — it is damaged or not one of zorgtui's files; remove it")]
    NotText { path: PathBuf },
}

/// This process's user.
pub fn uid() -> u32 {
    rustix::process::geteuid().as_raw()
}

/// Checks that only this user (or root) can change `dir`: owned by this user or root, and not writable by group or
/// others, unless it is root's and sticky (`/tmp`: others may add files, but not replace ours).
pub fn check_dir(dir: &Path) -> Result<(), UntrustedFile> {
    let meta = std::fs::metadata(dir).map_err(|e| io_error(dir, &e))?;
    let (owner, mode) = (meta.uid(), meta.mode() & 0o7777);
    if !meta.is_dir() {
        return Err(UntrustedFile::NotRegular { path: dir.to_path_buf(), kind: "not a directory" });
    }
    if owner != uid() && owner != 0 {
        return Err(UntrustedFile::ForeignDir { path: dir.to_path_buf(), owner, uid: uid() });
    }
    let sticky_of_root = owner == 0 && mode & 0o1000 != 0;
    if mode & 0o022 != 0 && !sticky_of_root {
        return Err(UntrustedFile::LooseDir { path: dir.to_path_buf(), mode: mode & 0o777 });
    }
    Ok(())
}

/// Makes `dir` (and its parents) and leaves it 0700, tightening a looser one of this user's; then checks that it
/// and its parent are this user's to change.
pub fn private_dir(dir: &Path) -> Result<(), UntrustedFile> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder.create(dir).map_err(|e| io_error(dir, &e))?;
    if let Some(parent) = dir.parent().filter(|p| !p.as_os_str().is_empty()) {
        check_dir(parent)?;
    }
    let meta = std::fs::symlink_metadata(dir).map_err(|e| io_error(dir, &e))?;
    if meta.file_type().is_symlink() {
        // Its target could be anywhere; what is checked is what the link leads to.
        check_dir(dir)?;
    } else if meta.uid() == uid() && meta.mode() & 0o777 != 0o700 {
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700)).map_err(|e| io_error(dir, &e))?;
    }
    check_dir(dir)
}

/// Opens a private file to read; `None` when there is none.
pub fn open_read(path: &Path) -> Result<Option<File>, UntrustedFile> {
    match open(path, OFlags::RDONLY) {
        Ok(file) => Ok(Some(file)),
        Err(Opened::Missing) => Ok(None),
        Err(Opened::Refused(refused)) => Err(refused),
    }
}

/// Opens (creating, 0600) a private file to read and write, as a lock file is.
pub fn open_read_write(path: &Path) -> Result<File, UntrustedFile> {
    open(path, OFlags::RDWR | OFlags::CREATE).map_err(|e| e.into_refusal(path))
}

/// Opens (creating, 0600) a private file to append to, as the log is. One of this user's that is readable by
/// others is tightened (through the open file, never by its name).
pub fn open_append(path: &Path) -> Result<File, UntrustedFile> {
    match open(path, OFlags::WRONLY | OFlags::APPEND | OFlags::CREATE) {
        Err(Opened::Refused(UntrustedFile::Loose { .. })) => {
            let file = open_unchecked(path, OFlags::WRONLY | OFlags::APPEND).map_err(|e| e.into_refusal(path))?;
            file.set_permissions(std::fs::Permissions::from_mode(0o600)).map_err(|e| io_error(path, &e))?;
            Ok(file)
        }
        other => other.map_err(|e| e.into_refusal(path)),
    }
}

/// Replaces `path` with `bytes` atomically (a 0600 temp file in the same directory, fsynced, renamed over it, the
/// directory fsynced), in a private directory (made, and checked with its parent): a crash leaves the old file or
/// the new one, never half of either, and a failure leaves the old one as it was.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> Result<(), UntrustedFile> {
    use std::io::Write as _;
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    private_dir(dir)?;
    // tempfile creates the file 0600 (O_EXCL: never through a link), before anything is written to it.
    let mut temp = tempfile::Builder::new().prefix(".zorgtui-").tempfile_in(dir).map_err(|e| write_error(dir, &e))?;
    temp.write_all(bytes).map_err(|e| write_error(temp.path(), &e))?;
    temp.as_file().sync_all().map_err(|e| write_error(temp.path(), &e))?;
    temp.persist(path).map_err(|e| write_error(path, &e.error))?;
    sync_dir(dir);
    Ok(())
}

/// Whether `error` says the file system has no room for what was written (full, over a quota, or past the
/// largest file this process may write): worth telling the person to free some space.
pub fn out_of_room(error: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(error.kind(), ErrorKind::StorageFull | ErrorKind::QuotaExceeded | ErrorKind::FileTooLarge)
}

/// Makes a rename or removal in `dir` durable. Best effort: not every file system supports it, and the data is
/// safe anyway.
pub fn sync_dir(dir: &Path) {
    if let Ok(handle) = File::open(dir) {
        let _ = handle.sync_all();
    }
}

/// Reads a private file whole, at most `limit` bytes; `None` when there is none.
pub fn read_to_string(path: &Path, limit: u64) -> Result<Option<String>, UntrustedFile> {
    use std::io::Read as _;
    let Some(file) = open_read(path)? else { return Ok(None) };
    let mut bytes = Vec::new();
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| io_error(path, &e))?;
    if bytes.len() as u64 > limit {
        return Err(UntrustedFile::Io {
            path: path.to_path_buf(),
            detail: format!(
                "larger than {} — it is not one of zorgtui's files; remove it",
                crate::text::human_bytes(limit)
            ),
        });
    }
    String::from_utf8(bytes).map(Some).map_err(|_| UntrustedFile::NotText { path: path.to_path_buf() })
}

enum Opened {
    Missing,
    Refused(UntrustedFile),
}

impl Opened {
    fn into_refusal(self, path: &Path) -> UntrustedFile {
        match self {
            Opened::Missing => UntrustedFile::Io { path: path.to_path_buf(), detail: "no such file".into() },
            Opened::Refused(refused) => refused,
        }
    }
}

/// Opens `path` without following a link and without waiting on a FIFO, then checks what was opened.
fn open(path: &Path, flags: OFlags) -> Result<File, Opened> {
    let file = open_unchecked(path, flags)?;
    let meta = file.metadata().map_err(|e| Opened::Refused(io_error(path, &e)))?;
    let refused = |refusal| Err(Opened::Refused(refusal));
    if !meta.is_file() {
        return refused(UntrustedFile::NotRegular { path: path.to_path_buf(), kind: kind_of(&meta) });
    }
    if meta.uid() != uid() {
        return refused(UntrustedFile::Foreign { path: path.to_path_buf(), owner: meta.uid(), uid: uid() });
    }
    if meta.mode() & 0o066 != 0 {
        return refused(UntrustedFile::Loose { path: path.to_path_buf(), mode: meta.mode() & 0o777 });
    }
    Ok(file)
}

fn open_unchecked(path: &Path, flags: OFlags) -> Result<File, Opened> {
    // NONBLOCK: opening a FIFO returns at once (and is then refused) instead of waiting for a writer.
    let flags = flags | OFlags::NOFOLLOW | OFlags::NONBLOCK | OFlags::CLOEXEC;
    match rustix::fs::open(path, flags, Mode::from_raw_mode(0o600)) {
        Ok(fd) => Ok(File::from(fd)),
        Err(rustix::io::Errno::NOENT) => Err(Opened::Missing),
        Err(rustix::io::Errno::LOOP | rustix::io::Errno::MLINK) => {
            Err(Opened::Refused(UntrustedFile::Symlink { path: path.to_path_buf() }))
        }
        // A FIFO opened for writing with nobody reading it.
        Err(rustix::io::Errno::NXIO) => {
            Err(Opened::Refused(UntrustedFile::NotRegular { path: path.to_path_buf(), kind: "a FIFO" }))
        }
        Err(errno) => Err(Opened::Refused(io_error(path, &io::Error::from(errno)))),
    }
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    let kind = meta.file_type();
    if kind.is_dir() {
        "a directory"
    } else if kind.is_fifo() {
        "a FIFO"
    } else if kind.is_socket() {
        "a socket"
    } else if kind.is_char_device() || kind.is_block_device() {
        "a device"
    } else {
        "not a regular file"
    }
}

/// A failed write, with what to do when the file system has no room.
fn write_error(path: &Path, error: &io::Error) -> UntrustedFile {
    let mut detail = crate::text::plain_error(&error.to_string());
    if out_of_room(error) {
        detail.push_str("; free some space there");
    }
    UntrustedFile::Write { path: path.to_path_buf(), detail }
}

fn io_error(path: &Path, error: &io::Error) -> UntrustedFile {
    UntrustedFile::Io { path: path.to_path_buf(), detail: crate::text::plain_error(&error.to_string()) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mode(path: &Path) -> u32 {
        std::fs::symlink_metadata(path).unwrap().permissions().mode() & 0o777
    }

    #[test]
    fn a_private_file_is_read_and_a_loose_one_refused_with_the_chmod() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("t.json");
        assert_eq!(read_to_string(&path, 100).unwrap(), None);
        std::fs::write(&path, "{}").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        assert_eq!(read_to_string(&path, 100).unwrap().as_deref(), Some("{}"));
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = read_to_string(&path, 100).unwrap_err();
        assert_eq!(error, UntrustedFile::Loose { path: path.clone(), mode: 0o644 });
        assert!(error.to_string().contains(&format!("chmod 600 {}", path.display())), "{error}");
        assert_eq!(mode(&path), 0o644, "a refused file is left as it is");
    }

    #[test]
    fn a_link_is_never_followed_and_a_fifo_never_waited_on() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("target");
        std::fs::write(&target, "secret").unwrap();
        std::fs::set_permissions(&target, std::fs::Permissions::from_mode(0o600)).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&target, &link).unwrap();
        assert!(matches!(open_read(&link), Err(UntrustedFile::Symlink { .. })));
        assert!(matches!(open_append(&link), Err(UntrustedFile::Symlink { .. })));
        assert!(matches!(open_read_write(&link), Err(UntrustedFile::Symlink { .. })));
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "secret", "the target is untouched");

        let fifo = dir.path().join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        std::fs::set_permissions(&fifo, std::fs::Permissions::from_mode(0o600)).unwrap();
        let error = open_read(&fifo).unwrap_err();
        assert_eq!(error, UntrustedFile::NotRegular { path: fifo.clone(), kind: "a FIFO" });
        assert!(matches!(open_append(&fifo), Err(UntrustedFile::NotRegular { kind: "a FIFO", .. })));
    }

    #[test]
    fn the_log_of_an_older_version_is_tightened_through_the_open_file() {
        let dir = tempfile::tempdir().unwrap();
        let log = dir.path().join("zorgtui.log");
        std::fs::write(&log, "old\n").unwrap();
        std::fs::set_permissions(&log, std::fs::Permissions::from_mode(0o644)).unwrap();
        drop(open_append(&log).unwrap());
        assert_eq!(mode(&log), 0o600);
        let fresh = dir.path().join("new.log");
        drop(open_append(&fresh).unwrap());
        assert_eq!(mode(&fresh), 0o600);
    }

    #[test]
    fn directories_others_can_change_are_refused_but_a_sticky_one_of_roots_is_fine() {
        let dir = tempfile::tempdir().unwrap();
        let open_dir = dir.path().join("open");
        std::fs::create_dir(&open_dir).unwrap();
        std::fs::set_permissions(&open_dir, std::fs::Permissions::from_mode(0o777)).unwrap();
        let error = check_dir(&open_dir).unwrap_err();
        assert!(error.to_string().contains(&format!("chmod go-w {}", open_dir.display())), "{error}");
        let error = private_dir(&open_dir.join("tokens")).unwrap_err();
        assert!(matches!(error, UntrustedFile::LooseDir { .. }), "the parent is checked too: {error}");
        if std::fs::metadata("/tmp").is_ok_and(|m| m.uid() == 0 && m.mode() & 0o1000 != 0) {
            check_dir(Path::new("/tmp")).unwrap();
        }
        let tokens = dir.path().join("data/tokens");
        private_dir(&tokens).unwrap();
        assert_eq!(mode(&tokens), 0o700);
        std::fs::set_permissions(&tokens, std::fs::Permissions::from_mode(0o755)).unwrap();
        private_dir(&tokens).unwrap();
        assert_eq!(mode(&tokens), 0o700, "one of ours is tightened");
    }
}
