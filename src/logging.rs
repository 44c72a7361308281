//! Logs go to a file in the state dir, never to the terminal (it is drawn on). `ZORGTUI_LOG` sets the filter.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `state_dir/zorgtui.log`. Keep the guard alive until exit so the last lines are written. When
/// the file cannot be made, the program runs without a log rather than not at all.
pub fn init(state_dir: &Path) -> Option<WorkerGuard> {
    use std::os::unix::fs::{OpenOptionsExt as _, PermissionsExt as _};
    // The log names people and request paths (which can hold identifiers): only its owner may read it.
    std::fs::create_dir_all(state_dir).ok()?;
    let _ = std::fs::set_permissions(state_dir, std::fs::Permissions::from_mode(0o700));
    let path = state_dir.join("zorgtui.log");
    let file = std::fs::OpenOptions::new().create(true).append(true).mode(0o600).open(&path).ok()?;
    // A log made by an older version may be more open.
    let _ = std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600));
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("ZORGTUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).try_init();
    installed.ok().map(|()| guard)
}
