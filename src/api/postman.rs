//! Postman collections (v2.1, and v2.0 where its shape is the same) and their environments, read into the same
//! [`Catalogue`] as an OpenAPI document: folders become groups in their order (a folder in a folder is a group with
//! a parent), requests become operations. The collection's variables and an environment's enabled values are
//! handed on for the resolver; an `oauth2` auth, inherited as Postman does, for the sign-in.
//!
//! Scripts (`prerequest`, `test`) are read, never run: the collection says how many requests carry them and which
//! variables they set, so the person can do the same with the inspector's set-variable key.
//!
//! A file that is not a collection (an OpenAPI document, an environment, garbage, nothing) is refused with one line
//! that says what it is. No input panics.

mod auth;
mod items;
mod request;
mod schema;

use thiserror::Error;

pub use auth::{Effective, OAuth2Settings, POSTMAN_BROWSER_CALLBACK};
pub use items::PATH_SEPARATOR;

use crate::api::Catalogue;

/// The name of the security scheme a collection's `oauth2` auth becomes.
pub const OAUTH2_SCHEME: &str = "postman-oauth2";

/// A collection read into a catalogue, with what the catalogue does not hold.
#[derive(Clone, PartialEq, Eq)]
pub struct Collection {
    pub catalogue: Catalogue,
    /// The collection's own variables in force, in file order (`{{name}}` values kept as written).
    pub variables: Vec<(String, String)>,
    /// The `oauth2` auth most requests end up with (the collection's, or a folder's), for the sign-in.
    pub oauth2: Option<OAuth2Settings>,
    /// The base most requests go to, as written (`{{baseApiUrl}}`): the API.
    pub api_base: String,
    /// How many requests carry a script of their own (a non-blank `prerequest` or `test`).
    pub scripted: usize,
    /// The variables those scripts set (`pm.environment.set("organizationId", …)`), in first-seen order.
    pub script_variables: Vec<String>,
}

/// An environment: its name and its enabled values, in file order.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct Environment {
    pub name: String,
    pub values: Vec<(String, String)>,
}

impl std::fmt::Debug for Environment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        // Values may be secrets (a client secret, a token): names only.
        f.debug_struct("Environment")
            .field("name", &self.name)
            .field("values", &self.values.iter().map(|(k, _)| k).collect::<Vec<_>>())
            .finish()
    }
}

impl Environment {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.values.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }

    /// Sets `name` (kept in its place when it is there already).
    pub fn set(&mut self, name: &str, value: &str) {
        match self.values.iter_mut().find(|(k, _)| k == name) {
            Some(pair) => pair.1 = value.to_string(),
            None => self.values.push((name.to_string(), value.to_string())),
        }
    }
}

/// Why a file could not be read as a collection or an environment: one line naming the file and the problem.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum PostmanError {
    #[error("{origin}: cannot read it: {reason}")]
    Read { origin: String, reason: String },
    #[error("{origin} is empty")]
    Empty { origin: String },
    #[error("{origin}: invalid JSON at line {line}, column {column}: {message}")]
    Json { origin: String, line: usize, column: usize, message: String },
    #[error("{origin} is not a Postman collection: {reason}")]
    NotCollection { origin: String, reason: String },
    #[error(
        "{origin} is a Postman collection of schema {schema}; zorgtui reads v2.1 (and v2.0): export it again as v2.1"
    )]
    UnsupportedSchema { origin: String, schema: String },
    #[error("{origin} is not a Postman environment: {reason}")]
    NotEnvironment { origin: String, reason: String },
}

fn origin_of(source: &str) -> String {
    crate::text::escape_controls(source).into_owned()
}

/// Reads a collection from `bytes`; `source` names it in the catalogue and in errors.
pub fn parse_collection(bytes: &[u8], source: &str) -> Result<Collection, PostmanError> {
    let origin = origin_of(source);
    let value = json(bytes, &origin)?;
    let not = |reason: &str| PostmanError::NotCollection { origin: origin.clone(), reason: reason.to_string() };
    let Some(object) = value.as_object() else { return Err(not("its top level is not a JSON object")) };
    if object.contains_key("openapi") || object.contains_key("swagger") {
        return Err(not("it is an OpenAPI document — open it with --spec"));
    }
    if object.contains_key("values") && object.contains_key("_postman_variable_scope") {
        return Err(not("it is a Postman environment — give it with --environment"));
    }
    let schema = object.get("info").and_then(|i| i.get("schema")).and_then(|s| s.as_str()).unwrap_or("").to_string();
    if object.contains_key("requests") || object.contains_key("order") {
        return Err(PostmanError::UnsupportedSchema { origin, schema: "v1".into() });
    }
    if !object.contains_key("item") {
        return Err(not("it has no `item` list"));
    }
    if !schema.is_empty() && !schema.contains("/v2.1") && !schema.contains("/v2.0") {
        let version = schema.split('/').find(|part| part.starts_with('v')).unwrap_or(&schema);
        return Err(PostmanError::UnsupportedSchema { origin, schema: origin_of(version) });
    }
    let file: schema::CollectionFile = serde_json::from_value(value).map_err(|e| not(&one_line(&e.to_string())))?;
    Ok(items::read(file, source, schema.is_empty()))
}

