//! Everything that can happen to the explorer.

use ratatui::crossterm::event::Event;

use super::inspector::InspectorEvent;
use super::response::ReadyResponse;
use crate::api::Catalogue;
use crate::auth::AuthEvent;

/// Tells responses apart, so a late answer to a cancelled request is dropped.
pub type RequestId = u64;

/// When an action happens: read by the run loop and handed in with it, so the core reads no clock (and tests say
/// what time it is).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Now {
    /// For durations: spinners, how long a request has waited.
    pub instant: std::time::Instant,
    /// For wall-clock times: when a token expires.
    pub wall: std::time::SystemTime,
}

#[derive(Debug)]
pub enum Action {
    /// Terminal input: keys, mouse, paste, resize.
    Input(Event),
    /// The terminal is gone: leave.
    InputClosed,
    /// Time passed while something animates.
    Tick,
    /// A response arrived and its body is ready.
    Response { id: RequestId, ready: Box<ReadyResponse> },
    /// The start of a big JSON response, while the rest arrives: its head, a preview of its first MiB, and how
    /// much had come (of the declared length) when the preview was made.
    ResponseStarted {
        id: RequestId,
        head: Box<crate::api::response::ApiResponse>,
        preview: Box<crate::json::Preview>,
        received: u64,
        total: Option<u64>,
    },
    /// How much of a response has arrived (sent while its start is shown): bytes so far, and the declared length.
    ResponseArriving { id: RequestId, received: u64, total: Option<u64> },
    /// A request got no response (connection refused, timeout, ...).
    RequestFailed { id: RequestId, message: String },
    /// A spec requested from a URL was loaded, or could not be: one line naming the URL and the problem.
    SpecLoaded(Result<Box<Catalogue>, String>),
    /// The catalogue on show, read again with its example bodies (a big spec shows first without them), or why
    /// they could not be made.
    BodiesMade(Result<Box<Catalogue>, String>),
    /// The auth engine reports.
    Auth(AuthEvent),
    /// The demo's in-app approval went through, or says why not.
    DemoApproved(Result<(), String>),
    /// The demo approved a sign-in whose redirect is not loopback (a collection's Postman callback): the address
    /// the browser would have landed on, to be pasted as a person would.
    DemoLanded(String),
    /// What the session's tokens say, ready for the inspector, or why it could not be told.
    Claims(Result<Box<ReadyResponse>, String>),
    /// A JSON inspector job (search, filter, save, ...) reports.
    Inspector(InspectorEvent),
    /// The files of the day's work were read or written.
    Workspace(super::day::WorkspaceEvent),
    /// A request named a credential whose value is no longer kept (`KeepCredential`): it went without.
    CredentialGone { origin: String, scheme: String },
    /// A chore in the background failed (keeping what was remembered): what to tell the person.
    Failed(String),
}
