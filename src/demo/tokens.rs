//! The in-memory token store both servers share: authorization codes, token families, access and refresh tokens.
//!
//! Every grant (a redeemed code, an approved device, a machine client's client credentials) starts a family;
//! refreshing rotates the refresh token inside it. Replaying a spent refresh token or code revokes the whole family,
//! as RFC 9700 §4.14 and RFC 6749 §4.1.2 ask; so does revoking its refresh token (RFC 7009 §2.1), and ending the
//! browser session it was signed in with.

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::Duration;

use axum::http::{HeaderMap, header};
use tokio::time::Instant;

use super::ids::{is_pkce_text, random_secret, random_uuid, s256_challenge};
use super::scopes::ScopeSet;

/// Lifetime of an authorization code.
const CODE_TTL: Duration = Duration::from_secs(60);
/// How long a redeemed or expired code is remembered, so a replay is recognised as one.
const CODE_MEMORY: Duration = Duration::from_secs(600);

/// Who was authorized for what; every token of a family carries it (access tokens possibly narrowed).
#[derive(Debug, Clone)]
pub(crate) struct Grant {
    pub(crate) client_id: String,
    pub(crate) scopes: ScopeSet,
    pub(crate) nonce: Option<String>,
    pub(crate) auth_time: u64,
    /// The browser session the person approved in (`sid`); `None` for the device grant and machine clients.
    pub(crate) sid: Option<String>,
}

/// A token pair just issued. No `Debug`: it holds the tokens.
pub(crate) struct Issued {
    pub(crate) access_token: String,
    /// `None` for a machine client: it asks for a new grant instead (RFC 6749 §4.4.3).
    pub(crate) refresh_token: Option<String>,
    pub(crate) expires_in: u64,
    /// Seconds the refresh token lives; 0 for offline tokens, as Keycloak reports them.
    pub(crate) refresh_expires_in: u64,
    /// The grant as it applies to this access token (its scopes are the ones to report).
    pub(crate) grant: Grant,
    /// Stable id of the family, reported as `session_state` and the id token's `sid`.
    pub(crate) session: String,
}

/// What the API learns from a valid access token.
#[derive(Debug, Clone)]
pub(crate) struct AccessGrant {
    pub(crate) scopes: ScopeSet,
}

/// What introspection (RFC 7662) may say about a live token.
#[derive(Debug, Clone)]
pub(crate) struct Introspected {
    /// `Bearer` for an access token, `Refresh` for a refresh token (as Keycloak says).
    pub(crate) token_type: &'static str,
    pub(crate) grant: Grant,
    /// Seconds it still lives; `None` for an offline refresh token.
    pub(crate) expires_in: Option<u64>,
}

/// Why a revocation request is refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RevokeError {
    /// The token is another client's (RFC 7009 §2.1: the server checks whom it was issued to).
    OtherClient,
}