/// Reads an environment (Postman's export: `name` and `values`); only enabled values are kept.
pub fn parse_environment(bytes: &[u8], source: &str) -> Result<Environment, PostmanError> {
    let origin = origin_of(source);
    let value = json(bytes, &origin)?;
    let not = |reason: &str| PostmanError::NotEnvironment { origin: origin.clone(), reason: reason.to_string() };
    if value.get("item").is_some() && value.get("info").is_some() {
        return Err(not("it is a Postman collection — give it with --collection"));
    }
    let file: schema::EnvironmentFile = serde_json::from_value(value).map_err(|e| not(&one_line(&e.to_string())))?;
    let Some(values) = file.values else { return Err(not("it has no `values` list")) };
    let values = values
        .iter()
        .filter(|v| v.in_force())
        .filter_map(|v| Some((v.name()?.to_string(), schema::text_of(v.value.as_ref()))))
        .collect();
    Ok(Environment { name: file.name.unwrap_or_default(), values })
}

fn json(bytes: &[u8], origin: &str) -> Result<serde_json::Value, PostmanError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if bytes.iter().all(u8::is_ascii_whitespace) {
        return Err(PostmanError::Empty { origin: origin.to_string() });
    }
    serde_json::from_slice(bytes).map_err(|e| PostmanError::Json {
        origin: origin.to_string(),
        line: e.line(),
        column: e.column(),
        message: one_line(&e.to_string()),
    })
}

fn one_line(text: &str) -> String {
    crate::text::escape_controls(text.lines().next().unwrap_or("")).into_owned()
}

/// Reads the collection file at `path`, at most `limit` bytes of it.
pub fn load_collection(path: &std::path::Path, limit: u64) -> Result<Collection, PostmanError> {
    let source = path.display().to_string();
    let bytes = crate::api::openapi::read_file(path, limit)
        .map_err(|reason| PostmanError::Read { origin: origin_of(&source), reason })?;
    parse_collection(&bytes, &source)
}

/// Reads the environment file at `path`, at most `limit` bytes of it.
pub fn load_environment(path: &std::path::Path, limit: u64) -> Result<Environment, PostmanError> {
    let source = path.display().to_string();
    let bytes = crate::api::openapi::read_file(path, limit)
        .map_err(|reason| PostmanError::Read { origin: origin_of(&source), reason })?;
    parse_environment(&bytes, &source)
}

/// Fetches a collection from `url` through the bounded reader (at most `spec_cap_mb` of it).
pub async fn fetch_collection(http: &crate::http::Http, url: &str) -> Result<Collection, PostmanError> {
    let fail = |reason: String| PostmanError::Read { origin: origin_of(url), reason };
    let request = http.get(url).header("Accept", "application/json");
    let response = http.send(request).await.map_err(|e| fail(e.to_string()))?;
    if !response.status().is_success() {
        return Err(fail(format!("the server answered {}", response.status().as_u16())));
    }
    let bytes = response.bytes(crate::http::BodyKind::Collection).await.map_err(|e| fail(e.to_string()))?;
    parse_collection(&bytes, url)
}

/// `text` with every `{{name}}` that `lookup` knows replaced (Postman's substitution: one pass, unknown names kept
/// as written, so a caller can tell what is missing).
pub fn substitute(text: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let name = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        match lookup(name) {
            Some(value) => out.push_str(&value),
            None => out.push_str(&rest[start..start + 2 + len + 2]),
        }
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out
}

/// Looks `name` up as a request in Postman would: the environment first, then the collection's variables; empty
/// values count as not set.
pub fn lookup<'a>(
    environment: Option<&'a Environment>,
    collection: &'a [(String, String)],
) -> impl Fn(&str) -> Option<String> + 'a {
    move |name| {
        environment
            .and_then(|e| e.get(name))
            .filter(|v| !v.is_empty())
            .or_else(|| collection.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str()).filter(|v| !v.is_empty()))
            .map(str::to_string)
    }
}

#[cfg(test)]
mod tests;
