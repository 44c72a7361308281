//! Driving the explorer like a person, through the action channel, against real loopback servers.

use std::time::Duration;

use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use tokio::sync::mpsc::UnboundedSender;
use zorgtui::api::{Catalogue, builtin};
use zorgtui::app::{Action, State};
use zorgtui::config::Profile;
use zorgtui::run::Driver;

/// The sandbox profile pointed at `api`.
pub fn profile(api: &str) -> Profile {
    let mut profile = Profile::built_in().remove("sandbox").unwrap();
    profile.api = api.to_string();
    profile.timeout = Duration::from_secs(20);
    profile
}

/// A driver with the built-in catalogue on a `width`×`height` screen, started.
pub fn driver(profile: Profile, width: u16, height: u16) -> Driver {
    driver_with(profile, builtin::catalogue(), width, height)
}

pub fn driver_with(profile: Profile, catalogue: Catalogue, width: u16, height: u16) -> Driver {
    let mut driver = Driver::new(profile, catalogue, Rect::new(0, 0, width, height));
    driver.start();
    driver
}

pub fn key(code: KeyCode) -> Action {
    Action::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE)))
}

/// Sends keys as typed: each character is one key press.
pub fn type_keys(tx: &UnboundedSender<Action>, text: &str) {
    for c in text.chars() {
        tx.send(key(KeyCode::Char(c))).unwrap();
    }
}

pub fn press(tx: &UnboundedSender<Action>, code: KeyCode) {
    tx.send(key(code)).unwrap();
}

/// Filters the catalogue with `/`, keeps the filter and sends the first match: what a person types to call an
/// operation they know by name.
pub fn filter_and_send(tx: &UnboundedSender<Action>, filter: &str) {
    press(tx, KeyCode::Char('/'));
    type_keys(tx, filter);
    press(tx, KeyCode::Enter);
    press(tx, KeyCode::Enter);
}

/// Handles actions from the channel until `done` holds, or fails after `limit`.
pub async fn run_until(driver: &mut Driver, limit: Duration, done: impl Fn(&State) -> bool) {
    let wait = async {
        loop {
            driver.drain();
            if done(&driver.state) {
                return;
            }
            let action = driver.next_action().await.expect("the action channel stays open");
            driver.handle(action);
        }
    };
    tokio::time::timeout(limit, wait).await.expect("the explorer reached the expected state in time");
}

/// A driver whose auth engine signs in with `config` (its store in a temp dir), started: as `zorgtui` runs it.
pub fn driver_with_auth(profile: Profile, config: zorgtui::auth::AuthConfig, width: u16, height: u16) -> Driver {
    let mut driver = Driver::new(profile, builtin::catalogue(), Rect::new(0, 0, width, height));
    let events = driver.sender();
    driver.attach_auth(zorgtui::auth::spawn(config, move |event| {
        let _ = events.send(Action::Auth(event));
    }));
    driver.start();
    driver
}

/// The screen as the run loop draws it: a frame, then, while that frame missed pages of a file-backed body (the core
/// reads only what memory holds), the jobs that read them and the frame again. Returns the last frame.
pub async fn drawn<S: zorgtui::app::Screen>(shell: &mut zorgtui::run::Shell<S>, draw: impl Fn(&S) -> String) -> String {
    for _ in 0..16 {
        // A read in flight while the frame is drawn may land during the draw (the frame misses it, asks for nothing
        // new, and finds nothing in flight after): its answer is still to be handled, so wait for it too.
        let was_reading = shell.reading_pages();
        let screen = draw(&shell.state);
        // A frame that missed only pages already being read asks for nothing new: wait for them all the same.
        if !shell.read_missed_pages() && !was_reading && !shell.reading_pages() {
            return screen;
        }
        let action = tokio::time::timeout(Duration::from_secs(10), shell.next_action())
            .await
            .expect("the pages are read in time")
            .expect("the action channel stays open");
        shell.handle(action);
        shell.drain();
    }
    panic!("the screen kept missing pages after 16 frames");
}
