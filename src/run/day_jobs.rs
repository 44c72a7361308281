//! The files of the day's work, for the run loop: a profile's history, saved requests and variables read and
//! written on blocking threads (each file replaced atomically, secrets taken out by value first), an exchange opened
//! from the history, a request copied as a curl line.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::app::day::{CurlToken, Loaded, OpenPurpose, OpenedExchange, WorkspaceEffect, WorkspaceEvent, Written};
use crate::app::{Action, prepare_response};
use crate::auth::AuthHandle;
use crate::config::SecretSource;
use crate::secret::Secret;
use crate::workspace::{Scrubber, Variables, WorkspaceDirs, saved};

/// The secrets to take out of what is kept: the client secrets read so far, by profile store key (a command or
/// the keyring is asked once per run, not for every exchange).
#[derive(Debug, Clone, Default)]
pub struct Secrets {
    client: Arc<Mutex<HashMap<String, Option<Secret>>>>,
    /// The spec's apiKey and http credentials given in this run or read for it.
    pub credentials: super::credential_jobs::CredentialValues,
}

impl Secrets {
    /// The profile's client secret, when it has one that can be read.
    pub async fn client_secret(&self, store_key: &str, source: Option<&SecretSource>) -> Option<Secret> {
        let source = source?;
        if let Some(known) = self.client.lock().ok().and_then(|m| m.get(store_key).cloned()) {
            return known;
        }
        let read = match source {
            SecretSource::Inline(secret) => Some(secret.clone()),
            SecretSource::Refused(_) => None,
            other => tokio::time::timeout(
                std::time::Duration::from_secs(10),
                crate::auth::client_auth::read_secret(other, store_key),
            )
            .await
            .ok()
            .and_then(Result::ok),
        };
        if let Ok(mut map) = self.client.lock() {
            map.insert(store_key.to_string(), read.clone());
        }
        read
    }

    /// The client secret read before for `store_key`, without reading it again.
    pub fn known(&self, store_key: &str) -> Option<Secret> {
        self.client.lock().ok().and_then(|m| m.get(store_key).cloned()).flatten()
    }

    /// A scrubber for the profile: its session's tokens (access, refresh, ID), its client secret and the credentials.
    pub async fn scrubber(
        &self,
        store_key: &str,
        source: Option<&SecretSource>,
        auth: Option<&AuthHandle>,
    ) -> Scrubber {
        let tokens = auth.map(AuthHandle::session_secrets).unwrap_or_default();
        let secret = self.client_secret(store_key, source).await;
        let credentials = self.credentials.all();
        Scrubber::new(tokens.iter().chain(secret.iter()).chain(credentials.iter()))
    }
}

