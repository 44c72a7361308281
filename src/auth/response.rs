//! The authorization response (RFC 6749 4.1.2), wherever it arrives: at the loopback listener or pasted by the
//! person. The same checks apply to both: `state` first (a response for another sign-in is not ours and changes
//! nothing), then `iss` (RFC 9207), then the error or the code.

use super::error::{AuthError, network_text};
use crate::secret::Secret;

/// What to make of a response.
#[derive(Debug, PartialEq, Eq)]
pub enum Verdict {
    /// Not for this sign-in (missing, repeated or wrong `state`): refuse it and keep waiting.
    NotOurs,
    /// Ours, with a code to exchange.
    Code(Secret),
    /// Ours, and it ends the sign-in: the server said no, or the response cannot be trusted.
    Refused(AuthError),
}

/// Checks a response's parameters against the sign-in that is waiting.
pub fn check(params: &[(String, String)], state: &Secret, issuer: &str, iss_required: bool) -> Verdict {
    let Ok(Some(got_state)) = single(params, "state") else { return Verdict::NotOurs };
    if !same(got_state.as_bytes(), state.expose().as_bytes()) {
        return Verdict::NotOurs;
    }
    let field = |name| single(params, name).map_err(|()| repeated(name));
    let verdict = || -> Result<Secret, AuthError> {
        match field("iss")? {
            Some(iss) if iss != issuer => {
                return Err(AuthError::IssuerMismatch { expected: issuer.to_string(), found: network_text(iss) });
            }
            None if iss_required => return Err(AuthError::IssuerMissing),
            _ => {}
        }
        if let Some(error) = field("error")? {
            return Err(match error {
                "access_denied" => AuthError::AccessDenied,
                other => {
                    let mut text = network_text(other);
                    if let Some(description) = field("error_description")?.filter(|d| !d.trim().is_empty()) {
                        text.push_str(": ");
                        text.push_str(&network_text(description));
                    }
                    AuthError::Authorization(text)
                }
            });
        }
        match field("code")? {
            Some(code) if !code.is_empty() => Ok(Secret::new(code)),
            _ => Err(AuthError::Authorization("the response has neither a code nor an error".into())),
        }
    };
    match verdict() {
        Ok(code) => Verdict::Code(code),
        Err(error) => Verdict::Refused(error),
    }
}

fn repeated(name: &str) -> AuthError {
    AuthError::Authorization(format!("the response repeats `{name}`"))
}

/// The one value of `name`; `Err` when it is there more than once (RFC 6749 3.1: parameters must not repeat).
fn single<'a>(params: &'a [(String, String)], name: &str) -> Result<Option<&'a str>, ()> {
    let mut values = params.iter().filter(|(n, _)| n == name).map(|(_, v)| v.as_str());
    let first = values.next();
    if values.next().is_some() { Err(()) } else { Ok(first) }
}

/// Compares without an early exit, so the time taken says nothing about how much of `state` was right.
fn same(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// The parameters of what the person pasted: the whole address the browser landed on (its query, or its fragment
/// when the query has none), or just its query part.
pub fn parse_pasted(text: &str) -> Result<Vec<(String, String)>, AuthError> {
    let text = text.trim();
    let bad = |reason: &str| AuthError::BadPaste { reason: reason.to_string() };
    if text.is_empty() {
        return Err(bad("nothing was pasted"));
    }
    let pairs = |query: &str| -> Vec<(String, String)> {
        url::form_urlencoded::parse(query.as_bytes()).map(|(k, v)| (k.into_owned(), v.into_owned())).collect()
    };
    let params = match url::Url::parse(text) {
        Ok(url) => {
            let from_query = pairs(url.query().unwrap_or(""));
            if has_response(&from_query) { from_query } else { pairs(url.fragment().unwrap_or("")) }
        }
        Err(_) => pairs(text.trim_start_matches('?')),
    };
    if !has_response(&params) {
        return Err(bad("it has no code and no error"));
    }
    Ok(params)
}

fn has_response(params: &[(String, String)]) -> bool {
    params.iter().any(|(name, _)| name == "code" || name == "error")
}

#[cfg(test)]
mod tests {
    use super::*;

    const ISSUER: &str = "http://127.0.0.1:9/realms/z";

    fn params(query: &str) -> Vec<(String, String)> {
        parse_pasted(&format!("https://oauth.pstmn.io/v1/callback?{query}")).unwrap()
    }

    fn verdict(query: &str) -> Verdict {
        check(&params(query), &Secret::new("s1"), ISSUER, true)
    }

    #[test]
    fn the_right_response_gives_the_code() {
        let iss = format!("iss={}", url::form_urlencoded::byte_serialize(ISSUER.as_bytes()).collect::<String>());
        assert_eq!(verdict(&format!("code=c1&state=s1&{iss}")), Verdict::Code(Secret::new("c1")));
    }

    #[test]
    fn wrong_missing_or_repeated_state_is_not_ours() {
        let iss = format!("iss={ISSUER}");
        assert_eq!(verdict(&format!("code=c&state=s2&{iss}")), Verdict::NotOurs);
        assert_eq!(verdict(&format!("code=c&{iss}")), Verdict::NotOurs);
        assert_eq!(verdict(&format!("code=c&state=s1&state=s1&{iss}")), Verdict::NotOurs);
        assert_eq!(verdict(&format!("code=c&state=s&{iss}")), Verdict::NotOurs);
    }

    #[test]
    fn iss_is_checked() {
        assert_eq!(
            verdict("code=c&state=s1&iss=http://127.0.0.1:9/realms/evil"),
            Verdict::Refused(AuthError::IssuerMismatch {
                expected: ISSUER.into(),
                found: "http://127.0.0.1:9/realms/evil".into()
            })
        );
        assert_eq!(verdict("code=c&state=s1"), Verdict::Refused(AuthError::IssuerMissing));
        // Not promised by discovery: a response without iss is taken, one with a wrong iss is not.
        let no_iss = params("code=c&state=s1");
        assert_eq!(check(&no_iss, &Secret::new("s1"), ISSUER, false), Verdict::Code(Secret::new("c")));
    }

    #[test]
    fn errors_end_the_sign_in() {
        let iss = format!("iss={ISSUER}");
        assert_eq!(
            verdict(&format!("error=access_denied&error_description=End-User%20aborted&state=s1&{iss}")),
            Verdict::Refused(AuthError::AccessDenied)
        );
        let Verdict::Refused(other) = verdict(&format!("error=invalid_scope&error_description=x%1B&state=s1&{iss}"))
        else {
            panic!("refused expected")
        };
        assert_eq!(other.to_string(), "the authorization server refused the sign-in: invalid_scope: x\\u{1b}");
    }

    #[test]
    fn pastes_are_read_whole_or_as_a_query() {
        assert_eq!(parse_pasted("  ?code=a&state=b ").unwrap().len(), 2);
        assert_eq!(parse_pasted("http://127.0.0.1:5/callback#code=a&state=b").unwrap().len(), 2);
        assert!(matches!(parse_pasted("https://example.com/"), Err(AuthError::BadPaste { .. })));
        assert!(matches!(parse_pasted(""), Err(AuthError::BadPaste { .. })));
    }
}
