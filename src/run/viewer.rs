//! `zorgtui view`'s loop: the same shape as the explorer's (input and job answers on one channel, one draw per
//! batch), around the viewer's state. [`ViewerDriver`] is the loop without a terminal, for tests.

use std::io::IsTerminal as _;
use std::time::Duration;

use ratatui::crossterm::event::{Event, MouseEventKind};
use ratatui::layout::Rect;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::effects::EffectRunner;
use super::event_loop;
use super::inspector_jobs::ExternalRequest;
use crate::app::{Action, Effect, OpenInput, ViewerState};
use crate::http::HttpSettings;
use crate::{tui, ui};

/// The viewer without a terminal: state, the action channel and the effect runner.
pub struct ViewerDriver {
    pub state: ViewerState,
    runner: EffectRunner,
    tx: UnboundedSender<Action>,
    rx: UnboundedReceiver<Action>,
}

impl ViewerDriver {
    /// Starts reading `input` (inside a tokio runtime: the job runs on a blocking thread).
    pub fn new(input: OpenInput, memory_cap: u64, area: Rect) -> ViewerDriver {
        let (tx, rx) = mpsc::unbounded_channel();
        let mut runner = EffectRunner::new(tx.clone(), HttpSettings::default());
        let (state, effects) = ViewerState::new(input, memory_cap, area);
        for effect in effects {
            runner.carry_out(effect);
        }
        ViewerDriver { state, runner, tx, rx }
    }

    pub fn sender(&self) -> UnboundedSender<Action> {
        self.tx.clone()
    }

    pub async fn next_action(&mut self) -> Option<Action> {
        self.rx.recv().await
    }

    /// Applies one action and carries out its effects; returns whether the screen may have changed.
    pub fn handle(&mut self, action: Action) -> bool {
        if let Action::Input(Event::Mouse(mouse)) = &action
            && matches!(mouse.kind, MouseEventKind::Moved)
        {
            return false;
        }
        for effect in self.state.update(action) {
            if effect == Effect::Quit {
                self.state.quit = true;
            }
            self.runner.carry_out(effect);
        }
        true
    }

    /// Applies every action already waiting, without blocking.
    pub fn drain(&mut self) -> bool {
        let mut changed = false;
        while let Ok(action) = self.rx.try_recv() {
            changed |= self.handle(action);
        }
        changed
    }

    pub fn take_clipboard(&mut self) -> Vec<String> {
        self.runner.take_clipboard()
    }

    pub fn take_external(&mut self) -> Vec<ExternalRequest> {
        self.runner.take_external()
    }
}

/// Shows `input` full screen until the person quits.
pub async fn run_viewer(
    input: OpenInput,
    memory_cap: u64,
    keys: std::sync::Arc<crate::app::Keymap>,
) -> anyhow::Result<()> {
    check_terminal(&input)?;
    let signals = event_loop::Signals::take_over()?;
    let (mut terminal, _guard) = tui::init()?;
    let size = terminal.size()?;
    let mut driver = ViewerDriver::new(input, memory_cap, Rect::new(0, 0, size.width, size.height));
    driver.state.keys = keys;
    // The first frame at once: the progress line while the body is read and indexed.
    terminal.draw(|frame| ui::draw_viewer(frame, &driver.state))?;
    event_loop::run(&mut terminal, &mut driver, signals).await
}

impl event_loop::Host for ViewerDriver {
    fn sender(&self) -> UnboundedSender<Action> {
        ViewerDriver::sender(self)
    }

    fn next_action(&mut self) -> impl Future<Output = Option<Action>> + Send {
        self.rx.recv()
    }

    fn handle(&mut self, action: Action) -> bool {
        ViewerDriver::handle(self, action)
    }

    fn drain(&mut self) -> bool {
        ViewerDriver::drain(self)
    }

    fn quit(&self) -> bool {
        self.state.quit
    }

    fn tick_interval(&self) -> Option<Duration> {
        self.state.tick_interval()
    }

    fn take_clipboard(&mut self) -> Vec<String> {
        ViewerDriver::take_clipboard(self)
    }

    fn take_external(&mut self) -> Vec<ExternalRequest> {
        ViewerDriver::take_external(self)
    }

    fn area(&self) -> Rect {
        self.state.area
    }

    fn draw(&self, frame: &mut ratatui::Frame) {
        ui::draw_viewer(frame, &self.state);
    }
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
