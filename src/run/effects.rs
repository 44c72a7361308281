//! Carrying out effects: background tasks whose results come back as actions.

use std::collections::HashMap;
use std::sync::Arc;

use tokio::sync::mpsc::UnboundedSender;
use tokio::task::AbortHandle;

use crate::api::spec_cache::SpecCache;
use crate::app::{Action, Effect, RequestId, prepare_response};
use crate::auth::AuthHandle;
use crate::http::{Http, HttpSettings, Purpose};
use crate::workspace::ExchangeState;

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
    /// Starts an auth engine for a profile (the explorer has one; tests may not): for a profile switch.
    spawner: Option<AuthSpawner>,
    /// Stops the engine in use, at a switch or at the end.
    stopper: Option<crate::auth::AuthStopper>,
    /// Where what the person said about spec-born APIs is kept (none in tests that do not ask for it).
    remembered_file: Option<RememberedFile>,
    /// Where the day's work is kept (none in tests that keep no files).
    workspace: Option<crate::workspace::WorkspaceDirs>,
    secrets: super::day_jobs::Secrets,
    /// Exchanges on their way that the history keeps, by request.
    captures: HashMap<RequestId, super::recording::Capture>,
    /// Exchanges the history could not take yet (a full disk).
    unwritten: super::unwritten::Unwritten,
}

/// The file that keeps what the person said about spec-born APIs, and which of the saves asked of it is the
/// newest written.
struct RememberedFile {
    path: std::path::PathBuf,
    asked: u64,
    written: Arc<std::sync::Mutex<u64>>,
}

/// Runs save number `this` unless a newer one was written already: saves run on the blocking pool in any order,
/// and each holds the whole file, so an older one written last would undo a newer one.
fn unless_stale<T>(written: &std::sync::Mutex<u64>, this: u64, save: impl FnOnce() -> T) -> Option<T> {
    let mut newest = written.lock().ok()?;
    if *newest > this {
        return None;
    }
    *newest = this;
    Some(save())
}

/// Starts an auth engine for a profile, its events sent as actions only while it is the engine in use.
pub struct AuthSpawner {
    spawn: Box<dyn Fn(&crate::config::Profile) -> AuthHandle + Send>,
}

