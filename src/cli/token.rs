//! `zorgtui token`, `zorgtui status`, `zorgtui logout`: the stored session from the command line.

use std::io::IsTerminal as _;
use std::time::SystemTime;

use crate::auth::claims::{self, ClaimsQuery};
use crate::auth::store::TokenStore;
use crate::auth::{AuthCommand, AuthConfig, AuthStatus, browser};
use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;

use super::session::Door;

/// Prints a valid access token on stdout (refreshed first if it is due), for scripts: `curl -H "Authorization:
/// Bearer $(zorgtui token)"`.
pub async fn token(profile: &Profile, dirs: &AppDirs) -> anyhow::Result<()> {
    let mut door = Door::open(profile, dirs, false);
    if !door.restore().await? {
        anyhow::bail!("not signed in to profile `{}` — {}", profile.label(), login_hint(profile));
    }
    let token = door.handle.token().borrow().clone();
    match token {
        Some(token) => {
            println!("{}", token.expose());
            Ok(())
        }
        None => anyhow::bail!("the session has no usable access token — {}", login_hint(profile)),
    }
}

/// Prints what the tokens say, asking the server too (introspection, userinfo) where it offers that.
pub async fn decode(profile: &Profile, dirs: &AppDirs, raw: bool) -> anyhow::Result<()> {
    let mut door = Door::open(profile, dirs, false);
    if !door.restore().await? {
        anyhow::bail!("not signed in to profile `{}` — {}", profile.label(), login_hint(profile));
    }
    let document = door.handle.claims(ClaimsQuery { ask_server: true, include_raw: raw }).await?;
    print_json(&document)
}

/// Prints what the stored tokens say, from the store alone (no network).
pub async fn claims_offline(profile: &Profile, dirs: &AppDirs) -> anyhow::Result<()> {
    let config = AuthConfig::from_profile(profile, dirs, false);
    let store = TokenStore::new(&config.store);
    let session = store.lock().await?.load().await?.filter(|s| s.is_for(&config.issuer, &config.client_id));
    let Some(session) = session else { anyhow::bail!("not signed in — {}", login_hint(profile)) };
    print_json(&claims::document(&session, ClaimsQuery::default(), SystemTime::now()))
}

/// JSON to stdout; to a terminal with its control characters shown, not run (a token's claims are the server's).
fn print_json(document: &serde_json::Value) -> anyhow::Result<()> {
    let text = serde_json::to_string_pretty(document)?;
    if std::io::stdout().is_terminal() {
        println!("{}", escape_controls(&text));
    } else {
        println!("{text}");
    }
    Ok(())
}

/// Says who is signed in and until when, from the store alone (no network).
pub async fn status(profile: &Profile, dirs: &AppDirs) -> anyhow::Result<()> {
    let config = AuthConfig::from_profile(profile, dirs, false);
    let store = TokenStore::new(&config.store);
    let session = store.lock().await?.load().await?.filter(|s| s.is_for(&config.issuer, &config.client_id));
    println!("profile  {}", profile.label());
    println!("issuer   {}", profile.issuer);
    let Some(session) = session else {
        println!("status   signed out");
        anyhow::bail!("not signed in — {}", login_hint(profile));
    };
    let info = session.info();
    if info.machine_client {
        println!("status   machine client {} (client credentials)", escape_controls(&session.client_id));
    } else {
        println!("status   signed in as {}", escape_controls(&info.subject));
    }
    println!("scopes   {}", escape_controls(&info.scopes.join(" ")));
    println!("access   {}", until(info.access_expires_at));
    let refresh = match (info.has_refresh_token, info.refresh_expires_at) {
        (false, _) if info.machine_client => "none: a new grant before the access token expires".to_string(),
        (false, _) => "none: sign in again when the access token expires".to_string(),
        (true, Some(at)) => until(at),
        (true, None) => "no known expiry".to_string(),
    };
    println!("refresh  {refresh}");
    Ok(())
}

/// Revokes the refresh token where the issuer offers it and forgets the stored session; where the server offers
/// RP-Initiated Logout, gives the address that ends the session there and waits (the sign-in timeout at most) for
/// the browser to come back.
pub async fn logout(profile: &Profile, dirs: &AppDirs, no_browser: bool) -> anyhow::Result<()> {
    let mut door = Door::open(profile, dirs, !no_browser && browser::can_open());
    door.handle.send(AuthCommand::Logout);
    loop {
        match door.next_status().await? {
            AuthStatus::SignedOut => {
                eprintln!("Signed out of profile `{}`", profile.label());
                return Ok(());
            }
            AuthStatus::SigningOut(pending) => {
                let url = escape_controls(&pending.end_session_url);
                let opened = if pending.browser_opened { "A browser was opened. " } else { "" };
                eprintln!("Signed out here. {opened}To end the session at the server too, open:\n\n{url}\n");
                if !pending.confirmable {
                    eprintln!("Signed out of profile `{}`", profile.label());
                    return Ok(());
                }
                eprintln!(
                    "Waiting up to {} min for the browser to come back (Ctrl-C stops waiting; you are signed out \
                     here either way).",
                    crate::auth::LOGIN_TIMEOUT.as_secs() / 60
                );
            }
            _ => {}
        }
    }
}

fn until(at: SystemTime) -> String {
    match at.duration_since(SystemTime::now()) {
        Ok(left) => format!("expires in {} s", left.as_secs()),
        Err(past) => format!("expired {} s ago", past.duration().as_secs()),
    }
}

/// What to run to sign in: a one-off profile needs the same `--issuer`/`--client-id` again to find its session.
fn login_hint(profile: &Profile) -> &'static str {
    if profile.one_off { "run `zorgtui login` with the same --issuer and --client-id" } else { "run `zorgtui login`" }
}
