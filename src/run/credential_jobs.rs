//! The values of a spec's apiKey and http credentials for the run loop: read from where they are kept once and
//! held in memory for the run, put into the request on the wire only, kept when the person types one, and known
//! to every scrubber so no kept file holds them.

use std::collections::HashMap;
use std::path::PathBuf;
use std::sync::{Arc, Mutex};

use tokio::sync::mpsc::UnboundedSender;

use crate::api::credentials::{CredentialUse, Credentials};
use crate::api::request::PreparedRequest;
use crate::app::Action;
use crate::config::TokenStoreKind;
use crate::secret::Secret;
use crate::workspace::credentials::CredentialStore;

/// By the API's origin and the scheme's name.
type Held = HashMap<(String, String), Secret>;

#[derive(Debug, Clone, Default)]
pub struct CredentialValues {
    held: Arc<Mutex<Held>>,
    /// The data directory; none in tests that keep no files (values then last for the run only).
    data_dir: Option<PathBuf>,
    /// Held while a value is kept: each keep reads the file (or keyring entry) and writes it back with its value,
    /// so two at once would lose one.
    keeping: Arc<Mutex<()>>,
}

impl CredentialValues {
    pub fn keep_in(&mut self, data_dir: PathBuf) {
        self.data_dir = Some(data_dir);
    }

    fn store(&self, kind: TokenStoreKind) -> Option<CredentialStore> {
        self.data_dir.as_deref().map(|dir| CredentialStore::new(kind, dir))
    }

    fn held(&self, origin: &str, scheme: &str) -> Option<Secret> {
        self.held.lock().ok()?.get(&(origin.to_string(), scheme.to_string())).cloned()
    }

    /// The values `credentials` names, and the schemes that have none kept.
    pub async fn values(&self, credentials: &Credentials) -> (Vec<(CredentialUse, Secret)>, Vec<String>) {
        let unheld = credentials.uses.iter().any(|u| self.held(&credentials.api, &u.scheme).is_none());
        let kind = if credentials.in_keyring { TokenStoreKind::Keyring } else { TokenStoreKind::File };
        if let (true, Some(store)) = (unheld, self.store(kind)) {
            let origin = credentials.api.clone();
            let read = tokio::task::spawn_blocking(move || store.read(&origin)).await;
            match read {
                Ok(Ok(values)) => {
                    if let Ok(mut held) = self.held.lock() {
                        for (scheme, value) in values {
                            held.insert((credentials.api.clone(), scheme), value);
                        }
                    }
                }
                Ok(Err(message)) => tracing::warn!("the kept credentials could not be read: {message}"),
                Err(e) => tracing::warn!("reading the kept credentials stopped: {e}"),
            }
        }
        let mut values = Vec::new();
        let mut missing = Vec::new();
        for credential in &credentials.uses {
            match self.held(&credentials.api, &credential.scheme) {
                Some(value) => values.push((credential.clone(), value)),
                None => missing.push(credential.scheme.clone()),
            }
        }
        (values, missing)
    }

    /// Holds `value` for the run at once, and keeps it where the profile keeps its tokens; says so when it could
    /// not be kept (it is still used for this run).
    pub fn keep(
        &self,
        kind: TokenStoreKind,
        origin: String,
        scheme: String,
        value: Secret,
        tx: &UnboundedSender<Action>,
    ) {
        if let Ok(mut held) = self.held.lock() {
            held.insert((origin.clone(), scheme.clone()), value.clone());
        }
        let Some(store) = self.store(kind) else { return };
        let (tx, keeping) = (tx.clone(), Arc::clone(&self.keeping));
        tokio::task::spawn_blocking(move || {
            let _one_at_a_time = keeping.lock();
            if let Err(message) = store.keep(&origin, &scheme, &value) {
                tracing::warn!("a credential could not be kept: {message}");
                let _ = tx.send(Action::Failed(format!(
                    "The value for {scheme} could not be kept ({message}): it is used until zorgtui quits"
                )));
            }
        });
    }

    /// Every value held, for scrubbing what is kept on disk.
    pub fn all(&self) -> Vec<Secret> {
        self.held.lock().map(|held| held.values().cloned().collect()).unwrap_or_default()
    }
}

/// A request as it goes out, and the URL to show for its answer.
pub struct OnTheWire {
    pub wire: PreparedRequest,
    pub shown_url: String,
}

/// `request` with the values of the credentials it names put in; a scheme whose value is no longer kept is told
/// (`Action::CredentialGone`), and the request goes without it.
pub async fn on_the_wire(
    values: &CredentialValues,
    request: PreparedRequest,
    tx: &UnboundedSender<Action>,
) -> OnTheWire {
    let shown_url = request.url.clone();
    let Some(credentials) = &request.credentials else { return OnTheWire { wire: request, shown_url } };
    let (held, missing) = values.values(credentials).await;
    for scheme in missing {
        let _ = tx.send(Action::CredentialGone { origin: credentials.api.clone(), scheme });
    }
    OnTheWire { wire: crate::api::credentials::apply(&request, &held), shown_url }
}
