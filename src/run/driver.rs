//! The explorer without a terminal: state, the action channel and the effect runner. The run loop adds the terminal
//! and the input stream; tests drive it directly, through the same channel.

use ratatui::crossterm::event::{Event, MouseEventKind};
use ratatui::layout::Rect;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::effects::EffectRunner;
use super::inspector_jobs::ExternalRequest;
use crate::api::Catalogue;
use crate::app::{self, Action, Effect, State};
use crate::config::Profile;
use crate::http::HttpSettings;

pub struct Driver {
    pub state: State,
    runner: EffectRunner,
    tx: UnboundedSender<Action>,
    rx: UnboundedReceiver<Action>,
    /// Stops the auth engine at the end, whose handle the effect runner holds.
    auth: Option<crate::auth::AuthStopper>,
}

impl Driver {
    pub fn new(profile: Profile, catalogue: Catalogue, area: Rect) -> Driver {
        let settings = HttpSettings::for_profile(&profile);
        let (tx, rx) = mpsc::unbounded_channel();
        let runner = EffectRunner::new(tx.clone(), settings);
        Driver { state: State::new(profile, catalogue, area), runner, tx, rx, auth: None }
    }

    /// Keeps catalogues of specs from URLs in `cache_dir`, and shows a kept one while it is revalidated.
    pub fn use_spec_cache(&mut self, cache_dir: &std::path::Path) {
        self.runner.use_spec_cache(crate::api::spec_cache::SpecCache::new(cache_dir));
    }

    /// Connects the auth engine; `start` then asks it for a stored session.
    pub fn attach_auth(&mut self, handle: crate::auth::AuthHandle) {
        self.auth = Some(handle.stopper());
        self.runner.attach_auth(handle);
    }

    /// Starts what the state asks for before the first key: a stored session (no network unless it needs a
    /// refresh), a spec from a URL.
    pub fn start(&mut self) {
        if self.auth.is_some() {
            self.runner.carry_out(Effect::Auth(crate::auth::AuthCommand::Restore));
        }
        for effect in app::start(&mut self.state) {
            self.runner.carry_out(effect);
        }
    }

    /// Where actions can be sent from anywhere (tests send keys through it).
    pub fn sender(&self) -> UnboundedSender<Action> {
        self.tx.clone()
    }

    /// The next action from the channel.
    pub async fn next_action(&mut self) -> Option<Action> {
        self.rx.recv().await
    }

    /// Applies one action and carries out its effects; returns whether the screen may have changed.
    pub fn handle(&mut self, action: Action) -> bool {
        // Pointer motion is not asked for, but some terminals send it anyway: it changes nothing.
        if let Action::Input(Event::Mouse(mouse)) = &action
            && matches!(mouse.kind, MouseEventKind::Moved)
        {
            return false;
        }
        for effect in app::update(&mut self.state, action) {
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

    /// Text to put on the clipboard, for the run loop (which owns the terminal) or a test to check.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        self.runner.take_clipboard()
    }

    /// Editor and pager runs for the run loop (which owns the terminal) or a test to check.
    pub fn take_external(&mut self) -> Vec<ExternalRequest> {
        self.runner.take_external()
    }

    /// Stops background work.
    pub fn shutdown(&mut self) {
        self.runner.shutdown();
    }

    /// Stops background work and waits (a few seconds at most) for the auth engine to finish a refresh or a
    /// sign-out on its way: the runtime ends right after, and a refresh cut off before its save would lose the
    /// rotated refresh token.
    pub async fn finish(&mut self) {
        self.shutdown();
        if let Some(auth) = self.auth.take() {
            auth.stop().await;
        }
    }
}

impl super::event_loop::Host for Driver {
    fn sender(&self) -> UnboundedSender<Action> {
        Driver::sender(self)
    }

    fn next_action(&mut self) -> impl Future<Output = Option<Action>> + Send {
        self.rx.recv()
    }

    fn handle(&mut self, action: Action) -> bool {
        Driver::handle(self, action)
    }

    fn drain(&mut self) -> bool {
        Driver::drain(self)
    }

    fn quit(&self) -> bool {
        self.state.quit
    }

    fn tick_interval(&self) -> Option<std::time::Duration> {
        self.state.tick_interval()
    }

    fn take_clipboard(&mut self) -> Vec<String> {
        Driver::take_clipboard(self)
    }

    fn take_external(&mut self) -> Vec<ExternalRequest> {
        Driver::take_external(self)
    }

    fn wants_mouse(&self) -> bool {
        self.state.wants_mouse()
    }

    fn area(&self) -> Rect {
        self.state.area
    }

    fn draw(&self, frame: &mut ratatui::Frame) {
        crate::ui::draw(frame, &self.state);
    }
}
