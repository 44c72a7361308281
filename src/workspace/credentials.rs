//! The values of a spec's apiKey and http credentials, kept like a client secret: in `DATA/credentials.json`
//! (0600, replaced atomically; by the API's origin, then the scheme's name), or in the OS keyring when the profile
//! keeps its tokens there (one entry per API). Nowhere else: the history, saved requests and variables are
//! scrubbed of them by value, and `apis.json` holds only the names of the schemes that have a value.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use crate::config::TokenStoreKind;
use crate::secret::Secret;

/// The file under the data directory.
pub const CREDENTIALS_FILE: &str = "credentials.json";
/// The keyring's service name, as for sessions; the entry's user name is `credentials ORIGIN`.
const KEYRING_SERVICE: &str = "zorgtui";
/// A credentials file is small; anything larger is not ours.
const MAX_FILE: u64 = 1 << 20;

type ByApi = BTreeMap<String, BTreeMap<String, String>>;

/// Where the values are kept.
#[derive(Debug, Clone)]
pub enum CredentialStore {
    File(PathBuf),
    Keyring,
}

impl CredentialStore {
    /// The store a profile keeping its tokens as `kind` uses, under `data_dir`.
    pub fn new(kind: TokenStoreKind, data_dir: &Path) -> CredentialStore {
        match kind {
            TokenStoreKind::File => CredentialStore::File(data_dir.join(CREDENTIALS_FILE)),
            TokenStoreKind::Keyring => CredentialStore::Keyring,
        }
    }

    /// The values kept for the API at `origin`, by scheme.
    pub fn read(&self, origin: &str) -> Result<BTreeMap<String, Secret>, String> {
        let values = match self {
            CredentialStore::File(path) => read_file(path)?.remove(origin).unwrap_or_default(),
            CredentialStore::Keyring => match keyring_entry(origin)?.get_password() {
                Ok(text) => serde_json::from_str(&text).map_err(|e| format!("the keyring entry for {origin}: {e}"))?,
                Err(keyring::Error::NoEntry) => BTreeMap::new(),
                Err(e) => return Err(keyring_text(&e)),
            },
        };
        Ok(values.into_iter().map(|(scheme, value)| (scheme, Secret::new(value))).collect())
    }

    /// Keeps `value` for `scheme` of the API at `origin`, beside the others.
    pub fn keep(&self, origin: &str, scheme: &str, value: &Secret) -> Result<(), String> {
        match self {
            CredentialStore::File(path) => {
                let mut all = read_file(path)?;
                all.entry(origin.to_string()).or_default().insert(scheme.to_string(), value.expose().to_string());
                let bytes = serde_json::to_vec_pretty(&all).map_err(|e| e.to_string())?;
                if let Some(dir) = path.parent() {
                    crate::private_files::private_dir(dir).map_err(|e| format!("{}: {e}", dir.display()))?;
                }
                crate::private_files::write_atomic(path, &bytes).map_err(|e| format!("{}: {e}", path.display()))
            }
            CredentialStore::Keyring => {
                let mut values: BTreeMap<String, String> =
                    self.read(origin)?.into_iter().map(|(k, v)| (k, v.expose().to_string())).collect();
                values.insert(scheme.to_string(), value.expose().to_string());
                let text = serde_json::to_string(&values).map_err(|e| e.to_string())?;
                keyring_entry(origin)?.set_password(&text).map_err(|e| keyring_text(&e))
            }
        }
    }
}

fn read_file(path: &Path) -> Result<ByApi, String> {
    let text = crate::private_files::read_to_string(path, MAX_FILE).map_err(|e| format!("{}: {e}", path.display()))?;
    match text {
        None => Ok(ByApi::new()),
        Some(text) => serde_json::from_str(&text).map_err(|e| {
            format!("{} is not what zorgtui wrote ({e}): delete it, and the values are asked for again", path.display())
        }),
    }
}

fn keyring_entry(origin: &str) -> Result<keyring::Entry, String> {
    keyring::Entry::new(KEYRING_SERVICE, &format!("credentials {origin}")).map_err(|e| keyring_text(&e))
}

fn keyring_text(error: &keyring::Error) -> String {
    format!("the OS keyring: {error} — start a keyring (Secret Service) or set token_store = \"file\"")
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]

    use std::os::unix::fs::PermissionsExt as _;

    use super::*;

    #[test]
    fn values_are_kept_by_api_and_scheme_in_a_private_file() {
        let dir = tempfile::tempdir().unwrap();
        let store = CredentialStore::new(TokenStoreKind::File, &dir.path().join("data"));
        assert!(store.read("https://a.example").unwrap().is_empty(), "nothing kept yet");
        store.keep("https://a.example", "key", &Secret::new("k-1")).unwrap();
        store.keep("https://a.example", "basic", &Secret::new("ann:pw")).unwrap();
        store.keep("https://b.example", "key", &Secret::new("k-2")).unwrap();
        store.keep("https://a.example", "key", &Secret::new("k-3")).unwrap();
        let a = store.read("https://a.example").unwrap();
        assert_eq!(a.get("key").map(Secret::expose), Some("k-3"), "kept again: replaced");
        assert_eq!(a.get("basic").map(Secret::expose), Some("ann:pw"));
        assert_eq!(store.read("https://b.example").unwrap()["key"].expose(), "k-2");
        let path = dir.path().join("data").join(CREDENTIALS_FILE);
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        std::fs::write(&path, "not json").unwrap();
        assert!(store.read("https://a.example").unwrap_err().contains("delete it"), "a broken file says what to do");
    }
}
