//! The JSON inspector: the response pane's body, and the whole screen of `zorgtui view`. One piece of state, one set
//! of keys, one way of drawing (`ui::json_view`).
//!
//! The pane holds the whole document and, while a filter's result is shown, that result beside it, so `Esc` comes
//! back to the document as it was left (folds, cursor, search). Search, filter, line counting and saving are jobs
//! for the run loop ([`InspectorEffect`]); their answers ([`InspectorEvent`]) carry the job's id, and only the job
//! the pane waits for is taken. Nothing here copies the document: keys touch the index, drawing reads the rows it
//! shows.

mod body;
mod commands;
mod doc_view;
mod events;
mod in_response;
mod indexing;
mod jobs;
mod keys;
mod out_of_pane;
mod prompt;
mod search;
mod viewer;

use std::time::Instant;

pub use crate::app::keys::InspectorCommand;
pub use body::{Expect, ReadyBody, prepare_body, prepare_response_body};
pub use doc_view::{DocView, LineMatches, RawPane, raw_gutter, wrapped_row_count};
pub(super) use in_response::{response_apply, response_command, response_event, response_hints, response_paste};
pub use indexing::Indexing;
pub use jobs::{
    Cancel, ExternalProgram, InspectorEffect, InspectorEvent, JobId, JobIds, OpenInput, Running, SaveError,
    SearchTarget,
};
pub use keys::{InspectorInput, PromptInput};
pub use out_of_pane::{CursorReadError, CursorText, ReadFor, Reading};
pub use prompt::{Prompt, PromptKind};
pub use viewer::{Opening, ViewerState};

use super::state::{Notice, NoticeKind};
use crate::json::JsonError;

/// A filter's result, shown in place of the whole document until `Esc`.
#[derive(Debug)]
pub struct Filtered {
    pub expr: String,
    /// How many values the filter output (several are shown as an array of them).
    pub results: usize,
    pub view: DocView,
}

/// Which view a job serves: the whole document or the filter's result, its tree or its raw lines. Its answer is
/// used only while that view is on screen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct ViewSlot {
    filtered: bool,
    raw: bool,
}

/// A job the pane waits for (every job has this one shape), the view it serves, and what its answer needs: for a
/// search, whether to jump to the first match when it answers (Enter or `n` came before the answer); for a
/// filter, its expression.
#[derive(Debug)]
struct Job<T = ()> {
    running: Running,
    view: ViewSlot,
    detail: T,
}

impl<T> Job<T> {
    fn is(&self, id: JobId) -> bool {
        self.running.id == id
    }
}

/// Where the cursor was when `/` opened, so that `Esc` brings it back; and whether a match was already gone to as
/// the query was typed (then `Enter` stays on it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct SearchOrigin {
    mark: Mark,
    landed: bool,
}

/// A place in a view: a value of the tree, or a line of the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Tree(u32),
    Line(usize),
}

/// What a running job does, for the info line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ActivityKind {
    Searching,
    Filtering,
}

impl ActivityKind {
    pub fn label(self) -> &'static str {
        match self {
            ActivityKind::Searching => "searching",
            ActivityKind::Filtering => "filtering",
        }
    }
}

/// Something running that the pane shows (a spinner, a percentage).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Activity {
    pub kind: ActivityKind,
    pub percent: Option<u64>,
    pub started: Instant,
}

/// The inspector's state.
#[derive(Debug)]
pub struct InspectorPane {
    whole: DocView,
    filtered: Option<Filtered>,
    wrap: bool,
    prompt: Option<Prompt>,
    /// The first key of a sequence was pressed (`z`): the next completes it (`zM`, `zR`, ...).
    pending: Option<crate::app::keys::Key>,
    search_job: Option<Job<bool>>,
    search_origin: Option<SearchOrigin>,
    filter_job: Option<Job<String>>,
    /// Counting lines for the raw view of the whole document (false) or the filter's result (true).
    lines_job: Option<Job>,
    save_job: Option<Job>,
    /// Reading what is under the cursor from a file, for a copy or a variable.
    read_job: Option<Job<ReadFor>>,
    /// The program open on a copy of the body (`$EDITOR`, `$PAGER`): once the editor closes, the person is told
    /// that the body here did not change.
    external: Option<ExternalProgram>,
    /// Filter expressions of this session, oldest first.
    history: Vec<String>,
    /// Rows for the pane's body: the document's lines and, below them, the info line.
    height: usize,
    /// Columns of the pane (for wrapped raw lines).
    width: usize,
    /// The body is read from a file (a spilled response, `view FILE`) rather than memory.
    file_backed: bool,
    /// Why a body that claimed to be JSON is shown as text.
    parse_error: Option<JsonError>,
    /// What the save field offers.
    save_name: String,
    notice: Option<Notice>,
    /// The key tables in force, to name keys in messages.
    keys: std::sync::Arc<crate::app::keys::Keymap>,
    /// Ids for the jobs this pane starts.
    jobs: JobIds,
    /// The tree is a preview of the body's start while the whole is indexed.
    indexing: Option<Indexing>,
}

