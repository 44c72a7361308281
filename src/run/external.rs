//! `$EDITOR` / `$PAGER` on the body: written to a temporary file (0600) first, then the terminal is handed over —
//! input task stopped, screen restored — and taken back when the program ends: raw mode, alternate screen, a new
//! input task, a full redraw.

use std::io::{self, IsTerminal as _, Write as _};
use std::path::Path;
use std::process::ExitStatus;

use ratatui::crossterm::event::EnableBracketedPaste;
use ratatui::crossterm::execute;
use ratatui::crossterm::terminal::{EnterAlternateScreen, enable_raw_mode};
use tempfile::NamedTempFile;
use tokio::sync::mpsc::UnboundedSender;
use tokio::task::JoinHandle;

use super::inspector_jobs::{ExternalRequest, plain};
use crate::app::{Action, ExternalProgram};
use crate::json::Source;
use crate::tui::{self, Tui};

/// Runs the editor or pager on the body. The outer error is the terminal failing (fatal, as anywhere in the loop);
/// the inner one says why the program did not run or how it ended, for the status line.
pub(super) async fn open(
    terminal: &mut Tui,
    input: &mut JoinHandle<()>,
    tx: UnboundedSender<Action>,
    request: ExternalRequest,
    mouse: bool,
) -> io::Result<Result<(), String>> {
    let ExternalRequest { program, source, suffix } = request;
    let name = program_name(program, |var| std::env::var(var).ok());
    // The body first, while the screen is still there to say what went wrong.
    let file = match tokio::task::spawn_blocking(move || write_temp(&source, suffix)).await {
        Ok(Ok(file)) => file,
        Ok(Err(e)) => return Ok(Err(format!("could not write the body to a temporary file: {}", plain(&e)))),
        Err(e) => return Ok(Err(format!("could not write the body to a temporary file: {e}"))),
    };
    // No key may be read by us while the program owns the terminal: stop the input task and wait until it is gone.
    input.abort();
    let _ = (&mut *input).await;
    tui::restore();
    let status = command(&name, file.path()).status().await;
    resume(terminal, mouse)?;
    *input = super::spawn_input(tx);
    drop(file);
    Ok(describe(&name, program, status))
}

/// The program to run: the variable's value, else `vi` / `less`.
fn program_name(program: ExternalProgram, var: impl Fn(&str) -> Option<String>) -> String {
    var(program.variable()).filter(|v| !v.trim().is_empty()).unwrap_or_else(|| program.fallback().to_string())
}

/// The body in a new temporary file, created 0600 by `tempfile` and removed when dropped.
fn write_temp(source: &Source, suffix: &str) -> io::Result<NamedTempFile> {
    let mut file = tempfile::Builder::new().prefix("zorgtui-body-").suffix(suffix).tempfile()?;
    let mut written = Ok(());
    source.for_each_chunk(0, |_, chunk| {
        written = file.write_all(chunk);
        written.is_ok()
    })?;
    written?;
    file.flush()?;
    Ok(file)
}

/// `$EDITOR` may hold arguments (`code --wait`), so the shell reads it; the file is passed as `$1`, never spliced
/// into the command line. When stdin is a pipe (`zorgtui view -`), the program gets the terminal instead.
fn command(name: &str, path: &Path) -> tokio::process::Command {
    let mut command = tokio::process::Command::new("sh");
    command.arg("-c").arg(format!("{name} \"$1\"")).arg("zorgtui").arg(path);
    if !io::stdin().is_terminal()
        && let Ok(tty) = std::fs::File::open("/dev/tty")
    {
        command.stdin(tty);
    }
    command
}

fn describe(name: &str, program: ExternalProgram, status: io::Result<ExitStatus>) -> Result<(), String> {
    let var = program.variable();
    match status {
        Ok(status) if status.success() => Ok(()),
        Ok(status) => match status.code() {
            Some(127) => Err(format!("`{name}` was not found: set ${var} to a program that is installed")),
            Some(126) => Err(format!("`{name}` could not be run: set ${var} to a program you may run")),
            Some(code) => Err(format!("`{name}` ended with exit status {code}")),
            None => Err(format!("`{name}` was stopped by a signal")),
        },
        Err(e) => Err(format!("could not start a shell for `{name}`: {}", plain(&e))),
    }
}

/// Takes the terminal back after the program: as `tui::init` left it, and everything redrawn.
fn resume(terminal: &mut Tui, mouse: bool) -> io::Result<()> {
    enable_raw_mode()?;
    execute!(io::stdout(), EnterAlternateScreen, EnableBracketedPaste)?;
    tui::set_mouse(mouse)?;
    terminal.clear()
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    #[test]
    fn the_variable_names_the_program_else_vi_and_less() {
        let set = |value: &'static str| move |_: &str| Some(value.to_string());
        assert_eq!(program_name(ExternalProgram::Editor, set("code --wait")), "code --wait");
        assert_eq!(program_name(ExternalProgram::Editor, set("  ")), "vi");
        assert_eq!(program_name(ExternalProgram::Pager, |_| None), "less");
    }

    #[test]
    fn the_body_goes_to_a_private_temporary_file() {
        use std::os::unix::fs::PermissionsExt as _;
        let file = write_temp(&Source::from_bytes(Bytes::from_static(b"{\"a\":1}")), ".json").unwrap();
        assert_eq!(std::fs::read_to_string(file.path()).unwrap(), "{\"a\":1}");
        assert_eq!(std::fs::metadata(file.path()).unwrap().permissions().mode() & 0o777, 0o600);
        assert!(file.path().to_string_lossy().ends_with(".json"));
    }

    #[tokio::test]
    async fn the_program_gets_the_file_and_its_end_is_told() {
        let dir = tempfile::tempdir().unwrap();
        let copy = dir.path().join("copy");
        let body = write_temp(&Source::from_bytes(Bytes::from_static(b"[1]")), ".json").unwrap();
        let name = format!("cp -- \"$1\" {} && true", copy.display());
        let status = tokio::time::timeout(std::time::Duration::from_secs(10), command(&name, body.path()).status())
            .await
            .unwrap();
        assert_eq!(describe(&name, ExternalProgram::Editor, status), Ok(()));
        assert_eq!(std::fs::read_to_string(&copy).unwrap(), "[1]", "the program was given the body's file");
        let status = tokio::time::timeout(
            std::time::Duration::from_secs(10),
            command("no-such-program-zorgtui", body.path()).status(),
        )
        .await
        .unwrap();
        let message = describe("no-such-program-zorgtui", ExternalProgram::Pager, status).unwrap_err();
        assert!(message.contains("not found") && message.contains("$PAGER"), "{message}");
    }
}
