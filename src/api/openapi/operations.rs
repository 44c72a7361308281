//! Path items to operations, and operations grouped by tag.

use std::collections::HashMap;

use serde_yaml_ng::{Mapping, Value};

use super::plain::{first_line, one_line, wire_name};
use super::refs::{Context, key_text};
use super::{body, links, params, security};
use crate::api::{Method, OAuthScheme, Operation, OperationKey, SecurityRequirement, Tag};

/// The group of operations that name no tag.
const DEFAULT_TAG: &str = "default";

/// An operation read from the document, before grouping; `tag` is `None` when it names none.
pub(super) struct Found {
    operation: Operation,
    tag: Option<String>,
    /// Its own `security`, else the document's; empty when neither names any.
    security: Vec<SecurityRequirement>,
}

/// The security of each operation that needs any, by key.
pub(super) fn security_map(found: &[Found]) -> std::collections::BTreeMap<OperationKey, Vec<SecurityRequirement>> {
    found.iter().filter(|f| !f.security.is_empty()).map(|f| (f.operation.key(), f.security.clone())).collect()
}

/// Every operation under `paths`, in document order.
pub(super) fn read<'a>(ctx: &mut Context<'a>, paths: &'a Mapping, oauth: Option<&OAuthScheme>) -> Vec<Found> {
    if paths.len() < PARALLEL_PATHS {
        return read_some(ctx, paths.iter(), oauth);
    }
    // A big spec's paths are read on two threads, the second half with a context of its own; its notices follow
    // the first half's, so everything comes out in document order as from one thread.
    let half = paths.len() / 2;
    let mut other = ctx.fork();
    let (mut found, rest) = std::thread::scope(|scope| {
        let second = scope.spawn(|| read_some(&mut other, paths.iter().skip(half), oauth));
        let first = read_some(ctx, paths.iter().take(half), oauth);
        (first, second.join())
    });
    match rest {
        Ok(rest) => {
            found.extend(rest);
            ctx.notices.absorb(other.notices);
        }
        // Not expected (nothing in reading panics on input); the second half is then read here.
        Err(_) => found.extend(read_some(ctx, paths.iter().skip(half), oauth)),
    }
    found
}

/// From this many paths on, [`read`] uses two threads: below, starting one costs more than it saves.
const PARALLEL_PATHS: usize = 256;

fn read_some<'a>(
    ctx: &mut Context<'a>,
    paths: impl Iterator<Item = (&'a Value, &'a Value)>,
    oauth: Option<&OAuthScheme>,
) -> Vec<Found> {
    let mut found = Vec::new();
    for (path, item) in paths {
        let Some(path) = key_text(path).map(|p| wire_name(&p)) else { continue };
        if path.starts_with("x-") {
            continue;
        }
        let Some(item) = ctx.follow(item, &path, "the path item") else { continue };
        let Some(entries) = item.as_mapping() else {
            ctx.notices.push(format!("{path}: the path item is not a mapping; skipped"));
            continue;
        };
        for (key, spec) in entries {
            // Method keys are lowercase (`get`); `GET` is some extension's key, not an operation.
            let lowercase = key.as_str().filter(|k| !k.chars().any(|c| c.is_ascii_uppercase()));
            let Some(method) = lowercase.and_then(Method::parse) else { continue };
            let at = format!("{method} {path}");
            if !spec.is_mapping() {
                ctx.notices.push(format!("{at}: the operation is not a mapping; skipped"));
                continue;
            }
            found.push(operation(ctx, item, spec, method, &path, &at, oauth));
        }
    }
    found
}

fn operation<'a>(
    ctx: &mut Context<'a>,
    item: &'a Value,
    spec: &'a Value,
    method: Method,
    path: &str,
    at: &str,
    oauth: Option<&OAuthScheme>,
) -> Found {
    let text = |name: &str| spec.get(name).and_then(Value::as_str);
    let tag = spec.get("tags").and_then(Value::as_sequence).and_then(|t| t.first()).and_then(Value::as_str);
    let summary = text("summary").map(one_line).filter(|s| !s.is_empty());
    let summary = summary.or_else(|| text("description").map(first_line)).unwrap_or_default();
    // An operation's own `security` replaces the document's; `security: []` means it needs none.
    let requirements = spec.get("security").or_else(|| ctx.root.get("security"));
    let scopes = oauth.map_or_else(Vec::new, |scheme| security::scopes_for(requirements, &scheme.scheme_name));
    let declared = params::merged(ctx, item.get("parameters"), spec.get("parameters"), at);
    let params = params::with_template_names(ctx, declared, path, at);
    let operation = Operation {
        method,
        path: path.to_string(),
        tag: String::new(),
        summary,
        operation_id: text("operationId").map(one_line),
        params,
        body: spec.get("requestBody").and_then(|raw| body::request_body(ctx, raw, at)),
        scopes,
        accept: accept(ctx, spec, at),
        links: links::declared(ctx, spec, at),
        description: String::new(),
    };
    let security = security::requirements(requirements);
    Found { operation, tag: tag.map(one_line).filter(|t| !t.is_empty()), security }
}

