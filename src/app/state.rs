//! Everything the screen shows, owned by the run loop and changed only by `update`.

use std::sync::Arc;
use std::time::{Duration, Instant, SystemTime};

use ratatui::layout::Rect;

use super::catalogue::CatalogueState;
use super::editor::EditorState;
use super::keys::Keymap;
use super::layout::{Content, Layout};
use super::response::ResponseState;
use super::sign_in::{SignInDialog, StepUp};
use crate::api::Catalogue;
use crate::auth::AuthStatus;
use crate::config::Profile;

/// The panes that can have focus, in `Tab` order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pane {
    Catalogue,
    Editor,
    Response,
    Auth,
}

impl Pane {
    const ORDER: [Pane; 4] = [Pane::Catalogue, Pane::Editor, Pane::Response, Pane::Auth];

    #[must_use]
    pub fn next(self) -> Pane {
        let i = Pane::ORDER.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ORDER[(i + 1) % Pane::ORDER.len()]
    }

    #[must_use]
    pub fn previous(self) -> Pane {
        let i = Pane::ORDER.iter().position(|p| *p == self).unwrap_or(0);
        Pane::ORDER[(i + Pane::ORDER.len() - 1) % Pane::ORDER.len()]
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NoticeKind {
    Info,
    Error,
}

/// A one-line message in the status bar, until the next key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    pub kind: NoticeKind,
    pub text: String,
}

/// How the screen looks: the theme (`theme = "light"` in `config.toml`), and whether to use colour at all
/// (`NO_COLOR` in the environment says not).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Appearance {
    pub theme: crate::config::ThemeName,
    pub color: bool,
}

impl Default for Appearance {
    fn default() -> Appearance {
        Appearance { theme: crate::config::ThemeName::Dark, color: true }
    }
}

/// The person's preferences for any screen: the keys in force and how the screen looks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Preferences {
    pub keys: Arc<Keymap>,
    pub appearance: Appearance,
}

/// A server requests can go to: the profile's API base first (the default), then the spec's `servers`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerChoice {
    /// With every variable at its default.
    pub url: String,
    pub label: String,
    /// The spec's server, when it has variables the editor lets the person set (`None`: the profile's API).
    pub server: Option<crate::api::Server>,
}

/// The whole state of the explorer.
#[derive(Debug)]
pub struct State {
    pub profile: Profile,
    /// The key tables in force (the defaults, changed by `[keys]` in `config.toml`).
    pub keys: Arc<Keymap>,
    pub appearance: Appearance,
    pub auth: AuthStatus,
    pub catalogue: CatalogueState,
    pub editor: EditorState,
    pub response: ResponseState,
    pub focus: Pane,
    pub servers: Vec<ServerChoice>,
    pub server: usize,
    pub help: Option<usize>,
    /// The sign-in window, while a sign-in waits for the person.
    pub sign_in: Option<SignInDialog>,
    /// Scopes an operation needs that the session lacks; `L` asks for them.
    pub step_up: Option<StepUp>,
    /// The operation (`GET /x`) whose body was found wanting at the last send: the next send goes anyway.
    pub body_warned: Option<String>,
    /// Running against the in-process demo servers: `Enter` approves a sign-in.
    pub demo: bool,
    /// `user@host` to name in the `ssh -L` line, when this runs over SSH.
    pub ssh_target: Option<String>,
    pub notice: Option<Notice>,
    /// Where everything is, from the last known terminal size, the focus and what the panes hold.
    pub layout: Layout,
    pub area: Rect,
    /// The clock as of the last action, so drawing never reads it.
    pub now: Instant,
    /// Wall-clock time as of the last action, for token expiry.
    pub wall: SystemTime,
    /// Advances while something animates (the request spinner).
    pub spinner: usize,
    pub quit: bool,
    pub(super) next_request: u64,
    /// The profiles `P` offers (those of `config.toml` and the built-in ones); the one in use is `profile`.
    pub profiles: Vec<Profile>,
    /// The profile list while it is up: the row selected.
    pub profile_picker: Option<usize>,
    /// A spec from a URL, still on its way, decides the profile when it arrives (no profile was named).
    pub spec_chooses: Option<super::profiles::SpecChooses>,
    /// What the person said about spec-born APIs (client ids, trusted issuers), kept between runs.
    pub remembered: crate::config::spec_profile::Remembered,
    /// A question the explorer waits on (a client id; whether a token may go to a spec's API).
    pub question: Option<super::profiles::Question>,
    /// The day's work of the profile in use: its history, saved requests' state, variables, the views over them.
    pub day: super::day::DayState,
    /// The open Postman collection's environment and variables, for the resolver (after the profile's variables).
    pub collection: Option<Arc<super::day::CollectionScopes>>,
}

