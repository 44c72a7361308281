//! `zorgtui secret set|forget`: a confidential client's secret in the OS keyring, for profiles with
//! `client_secret_keyring = true`. The secret is typed without echo, or read from stdin when that is not a
//! terminal (a script: `pass show x | zorgtui secret set`); it is never printed.

use std::io::{BufRead as _, IsTerminal as _, Write as _};

use crate::auth::client_auth::{forget_keyring_secret, store_keyring_secret};
use crate::config::{Profile, SecretSource};
use crate::secret::Secret;

use super::SecretAction;

pub fn run(action: &SecretAction, profile: &Profile) -> anyhow::Result<()> {
    let key = profile.store_key();
    match action {
        SecretAction::Set => {
            let secret = read_secret("Client secret")?;
            store_keyring_secret(&key, &secret).map_err(|e| anyhow::anyhow!("the OS keyring: {e}"))?;
            eprintln!("The client secret of profile `{}` is in the OS keyring.", profile.label());
            if profile.client.secret != Some(SecretSource::Keyring) {
                eprintln!("Add `client_secret_keyring = true` to [profiles.{}] to use it.", profile.name);
            }
        }
        SecretAction::Forget => {
            let removed = forget_keyring_secret(&key).map_err(|e| anyhow::anyhow!("the OS keyring: {e}"))?;
            let what = if removed { "removed from" } else { "was not in" };
            eprintln!("The client secret of profile `{}` {what} the OS keyring.", profile.label());
        }
    }
    Ok(())
}

/// The secret from the terminal without echo (asked for as `what`), or the first line of stdin.
pub(super) fn read_secret(what: &str) -> anyhow::Result<Secret> {
    let stdin = std::io::stdin();
    let line = if stdin.is_terminal() {
        eprint!("{what} (not shown): ");
        std::io::stderr().flush()?;
        let line = without_echo(|| read_line(&stdin))?;
        eprintln!();
        line
    } else {
        read_line(&stdin)?
    };
    let line = line.trim_end_matches(['\r', '\n']);
    if line.is_empty() {
        anyhow::bail!("no secret was given");
    }
    Ok(Secret::new(line))
}

fn read_line(stdin: &std::io::Stdin) -> anyhow::Result<String> {
    let mut line = String::new();
    stdin.lock().read_line(&mut line)?;
    Ok(line)
}

/// Runs `read` with the terminal's echo off, and puts it back however `read` ends.
fn without_echo<T>(read: impl FnOnce() -> anyhow::Result<T>) -> anyhow::Result<T> {
    use rustix::termios::{LocalModes, OptionalActions, tcgetattr, tcsetattr};
    let stdin = std::io::stdin();
    let before = tcgetattr(&stdin)?;
    let mut quiet = before.clone();
    quiet.local_modes.remove(LocalModes::ECHO);
    quiet.local_modes.insert(LocalModes::ECHONL);
    tcsetattr(&stdin, OptionalActions::Flush, &quiet)?;
    let result = read();
    tcsetattr(&stdin, OptionalActions::Flush, &before)?;
    result
}
