//! What the sign-in doors share: an engine for the profile, its events on a channel, and waiting until the
//! session has settled.

use tokio::sync::mpsc;

use crate::auth::{self, AuthCommand, AuthConfig, AuthEvent, AuthHandle, AuthStatus};
use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;

/// An engine for the command line: events come on a channel, notices are printed as they come.
pub struct Door {
    pub handle: AuthHandle,
    events: mpsc::UnboundedReceiver<AuthEvent>,
}

impl Door {
    pub fn open(profile: &Profile, dirs: &AppDirs, open_browser: bool) -> Door {
        let (tx, events) = mpsc::unbounded_channel();
        let handle = auth::spawn(AuthConfig::from_profile(profile, dirs, open_browser), move |event| {
            let _ = tx.send(event);
        });
        Door { handle, events }
    }

    /// The next status; notices on the way are printed to stderr.
    pub async fn next_status(&mut self) -> anyhow::Result<AuthStatus> {
        loop {
            match self.events.recv().await {
                Some(AuthEvent::Status(status)) => return Ok(status),
                Some(AuthEvent::Notice(text)) => eprintln!("{}", escape_controls(&text)),
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
                AuthStatus::Expired { reason } if self.handle.token().borrow().is_some() => {
                    eprintln!("warning: {}; the access token still works, so it is used", escape_controls(&reason));
                    return Ok(true);
                }
                AuthStatus::Expired { reason } | AuthStatus::Failed { reason } => {
                    anyhow::bail!("{}", escape_controls(&reason))
                }
                _ => {}
            }
        }
    }
}
