//! Device authorization grants (RFC 8628): codes waiting for a person to approve them, and the client's polling.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use rand::Rng as _;
use tokio::time::Instant;

use super::ids::random_secret;
use super::tokens::Grant;

/// Letters that cannot be misread as each other or spell words (RFC 8628 §6.1).
const USER_CODE_ALPHABET: &[u8] = b"BCDFGHJKLMNPQRSTVWXZ";

/// How long an expired code is remembered, so polls keep hearing `expired_token` rather than an unknown code.
const EXPIRED_MEMORY: Duration = Duration::from_secs(600);

/// A device code just issued.
pub(crate) struct NewDevice {
    pub(crate) device_code: String,
    pub(crate) user_code: String,
}

/// What a poll of the token endpoint finds.
#[derive(Debug)]
pub(crate) enum Poll {
    Pending,
    SlowDown,
    Expired,
    Denied,
    Approved(Grant),
    /// Unknown, already used, or issued to another client.
    Invalid,
}

/// Why a person's decision on the device page was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DecideError {
    Unknown,
    Expired,
    AlreadyDecided,
}

impl DecideError {
    pub(crate) fn describe(self) -> &'static str {
        match self {
            DecideError::Unknown => "That code is not known. Check it against the one in your terminal.",
            DecideError::Expired => "That code has expired. Start signing in again in your terminal.",
            DecideError::AlreadyDecided => "That code has already been used.",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Decision {
    Pending,
    Approved,
    Denied,
}

struct Entry {
    user_code: String,
    grant: Grant,
    expires: Instant,
    last_poll: Option<Instant>,
    decision: Decision,
}

pub(crate) struct DeviceCodes {
    pub(crate) interval: Duration,
    pub(crate) ttl: Duration,
    entries: Mutex<HashMap<String, Entry>>,
}

impl DeviceCodes {
    pub(crate) fn new(interval: Duration, ttl: Duration) -> DeviceCodes {
        DeviceCodes { interval, ttl, entries: Mutex::new(HashMap::new()) }
    }

    fn lock(&self) -> MutexGuard<'_, HashMap<String, Entry>> {
        let mut entries = self.entries.lock().unwrap_or_else(PoisonError::into_inner);
        let now = Instant::now();
        entries.retain(|_, entry| entry.expires + EXPIRED_MEMORY > now);
        entries
    }

    /// Registers a device request for `grant` and returns its codes.
    pub(crate) fn start(&self, grant: Grant) -> NewDevice {
        let mut entries = self.lock();
        let user_code = loop {
            let code = new_user_code();
            if !entries.values().any(|entry| entry.user_code == code) {
                break code;
            }
        };
        let device_code = random_secret();
        entries.insert(
            device_code.clone(),
            Entry {
                user_code: user_code.clone(),
                grant,
                expires: Instant::now() + self.ttl,
                last_poll: None,
                decision: Decision::Pending,
            },
        );
        NewDevice { device_code, user_code }
    }

    /// A client's poll with `device_code`; an approved or denied code is answered once and then forgotten.
    pub(crate) fn poll(&self, device_code: &str, client_id: &str) -> Poll {
        let mut entries = self.lock();
        let now = Instant::now();
        let Some(entry) = entries.get_mut(device_code) else { return Poll::Invalid };
        if entry.grant.client_id != client_id {
            return Poll::Invalid;
        }
        if entry.expires <= now {
            return Poll::Expired;
        }
        let too_soon = entry.last_poll.is_some_and(|last| now.duration_since(last) < self.interval);
        entry.last_poll = Some(now);
        match entry.decision {
            Decision::Pending if too_soon => Poll::SlowDown,
            Decision::Pending => Poll::Pending,
            Decision::Denied => {
                entries.remove(device_code);
                Poll::Denied
            }
            Decision::Approved => match entries.remove(device_code) {
                Some(entry) => Poll::Approved(entry.grant),
                None => Poll::Invalid,
            },
        }
    }

    /// The person's decision for the code they typed (any case, dash and spaces optional).
    pub(crate) fn decide(&self, typed_code: &str, approve: bool) -> Result<(), DecideError> {
        let user_code = normalize_user_code(typed_code).ok_or(DecideError::Unknown)?;
        let mut entries = self.lock();
        let entry = entries.values_mut().find(|entry| entry.user_code == user_code).ok_or(DecideError::Unknown)?;
        if entry.expires <= Instant::now() {
            return Err(DecideError::Expired);
        }
        if entry.decision != Decision::Pending {
            return Err(DecideError::AlreadyDecided);
        }
        entry.decision = if approve { Decision::Approved } else { Decision::Denied };
        Ok(())
    }
}

fn new_user_code() -> String {
    let mut rng = rand::rngs::OsRng;
    let mut code = String::with_capacity(9);
    for i in 0..8 {
        if i == 4 {
            code.push('-');
        }
        code.push(char::from(USER_CODE_ALPHABET[rng.gen_range(0..USER_CODE_ALPHABET.len())]));
    }
    code
}

/// `abcd efgh`, `ABCDEFGH` and `ABCD-EFGH` are the same code; anything not 8 letters of the alphabet is none.
pub(crate) fn normalize_user_code(typed: &str) -> Option<String> {
    let letters: Vec<u8> =
        typed.bytes().filter(|b| !matches!(b, b'-' | b' ' | b'\t')).map(|b| b.to_ascii_uppercase()).collect();
    if letters.len() != 8 || !letters.iter().all(|b| USER_CODE_ALPHABET.contains(b)) {
        return None;
    }
    let text: String = letters.iter().map(|b| char::from(*b)).collect();
    Some(format!("{}-{}", &text[..4], &text[4..]))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::scopes::ScopeSet;

    fn grant() -> Grant {
        Grant { client_id: "c".into(), scopes: ScopeSet::parse("openid"), nonce: None, auth_time: 0, sid: None }
    }

    #[test]
    fn user_codes_look_like_abcd_efgh() {
        let code = new_user_code();
        assert_eq!(code.len(), 9);
        assert_eq!(normalize_user_code(&code).as_deref(), Some(code.as_str()));
        assert_eq!(normalize_user_code(" bcdf ghjk ").as_deref(), Some("BCDF-GHJK"));
        assert_eq!(normalize_user_code("ABCD-EFGH"), None, "vowels are not in the alphabet");
    }

    #[test]
    fn poll_walks_through_pending_slow_down_and_approval() {
        let codes = DeviceCodes::new(Duration::from_secs(60), Duration::from_secs(60));
        let new = codes.start(grant());
        assert!(matches!(codes.poll(&new.device_code, "c"), Poll::Pending));
        assert!(matches!(codes.poll(&new.device_code, "c"), Poll::SlowDown));
        assert!(matches!(codes.poll(&new.device_code, "other"), Poll::Invalid));
        codes.decide(&new.user_code.to_lowercase(), true).unwrap();
        assert_eq!(codes.decide(&new.user_code, true), Err(DecideError::AlreadyDecided));
        // Approved is answered even to a hasty poll, and only once.
        assert!(matches!(codes.poll(&new.device_code, "c"), Poll::Approved(_)));
        assert!(matches!(codes.poll(&new.device_code, "c"), Poll::Invalid));
    }

    #[test]
    fn expired_codes_say_so() {
        let codes = DeviceCodes::new(Duration::ZERO, Duration::from_millis(1));
        let new = codes.start(grant());
        std::thread::sleep(Duration::from_millis(5));
        assert!(matches!(codes.poll(&new.device_code, "c"), Poll::Expired));
        assert_eq!(codes.decide(&new.user_code, true), Err(DecideError::Expired));
    }
}
