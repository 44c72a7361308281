//! The one event loop, shared by the explorer and `zorgtui view`: wait for the next action (input and background
//! results arrive on one channel) or a tick while something animates; apply it and everything else already
//! waiting; carry out what needs the terminal (clipboard, an external program, mouse reporting); draw once.

use std::time::Duration;

use tokio::time::{Interval, MissedTickBehavior};

use super::external;
use super::shell::Shell;
use super::spawn_input;
use crate::app::{Action, InspectorEvent, Screen};
use crate::tui::{self, Tui};
use crate::ui::Draw;

/// SIGTERM, SIGHUP and SIGINT (raw mode makes Ctrl-C a key, but `kill -INT` still comes as a signal), taken over
/// before the terminal is: from then on each ends the loop like `q`, so the terminal is restored on the way out,
/// even for a signal that comes before the first frame.
pub struct Signals {
    terminate: tokio::signal::unix::Signal,
    hangup: tokio::signal::unix::Signal,
    interrupt: tokio::signal::unix::Signal,
}

impl Signals {
    pub fn take_over() -> std::io::Result<Signals> {
        use tokio::signal::unix::{SignalKind, signal};
        Ok(Signals {
            terminate: signal(SignalKind::terminate())?,
            hangup: signal(SignalKind::hangup())?,
            interrupt: signal(SignalKind::interrupt())?,
        })
    }

    async fn any(&mut self) {
        tokio::select! {
            _ = self.terminate.recv() => {}
            _ = self.hangup.recv() => {}
            _ = self.interrupt.recv() => {}
        }
    }
}

/// Runs `shell` on `terminal` until it quits, the terminal closes, or one of the [`Signals`] arrives.
pub async fn run<S: Screen + Draw>(
    terminal: &mut Tui,
    host: &mut Shell<S>,
    mut signals: Signals,
) -> anyhow::Result<()> {
    let mut input = spawn_input(host.sender());
    let mut ticker = Ticker::default();
    let mut mouse = true;
    loop {
        ticker.set(host.state.tick_interval());
        let action = tokio::select! {
            Some(action) = host.next_action() => action,
            () = ticker.tick() => Action::Tick,
            () = signals.any() => break,
        };
        let mut redraw = host.handle(action);
        // Take everything else that is already waiting (keys included), then draw once.
        redraw |= host.drain();
        if host.state.quit() {
            break;
        }
        for text in host.take_clipboard() {
            tui::copy_to_clipboard(&text)?;
        }
        for request in host.take_external() {
            let done = external::open(terminal, &mut input, host.sender(), request, mouse).await?;
            redraw |= host.handle(Action::Inspector(InspectorEvent::ExternalDone(done)));
        }
        if host.state.wants_mouse() != mouse {
            mouse = host.state.wants_mouse();
            tui::set_mouse(mouse)?;
        }
        if redraw {
            // The layout must be for this size: a resize can land before its event does.
            let size = terminal.size()?;
            if host.state.area() != ratatui::layout::Rect::new(0, 0, size.width, size.height) {
                host.handle(Action::Input(ratatui::crossterm::event::Event::Resize(size.width, size.height)));
            }
            terminal.draw(|frame| host.state.draw(frame))?;
            host.read_missed_pages();
        }
    }
    input.abort();
    Ok(())
}

/// Ticks at the period asked for, and not at all when none is.
#[derive(Default)]
struct Ticker {
    current: Option<(Duration, Interval)>,
}

impl Ticker {
    fn set(&mut self, period: Option<Duration>) {
        match (period, &self.current) {
            (Some(p), Some((current, _))) if p == *current => {}
            (Some(p), _) => {
                let mut interval = tokio::time::interval(p);
                interval.set_missed_tick_behavior(MissedTickBehavior::Skip);
                self.current = Some((p, interval));
            }
            (None, _) => self.current = None,
        }
    }

    async fn tick(&mut self) {
        match &mut self.current {
            Some((_, interval)) => {
                interval.tick().await;
            }
            None => std::future::pending().await,
        }
    }
}
