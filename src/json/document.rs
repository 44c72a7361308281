//! A parsed JSON body. First version: serde_json's tree; the inspector issue replaces it with a compact index.

use bytes::Bytes;
use thiserror::Error;

/// Why a body is not JSON, with where the parser stopped (1-based line and column).
#[derive(Debug, Clone, Error, PartialEq, Eq)]
#[error("invalid JSON at line {line}, column {column}: {message}")]
pub struct JsonError {
    pub line: usize,
    pub column: usize,
    pub message: String,
}

/// A JSON document, parsed once and then only read.
#[derive(Debug)]
pub struct Document {
    bytes: Bytes,
    pub(crate) root: serde_json::Value,
}

impl Document {
    pub fn parse(bytes: Bytes) -> Result<Document, JsonError> {
        match serde_json::from_slice(&bytes) {
            Ok(root) => Ok(Document { bytes, root }),
            Err(e) => Err(JsonError { line: e.line(), column: e.column(), message: strip_position(&e.to_string()) }),
        }
    }

    /// The body as received.
    pub fn bytes(&self) -> &Bytes {
        &self.bytes
    }

    pub fn len_bytes(&self) -> usize {
        self.bytes.len()
    }
}

/// serde_json appends " at line L column C"; we report those fields ourselves.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parse_error_names_line_and_column() {
        let err = Document::parse(Bytes::from_static(b"{\n  \"a\": tru\n}")).unwrap_err();
        assert!(err.line >= 2, "{err}");
        assert!(err.to_string().starts_with("invalid JSON at line "), "{err}");
    }
}
