//! `zorgtui login [--no-browser] [--device]`: signs in from the command line. The authorize address goes to
//! stderr; the sign-in ends at the loopback listener or with the landed-on address pasted on stdin, whichever comes
//! first. `--device` uses the device grant instead.

use std::io::BufRead as _;

use crate::auth::{AuthCommand, AuthStatus, Redirect, browser};
use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;

use super::session::Door;

/// How `zorgtui login` signs in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct LoginHow {
    pub no_browser: bool,
    /// The device grant instead of a browser here.
    pub device: bool,
    /// Ask the server for credentials again even if the browser is signed in there (`prompt=login`).
    pub switch_user: bool,
}

pub async fn run(profile: &Profile, dirs: &AppDirs, how: LoginHow) -> anyhow::Result<()> {
    let open_browser = !how.no_browser && browser::can_open();
    let mut door = Door::open(profile, dirs, open_browser);
    door.handle.send(match how {
        LoginHow { device: true, .. } => AuthCommand::StartDevice,
        LoginHow { switch_user: true, .. } => AuthCommand::LoginAsSomeoneElse { extra_scopes: Vec::new() },
        _ => AuthCommand::Login { extra_scopes: Vec::new() },
    });
    let mut reading_stdin = false;
    loop {
        match door.next_status().await? {
            AuthStatus::Working(text) => eprintln!("{}…", escape_controls(&text)),
            AuthStatus::WaitingForBrowser(pending) => {
                let url = escape_controls(&pending.authorize_url);
                if pending.browser_opened {
                    eprintln!("\nA browser was opened to sign in. If none shows up, open this address:\n\n{url}\n");
                } else {
                    eprintln!("\nOpen this address in a browser to sign in:\n\n{url}\n");
                }
                if let Redirect::Loopback { ip, port } = pending.redirect
                    && let Some(target) = crate::auth::browser::ssh_target()
                {
                    let host = Redirect::loopback_host(ip);
                    eprintln!(
                        "The browser comes back to {host}:{port} on this machine. From your own machine, forward it \
                         first:\n\n    ssh -L {port}:{host}:{port} {target}\n"
                    );
                }
                eprintln!("Or paste here the address the browser landed on, then press Enter.");
                if pending.device_available {
                    eprintln!("(No browser at hand? The same command with --device signs in with a code instead.)");
                }
                if !reading_stdin {
                    reading_stdin = true;
                    read_pastes(door.handle.commander());
                }
            }
            AuthStatus::WaitingForDevice(prompt) => {
                eprintln!(
                    "\nOn any device, open {} and enter the code\n\n    {}\n",
                    escape_controls(&prompt.verification_uri),
                    escape_controls(&prompt.user_code)
                );
                if let Some(complete) = &prompt.verification_uri_complete {
                    eprintln!("(or open {}, which has the code in it)", escape_controls(complete));
                }
            }
            AuthStatus::SignedIn(info) => {
                let what = if info.machine_client { "Machine client signed in" } else { "Signed in" };
                eprintln!("{what} as {} ({})", escape_controls(&info.subject), escape_controls(&info.scopes.join(" ")));
                return Ok(());
            }
            AuthStatus::Failed { reason } | AuthStatus::Expired { reason, .. } => {
                anyhow::bail!("sign-in failed: {}", escape_controls(&reason))
            }
            AuthStatus::SignedOut | AuthStatus::Refreshing(_) | AuthStatus::SigningOut(_) => {}
        }
    }
}

/// Reads pasted addresses on a plain thread: tokio's stdin would hold up the runtime's shutdown while it blocks.
fn read_pastes(send: impl Fn(AuthCommand) + Send + 'static) {
    std::thread::spawn(move || {
        for line in std::io::stdin().lock().lines() {
            let Ok(line) = line else { break };
            if !line.trim().is_empty() {
                send(AuthCommand::PasteRedirect(line));
            }
        }
    });
}
