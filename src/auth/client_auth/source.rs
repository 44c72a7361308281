//! Reading a client secret from where the profile keeps it. What goes wrong is said without the secret, and
//! without what a command printed on stdout (that is where the secret would be).

use std::time::Duration;

use crate::auth::error::{AuthError, network_text};
use crate::config::SecretSource;
use crate::secret::Secret;

/// The keyring service client secrets are kept under; the entry's user is the profile's store key.
pub const KEYRING_SERVICE: &str = "zorgtui-client-secret";

/// How long `client_secret_command` may take: long enough to unlock a password store by hand.
const COMMAND_WAIT: Duration = Duration::from_secs(120);

/// The secret from `source`; `store_key` names the profile's keyring entry.
pub async fn read_secret(source: &SecretSource, store_key: &str) -> Result<Secret, AuthError> {
    let failed = |reason: String| AuthError::ClientAuth(reason);
    let secret = match source {
        SecretSource::Inline(secret) => secret.clone(),
        SecretSource::Refused(why) => return Err(failed(why.clone())),
        SecretSource::Env(name) => match std::env::var(name) {
            Ok(value) => Secret::new(value.trim_end_matches(['\r', '\n'])),
            Err(_) => return Err(failed(format!("client_secret_env names {name}, which is not set"))),
        },
        SecretSource::Command(command) => run_command(command).await?,
        SecretSource::Keyring => {
            let key = store_key.to_string();
            tokio::task::spawn_blocking(move || keyring_entry(&key)?.get_password())
                .await
                .map_err(|_| failed("the keyring task stopped".into()))?
                .map(Secret::new)
                .map_err(|e| match e {
                    keyring::Error::NoEntry => failed(format!(
                        "no client secret in the OS keyring for `{store_key}` — run `zorgtui secret set`"
                    )),
                    other => failed(format!("the OS keyring: {}", network_text(&other.to_string()))),
                })?
        }
    };
    if secret.is_empty() {
        return Err(failed("the client secret is empty".into()));
    }
    Ok(secret)
}

/// `sh -c COMMAND`, the first line of its stdout. Its stderr is kept from the screen (it would draw over the TUI)
/// and only its first line told when the command fails.
async fn run_command(command: &str) -> Result<Secret, AuthError> {
    let failed = |reason: String| AuthError::ClientAuth(format!("client_secret_command {reason}"));
    let child = tokio::process::Command::new("sh")
        .args(["-c", command])
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .kill_on_drop(true)
        .output();
    let output = tokio::time::timeout(COMMAND_WAIT, child)
        .await
        .map_err(|_| failed(format!("gave no answer within {} s", COMMAND_WAIT.as_secs())))?
        .map_err(|e| failed(format!("could not be run: {e}")))?;
    if !output.status.success() {
        let stderr = String::from_utf8_lossy(&output.stderr);
        let first = stderr.lines().next().unwrap_or("").trim();
        return Err(failed(format!(
            "failed ({}){}",
            output.status,
            if first.is_empty() { String::new() } else { format!(": {}", network_text(first)) }
        )));
    }
    let stdout = String::from_utf8(output.stdout).map_err(|_| failed("printed something that is not text".into()))?;
    let line = stdout.lines().next().unwrap_or("").trim_end_matches('\r');
    if line.is_empty() {
        return Err(failed("printed nothing on its first line".into()));
    }
    Ok(Secret::new(line))
}

fn keyring_entry(store_key: &str) -> Result<keyring::Entry, keyring::Error> {
    keyring::Entry::new(KEYRING_SERVICE, store_key)
}

/// Keeps `secret` in the OS keyring for the profile `store_key` (`zorgtui secret set`).
pub fn store_keyring_secret(store_key: &str, secret: &Secret) -> Result<(), String> {
    keyring_entry(store_key)
        .and_then(|entry| entry.set_password(secret.expose()))
        .map_err(|e| network_text(&e.to_string()))
}

/// Removes the profile's secret from the OS keyring (`zorgtui secret forget`); `Ok(false)` when there was none.
pub fn forget_keyring_secret(store_key: &str) -> Result<bool, String> {
    match keyring_entry(store_key).and_then(|entry| entry.delete_credential()) {
        Ok(()) => Ok(true),
        Err(keyring::Error::NoEntry) => Ok(false),
        Err(e) => Err(network_text(&e.to_string())),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_command_gives_its_first_line_and_a_failure_never_its_stdout() {
        let secret = read_secret(&SecretSource::Command("printf 'canary-1\\nsecond\\n'".into()), "k").await.unwrap();
        assert_eq!(secret.expose(), "canary-1");
        let error = read_secret(&SecretSource::Command("echo canary-2; echo oops >&2; exit 3".into()), "k")
            .await
            .unwrap_err()
            .to_string();
        assert!(error.contains("oops") && error.contains("exit status: 3") && !error.contains("canary"), "{error}");
        let empty = read_secret(&SecretSource::Command("true".into()), "k").await.unwrap_err();
        assert!(empty.to_string().contains("printed nothing"), "{empty}");
        let unset = read_secret(&SecretSource::Env("ZORGTUI_TEST_SURELY_UNSET".into()), "k").await.unwrap_err();
        assert!(unset.to_string().contains("ZORGTUI_TEST_SURELY_UNSET, which is not set"), "{unset}");
    }
}
