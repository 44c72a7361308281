//! One exchange as it is kept, and the line of the index that names it.

use base64::Engine as _;
use serde::{Deserialize, Serialize};

use crate::workspace::Scrubber;

/// What became of an exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ExchangeState {
    /// The whole answer came.
    Complete,
    /// No answer, or not all of it: why.
    Failed { message: String },
    /// The person cancelled it; what had come is kept.
    Cancelled,
    /// zorgtui quit while it ran; what had come is kept.
    Interrupted,
}

impl ExchangeState {
    /// A word for lists: `200`, `failed`, `cancelled`, `quit`.
    pub fn word(&self) -> &'static str {
        match self {
            ExchangeState::Complete => "done",
            ExchangeState::Failed { .. } => "failed",
            ExchangeState::Cancelled => "cancelled",
            ExchangeState::Interrupted => "quit",
        }
    }
}

/// A body as kept: text, bytes that are not text (base64), or only its size when it was past the cap.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum StoredBody {
    #[default]
    None,
    Text {
        text: String,
    },
    Base64 {
        data: String,
    },
    /// Larger than `history_body_max_kb`: not kept.
    TooLarge {
        size: u64,
    },
}

impl StoredBody {
    /// Keeps `bytes` (the whole body, of `size` bytes) if it is at most `cap`, with secrets replaced.
    pub fn capture(bytes: &[u8], size: u64, cap: u64, scrub: &Scrubber) -> StoredBody {
        if size == 0 && bytes.is_empty() {
            return StoredBody::None;
        }
        if size > cap || bytes.len() as u64 > cap {
            return StoredBody::TooLarge { size: size.max(bytes.len() as u64) };
        }
        let (clean, _) = scrub.bytes(bytes);
        match std::str::from_utf8(&clean) {
            Ok(text) => StoredBody::Text { text: text.to_string() },
            Err(_) => StoredBody::Base64 { data: base64::engine::general_purpose::STANDARD.encode(&clean) },
        }
    }

    /// The bytes kept, if any.
    pub fn bytes(&self) -> Option<Vec<u8>> {
        match self {
            StoredBody::Text { text } => Some(text.as_bytes().to_vec()),
            StoredBody::Base64 { data } => base64::engine::general_purpose::STANDARD.decode(data).ok(),
            StoredBody::None => Some(Vec::new()),
            StoredBody::TooLarge { .. } => None,
        }
    }

    /// The body as text, when it was kept and is text.
    pub fn text(&self) -> Option<&str> {
        match self {
            StoredBody::Text { text } => Some(text),
            StoredBody::None => Some(""),
            _ => None,
        }
    }
}

/// The request as it went, credentials redacted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptRequest {
    pub method: String,
    pub url: String,
    /// The base it went under (the profile's API or a server of the spec), so that it can go again to where that
    /// is now (the demo's port changes every run).
    #[serde(default)]
    pub base: Option<String>,
    /// The operation it was made from (`GET /organizations/{organizationId}`), when it was.
    #[serde(default)]
    pub operation: Option<String>,
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: StoredBody,
    /// Whether the session's token went with it (as `Authorization: <redacted>` in `headers`).
    #[serde(default)]
    pub with_token: bool,
}

impl KeptRequest {
    /// The path and query under `base` (`/organizations?limit=10`), or the whole URL when it went elsewhere.
    pub fn path(&self) -> &str {
        match &self.base {
            Some(base) => self.url.strip_prefix(base.trim_end_matches('/')).filter(|p| p.starts_with(['/', '?'])),
            None => None,
        }
        .unwrap_or(&self.url)
    }
}

/// What came back, as far as it came.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeptResponse {
    pub status: u16,
    #[serde(default)]
    pub reason: String,
    pub headers: Vec<(String, String)>,
    #[serde(default)]
    pub body: StoredBody,
    /// Bytes of body received (all of it, or as far as it came).
    pub size: u64,
    pub elapsed_ms: u64,
}

/// One exchange.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub id: String,
    /// When it was sent, in milliseconds since 1970.
    pub at_ms: u64,
    pub request: KeptRequest,
    /// `None` when not even the head came.
    pub response: Option<KeptResponse>,
    pub state: ExchangeState,
}

/// The index's line for an exchange: what the History view and `zorgtui history` list, without opening it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub id: String,
    pub at_ms: u64,
    pub method: String,
    /// Path and query under the base (or the whole URL).
    pub path: String,
    pub status: Option<u16>,
    pub state: ExchangeState,
    /// Bytes of response body received.
    pub size: Option<u64>,
    pub elapsed_ms: Option<u64>,
    /// Bytes the exchange takes on disk (for `history_max_mb`).
    pub stored: u64,
}

impl Exchange {
    /// Its line in the index, taking `stored` bytes on disk.
    pub fn summary(&self, stored: u64) -> Summary {
        Summary {
            id: self.id.clone(),
            at_ms: self.at_ms,
            method: self.request.method.clone(),
            path: self.request.path().to_string(),
            status: self.response.as_ref().map(|r| r.status),
            state: self.state.clone(),
            size: self.response.as_ref().map(|r| r.size),
            elapsed_ms: self.response.as_ref().map(|r| r.elapsed_ms),
            stored,
        }
    }
}

#[cfg(test)]
impl Exchange {
    /// A GET answered 200 with `body`, for tests.
    #[cfg(test)]
    pub(crate) fn sample(id: &str, at_ms: u64, body: &str) -> Exchange {
        Exchange {
            id: id.into(),
            at_ms,
            request: KeptRequest {
                method: "GET".into(),
                url: format!("http://127.0.0.1:1/v1/items/{id}"),
                base: Some("http://127.0.0.1:1/v1".into()),
                operation: Some("GET /items/{id}".into()),
                headers: vec![("Authorization".into(), "<redacted>".into())],
                body: StoredBody::None,
                with_token: true,
            },
            response: Some(KeptResponse {
                status: 200,
                reason: "OK".into(),
                headers: vec![],
                body: StoredBody::Text { text: body.into() },
                size: body.len() as u64,
                elapsed_ms: 12,
            }),
            state: ExchangeState::Complete,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    #[test]
    fn bodies_are_kept_up_to_the_cap_scrubbed_and_as_base64_when_not_text() {
        let scrub = Scrubber::new([&Secret::new("canary-token")]);
        assert_eq!(
            StoredBody::capture(b"{\"t\":\"canary-token\"}", 20, 100, &scrub),
            StoredBody::Text { text: "{\"t\":\"<redacted>\"}".into() }
        );
        assert_eq!(StoredBody::capture(b"abc", 5000, 100, &scrub), StoredBody::TooLarge { size: 5000 });
        let binary = StoredBody::capture(b"\xff\x00", 2, 100, &scrub);
        assert!(matches!(binary, StoredBody::Base64 { .. }));
        assert_eq!(binary.bytes().unwrap(), b"\xff\x00");
        assert_eq!(StoredBody::capture(b"", 0, 100, &scrub), StoredBody::None);
    }

    #[test]
    fn the_path_is_told_under_its_base() {
        let request = KeptRequest {
            method: "GET".into(),
            url: "http://127.0.0.1:5/v1beta2/organizations?limit=1".into(),
            base: Some("http://127.0.0.1:5/v1beta2/".into()),
            operation: None,
            headers: vec![],
            body: StoredBody::None,
            with_token: false,
        };
        assert_eq!(request.path(), "/organizations?limit=1");
        assert_eq!(KeptRequest { base: Some("https://other".into()), ..request.clone() }.path(), request.url);
    }
}
