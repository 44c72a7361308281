//! The response pane's state: the request in flight, and the last response with its body ready to read.

use std::sync::Arc;
use std::time::{Duration, Instant};

use ratatui::layout::Rect;

use super::action::RequestId;
use super::layout::inner_height;
use crate::api::response::{ApiErrorBody, ApiResponse};
use crate::json::{Document, Inspector, JsonError};
use crate::text;

/// A request on its way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InFlight {
    pub id: RequestId,
    /// `GET /users/me`
    pub label: String,
    pub started: Instant,
}

/// A body as it arrives from the background task: parsed once, there, never on the loop.
#[derive(Debug)]
pub enum ReadyBody {
    Json(Arc<Document>),
    /// Said to be JSON but is not: the text, and where parsing stopped.
    Invalid {
        lines: Vec<String>,
        error: JsonError,
    },
    Text(Vec<String>),
    Empty,
}

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
    let body = if response.body.iter().all(u8::is_ascii_whitespace) {
        ReadyBody::Empty
    } else if response.looks_like_json() {
        match Document::parse(response.body.clone()) {
            Ok(doc) => ReadyBody::Json(Arc::new(doc)),
            Err(error) => ReadyBody::Invalid { lines: text_lines(&response.body), error },
        }
    } else {
        ReadyBody::Text(text_lines(&response.body))
    };
    ReadyResponse { response, body, api_error }
}

fn text_lines(bytes: &[u8]) -> Vec<String> {
    text::safe_lines(bytes).lines().map(str::to_string).collect()
}

/// How the body is shown.
#[derive(Debug)]
pub enum BodyView {
    Json(Inspector),
    Text { lines: Vec<String>, offset: usize },
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
    pub size: usize,
    pub headers: Vec<(String, String)>,
    pub content_type: Option<String>,
    pub api_error: Option<ApiErrorBody>,
    /// Why a body that claimed to be JSON is shown as text.
    pub invalid_json: Option<String>,
    pub body: BodyView,
}

impl Shown {
    pub fn new(label: String, ready: ReadyResponse) -> Shown {
        let ReadyResponse { response, body, api_error } = ready;
        let mut invalid_json = None;
        let body = match body {
            ReadyBody::Json(doc) => BodyView::Json(Inspector::new(doc)),
            ReadyBody::Invalid { lines, error } => {
                invalid_json = Some(error.to_string());
                BodyView::Text { lines, offset: 0 }
            }
            ReadyBody::Text(lines) => BodyView::Text { lines, offset: 0 },
            ReadyBody::Empty => BodyView::Empty,
        };
        Shown {
            label,
            content_type: response.content_type().map(str::to_string),
            url: response.url,
            status: response.status,
            reason: response.reason,
            elapsed: response.elapsed,
            size: response.body.len(),
            headers: response.headers,
            api_error,
            invalid_json,
            body,
        }
    }

    /// Lines above the body: the ZorgAPIs error summary (type and message, up to three details) or the parse error.
    pub fn summary_lines(&self) -> usize {
        let error = self.api_error.as_ref().map_or(0, |e| 1 + e.details.len().min(3));
        error + usize::from(self.invalid_json.is_some())
    }
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
    rect: Rect,
}

impl ResponseState {
    pub(super) fn fit(&mut self, rect: Rect) {
        self.rect = rect;
        let summary = self.shown.as_ref().map_or(0, Shown::summary_lines);
        // One line for the status, then the summary, then the body.
        self.height = inner_height(rect).saturating_sub(1 + summary).max(1);
        let height = self.height;
        if let Some(Shown { body: BodyView::Json(inspector), .. }) = &mut self.shown {
            inspector.set_viewport(height);
        }
    }

    pub(super) fn show(&mut self, shown: Shown) {
        self.shown = Some(shown);
        self.failure = None;
        self.header_offset = 0;
        let rect = self.rect;
        self.fit(rect);
    }

    /// Moves through the body (or the headers when they are shown).
    pub(super) fn move_by(&mut self, delta: isize) {
        let height = self.height;
        let show_headers = self.show_headers;
        let Some(shown) = &mut self.shown else { return };
        if show_headers {
            let max = shown.headers.len().saturating_sub(height);
            self.header_offset = self.header_offset.saturating_add_signed(delta).min(max);
            return;
        }
        match &mut shown.body {
            BodyView::Json(inspector) => inspector.move_by(delta),
            BodyView::Text { lines, offset } => {
                *offset = offset.saturating_add_signed(delta).min(lines.len().saturating_sub(height));
            }
            BodyView::Empty => {}
        }
    }

    pub(super) fn scroll_by(&mut self, delta: isize) {
        if let Some(Shown { body: BodyView::Json(inspector), .. }) = &mut self.shown
            && !self.show_headers
        {
            inspector.scroll_by(delta);
        } else {
            self.move_by(delta);
        }
    }

    pub(super) fn page(&mut self, down: bool) {
        let step = isize::try_from(self.height.saturating_sub(1).max(1)).unwrap_or(1);
        self.move_by(if down { step } else { -step });
    }

    pub(super) fn jump(&mut self, end: bool) {
        if let Some(Shown { body: BodyView::Json(inspector), .. }) = &mut self.shown
            && !self.show_headers
        {
            if end { inspector.bottom() } else { inspector.top() }
        } else {
            self.move_by(if end { isize::MAX / 2 } else { isize::MIN / 2 });
        }
    }
}
