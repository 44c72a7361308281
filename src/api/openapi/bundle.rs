//! `$ref`s into other files, read the way bundlers read them: each file a ref names (relative to the file that names
//! it, `../` included) is read once and grafted into the root under [`FILES_KEY`], and the refs are rewritten to
//! point there, so the rest of the reader only ever follows refs inside one tree (and its loop guard covers loops
//! across files too).
//!
//! A spec read from a file may name other files only by relative path; a spec fetched from a URL only URLs of its
//! own origin. Everything else (absolute paths, `file:` URLs, other hosts) is refused with a notice, and so is a
//! file that cannot be read or parsed: the refs into it are then left as they are, and skipped where they are used.

use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use serde_yaml_ng::Value;

use super::document;
use super::refs::Notices;

/// Where the documents of other files go in the root: a list, in the order they were first named.
pub(super) const FILES_KEY: &str = "x-zorgtui-files";
/// How many other files one spec may pull in; past that, refs are left unfollowed.
const MAX_FILES: usize = 200;

/// Where a document lives: refs inside it are resolved against this.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Location {
    File(PathBuf),
    Url(url::Url),
    /// Bytes with no place (a test, a pipe): other files cannot be named from it.
    Nowhere,
}

impl Location {
    /// The location `source` names: a URL when it is one, else a file path.
    pub fn of(source: &str) -> Location {
        if crate::api::spec_source::is_url(source) {
            url::Url::parse(source).map_or(Location::Nowhere, Location::Url)
        } else {
            Location::File(PathBuf::from(source))
        }
    }

    fn shown(&self) -> String {
        match self {
            Location::File(path) => path.display().to_string(),
            Location::Url(url) => url.to_string(),
            Location::Nowhere => "-".to_string(),
        }
    }

    /// The document that `reference` (the part before `#`) names from here, or why it may not be read.
    fn resolve(&self, reference: &str) -> Result<Location, String> {
        let has_scheme = reference.split_once(':').is_some_and(|(scheme, _)| {
            scheme.len() > 1 && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        });
        match self {
            Location::Nowhere => Err("the document has no place to resolve it from".to_string()),
            Location::File(_) if has_scheme => Err("a spec read from a file may only name files beside it".to_string()),
            Location::File(path) => {
                let decoded = percent_encoding::percent_decode_str(reference).decode_utf8_lossy();
                let named = Path::new(decoded.as_ref());
                if named.has_root() || named.components().any(|c| matches!(c, Component::Prefix(_))) {
                    return Err("absolute file paths are refused; name the file relative to the spec".to_string());
                }
                Ok(Location::File(normalise(&path.parent().unwrap_or(Path::new("")).join(named))))
            }
            Location::Url(base) => {
                let target = base.join(reference).map_err(|e| format!("not a URL: {e}"))?;
                if target.origin() != base.origin() || !matches!(target.scheme(), "http" | "https") {
                    return Err("a spec fetched from a URL may only name URLs of its own origin".to_string());
                }
                Ok(Location::Url(target))
            }
        }
    }
}

/// `a/b/../c` as `a/c`, without asking the file system (the file may not exist; links are not resolved).
fn normalise(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for part in path.components() {
        match part {
            Component::CurDir => {}
            Component::ParentDir if matches!(out.components().next_back(), Some(Component::Normal(_))) => {
                out.pop();
            }
            other => out.push(other),
        }
    }
    out
}

/// Reads the bytes of another document; the error is one line that says why.
pub trait Fetch {
    fn fetch(&mut self, location: &Location) -> Result<Vec<u8>, String>;
}

/// Reads files from the disk, each at most `limit` bytes.
pub struct FileFetch {
    pub limit: u64,
}

impl Fetch for FileFetch {
    fn fetch(&mut self, location: &Location) -> Result<Vec<u8>, String> {
        let Location::File(path) = location else { return Err("not a file".to_string()) };
        read_file(path, self.limit)
    }
}

/// A file's bytes, refused past `limit` (a spec's files are documents, not disks).
pub fn read_file(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    use std::io::Read as _;
    let file = std::fs::File::open(path).map_err(|e| e.to_string())?;
    // Sized once from the file's length (a read that grows its buffer copies a large document several times).
    let size = file.metadata().map_or(0, |m| m.len()).min(limit.saturating_add(1));
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| e.to_string())?;
    if bytes.len() as u64 > limit {
        return Err(format!("larger than {} MB", limit >> 20));
    }
    Ok(bytes)
}