impl State {
    /// The explorer at `now`, before the first action.
    pub fn new(profile: Profile, catalogue: Catalogue, area: Rect, now: super::Now) -> State {
        let catalogue = Arc::new(catalogue);
        let servers = server_choices(&profile, &catalogue);
        let mut state = State {
            profile,
            keys: Arc::new(Keymap::default()),
            appearance: Appearance::default(),
            auth: AuthStatus::SignedOut,
            catalogue: CatalogueState::new(catalogue),
            editor: EditorState::default(),
            response: ResponseState::default(),
            focus: Pane::Catalogue,
            servers,
            server: 0,
            help: None,
            sign_in: None,
            step_up: None,
            body_warned: None,
            demo: false,
            ssh_target: None,
            notice: None,
            layout: Layout::default(),
            area,
            now: now.instant,
            wall: now.wall,
            spinner: 0,
            quit: false,
            next_request: 1,
            profiles: Vec::new(),
            profile_picker: None,
            spec_chooses: None,
            remembered: crate::config::spec_profile::Remembered::default(),
            question: None,
            day: super::day::DayState::default(),
            collection: None,
        };
        state.select_server(0);
        state.follow_selection();
        state.fit_to_layout();
        state
    }

    /// Replaces the catalogue (a spec arrived) keeping the drafts of operations that still exist.
    pub fn set_catalogue(&mut self, catalogue: Catalogue) {
        self.catalogue = CatalogueState::new(Arc::new(catalogue));
        self.refresh_servers();
        self.follow_selection();
        self.fit_to_layout();
    }

    /// The example bodies of the catalogue on show arrived (`whole`): each operation gets its own, and a draft
    /// already made for one whose body is still empty takes it. Or the document broke past what was shown.
    pub fn take_bodies(&mut self, whole: Result<Catalogue, String>) {
        let whole = match whole {
            Ok(whole) => whole,
            Err(message) => {
                return self
                    .error(format!("Example bodies are left out: the spec breaks past its endpoints: {message}"));
            }
        };
        let catalogue = Arc::make_mut(&mut self.catalogue.catalogue);
        if catalogue.take_bodies_from(whole) {
            self.editor.fill_empty_bodies(catalogue);
        }
    }

    /// The servers to choose from, for the profile and catalogue now in use; the profile's API first.
    pub(super) fn refresh_servers(&mut self) {
        self.servers = server_choices(&self.profile, &self.catalogue.catalogue);
        self.select_server(0);
    }

    /// Sends requests to server `index` from now on; the editor shows its variables.
    pub(super) fn select_server(&mut self, index: usize) {
        self.server = index.min(self.servers.len().saturating_sub(1));
        self.editor.server_vars.show(self.servers.get(self.server).and_then(|c| c.server.as_ref()));
    }

    /// The base URL requests go to, with the server's variables as set in the editor.
    pub fn server_url(&self) -> String {
        match self.servers.get(self.server) {
            Some(ServerChoice { server: Some(server), .. }) => {
                self.editor.server_vars.url_of(server).trim_end_matches('/').to_string()
            }
            Some(choice) => choice.url.clone(),
            None => self.profile.api.clone(),
        }
    }

    /// The URLs the spec's credentials may go to: its servers at their defaults, and the selected one as set when
    /// every variable holds a value the spec names (a value typed freely may point anywhere).
    pub(super) fn spec_server_urls(&self) -> Vec<String> {
        let mut urls: Vec<String> = self.servers.iter().map(|s| s.url.clone()).collect();
        if self.editor.server_vars.spec_named() {
            urls.push(self.server_url());
        }
        urls
    }

    /// Whether a text field has the keyboard (then `q` types a q).
    pub fn typing(&self) -> bool {
        self.catalogue.filter_input.is_some()
            || self.editor.typing()
            || self.sign_in.as_ref().is_some_and(|d| d.paste.is_some())
            || matches!(
                self.question,
                Some(super::profiles::Question::ClientId { .. } | super::profiles::Question::Credential(_))
            )
            || self.day.prompt.is_some()
            || super::day::filtering(self)
    }

    /// How often the run loop should send `Tick`s; `None` when nothing moves, so an idle explorer uses no CPU.
    /// Spinners turn ten times a second; countdowns (token expiry, device code) once a second.
    pub fn tick_interval(&self) -> Option<Duration> {
        let spinning = self.response.in_flight.is_some()
            || self.response.pane().is_some_and(super::inspector::InspectorPane::busy)
            || self.catalogue.loading.is_some()
            || matches!(self.auth, AuthStatus::Working(_))
            || self.sign_in.as_ref().is_some_and(|d| d.approving);
        let counting =
            matches!(self.auth, AuthStatus::SignedIn(_) | AuthStatus::Refreshing(_) | AuthStatus::WaitingForDevice(_));
        if spinning {
            Some(Duration::from_millis(100))
        } else if counting {
            Some(Duration::from_secs(1))
        } else {
            None
        }
    }

