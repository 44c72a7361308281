//! `zorgtui view FILE|-`: the inspector on the whole screen, with its own small state and update around the same
//! pane, keys and drawing as the response pane. The body is read and indexed by a job; until it is ready the screen
//! shows a progress line.

use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{Event, KeyEvent, KeyEventKind, MouseEventKind};
use ratatui::layout::Rect;

use super::jobs::{InspectorEffect, InspectorEvent, JobId, JobIds, OpenInput};
use super::{InspectorCommand, InspectorPane};
use crate::app::help::scrolled;
use crate::app::keys::{HelpCommand, Key, KeyHint, Keymap, ScreenKind, ViewerCommand};
use crate::app::state::Notice;
use crate::app::{Action, Effect, Now};

/// The body being read and indexed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opening {
    pub job: JobId,
    pub started: Instant,
    /// Bytes indexed and total, once known.
    pub progress: Option<(u64, u64)>,
}

/// Everything `zorgtui view` shows.
#[derive(Debug)]
pub struct ViewerState {
    /// The key tables in force.
    pub keys: Arc<Keymap>,
    pub appearance: crate::app::Appearance,
    /// The file's name, or `stdin`.
    pub name: String,
    pub pane: Option<InspectorPane>,
    pub opening: Option<Opening>,
    /// Why there is nothing to show: the input could not be read, or it was empty.
    pub failure: Option<String>,
    pub area: Rect,
    pub notice: Option<Notice>,
    /// The help overlay's scroll offset, while it is up.
    pub help: Option<usize>,
    pub spinner: usize,
    /// The clock as of the last action, so drawing never reads it.
    pub now: Instant,
    pub quit: bool,
}

const WHEEL_STEP: isize = 3;

impl ViewerState {
    /// The state before the first frame, and the job that reads the input.
    pub fn new(input: OpenInput, memory_cap: u64, area: Rect, now: Now) -> (ViewerState, Vec<Effect>) {
        let name = match &input {
            OpenInput::File(path) => path.display().to_string(),
            OpenInput::Stdin => "stdin".to_string(),
        };
        let now = now.instant;
        // The pane is number 1; the job that reads its body, before it exists, is number 0's.
        let job = JobIds::for_pane(0).next();
        let state = ViewerState {
            keys: Arc::new(Keymap::default()),
            appearance: crate::app::Appearance::default(),
            name,
            pane: None,
            opening: Some(Opening { job, started: now, progress: None }),
            failure: None,
            area,
            notice: None,
            help: None,
            spinner: 0,
            now,
            quit: false,
        };
        (state, vec![Effect::Inspector(InspectorEffect::Open { job, input, memory_cap })])
    }

    /// Where the title, the pane and the status line are.
    pub fn layout(&self) -> crate::app::layout::ViewerLayout {
        crate::app::layout::ViewerLayout::new(self.area)
    }

    /// How often the run loop should send `Tick`s; `None` when nothing moves.
    pub fn tick_interval(&self) -> Option<Duration> {
        let spinning = self.opening.is_some() || self.pane.as_ref().is_some_and(InspectorPane::busy);
        spinning.then_some(Duration::from_millis(100))
    }

    /// The keys that work now, for the status line.
    pub fn hints(&self) -> Vec<KeyHint> {
        let keys = &self.keys;
        if self.help.is_some() {
            let scroll = KeyHint::new(keys.help.pair(&[HelpCommand::Up, HelpCommand::Down]), "scroll");
            return scroll.into_iter().chain(KeyHint::new(keys.help.first(HelpCommand::Close), "close help")).collect();
        }
        let mut hints = self.pane.as_ref().map(|p| p.hints(keys)).unwrap_or_default();
        if !self.pane.as_ref().is_some_and(InspectorPane::typing) {
            hints.extend(KeyHint::new(keys.viewer.first(ViewerCommand::Help), "help"));
            hints.extend(KeyHint::new(keys.viewer.first(ViewerCommand::Quit), "quit"));
        }
        hints
    }

    /// Applies one action, which happened at `now`; returns what the run loop must do.
    pub fn update(&mut self, action: Action, now: Now) -> Vec<Effect> {
        self.now = now.instant;
        let effects = match action {
            Action::Input(Event::Key(key)) if key.kind != KeyEventKind::Release => {
                self.notice = None;
                self.key(key)
            }
            Action::Input(Event::Mouse(mouse)) => {
                self.mouse(mouse.kind, mouse.row);
                Vec::new()
            }
            Action::Input(Event::Paste(text)) => {
                let now = self.now;
                self.pane.as_mut().map(|p| p.paste(&text, now)).unwrap_or_default()
            }
            Action::Input(Event::Resize(width, height)) => {
                self.area = Rect::new(0, 0, width, height);
                let sections = self.keys.help(ScreenKind::Viewer);
                self.help = self.help.map(|offset| scrolled(offset, 0, &sections, self.area));
                self.fit();
                Vec::new()
            }
            Action::InputClosed => {
                self.quit = true;
                Vec::new()
            }
            Action::Tick => {
                self.spinner = self.spinner.wrapping_add(1);
                Vec::new()
            }
            Action::Inspector(event) => self.event(event),
            _ => Vec::new(),
        };
        if let Some(notice) = self.pane.as_mut().and_then(InspectorPane::take_notice) {
            self.notice = Some(notice);
        }
        effects
    }

