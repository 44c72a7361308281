//! Logs go to a file in the state dir, never to the terminal (it is drawn on). `ZORGTUI_LOG` sets the filter.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

/// Starts logging to `state_dir/zorgtui.log`. Keep the guard alive until exit so the last lines are written. When
/// the file cannot be made, the program runs without a log rather than not at all.
pub fn init(state_dir: &Path) -> Option<WorkerGuard> {
    std::fs::create_dir_all(state_dir).ok()?;
    let file = std::fs::OpenOptions::new().create(true).append(true).open(state_dir.join("zorgtui.log")).ok()?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("ZORGTUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).try_init();
    installed.ok().map(|()| guard)
}