/// A document a catalogue was read from, with the hash of its bytes (so a cached catalogue can tell it is stale).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Dependency {
    pub location: String,
    /// [`content_hash`](crate::api::spec_cache::content_hash) of its bytes.
    pub hash: String,
}

/// What bundling did: the display names of rewritten refs, and the files read.
#[derive(Default)]
pub(super) struct Bundled {
    /// Rewritten ref → the ref as written, for notices.
    pub names: HashMap<String, String>,
    pub dependencies: Vec<Dependency>,
}

/// Grafts every file `root`'s refs name (transitively) into `root` and rewrites the refs to point there.
pub(super) fn bundle(root: &mut Value, base: &Location, fetch: &mut dyn Fetch, notices: &mut Notices) -> Bundled {
    let mut bundled = Bundled::default();
    let base = match base {
        Location::File(path) => Location::File(normalise(path)),
        other => other.clone(),
    };
    let mut locations: Vec<Location> = vec![base.clone()];
    let mut index: HashMap<Location, usize> = HashMap::from([(base, 0)]);
    // Per document, its external refs (as written) and where each resolved to (None: refused or unreadable).
    let mut docs: Vec<Option<Value>> = vec![None];
    let mut targets: Vec<HashMap<String, Option<usize>>> = Vec::new();
    let mut next = 0;
    while next < locations.len() {
        let mut found = Vec::new();
        collect_external(if next == 0 { &*root } else { docs[next].as_ref().unwrap_or(&Value::Null) }, &mut found);
        let mut resolved = HashMap::new();
        for reference in found {
            let file_part = reference.split('#').next().unwrap_or_default().to_string();
            if resolved.contains_key(&file_part) {
                continue;
            }
            let target = match locations[next].resolve(&file_part) {
                Err(why) => {
                    notices.push(format!("$ref `{reference}` not followed: {why}"));
                    None
                }
                Ok(location) => match index.get(&location) {
                    Some(&i) => Some(i),
                    None if locations.len() > MAX_FILES => {
                        notices.push(format!("$ref `{reference}` not followed: more than {MAX_FILES} files"));
                        None
                    }
                    None => read(&location, fetch, notices, &mut bundled.dependencies).map(|doc| {
                        index.insert(location.clone(), locations.len());
                        locations.push(location);
                        docs.push(Some(doc));
                        locations.len() - 1
                    }),
                },
            };
            resolved.insert(file_part, target);
        }
        targets.push(resolved);
        next += 1;
    }
    if locations.len() == 1 {
        return bundled;
    }
    let mut files = Vec::with_capacity(locations.len() - 1);
    rewrite(root, 0, &targets[0], &mut bundled.names);
    for (i, doc) in docs.into_iter().enumerate().skip(1) {
        let mut doc = doc.unwrap_or(Value::Null);
        rewrite(&mut doc, i, &targets[i], &mut bundled.names);
        files.push(doc);
    }
    if let Value::Mapping(map) = root {
        map.insert(Value::String(FILES_KEY.to_string()), Value::Sequence(files));
    }
    bundled
}

fn read(
    location: &Location,
    fetch: &mut dyn Fetch,
    notices: &mut Notices,
    deps: &mut Vec<Dependency>,
) -> Option<Value> {
    let shown = location.shown();
    let bytes = match fetch.fetch(location) {
        Ok(bytes) => bytes,
        Err(why) => {
            notices.push(format!("{shown}: cannot read it: {why}; the refs into it are skipped"));
            return None;
        }
    };
    deps.push(Dependency { location: shown.clone(), hash: crate::api::spec_cache::content_hash(&bytes) });
    match document::decode(&bytes, &shown) {
        Ok(doc) => Some(doc),
        Err(e) => {
            notices.push(format!("{e}; the refs into it are skipped"));
            None
        }
    }
}

/// Every `$ref` string in `value` that names another document.
fn collect_external(value: &Value, found: &mut Vec<String>) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map {
                match (key.as_str(), child) {
                    (Some("$ref"), Value::String(reference)) if !reference.starts_with('#') => {
                        found.push(reference.clone());
                    }
                    _ => collect_external(child, found),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| collect_external(item, found)),
        Value::Tagged(tagged) => collect_external(&tagged.value, found),
        _ => {}
    }
}

