//! Keeping exchanges in the history, however they end: answered, failed, cancelled, or cut off by quitting (with
//! what had come so far). The request's task fills a [`Capture`] as the answer arrives; whoever sees the end first
//! (the task, a cancel, the end of the run) keeps it, once.

use std::sync::{Arc, Mutex};
use std::time::{Instant, SystemTime, UNIX_EPOCH};

use tokio::sync::mpsc::UnboundedSender;

use super::day_jobs::Secrets;
use super::unwritten::{Held, Unwritten};
use crate::api::request::PreparedRequest;
use crate::app::day::{HistoryRecord, WorkspaceEvent};
use crate::app::{Action, RequestId};
use crate::auth::AuthHandle;
use crate::secret::Secret;
use crate::workspace::history::{KeptRequest, KeptResponse, StoredBody, new_id};
use crate::workspace::{Exchange, ExchangeState, REDACTED, Scrubber, WorkspaceDirs};

/// The status, reason and headers of an answer.
type Head = (u16, String, Vec<(String, String)>);

/// What has come of one exchange so far.
#[derive(Debug, Default)]
struct Progress {
    head: Option<Head>,
    /// The body up to one byte past the cap (so that "too large" is known).
    body: Vec<u8>,
    received: u64,
    /// Kept already: nothing more is written.
    kept: bool,
}

/// One exchange on its way, to be kept.
#[derive(Clone)]
pub struct Capture {
    record: Arc<HistoryRecord>,
    request: Arc<PreparedRequest>,
    id: RequestId,
    at_ms: u64,
    started: Instant,
    progress: Arc<Mutex<Progress>>,
    dirs: WorkspaceDirs,
    secrets: Secrets,
    auth: Option<Arc<AuthHandle>>,
    /// Secrets to take out besides the live token and the client secret (`zorgtui call`'s token).
    extra: Vec<crate::secret::Secret>,
    /// Where an exchange waits when the history cannot take it (a full disk), shared by the run's captures.
    unwritten: Unwritten,
    tx: UnboundedSender<Action>,
}

