//! Secrets out of what is kept: the live token and the client secret, by value, wherever they appear (an echo
//! endpoint returns the token in its body; a person may paste it into a header), and the headers that carry
//! credentials, by name. Both are stored as [`REDACTED`].

use std::borrow::Cow;

use crate::secret::Secret;

/// What a secret is replaced with.
pub const REDACTED: &str = "<redacted>";

/// Headers whose values are credentials, whatever they hold.
pub const SECRET_HEADERS: [&str; 4] = ["authorization", "cookie", "set-cookie", "proxy-authorization"];

/// Secrets shorter than this are not looked for: a two-letter "secret" would cut every word it is part of, and a
/// real credential is never that short.
const SHORTEST: usize = 4;

/// Whether `name` is a header that carries credentials.
pub fn is_secret_header(name: &str) -> bool {
    SECRET_HEADERS.iter().any(|h| h.eq_ignore_ascii_case(name.trim()))
}

/// Replaces known secrets in text and bytes.
#[derive(Clone, Default)]
pub struct Scrubber {
    /// Each secret as written and in the forms it takes inside JSON and URLs, longest first.
    needles: Vec<Vec<u8>>,
}

impl std::fmt::Debug for Scrubber {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Scrubber({} forms)", self.needles.len())
    }
}

impl Scrubber {
    pub fn new<'a>(secrets: impl IntoIterator<Item = &'a Secret>) -> Scrubber {
        let mut needles: Vec<Vec<u8>> = Vec::new();
        for secret in secrets {
            let raw = secret.expose();
            if raw.len() < SHORTEST {
                continue;
            }
            let json = serde_json::to_string(raw).unwrap_or_default();
            let json = json.trim_start_matches('"').trim_end_matches('"').to_string();
            let form: String = url::form_urlencoded::byte_serialize(raw.as_bytes()).collect();
            let path = percent_encoding::utf8_percent_encode(raw, percent_encoding::NON_ALPHANUMERIC).to_string();
            for form in [raw.to_string(), json, form, path] {
                if !needles.iter().any(|n| n == form.as_bytes()) {
                    needles.push(form.into_bytes());
                }
            }
        }
        needles.sort_by_key(|n| std::cmp::Reverse(n.len()));
        Scrubber { needles }
    }

    /// Whether there is nothing to look for.
    pub fn is_empty(&self) -> bool {
        self.needles.is_empty()
    }

    /// `bytes` with every secret replaced, and how many were.
    pub fn bytes<'a>(&self, bytes: &'a [u8]) -> (Cow<'a, [u8]>, usize) {
        let mut out: Cow<'a, [u8]> = Cow::Borrowed(bytes);
        let mut count = 0;
        for needle in &self.needles {
            let finder = memchr::memmem::Finder::new(needle);
            if finder.find(&out).is_none() {
                continue;
            }
            let mut replaced = Vec::with_capacity(out.len());
            let mut last = 0;
            for at in finder.find_iter(&out) {
                replaced.extend_from_slice(&out[last..at]);
                replaced.extend_from_slice(REDACTED.as_bytes());
                last = at + needle.len();
                count += 1;
            }
            replaced.extend_from_slice(&out[last..]);
            out = Cow::Owned(replaced);
        }
        (out, count)
    }

    /// `text` with every secret replaced, and how many were.
    pub fn text<'a>(&self, text: &'a str) -> (Cow<'a, str>, usize) {
        match self.bytes(text.as_bytes()) {
            (Cow::Borrowed(_), _) => (Cow::Borrowed(text), 0),
            // Needles and their replacement are whole UTF-8 sequences, so what is left is text too.
            (Cow::Owned(bytes), count) => (Cow::Owned(String::from_utf8_lossy(&bytes).into_owned()), count),
        }
    }

    /// The text with secrets replaced, owned.
    pub fn clean(&self, text: &str) -> String {
        self.text(text).0.into_owned()
    }

    /// Headers as they may be kept: credential headers by name, anything else by value; and how many were.
    pub fn headers(&self, headers: &[(String, String)]) -> (Vec<(String, String)>, usize) {
        let mut count = 0;
        let kept = headers
            .iter()
            .map(|(name, value)| {
                if is_secret_header(name) {
                    count += 1;
                    return (name.clone(), REDACTED.to_string());
                }
                let (value, n) = self.text(value);
                count += n;
                (name.clone(), value.into_owned())
            })
            .collect();
        (kept, count)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_go_by_value_wherever_they_are_and_in_the_forms_they_take() {
        let token = Secret::new("canary-token-1234");
        let secret = Secret::new("s3cr\"t/with spaces");
        let scrub = Scrubber::new([&token, &secret]);
        let (body, count) =
            scrub.text(r#"{"echo":"Bearer canary-token-1234","again":"canary-token-1234","s":"s3cr\"t/with spaces"}"#);
        assert_eq!(body, r#"{"echo":"Bearer <redacted>","again":"<redacted>","s":"<redacted>"}"#);
        assert_eq!(count, 3);
        let (url, _) = scrub.text("https://h/x?secret=s3cr%22t%2Fwith+spaces&t=canary-token-1234");
        assert_eq!(url, "https://h/x?secret=<redacted>&t=<redacted>");
        assert_eq!(scrub.text("nothing here").0, Cow::Borrowed("nothing here"));
    }

    #[test]
    fn credential_headers_go_by_name() {
        let scrub = Scrubber::new([&Secret::new("live-token-abcdef")]);
        let headers = vec![
            ("Authorization".to_string(), "Bearer whatever".to_string()),
            ("set-cookie".to_string(), "session=1".to_string()),
            ("X-Echo".to_string(), "live-token-abcdef".to_string()),
            ("Accept".to_string(), "application/json".to_string()),
        ];
        let (kept, count) = scrub.headers(&headers);
        assert_eq!(count, 3);
        assert_eq!(kept[0].1, REDACTED);
        assert_eq!(kept[1].1, REDACTED);
        assert_eq!(kept[2].1, REDACTED);
        assert_eq!(kept[3].1, "application/json");
        assert!(is_secret_header(" Proxy-Authorization"));
    }

    #[test]
    fn bytes_that_are_not_text_are_scrubbed_too_and_tiny_secrets_are_not_looked_for() {
        let scrub = Scrubber::new([&Secret::new("tok3n-xyz"), &Secret::new("ab")]);
        let (bytes, count) = scrub.bytes(b"\xff\x00tok3n-xyz\xfe ab");
        assert_eq!(&*bytes, b"\xff\x00<redacted>\xfe ab");
        assert_eq!(count, 1);
        assert!(!format!("{scrub:?}").contains("tok3n"));
    }
}