    fn key(&mut self, event: KeyEvent) -> Vec<Effect> {
        let keys = Arc::clone(&self.keys);
        let key = Key::from_event(&event);
        let own = keys.viewer.command(key);
        if own == Some(ViewerCommand::ForceQuit) {
            self.quit = true;
            return Vec::new();
        }
        if let Some(offset) = self.help {
            if let Some(command) = keys.help.command(key) {
                self.help = crate::app::help::key(offset, command, &keys.help(ScreenKind::Viewer), self.area);
            }
            return Vec::new();
        }
        let typing = self.pane.as_ref().is_some_and(InspectorPane::typing);
        if !typing {
            match own {
                Some(ViewerCommand::Quit) => {
                    self.quit = true;
                    return Vec::new();
                }
                Some(ViewerCommand::Help) => {
                    self.help = Some(0);
                    return Vec::new();
                }
                _ => {}
            }
        }
        let now = self.now;
        let Some(pane) = &mut self.pane else { return Vec::new() };
        match pane.key_input(&keys, event) {
            Some(input) => pane.input(input, now),
            None => Vec::new(),
        }
    }

    fn mouse(&mut self, kind: MouseEventKind, row: u16) {
        let area = self.layout().body;
        let Some(pane) = &mut self.pane else { return };
        match kind {
            MouseEventKind::ScrollUp => pane.scroll_by(-WHEEL_STEP),
            MouseEventKind::ScrollDown => pane.scroll_by(WHEEL_STEP),
            MouseEventKind::Down(_) if row >= area.y && row < area.bottom() => pane.click(usize::from(row - area.y)),
            _ => {}
        }
    }

    fn event(&mut self, event: InspectorEvent) -> Vec<Effect> {
        match event {
            InspectorEvent::Previewed { job, preview, source, file_backed } => {
                if self.pane.is_none() && self.opening.as_ref().is_some_and(|o| o.job == job) {
                    let arriving = source.is_none();
                    let source = source.unwrap_or_else(|| preview.doc.source().clone());
                    self.pane = InspectorPane::previewed(*preview, source, file_backed, &save_name(&self.name), 1);
                    if let Some(pane) = &mut self.pane {
                        pane.set_keys(Arc::clone(&self.keys));
                        if arriving {
                            pane.arriving();
                        }
                    }
                    self.fit();
                }
                Vec::new()
            }
            InspectorEvent::Read { job, source, file_backed } => {
                if let Some(pane) = self.pane.as_mut().filter(|_| self.opening.as_ref().is_some_and(|o| o.job == job)) {
                    pane.body_read(source, file_backed);
                }
                Vec::new()
            }
            InspectorEvent::Opened { job, result, file_backed } => {
                if self.opening.take_if(|o| o.job == job).is_none() {
                    return Vec::new();
                }
                if let Some(pane) = self.pane.as_mut().filter(|p| p.indexing().is_some()) {
                    return match result {
                        Ok(body) => pane.indexed(*body, self.now),
                        // The start stays on screen; the line under it says why the rest is not there.
                        Err(message) => {
                            pane.cut_off(&message);
                            Vec::new()
                        }
                    };
                }
                match result {
                    Ok(body) => {
                        self.pane = InspectorPane::new(*body, file_backed, &save_name(&self.name), 1);
                        if let Some(pane) = &mut self.pane {
                            pane.set_keys(Arc::clone(&self.keys));
                        }
                        if self.pane.is_none() {
                            self.failure = Some(format!("{} is empty", self.name));
                        }
                        self.fit();
                    }
                    Err(message) => self.failure = Some(message),
                }
                Vec::new()
            }
            InspectorEvent::Progress { job, done, total } if self.opening.as_ref().is_some_and(|o| o.job == job) => {
                if let Some(opening) = &mut self.opening {
                    opening.progress = Some((done, total));
                }
                if let Some(pane) = &mut self.pane {
                    pane.index_progress(done, total);
                }
                Vec::new()
            }
            event => {
                let now = self.now;
                self.pane.as_mut().map(|pane| pane.event(event, now)).unwrap_or_default()
            }
        }
    }

    fn fit(&mut self) {
        let area = self.layout().body;
        if let Some(pane) = &mut self.pane {
            pane.set_size(usize::from(area.height), usize::from(area.width));
        }
    }

    /// Carries out an inspector command directly (for tests and scripted use).
    pub fn command(&mut self, command: InspectorCommand) -> Vec<Effect> {
        let now = self.now;
        let effects = self.pane.as_mut().map(|p| p.apply(command, now)).unwrap_or_default();
        if let Some(notice) = self.pane.as_mut().and_then(InspectorPane::take_notice) {
            self.notice = Some(notice);
        }
        effects
    }
}

/// What `s` offers: beside the original, never on it (`data.json` → `data-saved.json`).
fn save_name(name: &str) -> String {
    if name == "stdin" {
        return "stdin.json".to_string();
    }
    let path = Path::new(name);
    let stem = path.file_stem().map_or("body".into(), |s| s.to_string_lossy());
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    format!("{stem}-saved{ext}")
}
