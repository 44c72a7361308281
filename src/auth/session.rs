//! A session: the tokens of one sign-in and what the screen may know about them. This is what the store keeps.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde::{Deserialize, Serialize};

use super::SessionInfo;
use super::oauth::Tokens;
use crate::secret::Secret;

/// When the token endpoint does not say how long an access token lives (RFC 6749 makes `expires_in` optional).
const ASSUMED_LIFETIME: Duration = Duration::from_secs(300);
/// The earliest a refresh is planned after the tokens were obtained, so a margin larger than a token's life (a
/// 5-second test token, a 30-second margin) cannot make the engine refresh in a loop.
const MIN_REFRESH_AFTER: Duration = Duration::from_secs(1);

/// The longest any lifetime is taken to be: a token endpoint (or a stored session) may say 10^19 seconds, which
/// no clock can add. Ten years is beyond any real token and well inside what `SystemTime` and `Instant` hold.
pub const MAX_LIFETIME: Duration = Duration::from_secs(10 * 365 * 24 * 3600);

/// The format on disk; bump when it changes incompatibly (an unreadable session just means signing in again).
const FORMAT: u32 = 1;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Session {
    pub format: u32,
    pub issuer: String,
    pub client_id: String,
    pub subject: String,
    pub scopes: Vec<String>,
    pub access_token: Secret,
    /// Seconds since the epoch, like every time below.
    pub access_expires_at: u64,
    pub obtained_at: u64,
    pub refresh_token: Option<Secret>,
    pub refresh_expires_at: Option<u64>,
    pub last_refresh: Option<u64>,
    /// The verified ID token: the hint for ending the session at the server, and what the claims view decodes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id_token: Option<Secret>,
    /// A machine client's session (client credentials): renewed by a new grant, no person behind it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub machine: bool,
}

impl Session {
    /// A session from a first token response (code or device grant).
    pub fn new(
        issuer: &str,
        client_id: &str,
        tokens: Tokens,
        asked: &[String],
        subject: String,
        now: SystemTime,
    ) -> Session {
        let now = secs(now);
        Session {
            format: FORMAT,
            issuer: issuer.to_string(),
            client_id: client_id.to_string(),
            subject,
            scopes: tokens.scopes.clone().unwrap_or_else(|| asked.to_vec()),
            access_token: tokens.access_token,
            access_expires_at: after(now, tokens.expires_in.unwrap_or(ASSUMED_LIFETIME)),
            obtained_at: now,
            refresh_token: tokens.refresh_token,
            refresh_expires_at: tokens.refresh_expires_in.map(|d| after(now, d)),
            last_refresh: None,
            id_token: tokens.id_token,
            machine: false,
        }
    }

    /// The session after a refresh: a new access token, the refresh token rotated if the server sent one (RFC 6749
    /// 6: absent means keep the old one), the scope and subject kept unless the response says otherwise.
    #[must_use]
    pub fn refreshed(&self, tokens: Tokens, subject: Option<String>, now: SystemTime) -> Session {
        let now = secs(now);
        let rotated = tokens.refresh_token.is_some();
        Session {
            format: FORMAT,
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            subject: subject.unwrap_or_else(|| self.subject.clone()),
            scopes: tokens.scopes.clone().unwrap_or_else(|| self.scopes.clone()),
            access_token: tokens.access_token,
            access_expires_at: after(now, tokens.expires_in.unwrap_or(ASSUMED_LIFETIME)),
            obtained_at: now,
            refresh_token: tokens.refresh_token.or_else(|| self.refresh_token.clone()),
            refresh_expires_at: match tokens.refresh_expires_in {
                Some(d) => Some(after(now, d)),
                None if rotated => None,
                None => self.refresh_expires_at,
            },
            last_refresh: Some(now),
            id_token: tokens.id_token.or_else(|| self.id_token.clone()),
            machine: self.machine,
        }
    }

    /// The session as read from the store, its times brought within reach: nothing ends more than [`MAX_LIFETIME`]
    /// from now, nothing happened in the future. A session written by an older zorgtui, or by hand, then cannot
    /// make the clock arithmetic overflow.
    #[must_use]
    pub fn within_bounds(mut self) -> Session {
        let now = now_secs();
        let latest = after(now, MAX_LIFETIME);
        self.access_expires_at = self.access_expires_at.min(latest);
        self.refresh_expires_at = self.refresh_expires_at.map(|at| at.min(latest));
        self.obtained_at = self.obtained_at.min(now);
        self.last_refresh = self.last_refresh.map(|at| at.min(now));
        self
    }

    /// Whether this session belongs to the issuer and client it is loaded for.
    pub fn is_for(&self, issuer: &str, client_id: &str) -> bool {
        self.format == FORMAT && self.issuer == issuer && self.client_id == client_id
    }

    /// When to refresh: `margin` before expiry, but never in the first half of the token's life (nor sooner than
    /// a second after it was obtained).
    pub fn refresh_at(&self, margin: Duration) -> SystemTime {
        let life = self.access_expires_at.saturating_sub(self.obtained_at);
        let before_expiry = margin.as_secs().min(life / 2);
        let at = self.access_expires_at.saturating_sub(before_expiry).max(after(self.obtained_at, MIN_REFRESH_AFTER));
        at_secs(at)
    }

    /// Whether the access token is still good for a while (until its planned refresh).
    pub fn is_fresh(&self, margin: Duration, now: SystemTime) -> bool {
        now < self.refresh_at(margin)
    }

    /// Whether the access token has expired.
    pub fn access_expired(&self, now: SystemTime) -> bool {
        secs(now) >= self.access_expires_at
    }

