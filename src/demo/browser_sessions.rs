//! The browser's session at the demo authorization server, as Keycloak keeps one: after a person approves a
//! sign-in, a cookie names their session, and the next sign-in in that browser comes straight back without asking
//! (unless the client asks with `prompt=login`). Signing out at the end-session endpoint ends it, so the next
//! sign-in asks again. That is what the demo needs to show a sign-out that really ends the session.
//!
//! The cookie holds a random secret; the session's public id (`sid` in ID tokens) is another value.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::{HeaderMap, HeaderValue, header};
use tokio::time::Instant;

use super::ids::{random_secret, random_uuid};

/// The cookie's name (Keycloak's is `KEYCLOAK_SESSION`).
const COOKIE: &str = "DEMO_SESSION";

/// How long a browser session lives without a sign-in (Keycloak's SSO session idle default).
const IDLE_TTL: Duration = Duration::from_secs(30 * 60);

/// A signed-in browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct BrowserSession {
    /// The session's public id: the ID token's `sid`, by which a sign-out names it.
    pub(crate) sid: String,
    /// When the person approved (the ID token's `auth_time`).
    pub(crate) auth_time: u64,
}

struct Entry {
    session: BrowserSession,
    expires: Instant,
}

/// Sessions by cookie value.
#[derive(Default)]
pub(crate) struct BrowserSessions(Mutex<HashMap<String, Entry>>);

impl BrowserSessions {
    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        let mut map = self.0.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        map.retain(|_, entry| entry.expires > now);
        map
    }

    /// The session the browser's cookie names, if it is still alive (its idle time starts again).
    pub(crate) fn find(&self, headers: &HeaderMap) -> Option<BrowserSession> {
        let cookie = cookie_value(headers)?;
        let mut map = self.lock();
        let entry = map.get_mut(&cookie)?;
        entry.expires = Instant::now() + IDLE_TTL;
        Some(entry.session.clone())
    }

    /// Starts a session for a person who just approved, replacing the one the browser had (signing in again, or as
    /// someone else, starts afresh). Returns it and the `Set-Cookie` value, scoped to `path`.
    pub(crate) fn start(&self, headers: &HeaderMap, auth_time: u64, path: &str) -> (BrowserSession, HeaderValue) {
        let mut map = self.lock();
        if let Some(old) = cookie_value(headers) {
            map.remove(&old);
        }
        let cookie = random_secret();
        let session = BrowserSession { sid: random_uuid(), auth_time };
        map.insert(cookie.clone(), Entry { session: session.clone(), expires: Instant::now() + IDLE_TTL });
        let header = format!("{COOKIE}={cookie}; Path={path}; HttpOnly; SameSite=Lax");
        // Made of URL-safe base64 and a path the demo chose: always a valid header value.
        (session, HeaderValue::from_str(&header).unwrap_or_else(|_| HeaderValue::from_static("")))
    }

    /// Ends the browser's own session and any named by `sid`; returns the ids of the sessions ended.
    pub(crate) fn end(&self, headers: &HeaderMap, sid: Option<&str>) -> Vec<String> {
        let mut map = self.lock();
        let cookie = cookie_value(headers);
        let mut ended = Vec::new();
        map.retain(|key, entry| {
            let this_browser = cookie.as_deref() == Some(key.as_str());
            let named = sid == Some(entry.session.sid.as_str());
            if this_browser || named {
                ended.push(entry.session.sid.clone());
            }
            !(this_browser || named)
        });
        ended
    }

    /// The `Set-Cookie` value that makes the browser forget its session.
    pub(crate) fn clear_cookie(path: &str) -> HeaderValue {
        let header = format!("{COOKIE}=; Path={path}; HttpOnly; SameSite=Lax; Max-Age=0");
        HeaderValue::from_str(&header).unwrap_or_else(|_| HeaderValue::from_static(""))
    }
}

/// The value of our cookie in the request's `Cookie` headers.
fn cookie_value(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_owned())
        .filter(|value| !value.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn with_cookie(set_cookie: &HeaderValue) -> HeaderMap {
        let pair = set_cookie.to_str().unwrap().split(';').next().unwrap().to_owned();
        let mut headers = HeaderMap::new();
        headers.insert(header::COOKIE, HeaderValue::from_str(&format!("other=1; {pair}")).unwrap());
        headers
    }

    #[test]
    fn a_session_is_found_by_its_cookie_and_ended_by_cookie_or_sid() {
        let sessions = BrowserSessions::default();
        assert_eq!(sessions.find(&HeaderMap::new()), None);
        let (first, cookie) = sessions.start(&HeaderMap::new(), 7, "/realms/demo");
        assert!(cookie.to_str().unwrap().contains("Path=/realms/demo; HttpOnly"));
        let browser = with_cookie(&cookie);
        assert_eq!(sessions.find(&browser), Some(first.clone()));
        assert_eq!(sessions.end(&HeaderMap::new(), Some(&first.sid)), vec![first.sid.clone()]);
        assert_eq!(sessions.find(&browser), None, "ended by its sid, without the cookie");

        let (second, cookie) = sessions.start(&browser, 8, "/");
        let browser = with_cookie(&cookie);
        assert_eq!(sessions.end(&browser, None), vec![second.sid]);
        assert_eq!(sessions.find(&browser), None);
    }

    #[test]
    fn signing_in_again_replaces_the_browsers_session() {
        let sessions = BrowserSessions::default();
        let (_, cookie) = sessions.start(&HeaderMap::new(), 1, "/");
        let old = with_cookie(&cookie);
        let (_, cookie) = sessions.start(&old, 2, "/");
        assert_eq!(sessions.find(&old), None);
        assert_eq!(sessions.find(&with_cookie(&cookie)).map(|s| s.auth_time), Some(2));
    }
}
