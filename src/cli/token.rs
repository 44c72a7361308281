//! `zorgtui token`, `zorgtui status`, `zorgtui logout`: the stored session from the command line.

use std::time::SystemTime;

use crate::auth::store::TokenStore;
use crate::auth::{AuthCommand, AuthConfig, AuthStatus};
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
    println!("status   signed in as {}", escape_controls(&info.subject));
    println!("scopes   {}", escape_controls(&info.scopes.join(" ")));
    println!("access   {}", until(info.access_expires_at));
    let refresh = match (info.has_refresh_token, info.refresh_expires_at) {
        (false, _) => "none: sign in again when the access token expires".to_string(),
        (true, Some(at)) => until(at),
        (true, None) => "no known expiry".to_string(),
    };
    println!("refresh  {refresh}");
    Ok(())
}

/// Revokes the refresh token where the issuer offers it and forgets the stored session.
pub async fn logout(profile: &Profile, dirs: &AppDirs) -> anyhow::Result<()> {
    let mut door = Door::open(profile, dirs, false);
    door.handle.send(AuthCommand::Logout);
    loop {
        if door.next_status().await? == AuthStatus::SignedOut {
            eprintln!("Signed out of profile `{}`", profile.label());
            return Ok(());
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