/// Why a grant was refused; each maps to an RFC 6749 §5.2 error.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GrantError {
    InvalidGrant(&'static str),
    InvalidScope(&'static str),
}

pub(crate) struct TokenStore {
    access_ttl: Duration,
    refresh_ttl: Duration,
    inner: Mutex<Inner>,
}

type FamilyId = u64;

#[derive(Default)]
struct Inner {
    codes: HashMap<String, PendingCode>,
    spent_codes: HashMap<String, SpentCode>,
    access: HashMap<String, AccessEntry>,
    refresh: HashMap<String, RefreshEntry>,
    families: HashMap<FamilyId, Family>,
    next_family: FamilyId,
}

struct PendingCode {
    grant: Grant,
    redirect_uri: String,
    challenge: String,
    expires: Instant,
}

struct SpentCode {
    family: Option<FamilyId>,
    forget_at: Instant,
}

struct Family {
    /// The scopes first granted: the ceiling for narrowing on refresh.
    grant: Grant,
    session: String,
}

struct AccessEntry {
    family: FamilyId,
    scopes: ScopeSet,
    expires: Instant,
}

struct RefreshEntry {
    family: FamilyId,
    /// `None` for offline tokens.
    expires: Option<Instant>,
    /// Rotated out: presenting it again is a replay.
    spent: bool,
}

impl TokenStore {
    pub(crate) fn new(access_ttl: Duration, refresh_ttl: Duration) -> TokenStore {
        TokenStore { access_ttl, refresh_ttl, inner: Mutex::new(Inner::default()) }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic elsewhere leaves maps that are still consistent enough for a demo.
        let mut inner = self.inner.lock().unwrap_or_else(PoisonError::into_inner);
        inner.prune(Instant::now());
        inner
    }

    /// Stores a new authorization code for an approved request and returns it.
    pub(crate) fn new_code(&self, grant: Grant, redirect_uri: String, challenge: String) -> String {
        let code = random_secret();
        let expires = Instant::now() + CODE_TTL;
        self.lock().codes.insert(code.clone(), PendingCode { grant, redirect_uri, challenge, expires });
        code
    }

    /// Redeems a code once: checks client, redirect URI and the PKCE verifier, then starts a token family.
    pub(crate) fn redeem_code(
        &self,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
        verifier: &str,
    ) -> Result<Issued, GrantError> {
        let mut inner = self.lock();
        let now = Instant::now();
        let Some(pending) = inner.codes.remove(code) else {
            if let Some(family) = inner.spent_codes.get(code).and_then(|spent| spent.family) {
                inner.revoke_family(family);
                tracing::warn!("demo: authorization code replayed; its tokens are revoked");
                return Err(GrantError::InvalidGrant("Code already used; the tokens it bought are revoked"));
            }
            return Err(GrantError::InvalidGrant("Code not valid"));
        };
        // Spent whatever happens next, so a failed attempt cannot be retried with another verifier.
        inner.spent_codes.insert(code.to_owned(), SpentCode { family: None, forget_at: now + CODE_MEMORY });
        if pending.expires <= now {
            return Err(GrantError::InvalidGrant("Code expired"));
        }
        if pending.grant.client_id != client_id {
            return Err(GrantError::InvalidGrant("Code was issued to another client"));
        }
        if pending.redirect_uri != redirect_uri {
            return Err(GrantError::InvalidGrant("Incorrect redirect_uri"));
        }
        if !is_pkce_text(verifier) || s256_challenge(verifier) != pending.challenge {
            return Err(GrantError::InvalidGrant("PKCE verification failed: code_verifier does not match"));
        }
        let (family, issued) = inner.start_family(pending.grant, now, self.access_ttl, Some(self.refresh_ttl));
        if let Some(spent) = inner.spent_codes.get_mut(code) {
            spent.family = Some(family);
        }
        Ok(issued)
    }

    /// Starts a token family for a grant approved another way (the device flow).
    pub(crate) fn issue(&self, grant: Grant) -> Issued {
        self.lock().start_family(grant, Instant::now(), self.access_ttl, Some(self.refresh_ttl)).1
    }

    /// An access token alone, for a machine client's client credentials grant.
    pub(crate) fn issue_access_only(&self, grant: Grant) -> Issued {
        self.lock().start_family(grant, Instant::now(), self.access_ttl, None).1
    }

    /// Exchanges a refresh token for a new pair, rotating it; `scope` may narrow the access token's scopes.
    pub(crate) fn refresh(
        &self,
        refresh_token: &str,
        client_id: &str,
        scope: Option<&ScopeSet>,
    ) -> Result<Issued, GrantError> {
        let mut inner = self.lock();
        let now = Instant::now();
        let Some(entry) = inner.refresh.get_mut(refresh_token) else {
            return Err(GrantError::InvalidGrant("Invalid refresh token"));
        };
        let (family, spent) = (entry.family, entry.spent);
        if spent {
            inner.revoke_family(family);
            tracing::warn!("demo: rotated-out refresh token replayed; its family is revoked");
            return Err(GrantError::InvalidGrant("Refresh token already used; the session is revoked"));
        }
        let Some(ceiling) = inner.families.get(&family).map(|f| f.grant.clone()) else {
            return Err(GrantError::InvalidGrant("Invalid refresh token"));
        };
        if ceiling.client_id != client_id {
            return Err(GrantError::InvalidGrant("Refresh token was issued to another client"));
        }
        let mut grant = ceiling.clone();
        if let Some(scope) = scope {
            // Refused before the token is spent: asking too much must not cost the client its session.
            if !scope.is_subset(&ceiling.scopes) {
                return Err(GrantError::InvalidScope("Requested scope exceeds the scope first granted"));
            }
            grant.scopes = scope.clone();
        }
        if let Some(entry) = inner.refresh.get_mut(refresh_token) {
            entry.spent = true;
        }
        Ok(inner.issue_in(family, &ceiling, grant, now, self.access_ttl, Some(self.refresh_ttl)))
    }

    /// Revokes a token of `client_id`'s (RFC 7009): an access token alone, or a refresh token with its whole
    /// family. An unknown token is no error (it may have expired already); another client's is.
    pub(crate) fn revoke(&self, token: &str, client_id: &str) -> Result<(), RevokeError> {
        let mut inner = self.lock();
        let family = match (inner.access.get(token), inner.refresh.get(token)) {
            (Some(entry), _) => entry.family,
            (None, Some(entry)) => entry.family,
            (None, None) => return Ok(()),
        };
        if inner.families.get(&family).is_some_and(|f| f.grant.client_id != client_id) {
            return Err(RevokeError::OtherClient);
        }
        if inner.access.remove(token).is_none() {
            inner.revoke_family(family);
        }
        Ok(())
    }

    /// Ends what was signed in with the browser sessions `sids` (a sign-out at the end-session endpoint), as
    /// Keycloak ends a session's tokens; offline tokens outlive it, as Keycloak's offline sessions do.
    pub(crate) fn end_browser_sessions(&self, sids: &[String]) {
        let mut inner = self.lock();
        let ended: Vec<FamilyId> = inner
            .families
            .iter()
            .filter(|(_, f)| f.grant.sid.as_ref().is_some_and(|sid| sids.contains(sid)))
            .filter(|(_, f)| !f.grant.scopes.contains("offline_access"))
            .map(|(id, _)| *id)
            .collect();
        for family in ended {
            inner.revoke_family(family);
        }
    }

    /// A live token of `client_id`'s, as introspection tells it; `None` for anything else (RFC 7662 §2.2: the
    /// caller learns only that it is not active).
    pub(crate) fn introspect(&self, token: &str, client_id: &str) -> Option<Introspected> {
        let inner = self.lock();
        let now = Instant::now();
        let (token_type, family, scopes, expires) = match (inner.access.get(token), inner.refresh.get(token)) {
            (Some(entry), _) => ("Bearer", entry.family, Some(entry.scopes.clone()), Some(entry.expires)),
            (None, Some(entry)) if !entry.spent => ("Refresh", entry.family, None, entry.expires),
            _ => return None,
        };
        let mut grant = inner.families.get(&family)?.grant.clone();
        if grant.client_id != client_id {
            return None;
        }
        if let Some(scopes) = scopes {
            grant.scopes = scopes;
        }
        let expires_in = expires.map(|at| at.saturating_duration_since(now).as_secs());
        Some(Introspected { token_type, grant, expires_in })
    }

    /// The grant behind a live access token; `None` if unknown, revoked or expired.
    pub(crate) fn access(&self, token: &str) -> Option<AccessGrant> {
        let inner = self.lock();
        let entry = inner.access.get(token)?;
        (entry.expires > Instant::now()).then(|| AccessGrant { scopes: entry.scopes.clone() })
    }
}

impl Inner {
    fn start_family(
        &mut self,
        grant: Grant,
        now: Instant,
        access_ttl: Duration,
        refresh_ttl: Option<Duration>,
    ) -> (FamilyId, Issued) {
        self.next_family += 1;
        let family = self.next_family;
        // A browser sign-in's family is known by its browser session's id, so the ID token's `sid` names that.
        let session = grant.sid.clone().unwrap_or_else(random_uuid);
        self.families.insert(family, Family { grant: grant.clone(), session });
        let ceiling = grant.clone();
        let issued = self.issue_in(family, &ceiling, grant, now, access_ttl, refresh_ttl);
        (family, issued)
    }

    fn issue_in(
        &mut self,
        family: FamilyId,
        ceiling: &Grant,
        grant: Grant,
        now: Instant,
        access_ttl: Duration,
        refresh_ttl: Option<Duration>,
    ) -> Issued {
        let offline = ceiling.scopes.contains("offline_access");
        let access_token = random_secret();
        self.access.insert(
            access_token.clone(),
            AccessEntry { family, scopes: grant.scopes.clone(), expires: now + access_ttl },
        );
        let refresh_token = refresh_ttl.map(|ttl| {
            let token = random_secret();
            let expires = (!offline).then(|| now + ttl);
            self.refresh.insert(token.clone(), RefreshEntry { family, expires, spent: false });
            token
        });
        let session = self.families.get(&family).map(|f| f.session.clone()).unwrap_or_default();
        Issued {
            access_token,
            refresh_token,
            expires_in: whole_seconds(access_ttl),
            refresh_expires_in: match refresh_ttl {
                Some(_) if offline => 0,
                Some(ttl) => whole_seconds(ttl),
                None => 0,
            },
            grant,
            session,
        }
    }

    fn revoke_family(&mut self, family: FamilyId) {
        self.access.retain(|_, entry| entry.family != family);
        self.refresh.retain(|_, entry| entry.family != family);
        self.families.remove(&family);
    }

    fn prune(&mut self, now: Instant) {
        self.codes.retain(|_, code| code.expires + CODE_MEMORY > now);
        self.spent_codes.retain(|_, spent| spent.forget_at > now);
        self.access.retain(|_, entry| entry.expires > now);
        self.refresh.retain(|_, entry| entry.expires.is_none_or(|expires| expires > now));
        // A machine client's family has no refresh token: its access tokens keep it.
        let live: HashSet<FamilyId> = self
            .refresh
            .values()
            .map(|entry| entry.family)
            .chain(self.access.values().map(|entry| entry.family))
            .collect();
        self.families.retain(|family, _| live.contains(family));
    }
}

/// Seconds for an `expires_in`: rounded down, so a client never believes a token lives longer than it does, but at
/// least 1, since 0 reads as "already expired" (or "never", for `refresh_expires_in`).
fn whole_seconds(duration: Duration) -> u64 {
    duration.as_secs().max(1)
}

/// The token of an `Authorization: Bearer` header (scheme in any case, RFC 7235 §2.1).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}
