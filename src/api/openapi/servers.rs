//! The document's `servers`: variables with their defaults and allowed values, relative URLs made absolute against
//! the spec's own URL (OpenAPI says they are relative to where the document was served).

use serde_yaml_ng::Value;

use super::plain::{first_line, wire_name, wire_text};
use super::refs::key_text;
use crate::api::{Server, ServerVariable};

/// The servers, in document order. With none listed, a spec fetched from a URL gets the one OpenAPI implies: `/`
/// on the spec's host.
pub(super) fn servers(root: &Value, base: Option<&url::Url>) -> Vec<Server> {
    let list = root.get("servers").and_then(Value::as_sequence).map(Vec::as_slice).unwrap_or_default();
    let mut servers: Vec<Server> = list.iter().filter_map(|server| read(server, base)).collect();
    if let Some(base) = base.filter(|_| servers.is_empty() && !list.iter().any(|s| s.get("url").is_some())) {
        let url = absolute("/", base);
        servers.push(Server { url: url.clone(), description: String::new(), template: url, variables: Vec::new() });
    }
    servers
}

fn read(server: &Value, base: Option<&url::Url>) -> Option<Server> {
    let written = wire_name(server.get("url").and_then(Value::as_str)?);
    let mut variables = Vec::new();
    for (name, variable) in server.get("variables").and_then(Value::as_mapping).into_iter().flatten() {
        let Some(name) = key_text(name).map(|n| wire_name(&n)) else { continue };
        let allowed: Vec<String> =
            variable.get("enum").and_then(Value::as_sequence).into_iter().flatten().filter_map(wire_text).collect();
        // A variable must have a default; where a document forgets it, its first allowed value will do.
        let default = variable.get("default").and_then(wire_text).or_else(|| allowed.first().cloned());
        let description = variable.get("description").and_then(Value::as_str).map(first_line).unwrap_or_default();
        variables.push(ServerVariable { name, default: default.unwrap_or_default(), allowed, description });
    }
    let template = match base {
        Some(base) => absolute_template(&written, &variables, base),
        None => written,
    };
    let description = server.get("description").and_then(Value::as_str).map(first_line).unwrap_or_default();
    let mut server = Server { url: String::new(), description, template, variables };
    server.url = server.url_with(&[]);
    Some(server)
}

/// `template` made absolute against `base`, its `{name}` placeholders kept (a URL parser would escape the braces).
fn absolute_template(template: &str, variables: &[ServerVariable], base: &url::Url) -> String {
    let marker = |i: usize| format!("zorgtui-variable-{i}-");
    let mut with_markers = template.to_string();
    for (i, variable) in variables.iter().enumerate() {
        with_markers = with_markers.replace(&format!("{{{}}}", variable.name), &marker(i));
    }
    if url::Url::parse(&with_markers).is_ok() || with_markers.contains('{') {
        // Absolute already, or a placeholder nobody declared: leave it as written.
        return template.to_string();
    }
    let mut resolved = absolute(&with_markers, base);
    for (i, variable) in variables.iter().enumerate() {
        resolved = resolved.replace(&marker(i), &format!("{{{}}}", variable.name));
    }
    resolved
}

fn absolute(relative: &str, base: &url::Url) -> String {
    base.join(relative).map_or_else(|_| relative.to_string(), |url| url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn servers_of(yaml: &str, base: Option<&str>) -> Vec<Server> {
        let doc: Value = serde_yaml_ng::from_str(yaml).unwrap();
        let base = base.map(|b| url::Url::parse(b).unwrap());
        servers(&doc, base.as_ref())
    }

    #[test]
    fn variables_are_filled_from_their_defaults_and_can_be_changed() {
        let servers = servers_of(
            "servers:\n  - url: 'https://{region}.example.com/{base}'\n    variables:\n      \
             region: {default: eu, enum: [eu, us], description: \"Where\\nmore\"}\n      base: {enum: [v2, v3]}\n",
            None,
        );
        let server = &servers[0];
        assert_eq!(server.url, "https://eu.example.com/v2");
        assert_eq!(server.template, "https://{region}.example.com/{base}");
        assert_eq!(server.variables[0].allowed, ["eu", "us"]);
        assert_eq!(server.variables[0].description, "Where");
        assert_eq!(server.variables[1].default, "v2", "no default: the first allowed value");
        assert_eq!(server.url_with(&[("region", "us")]), "https://us.example.com/v2");
    }

    #[test]
    fn relative_urls_are_resolved_against_the_specs_url() {
        let base = Some("https://api.example/docs/openapi.yaml");
        let servers = servers_of(
            "servers:\n  - url: /v1/{version}\n    variables: {version: {default: beta}}\n  - url: v2\n",
            base,
        );
        assert_eq!(servers[0].template, "https://api.example/v1/{version}");
        assert_eq!(servers[0].url, "https://api.example/v1/beta");
        assert_eq!(servers[1].url, "https://api.example/docs/v2");
        let from_file = servers_of("servers:\n  - url: /v1\n", None);
        assert_eq!(from_file[0].url, "/v1", "a file has no URL to resolve against");
    }

    #[test]
    fn no_servers_means_the_specs_host() {
        assert_eq!(
            servers_of("openapi: 3.1.0\n", Some("https://api.example/docs/openapi.yaml"))[0].url,
            "https://api.example/"
        );
        assert!(servers_of("openapi: 3.1.0\n", None).is_empty());
    }
}
