//! A token endpoint's answer (RFC 6749 5.1) as real servers send it. The oauth2 crate's own type reads
//! `expires_in` only as an unsigned integer; servers also send `3600.0`, `"3600"` (a string), `1e20`, `-5` or
//! nothing, and a sign-in must not fail on any of them. Each lifetime here is read in any of those forms and
//! clamped to whole seconds `0..=u64::MAX`; what 0 then means is decided where the tokens are made.

use std::time::Duration;

use oauth2::basic::BasicTokenType;
use oauth2::helpers::{
    deserialize_space_delimited_vec, deserialize_untagged_enum_case_insensitive, serialize_space_delimited_vec,
};
use oauth2::{AccessToken, RefreshToken, Scope, TokenResponse};
use serde::{Deserialize, Deserializer, Serialize};

use crate::secret::Secret;

/// The fields of a token response zorgtui reads: RFC 6749's, OpenID Connect's `id_token` and Keycloak's
/// `refresh_expires_in`. Debug shows no token (the oauth2 crate's token types and `Secret` redact themselves).
#[derive(Debug, Clone, Deserialize, Serialize)]
pub struct TokenAnswer {
    access_token: AccessToken,
    #[serde(deserialize_with = "deserialize_untagged_enum_case_insensitive")]
    token_type: BasicTokenType,
    #[serde(default, deserialize_with = "lifetime", skip_serializing_if = "Option::is_none")]
    expires_in: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    refresh_token: Option<RefreshToken>,
    #[serde(
        rename = "scope",
        default,
        deserialize_with = "deserialize_space_delimited_vec",
        serialize_with = "serialize_space_delimited_vec",
        skip_serializing_if = "Option::is_none"
    )]
    scopes: Option<Vec<Scope>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(super) id_token: Option<Secret>,
    #[serde(default, deserialize_with = "lifetime", skip_serializing_if = "Option::is_none")]
    pub(super) refresh_expires_in: Option<u64>,
}

impl TokenResponse for TokenAnswer {
    type TokenType = BasicTokenType;

    fn access_token(&self) -> &AccessToken {
        &self.access_token
    }

    fn token_type(&self) -> &BasicTokenType {
        &self.token_type
    }

    fn expires_in(&self) -> Option<Duration> {
        self.expires_in.map(Duration::from_secs)
    }

    fn refresh_token(&self) -> Option<&RefreshToken> {
        self.refresh_token.as_ref()
    }

    fn scopes(&self) -> Option<&Vec<Scope>> {
        self.scopes.as_ref()
    }
}

/// A lifetime in seconds in any form a server writes one: an integer (negative ones as 0), a float (rounded
/// down, past `u64::MAX` as `u64::MAX`), a string holding either, or `null`. Anything else is not a lifetime.
fn lifetime<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Option<u64>, D::Error> {
    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Written {
        Unsigned(u64),
        // Only negative ones reach here (the unsigned ones are taken above): no lifetime left.
        Signed(#[allow(dead_code)] i64),
        Float(f64),
        Text(String),
    }
    let seconds = |float: f64| -> u64 {
        // `as` saturates: NaN is 0, past the top is u64::MAX, below 0 is 0.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = float as u64;
        whole
    };
    Ok(match Option::<Written>::deserialize(deserializer)? {
        None => None,
        Some(Written::Unsigned(n)) => Some(n),
        Some(Written::Signed(_)) => Some(0),
        Some(Written::Float(f)) => Some(seconds(f)),
        Some(Written::Text(text)) => {
            let text = text.trim();
            if text.is_empty() {
                None
            } else if let Ok(n) = text.parse::<u64>() {
                Some(n)
            } else if let Ok(f) = text.parse::<f64>() {
                Some(seconds(f))
            } else {
                return Err(serde::de::Error::custom("`expires_in` is not a number of seconds"));
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn expires_in(written: &str) -> Option<u64> {
        let text = format!(r#"{{"access_token":"at","token_type":"bearer","expires_in":{written}}}"#);
        serde_json::from_str::<TokenAnswer>(&text).unwrap().expires_in
    }

    #[test]
    fn every_form_of_expires_in_a_server_sends_is_read() {
        assert_eq!(expires_in("3600"), Some(3600));
        assert_eq!(expires_in("\"3600\""), Some(3600));
        assert_eq!(expires_in("\" 3600 \""), Some(3600));
        assert_eq!(expires_in("3600.7"), Some(3600));
        assert_eq!(expires_in("\"3600.0\""), Some(3600));
        assert_eq!(expires_in("1e20"), Some(u64::MAX));
        assert_eq!(expires_in("-5"), Some(0));
        assert_eq!(expires_in("-5.5"), Some(0));
        assert_eq!(expires_in("0"), Some(0));
        assert_eq!(expires_in("null"), None);
        assert_eq!(expires_in("\"\""), None);
        let absent: TokenAnswer = serde_json::from_str(r#"{"access_token":"at","token_type":"Bearer"}"#).unwrap();
        assert_eq!(absent.expires_in, None);
        let text = r#"{"access_token":"at","token_type":"Bearer","expires_in":"soon"}"#;
        assert!(serde_json::from_str::<TokenAnswer>(text).is_err());
    }

    #[test]
    fn its_debug_form_shows_no_token() {
        let text =
            r#"{"access_token":"secret-at","token_type":"Bearer","refresh_token":"secret-rt","id_token":"secret-id"}"#;
        let answer: TokenAnswer = serde_json::from_str(text).unwrap();
        assert!(!format!("{answer:?}").contains("secret-"), "{answer:?}");
    }
}