/// The media types the operation's success answers come in, for `Accept`, when none of them is JSON (an image, a
/// PDF, plain text): asking for JSON there could be refused with a 406. `None` keeps `application/json`.
fn accept<'a>(ctx: &mut Context<'a>, spec: &'a Value, at: &str) -> Option<String> {
    let mut types: Vec<String> = Vec::new();
    for (code, raw) in spec.get("responses").and_then(Value::as_mapping).into_iter().flatten() {
        if !key_text(code).is_some_and(|c| c.starts_with('2')) {
            continue;
        }
        let Some(response) = ctx.follow(raw, at, "the response") else { continue };
        let content = response.get("content").and_then(Value::as_mapping).into_iter().flatten();
        for media in content.filter_map(|(k, _)| key_text(k)).map(|m| wire_name(&m)) {
            if !types.contains(&media) {
                types.push(media);
            }
        }
    }
    let json = types.iter().any(|t| t.contains("json") || t == "*/*");
    (!types.is_empty() && !json).then(|| types.join(", "))
}

/// Tags in listing order (the document's list, then tags first seen on operations, then `default` for untagged
/// ones; tags no operation uses are left out) and the operations grouped under them, document order kept.
pub(super) fn group(document_tags: Vec<Tag>, found: Vec<Found>) -> (Vec<Tag>, Vec<Operation>) {
    let mut tags = document_tags;
    for name in found.iter().filter_map(|f| f.tag.as_deref()) {
        if !tags.iter().any(|t| t.name == name) {
            tags.push(Tag::new(name.to_string(), ""));
        }
    }
    if found.iter().any(|f| f.tag.is_none()) && !tags.iter().any(|t| t.name == DEFAULT_TAG) {
        tags.push(Tag::new(DEFAULT_TAG, "Operations without a tag"));
    }
    let index: HashMap<String, usize> = tags.iter().enumerate().map(|(i, t)| (t.name.clone(), i)).collect();
    let mut operations: Vec<(usize, Operation)> = found
        .into_iter()
        .map(|f| {
            let tag = f.tag.unwrap_or_else(|| DEFAULT_TAG.to_string());
            (index.get(&tag).copied().unwrap_or(usize::MAX), Operation { tag, ..f.operation })
        })
        .collect();
    operations.sort_by_key(|(position, _)| *position);
    let used: Vec<bool> = (0..tags.len()).map(|i| operations.iter().any(|(position, _)| *position == i)).collect();
    let tags = tags.into_iter().zip(used).filter_map(|(tag, used)| used.then_some(tag)).collect();
    (tags, operations.into_iter().map(|(_, op)| op).collect())
}

#[cfg(test)]
mod tests {
    use std::fmt::Write as _;

    use super::*;

    fn found(tag: Option<&str>, path: &str) -> Found {
        let operation = Operation::bare(Method::Get, path);
        Found { operation, tag: tag.map(str::to_string), security: Vec::new() }
    }

    #[test]
    fn grouping_follows_listed_then_seen_tags_then_default() {
        let listed = ["b", "unused", "a"].map(|n| Tag::new(n, format!("{n}!"))).to_vec();
        let ops = vec![
            found(None, "/1"),
            found(Some("new"), "/2"),
            found(Some("a"), "/3"),
            found(Some("b"), "/4"),
            found(Some("a"), "/5"),
        ];
        let (tags, operations) = group(listed, ops);
        let names: Vec<&str> = tags.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["b", "a", "new", "default"]);
        let order: Vec<(&str, &str)> = operations.iter().map(|o| (o.tag.as_str(), o.path.as_str())).collect();
        assert_eq!(order, [("b", "/4"), ("a", "/3"), ("a", "/5"), ("new", "/2"), ("default", "/1")]);
    }

    /// Past [`PARALLEL_PATHS`] the paths are read on two threads: the operations, their shared example bodies and
    /// the notices come out as one thread gives them, in document order.
    #[test]
    fn a_big_spec_read_on_two_threads_reads_as_on_one() {
        let mut doc = String::from(
            "openapi: 3.0.3\ninfo: {title: t, version: '1'}\ncomponents:\n  schemas:\n    Thing: {type: object, properties: {name: {type: string}}}\npaths:\n",
        );
        let n = PARALLEL_PATHS * 2 + 7;
        for i in 0..n {
            let body = "requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Thing'}}}}";
            writeln!(doc, "  /p{i}:\n    post: {{summary: s{i}, {body}}}").unwrap();
            if i % 97 == 0 {
                writeln!(doc, "    get: {{parameters: [{{$ref: '#/missing/{i}'}}]}}").unwrap();
            }
        }
        let catalogue = crate::api::openapi::parse(doc.as_bytes(), "big.yaml").unwrap();
        let posts: Vec<&str> =
            catalogue.operations.iter().filter(|o| o.method == Method::Post).map(|o| o.summary.as_str()).collect();
        let expected: Vec<String> = (0..n).map(|i| format!("s{i}")).collect();
        assert_eq!(posts, expected.iter().map(String::as_str).collect::<Vec<_>>());
        let example = "{\n  \"name\": \"string\"\n}";
        assert!(
            catalogue
                .operations
                .iter()
                .filter(|o| o.method == Method::Post)
                .all(|o| { o.body.as_ref().and_then(|b| b.example.as_deref()) == Some(example) })
        );
        let missing: Vec<&String> = catalogue.notices.iter().filter(|n| n.contains("#/missing/")).collect();
        let numbers: Vec<usize> = (0..n).filter(|i| i % 97 == 0).collect();
        assert_eq!(missing.len(), numbers.len(), "{missing:?}");
        for (notice, i) in missing.iter().zip(numbers) {
            assert!(
                notice.contains(&format!("#/missing/{i}'")) || notice.contains(&format!("#/missing/{i}`")),
                "{notice}"
            );
        }
    }
}
