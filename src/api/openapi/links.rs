//! The `links` of an operation's responses (OpenAPI 3): what may follow an answer, read as plain data. Swagger 2.0
//! has none.

use serde_yaml_ng::Value;

use super::plain::{first_line, one_line};
use super::refs::{Context, key_text};
use crate::api::ResponseLink;

/// Every link the operation's responses declare, by response code then document order.
pub(super) fn declared<'a>(ctx: &mut Context<'a>, spec: &'a Value, at: &str) -> Vec<ResponseLink> {
    let mut found = Vec::new();
    for (code, raw) in spec.get("responses").and_then(Value::as_mapping).into_iter().flatten() {
        let Some(status) = key_text(code) else { continue };
        // Most responses declare no links: look before following a `$ref`.
        if raw.get("links").is_none() && raw.get("$ref").is_none() {
            continue;
        }
        let Some(response) = ctx.follow(raw, at, "the response") else { continue };
        for (name, raw_link) in response.get("links").and_then(Value::as_mapping).into_iter().flatten() {
            let Some(name) = key_text(name) else { continue };
            let Some(link) = ctx.follow(raw_link, at, "the link") else { continue };
            let text = |key: &str| link.get(key).and_then(Value::as_str).map(one_line);
            let parameters = link
                .get("parameters")
                .and_then(Value::as_mapping)
                .into_iter()
                .flatten()
                .filter_map(|(k, v)| Some((key_text(k)?, constant_text(v)?)))
                .collect();
            let (operation_id, operation_ref) = (text("operationId"), text("operationRef"));
            if operation_id.is_none() && operation_ref.is_none() {
                continue;
            }
            found.push(ResponseLink {
                status: status.clone(),
                name: one_line(&name),
                operation_id,
                operation_ref,
                parameters,
                description: link.get("description").and_then(Value::as_str).map(first_line).unwrap_or_default(),
            });
        }
    }
    found
}

/// An expression or constant as text: strings as they are, other values as JSON.
fn constant_text(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Null | Value::Tagged(_) => None,
        other => serde_json::to_string(other).ok(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn the_links_of_a_real_document_are_read() {
        let path = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/specs/tictactoe-3.1.yaml");
        let catalogue = crate::api::openapi::load_file(std::path::Path::new(path)).unwrap();
        let get = catalogue.operations.iter().find(|op| op.links.iter().any(|l| l.name == "markSquare")).unwrap();
        let link = &get.links[0];
        assert_eq!((link.status.as_str(), link.operation_id.as_deref()), ("200", Some("put-square")));
        assert_eq!(
            link.parameters,
            [("row".into(), "$request.path.row".into()), ("column".into(), "$request.path.column".into())]
        );
        assert!(catalogue.operations.iter().any(|op| op.operation_id.as_deref() == Some("put-square")));
    }
}
