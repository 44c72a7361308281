//! Request bodies: which content type to send and an example ready to edit.

use std::fmt::Write as _;

use serde_yaml_ng::Value;

use super::plain::wire_name;
use super::refs::{Context, key_text, untag};
use super::synth;
use crate::api::RequestBody;

pub(super) fn request_body<'a>(ctx: &mut Context<'a>, raw: &'a Value, at: &str) -> Option<RequestBody> {
    let spec = ctx.follow(raw, at, "the request body")?;
    let content = spec.get("content").and_then(Value::as_mapping)?;
    let (content_type, media) = content
        .iter()
        .filter_map(|(key, media)| Some((key_text(key)?, media)))
        .min_by_key(|(content_type, _)| preference(content_type))?;
    let required = spec.get("required").and_then(Value::as_bool) == Some(true);
    let json = is_json(&content_type);
    let example = if ctx.example_bodies { example_text(ctx, media, at, &content_type, json) } else { None };
    Some(RequestBody { content_type: wire_name(&content_type), required, example })
}

/// The example as text to edit; made once for a schema that is a `$ref` alone, when the media type gives none.
fn example_text<'a>(
    ctx: &mut Context<'a>,
    media: &'a Value,
    at: &str,
    content_type: &str,
    json: bool,
) -> Option<String> {
    let shared = match (media.get("example"), media.get("examples"), media.get("schema")) {
        (None, None, Some(schema)) if schema.as_mapping().is_some_and(|m| m.len() == 1) => super::refs::ref_of(schema),
        _ => None,
    };
    let Some(reference) = shared else {
        return example_value(ctx, media, at).and_then(|value| render(&value, content_type, json));
    };
    let key = (reference, content_type.to_string());
    if let Some(made) = ctx.examples.get(&key) {
        return made.clone();
    }
    let made = example_value(ctx, media, at).and_then(|value| render(&value, content_type, json));
    ctx.examples.insert(key, made.clone());
    made
}

/// Lower is better: `application/json`, then any other JSON type, then the first as written.
fn preference(content_type: &str) -> u8 {
    let essence = essence(content_type);
    if essence == "application/json" {
        0
    } else if is_json(content_type) {
        1
    } else {
        2
    }
}

fn essence(content_type: &str) -> String {
    content_type.split(';').next().unwrap_or_default().trim().to_ascii_lowercase()
}

fn is_json(content_type: &str) -> bool {
    let essence = essence(content_type);
    essence.ends_with("/json") || essence.ends_with("+json")
}

/// The media type's `example`, else its first `examples` value, else one made from the schema.
fn example_value<'a>(ctx: &mut Context<'a>, media: &'a Value, at: &str) -> Option<Value> {
    if let Some(example) = media.get("example") {
        return Some(example.clone());
    }
    let named = media.get("examples").and_then(Value::as_mapping).and_then(|m| m.values().next());
    if let Some(value) = named.and_then(|e| ctx.follow(e, at, "an example")).and_then(|e| e.get("value")) {
        return Some(value.clone());
    }
    let schema = media.get("schema")?;
    synth::example_for(ctx, schema, at).filter(|value| !value.is_null())
}

fn render(value: &Value, content_type: &str, json: bool) -> Option<String> {
    if json {
        // Specs often give a JSON body as a string of JSON text; show it as the JSON it is.
        let parsed = value.as_str().and_then(|text| serde_json::from_str::<Value>(text).ok());
        return json_text(parsed.as_ref().unwrap_or(value), true);
    }
    match untag(value) {
        Value::String(text) => Some(text.clone()),
        Value::Mapping(fields) if essence(content_type) == "application/x-www-form-urlencoded" => {
            let pairs: Vec<String> = fields
                .iter()
                .filter_map(|(k, v)| Some(format!("{}={}", key_text(k)?, super::plain::wire_text(v)?)))
                .collect();
            Some(pairs.join("&"))
        }
        _ => None,
    }
}

/// JSON text of `value`, pretty (2 spaces) or compact, keys in the order given, safe to put on a terminal.
fn json_text(value: &Value, pretty: bool) -> Option<String> {
    let text = if pretty { serde_json::to_string_pretty(value) } else { serde_json::to_string(value) };
    text.ok().map(|text| escape_in_json(&text))
}

/// serde_json leaves DEL, C1 controls and bidi overrides raw; inside JSON strings (the only place they can be) the
/// `\uXXXX` escape means the same, and keeps the example safe to put on a terminal.
fn escape_in_json(pretty: &str) -> String {
    let unsafe_char =
        |c: char| (c.is_control() && c != '\n') || matches!(c, '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}');
    if !pretty.chars().any(unsafe_char) {
        return pretty.to_string();
    }
    let mut out = String::with_capacity(pretty.len() + 16);
    for c in pretty.chars() {
        if unsafe_char(c) {
            let _ = write!(out, "\\u{:04x}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body(yaml: &str) -> Option<RequestBody> {
        let doc: Value = serde_yaml_ng::from_str(yaml).unwrap();
        let mut ctx = Context::new(&doc);
        request_body(&mut ctx, &doc["body"], "POST /x")
    }

    #[test]
    fn json_is_preferred_and_the_media_example_wins() {
        let body = body(
            "body:\n  required: true\n  content:\n    text/plain: {example: hi}\n    \
             application/vnd.api+json: {example: {b: 1, a: [true]}, schema: {type: object}}\n",
        )
        .unwrap();
        assert_eq!(body.content_type, "application/vnd.api+json");
        assert!(body.required);
        assert_eq!(body.example.as_deref(), Some("{\n  \"b\": 1,\n  \"a\": [\n    true\n  ]\n}"));
    }

    #[test]
    fn named_examples_through_refs_and_json_text_strings() {
        let body = body(
            "body:\n  $ref: '#/components/requestBodies/B'\ncomponents:\n  requestBodies:\n    B:\n      content:\n        \
             application/json:\n          examples:\n            first: {$ref: '#/components/examples/E'}\n  \
             examples:\n    E: {value: '{\"name\": \"x\"}'}\n",
        )
        .unwrap();
        assert!(!body.required);
        assert_eq!(body.example.as_deref(), Some("{\n  \"name\": \"x\"\n}"));
    }

    #[test]
    fn schema_example_is_synthesised_and_controls_are_escaped() {
        let body = body(
            "body:\n  content:\n    application/json:\n      schema:\n        properties:\n          \
             n: {type: string, example: \"a\\u009bb\\u202ec\"}\n",
        )
        .unwrap();
        assert_eq!(body.example.as_deref(), Some("{\n  \"n\": \"a\\u009bb\\u202ec\"\n}"));
    }

    #[test]
    fn form_bodies_become_pairs_and_unknown_shapes_give_no_example() {
        let form = body(
            "body:\n  content:\n    application/x-www-form-urlencoded:\n      \
             schema: {properties: {a: {type: integer}, b: {type: string, default: z}}}\n",
        )
        .unwrap();
        assert_eq!(form.example.as_deref(), Some("a=0&b=z"));
        let binary =
            body("body:\n  content:\n    application/octet-stream: {schema: {type: string, format: binary}}\n");
        assert_eq!(binary.map(|b| (b.content_type, b.example)), Some(("application/octet-stream".into(), None)));
        assert!(body("body:\n  description: nothing\n").is_none());
    }
}
