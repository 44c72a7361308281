//! One Postman request as an operation: its URL taken apart into the API base (`{{baseApiUrl}}`, a host) and a
//! path template, `:name` path variables as `{name}` parameters, the query, headers and body as the editor's fields
//! and example.

use std::fmt::Write as _;

use super::schema::{Body, FullRequest, Headers, KeyValue, PathParts, TextOrList, Url, UrlParts, text_of};
use crate::api::{Method, Operation, Param, ParamLocation, RequestBody};

/// The operation, and the base its URL goes to (`{{baseApiUrl}}`, `https://api.example.com`).
pub(super) struct Converted {
    pub operation: Operation,
    pub base: String,
    /// What could not be carried over, for the catalogue's notices.
    pub skipped: Vec<String>,
}

pub(super) fn convert(name: &str, request: &FullRequest) -> Converted {
    let mut skipped = Vec::new();
    let method_text = request.method.as_deref().unwrap_or("GET");
    let method = Method::parse(method_text.trim()).unwrap_or_else(|| {
        skipped.push(format!("{name}: method {method_text} is not one zorgtui sends; listed as GET"));
        Method::Get
    });
    let parts = match &request.url {
        Some(Url::Parts(parts)) => from_parts(parts),
        Some(Url::Raw(raw)) => from_raw(raw),
        None => UrlPieces::default(),
    };
    let mut params = Vec::new();
    let path = path_template(&parts, &mut params);
    for query in parts.query.iter().filter(|q| q.key.as_deref().is_some_and(|k| !k.is_empty())) {
        params.push(field(query, ParamLocation::Query));
    }
    let headers = match &request.header {
        Some(Headers::List(list)) => {
            list.iter().filter(|h| !h.disabled).map(|h| field(h, ParamLocation::Header)).collect()
        }
        Some(Headers::Text(text)) => header_lines(text),
        None => Vec::new(),
    };
    let content_type =
        headers.iter().find(|h: &&Param| h.name.eq_ignore_ascii_case("content-type")).and_then(|h| h.default.clone());
    params.extend(headers.into_iter().filter(|h| !h.name.eq_ignore_ascii_case("content-type") || h.default.is_none()));
    let body = request.body.as_ref().and_then(|b| body(name, b, content_type, &mut skipped));
    let description = request.description.as_ref().map(|d| d.text().trim().to_string()).unwrap_or_default();
    let operation = Operation {
        tag: String::new(),
        summary: crate::text::escape_controls(name.trim()).into_owned(),
        params,
        body,
        description,
        ..Operation::bare(method, &path)
    };
    Converted { operation, base: parts.base, skipped }
}

#[derive(Default)]
struct UrlPieces {
    base: String,
    segments: Vec<String>,
    query: Vec<KeyValue>,
    variables: Vec<(String, String, String)>,
}

fn from_parts(parts: &UrlParts) -> UrlPieces {
    let host = match &parts.host {
        Some(TextOrList::Text(text)) => text.clone(),
        Some(TextOrList::List(list)) => list.join("."),
        None => String::new(),
    };
    if host.is_empty()
        && let Some(raw) = &parts.raw
    {
        // Only the text: take it apart as Postman does, but keep the parts' query and variables.
        let mut pieces = from_raw(raw);
        if !parts.query.is_empty() {
            pieces.query = copy(&parts.query);
        }
        pieces.variables = variables(parts);
        return pieces;
    }
    let mut base = match &parts.protocol {
        Some(protocol) if !protocol.is_empty() => format!("{protocol}://{host}"),
        _ => host,
    };
    let port = text_of(parts.port.as_ref());
    if !port.is_empty() {
        base = format!("{base}:{port}");
    }
    let segments = match &parts.path {
        Some(PathParts::Text(text)) => text.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect(),
        Some(PathParts::List(list)) => list
            .iter()
            .map(|segment| match segment {
                serde_json::Value::Object(object) => text_of(object.get("value")),
                other => text_of(Some(other)),
            })
            .collect(),
        None => Vec::new(),
    };
    UrlPieces { base, segments, query: copy(&parts.query), variables: variables(parts) }
}

fn variables(parts: &UrlParts) -> Vec<(String, String, String)> {
    parts
        .variable
        .iter()
        .filter_map(|v| {
            let description = v.description.as_ref().map(|d| d.text().to_string()).unwrap_or_default();
            Some((v.name()?.to_string(), text_of(v.value.as_ref()), description))
        })
        .collect()
}

