//! A string that must not leak: tokens, codes, verifiers.
//!
//! Its `Debug` and `Display` print a redaction, so a secret can sit in any struct that is logged or shown and still
//! never reach a log line, the screen or an error text. Reading it takes a deliberate `expose()`.

use std::fmt;

#[derive(Clone, PartialEq, Eq, Default, serde::Serialize, serde::Deserialize)]
#[serde(transparent)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Secret {
        Secret(value.into())
    }

    /// The secret itself, for the one place that must send it.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_printed() {
        let s = Secret::new("eyJhbGciOi.secret");
        assert_eq!(format!("{s} {s:?} {:?}", Some(&s)), "*** Secret(***) Some(Secret(***))");
        assert_eq!(s.expose(), "eyJhbGciOi.secret");
    }
}
