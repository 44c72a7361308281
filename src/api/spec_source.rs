//! Where a catalogue comes from: the built-in one, a local file, or a URL fetched in the background.

use thiserror::Error;

use super::Catalogue;
use crate::http::{BodyKind, Http, SendError};

/// Why a spec from a URL could not be used: one line naming the URL and the problem.
#[derive(Debug, Error)]
pub enum SpecLoadError {
    #[error("{url}: {detail}")]
    Fetch { url: String, detail: String },
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error(transparent)]
    Spec(#[from] super::openapi::SpecError),
}

/// Whether `source` names a URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Fetches and parses a spec, at most `spec_cap_mb` of it. Parsing runs on a blocking thread: a big YAML document
/// takes a while.
pub async fn fetch(http: &Http, url: &str) -> Result<Catalogue, SpecLoadError> {
    let fail = |e: SendError| SpecLoadError::Fetch { url: url.to_string(), detail: e.to_string() };
    let request = http.get(url).header("Accept", "application/yaml, application/json;q=0.9, */*;q=0.5");
    let response = http.send(request).await.map_err(fail)?;
    if !response.status().is_success() {
        return Err(SpecLoadError::Status { url: url.to_string(), status: response.status().as_u16() });
    }
    let bytes = response.bytes(BodyKind::Spec).await.map_err(fail)?;
    let source = url.to_string();
    let parsed = tokio::task::spawn_blocking(move || super::openapi::parse(&bytes, &source))
        .await
        .map_err(|e| SpecLoadError::Fetch { url: url.to_string(), detail: format!("parsing stopped: {e}") })?;
    Ok(parsed?)
}
