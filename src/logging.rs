//! Logs go to a file in the state dir, never to the terminal (it is drawn on). `ZORGTUI_LOG` sets the filter.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_subscriber::EnvFilter;

use crate::private_files::{self, UntrustedFile};

/// Starts logging to `state_dir/zorgtui.log`. Keep the guard alive until exit so the last lines are written.
///
/// The log names people and request paths (which can hold identifiers), so it is a private file: only its owner
/// may read it, and it is never opened through a link (which could point anywhere) or when it is not a regular
/// file. When it cannot be used the program runs without a log, and the refusal says what to do about it.
pub fn init(state_dir: &Path) -> Result<Option<WorkerGuard>, UntrustedFile> {
    private_files::private_dir(state_dir)?;
    let file = private_files::open_append(&state_dir.join("zorgtui.log"))?;
    let (writer, guard) = tracing_appender::non_blocking(file);
    let filter = EnvFilter::try_from_env("ZORGTUI_LOG").unwrap_or_else(|_| EnvFilter::new("info"));
    let installed = tracing_subscriber::fmt().with_env_filter(filter).with_writer(writer).with_ansi(false).try_init();
    Ok(installed.ok().map(|()| guard))
}