#[allow(clippy::too_many_lines)] // One arm per file of the day's work, each short.
/// Carries out `effect` in the background; what came of it is sent as `Action::Workspace`. Without `dirs` (tests
/// that keep no files) a profile has nothing to read and writes go nowhere.
pub fn carry_out(
    tx: &UnboundedSender<Action>,
    dirs: Option<&WorkspaceDirs>,
    secrets: &Secrets,
    auth: Option<Arc<AuthHandle>>,
    effect: WorkspaceEffect,
) -> Option<String> {
    let send = {
        let tx = tx.clone();
        move |event: WorkspaceEvent| {
            let _ = tx.send(Action::Workspace(event));
        }
    };
    let dirs = dirs.cloned();
    match effect {
        WorkspaceEffect::Load { profile_key } => {
            tokio::task::spawn_blocking(move || {
                let loaded = match dirs {
                    Some(dirs) => Loaded {
                        history: dirs.history(&profile_key).list().map_err(|e| e.to_string()),
                        saved: saved::load(&dirs.saved_file(&profile_key)).map_err(|e| e.to_string()),
                        variables: Variables::load(&dirs.variables_file(&profile_key)).map_err(|e| e.to_string()),
                        profile_key,
                    },
                    None => Loaded {
                        profile_key,
                        history: Ok(Vec::new()),
                        saved: Ok(Vec::new()),
                        variables: Ok(Variables::default()),
                    },
                };
                send(WorkspaceEvent::Loaded(Box::new(loaded)));
            });
        }
        WorkspaceEffect::SaveRequests { profile_key, profile_label, requests, client_secret } => {
            let secrets = secrets.clone();
            tokio::spawn(async move {
                let scrub = secrets.scrubber(&profile_key, client_secret.as_ref(), auth.as_deref()).await;
                let result = tokio::task::spawn_blocking(move || {
                    let mut taken = 0;
                    let clean: Vec<_> = requests
                        .into_iter()
                        .map(|r| {
                            let (r, n) = r.scrubbed(&scrub);
                            taken += n;
                            r
                        })
                        .collect();
                    match dirs {
                        Some(dirs) => saved::save(&dirs.saved_file(&profile_key), &clean, &profile_label)
                            .map(|()| taken)
                            .map_err(|e| e.to_string()),
                        None => Ok(taken),
                    }
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                send(WorkspaceEvent::Written { what: Written::SavedRequests, result });
            });
        }
        WorkspaceEffect::SaveVariables { profile_key, profile_label, variables, client_secret } => {
            let secrets = secrets.clone();
            tokio::spawn(async move {
                let scrub = secrets.scrubber(&profile_key, client_secret.as_ref(), auth.as_deref()).await;
                let result = tokio::task::spawn_blocking(move || {
                    let mut clean = Variables::default();
                    let mut taken = 0;
                    for (name, value) in variables.iter() {
                        let (value, n) = scrub.text(value);
                        taken += n;
                        clean.set(name, &value);
                    }
                    match dirs {
                        Some(dirs) => clean
                            .save(&dirs.variables_file(&profile_key), &profile_label)
                            .map(|()| taken)
                            .map_err(|e| e.to_string()),
                        None => Ok(taken),
                    }
                })
                .await
                .unwrap_or_else(|e| Err(e.to_string()));
                send(WorkspaceEvent::Written { what: Written::Variables, result });
            });
        }
        WorkspaceEffect::Open { profile_key, id, purpose } => {
            tokio::task::spawn_blocking(move || {
                let result = match dirs {
                    Some(dirs) => dirs.history(&profile_key).load(&id).map_err(|e| e.to_string()),
                    None => Err("this run keeps no history".to_string()),
                }
                .map(|exchange| {
                    let ready = (purpose == OpenPurpose::Show).then(|| kept_response(&exchange)).flatten();
                    Box::new(OpenedExchange { exchange, ready })
                });
                send(WorkspaceEvent::Opened { profile_key, purpose, result });
            });
        }
        WorkspaceEffect::CopyCurl { request, token, profile } => {
            let live = token == CurlToken::Live;
            let env: Vec<(String, String)> = ["ZORGTUI_CONFIG", "ZORGTUI_DATA_DIR", "ZORGTUI_STATE_DIR"]
                .iter()
                .filter_map(|name| std::env::var(name).ok().map(|v| ((*name).to_string(), v)))
                .collect();
            let command = crate::workspace::curl::TokenCommand::for_profile(&profile, &env);
            let live_token = auth.as_deref().and_then(|a| a.token().borrow().clone());
            let curl_token = match (token, &live_token) {
                (CurlToken::None, _) => crate::workspace::curl::CurlToken::None,
                (CurlToken::Command, _) => crate::workspace::curl::CurlToken::Command(&command),
                (CurlToken::Live, Some(secret)) => crate::workspace::curl::CurlToken::Live(secret),
                (CurlToken::Live, None) => {
                    send(WorkspaceEvent::Copied { live, result: Err("not signed in: there is no token".into()) });
                    return None;
                }
            };
            let curl_line = crate::workspace::curl::command_line(
                request.method.as_str(),
                &request.url,
                &request.headers,
                request.body.as_deref(),
                curl_token,
            );
            match curl_line {
                Ok(text) => {
                    send(WorkspaceEvent::Copied { live, result: Ok(text.len()) });
                    return Some(text);
                }
                Err(e) => send(WorkspaceEvent::Copied { live, result: Err(e.to_string()) }),
            }
        }
    }
    None
}

/// The answer of a kept exchange, made ready for the inspector as a fresh one would be; `None` when no answer came.
fn kept_response(exchange: &crate::workspace::Exchange) -> Option<crate::app::ReadyResponse> {
    let kept = exchange.response.as_ref()?;
    let body = kept.body.bytes().unwrap_or_else(|| {
        format!("The body ({} bytes) was larger than the history keeps (history_body_max_kb)", kept.size).into_bytes()
    });
    let response = crate::api::response::ApiResponse {
        status: kept.status,
        reason: kept.reason.clone(),
        headers: kept.headers.clone(),
        body: bytes::Bytes::from(body),
        elapsed: std::time::Duration::from_millis(kept.elapsed_ms),
        url: exchange.request.url.clone(),
        spilled: None,
    };
    Some(prepare_response(response))
}
