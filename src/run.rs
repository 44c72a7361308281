//! The run loop, on the top floor: owns the terminal and the state; waits on input, background results and ticks;
//! hands each action to `update`, carries out the effects, and draws once per batch.

mod driver;
mod effects;

use std::time::Duration;

use futures_util::StreamExt;
use ratatui::crossterm::event::EventStream;
use ratatui::layout::Rect;
use tokio::time::{Interval, MissedTickBehavior};

pub use driver::Driver;
pub use effects::EffectRunner;

use crate::api::Catalogue;
use crate::app::Action;
use crate::config::Profile;
use crate::{tui, ui};

/// Runs the explorer until the person quits.
pub async fn run(profile: Profile, catalogue: Catalogue) -> anyhow::Result<()> {
    let (mut terminal, _guard) = tui::init()?;
    let size = terminal.size()?;
    let mut driver = Driver::new(profile, catalogue, Rect::new(0, 0, size.width, size.height));
    // The first frame, before anything that could take time.
    terminal.draw(|frame| ui::draw(frame, &driver.state))?;
    driver.start();

    let input = spawn_input(driver.sender());
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    let mut hangup = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::hangup())?;
    let mut ticker: Option<(Duration, Interval)> = None;

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
