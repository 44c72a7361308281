//! A response as received, and what can be read from it without the screen.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;

/// A complete HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiResponse {
    pub status: u16,
    pub reason: String,
    pub headers: Vec<(String, String)>,
    pub body: Bytes,
    pub elapsed: Duration,
    /// The URL that answered (after redirects).
    pub url: String,
    /// The body, when it was larger than the memory cap: then `body` is empty.
    pub spilled: Option<SpilledBody>,
}

/// A body past the profile's `body_memory_cap_mb`, streamed to an unlinked temporary file (mode 0600) instead of
/// memory.
#[derive(Debug, Clone)]
pub struct SpilledBody {
    pub file: Arc<std::fs::File>,
    pub len: u64,
}

impl PartialEq for SpilledBody {
    fn eq(&self, other: &SpilledBody) -> bool {
        Arc::ptr_eq(&self.file, &other.file)
    }
}

impl Eq for SpilledBody {}

impl ApiResponse {
    /// The body's size, in memory or spilled.
    pub fn body_len(&self) -> u64 {
        self.spilled.as_ref().map_or(self.body.len() as u64, |s| s.len)
    }

    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }

    pub fn content_type(&self) -> Option<&str> {
        self.header("content-type")
    }

    /// Whether the body should be read as JSON: a JSON media type, or no type and a body that looks like JSON.
    pub fn looks_like_json(&self) -> bool {
        match self.content_type() {
            Some(ct) => {
                let essence = ct.split(';').next().unwrap_or("").trim().to_ascii_lowercase();
                essence == "application/json" || essence.ends_with("+json") || essence.ends_with("/json")
            }
            None => matches!(self.body.iter().find(|b| !b.is_ascii_whitespace()), Some(b'{' | b'[')),
        }
    }
}

/// One entry of a ZorgAPIs error's `details`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ApiErrorDetail {
    #[serde(default)]
    pub location: Option<String>,
    #[serde(default)]
    pub message: String,
}

/// The ZorgAPIs error shape: `{status, type, message, details[]}`.
#[derive(Debug, Clone, PartialEq, Eq, serde::Deserialize)]
pub struct ApiErrorBody {
    pub status: u16,
    #[serde(rename = "type")]
    pub kind: String,
    pub message: String,
    #[serde(default)]
    pub details: Vec<ApiErrorDetail>,
}

impl ApiErrorBody {
    /// Reads the error shape from a failed response's body; other bodies give `None`. Small bodies only: an error
    /// page of megabytes is not a ZorgAPIs error.
    pub fn from_response(response: &ApiResponse) -> Option<ApiErrorBody> {
        if response.status < 400 || response.body.len() > 64 * 1024 {
            return None;
        }
        serde_json::from_slice(&response.body).ok()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn response(status: u16, content_type: Option<&str>, body: &'static str) -> ApiResponse {
        ApiResponse {
            status,
            reason: String::new(),
            headers: content_type.map(|ct| vec![("content-type".into(), ct.into())]).unwrap_or_default(),
            body: Bytes::from_static(body.as_bytes()),
            elapsed: Duration::ZERO,
            url: String::new(),
            spilled: None,
        }
    }

    #[test]
    fn json_is_recognised_by_type_or_shape() {
        assert!(response(200, Some("application/json; charset=utf-8"), "").looks_like_json());
        assert!(response(200, Some("application/problem+json"), "").looks_like_json());
        assert!(!response(200, Some("text/html"), "{").looks_like_json());
        assert!(response(200, None, "  [1]").looks_like_json());
        assert!(!response(200, None, "hello").looks_like_json());
    }

    #[test]
    fn zorgapis_error_shape_is_read() {
        let r = response(
            422,
            Some("application/json"),
            r#"{"status":422,"type":"INVALID_ARGUMENT","message":"bad","details":[{"location":"name","message":"'name' is required"}]}"#,
        );
        let e = ApiErrorBody::from_response(&r).unwrap();
        assert_eq!((e.status, e.kind.as_str(), e.details.len()), (422, "INVALID_ARGUMENT", 1));
        assert!(ApiErrorBody::from_response(&response(404, None, "<html>")).is_none());
        assert!(
            ApiErrorBody::from_response(&response(200, None, r#"{"status":1,"type":"x","message":"m"}"#)).is_none()
        );
    }
}
