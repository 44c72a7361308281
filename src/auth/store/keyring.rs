//! The session in the OS keyring (Secret Service on Linux, Keychain on macOS), opted in with
//! `token_store = "keyring"`. The lock file stays in the data dir: the keyring has no lock of its own.

use crate::auth::error::AuthError;

/// The keyring's service name; the profile's store key is the entry's user name.
const SERVICE: &str = "zorgtui";

#[derive(Debug, Clone)]
pub struct KeyringBackend {
    user: String,
}

impl KeyringBackend {
    pub fn new(key: &str) -> KeyringBackend {
        KeyringBackend { user: key.to_string() }
    }

    fn entry(&self) -> Result<keyring::Entry, AuthError> {
        keyring::Entry::new(SERVICE, &self.user).map_err(|e| keyring_error(&e))
    }

    pub fn read(&self) -> Result<Option<String>, AuthError> {
        match self.entry()?.get_password() {
            Ok(text) => Ok(Some(text)),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(keyring_error(&e)),
        }
    }

    pub fn write(&self, text: &str) -> Result<(), AuthError> {
        self.entry()?.set_password(text).map_err(|e| keyring_error(&e))
    }

    pub fn delete(&self) -> Result<(), AuthError> {
        match self.entry()?.delete_credential() {
            Ok(()) | Err(keyring::Error::NoEntry) => Ok(()),
            Err(e) => Err(keyring_error(&e)),
        }
    }
}

/// Whether an OS keyring can be reached here (no Secret Service on a headless box, for one).
pub fn available() -> bool {
    keyring::Entry::store_status().is_ok()
}

fn keyring_error(error: &keyring::Error) -> AuthError {
    AuthError::Store(format!(
        "the OS keyring: {} — start a keyring (Secret Service) or set token_store = \"file\"",
        crate::auth::error::network_text(&error.to_string())
    ))
}
