//! OpenAPI 3.0 and 3.1 and Swagger 2.0 documents (JSON or YAML, from a file or any bytes, with the other files their
//! `$ref`s name) read into a [`Catalogue`].
//!
//! Reading is forgiving inside the document (a dangling `$ref` or an odd parameter skips that piece with a notice)
//! and strict only about what it is: not OpenAPI 3.0/3.1 is an error that says so. No input panics or loops.

mod body;
mod bundle;
mod document;
mod links;
mod operations;
mod param_schemas;
mod params;
mod plain;
mod refs;
mod security;
mod servers;
mod swagger2;
mod synth;

use std::path::Path;

use serde_yaml_ng::Value;

pub use crate::api::SpecError;
use crate::api::{Catalogue, Tag};
pub use bundle::{Dependency, Fetch, FileFetch, Location, read_file};
use plain::{first_line, one_line};
use refs::{Context, untag};

/// A catalogue and the other files it was read from (the root document itself not among them).
#[derive(Debug, Clone)]
pub struct Loaded {
    pub catalogue: Catalogue,
    pub dependencies: Vec<Dependency>,
}

/// Documents past this size are dropped on a thread of their own: freeing a tree of a few million nodes takes tens
/// of milliseconds that the first frame need not wait for.
const DROP_ASIDE_BYTES: usize = 1 << 20;
/// Documents past this size have their example bodies made after the first frame (see [`parse_soon`]).
pub const BODIES_LATER_BYTES: usize = 1 << 20;

/// Reads the OpenAPI or Swagger 2.0 document at `path` (JSON or YAML, told by content), with the files its `$ref`s
/// name beside it.
pub fn load_file(path: &Path) -> Result<Catalogue, SpecError> {
    load_file_with(path, crate::config::Limits::DEFAULT.document).map(|loaded| loaded.catalogue)
}

/// [`load_file`], each file read at most `limit` bytes, with the other files it read.
pub fn load_file_with(path: &Path, limit: u64) -> Result<Loaded, SpecError> {
    let source = path.display().to_string();
    match bundle::read_file(path, limit) {
        Ok(bytes) => parse_with(&bytes, &source, &mut FileFetch { limit }),
        Err(reason) => Err(SpecError::Read { origin: origin_of(&source), reason }),
    }
}

/// Reads an OpenAPI 3.0/3.1 or Swagger 2.0 document from `bytes` (JSON or YAML, told by content); `source` names it
/// in the catalogue and in errors (a path or a URL). `$ref`s to other documents are not followed.
pub fn parse(bytes: &[u8], source: &str) -> Result<Catalogue, SpecError> {
    read(bytes, source, None).map(|loaded| loaded.catalogue)
}

/// [`parse`], following `$ref`s to other documents (relative to `source`) through `fetch`.
pub fn parse_with(bytes: &[u8], source: &str, fetch: &mut dyn Fetch) -> Result<Loaded, SpecError> {
    read(bytes, source, Some(fetch))
}

fn read(bytes: &[u8], source: &str, fetch: Option<&mut dyn Fetch>) -> Result<Loaded, SpecError> {
    let (loaded, later) = read_soon(bytes, source, fetch, false)?;
    debug_assert!(later.is_none());
    Ok(loaded)
}

/// [`parse_with`], but a document of [`BODIES_LATER_BYTES`] or more is read without its example bodies, which are
/// most of the time a big spec's catalogue takes (a tenth of it without them): the catalogue comes at once, and
/// [`Later::catalogue`] reads the same document again with them, on another thread while the first frame shows.
pub fn parse_soon(bytes: &[u8], source: &str, fetch: &mut dyn Fetch) -> Result<(Loaded, Option<Later>), SpecError> {
    read_soon(bytes, source, Some(fetch), bytes.len() >= BODIES_LATER_BYTES)
}

/// A document whose catalogue was read without example bodies, kept to read it again with them.
pub struct Later {
    root: Value,
    /// The schemas not parsed yet, and the document's bytes to say where it breaks if one of them fails.
    schemas: Option<(document::SchemasLater, Vec<u8>)>,
    origin: String,
    base: Option<url::Url>,
    early: refs::Notices,
    names: std::collections::HashMap<String, String>,
    version: Version,
}

impl Later {
    /// The whole catalogue, example bodies and all: the same operations in the same order as the one read without.
    pub fn catalogue(self) -> Result<Catalogue, SpecError> {
        let Later { mut root, schemas, origin, base, early, names, version } = self;
        if let Some((schemas, bytes)) = schemas {
            match schemas.parse_all() {
                Some(all) => {
                    if let Some(kept) = param_schemas::schemas_of(&mut root) {
                        *kept = all;
                    }
                }
                // The whole parse says where the document breaks (or, should it read, is the tree).
                None => root = document::decode(&bytes, &origin)?,
            }
        }
        let result = catalogue(&root, origin, base.as_ref(), early, names, version, Bodies::Made);
        std::thread::spawn(move || drop(root));
        result
    }
}

impl std::fmt::Debug for Later {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Later").field("origin", &self.origin).finish_non_exhaustive()
    }
}

/// Whether the catalogue's request bodies get their example text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Bodies {
    Made,
    Later,
}

