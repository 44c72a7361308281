//! The run loop, on the top floor: owns the terminal and the state; waits on input, background results and ticks;
//! hands each action to `update`, carries out the effects, and draws once per batch.

mod driver;
mod effects;
mod external;
mod inspector_jobs;
mod viewer;

use std::time::Duration;

use futures_util::StreamExt;
use ratatui::crossterm::event::EventStream;
use ratatui::layout::Rect;
use tokio::time::{Interval, MissedTickBehavior};

pub use driver::Driver;
pub use effects::EffectRunner;
pub use inspector_jobs::ExternalRequest;
pub use viewer::{ViewerDriver, run_viewer};

use crate::api::Catalogue;
use crate::app::Action;
use crate::auth::{self, AuthConfig};
use crate::config::{AppDirs, Profile};
use crate::{tui, ui};

/// How this session runs, decided before the screen starts.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunOptions {
    /// Against the in-process demo servers: `Enter` approves a sign-in.
    pub demo: bool,
    /// Whether a browser may be opened for sign-in.
    pub open_browser: bool,
    /// `user@host` for the `ssh -L` hint, when running over SSH.
    pub ssh_target: Option<String>,
}

impl RunOptions {
    /// Reads what the environment says: a display to open a browser on, an SSH session.
    pub fn from_env(demo: bool, no_browser: bool) -> RunOptions {
        let over_ssh = std::env::var_os("SSH_CONNECTION").is_some() || std::env::var_os("SSH_TTY").is_some();
        let ssh_target = over_ssh.then(|| {
            let user = std::env::var("USER").unwrap_or_else(|_| "you".into());
            let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
                .map(|h| h.trim().to_string())
                .ok()
                .filter(|h| !h.is_empty())
                .unwrap_or_else(|| "this-host".into());
            format!("{user}@{host}")
        });
        RunOptions { demo, open_browser: !no_browser && auth::browser::can_open(), ssh_target }
    }
}

/// Runs the explorer until the person quits.
pub async fn run(profile: Profile, catalogue: Catalogue, options: RunOptions, dirs: &AppDirs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal (stdin or stdout is not one); from scripts use the subcommands, see --help"
        );
    }
    let (mut terminal, _guard) = tui::init()?;
    let size = terminal.size()?;
    let auth_config = AuthConfig::from_profile(&profile, dirs, options.open_browser);
    let mut driver = Driver::new(profile, catalogue, Rect::new(0, 0, size.width, size.height));
    driver.state.demo = options.demo;
    driver.state.ssh_target = options.ssh_target.clone();
    // The first frame, before anything that could take time.
    terminal.draw(|frame| ui::draw(frame, &driver.state))?;
    let events = driver.sender();
    driver.attach_auth(auth::spawn(auth_config, move |event| {
        let _ = events.send(Action::Auth(event));
    }));
    driver.start();

    let mut input = spawn_input(driver.sender());
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut ticker: Option<(Duration, Interval)> = None;
    let mut mouse = true;

    loop {
        ticker = match (driver.state.tick_interval(), ticker) {
            (Some(period), Some((p, interval))) if p == period => Some((p, interval)),
            (Some(period), _) => {
                let mut interval = tokio::time::interval(period);
                interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
                Some((period, interval))
            }
            (None, _) => None,
        };
        let action = tokio::select! {
            Some(action) = driver.next_action() => action,
            () = tick(&mut ticker) => Action::Tick,
            _ = terminate.recv() => break,
            _ = hangup.recv() => break,
        };
        let mut redraw = driver.handle(action);
        // Take everything else that is already waiting (keys included), then draw once.
        redraw |= driver.drain();
        if driver.state.quit {
            break;
        }
        for text in driver.take_clipboard() {
            tui::copy_to_clipboard(&text)?;
        }
        for request in driver.take_external() {
            let done = external::open(&mut terminal, &mut input, driver.sender(), request, mouse).await?;
            redraw |= driver.handle(Action::Inspector(crate::app::InspectorEvent::ExternalDone(done)));
        }
        if driver.state.wants_mouse() != mouse {
            mouse = driver.state.wants_mouse();
            tui::set_mouse(mouse)?;
        }
        if redraw {
            terminal.draw(|frame| ui::draw(frame, &driver.state))?;
        }
    }
    input.abort();
    driver.shutdown();
    Ok(())
}

/// Forwards terminal input into the action channel, so keys and background results queue in one place and a burst
/// of either is drawn once.
fn spawn_input(tx: tokio::sync::mpsc::UnboundedSender<Action>) -> tokio::task::JoinHandle<()> {
    tokio::spawn(async move {
        let mut events = EventStream::new();
        loop {
            let action = match events.next().await {
                Some(Ok(event)) => Action::Input(event),
                // The terminal is gone (closed window, broken pipe): nothing more to read or draw.
                Some(Err(_)) | None => Action::InputClosed,
            };
            let closed = matches!(action, Action::InputClosed);
            if tx.send(action).is_err() || closed {
                break;
            }
        }
    })
}

async fn tick(ticker: &mut Option<(Duration, Interval)>) {
    match ticker {
        Some((_, interval)) => {
            interval.tick().await;
        }
        None => std::future::pending().await,
    }
}
