//! What `update` asks the run loop to do.

use super::action::RequestId;
use crate::api::request::PreparedRequest;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Effect {
    /// Send the request in a background task and answer with `Action::Response` or `Action::RequestFailed`.
    Send { id: RequestId, request: PreparedRequest },
    /// Abort the task of this request.
    Cancel(RequestId),
    /// Fetch and parse an OpenAPI document in the background; answer with `Action::SpecLoaded`.
    LoadSpec { url: String },
    /// Leave: restore the terminal and exit.
    Quit,
}
