//! Where a catalogue comes from: the built-in one, a local file, or a URL fetched in the background.
//!
//! A spec from a URL is shown from the cache at once when it was read before, and revalidated meanwhile (with the
//! server's ETag and Last-Modified): it is parsed again only when its bytes changed. The documents its `$ref`s
//! name (on the same origin) are fetched through the same bounded client.

use thiserror::Error;

use super::Catalogue;
use super::openapi::{self, Fetch, Location};
use super::spec_cache::{self, SpecCache, Validators};
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

/// Fetches and parses a spec, at most `spec_cap_mb` of it (and of each document it refers to).
pub async fn fetch(http: &Http, url: &str) -> Result<Catalogue, SpecLoadError> {
    let mut shown = None;
    load(http, url, None, |result| shown = Some(result)).await;
    shown.unwrap_or_else(|| Err(SpecLoadError::Fetch { url: url.to_string(), detail: "nothing was read".to_string() }))
}

/// Loads the spec at `url`, handing each catalogue worth showing to `show`: the cached one first when there is one,
/// then the fetched one if it differs. A failure is handed on only when nothing was shown; after a cached
/// catalogue it is logged, and the cached one stays.
pub async fn load(
    http: &Http,
    url: &str,
    cache: Option<&SpecCache>,
    mut show: impl FnMut(Result<Catalogue, SpecLoadError>),
) {
    let cached = match cache {
        Some(cache) => {
            let (cache, key) = (cache.clone(), url.to_string());
            tokio::task::spawn_blocking(move || cache.lookup_url(&key)).await.ok().flatten()
        }
        None => None,
    };
    if let Some(entry) = &cached {
        show(Ok(entry.catalogue.clone()));
    }
    let fail = |shown: bool, error: SpecLoadError, show: &mut dyn FnMut(Result<Catalogue, SpecLoadError>)| {
        if shown {
            tracing::warn!("the cached spec stays: {error}");
        } else {
            show(Err(error));
        }
    };
    let (bytes, validators) = match get(http, url, cached.as_ref().map(|e| &e.validators)).await {
        Ok(Got::NotModified) => return tracing::debug!(%url, "spec unchanged (304)"),
        Ok(Got::Body { bytes, validators }) => (bytes, validators),
        Err(error) => return fail(cached.is_some(), error, &mut show),
    };
    let content = spec_cache::content_hash(&bytes);
    if let Some(mut entry) = cached.clone().filter(|e| e.content == content) {
        tracing::debug!(%url, "spec unchanged (same bytes)");
        entry.validators = validators;
        if let Some(cache) = cache {
            cache.refresh_url(url, &entry);
        }
        return;
    }
    let (source, handle, client) = (url.to_string(), tokio::runtime::Handle::current(), http.clone());
    // Parsing runs on a blocking thread (a big YAML document takes a while), and so do the fetches of the
    // documents it refers to.
    let parsed = tokio::task::spawn_blocking(move || {
        openapi::parse_with(&bytes, &source, &mut UrlFetch { http: client, handle })
    })
    .await;
    match parsed {
        Ok(Ok(loaded)) => match cache {
            Some(cache) => show(Ok(cache.store_url(url, content, validators, loaded).catalogue)),
            None => show(Ok(loaded.catalogue)),
        },
        Ok(Err(error)) => fail(cached.is_some(), error.into(), &mut show),
        Err(e) => fail(
            cached.is_some(),
            SpecLoadError::Fetch { url: url.to_string(), detail: format!("parsing stopped: {e}") },
            &mut show,
        ),
    }
}

enum Got {
    NotModified,
    Body { bytes: bytes::Bytes, validators: Validators },
}

async fn get(http: &Http, url: &str, validators: Option<&Validators>) -> Result<Got, SpecLoadError> {
    let fail = |e: SendError| SpecLoadError::Fetch { url: url.to_string(), detail: e.to_string() };
    let mut request = http.get(url).header("Accept", "application/yaml, application/json;q=0.9, */*;q=0.5");
    if let Some(validators) = validators {
        if let Some(etag) = &validators.etag {
            request = request.header("If-None-Match", etag);
        }
        if let Some(date) = &validators.last_modified {
            request = request.header("If-Modified-Since", date);
        }
    }
    let response = http.send(request).await.map_err(fail)?;
    if response.status() == reqwest::StatusCode::NOT_MODIFIED && validators.is_some() {
        return Ok(Got::NotModified);
    }
    if !response.status().is_success() {
        return Err(SpecLoadError::Status { url: url.to_string(), status: response.status().as_u16() });
    }
    let header = |name: reqwest::header::HeaderName| {
        response.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_string)
    };
    let validators =
        Validators { etag: header(reqwest::header::ETAG), last_modified: header(reqwest::header::LAST_MODIFIED) };
    let bytes = response.bytes(BodyKind::Spec).await.map_err(fail)?;
    Ok(Got::Body { bytes, validators })
}

/// Fetches the documents a spec's `$ref`s name, from the blocking thread that parses it.
struct UrlFetch {
    http: Http,
    handle: tokio::runtime::Handle,
}

impl Fetch for UrlFetch {
    fn fetch(&mut self, location: &Location) -> Result<Vec<u8>, String> {
        let Location::Url(url) = location else { return Err("not a URL".to_string()) };
        match self.handle.block_on(get(&self.http, url.as_str(), None)) {
            Ok(Got::Body { bytes, .. }) => Ok(bytes.to_vec()),
            Ok(Got::NotModified) => Err("the server answered 304".to_string()),
            Err(SpecLoadError::Status { status, .. }) => Err(format!("the server answered {status}")),
            Err(e) => Err(e.to_string()),
        }
    }
}
