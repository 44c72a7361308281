//! Local `$ref`s followed inside the one document, and the notices gathered while reading it.
//!
//! A reference that points nowhere, leaves the document or loops is never fatal: the caller skips that piece and the
//! person gets one line saying so.

use std::collections::{HashMap, HashSet};

use serde_yaml_ng::Value;

/// How many `$ref` hops one lookup follows before calling it a loop.
const MAX_HOPS: usize = 32;
/// More notices than this are counted, not listed: a broken generator can repeat one mistake thousands of times.
const MAX_NOTICES: usize = 40;

/// The document being read, plus what it has to say to the person.
pub(super) struct Context<'a> {
    pub root: &'a Value,
    pub notices: Notices,
    /// Refs rewritten when other files were grafted in (see `bundle`) → the ref as written, for notices.
    pub names: HashMap<String, String>,
    /// The document was Swagger 2.0 (upgraded in place: its `body` and `formData` parameters are the request body).
    pub swagger2: bool,
    /// Local refs already looked up: a big spec names the same few hundred schemas hundreds of thousands of times.
    resolved: HashMap<&'a str, Option<&'a Value>>,
    /// Example bodies already made for a schema named by `$ref`, by the ref and the content type: POST and PUT of
    /// a resource, and many operations of a big spec, send the same schema, and making its example is most of the
    /// time the catalogue takes.
    pub examples: HashMap<(&'a str, String), Option<String>>,
    /// Whether request bodies get an example (off for a first, quick read of a big spec).
    pub example_bodies: bool,
}

impl<'a> Context<'a> {
    pub fn new(root: &'a Value) -> Self {
        Context {
            root,
            notices: Notices::default(),
            names: HashMap::new(),
            swagger2: false,
            resolved: HashMap::new(),
            examples: HashMap::new(),
            example_bodies: true,
        }
    }

    /// A context over the same document for another thread: the same names, its own notices and caches.
    pub fn fork(&self) -> Context<'a> {
        Context {
            names: self.names.clone(),
            swagger2: self.swagger2,
            example_bodies: self.example_bodies,
            ..Context::new(self.root)
        }
    }

    /// What the local ref `reference` (`#/...`) points to, without notices.
    pub fn lookup(&mut self, reference: &'a str) -> Option<&'a Value> {
        let fragment = reference.strip_prefix('#')?;
        let root = self.root;
        *self.resolved.entry(reference).or_insert_with(|| pointer(root, fragment))
    }

    /// `reference` as the document wrote it.
    fn shown<'r>(&'r self, reference: &'r str) -> &'r str {
        self.names.get(reference).map_or(reference, String::as_str)
    }

    /// `value` itself, or what its `$ref` (chain) points to. `None`, with a notice naming `at` and `what` is
    /// skipped, when the reference is external, dangling or circular.
    pub fn follow(&mut self, value: &'a Value, at: &str, what: &str) -> Option<&'a Value> {
        let mut current = value;
        let mut seen: Vec<&str> = Vec::new();
        while let Some(reference) = ref_of(current) {
            if seen.contains(&reference) || seen.len() >= MAX_HOPS {
                let shown = self.shown(reference).to_string();
                self.notices.push(format!("{at}: circular $ref `{shown}`; {what} is skipped"));
                return None;
            }
            seen.push(reference);
            let Some(fragment) = reference.strip_prefix('#') else {
                self.notices.external_ref(reference);
                return None;
            };
            let root = self.root;
            let Some(target) = *self.resolved.entry(reference).or_insert_with(|| pointer(root, fragment)) else {
                let shown = self.shown(reference).to_string();
                self.notices.push(format!("{at}: $ref `{shown}` points nowhere; {what} is skipped"));
                return None;
            };
            current = target;
        }
        Some(current)
    }
}

/// The `$ref` string of a reference object, if `value` is one.
pub(super) fn ref_of(value: &Value) -> Option<&str> {
    field(value, "$ref").and_then(Value::as_str)
}

/// `value[key]` for a string key. Schemas are small mappings walked millions of times in a big spec: comparing a
/// few keys is much cheaper than hashing a YAML value for the map's index, which large mappings still use.
pub(super) fn field<'v>(value: &'v Value, key: &str) -> Option<&'v Value> {
    match value {
        Value::Mapping(map) if map.len() <= 12 => map.iter().find(|(k, _)| k.as_str() == Some(key)).map(|(_, v)| v),
        Value::Mapping(map) => map.get(key),
        Value::Tagged(tagged) => field(&tagged.value, key),
        _ => None,
    }
}

/// Resolves a JSON pointer (the part after `#`) against `root`: percent-decoded, then `~1` → `/`, `~0` → `~`.
pub(super) fn pointer<'a>(root: &'a Value, fragment: &str) -> Option<&'a Value> {
    let decoded = percent_decode(fragment)?;
    if decoded.is_empty() {
        return Some(root);
    }
    let mut current = root;
    for token in decoded.strip_prefix('/')?.split('/') {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match untag(current) {
            // Keys are nearly always strings (a hashed lookup); `200:` and other non-string keys need the scan.
            Value::Mapping(map) => match map.get(token.as_str()) {
                Some(found) => found,
                None => map.iter().find(|(k, _)| !k.is_string() && key_text(k).as_deref() == Some(token.as_str()))?.1,
            },
            Value::Sequence(items) => items.get(token.parse::<usize>().ok()?)?,
            _ => return None,
        };
    }
    Some(current)
}

