//! Carrying out effects: background tasks whose results come back as actions.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::spec_cache::SpecCache;
use crate::app::{Action, Effect, RequestId, prepare_response};
use crate::auth::AuthHandle;
use crate::http::{Http, HttpSettings, Purpose};

use super::inspector_jobs::{self, ExternalRequest};

/// What the session's tokens say, as the inspector shows a JSON response.
async fn claims_response(auth: &AuthHandle, include_raw: bool) -> Result<Box<crate::app::ReadyResponse>, String> {
    let query = crate::auth::claims::ClaimsQuery { ask_server: true, include_raw };
    let claims = auth.claims(query).await.map_err(|e| e.to_string())?;
    let body = serde_json::to_vec_pretty(&claims).map_err(|e| e.to_string())?;
    let response = crate::api::response::ApiResponse {
        status: 200,
        reason: String::new(),
        headers: vec![("content-type".to_string(), "application/json".to_string())],
        body: bytes::Bytes::from(body),
        elapsed: std::time::Duration::ZERO,
        url: "claims".to_string(),
        spilled: None,
    };
    tokio::task::spawn_blocking(move || Box::new(prepare_response(response))).await.map_err(|e| e.to_string())
}

/// Runs effects for the loop. The HTTP client is made on first use, so start-up does no TLS set-up.
pub struct EffectRunner {
    tx: UnboundedSender<Action>,
    settings: HttpSettings,
    client: Option<Http>,
    requests: HashMap<RequestId, AbortHandle>,
    /// The auth engine: commands go to it, and the access token is read from it at send time (the screen never
    /// holds a token).
    auth: Option<Arc<AuthHandle>>,
    /// Text waiting to be put on the clipboard by the run loop, which owns the terminal.
    clipboard: Vec<String>,
    /// `$EDITOR` / `$PAGER` runs waiting for the run loop, which owns the terminal.
    external: Vec<ExternalRequest>,
    /// Where catalogues of specs from URLs are kept (none in tests that do not ask for it).
    spec_cache: Option<SpecCache>,
}

impl EffectRunner {
    pub fn new(tx: UnboundedSender<Action>, settings: HttpSettings) -> EffectRunner {
        EffectRunner {
            tx,
            settings,
            client: None,
            requests: HashMap::new(),
            auth: None,
            clipboard: Vec::new(),
            external: Vec::new(),
            spec_cache: None,
        }
    }

    pub fn use_spec_cache(&mut self, cache: SpecCache) {
        self.spec_cache = Some(cache);
    }

    /// Connects the auth engine.
    pub fn attach_auth(&mut self, handle: AuthHandle) {
        self.auth = Some(Arc::new(handle));
    }

    /// Text the run loop should copy to the clipboard (OSC 52), oldest first.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        std::mem::take(&mut self.clipboard)
    }

    /// Editor and pager runs the run loop should carry out, oldest first.
    pub fn take_external(&mut self) -> Vec<ExternalRequest> {
        std::mem::take(&mut self.external)
    }

    pub fn carry_out(&mut self, effect: Effect) {
        self.requests.retain(|_, handle| !handle.is_finished());
        match effect {
            Effect::Send { id, request } => {
                let tx = self.tx.clone();
                let client = self.client();
                let auth = self.auth.clone();
                let task = tokio::spawn(async move {
                    let client = match client {
                        Ok(client) => client,
                        Err(message) => {
                            let _ = tx.send(Action::RequestFailed { id, message });
                            return;
                        }
                    };
                    let action = match crate::auth::send_with_auth(&client, &request, auth.as_deref()).await {
                        Ok(sent) => match tokio::task::spawn_blocking(move || prepare_response(sent.response)).await {
                            Ok(ready) => Action::Response { id, ready: Box::new(ready) },
                            Err(e) => {
                                Action::RequestFailed { id, message: format!("reading the response failed: {e}") }
                            }
                        },
                        Err(e) => Action::RequestFailed { id, message: e.to_string() },
                    };
                    let _ = tx.send(action);
                });
                self.requests.insert(id, task.abort_handle());
            }
            Effect::Cancel(id) => {
                if let Some(handle) = self.requests.remove(&id) {
                    handle.abort();
                }
            }
            Effect::LoadSpec { url } => {
                let tx = self.tx.clone();
                let client = self.client();
                let cache = self.spec_cache.clone();
                tokio::spawn(async move {
                    // A kept catalogue comes first, then the fetched one if it differs: each as a `SpecLoaded`.
                    let show = |result: Result<crate::api::Catalogue, crate::api::spec_source::SpecLoadError>| {
                        let _ = tx.send(Action::SpecLoaded(result.map(Box::new).map_err(|e| e.to_string())));
                    };
                    match client {
                        Ok(client) => crate::api::spec_source::load(&client, &url, cache.as_ref(), show).await,
                        Err(message) => {
                            let _ = tx.send(Action::SpecLoaded(Err(format!("{url}: {message}"))));
                        }
                    }
                });
            }
            Effect::Auth(command) => {
                if let Some(auth) = &self.auth {
                    auth.send(command);
                }
            }
            Effect::Copy(text) => self.clipboard.push(text),
            Effect::Inspector(effect) => self.external.extend(inspector_jobs::carry_out(&self.tx, effect)),
            Effect::DemoApprove { authorize_url } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = crate::demo::approve(&authorize_url).await.map_err(|e| e.to_string());
                    let _ = tx.send(Action::DemoApproved(result));
                });
            }
            Effect::DemoEndSession { end_session_url } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = crate::demo::end_session(&end_session_url).await.map_err(|e| e.to_string());
                    let _ = tx.send(Action::DemoApproved(result));
                });
            }
            Effect::Claims { include_raw } => {
                let (tx, auth) = (self.tx.clone(), self.auth.clone());
                tokio::spawn(async move {
                    let result = match auth {
                        Some(auth) => claims_response(&auth, include_raw).await,
                        None => Err("there is no sign-in engine".to_string()),
                    };
                    let _ = tx.send(Action::Claims(result));
                });
            }
        }
    }

    /// Stops every request still running.
    pub fn shutdown(&mut self) {
        for (_, handle) in self.requests.drain() {
            handle.abort();
        }
    }

    fn client(&mut self) -> Result<Http, String> {
        if let Some(client) = &self.client {
            return Ok(client.clone());
        }
        let client = Http::new(&self.settings, Purpose::Api).map_err(|e| e.to_string())?;
        self.client = Some(client.clone());
        Ok(client)
    }
}
