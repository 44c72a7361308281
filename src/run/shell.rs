//! The one shell around a screen: its state, the action channel and the effect runner. The run loop adds the
//! terminal and the input stream; tests drive a shell directly, through the same channel. The explorer
//! ([`Driver`]) and `zorgtui view` ([`ViewerDriver`]) are the same shell over their own [`Screen`].

use std::sync::Arc;

use ratatui::crossterm::event::{Event, MouseEventKind};
use ratatui::layout::Rect;
use tokio::sync::mpsc::{self, UnboundedReceiver, UnboundedSender};

use super::effects::EffectRunner;
use super::inspector_jobs::ExternalRequest;
use crate::api::Catalogue;
use crate::app::{self, Action, Effect, Now, OpenInput, Screen, State, ViewerState};
use crate::config::Profile;
use crate::http::HttpSettings;

/// Where the shell reads the time each action happens at (the core reads no clock): the system's, or a test's.
pub type Clock = Arc<dyn Fn() -> Now + Send + Sync>;

/// The system's clock.
pub fn system_clock() -> Clock {
    Arc::new(|| Now { instant: std::time::Instant::now(), wall: std::time::SystemTime::now() })
}

pub struct Shell<S> {
    pub state: S,
    runner: EffectRunner,
    tx: UnboundedSender<Action>,
    rx: UnboundedReceiver<Action>,
    clock: Clock,
}

/// The explorer without a terminal.
pub type Driver = Shell<State>;

/// `zorgtui view` without a terminal.
pub type ViewerDriver = Shell<ViewerState>;

impl<S: Screen> Shell<S> {
    fn with(
        state: S,
        settings: HttpSettings,
        clock: Clock,
        tx: UnboundedSender<Action>,
        rx: UnboundedReceiver<Action>,
    ) -> Shell<S> {
        let runner = EffectRunner::new(tx.clone(), settings);
        Shell { state, runner, tx, rx, clock }
    }

    /// Reads the time from `clock` from now on (tests).
    pub fn set_clock(&mut self, clock: Clock) {
        self.clock = clock;
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
        let now = (self.clock)();
        for effect in self.state.update(action, now) {
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

    fn carry_out(&mut self, effects: Vec<Effect>) {
        for effect in effects {
            self.runner.carry_out(effect);
        }
    }

    /// After a frame: has jobs read the pages of file-backed bodies that it missed (drawing reads only what memory
    /// holds); each answers with an action, which draws again. Returns whether any job was started.
    pub fn read_missed_pages(&self) -> bool {
        let mut started = false;
        for source in self.state.bodies_on_screen() {
            started |= super::inspector_jobs::read_wanted_pages(&self.tx, &source);
        }
        started
    }

    /// Whether a read of pages a frame missed is still on its way (tests wait for it before reading the screen).
    pub fn reading_pages(&self) -> bool {
        self.state.bodies_on_screen().iter().any(crate::json::Source::reading)
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
    pub async fn finish(&mut self) -> Vec<String> {
        self.runner.finish().await
    }
}

impl Shell<State> {
    /// The explorer for `profile` on a screen of `area`, its catalogue shown.
    pub fn new(profile: Profile, catalogue: Catalogue, area: Rect) -> Driver {
        let settings = HttpSettings::for_profile(&profile);
        let (tx, rx) = mpsc::unbounded_channel();
        let clock = system_clock();
        let state = State::new(profile, catalogue, area, clock());
        Shell::with(state, settings, clock, tx, rx)
    }

    /// Keeps the catalogues of specs from URLs in `cache_dir`, shown at once on the next start.
    pub fn use_spec_cache(&mut self, cache_dir: &std::path::Path) {
        self.runner.use_spec_cache(crate::api::spec_cache::SpecCache::new(cache_dir));
    }

    /// Reads the catalogue's example bodies on a thread of its own (a big spec shows first without them): they
    /// arrive as `Action::BodiesMade`, and the cache entry is written once they are made.
    pub fn complete_catalogue(&mut self, completion: crate::api::spec_cache::Completion) {
        let tx = self.sender();
        std::thread::spawn(move || {
            let whole = completion.catalogue().map(Box::new).map_err(|e| e.to_string());
            let _ = tx.send(Action::BodiesMade(whole));
        });
    }

    /// Keeps what the person says about spec-born APIs under `data_dir`, and starts from what was kept there.
    pub fn remember_in(&mut self, data_dir: &std::path::Path, remembered: crate::config::spec_profile::Remembered) {
        self.state.remembered = remembered;
        self.runner.remember_at(data_dir.join(crate::config::spec_profile::REMEMBERED_FILE));
    }

    /// Keeps the day's work (history, saved requests, variables) under `dirs`: the data directory, and beside
    /// `config.toml` for saved requests.
    pub fn keep_workspace_in(&mut self, dirs: crate::workspace::WorkspaceDirs) {
        self.runner.keep_workspace_in(dirs);
    }

    /// Connects the auth engine; `start` then asks it for a stored session.
    pub fn attach_auth(&mut self, handle: crate::auth::AuthHandle) {
        self.runner.attach_auth(handle);
    }

    /// Starts auth engines with `spawner`, the first for the state's profile; a profile switch starts another.
    pub fn use_spawner(&mut self, spawner: super::effects::AuthSpawner) {
        let profile = self.state.profile.clone();
        self.runner.use_spawner(spawner, &profile);
    }

    /// Starts what the state asks for before the first key: a stored session (no network unless it needs a
    /// refresh), a spec from a URL.
    pub fn start(&mut self) {
        if self.runner.has_auth() {
            self.runner.carry_out(Effect::Auth(crate::auth::AuthCommand::Restore));
        }
        let effects = app::start(&mut self.state);
        self.carry_out(effects);
    }
}

impl Shell<ViewerState> {
    /// `zorgtui view` on `input`, starting to read it (inside a tokio runtime: the job runs on a blocking thread).
    pub fn new(input: OpenInput, memory_cap: u64, area: Rect) -> ViewerDriver {
        let (tx, rx) = mpsc::unbounded_channel();
        let clock = system_clock();
        let (state, effects) = ViewerState::new(input, memory_cap, area, clock());
        let mut shell = Shell::with(state, HttpSettings::default(), clock, tx, rx);
        shell.carry_out(effects);
        shell
    }
}