impl InspectorPane {
    /// A pane numbered `pane` (its jobs' ids are its own) for a body; `None` for an empty one. `save_name` is what
    /// `s` offers as the file name.
    pub fn new(body: ReadyBody, file_backed: bool, save_name: &str, pane: u64) -> Option<InspectorPane> {
        let (whole, parse_error) = match body {
            ReadyBody::Json(doc) => (DocView::json(doc), None),
            ReadyBody::Invalid { raw, error } => (DocView::text(raw), Some(error)),
            ReadyBody::Text(raw) | ReadyBody::TooManyValues { raw, .. } => (DocView::text(raw), None),
            ReadyBody::Empty => return None,
        };
        Some(InspectorPane {
            whole,
            filtered: None,
            wrap: false,
            prompt: None,
            pending: None,
            search_job: None,
            search_origin: None,
            filter_job: None,
            lines_job: None,
            save_job: None,
            read_job: None,
            external: None,
            history: Vec::new(),
            height: 1,
            width: 80,
            file_backed,
            parse_error,
            save_name: save_name.to_string(),
            notice: None,
            keys: std::sync::Arc::default(),
            jobs: JobIds::for_pane(pane),
            indexing: None,
        })
    }

    /// The document on screen: the filter's result while there is one, else the whole body.
    pub fn view(&self) -> &DocView {
        self.filtered.as_ref().map_or(&self.whole, |f| &f.view)
    }

    fn view_mut(&mut self) -> &mut DocView {
        match &mut self.filtered {
            Some(filtered) => &mut filtered.view,
            None => &mut self.whole,
        }
    }

    pub fn whole(&self) -> &DocView {
        &self.whole
    }

    pub fn filtered(&self) -> Option<&Filtered> {
        self.filtered.as_ref()
    }

    pub fn prompt(&self) -> Option<&Prompt> {
        self.prompt.as_ref()
    }

    pub fn wrap(&self) -> bool {
        self.wrap
    }

    pub fn file_backed(&self) -> bool {
        self.file_backed
    }

    pub fn parse_error(&self) -> Option<&JsonError> {
        self.parse_error.as_ref()
    }

    /// The first key of an unfinished sequence, if one was pressed.
    pub fn pending(&self) -> Option<crate::app::keys::Key> {
        self.pending
    }

    /// Whether the field has the keyboard (then `q` types a q).
    pub fn typing(&self) -> bool {
        self.prompt.is_some()
    }

    /// The view on screen, for a job to serve.
    fn slot(&self) -> ViewSlot {
        ViewSlot { filtered: self.filtered.is_some(), raw: self.view().showing_raw() }
    }

    /// A new job for the view on screen.
    fn job<T>(&mut self, now: Instant, detail: T) -> Job<T> {
        Job { running: Running::new(self.jobs.next(), now), view: self.slot(), detail }
    }

    /// Whether a search or filter runs (a spinner turns, `Esc` stops it).
    pub fn busy(&self) -> bool {
        self.search_job.is_some()
            || self.filter_job.is_some()
            || self.lines_job.is_some()
            || self.save_job.is_some()
            || self.read_job.is_some()
    }

    /// The job to show in the info line, the filter first (it is the slow one).
    pub fn activity(&self) -> Option<Activity> {
        let (kind, job) = match (&self.filter_job, &self.search_job) {
            (Some(filter), _) => (ActivityKind::Filtering, &filter.running),
            (None, Some(search)) => (ActivityKind::Searching, &search.running),
            (None, None) => return None,
        };
        Some(Activity { kind, percent: job.percent(), started: job.started })
    }

    /// Rows of the document on screen (the pane's height less the info line).
    pub fn body_rows(&self) -> usize {
        if self.height >= 2 { self.height - 1 } else { self.height.max(1) }
    }

    /// Tells the pane its size: rows (info line included) and columns.
    pub fn set_size(&mut self, height: usize, width: usize) {
        self.height = height.max(1);
        self.width = width.max(1);
        let rows = self.body_rows();
        self.whole.set_viewport(rows);
        if let Some(filtered) = &mut self.filtered {
            filtered.view.set_viewport(rows);
        }
        self.apply_wrap();
    }

    /// The width raw lines wrap at, or `None` when they do not wrap.
    pub(super) fn wrap_width(&self) -> Option<usize> {
        self.wrap.then_some(self.width)
    }

    /// Tells the raw views whether and where lines wrap (after a resize or `w`).
    pub(super) fn apply_wrap(&mut self) {
        let width = self.wrap_width();
        self.whole.set_wrap_width(width);
        if let Some(filtered) = &mut self.filtered {
            filtered.view.set_wrap_width(width);
        }
    }

    /// The session's filter history, to carry over to the next response's pane.
    pub fn take_history(&mut self) -> Vec<String> {
        std::mem::take(&mut self.history)
    }

    pub fn set_history(&mut self, history: Vec<String>) {
        self.history = history;
    }

    pub fn history(&self) -> &[String] {
        &self.history
    }

    /// The message the last command or event left for the status bar.
    /// Uses `keys` to name keys in its messages (the pane's keys themselves come with each key press).
    pub fn set_keys(&mut self, keys: std::sync::Arc<crate::app::keys::Keymap>) {
        self.keys = keys;
    }

    /// The key to name for `command` in a message.
    fn key(&self, command: InspectorCommand) -> String {
        self.keys.inspector.name(command)
    }

    pub fn take_notice(&mut self) -> Option<Notice> {
        self.notice.take()
    }

    fn info(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { kind: NoticeKind::Info, text: text.into() });
    }

    fn error(&mut self, text: impl Into<String>) {
        self.notice = Some(Notice { kind: NoticeKind::Error, text: text.into() });
    }
}

impl Drop for InspectorPane {
    /// A replaced pane stops what it started: nobody waits for the answer any more.
    fn drop(&mut self) {
        if let Some(job) = &self.search_job {
            job.running.cancel.cancel();
        }
        if let Some(job) = &self.filter_job {
            job.running.cancel.cancel();
        }
    }
}

pub use crate::text::human_bytes;

#[cfg(test)]
mod tests;