impl AuthSpawner {
    /// Engines for profiles under `dirs`, reporting to `tx`.
    pub fn new(tx: UnboundedSender<Action>, dirs: crate::config::AppDirs, open_browser: bool) -> AuthSpawner {
        let generations = Arc::new(std::sync::atomic::AtomicU64::new(0));
        let spawn = Box::new(move |profile: &crate::config::Profile| {
            use std::sync::atomic::Ordering;
            let generation = generations.fetch_add(1, Ordering::SeqCst) + 1;
            let (tx, current) = (tx.clone(), Arc::clone(&generations));
            let config = crate::auth::AuthConfig::from_profile(profile, &dirs, open_browser);
            crate::auth::spawn(config, move |event| {
                // A replaced engine may still report (a refresh it had on its way): that is not this session's news.
                if current.load(Ordering::SeqCst) == generation {
                    let _ = tx.send(Action::Auth(event));
                }
            })
        });
        AuthSpawner { spawn }
    }
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
            spawner: None,
            stopper: None,
            remembered_file: None,
            workspace: None,
            secrets: super::day_jobs::Secrets::default(),
            captures: HashMap::new(),
            unwritten: super::unwritten::Unwritten::default(),
        }
    }

    /// Keeps the day's work (history, saved requests, variables) in `dirs`.
    pub fn keep_workspace_in(&mut self, dirs: crate::workspace::WorkspaceDirs) {
        self.workspace = Some(dirs);
    }

    /// Starts engines with `spawner`, the first one for `profile` now.
    pub fn use_spawner(&mut self, spawner: AuthSpawner, profile: &crate::config::Profile) {
        let handle = (spawner.spawn)(profile);
        self.spawner = Some(spawner);
        self.attach_auth(handle);
    }

    /// The engine in use stops (waiting a few seconds at most for a refresh or sign-out on its way to be saved).
    /// Answers what the person should read once the screen is gone: what could not be written.
    pub async fn finish(&mut self) -> Vec<String> {
        self.shutdown();
        let session = match self.stopper.take() {
            Some(stopper) => stopper.stop().await,
            None => None,
        };
        session.into_iter().chain(self.unwritten.last_try()).collect()
    }

    /// Switches to `profile`: its HTTP settings, and an engine of its own that restores its session.
    fn use_profile(&mut self, profile: &crate::config::Profile) {
        self.settings = HttpSettings::for_profile(profile);
        self.client = None;
        let Some(spawner) = &self.spawner else {
            tracing::warn!("a profile switch without an auth engine to restart");
            return;
        };
        if let Some(old) = self.stopper.take() {
            drop(tokio::spawn(old.stop()));
        }
        let handle = (spawner.spawn)(profile);
        self.attach_auth(handle);
        if let Some(auth) = &self.auth {
            auth.send(crate::auth::AuthCommand::Restore);
        }
        tracing::info!(profile = %profile.label(), "switched profile");
    }

    /// Keeps what the person says about spec-born APIs at `path`.
    pub fn remember_at(&mut self, path: std::path::PathBuf) {
        // The spec's credentials are kept in the same data directory (`credentials.json`, or the keyring).
        if let Some(dir) = path.parent() {
            self.secrets.credentials.keep_in(dir.to_path_buf());
        }
        self.remembered_file = Some(RememberedFile { path, asked: 0, written: Arc::default() });
    }

    pub fn use_spec_cache(&mut self, cache: SpecCache) {
        self.spec_cache = Some(cache);
    }

    /// Connects the auth engine.
    pub fn attach_auth(&mut self, handle: AuthHandle) {
        self.stopper = Some(handle.stopper());
        self.auth = Some(Arc::new(handle));
    }

    /// Whether an auth engine is connected.
    pub fn has_auth(&self) -> bool {
        self.auth.is_some()
    }

    /// Text the run loop should copy to the clipboard (OSC 52), oldest first.
    pub fn take_clipboard(&mut self) -> Vec<String> {
        std::mem::take(&mut self.clipboard)
    }

    /// Editor and pager runs the run loop should carry out, oldest first.
    pub fn take_external(&mut self) -> Vec<ExternalRequest> {
        std::mem::take(&mut self.external)
    }

    #[allow(clippy::too_many_lines)] // One arm per effect.
    pub fn carry_out(&mut self, effect: Effect) {
        self.requests.retain(|_, handle| !handle.is_finished());
        let requests = &self.requests;
        self.captures.retain(|id, _| requests.contains_key(id));
        match effect {
            Effect::Send { id, request, history } => {
                let tx = self.tx.clone();
                let client = self.client();
                let auth = self.auth.clone();
                let capture = match (history, &self.workspace) {
                    (Some(record), Some(dirs)) => Some(
                        super::recording::Capture::new(
                            *record,
                            &request,
                            id,
                            dirs.clone(),
                            self.secrets.clone(),
                            self.auth.clone(),
                            self.tx.clone(),
                        )
                        .holding_in(&self.unwritten),
                    ),
                    _ => None,
                };
                if let Some(capture) = &capture {
                    self.captures.insert(id, capture.clone());
                }
                let credentials = self.secrets.credentials.clone();
                let task = tokio::spawn(async move {
                    let request = super::credential_jobs::on_the_wire(&credentials, request, &tx).await;
                    let client = match client {
                        Ok(client) => client,
                        Err(message) => {
                            if let Some(capture) = &capture {
                                let _ = capture.keep(ExchangeState::Failed { message: message.clone() }).await;
                            }
                            let _ = tx.send(Action::RequestFailed { id, message });
                            return;
                        }
                    };
                    let read = async {
                        let (started, _) =
                            crate::auth::start_with_auth(&client, &request.wire, auth.as_deref()).await?;
                        if let Some(capture) = &capture {
                            capture.head(started.status(), started.reason(), started.headers());
                        }
                        let mut streaming = super::streaming::Streaming::new(id, &started, tx.clone());
                        crate::api::client::read_observed(started, |chunk| {
                            if let Some(capture) = &capture {
                                capture.chunk(chunk);
                            }
                            streaming.chunk(chunk);
                        })
                        .await
                    };
                    let action = match read.await {
                        Ok(mut response) => {
                            // The key a query parameter carried is not shown: the URL as it was asked for.
                            response.url.clone_from(&request.shown_url);
                            if let Some(capture) = &capture {
                                let _ = capture.keep(ExchangeState::Complete).await;
                            }
                            match tokio::task::spawn_blocking(move || prepare_response(response)).await {
                                Ok(ready) => Action::Response { id, ready: Box::new(ready) },
                                Err(e) => {
                                    Action::RequestFailed { id, message: format!("reading the response failed: {e}") }
                                }
                            }
                        }
                        Err(e) => {
                            let message = e.to_string();
                            if let Some(capture) = &capture {
                                let _ = capture.keep(ExchangeState::Failed { message: message.clone() }).await;
                            }
                            Action::RequestFailed { id, message }
                        }
                    };
                    let _ = tx.send(action);
                });
                self.requests.insert(id, task.abort_handle());
            }
            Effect::Cancel(id) => {
                if let Some(handle) = self.requests.remove(&id) {
                    handle.abort();
                }
                // What had come is kept, as cancelled (unless it had ended already and was kept as it ended).
                if let Some(capture) = self.captures.remove(&id) {
                    tokio::spawn(async move { capture.keep(ExchangeState::Cancelled).await });
                }
            }
            Effect::Workspace(effect) => {
                let dirs = self.workspace.as_ref();
                if let Some(line) = super::day_jobs::carry_out(&self.tx, dirs, &self.secrets, self.auth.clone(), effect)
                {
                    self.clipboard.push(line);
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
            Effect::DemoApproveToLanding { authorize_url } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let action = match crate::demo::approve_to_landing(&authorize_url).await {
                        Ok(landing) => Action::DemoLanded(landing),
                        Err(e) => Action::DemoApproved(Err(e.to_string())),
                    };
                    let _ = tx.send(action);
                });
            }
            Effect::DemoEndSession { end_session_url } => {
                let tx = self.tx.clone();
                tokio::spawn(async move {
                    let result = crate::demo::end_session(&end_session_url).await.map_err(|e| e.to_string());
                    let _ = tx.send(Action::DemoApproved(result));
                });
            }
            Effect::UseProfile(profile) => self.use_profile(&profile),
            Effect::KeepCredential { store, origin, scheme, value } => {
                self.secrets.credentials.keep(store, origin, scheme, value, &self.tx);
            }
            Effect::Remember(remembered) => {
                let Some(file) = &mut self.remembered_file else { return };
                file.asked += 1;
                let (tx, path, this, written) =
                    (self.tx.clone(), file.path.clone(), file.asked, Arc::clone(&file.written));
                tokio::task::spawn_blocking(move || {
                    let saved = unless_stale(&written, this, || remembered.save(&path));
                    if let Some(Err(message)) = saved {
                        tracing::warn!("{message}");
                        let _ = tx.send(Action::Failed(format!("Not remembered for next time: {message}")));
                    }
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

    /// Stops every request still running; the history keeps what came of each so far, as cut off by quitting.
    pub fn shutdown(&mut self) {
        for (id, handle) in self.requests.drain() {
            let finished = handle.is_finished();
            handle.abort();
            if let Some(capture) = self.captures.remove(&id)
                && !finished
            {
                capture.keep_now(ExchangeState::Interrupted);
            }
        }
        self.captures.clear();
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

#[cfg(test)]
mod tests {
    use super::unless_stale;

    #[test]
    fn a_save_that_arrives_after_a_newer_one_is_skipped() {
        let written = std::sync::Mutex::new(0);
        assert_eq!(unless_stale(&written, 2, || "second"), Some("second"));
        assert_eq!(unless_stale(&written, 1, || "first"), None, "older than what is on disk");
        assert_eq!(unless_stale(&written, 3, || "third"), Some("third"));
    }
}
