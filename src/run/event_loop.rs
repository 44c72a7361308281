//! The one event loop, shared by the explorer and `zorgtui view`: wait for the next action (input and background
//! results arrive on one channel) or a tick while something animates; apply it and everything else already
//! waiting; carry out what needs the terminal (clipboard, an external program, mouse reporting); draw once.

use std::time::Duration;

use ratatui::Frame;
use tokio::sync::mpsc::UnboundedSender;
use tokio::time::{Interval, MissedTickBehavior};

use super::external;
use super::inspector_jobs::ExternalRequest;
use super::spawn_input;
use crate::app::{Action, InspectorEvent};
use crate::tui::{self, Tui};

/// What the loop needs from a screen's driver.
pub trait Host {
    fn sender(&self) -> UnboundedSender<Action>;
    fn next_action(&mut self) -> impl Future<Output = Option<Action>> + Send;
    /// Applies one action; returns whether the screen may have changed.
    fn handle(&mut self, action: Action) -> bool;
    /// Applies every action already waiting.
    fn drain(&mut self) -> bool;
    fn quit(&self) -> bool;
    /// How often to tick; `None` when nothing animates (an idle screen costs no CPU).
    fn tick_interval(&self) -> Option<Duration>;
    fn take_clipboard(&mut self) -> Vec<String>;
    fn take_external(&mut self) -> Vec<ExternalRequest>;
    /// Whether the terminal should report the mouse (off lets the person select text).
    fn wants_mouse(&self) -> bool {
        true
    }
    /// The screen size the state is laid out for.
    fn area(&self) -> ratatui::layout::Rect;
    fn draw(&self, frame: &mut Frame);
}

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

/// Runs `host` on `terminal` until it quits, the terminal closes, or one of the [`Signals`] arrives.
pub async fn run(terminal: &mut Tui, host: &mut impl Host, mut signals: Signals) -> anyhow::Result<()> {
    let mut input = spawn_input(host.sender());
    let mut ticker = Ticker::default();
    let mut mouse = true;
    loop {
        ticker.set(host.tick_interval());
        let action = tokio::select! {
            Some(action) = host.next_action() => action,
            () = ticker.tick() => Action::Tick,
            () = signals.any() => break,
        };
        let mut redraw = host.handle(action);
        // Take everything else that is already waiting (keys included), then draw once.
        redraw |= host.drain();
        if host.quit() {
            break;
        }
        for text in host.take_clipboard() {
            tui::copy_to_clipboard(&text)?;
        }
        for request in host.take_external() {
            let done = external::open(terminal, &mut input, host.sender(), request, mouse).await?;
            redraw |= host.handle(Action::Inspector(InspectorEvent::ExternalDone(done)));
        }
        if host.wants_mouse() != mouse {
            mouse = host.wants_mouse();
            tui::set_mouse(mouse)?;
        }
        if redraw {
            // The layout must be for this size: a resize can land before its event does.
            let size = terminal.size()?;
            if host.area() != ratatui::layout::Rect::new(0, 0, size.width, size.height) {
                host.handle(Action::Input(ratatui::crossterm::event::Event::Resize(size.width, size.height)));
            }
            terminal.draw(|frame| host.draw(frame))?;
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