/// The value under any YAML tags (`!custom {...}`).
pub(super) fn untag(value: &Value) -> &Value {
    let mut current = value;
    while let Value::Tagged(tagged) = current {
        current = &tagged.value;
    }
    current
}

/// A mapping key as text: YAML keys may be numbers (`200:`) or booleans as well as strings.
pub(super) fn key_text(key: &Value) -> Option<String> {
    match key {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        Value::Tagged(tagged) => key_text(&tagged.value),
        _ => None,
    }
}

fn percent_decode(text: &str) -> Option<String> {
    if !text.contains('%') {
        return Some(text.to_string());
    }
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = text.get(i + 1..i + 3)?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

/// Notices in the order they arose, without repeats, capped.
#[derive(Default, Clone)]
pub(super) struct Notices {
    lines: Vec<String>,
    seen: HashSet<String>,
    dropped: usize,
    external: HashSet<String>,
    first_external: Option<String>,
}

impl Notices {
    pub fn push(&mut self, line: impl AsRef<str>) {
        let line = crate::text::escape_controls(line.as_ref()).into_owned();
        if !self.seen.insert(line.clone()) {
            return;
        }
        if self.lines.len() >= MAX_NOTICES {
            self.dropped += 1;
            return;
        }
        self.lines.push(line);
    }

    pub fn extend(&mut self, lines: impl IntoIterator<Item = String>) {
        for line in lines {
            self.push(line);
        }
    }

    /// Takes `later`'s notices after these, as if they had arisen here in that order.
    pub fn absorb(&mut self, later: Notices) {
        if let Some(first) = later.first_external {
            self.first_external.get_or_insert(first);
        }
        self.external.extend(later.external);
        self.extend(later.lines);
        self.dropped += later.dropped;
    }

    fn external_ref(&mut self, reference: &str) {
        self.external.insert(reference.to_string());
        self.first_external.get_or_insert_with(|| reference.to_string());
    }

    pub fn finish(mut self) -> Vec<String> {
        if let Some(first) = self.first_external.take() {
            let count = self.external.len();
            let noun = if count == 1 { "reference" } else { "references" };
            let line = format!("{count} external $ref {noun} not followed (first: `{first}`); those parts are skipped");
            self.lines.insert(0, crate::text::escape_controls(&line).into_owned());
        }
        if self.dropped > 0 {
            self.lines.push(format!("... and {} more notices", self.dropped));
        }
        self.lines
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn yaml(text: &str) -> Value {
        serde_yaml_ng::from_str(text).unwrap()
    }

    #[test]
    fn pointer_unescapes_tokens_and_percent_encoding() {
        let doc = yaml("paths:\n  /a/{id}:\n    get: here\n  x~y: tilde\nlist: [zero, one]\n");
        assert_eq!(pointer(&doc, "/paths/~1a~1{id}/get").and_then(Value::as_str), Some("here"));
        assert_eq!(pointer(&doc, "/paths/~1a~1%7Bid%7D/get").and_then(Value::as_str), Some("here"));
        assert_eq!(pointer(&doc, "/paths/x~0y").and_then(Value::as_str), Some("tilde"));
        assert_eq!(pointer(&doc, "/list/1").and_then(Value::as_str), Some("one"));
        assert!(pointer(&doc, "/list/7").is_none());
        assert!(pointer(&doc, "/paths/%zz").is_none());
        assert!(pointer(&doc, "").is_some());
    }

    #[test]
    fn numeric_keys_are_reachable() {
        let doc = yaml("responses:\n  200:\n    description: ok\n");
        assert!(pointer(&doc, "/responses/200/description").is_some());
    }

    #[test]
    fn follow_guards_loops_and_reports_dangling_and_external_refs() {
        let doc = yaml(
            "a: {$ref: '#/b'}\nb: {$ref: '#/a'}\nc: {$ref: '#/nope'}\nd: {$ref: 'other.yaml#/x'}\ne: {$ref: '#/f'}\nf: 1\ng: {$ref: 'b.yaml'}\n",
        );
        let mut ctx = Context::new(&doc);
        assert!(ctx.follow(&doc["a"], "GET /x", "the parameter").is_none());
        assert!(ctx.follow(&doc["c"], "GET /x", "the parameter").is_none());
        assert!(ctx.follow(&doc["d"], "GET /x", "the parameter").is_none());
        assert!(ctx.follow(&doc["d"], "GET /y", "the body").is_none());
        assert!(ctx.follow(&doc["g"], "GET /y", "the body").is_none());
        assert_eq!(ctx.follow(&doc["e"], "GET /x", "x").and_then(Value::as_i64), Some(1));
        let notices = ctx.notices.finish();
        assert_eq!(
            notices,
            [
                "2 external $ref references not followed (first: `other.yaml#/x`); those parts are skipped",
                "GET /x: circular $ref `#/b`; the parameter is skipped",
                "GET /x: $ref `#/nope` points nowhere; the parameter is skipped",
            ]
        );
    }

    #[test]
    fn notices_are_deduplicated_and_capped() {
        let mut notices = Notices::default();
        for i in 0..100 {
            notices.push(format!("n{i}"));
            notices.push(format!("n{i}"));
        }
        let lines = notices.finish();
        assert_eq!(lines.len(), MAX_NOTICES + 1);
        assert_eq!(lines.last().unwrap(), "... and 60 more notices");
    }
}
