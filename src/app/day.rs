//! The day's work in the explorer: the history, the saved requests, the variables, and what they make possible
//! (paging, links, copying as curl, asking before a write). The files are the run loop's to read and write
//! ([`WorkspaceEffect`]); what they held comes back as a [`WorkspaceEvent`]. Everything is looked up by the
//! current profile's store key when it is used, so a profile switched to at run time brings its own: call
//! [`profile_changed`] after `state.profile` changes.

mod collection;
mod curl;
mod events;
mod history_view;
mod links;
mod paging;
pub(super) mod prompt;
mod question;
mod resolve;
mod saved;
pub(in crate::app) mod variables;
mod view_mouse;

use std::collections::HashMap;
use std::sync::Arc;

pub use collection::script_notice;
pub use curl::CurlToken;
pub use history_view::HistoryView;
pub use links::LinkOffer;
pub use prompt::{NamePrompt, PromptPurpose};
pub use question::question_text;
pub use resolve::{CollectionScopes, DraftScope};
pub use variables::VariablesView;

pub(super) use curl::copy_curl;
pub(super) use events::workspace_event;
pub(super) use history_view::{FilterKey, filter_key, filtering, history_command};
pub(super) use links::{follow_link, link_offers};
pub(super) use paging::{page_of, turn_page};
pub(super) use prompt::{prompt_key, prompt_paste};
pub(super) use question::answer;
pub(super) use saved::{delete_saved, rename_saved, save_request};
pub(super) use variables::{set_variable_from_inspector, variables_command};
pub(super) use view_mouse::{click as view_click, wheel as view_wheel};

/// The History view's key, and the Variables view's: open or close.
pub(super) fn toggle_history(state: &mut State) {
    history_view::toggle(state);
}

pub(super) fn toggle_variables(state: &mut State) {
    variables::toggle(state);
}

/// An explorer key while a view is open (the lists move, Esc steps back); `false` when it is not the view's.
pub(super) fn view_key(state: &mut State, command: crate::app::keys::ExplorerCommand) -> bool {
    match state.day.view {
        Some(DayView::History(_)) => history_view::explorer_key(state, command),
        Some(DayView::Variables(_)) => variables::explorer_key(state, command),
        None => false,
    }
}

/// The open view's list gets the rows it has on screen.
pub(super) fn fit_view(state: &mut State) {
    let rows = super::layout::day_view_list(state.area).height;
    let len = state.day.variables.len();
    match &mut state.day.view {
        Some(DayView::History(view)) => view.fit(rows),
        Some(DayView::Variables(view)) => view.fit(rows, len),
        None => {}
    }
}

use super::ReadyResponse;
use super::action::RequestId;
use super::effect::Effect;
use super::state::State;
use crate::api::OperationKey;
use crate::api::request::PreparedRequest;
use crate::config::SecretSource;
use crate::workspace::{Exchange, HistoryLimits, SavedRequest, Summary, Variables};

/// What the explorer holds of the day's work, for the profile `profile_key`.
#[derive(Debug, Default)]
pub struct DayState {
    /// The store key of the profile these are for.
    pub profile_key: String,
    /// Whether the profile's files have been read.
    pub loaded: bool,
    /// The profile's exchanges, newest first.
    pub history: Vec<Summary>,
    pub variables: Variables,
    /// The History or Variables view, while it is open.
    pub view: Option<DayView>,
    /// A name being typed (to save a request as, for a variable).
    pub prompt: Option<NamePrompt>,
    /// Profiles (by store key) whose first write of this session was allowed.
    pub writes_confirmed: Vec<String>,
    /// The history entry each request of this session became, by request id.
    pub recorded: HashMap<RequestId, String>,
    /// Which link `follow_link` opens next, for the response on show.
    pub next_link: usize,
    /// Why the saved requests or the variables could not be read: they are then not written over.
    pub saved_problem: Option<String>,
    pub variables_problem: Option<String>,
}

/// A view over the panes.
#[derive(Debug)]
pub enum DayView {
    History(Box<HistoryView>),
    Variables(VariablesView),
}

/// What a request was made of, kept with it while it runs and with its response: for the history, paging, links,
/// and naming a value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sent {
    pub request: PreparedRequest,
    /// The operation it was made from, when it was (not a page from a `Link`, not a request from the history).
    pub operation: Option<OperationKey>,
    /// The operation's path template.
    pub path_template: Option<String>,
    /// Path and query values as sent (variables resolved).
    pub path: Vec<(String, String)>,
    pub query: Vec<(String, String)>,
    /// The base it went under when that is the profile's API (so it can go again where that is now).
    pub base: Option<String>,
}

/// What the run loop needs to keep an exchange in the history.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HistoryRecord {
    pub profile_key: String,
    pub limits: HistoryLimits,
    /// Bodies past this are not kept (`history_body_max_kb`).
    pub body_cap: u64,
    pub base: Option<String>,
    pub operation: Option<String>,
    /// Where the profile's client secret comes from, to take it out of what is kept.
    pub client_secret: Option<SecretSource>,
}

/// Why an exchange of the history is opened.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum OpenPurpose {
    /// Its response, in the response pane.
    Show,
    /// Its request, back in the editor.
    Edit,
    /// Its request, sent again.
    Resend,
}

