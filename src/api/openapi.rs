//! OpenAPI 3.0 and 3.1 documents (JSON or YAML, from a file or any bytes) read into a [`Catalogue`].
//!
//! Reading is forgiving inside the document (a dangling `$ref` or an odd parameter skips that piece with a notice)
//! and strict only about what it is: not OpenAPI 3.0/3.1 is an error that says so. No input panics or loops.

mod body;
mod document;
mod operations;
mod params;
mod plain;
mod refs;
mod security;
mod synth;

use std::path::Path;

use serde_yaml_ng::Value;

pub use crate::api::SpecError;
use crate::api::{Catalogue, Server, Tag};
pub(crate) use body::reformat_json;
use plain::{first_line, one_line};
use refs::{Context, untag};

/// Reads the OpenAPI document at `path` (JSON or YAML, told by content).
pub fn load_file(path: &Path) -> Result<Catalogue, SpecError> {
    let source = path.display().to_string();
    match std::fs::read(path) {
        Ok(bytes) => parse(&bytes, &source),
        Err(e) => Err(SpecError::Read { origin: origin_of(&source), reason: e.to_string() }),
    }
}

/// Reads an OpenAPI 3.0/3.1 document from `bytes` (JSON or YAML, told by content); `source` names it in the
/// catalogue and in errors (a path or a URL).
pub fn parse(bytes: &[u8], source: &str) -> Result<Catalogue, SpecError> {
    let origin = origin_of(source);
    let root = document::decode(bytes, &origin)?;
    let version_notice = check_version(&root, &origin)?;
    let paths = match root.get("paths").map(untag) {
        None | Some(Value::Null) => None,
        Some(Value::Mapping(paths)) => Some(paths),
        Some(other) => {
            let problem = format!("`paths` must be a mapping of paths to operations, not {}", shape(other));
            return Err(SpecError::Invalid { origin, problem });
        }
    };

    let mut ctx = Context::new(&root);
    ctx.notices.extend(version_notice);
    let oauth = security::oauth_scheme(&mut ctx);
    let found = paths.map(|paths| operations::read(&mut ctx, paths, oauth.as_ref())).unwrap_or_default();
    let (tags, operations) = operations::group(document_tags(&root), found);
    note_webhooks(&mut ctx, operations.len());

    Ok(Catalogue {
        title: title(&root),
        source: origin,
        tags,
        operations,
        servers: servers(&root),
        oauth,
        notices: ctx.notices.finish(),
    })
}

fn origin_of(source: &str) -> String {
    crate::text::escape_controls(source).into_owned()
}

/// `Ok(None)` for 3.0/3.1, `Ok(Some(notice))` for a newer 3.x read as 3.1, else the error that says what it is.
fn check_version(root: &Value, origin: &str) -> Result<Option<String>, SpecError> {
    let not_openapi = |reason: &str| SpecError::NotOpenApi { origin: origin.to_string(), reason: reason.to_string() };
    let Value::Mapping(_) = untag(root) else {
        return Err(not_openapi(&format!("its top level is {}, not a mapping", shape(root))));
    };
    let version = match root.get("openapi").map(untag) {
        Some(Value::String(text)) => one_line(text),
        Some(Value::Number(number)) => number.to_string(),
        Some(_) => return Err(not_openapi("its `openapi` field is not a version number")),
        None if root.get("swagger").is_some() => return Err(SpecError::Swagger2 { origin: origin.to_string() }),
        None => return Err(not_openapi("no `openapi` field")),
    };
    let mut parts = version.split('.');
    let (major, minor) = (parts.next(), parts.next().and_then(|m| m.parse::<u32>().ok()));
    match (major, minor) {
        (Some("3"), Some(0 | 1)) => Ok(None),
        (Some("3"), Some(_)) => Ok(Some(format!("OpenAPI {version} is newer than 3.1: read as 3.1"))),
        _ => Err(SpecError::UnsupportedVersion { origin: origin.to_string(), version }),
    }
}

fn shape(value: &Value) -> &'static str {
    match untag(value) {
        Value::Null => "empty",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Sequence(_) => "a list",
        Value::Mapping(_) => "a mapping",
        Value::Tagged(_) => "a tagged value",
    }
}

fn title(root: &Value) -> String {
    let info = root.get("info");
    let field = |name: &str| info.and_then(|i| i.get(name)).and_then(plain::wire_text).map(|t| one_line(&t));
    match (field("title").filter(|t| !t.is_empty()), field("version").filter(|v| !v.is_empty())) {
        (Some(title), Some(version)) => format!("{title} {version}"),
        (Some(title), None) => title,
        (None, _) => "Untitled API".to_string(),
    }
}

/// The document's `tags` list, in order, without repeats.
fn document_tags(root: &Value) -> Vec<Tag> {
    let mut tags: Vec<Tag> = Vec::new();
    for tag in root.get("tags").and_then(Value::as_sequence).into_iter().flatten() {
        let Some(name) = tag.get("name").and_then(plain::wire_text).map(|n| one_line(&n)) else { continue };
        if tags.iter().any(|t| t.name == name) {
            continue;
        }
        let description = tag
            .get("description")
            .and_then(Value::as_str)
            .map(first_line)
            .filter(|d| !d.is_empty())
            .or_else(|| tag.get("x-displayName").and_then(Value::as_str).map(one_line))
            .unwrap_or_default();
        tags.push(Tag { name, description });
    }
    tags
}

/// Servers with their variables set to their defaults; relative URLs kept as written.
fn servers(root: &Value) -> Vec<Server> {
    let list = root.get("servers").and_then(Value::as_sequence).into_iter().flatten();
    list.filter_map(|server| {
        let mut url = server.get("url").and_then(Value::as_str)?.to_string();
        for (name, variable) in server.get("variables").and_then(Value::as_mapping).into_iter().flatten() {
            let (Some(name), Some(default)) =
                (refs::key_text(name), variable.get("default").and_then(plain::wire_text))
            else {
                continue;
            };
            url = url.replace(&format!("{{{name}}}"), &default);
        }
        let description = server.get("description").and_then(Value::as_str).map(first_line).unwrap_or_default();
        Some(Server { url: one_line(&url), description })
    })
    .collect()
}

fn note_webhooks(ctx: &mut Context<'_>, operations: usize) {
    let webhooks = ctx.root.get("webhooks").and_then(Value::as_mapping).map_or(0, serde_yaml_ng::Mapping::len);
    let plural = if webhooks == 1 { "webhook" } else { "webhooks" };
    match (operations, webhooks) {
        (0, 0) => ctx.notices.push("no operations: the document has no paths"),
        (0, n) => ctx.notices.push(format!("no paths: this document describes {n} {plural} only")),
        (_, 0) => {}
        (_, n) => ctx.notices.push(format!("{n} {plural} not listed: they are calls the API makes, not ones you make")),
    }
}
