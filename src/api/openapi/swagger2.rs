//! Swagger 2.0 documents brought into the OpenAPI 3.0 shape the reader walks, in place (as swagger2openapi does,
//! for the parts a catalogue needs): `host`/`basePath`/`schemes` become `servers`, `body` and `formData`
//! parameters a `requestBody` in the `consumes` types, response `schema`s `content` in the `produces` types, and
//! `securityDefinitions` `components.securitySchemes`. Parameters keep their 2.0 form (the type beside the name);
//! the parameter reader takes that as their schema. `#/definitions/...` refs keep working: nothing moves.

use serde_yaml_ng::{Mapping, Value};

use super::refs::{pointer, ref_of};
use crate::api::Method;

/// Upgrades `root` (a Swagger 2.0 document) in place; `base` is the spec's URL, for a missing `host`.
pub(super) fn upgrade(root: &mut Value, base: Option<&url::Url>) {
    let servers = servers(root, base);
    let schemes = security_schemes(root);
    let consumes = media_types(root.get("consumes"));
    let produces = media_types(root.get("produces"));
    // What to add, worked out on the tree as it is, then written in.
    let mut bodies: Vec<(String, Value)> = Vec::new();
    let mut contents: Vec<(String, Value)> = Vec::new();
    for (name, response) in root.get("responses").and_then(Value::as_mapping).into_iter().flatten() {
        if let (Some(name), Some(content)) = (name.as_str(), response_content(response, produces.as_deref())) {
            contents.push((format!("/responses/{}", escape(name)), content));
        }
    }
    for (path, item) in root.get("paths").and_then(Value::as_mapping).into_iter().flatten() {
        let Some(path) = path.as_str() else { continue };
        let (item_at, item) = match ref_of(item).and_then(|r| r.strip_prefix('#')) {
            Some(target) => (target.to_string(), pointer(root, target).unwrap_or(&Value::Null)),
            None => (format!("/paths/{}", escape(path)), item),
        };
        let Some(entries) = item.as_mapping() else { continue };
        for (method, operation) in entries {
            let Some(method) =
                method.as_str().filter(|m| Method::parse(m).is_some() && !m.contains(char::is_uppercase))
            else {
                continue;
            };
            let at = format!("{item_at}/{method}");
            let op_consumes = media_types(operation.get("consumes")).or_else(|| consumes.clone());
            let op_produces = media_types(operation.get("produces")).or_else(|| produces.clone());
            if operation.get("requestBody").is_none() {
                let params = parameters(root, item.get("parameters"), operation.get("parameters"));
                if let Some(body) = request_body(&params, op_consumes.as_deref()) {
                    bodies.push((at.clone(), body));
                }
            }
            for (code, response) in operation.get("responses").and_then(Value::as_mapping).into_iter().flatten() {
                let Some(content) = response_content(response, op_produces.as_deref()) else { continue };
                let code = super::refs::key_text(code).unwrap_or_default();
                contents.push((format!("{at}/responses/{}", escape(&code)), content));
            }
        }
    }
    for (at, body) in bodies {
        insert(root, &at, "requestBody", body);
    }
    for (at, content) in contents {
        insert(root, &at, "content", content);
    }
    if let Value::Mapping(map) = root {
        map.insert("openapi".into(), "3.0.0".into());
        map.insert("servers".into(), servers);
        if !schemes.is_empty() {
            let mut components = Mapping::new();
            components.insert("securitySchemes".into(), Value::Mapping(schemes));
            map.insert("components".into(), Value::Mapping(components));
        }
    }
}

