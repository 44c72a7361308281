//! The run loop, on the top floor: owns the terminal and the state; waits on input, background results and ticks;
//! hands each action to `update`, carries out the effects, and draws once per batch.

pub mod collection;
mod credential_jobs;
pub(crate) mod day_jobs;
mod effects;
mod event_loop;
mod external;
mod inspector_jobs;
pub(crate) mod recording;
mod shell;
mod streaming;
mod unwritten;
mod viewer;

use futures_util::StreamExt;
use ratatui::crossterm::event::EventStream;
use ratatui::layout::Rect;

pub use effects::{AuthSpawner, EffectRunner};
pub use inspector_jobs::ExternalRequest;
pub use shell::{Clock, Driver, Shell, ViewerDriver, system_clock};
pub use viewer::run_viewer;

use crate::api::Catalogue;
use crate::app::Action;
use crate::auth;
use crate::config::{AppDirs, Profile};
use crate::{tui, ui};

/// How this session runs, decided before the screen starts.
#[derive(Debug, Default)]
pub struct RunOptions {
    /// Against the in-process demo servers: `Enter` approves a sign-in.
    pub demo: bool,
    /// Whether a browser may be opened for sign-in.
    pub open_browser: bool,
    /// `user@host` for the `ssh -L` hint, when running over SSH.
    pub ssh_target: Option<String>,
    /// The keys in force and how the screen looks.
    pub preferences: crate::app::Preferences,
    /// What the person can switch to (`P`): the configured profiles.
    pub profiles: Vec<Profile>,
    /// A spec from a URL that decides the profile when it arrives.
    pub spec_chooses: Option<crate::app::SpecChooses>,
    /// What was said about spec-born APIs before (client ids, trusted issuers).
    pub remembered: crate::config::spec_profile::Remembered,
    /// What to tell the person first (how a spec chose where requests go).
    pub notices: Vec<String>,
    /// The open Postman collection's environment, variables and scripts.
    pub collection: Option<collection::CollectionInfo>,
    /// The rest of a big spec's reading (its example bodies), done once the first frame shows.
    pub completion: Option<crate::api::spec_cache::Completion>,
}

impl RunOptions {
    /// Reads what the environment says: a display to open a browser on, an SSH session.
    pub fn from_env(demo: bool, no_browser: bool) -> RunOptions {
        let ssh_target = auth::browser::ssh_target();
        RunOptions {
            demo,
            open_browser: !no_browser && auth::browser::can_open(),
            ssh_target,
            preferences: crate::app::Preferences::default(),
            profiles: Vec::new(),
            spec_chooses: None,
            remembered: crate::config::spec_profile::Remembered::default(),
            notices: Vec::new(),
            collection: None,
            completion: None,
        }
    }
}

/// The runtime every door runs on: one thread for the tasks (the run loop, sign-in, requests, the demo's servers),
/// the blocking pool for whatever takes CPU or the disk (indexing, parsing, files). A body over loopback came 1.3 to
/// 2 times slower on two workers than on one thread: each piece of it woke the other worker (about 900 context
/// switches per 100 MB against 30), and `bench/download.sh` measures it beside curl on this runtime.
pub fn runtime() -> std::io::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread().enable_all().build()
}

/// Runs the explorer until the person quits.
pub async fn run(profile: Profile, catalogue: Catalogue, options: RunOptions, dirs: &AppDirs) -> anyhow::Result<()> {
    use std::io::IsTerminal;
    if !std::io::stdout().is_terminal() || !std::io::stdin().is_terminal() {
        anyhow::bail!(
            "the explorer needs a terminal (stdin or stdout is not one); from scripts use the subcommands, see --help"
        );
    }
    let signals = event_loop::Signals::take_over()?;
    let (mut terminal, guard) = tui::init()?;
    let size = terminal.size()?;
    let mut driver = Driver::new(profile, catalogue, Rect::new(0, 0, size.width, size.height));
    driver.use_spec_cache(&dirs.cache_dir);
    driver.state.demo = options.demo;
    driver.state.ssh_target = options.ssh_target.clone();
    driver.state.keys = std::sync::Arc::clone(&options.preferences.keys);
    driver.state.appearance = options.preferences.appearance;
    driver.state.profiles = options.profiles;
    driver.state.spec_chooses = options.spec_chooses;
    if let Some(notice) = options.notices.into_iter().next() {
        driver.state.notice = Some(crate::app::Notice { kind: crate::app::NoticeKind::Info, text: notice });
    }
    if let Some(collection) = options.collection {
        driver.state.use_collection(collection.scopes, collection.scripted, &collection.script_variables);
    }
    driver.remember_in(&dirs.data_dir, options.remembered);
    driver.keep_workspace_in(crate::workspace::WorkspaceDirs::of(dirs));
    // The first frame, before anything that could take time.
    terminal.draw(|frame| ui::draw(frame, &driver.state))?;
    driver.use_spawner(AuthSpawner::new(driver.sender(), dirs.clone(), options.open_browser));
    driver.start();
    if let Some(completion) = options.completion {
        driver.complete_catalogue(completion);
    }

    let result = event_loop::run(&mut terminal, &mut driver, signals).await;
    // The terminal is the person's again at once; a refresh on its way may take a moment more to save.
    drop(terminal);
    drop(guard);
    for parting in driver.finish().await {
        eprintln!("zorgtui: {parting}");
    }
    result
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
