//! What the sign-in doors share: an engine for the profile, its events on a channel, waiting until the session
//! has settled, and, when the subcommand is done, waiting for the engine to save a refresh on its way.

use std::sync::Mutex;

use tokio::sync::mpsc;

use crate::auth::{self, AuthCommand, AuthConfig, AuthEvent, AuthHandle, AuthStatus, AuthStopper};
use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;

/// Engines of doors that closed, to be waited for before the runtime (and with it any refresh on its way) ends.
/// A process runs one subcommand, so one list for the process is the list of that subcommand.
static CLOSED: Mutex<Vec<AuthStopper>> = Mutex::new(Vec::new());

/// An engine for the command line: events come on a channel, notices are printed as they come. When it is
/// dropped its engine is told to stop; [`settle`] waits for it.
pub struct Door {
    pub handle: AuthHandle,
    events: mpsc::UnboundedReceiver<AuthEvent>,
    stopper: Option<AuthStopper>,
}

impl Door {
    pub fn open(profile: &Profile, dirs: &AppDirs, open_browser: bool) -> Door {
        let (tx, events) = mpsc::unbounded_channel();
        let handle = auth::spawn(AuthConfig::from_profile(profile, dirs, open_browser), move |event| {
            let _ = tx.send(event);
        });
        let stopper = Some(handle.stopper());
        Door { handle, events, stopper }
    }

    /// The next status; notices on the way are printed to stderr.
    pub async fn next_status(&mut self) -> anyhow::Result<AuthStatus> {
        loop {
            match self.events.recv().await {
                Some(AuthEvent::Status(status)) => return Ok(status),
                Some(AuthEvent::Notice(text)) => eprintln!("warning: {}", escape_controls(&text)),
                None => anyhow::bail!("the sign-in engine stopped"),
            }
        }
    }

    /// Restores the stored session and waits until it is known whether there is one: `Ok(true)` signed in,
    /// `Ok(false)` nothing stored, `Err` with the reason when it could not be kept (expired, refused). A session
    /// whose refresh is due but failed (the issuer unreachable) while its access token still works is `Ok(true)`,
    /// the reason printed as a warning.
    pub async fn restore(&mut self) -> anyhow::Result<bool> {
        self.handle.send(AuthCommand::Restore);
        loop {
            match self.next_status().await? {
                AuthStatus::SignedIn(_) => return Ok(true),
                AuthStatus::SignedOut => return Ok(false),
                AuthStatus::Expired { reason, .. } if self.handle.token().borrow().is_some() => {
                    eprintln!("warning: {}; the access token still works, so it is used", escape_controls(&reason));
                    return Ok(true);
                }
                AuthStatus::Expired { reason, .. } | AuthStatus::Failed { reason } => {
                    anyhow::bail!("{}", escape_controls(&reason))
                }
                _ => {}
            }
        }
    }
}

impl Drop for Door {
    fn drop(&mut self) {
        if let (Some(stopper), Ok(mut closed)) = (self.stopper.take(), CLOSED.lock()) {
            closed.push(stopper);
        }
    }
}

/// Waits (a few seconds at most each) for the engines of every door closed so far to finish a refresh or a
/// sign-out on its way and save it: the runtime ends when the subcommand returns, and a refresh cut off before
/// its save would lose the rotated refresh token.
pub async fn settle() {
    let closed = CLOSED.lock().map(|mut closed| std::mem::take(&mut *closed)).unwrap_or_default();
    for stopper in closed {
        if let Some(parting) = stopper.stop().await {
            eprintln!("{parting}");
        }
    }
}
