//! Turning an operation and the values a person typed into a request ready to send.

use bytes::Bytes;
use percent_encoding::{AsciiSet, CONTROLS, utf8_percent_encode};
use thiserror::Error;

use super::catalogue::{Method, Operation};

/// Characters that must be escaped inside one path segment (RFC 3986 `pchar` is what may stay).
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'%')
    .add(b'/')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'[')
    .add(b'\\')
    .add(b']')
    .add(b'^')
    .add(b'`')
    .add(b'{')
    .add(b'|')
    .add(b'}');

/// The values of one request, as the editor holds them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RequestValues {
    pub path: Vec<(String, String)>,
    /// Query parameters; an empty value is left out.
    pub query: Vec<(String, String)>,
    /// Headers; an empty name is left out.
    pub headers: Vec<(String, String)>,
    /// The body text; sent only when the operation takes one and it is not blank.
    pub body: Option<String>,
}

/// A request ready for the HTTP client. It carries no credentials: the access token is added at send time, and
/// only when `with_token` says the URL may have it (see [`super::client::token_may_go_to`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreparedRequest {
    pub method: Method,
    pub url: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<Bytes>,
    /// Whether the session's access token may be sent with it. False unless the caller checked.
    pub with_token: bool,
    /// The spec's apiKey and http credentials it carries (their values are put in only on the wire).
    pub credentials: Option<super::credentials::Credentials>,
}

/// Why a request cannot be built.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum BuildError {
    #[error("path parameter `{0}` needs a value")]
    MissingPathParam(String),
    #[error("`{0}` is not a valid header name")]
    BadHeaderName(String),
    #[error("the value of header `{0}` has characters a header cannot carry")]
    BadHeaderValue(String),
    #[error("API base `{0}` is not an http(s) URL")]
    BadBase(String),
}

/// The full URL for `op` under `base`, with path parameters filled in and the query appended.
pub fn build_url(op: &Operation, base: &str, values: &RequestValues) -> Result<String, BuildError> {
    if !super::spec_source::is_url(base) {
        return Err(BuildError::BadBase(base.to_string()));
    }
    let mut url = base.trim_end_matches('/').to_string();
    // Paths start with `/` by the spec's rules; one that does not still goes below the base, not glued to it.
    if !op.path.starts_with('/') {
        url.push('/');
    }
    url.push_str(&fill_path(&op.path, &values.path)?);
    let query: Vec<&(String, String)> = values.query.iter().filter(|(_, v)| !v.is_empty()).collect();
    if !query.is_empty() {
        let mut encoder = url::form_urlencoded::Serializer::new(String::new());
        for (name, value) in query {
            encoder.append_pair(name, value);
        }
        url.push(if url.contains('?') { '&' } else { '?' });
        url.push_str(&encoder.finish());
    }
    Ok(url)
}

/// Replaces every `{name}` in `template`; a parameter with no value is an error, never sent as `{name}`.
pub fn fill_path(template: &str, values: &[(String, String)]) -> Result<String, BuildError> {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else { break };
        out.push_str(&rest[..open]);
        let name = &rest[open + 1..close];
        let value = values.iter().find(|(n, _)| n == name).map(|(_, v)| v.trim()).unwrap_or_default();
        if value.is_empty() {
            return Err(BuildError::MissingPathParam(name.to_string()));
        }
        out.extend(utf8_percent_encode(value, PATH_SEGMENT));
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Ok(out)
}

