//! Scopes the demo knows and what it grants for a request.

use std::collections::BTreeSet;
use std::fmt;

/// Every scope the demo authorization server accepts: the ZorgAPIs set (as its Keycloak knows them, including those
/// of operations the demo does not serve) and the OpenID ones.
pub const SUPPORTED_SCOPES: &[&str] = &[
    "openid",
    "offline_access",
    "profile",
    "email",
    "users:read",
    "users:write",
    "organizations:read",
    "organizations:write",
    "api-requirements-versions:read",
    "api-requirements-versions:write",
    "api-specifications:read",
    "api-specifications:write",
    "communication-standards:read",
    "communication-standards:write",
    "information-standards:read",
    "information-standards:write",
    "trust-frameworks:read",
    "trust-frameworks:write",
];

/// Granted when a request names no scope at all: enough to browse everything, nothing to write.
const DEFAULT_SCOPES: &[&str] = &[
    "openid",
    "profile",
    "email",
    "users:read",
    "organizations:read",
    "api-requirements-versions:read",
    "api-specifications:read",
];

/// A set of scopes, kept sorted so the `scope` a client sees is stable.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct ScopeSet(BTreeSet<String>);

impl ScopeSet {
    /// Parses a space-separated `scope` parameter as sent.
    pub(crate) fn parse(text: &str) -> ScopeSet {
        ScopeSet(text.split_ascii_whitespace().map(str::to_owned).collect())
    }

    /// What the server grants for a requested `scope`: unknown scopes are dropped silently, as Keycloak does, so the
    /// grant may be narrower than the request; no `scope` at all gets the default set.
    pub(crate) fn grant(requested: Option<&str>) -> ScopeSet {
        match requested.map(str::trim) {
            None | Some("") => ScopeSet(DEFAULT_SCOPES.iter().map(|s| (*s).to_owned()).collect()),
            Some(text) => ScopeSet(
                text.split_ascii_whitespace()
                    .filter(|scope| SUPPORTED_SCOPES.contains(scope))
                    .map(str::to_owned)
                    .collect(),
            ),
        }
    }

    /// The set without `scopes`.
    #[must_use]
    pub(crate) fn without(mut self, scopes: &[&str]) -> ScopeSet {
        self.0.retain(|scope| !scopes.contains(&scope.as_str()));
        self
    }

    pub(crate) fn contains(&self, scope: &str) -> bool {
        self.0.contains(scope)
    }

    pub(crate) fn is_subset(&self, other: &ScopeSet) -> bool {
        self.0.is_subset(&other.0)
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = &str> {
        self.0.iter().map(String::as_str)
    }
}

impl fmt::Display for ScopeSet {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut first = true;
        for scope in &self.0 {
            if !first {
                f.write_str(" ")?;
            }
            f.write_str(scope)?;
            first = false;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_scopes_are_dropped() {
        let granted = ScopeSet::grant(Some("openid  users:read admin:everything"));
        assert_eq!(granted.to_string(), "openid users:read");
    }

    #[test]
    fn no_scope_gets_the_read_defaults() {
        let granted = ScopeSet::grant(None);
        assert!(granted.contains("organizations:read"));
        assert!(!granted.contains("organizations:write"));
        assert_eq!(ScopeSet::grant(Some(" ")), granted);
    }

    #[test]
    fn subset() {
        let all = ScopeSet::parse("openid users:read");
        assert!(ScopeSet::parse("users:read").is_subset(&all));
        assert!(!ScopeSet::parse("users:write").is_subset(&all));
    }
}