impl Capture {
    pub fn new(
        record: HistoryRecord,
        request: &PreparedRequest,
        id: RequestId,
        dirs: WorkspaceDirs,
        secrets: Secrets,
        auth: Option<Arc<AuthHandle>>,
        tx: UnboundedSender<Action>,
    ) -> Capture {
        let at_ms =
            SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(0));
        Capture {
            record: Arc::new(record),
            request: Arc::new(request.clone()),
            id,
            at_ms,
            started: Instant::now(),
            progress: Arc::default(),
            dirs,
            secrets,
            auth,
            extra: Vec::new(),
            unwritten: Unwritten::default(),
            tx,
        }
    }

    /// Holds an exchange the history cannot take in `unwritten`, with the run's others, for the next write.
    #[must_use]
    pub fn holding_in(mut self, unwritten: &Unwritten) -> Capture {
        self.unwritten = unwritten.clone();
        self
    }

    /// Takes `secret` out of what is kept too.
    #[must_use]
    pub fn with_secret(mut self, secret: Option<crate::secret::Secret>) -> Capture {
        self.extra.extend(secret);
        self
    }

    pub fn head(&self, status: u16, reason: String, headers: Vec<(String, String)>) {
        if let Ok(mut p) = self.progress.lock() {
            p.head = Some((status, reason, headers));
        }
    }

    pub fn chunk(&self, bytes: &[u8]) {
        let cap = usize::try_from(self.record.body_cap).unwrap_or(usize::MAX).saturating_add(1);
        if let Ok(mut p) = self.progress.lock() {
            p.received += bytes.len() as u64;
            let room = cap.saturating_sub(p.body.len());
            p.body.extend_from_slice(&bytes[..bytes.len().min(room)]);
        }
    }

    /// The scrubber for this exchange's profile: its session's tokens now, and its client secret.
    async fn scrubber(&self) -> Scrubber {
        let tokens = self.session_secrets();
        let secret = self.secrets.client_secret(&self.record.profile_key, self.record.client_secret.as_ref()).await;
        Scrubber::new(tokens.iter().chain(secret.iter()).chain(self.extra.iter()))
    }

    /// The tokens of this profile's sessions (access, refresh, ID), and the spec's credentials given.
    fn session_secrets(&self) -> Vec<Secret> {
        let tokens = self.auth.as_deref().map(AuthHandle::session_secrets).unwrap_or_default();
        tokens.into_iter().chain(self.secrets.credentials.all()).collect()
    }

    /// Keeps the exchange as `state` says, on a blocking thread, and tells the explorer. An error says why it could
    /// not be written now (it is held for the next write).
    pub async fn keep(&self, state: ExchangeState) -> Result<(), String> {
        let scrub = self.scrubber().await;
        let Some(exchange) = self.exchange(state, &scrub) else { return Ok(()) };
        let this = self.clone();
        let result =
            tokio::task::spawn_blocking(move || this.write(exchange)).await.unwrap_or_else(|e| Err(e.to_string()));
        let outcome = result.as_ref().map(|_| ()).map_err(Clone::clone);
        let _ = self.tx.send(Action::Workspace(WorkspaceEvent::Recorded {
            profile_key: self.record.profile_key.clone(),
            request: self.id,
            summary: result,
        }));
        outcome
    }

    /// Keeps the exchange now, on this thread: at the end of the run, when there is no time for more.
    pub fn keep_now(&self, state: ExchangeState) {
        let tokens = self.session_secrets();
        let secret = match self.record.client_secret.as_ref() {
            Some(crate::config::SecretSource::Inline(secret)) => Some(secret.clone()),
            _ => self.secrets.known(&self.record.profile_key),
        };
        let scrub = Scrubber::new(tokens.iter().chain(secret.iter()).chain(self.extra.iter()));
        if let Some(exchange) = self.exchange(state, &scrub) {
            let _ = self.write(exchange);
        }
    }

    /// Writes the exchange (after any held before it); one that cannot be written is held.
    fn write(&self, exchange: Exchange) -> Result<crate::workspace::Summary, String> {
        self.unwritten.write(Held {
            store: self.dirs.history(&self.record.profile_key),
            limits: self.record.limits,
            profile_key: self.record.profile_key.clone(),
            request: self.id,
            exchange,
            tx: self.tx.clone(),
        })
    }

    /// The exchange as it stands, secrets taken out; `None` when it was kept already.
    fn exchange(&self, state: ExchangeState, scrub: &Scrubber) -> Option<Exchange> {
        let mut progress = self.progress.lock().ok()?;
        if progress.kept {
            return None;
        }
        progress.kept = true;
        let request = &self.request;
        let cap = self.record.body_cap;
        let mut headers = request.headers.clone();
        if request.with_token {
            headers.push(("Authorization".to_string(), REDACTED.to_string()));
        }
        let (headers, _) = scrub.headers(&headers);
        let body = request.body.as_deref().unwrap_or_default();
        let kept_request = KeptRequest {
            method: request.method.as_str().to_string(),
            url: scrub.clean(&request.url),
            base: self.record.base.clone(),
            operation: self.record.operation.clone(),
            headers,
            body: StoredBody::capture(body, body.len() as u64, cap, scrub),
            with_token: request.with_token,
        };
        let response = progress.head.as_ref().map(|(status, reason, headers)| KeptResponse {
            status: *status,
            reason: reason.clone(),
            headers: scrub.headers(headers).0,
            body: StoredBody::capture(&progress.body, progress.received, cap, scrub),
            size: progress.received,
            elapsed_ms: u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX),
        });
        Some(Exchange { id: new_id(self.at_ms), at_ms: self.at_ms, request: kept_request, response, state })
    }
}