/// Builds the whole request.
pub fn prepare(op: &Operation, base: &str, values: &RequestValues) -> Result<PreparedRequest, BuildError> {
    let url = build_url(op, base, values)?;
    let mut headers = Vec::new();
    for (name, value) in &values.headers {
        let name = name.trim();
        if name.is_empty() {
            continue;
        }
        if reqwest::header::HeaderName::from_bytes(name.as_bytes()).is_err() {
            return Err(BuildError::BadHeaderName(name.to_string()));
        }
        if reqwest::header::HeaderValue::from_str(value).is_err() {
            return Err(BuildError::BadHeaderValue(name.to_string()));
        }
        headers.push((name.to_string(), value.clone()));
    }
    let body = values.body.as_ref().filter(|b| !b.trim().is_empty()).map(|b| Bytes::from(b.clone().into_bytes()));
    if body.is_some() && !headers.iter().any(|(n, _)| n.eq_ignore_ascii_case("content-type")) {
        let content_type = op.body.as_ref().map_or("application/json", |b| b.content_type.as_str());
        headers.push(("Content-Type".to_string(), content_type.to_string()));
    }
    Ok(PreparedRequest { method: op.method, url, headers, body, with_token: false, credentials: None })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::catalogue::{Operation, RequestBody};

    fn op(method: Method, path: &str) -> Operation {
        Operation::bare(method, path)
    }

    fn pairs(items: &[(&str, &str)]) -> Vec<(String, String)> {
        items.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
    }

    #[test]
    fn path_params_are_filled_and_escaped() {
        let values = RequestValues { path: pairs(&[("id", "a b/c"), ("x", "1.2.0")]), ..Default::default() };
        let url = build_url(&op(Method::Get, "/v/{x}/items/{id}:accept"), "https://h/base/", &values).unwrap();
        assert_eq!(url, "https://h/base/v/1.2.0/items/a%20b%2Fc:accept");
    }

    #[test]
    fn a_path_without_its_slash_still_goes_below_the_base() {
        let url = build_url(&op(Method::Get, "items"), "https://h/v1", &RequestValues::default()).unwrap();
        assert_eq!(url, "https://h/v1/items");
    }

    #[test]
    fn missing_path_param_is_never_sent_as_a_template() {
        let values = RequestValues { path: pairs(&[("id", "  ")]), ..Default::default() };
        let err = build_url(&op(Method::Get, "/items/{id}"), "https://h", &values).unwrap_err();
        assert_eq!(err, BuildError::MissingPathParam("id".into()));
    }

    #[test]
    fn empty_query_values_are_left_out_and_others_encoded() {
        let values = RequestValues {
            query: pairs(&[("limit", "10"), ("filter", ""), ("sort", "asc(name)"), ("q", "a&b")]),
            ..Default::default()
        };
        let url = build_url(&op(Method::Get, "/x"), "http://127.0.0.1:1", &values).unwrap();
        assert_eq!(url, "http://127.0.0.1:1/x?limit=10&sort=asc%28name%29&q=a%26b");
    }

    #[test]
    fn body_gets_the_operations_content_type() {
        let mut post = op(Method::Post, "/x");
        post.body =
            Some(RequestBody { content_type: "application/merge-patch+json".into(), required: true, example: None });
        let values = RequestValues { body: Some("{}".into()), ..Default::default() };
        let req = prepare(&post, "https://h", &values).unwrap();
        assert_eq!(req.headers, pairs(&[("Content-Type", "application/merge-patch+json")]));
        assert_eq!(req.body.as_deref(), Some(&b"{}"[..]));
    }

    #[test]
    fn bad_headers_are_refused_with_their_name() {
        let values = RequestValues { headers: pairs(&[("bad name", "x")]), ..Default::default() };
        assert_eq!(
            prepare(&op(Method::Get, "/"), "https://h", &values),
            Err(BuildError::BadHeaderName("bad name".into()))
        );
        let values = RequestValues { headers: pairs(&[("X-A", "line\nbreak")]), ..Default::default() };
        assert_eq!(prepare(&op(Method::Get, "/"), "https://h", &values), Err(BuildError::BadHeaderValue("X-A".into())));
    }

    #[test]
    fn base_must_be_http() {
        assert!(matches!(
            build_url(&op(Method::Get, "/"), "ftp://x", &RequestValues::default()),
            Err(BuildError::BadBase(_))
        ));
    }
}
