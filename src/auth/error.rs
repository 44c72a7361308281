//! Why signing in or keeping a session did not work. Every message is one line that says what happened and what to
//! do; none ever holds a token, a code, a verifier or a refresh token (their values are never put in one).

use thiserror::Error;

use crate::http::SendError;

/// What went wrong in the auth engine. `Clone`, so one failed refresh can answer every caller that waited on it.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum AuthError {
    #[error("the issuer {issuer} uses http: only https is allowed, except on loopback (127.0.0.1, ::1, localhost)")]
    InsecureIssuer { issuer: String },
    #[error("the issuer's {what} {url} uses http: only https is allowed off loopback")]
    InsecureEndpoint { what: &'static str, url: String },
    #[error("`{value}` is not a usable {what} — check the profile")]
    BadUrl { what: &'static str, value: String },
    #[error("discovery failed at {url}: {reason}{}", advice_unless_given(reason, " — check the issuer URL"))]
    Discovery { url: String, reason: String },
    #[error("discovery at {url} names the issuer {found}, not {expected} — check the issuer URL")]
    DiscoveryIssuerMismatch { url: String, expected: String, found: String },
    #[error("the issuer does not offer PKCE with S256, which zorgtui requires")]
    NoPkceS256,
    #[error("cannot listen for the browser on {address}: {reason} — choose another callback_port")]
    Listener { address: String, reason: String },
    #[error("the sign-in response was not for this sign-in (state mismatch) — use the address from the latest sign-in")]
    StateMismatch,
    #[error("the sign-in response came from {found}, not from {expected} (RFC 9207 mix-up defence) — sign in again")]
    IssuerMismatch { expected: String, found: String },
    #[error("the sign-in response lacks the `iss` the issuer promised (RFC 9207) — sign in again")]
    IssuerMissing,
    #[error("that is not the address the browser landed on ({reason}) — paste the whole address from the address bar")]
    BadPaste { reason: String },
    #[error("sign-in was cancelled in the browser")]
    AccessDenied,
    #[error("the authorization server refused the sign-in: {0}")]
    Authorization(String),
    #[error("no answer from the browser within {} — sign in again", human(*seconds))]
    Timeout { seconds: u64 },
    #[error("the sign-in code was refused (expired, already used or not for this sign-in) — sign in again")]
    CodeRejected,
    #[error("session expired — sign in again")]
    SessionExpired,
    #[error("the token endpoint refused the request: {0}")]
    TokenEndpoint(String),
    #[error(
        "the {what} answered with something that is not a valid response ({detail}) — if it persists, check that \
         the profile names the right issuer and endpoints"
    )]
    BadResponse { what: &'static str, detail: String },
    #[error("cannot reach the issuer to refresh the session: {0}")]
    RefreshUnreachable(SendError),
    #[error("{0}")]
    Network(SendError),
    #[error("this issuer does not offer the device sign-in (RFC 8628); use the browser")]
    DeviceUnavailable,
    #[error("the device code expired before the sign-in was approved — start again")]
    DeviceExpired,
    #[error("sign-in was refused on the device page")]
    DeviceDenied,
    #[error("not signed in — sign in first")]
    NotSignedIn,
    #[error("the saved session in {place} is corrupt ({detail}) — sign in again to replace it")]
    CorruptSession { place: String, detail: String },
    #[error("cannot use the token store: {0}")]
    Store(String),
    #[error("cannot set up HTTPS for the issuer: {0}")]
    Client(String),
    #[error("the client cannot authenticate: {0}")]
    ClientAuth(String),
    #[error(
        "the ID token was refused: {0} — sign in again; if it persists, the server or the profile is misconfigured"
    )]
    IdToken(String),
    #[error(
        "the server names no authorization endpoint, so no one can sign in in a browser — set \
             authorization_endpoint in the profile, or grant = \"client_credentials\" for a machine client"
    )]
    NoAuthorizationEndpoint,
    #[error("the sign-in engine has stopped")]
    EngineStopped,
    #[error("an internal error in zorgtui stopped this (the log has the details) — try again")]
    Internal,
}

impl AuthError {
    /// Whether the session is gone for good (the server refused the refresh token), as opposed to unreachable.
    pub fn ends_session(&self) -> bool {
        matches!(self, AuthError::SessionExpired)
    }
}

/// A wait as people say it: "5 min", "90 s".
fn human(seconds: u64) -> String {
    if seconds >= 60 && seconds.is_multiple_of(60) { format!("{} min", seconds / 60) } else { format!("{seconds} s") }
}

/// Text from the network, made safe and short for a one-line message.
pub(crate) fn network_text(text: &str) -> String {
    const LIMIT: usize = 200;
    let one_line = crate::text::escape_controls(text.trim());
    if one_line.chars().count() <= LIMIT {
        return one_line.into_owned();
    }
    let mut short: String = one_line.chars().take(LIMIT).collect();
    short.push('…');
    short
}

/// `advice`, unless `reason` already ends in advice of its own (` — …`): one hint is enough.
fn advice_unless_given<'a>(reason: &str, advice: &'a str) -> &'a str {
    if reason.contains(" — ") { "" } else { advice }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_one_line() {
        let errors = [
            AuthError::StateMismatch,
            AuthError::AccessDenied,
            AuthError::SessionExpired,
            AuthError::Timeout { seconds: 300 },
            AuthError::InsecureIssuer { issuer: "http://idp.example".into() },
            AuthError::Discovery { url: "https://idp/.well-known/openid-configuration".into(), reason: "404".into() },
        ];
        for error in errors {
            let text = error.to_string();
            assert!(!text.contains('\n') && !text.is_empty(), "{text}");
        }
        assert_eq!(AuthError::AccessDenied.to_string(), "sign-in was cancelled in the browser");
        assert_eq!(AuthError::SessionExpired.to_string(), "session expired — sign in again");
        assert_eq!(
            AuthError::Timeout { seconds: 300 }.to_string(),
            "no answer from the browser within 5 min — sign in again"
        );
        assert_eq!(
            AuthError::Timeout { seconds: 2 }.to_string(),
            "no answer from the browser within 2 s — sign in again"
        );
    }

    #[test]
    fn network_text_is_escaped_and_bounded() {
        assert_eq!(network_text(" a\u{1b}[2Jb\n"), "a\\u{1b}[2Jb");
        let long = "x".repeat(500);
        assert_eq!(network_text(&long).chars().count(), 201);
    }
}