    /// Keeps the editor on what the catalogue has selected: an operation, or a saved request (its own draft, on
    /// its operation, or on one made from its method and path when the catalogue has none like it).
    pub(super) fn follow_selection(&mut self) {
        let catalogue = std::sync::Arc::clone(&self.catalogue.catalogue);
        if let Some(super::catalogue::Selection::Saved(i)) = self.catalogue.selection()
            && let Some(saved) = self.catalogue.saved.get(i).cloned()
        {
            let make = |op: &crate::api::Operation| super::editor::Draft::from_saved(op, &saved);
            if let Some(index) = self.catalogue.operation_of(&saved) {
                self.editor.bare = None;
                self.editor.show_draft(catalogue.operations.get(index).map(|op| (op, index)), Some(&saved.name), make);
            } else {
                let bare = super::editor::saved::bare_operation(&saved);
                self.editor.show_draft(Some((&bare, usize::MAX)), Some(&saved.name), make);
                self.editor.bare = Some(bare);
            }
            self.fit_to_layout();
            return;
        }
        let selected = self.catalogue.selected_index();
        self.editor.bare = None;
        self.editor.show(selected.and_then(|i| catalogue.operations.get(i).map(|op| (op, i))));
        self.fit_to_layout();
    }

    /// The operation the editor shows, as the catalogue has it now (or as a saved request made it, when the
    /// catalogue has none like it).
    pub fn operation(&self) -> Option<&crate::api::Operation> {
        let (key, index) = self.editor.operation.as_ref()?;
        self.catalogue
            .catalogue
            .operations
            .get(*index)
            .filter(|op| op.key() == *key)
            .or_else(|| self.editor.bare.as_ref().filter(|op| op.key() == *key))
    }

    /// Recomputes the layout for the screen size, the focus and what the panes hold, and what depends on it (how
    /// many rows each list shows, scroll positions). Cheap: `update` runs it after every action.
    pub(super) fn fit_to_layout(&mut self) {
        let mut content = Content {
            focus: self.focus,
            status_lines: self.status_lines(),
            editor_body: self.editor.has_body(),
            response_summary: 0,
        };
        // The summary's rows depend on the pane's width, which does not depend on them.
        let width = Layout::new(self.area, content).response_body.width;
        content.response_summary = self.response.summary_rows(usize::from(width));
        self.layout = Layout::new(self.area, content);
        let layout = self.layout;
        self.catalogue.fit(layout.catalogue_list);
        super::day::fit_view(self);
        self.editor.fit(layout.editor_list);
        self.response.fit(layout.response_body);
    }

    /// Lines the status bar needs: one, or as many as the message takes wrapped at words as drawn (at most four).
    pub fn status_lines(&self) -> u16 {
        let width = usize::from(self.area.width.max(1));
        let lines = self
            .notice
            .as_ref()
            .map_or(1, |n| crate::text::layout::wrap_words(&crate::text::escape_controls(&n.text), width, 0).len());
        u16::try_from(lines.clamp(1, 4)).unwrap_or(1)
    }

    pub(super) fn request_id(&mut self) -> u64 {
        let id = self.next_request;
        self.next_request += 1;
        id
    }

    pub(super) fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { kind: NoticeKind::Info, text: text.into() });
    }

    pub(super) fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { kind: NoticeKind::Error, text: text.into() });
    }
}

fn server_choices(profile: &Profile, catalogue: &Catalogue) -> Vec<ServerChoice> {
    let mut choices =
        vec![ServerChoice { url: profile.api.clone(), label: format!("profile {}", profile.label()), server: None }];
    for server in &catalogue.servers {
        let url = server.url.trim_end_matches('/').to_string();
        let with_variables = (!server.variables.is_empty()).then(|| server.clone());
        // The profile's API when it is this server at its defaults (a spec-born profile's): its variables are set
        // there too, and its label stays the profile's.
        if let Some(same) = choices.iter_mut().find(|c| c.url.trim_end_matches('/') == url) {
            if same.server.is_none() {
                same.server = with_variables;
            }
            continue;
        }
        if url.starts_with("http") {
            let label =
                if server.description.is_empty() { "from the spec".to_string() } else { server.description.clone() };
            choices.push(ServerChoice { url, label, server: with_variables });
        }
    }
    choices
}