/// The files of the day's work, for the run loop.
#[derive(Debug, Clone)]
pub enum WorkspaceEffect {
    /// Read the profile's history, saved requests and variables; answer with `WorkspaceEvent::Loaded`.
    Load { profile_key: String },
    /// Write the profile's saved requests (secrets taken out); answer with `WorkspaceEvent::Written`.
    SaveRequests {
        profile_key: String,
        profile_label: String,
        requests: Vec<SavedRequest>,
        client_secret: Option<SecretSource>,
    },
    /// Write the profile's variables (secrets taken out); answer with `WorkspaceEvent::Written`.
    SaveVariables {
        profile_key: String,
        profile_label: String,
        variables: Variables,
        client_secret: Option<SecretSource>,
    },
    /// Read one exchange whole; answer with `WorkspaceEvent::Opened`.
    Open { profile_key: String, id: String, purpose: OpenPurpose },
    /// Put the request on the clipboard as a curl line, its token as `token` says; answer with
    /// `WorkspaceEvent::Copied`. The profile names the flags of `zorgtui … token`.
    CopyCurl { request: PreparedRequest, token: CurlToken, profile: Box<crate::config::Profile> },
}

/// What the run loop did with the files.
#[derive(Debug)]
pub enum WorkspaceEvent {
    Loaded(Box<Loaded>),
    /// An exchange was kept (or could not be), for the request `request` of this session.
    Recorded {
        profile_key: String,
        request: RequestId,
        summary: Result<Summary, String>,
    },
    Opened {
        profile_key: String,
        purpose: OpenPurpose,
        result: Result<Box<OpenedExchange>, String>,
    },
    /// Saved requests or variables were written, with how many secrets were taken out, or why not.
    Written {
        what: Written,
        result: Result<usize, String>,
    },
    /// A curl line is on the clipboard, or why not.
    Copied {
        live: bool,
        result: Result<usize, String>,
    },
}

/// A profile's files as read; each may have failed on its own.
#[derive(Debug)]
pub struct Loaded {
    pub profile_key: String,
    /// Oldest first, as the file keeps them.
    pub history: Result<Vec<Summary>, String>,
    pub saved: Result<Vec<SavedRequest>, String>,
    pub variables: Result<Variables, String>,
}

/// An exchange read whole; its response made ready for the inspector when it is to be shown.
#[derive(Debug)]
pub struct OpenedExchange {
    pub exchange: Exchange,
    pub ready: Option<ReadyResponse>,
}

/// Which file was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    SavedRequests,
    Variables,
}

/// Reads the current profile's files, when they are not the ones held: at start and after a profile switch. What
/// was held for another profile is let go at once (its history, variables, saved requests, any open view).
pub fn profile_changed(state: &mut State) -> Vec<Effect> {
    let key = state.profile.store_key();
    if state.day.profile_key == key && state.day.loaded {
        return Vec::new();
    }
    let confirmed = std::mem::take(&mut state.day.writes_confirmed);
    state.day = DayState { profile_key: key.clone(), writes_confirmed: confirmed, ..DayState::default() };
    state.catalogue.set_saved(Vec::new());
    state.follow_selection();
    vec![Effect::Workspace(WorkspaceEffect::Load { profile_key: key })]
}

impl State {
    /// How the history of the current profile is kept, or `None` when it keeps none (`history = false`).
    pub(super) fn history_record(&self, sent: &Sent) -> Option<Box<HistoryRecord>> {
        let settings = &self.profile.workspace;
        settings.history.then(|| {
            Box::new(HistoryRecord {
                profile_key: self.profile.store_key(),
                limits: HistoryLimits::of(settings),
                body_cap: settings.history_body_max_bytes,
                base: sent.base.clone(),
                operation: sent.operation.as_ref().map(|k| k.0.clone()),
                client_secret: self.profile.client.secret.clone(),
            })
        })
    }

    /// Writes the saved requests of the current profile.
    pub(super) fn save_requests_effect(&self) -> Effect {
        Effect::Workspace(WorkspaceEffect::SaveRequests {
            profile_key: self.profile.store_key(),
            profile_label: self.profile.label(),
            requests: self.catalogue.saved.clone(),
            client_secret: self.profile.client.secret.clone(),
        })
    }

    /// Writes the variables of the current profile.
    pub(super) fn save_variables_effect(&self) -> Effect {
        Effect::Workspace(WorkspaceEffect::SaveVariables {
            profile_key: self.profile.store_key(),
            profile_label: self.profile.label(),
            variables: self.day.variables.clone(),
            client_secret: self.profile.client.secret.clone(),
        })
    }

    /// Whether the day's files for the current profile are held.
    pub(super) fn day_ready(&self) -> bool {
        self.day.loaded && self.day.profile_key == self.profile.store_key()
    }

    /// Why a file of the day's work may not be written now (not read yet, or unreadable: writing would lose what it
    /// holds), said in the status bar; `true` when it may.
    pub(super) fn may_write(&mut self, what: Written) -> bool {
        let problem = match what {
            Written::SavedRequests => self.day.saved_problem.clone(),
            Written::Variables => self.day.variables_problem.clone(),
        };
        let noun = match what {
            Written::SavedRequests => "saved requests",
            Written::Variables => "variables",
        };
        if !self.day_ready() {
            self.error(format!("The {noun} of this profile are still being read: try again in a moment"));
            return false;
        }
        if let Some(problem) = problem {
            self.error(format!("The {noun} file could not be read, so nothing is written over it: {problem}"));
            return false;
        }
        true
    }
}

/// A shared `Sent`, as responses and flights hold it.
pub type SentRef = Arc<Sent>;

#[cfg(test)]
mod tests;