fn read_soon(
    bytes: &[u8],
    source: &str,
    fetch: Option<&mut dyn Fetch>,
    bodies_later: bool,
) -> Result<(Loaded, Option<Later>), SpecError> {
    let origin = origin_of(source);
    let bundling = fetch.is_some() && bundle::may_name_other_files(bytes);
    let (mut root, mut schemas) = if bodies_later && !bundling {
        document::decode_soon(bytes, &origin)?
    } else {
        (document::decode(bytes, &origin)?, None)
    };
    let (version, version_notice) = check_version(&root, &origin)?;
    if let Some(later) = &mut schemas {
        // The parameters' schemas now; a Swagger 2.0 document (its schemas are `definitions`) or a piece that fails
        // is read whole as before.
        if version != Version::OpenApi3 || param_schemas::fill(&mut root, later).is_none() {
            root = document::decode(bytes, &origin)?;
            schemas = None;
        }
    }
    let location = Location::of(source);
    let base = match &location {
        Location::Url(url) => Some(url.clone()),
        _ => None,
    };
    let mut early = refs::Notices::default();
    early.extend(version_notice);
    let bundled = match fetch {
        Some(fetch) if bundle::may_name_other_files(bytes) => bundle::bundle(&mut root, &location, fetch, &mut early),
        _ => bundle::Bundled::default(),
    };
    if version == Version::Swagger2 {
        swagger2::upgrade(&mut root, base.as_ref());
    }
    let dependencies = bundled.dependencies;
    if bodies_later {
        let catalogue = catalogue(
            &root,
            origin.clone(),
            base.as_ref(),
            early.clone(),
            bundled.names.clone(),
            version,
            Bodies::Later,
        )?;
        let schemas = schemas.map(|later| (later, bytes.to_vec()));
        let later = Later { root, schemas, origin, base, early, names: bundled.names, version };
        return Ok((Loaded { catalogue, dependencies }, Some(later)));
    }
    let result = catalogue(&root, origin, base.as_ref(), early, bundled.names, version, Bodies::Made);
    if bytes.len() > DROP_ASIDE_BYTES {
        std::thread::spawn(move || drop(root));
    }
    result.map(|catalogue| (Loaded { catalogue, dependencies }, None))
}

fn catalogue(
    root: &Value,
    origin: String,
    base: Option<&url::Url>,
    notices: refs::Notices,
    names: std::collections::HashMap<String, String>,
    version: Version,
    bodies: Bodies,
) -> Result<Catalogue, SpecError> {
    let paths = match root.get("paths").map(untag) {
        None | Some(Value::Null) => None,
        Some(Value::Mapping(paths)) => Some(paths),
        Some(other) => {
            let problem = format!("`paths` must be a mapping of paths to operations, not {}", shape(other));
            return Err(SpecError::Invalid { origin, problem });
        }
    };
    let mut ctx = Context::new(root);
    ctx.notices = notices;
    ctx.names = names;
    ctx.swagger2 = version == Version::Swagger2;
    ctx.example_bodies = bodies == Bodies::Made;
    let oauth = security::oauth_scheme(&mut ctx);
    let security_schemes = security::schemes(&mut ctx);
    let found = paths.map(|paths| operations::read(&mut ctx, paths, oauth.as_ref())).unwrap_or_default();
    let security = operations::security_map(&found);
    let (tags, operations) = operations::group(document_tags(root), found);
    note_webhooks(&mut ctx, operations.len());

    Ok(Catalogue {
        title: title(root),
        source: origin,
        tags,
        operations,
        servers: servers::servers(root, base),
        oauth,
        security_schemes,
        security,
        notices: ctx.notices.finish(),
    })
}

fn origin_of(source: &str) -> String {
    crate::text::escape_controls(source).into_owned()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Version {
    OpenApi3,
    Swagger2,
}

/// Which kind of document this is (a newer 3.x is read as 3.1, with a notice), else the error that says what it is.
fn check_version(root: &Value, origin: &str) -> Result<(Version, Option<String>), SpecError> {
    let not_openapi = |reason: &str| SpecError::NotOpenApi { origin: origin.to_string(), reason: reason.to_string() };
    let Value::Mapping(_) = untag(root) else {
        return Err(not_openapi(&format!("its top level is {}, not a mapping", shape(root))));
    };
    let version_text = |value: &Value| match untag(value) {
        Value::String(text) => Some(one_line(text)),
        Value::Number(number) => Some(number.to_string()),
        _ => None,
    };
    let version = match (root.get("openapi"), root.get("swagger")) {
        (Some(field), _) => {
            version_text(field).ok_or_else(|| not_openapi("its `openapi` field is not a version number"))?
        }
        (None, Some(field)) => {
            let version =
                version_text(field).ok_or_else(|| not_openapi("its `swagger` field is not a version number"))?;
            if version == "2.0" || version == "2" {
                return Ok((Version::Swagger2, None));
            }
            return Err(SpecError::UnsupportedVersion {
                origin: origin.to_string(),
                version: format!("Swagger {version}"),
            });
        }
        (None, None) => return Err(not_openapi("no `openapi` field")),
    };
    let mut parts = version.split('.');
    let (major, minor) = (parts.next(), parts.next().and_then(|m| m.parse::<u32>().ok()));
    match (major, minor) {
        (Some("3"), Some(0 | 1)) => Ok((Version::OpenApi3, None)),
        (Some("3"), Some(_)) => {
            Ok((Version::OpenApi3, Some(format!("OpenAPI {version} is newer than 3.1: read as 3.1"))))
        }
        _ => Err(SpecError::UnsupportedVersion { origin: origin.to_string(), version: format!("OpenAPI {version}") }),
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
        tags.push(Tag::new(name, description));
    }
    tags
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