/// Points the refs of document `doc` into the bundle: `#/x` of another file to its place under [`FILES_KEY`], and
/// refs to other files that were read to theirs. Refs to files that were not read stay as written.
fn rewrite(
    value: &mut Value,
    doc: usize,
    targets: &HashMap<String, Option<usize>>,
    names: &mut HashMap<String, String>,
) {
    match value {
        Value::Mapping(map) => {
            for (key, child) in map.iter_mut() {
                if let (Some("$ref"), Value::String(reference)) = (key.as_str(), &mut *child) {
                    let (file_part, fragment) = reference.split_once('#').unwrap_or((reference.as_str(), ""));
                    let target =
                        if file_part.is_empty() { Some(doc) } else { targets.get(file_part).copied().flatten() };
                    if let Some(target) = target {
                        let rewritten = place(target, fragment);
                        if rewritten != *reference {
                            names.insert(rewritten.clone(), reference.clone());
                            *reference = rewritten;
                        }
                    }
                    continue;
                }
                rewrite(child, doc, targets, names);
            }
        }
        Value::Sequence(items) => items.iter_mut().for_each(|item| rewrite(item, doc, targets, names)),
        Value::Tagged(tagged) => rewrite(&mut tagged.value, doc, targets, names),
        _ => {}
    }
}

/// The ref to `fragment` (a JSON pointer) of document `doc` in the bundle.
fn place(doc: usize, fragment: &str) -> String {
    let fragment = fragment.trim_start_matches('/');
    let base = if doc == 0 { "#".to_string() } else { format!("#/{FILES_KEY}/{}", doc - 1) };
    if fragment.is_empty() { base } else { format!("{base}/{fragment}") }
}

/// Whether the bytes may hold a `$ref` to another document: every `$ref` followed by its value starting with `#`
/// means none, and the tree need not be walked. Errs on the side of walking.
pub(super) fn may_name_other_files(bytes: &[u8]) -> bool {
    memchr::memmem::find_iter(bytes, b"$ref").any(|at| {
        let rest = &bytes[at + 4..];
        let value = rest.iter().position(|b| !matches!(b, b'"' | b'\'' | b':' | b' ' | b'\t'));
        value.is_none_or(|i| rest[i] != b'#')
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_resolve_beside_the_naming_file_and_absolute_ones_are_refused() {
        let base = Location::File(PathBuf::from("specs/api/spec.yaml"));
        assert_eq!(base.resolve("../common/Error.yaml"), Ok(Location::File(PathBuf::from("specs/common/Error.yaml"))));
        assert_eq!(base.resolve("./Pet%20s.yaml"), Ok(Location::File(PathBuf::from("specs/api/Pet s.yaml"))));
        assert!(base.resolve("/etc/passwd").unwrap_err().contains("absolute"));
        assert!(base.resolve("file:///etc/passwd").unwrap_err().contains("only name files"));
        assert!(base.resolve("https://elsewhere.example/x.yaml").is_err());
        let up = Location::File(PathBuf::from("../shared/a.yaml"));
        assert_eq!(up.resolve("../b.yaml"), Ok(Location::File(PathBuf::from("../b.yaml"))));
    }

    #[test]
    fn urls_must_keep_the_specs_origin() {
        let base = Location::of("https://api.example/specs/v1/openapi.yaml");
        let Location::Url(_) = base else { panic!() };
        assert_eq!(base.resolve("../common.yaml").unwrap(), Location::of("https://api.example/specs/common.yaml"));
        assert!(base.resolve("https://other.example/x.yaml").unwrap_err().contains("own origin"));
        assert!(base.resolve("http://api.example/x.yaml").is_err(), "another scheme is another origin");
        assert!(base.resolve("//other.example/x.yaml").is_err());
        assert!(Location::Nowhere.resolve("x.yaml").is_err());
    }

    #[test]
    fn the_byte_check_finds_only_refs_to_other_documents() {
        assert!(!may_name_other_files(b"a: {$ref: '#/b'}\nc:\n  $ref: \"#/d\"\n{\"$ref\": \"#/e\"}"));
        assert!(may_name_other_files(b"a: {$ref: '#/b'}\nc: {$ref: other.yaml}"));
        assert!(may_name_other_files(b"\"$ref\":\"x.json#/a\""));
        assert!(!may_name_other_files(b"no refs at all"));
    }
}
