//! What `update` asks the run loop to do.

use super::action::RequestId;
use super::inspector::InspectorEffect;
use crate::api::request::PreparedRequest;
use crate::auth::AuthCommand;

#[derive(Debug, Clone)]
pub enum Effect {
    /// Send the request in a background task and answer with `Action::Response` or `Action::RequestFailed`; keep
    /// the exchange in the history as `history` says (when it says to), however it ends: answered, failed,
    /// cancelled, or cut off by quitting (with what came so far).
    Send { id: RequestId, request: PreparedRequest, history: Option<Box<super::day::HistoryRecord>> },
    /// Read or write the files of the day's work; answer with `Action::Workspace`.
    Workspace(super::day::WorkspaceEffect),
    /// Abort the task of this request.
    Cancel(RequestId),
    /// Fetch and parse an OpenAPI document in the background; answer with `Action::SpecLoaded`.
    LoadSpec { url: String },
    /// Tell the auth engine.
    Auth(AuthCommand),
    /// Put text on the clipboard with OSC 52 (works over SSH, where the terminal is on the person's machine).
    Copy(String),
    /// Demo only: approve the sign-in as the demo user, as a browser would; answer with `Action::DemoApproved`.
    DemoApprove { authorize_url: String },
    /// Demo only: approve a sign-in whose redirect is a registered one that is not ours (Postman's page); answer
    /// with `Action::DemoLanded` (or `Action::DemoApproved` with the reason it failed).
    DemoApproveToLanding { authorize_url: String },
    /// Demo only: end the session at the demo's server, as a browser would; answer with `Action::DemoApproved`.
    DemoEndSession { end_session_url: String },
    /// Work with this profile from now on: its API, its settings, its own auth engine (the old one is stopped, and
    /// anything it still reports is dropped); then restore the profile's stored session.
    UseProfile(Box<crate::config::Profile>),
    /// Keep the value of a spec's apiKey or http credential for the API at `origin`, like a client secret
    /// (`workspace::credentials`); answer only when it could not be kept (`Action::Failed`).
    KeepCredential {
        store: crate::config::TokenStoreKind,
        origin: String,
        scheme: String,
        value: crate::secret::Secret,
    },
    /// Keep what the person said about spec-born APIs (`{data_dir}/apis.json`, 0600).
    Remember(crate::config::spec_profile::Remembered),
    /// Ask the auth engine what the session's tokens say (with the server's introspection and userinfo), the raw
    /// tokens too when `include_raw`; answer with `Action::Claims`.
    Claims { include_raw: bool },
    /// Work for the JSON inspector: search, filter, save, `$EDITOR`... on a blocking thread.
    Inspector(InspectorEffect),
}