/// `schemes` × `host` + `basePath`; without a host, the base path alone (resolved later against the spec's URL).
fn servers(root: &Value, base: Option<&url::Url>) -> Value {
    let text = |key: &str| root.get(key).and_then(Value::as_str).map(str::to_string);
    let base_path = text("basePath").unwrap_or_else(|| "/".to_string());
    let base_path = if base_path.starts_with('/') { base_path } else { format!("/{base_path}") };
    let host = text("host").or_else(|| {
        let base = base?;
        let host = base.host_str()?;
        Some(base.port().map_or_else(|| host.to_string(), |port| format!("{host}:{port}")))
    });
    let mut schemes: Vec<String> = root
        .get("schemes")
        .and_then(Value::as_sequence)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_string)
        .collect();
    if schemes.is_empty() {
        schemes.push(base.map_or("https", url::Url::scheme).to_string());
    }
    let urls: Vec<String> = match host {
        Some(host) => schemes.iter().map(|scheme| format!("{scheme}://{host}{base_path}")).collect(),
        None => vec![base_path],
    };
    Value::Sequence(
        urls.into_iter()
            .map(|url| {
                let mut server = Mapping::new();
                server.insert("url".into(), url.into());
                Value::Mapping(server)
            })
            .collect(),
    )
}

/// `securityDefinitions` in 3.0 form: `oauth2` with its one `flow` as `flows`, `basic` as `http`.
fn security_schemes(root: &Value) -> Mapping {
    let mut out = Mapping::new();
    for (name, definition) in root.get("securityDefinitions").and_then(Value::as_mapping).into_iter().flatten() {
        let Some(fields) = definition.as_mapping() else { continue };
        let mut scheme = fields.clone();
        match definition.get("type").and_then(Value::as_str) {
            Some("basic") => {
                scheme.insert("type".into(), "http".into());
                scheme.insert("scheme".into(), "basic".into());
            }
            Some("oauth2") => {
                let flow_name = match definition.get("flow").and_then(Value::as_str) {
                    Some("accessCode") => "authorizationCode",
                    Some("application") => "clientCredentials",
                    Some("password") => "password",
                    _ => "implicit",
                };
                let mut flow = Mapping::new();
                for key in ["authorizationUrl", "tokenUrl", "scopes"] {
                    if let Some(value) = definition.get(key) {
                        flow.insert(key.into(), value.clone());
                    }
                }
                let mut flows = Mapping::new();
                flows.insert(flow_name.into(), Value::Mapping(flow));
                scheme.insert("flows".into(), Value::Mapping(flows));
            }
            _ => {}
        }
        out.insert(name.clone(), Value::Mapping(scheme));
    }
    out
}

fn media_types(value: Option<&Value>) -> Option<Vec<String>> {
    let list: Vec<String> = value?.as_sequence()?.iter().filter_map(Value::as_str).map(str::to_string).collect();
    (!list.is_empty()).then_some(list)
}

/// The path item's parameters then the operation's (refs followed), the operation's winning on name and `in`.
fn parameters<'a>(root: &'a Value, item: Option<&'a Value>, operation: Option<&'a Value>) -> Vec<&'a Value> {
    let mut params: Vec<&Value> = Vec::new();
    for list in [item, operation].into_iter().flatten() {
        for raw in list.as_sequence().into_iter().flatten() {
            let param = match ref_of(raw).and_then(|r| r.strip_prefix('#')) {
                Some(target) => match pointer(root, target) {
                    Some(found) => found,
                    None => continue,
                },
                None => raw,
            };
            let same = |p: &&Value| p.get("name") == param.get("name") && p.get("in") == param.get("in");
            match params.iter().position(same) {
                Some(i) => params[i] = param,
                None => params.push(param),
            }
        }
    }
    params
}