fn copy(list: &[KeyValue]) -> Vec<KeyValue> {
    list.iter()
        .map(|kv| KeyValue {
            key: kv.key.clone(),
            value: kv.value.clone(),
            disabled: kv.disabled,
            description: None,
            kind: None,
            src: None,
        })
        .collect()
}

/// `{{baseApiUrl}}/v1/things/:id?limit=10` taken apart: the base is what comes before the first `/` after the
/// scheme (a `{{variable}}` or a host).
fn from_raw(raw: &str) -> UrlPieces {
    let raw = raw.trim();
    let (before_hash, _) = raw.split_once('#').unwrap_or((raw, ""));
    let (location, query) = before_hash.split_once('?').unwrap_or((before_hash, ""));
    let after_scheme = location.find("://").map_or(0, |i| i + 3);
    let split = location[after_scheme..].find('/').map_or(location.len(), |i| i + after_scheme);
    let (base, path) = location.split_at(split);
    let query = query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            KeyValue { key: Some(key.to_string()), value: Some(value.into()), ..KeyValue::default() }
        })
        .collect();
    let segments = path.split('/').filter(|s| !s.is_empty()).map(str::to_string).collect();
    UrlPieces { base: base.to_string(), segments, query, variables: Vec::new() }
}

/// The path as a template: `:name` becomes `{name}`, filled from a variable of that name. A path variable whose
/// value is another variable (`:versionName` = `{{apiRequirementsVersionName}}`) takes that variable's name, so it
/// is filled the same way; one whose value mixes variables and text (`{{invitationId}}:accept`) becomes that
/// template (`{invitationId}:accept`); a plain value is offered as the parameter's example.
fn path_template(parts: &UrlPieces, params: &mut Vec<Param>) -> String {
    let mut path = String::new();
    for segment in &parts.segments {
        path.push('/');
        let Some(name) = segment.strip_prefix(':').filter(|n| !n.is_empty()) else {
            path.push_str(&braces_of(segment, params, ""));
            continue;
        };
        let (value, description) = parts
            .variables
            .iter()
            .find(|(key, _, _)| key == name)
            .map_or((String::new(), String::new()), |(_, v, d)| (v.clone(), d.clone()));
        let described = if value.is_empty() || value == format!("{{{{{name}}}}}") {
            description.clone()
        } else {
            format!("Postman: :{name} = {value}")
        };
        if value.contains("{{") {
            path.push_str(&braces_of(&value, params, &described));
        } else {
            push_placeholder(&mut path, name);
            push_path_param(params, name, (!value.is_empty()).then_some(value), &description);
        }
    }
    if path.is_empty() {
        path.push('/');
    }
    path
}

/// `{{name}}`s in a path segment as `{name}` parameters; the rest as written.
fn braces_of(text: &str, params: &mut Vec<Param>, description: &str) -> String {
    let mut out = String::new();
    let mut rest = text;
    while let Some(start) = rest.find("{{") {
        let Some(len) = rest[start + 2..].find("}}") else { break };
        let name = rest[start + 2..start + 2 + len].trim();
        out.push_str(&rest[..start]);
        if name.is_empty() {
            out.push_str("{{}}");
        } else {
            push_placeholder(&mut out, name);
            push_path_param(params, name, None, description);
        }
        rest = &rest[start + 2 + len + 2..];
    }
    out.push_str(rest);
    out
}

/// `{name}`, the path template's placeholder.
fn push_placeholder(out: &mut String, name: &str) {
    out.push('{');
    out.push_str(name);
    out.push('}');
}

fn push_path_param(params: &mut Vec<Param>, name: &str, example: Option<String>, description: &str) {
    if params.iter().any(|p| p.name == name && p.location == ParamLocation::Path) {
        return;
    }
    params.push(Param {
        name: name.to_string(),
        location: ParamLocation::Path,
        required: true,
        kind: None,
        default: None,
        example,
        allowed: Vec::new(),
        description: first_line(description),
    });
}

/// A query parameter or header: its value is the default the editor offers (disabled ones are listed empty, as
/// Postman shows them unticked).
fn field(kv: &KeyValue, location: ParamLocation) -> Param {
    let value = text_of(kv.value.as_ref());
    let description = kv.description.as_ref().map(|d| d.text().to_string()).unwrap_or_default();
    Param {
        name: kv.key.clone().unwrap_or_default().trim().to_string(),
        location,
        required: false,
        kind: None,
        default: (!kv.disabled && !value.is_empty()).then(|| value.clone()),
        example: (!value.is_empty()).then_some(value),
        allowed: Vec::new(),
        description: first_line(&description),
    }
}

