//! `zorgtui view` on the terminal: the one shell ([`ViewerDriver`]) over the viewer's state, in the one event loop.

use std::io::IsTerminal as _;

use ratatui::layout::Rect;

use super::event_loop;
use super::shell::ViewerDriver;
use crate::app::OpenInput;
use crate::{tui, ui};

/// Shows `input` full screen until the person quits.
pub async fn run_viewer(
    input: OpenInput,
    memory_cap: u64,
    preferences: &crate::app::Preferences,
) -> anyhow::Result<()> {
    check_terminal(&input)?;
    let signals = event_loop::Signals::take_over()?;
    let (mut terminal, _guard) = tui::init()?;
    let size = terminal.size()?;
    let mut driver = ViewerDriver::new(input, memory_cap, Rect::new(0, 0, size.width, size.height));
    driver.state.keys = std::sync::Arc::clone(&preferences.keys);
    driver.state.appearance = preferences.appearance;
    // The first frame at once: the progress line while the body is read and indexed.
    terminal.draw(|frame| ui::draw_viewer(frame, &driver.state))?;
    event_loop::run(&mut terminal, &mut driver, signals).await
}

/// The viewer draws on stdout and reads keys from the terminal (stdin, or `/dev/tty` when stdin is the body).
fn check_terminal(input: &OpenInput) -> anyhow::Result<()> {
    if !std::io::stdout().is_terminal() {
        anyhow::bail!("zorgtui view needs a terminal to draw on (stdout is not one); to print JSON to a pipe use jq");
    }
    match input {
        OpenInput::Stdin if std::io::stdin().is_terminal() => {
            anyhow::bail!("nothing is piped to stdin: pipe JSON in (curl … | zorgtui view -) or name a file")
        }
        // crossterm reads keys from /dev/tty when stdin is not the terminal.
        _ if !std::io::stdin().is_terminal() && std::fs::File::open("/dev/tty").is_err() => {
            anyhow::bail!(
                "zorgtui view needs a terminal for the keys (stdin is not one, and /dev/tty cannot be opened)"
            )
        }
        _ => Ok(()),
    }
}
