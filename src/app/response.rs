//! The response pane's state: the request in flight, and the last response with its body ready to read.

use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::action::RequestId;
use super::inspector::{InspectorCommand, InspectorPane};
use crate::api::response::{ApiErrorBody, ApiResponse};

/// A request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub id: RequestId,
    /// `GET /users/me`
    pub label: String,
    pub started: Instant,
    /// What it was made of (for the history, paging, links and naming a value).
    pub sent: super::day::SentRef,
}

pub use super::inspector::ReadyBody;

/// A response with its body prepared.
#[derive(Debug)]
pub struct ReadyResponse {
    pub response: ApiResponse,
    pub body: ReadyBody,
    pub api_error: Option<ApiErrorBody>,
}

/// Reads a response's body into what the pane shows. CPU work on big bodies: call it off the run loop.
pub fn prepare_response(response: ApiResponse) -> ReadyResponse {
    let api_error = ApiErrorBody::from_response(&response);
    let body = super::inspector::prepare_response_body(&response);
    ReadyResponse { response, body, api_error }
}

/// How the body is shown.
#[derive(Debug)]
pub enum BodyView {
    /// The JSON inspector (text bodies too: it shows them as lines).
    Inspector(Box<InspectorPane>),
    Empty,
}

/// The last response.
#[derive(Debug)]
pub struct Shown {
    pub label: String,
    pub url: String,
    pub status: u16,
    pub reason: String,
    pub elapsed: Duration,
    pub size: u64,
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub api_error: Option<ApiErrorBody>,
    /// Why the body is shown as text: it claimed to be JSON and is not, or it is binary.
    pub invalid_json: Option<String>,
    pub body: BodyView,
    /// Not a response: what the session's tokens say (the claims view).
    pub claims: bool,
    /// The request it answers, when it was sent in this session.
    pub sent: Option<super::day::SentRef>,
    /// Where it sits in its list ("items 101–200 of 1234"), when it is a page of one.
    pub page: Option<crate::workspace::paging::Page>,
    /// The links the spec offers after it.
    pub links: Vec<super::day::LinkOffer>,
    /// This is the start of the response to this request, shown while the rest arrives.
    pub arriving: Option<super::RequestId>,
}

impl Shown {
    /// The response to request `id`, shown; `keys` name the keys in its messages.
    pub fn new(
        id: super::RequestId,
        label: String,
        ready: ReadyResponse,
        keys: &std::sync::Arc<crate::app::keys::Keymap>,
    ) -> Shown {
        let ReadyResponse { response, body, api_error } = ready;
        let save = keys.inspector.name(crate::app::keys::InspectorCommand::Save);
        let invalid_json = match &body {
            ReadyBody::Invalid { error, .. } => Some(error.to_string()),
            ReadyBody::TooManyValues { limit, .. } => Some(format!(
                "more than {} million values, too many for the tree here: shown as text; {save} saves it, and \
                 `zorgtui view FILE` opens it as a tree",
                limit >> 20
            )),
            // A NUL byte early on: an image, a PDF, an archive. Its lines mean nothing, but the bytes are kept.
            ReadyBody::Text(_) if response.body.iter().take(8192).any(|&b| b == 0) => Some(format!(
                "binary content ({}), its control bytes escaped; {save} saves it as it came",
                response.content_type().unwrap_or("no content type")
            )),
            _ => None,
        };
        let size = response.body_len();
        let save_name = save_name(&response.url, body_is_json(&body));
        let body =
            InspectorPane::new(body, response.spilled.is_some(), &save_name, id).map_or(BodyView::Empty, |mut pane| {
                pane.set_keys(std::sync::Arc::clone(keys));
                BodyView::Inspector(Box::new(pane))
            });
        Shown {
            label,
            content_type: response.content_type().map(str::to_string),
            url: response.url,
            status: response.status,
            reason: response.reason,
            elapsed: response.elapsed,
            size,
            headers: response.headers,
            api_error,
            invalid_json,
            body,
            claims: false,
            sent: None,
            page: None,
            links: Vec::new(),
            arriving: None,
        }
    }

    /// What the session's tokens say, shown in the inspector as a response would be.
    pub fn claims(
        id: super::RequestId,
        ready: ReadyResponse,
        keys: &std::sync::Arc<crate::app::keys::Keymap>,
    ) -> Shown {
        Shown { claims: true, ..Shown::new(id, "the session's tokens".to_string(), ready, keys) }
    }