fn header_lines(text: &str) -> Vec<Param> {
    text.lines()
        .filter_map(|line| {
            let (name, value) = line.split_once(':')?;
            let kv = KeyValue {
                key: Some(name.trim().to_string()),
                value: Some(value.trim().into()),
                ..KeyValue::default()
            };
            Some(field(&kv, ParamLocation::Header))
        })
        .filter(|p| !p.name.is_empty())
        .collect()
}

/// The body as the editor's example: raw as written (its language names the type), urlencoded fields encoded,
/// form fields as a multipart body of text parts, GraphQL as its JSON request.
fn body(name: &str, body: &Body, content_type: Option<String>, skipped: &mut Vec<String>) -> Option<RequestBody> {
    if body.disabled {
        return None;
    }
    let (kind, example) = match body.mode.as_deref().unwrap_or("raw") {
        "raw" => {
            let language = body.options.as_ref().and_then(|o| o.pointer("/raw/language")).and_then(|l| l.as_str());
            let kind = match language {
                Some("json") => "application/json",
                Some("xml") => "application/xml",
                Some("html") => "text/html",
                Some("javascript") => "application/javascript",
                _ if body.raw.as_deref().is_some_and(|r| r.trim_start().starts_with(['{', '['])) => "application/json",
                _ => "text/plain",
            };
            (kind.to_string(), body.raw.clone().unwrap_or_default().replace("\r\n", "\n"))
        }
        "urlencoded" => {
            let mut encoder = url::form_urlencoded::Serializer::new(String::new());
            for kv in body.urlencoded.iter().filter(|kv| !kv.disabled) {
                encoder.append_pair(kv.key.as_deref().unwrap_or(""), &text_of(kv.value.as_ref()));
            }
            ("application/x-www-form-urlencoded".to_string(), encoder.finish())
        }
        "formdata" => multipart(name, &body.formdata, skipped),
        "graphql" => {
            let query = body.graphql.as_ref().and_then(|g| g.get("query")).cloned().unwrap_or_default();
            let variables = body.graphql.as_ref().and_then(|g| g.get("variables")).map(|v| match v {
                serde_json::Value::String(text) => serde_json::from_str(text).unwrap_or(serde_json::Value::Null),
                other => other.clone(),
            });
            let request = serde_json::json!({ "query": query, "variables": variables });
            ("application/json".to_string(), serde_json::to_string_pretty(&request).unwrap_or_default())
        }
        "file" => {
            skipped.push(format!("{name}: its body is a file, which zorgtui does not send; the body is left empty"));
            return None;
        }
        "none" => return None,
        other => {
            skipped.push(format!("{name}: body mode `{other}` is not read"));
            return None;
        }
    };
    // A Content-Type header the request names wins over the guess (unless the body is a multipart one we built).
    let content_type = match content_type {
        Some(named) if !kind.starts_with("multipart/") => named,
        _ => kind,
    };
    Some(RequestBody { content_type, required: false, example: Some(example) })
}

/// The fixed boundary of the multipart bodies made from form fields: the body is text the person can edit, so it
/// has to be readable and stable.
const BOUNDARY: &str = "zorgtui-form-boundary";

fn multipart(name: &str, fields: &[KeyValue], skipped: &mut Vec<String>) -> (String, String) {
    let mut out = String::new();
    for kv in fields.iter().filter(|kv| !kv.disabled) {
        if kv.kind.as_deref() == Some("file") {
            let key = kv.key.as_deref().unwrap_or("");
            skipped.push(format!("{name}: form field `{key}` is a file, which zorgtui does not send"));
            continue;
        }
        let key = kv.key.as_deref().unwrap_or("").replace(['"', '\r', '\n'], "_");
        let _ = write!(
            out,
            "--{BOUNDARY}\r\nContent-Disposition: form-data; name=\"{key}\"\r\n\r\n{}\r\n",
            text_of(kv.value.as_ref())
        );
    }
    let _ = write!(out, "--{BOUNDARY}--\r\n");
    (format!("multipart/form-data; boundary={BOUNDARY}"), out)
}

fn first_line(text: &str) -> String {
    crate::text::escape_controls(text.trim().lines().next().unwrap_or("")).into_owned()
}