    /// Whether the session can be renewed without a person: a refresh token, or a machine client's new grant.
    pub fn renewable(&self) -> bool {
        self.refresh_token.is_some() || self.machine
    }

    pub fn access_expires_at(&self) -> SystemTime {
        at_secs(self.access_expires_at)
    }

    pub fn info(&self) -> SessionInfo {
        SessionInfo {
            subject: self.subject.clone(),
            scopes: self.scopes.clone(),
            access_expires_at: at_secs(self.access_expires_at),
            refresh_expires_at: self.refresh_expires_at.map(at_secs),
            last_refresh: self.last_refresh.map(at_secs),
            has_refresh_token: self.refresh_token.is_some(),
            refresh_trouble: None,
            machine_client: self.machine,
        }
    }
}

pub fn now_secs() -> u64 {
    secs(SystemTime::now())
}

/// Seconds since the epoch.
pub fn secs(at: SystemTime) -> u64 {
    at.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs())
}

/// `secs` seconds after `now`, the span capped at [`MAX_LIFETIME`].
fn after(now: u64, span: Duration) -> u64 {
    now.saturating_add(span.min(MAX_LIFETIME).as_secs())
}

/// Seconds since the epoch as a `SystemTime`. Past the year 9999 (which only a corrupt value reaches) it is the
/// end of 9999, so the addition can never overflow.
fn at_secs(secs: u64) -> SystemTime {
    const END_OF_9999: u64 = 253_402_300_799;
    UNIX_EPOCH.checked_add(Duration::from_secs(secs.min(END_OF_9999))).unwrap_or(UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tokens(expires_in: u64, refresh: Option<&str>) -> Tokens {
        Tokens {
            access_token: Secret::new("a"),
            expires_in: Some(Duration::from_secs(expires_in)),
            refresh_token: refresh.map(Secret::new),
            refresh_expires_in: None,
            scopes: None,
            id_token: None,
        }
    }

    #[test]
    fn refresh_is_planned_margin_before_expiry_but_not_in_the_first_half() {
        let asked = vec!["openid".to_string()];
        let long = Session::new("i", "c", tokens(300, Some("r")), &asked, "s".into(), SystemTime::now());
        let at = long.refresh_at(Duration::from_secs(30));
        assert_eq!(at, at_secs(long.obtained_at + 270));
        let short = Session::new("i", "c", tokens(5, Some("r")), &asked, "s".into(), SystemTime::now());
        assert_eq!(short.refresh_at(Duration::from_secs(30)), at_secs(short.obtained_at + 3));
        let tiny = Session::new("i", "c", tokens(1, Some("r")), &asked, "s".into(), SystemTime::now());
        assert_eq!(tiny.refresh_at(Duration::from_secs(30)), at_secs(tiny.obtained_at + 1));
        assert_eq!(long.scopes, asked, "no scope in the response: as asked");
    }

    #[test]
    fn refresh_keeps_what_the_response_leaves_out() {
        let first =
            Session::new("i", "c", tokens(60, Some("r1")), &["openid".into()], "Alice".into(), SystemTime::now());
        let kept = first.refreshed(tokens(60, None), None, SystemTime::now());
        assert_eq!(kept.refresh_token, Some(Secret::new("r1")));
        assert_eq!(kept.subject, "Alice");
        assert!(kept.last_refresh.is_some());
        let rotated = first.refreshed(tokens(60, Some("r2")), Some("Bob".into()), SystemTime::now());
        assert_eq!(rotated.refresh_token, Some(Secret::new("r2")));
        assert_eq!(rotated.subject, "Bob");
    }

    #[test]
    fn lifetimes_no_clock_can_hold_are_capped() {
        let huge = Tokens {
            expires_in: Some(Duration::from_secs(u64::MAX)),
            refresh_expires_in: Some(Duration::from_secs(u64::MAX)),
            ..tokens(60, Some("r"))
        };
        let session = Session::new("i", "c", huge.clone(), &[], "s".into(), SystemTime::now());
        assert_eq!(session.access_expires_at, session.obtained_at + MAX_LIFETIME.as_secs());
        assert_eq!(session.refresh_expires_at, Some(session.obtained_at + MAX_LIFETIME.as_secs()));
        let refreshed = session.refreshed(huge, None, SystemTime::now());
        assert_eq!(refreshed.access_expires_at, refreshed.obtained_at + MAX_LIFETIME.as_secs());
        assert!(refreshed.refresh_at(Duration::from_secs(30)) > SystemTime::now());

        // A stored session is brought within bounds; even unbounded, no time it gives can overflow.
        let wild = Session {
            access_expires_at: u64::MAX,
            obtained_at: u64::MAX,
            refresh_expires_at: Some(u64::MAX),
            last_refresh: Some(u64::MAX),
            ..session
        };
        let _ =
            (wild.refresh_at(Duration::from_secs(30)), wild.info(), wild.is_fresh(Duration::ZERO, SystemTime::now()));
        let tamed = wild.within_bounds();
        let now = now_secs();
        assert!(tamed.access_expires_at <= now + MAX_LIFETIME.as_secs());
        assert!(tamed.refresh_expires_at.is_some_and(|at| at <= now + MAX_LIFETIME.as_secs()));
        assert!(tamed.obtained_at <= now && tamed.last_refresh.is_some_and(|at| at <= now));
        assert!(tamed.is_fresh(Duration::from_secs(30), SystemTime::now()));
    }

    #[test]
    fn debug_shows_no_token() {
        let session = Session::new("i", "c", tokens(60, Some("refresh-secret")), &[], "s".into(), SystemTime::now());
        let text = format!("{session:?}");
        assert!(!text.contains("refresh-secret") && text.contains("Secret(***)"), "{text}");
    }
}
