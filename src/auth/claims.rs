//! What the tokens say, for people: the header and payload of the access and ID tokens decoded as JSON (never the
//! signature), their times as local time and as "in 4 min", an opaque token said to be one, and, when the server is
//! asked, its introspection (RFC 7662) and userinfo answers. The document is plain JSON, ready for the inspector or
//! stdout; the raw tokens are in it only when asked for.

use std::time::{Duration, SystemTime};

use chrono::{FixedOffset, TimeZone as _};
use serde_json::{Map, Value, json};

use super::id_token;
use super::session::Session;

/// The claims that hold times (seconds since the epoch).
const TIME_CLAIMS: [&str; 4] = ["exp", "iat", "nbf", "auth_time"];

/// What to put in the claims document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct ClaimsQuery {
    /// Ask the server: introspection of the access token (where offered) and userinfo (where offered).
    pub ask_server: bool,
    /// Put the raw tokens in too (under `raw`): only when the person asks for exactly that.
    pub include_raw: bool,
}

/// One token decoded: `{"format": "jwt", "header": …, "payload": …, "times": …}`, or `{"format": "opaque", …}`.
pub fn decode(token: &str, now: SystemTime) -> Value {
    match id_token::parts(token) {
        Some(parts) => {
            let times = times(&parts.claims, now);
            json!({ "format": "jwt", "header": parts.header, "payload": parts.claims, "times": times })
        }
        None => json!({
            "format": "opaque",
            "note": "not a JWT: only the server can say what it holds (introspection, where offered)",
            "length": token.len(),
        }),
    }
}

/// The time claims of `claims`, each as local time and relative to `now`.
pub fn times(claims: &Value, now: SystemTime) -> Value {
    let offset = local_offset();
    let mut out = Map::new();
    for name in TIME_CLAIMS {
        if let Some(secs) = claims.get(name).and_then(Value::as_i64) {
            let at = at_secs(secs);
            out.insert(name.to_string(), json!({ "local": format_time(secs, offset), "relative": relative(at, now) }));
        }
    }
    Value::Object(out)
}

/// The session's tokens decoded, as [`ClaimsQuery`] asks (the server's answers are added by the caller).
pub fn document(session: &Session, query: ClaimsQuery, now: SystemTime) -> Value {
    let mut doc = Map::new();
    doc.insert("access_token".into(), decode(session.access_token.expose(), now));
    doc.insert("id_token".into(), session.id_token.as_ref().map_or(Value::Null, |t| decode(t.expose(), now)));
    doc.insert(
        "session".into(),
        json!({
            "issuer": session.issuer,
            "client_id": session.client_id,
            "machine_client": session.machine,
            "scopes": session.scopes,
            "refresh_token": session.refresh_token.is_some(),
        }),
    );
    if query.include_raw {
        doc.insert(
            "raw".into(),
            json!({
                "access_token": session.access_token.expose(),
                "id_token": session.id_token.as_ref().map(crate::secret::Secret::expose),
            }),
        );
    }
    Value::Object(doc)
}

/// `at` as people say it from `now`: "in 4 min", "2 h ago", "now".
pub fn relative(at: SystemTime, now: SystemTime) -> String {
    let (span, future) = match at.duration_since(now) {
        Ok(ahead) => (ahead, true),
        Err(behind) => (behind.duration(), false),
    };
    if span < Duration::from_secs(1) {
        return "now".into();
    }
    let secs = span.as_secs();
    let amount = match secs {
        0..60 => format!("{secs} s"),
        60..3600 => format!("{} min", secs / 60),
        3600..86_400 => format!("{} h", secs / 3600),
        _ => format!("{} d", secs / 86_400),
    };
    if future { format!("in {amount}") } else { format!("{amount} ago") }
}

/// Seconds since the epoch as a time at `offset`: `2025-06-01 14:03:00 +02:00`.
pub fn format_time(secs: i64, offset: FixedOffset) -> String {
    match offset.timestamp_opt(secs, 0).single() {
        Some(at) => at.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
        None => format!("{secs} (out of range)"),
    }
}

fn local_offset() -> FixedOffset {
    *chrono::Local::now().offset()
}

fn at_secs(secs: i64) -> SystemTime {
    match u64::try_from(secs) {
        Ok(secs) => SystemTime::UNIX_EPOCH.checked_add(Duration::from_secs(secs)).unwrap_or(SystemTime::UNIX_EPOCH),
        Err(_) => SystemTime::UNIX_EPOCH,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use base64::Engine as _;
    use base64::engine::general_purpose::URL_SAFE_NO_PAD;

    #[test]
    fn relative_times_read_like_speech() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let at = |delta: i64| at_secs(1_000_000 + delta);
        assert_eq!(relative(at(4 * 60 + 20), now), "in 4 min");
        assert_eq!(relative(at(45), now), "in 45 s");
        assert_eq!(relative(at(-7200), now), "2 h ago");
        assert_eq!(relative(at(3 * 86_400), now), "in 3 d");
        assert_eq!(relative(at(0), now), "now");
    }

    #[test]
    fn a_jwt_is_decoded_without_its_signature_and_an_opaque_token_says_so() {
        let part = |v: &Value| URL_SAFE_NO_PAD.encode(v.to_string());
        let token = format!(
            "{}.{}.c2lnbmF0dXJlLXNlY3JldA",
            part(&json!({"alg": "RS256", "kid": "k"})),
            part(&json!({"sub": "u", "exp": 1_000_240, "realm_access": {"roles": ["admin"]}}))
        );
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_000_000);
        let decoded = decode(&token, now);
        assert_eq!(decoded["payload"]["realm_access"]["roles"][0], "admin");
        assert_eq!(decoded["times"]["exp"]["relative"], "in 4 min");
        assert!(!decoded.to_string().contains("c2lnbmF0dXJl"), "never the signature");
        let opaque = decode("abc123", now);
        assert_eq!(opaque["format"], "opaque");
        assert!(!opaque.to_string().contains("abc123"));
        assert_eq!(format_time(0, FixedOffset::east_opt(3600).unwrap()), "1970-01-01 01:00:00 +01:00");
    }
}