/// The `requestBody` that the `body` parameter, or else the `formData` parameters, stand for.
fn request_body(params: &[&Value], consumes: Option<&[String]>) -> Option<Value> {
    let located = |place: &str| -> Vec<&Value> {
        params.iter().copied().filter(|p| p.get("in").and_then(Value::as_str) == Some(place)).collect()
    };
    let mut body = Mapping::new();
    let mut content = Mapping::new();
    if let Some(param) = located("body").first().copied() {
        let types = consumes.map_or_else(|| vec!["application/json".to_string()], <[String]>::to_vec);
        for content_type in types {
            let mut media = Mapping::new();
            if let Some(schema) = param.get("schema") {
                media.insert("schema".into(), schema.clone());
            }
            if let Some(example) = param.get("x-example") {
                media.insert("example".into(), example.clone());
            }
            content.insert(content_type.into(), Value::Mapping(media));
        }
        copy(param, &mut body, &["description", "required"]);
    } else {
        let fields = located("formData");
        if fields.is_empty() {
            return None;
        }
        let has_file = fields.iter().any(|f| f.get("type").and_then(Value::as_str) == Some("file"));
        let listed = |t: &str| consumes.is_some_and(|c| c.iter().any(|c| c.starts_with(t)));
        let content_type =
            if has_file || (listed("multipart/form-data") && !listed("application/x-www-form-urlencoded")) {
                "multipart/form-data"
            } else {
                "application/x-www-form-urlencoded"
            };
        let mut properties = Mapping::new();
        let mut required = Vec::new();
        for field in &fields {
            let Some(name) = field.get("name").and_then(Value::as_str) else { continue };
            let mut schema = Mapping::new();
            copy(
                field,
                &mut schema,
                &["type", "format", "items", "enum", "default", "description", "minimum", "maximum"],
            );
            if field.get("type").and_then(Value::as_str) == Some("file") {
                schema.insert("type".into(), "string".into());
                schema.insert("format".into(), "binary".into());
            }
            if let Some(example) = field.get("x-example") {
                schema.insert("example".into(), example.clone());
            }
            properties.insert(name.into(), Value::Mapping(schema));
            if field.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(Value::from(name));
                body.insert("required".into(), true.into());
            }
        }
        let mut schema = Mapping::new();
        schema.insert("type".into(), "object".into());
        schema.insert("properties".into(), Value::Mapping(properties));
        if !required.is_empty() {
            schema.insert("required".into(), Value::Sequence(required));
        }
        let mut media = Mapping::new();
        media.insert("schema".into(), Value::Mapping(schema));
        content.insert(content_type.into(), Value::Mapping(media));
    }
    body.insert("content".into(), Value::Mapping(content));
    Some(Value::Mapping(body))
}

/// A 2.0 response's `schema` as 3.0 `content` in each `produces` type; `None` when it has no schema (or is a ref:
/// its target is converted where it lives).
fn response_content(response: &Value, produces: Option<&[String]>) -> Option<Value> {
    let schema = response.get("schema")?;
    if response.get("content").is_some() {
        return None;
    }
    let types = produces.map_or_else(|| vec!["application/json".to_string()], <[String]>::to_vec);
    let mut content = Mapping::new();
    for content_type in types {
        let mut media = Mapping::new();
        media.insert("schema".into(), schema.clone());
        content.insert(content_type.into(), Value::Mapping(media));
    }
    Some(Value::Mapping(content))
}

fn copy(from: &Value, to: &mut Mapping, keys: &[&str]) {
    for key in keys {
        if let Some(value) = from.get(*key) {
            to.insert((*key).into(), value.clone());
        }
    }
}

/// A JSON pointer token for `name` (`/` and `~` escaped).
fn escape(name: &str) -> String {
    name.replace('~', "~0").replace('/', "~1")
}

/// Sets `key` of the mapping at JSON pointer `at`, if there is one.
fn insert(root: &mut Value, at: &str, key: &str, value: Value) {
    let mut current = root;
    for token in at.split('/').skip(1) {
        let token = token.replace("~1", "/").replace("~0", "~");
        current = match current {
            Value::Mapping(map) => {
                let key = if map.contains_key(token.as_str()) {
                    Value::String(token)
                } else {
                    match map.keys().find(|k| super::refs::key_text(k).as_deref() == Some(token.as_str())) {
                        Some(key) => key.clone(),
                        None => return,
                    }
                };
                match map.get_mut(&key) {
                    Some(child) => child,
                    None => return,
                }
            }
            Value::Sequence(items) => match token.parse::<usize>().ok().and_then(|i| items.get_mut(i)) {
                Some(child) => child,
                None => return,
            },
            _ => return,
        };
    }
    if let Value::Mapping(map) = current {
        map.insert(key.into(), value);
    }
}