    /// Rows the summary above the body takes at `width` columns: the error's message gets a second row when it
    /// needs one (its end often names what to fix, a scope for one), each detail one row.
    pub fn summary_lines(&self, width: usize) -> usize {
        let error = self.api_error.as_ref().map_or(0, |e| self.error_rows(width) + e.details.len().min(3));
        error + usize::from(self.invalid_json.is_some())
    }

    /// Rows for the error's kind and message: one, or two when they do not fit in one.
    pub fn error_rows(&self, width: usize) -> usize {
        // Measured as drawn: control characters escaped, wide characters two cells.
        let cells = |text: &str| crate::text::layout::width(&crate::text::escape_controls(text));
        self.api_error.as_ref().map_or(0, |e| if cells(&e.kind) + 1 + cells(&e.message) <= width { 1 } else { 2 })
    }
}

fn body_is_json(body: &ReadyBody) -> bool {
    matches!(body, ReadyBody::Json(_))
}

/// What `s` offers to save a response as: the last segment of its URL (`…/api-requirements` →
/// `api-requirements.json`).
pub(super) fn save_name(url: &str, json: bool) -> String {
    let path = url.split(['?', '#']).next().unwrap_or_default();
    let last = path.trim_end_matches('/').rsplit('/').next().unwrap_or_default();
    let clean: String =
        last.chars().filter(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.')).take(60).collect();
    let stem = if clean.is_empty() || clean.contains(':') { "response".to_string() } else { clean };
    let extension = if json { ".json" } else { ".txt" };
    if stem.ends_with(extension) { stem } else { format!("{stem}{extension}") }
}

/// A request that got no response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Failure {
    pub label: String,
    pub message: String,
}

#[derive(Debug, Default)]
pub struct ResponseState {
    pub in_flight: Option<InFlight>,
    pub shown: Option<Shown>,
    pub failure: Option<Failure>,
    pub show_headers: bool,
    pub header_offset: usize,
    /// Rows available to the body.
    pub height: usize,
}

impl ResponseState {
    /// Fits the body into its rows (the layout's `response_body`).
    pub(super) fn fit(&mut self, body: Rect) {
        self.height = usize::from(body.height).max(1);
        let (height, width) = (self.height, usize::from(body.width));
        if let Some(pane) = self.pane_mut() {
            pane.set_size(height, width);
        }
    }

    /// Rows the summary above the body takes at `width` columns (none without a response).
    pub fn summary_rows(&self, width: usize) -> u16 {
        u16::try_from(self.shown.as_ref().map_or(0, |s| s.summary_lines(width))).unwrap_or(u16::MAX)
    }

    pub(super) fn show(&mut self, shown: Shown) {
        // The filter history belongs to the session, not to one response.
        // A pane carried over from the response's start keeps its own.
        let history = self.pane_mut().map(InspectorPane::take_history);
        self.shown = Some(shown);
        if let (Some(pane), Some(history)) = (self.pane_mut(), history) {
            pane.set_history(history);
        }
        self.failure = None;
        self.header_offset = 0;
    }

    /// The inspector showing the body, if there is a body.
    pub fn pane(&self) -> Option<&InspectorPane> {
        match &self.shown {
            Some(Shown { body: BodyView::Inspector(pane), .. }) => Some(pane),
            _ => None,
        }
    }

    pub(super) fn pane_mut(&mut self) -> Option<&mut InspectorPane> {
        match &mut self.shown {
            Some(Shown { body: BodyView::Inspector(pane), .. }) => Some(pane),
            _ => None,
        }
    }

    /// Moves through the body (or the headers when they are shown).
    pub(super) fn move_by(&mut self, delta: isize) {
        if self.show_headers {
            let max = self.shown.as_ref().map_or(0, |s| s.headers.len().saturating_sub(self.height));
            self.header_offset = self.header_offset.saturating_add_signed(delta).min(max);
        } else if let Some(pane) = self.pane_mut() {
            pane.move_by(delta);
        }
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        if self.show_headers {
            self.move_by(delta);
        } else if let Some(pane) = self.pane_mut() {
            pane.scroll_by(delta);
        }
    }

    pub(super) fn page(&mut self, down: bool) {
        let step = isize::try_from(self.height.saturating_sub(1).max(1)).unwrap_or(1);
        self.move_by(if down { step } else { -step });
    }

    pub(super) fn jump(&mut self, end: bool, now: std::time::Instant) {
        if self.show_headers {
            self.move_by(if end { isize::MAX / 2 } else { isize::MIN / 2 });
        } else if let Some(pane) = self.pane_mut() {
            pane.apply(if end { InspectorCommand::Bottom } else { InspectorCommand::Top }, now);
        }
    }
}
