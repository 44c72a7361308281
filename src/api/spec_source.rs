//! Where a catalogue comes from: the built-in one, a local file, or a URL fetched in the background.

use std::time::Duration;

use thiserror::Error;

use super::Catalogue;
use super::client::{explain, host_of};

/// A spec larger than this is refused rather than read into memory.
const MAX_SPEC_BYTES: usize = 32 * 1024 * 1024;

/// Why a spec from a URL could not be used: one line naming the URL and the problem.
#[derive(Debug, Error)]
pub enum SpecLoadError {
    #[error("{url}: {detail}")]
    Fetch { url: String, detail: String },
    #[error("{url}: the server answered {status}")]
    Status { url: String, status: u16 },
    #[error("{url}: larger than {} MB; download it and pass the file", MAX_SPEC_BYTES / (1024 * 1024))]
    TooLarge { url: String },
    #[error(transparent)]
    Spec(#[from] super::openapi::SpecError),
}

/// Whether `source` names a URL rather than a file.
pub fn is_url(source: &str) -> bool {
    source.starts_with("http://") || source.starts_with("https://")
}

/// Fetches and parses a spec. Parsing runs on a blocking thread: a big YAML document takes a while.
pub async fn fetch(client: &reqwest::Client, url: &str) -> Result<Catalogue, SpecLoadError> {
    let fail = |detail: String| SpecLoadError::Fetch { url: url.to_string(), detail };
    let response = client
        .get(url)
        .header("Accept", "application/yaml, application/json;q=0.9, */*;q=0.5")
        .timeout(Duration::from_secs(60))
        .send()
        .await
        .map_err(|e| fail(explain(&host_of(url), &e).to_string()))?;
    if !response.status().is_success() {
        return Err(SpecLoadError::Status { url: url.to_string(), status: response.status().as_u16() });
    }
    if response.content_length().is_some_and(|n| n > MAX_SPEC_BYTES as u64) {
        return Err(SpecLoadError::TooLarge { url: url.to_string() });
    }
    let bytes = response.bytes().await.map_err(|e| fail(explain(&host_of(url), &e).to_string()))?;
    if bytes.len() > MAX_SPEC_BYTES {
        return Err(SpecLoadError::TooLarge { url: url.to_string() });
    }
    let source = url.to_string();
    let parsed = tokio::task::spawn_blocking(move || super::openapi::parse(&bytes, &source))
        .await
        .map_err(|e| fail(format!("parsing stopped: {e}")))?;
    Ok(parsed?)
}
