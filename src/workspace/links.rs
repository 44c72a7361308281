//! OpenAPI `links`: after a response, the operations the spec says may follow, with their parameters filled from
//! the exchange by runtime expressions (`$response.body#/id`, `$request.path.organizationId`, …) or constants.

use serde_json::Value;

use crate::api::catalogue::ResponseLink;

/// What an exchange offers to expressions.
#[derive(Debug, Clone, Copy)]
pub struct ExchangeView<'a> {
    pub method: &'a str,
    pub url: &'a str,
    pub path: &'a [(String, String)],
    pub query: &'a [(String, String)],
    pub request_headers: &'a [(String, String)],
    pub request_body: Option<&'a Value>,
    pub status: u16,
    pub response_headers: &'a [(String, String)],
    pub response_body: Option<&'a Value>,
}

/// Whether a link declared for `declared` (`201`, `2XX`, `default`) applies to an answer of `status`.
pub fn applies(declared: &str, status: u16) -> bool {
    let declared = declared.trim();
    if declared.eq_ignore_ascii_case("default") {
        return (200..300).contains(&status);
    }
    let text = status.to_string();
    declared.len() == 3 && declared.chars().zip(text.chars()).all(|(d, s)| d == s || d.eq_ignore_ascii_case(&'x'))
}

/// The links of `links` that apply to an answer of `status`.
pub fn for_status(links: &[ResponseLink], status: u16) -> Vec<&ResponseLink> {
    // An exact code wins over `2XX`, which wins over `default`: each link name once.
    let rank = |l: &ResponseLink| {
        if l.status.eq_ignore_ascii_case("default") { 2 } else { u8::from(l.status.contains(['X', 'x'])) }
    };
    let mut found: Vec<&ResponseLink> = links.iter().filter(|l| applies(&l.status, status)).collect();
    found.sort_by_key(|l| rank(l));
    let mut seen = Vec::new();
    found.retain(|l| {
        let new = !seen.contains(&l.name);
        seen.push(l.name.clone());
        new
    });
    found
}

/// A parameter's value: a runtime expression evaluated against `exchange`, `{$…}` expressions inside a string, or
/// the constant itself. `None` when an expression points at nothing.
pub fn evaluate(expression: &str, exchange: &ExchangeView<'_>) -> Option<String> {
    let expression = expression.trim();
    if expression.starts_with('$') {
        return runtime(expression, exchange);
    }
    if !expression.contains("{$") {
        return Some(expression.to_string());
    }
    let mut out = String::new();
    let mut rest = expression;
    while let Some(open) = rest.find("{$") {
        let close = rest[open..].find('}').map(|i| open + i)?;
        out.push_str(&rest[..open]);
        out.push_str(&runtime(&rest[open + 1..close], exchange)?);
        rest = &rest[close + 1..];
    }
    out.push_str(rest);
    Some(out)
}

fn runtime(expression: &str, exchange: &ExchangeView<'_>) -> Option<String> {
    let pick = |pairs: &[(String, String)], name: &str, any_case: bool| {
        pairs
            .iter()
            .find(|(n, _)| if any_case { n.eq_ignore_ascii_case(name) } else { n == name })
            .map(|(_, v)| v.clone())
    };
    match expression {
        "$url" => return Some(exchange.url.to_string()),
        "$method" => return Some(exchange.method.to_string()),
        "$statusCode" => return Some(exchange.status.to_string()),
        _ => {}
    }
    let (source, rest) = expression
        .strip_prefix("$request.")
        .map(|r| (true, r))
        .or_else(|| expression.strip_prefix("$response.").map(|r| (false, r)))?;
    if let Some(pointer) = rest.strip_prefix("body") {
        let body = if source { exchange.request_body } else { exchange.response_body }?;
        let pointer = pointer.strip_prefix('#').unwrap_or(pointer);
        let value = if pointer.is_empty() { body } else { body.pointer(pointer)? };
        return Some(match value {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        });
    }
    let (place, name) = rest.split_once('.')?;
    match (source, place) {
        (true, "path") => pick(exchange.path, name, false),
        (true, "query") => pick(exchange.query, name, false),
        (true, "header") => pick(exchange.request_headers, name, true),
        (false, "header") => pick(exchange.response_headers, name, true),
        _ => None,
    }
}

/// The method and path an `operationRef` within the document names (`#/paths/~1users~1{id}/get`).
pub fn operation_ref_target(reference: &str) -> Option<(String, String)> {
    let pointer = reference.rsplit_once('#').map_or(reference, |(_, p)| p);
    let rest = pointer.strip_prefix("/paths/")?;
    let (path, method) = rest.rsplit_once('/')?;
    let path = path.replace("~1", "/").replace("~0", "~");
    let path = percent_encoding::percent_decode_str(&path).decode_utf8_lossy().into_owned();
    Some((method.to_ascii_uppercase(), path))
}

/// A parameter name as a link writes it, without its place (`path.id` → `id`).
pub fn parameter_name(name: &str) -> &str {
    ["path.", "query.", "header.", "cookie."].iter().find_map(|p| name.strip_prefix(p)).unwrap_or(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn view<'a>(
        path: &'a [(String, String)],
        headers: &'a [(String, String)],
        body: Option<&'a Value>,
    ) -> ExchangeView<'a> {
        ExchangeView {
            method: "POST",
            url: "https://h/organizations",
            path,
            query: &[],
            request_headers: &[],
            request_body: None,
            status: 201,
            response_headers: headers,
            response_body: body,
        }
    }

    #[test]
    fn runtime_expressions_read_the_exchange() {
        let body = serde_json::json!({"id": "5c1a", "owner": {"id": 7}, "a/b": true});
        let path = vec![("row".to_string(), "2".to_string())];
        let headers = vec![("Location".to_string(), "https://h/organizations/5c1a".to_string())];
        let ex = view(&path, &headers, Some(&body));
        assert_eq!(evaluate("$response.body#/id", &ex).as_deref(), Some("5c1a"));
        assert_eq!(evaluate("$response.body#/owner/id", &ex).as_deref(), Some("7"));
        assert_eq!(evaluate("$response.body#/a~1b", &ex).as_deref(), Some("true"));
        assert_eq!(evaluate("$request.path.row", &ex).as_deref(), Some("2"));
        assert_eq!(evaluate("$response.header.location", &ex).as_deref(), Some("https://h/organizations/5c1a"));
        assert_eq!(evaluate("$statusCode", &ex).as_deref(), Some("201"));
        assert_eq!(evaluate("id-{$response.body#/id}!", &ex).as_deref(), Some("id-5c1a!"));
        assert_eq!(evaluate("constant", &ex).as_deref(), Some("constant"));
        assert_eq!(evaluate("$response.body#/missing", &ex), None);
        assert_eq!(evaluate("$request.body#/x", &ex), None);
    }

    #[test]
    fn links_apply_by_status_the_exact_code_first() {
        let link = |status: &str, name: &str| ResponseLink {
            status: status.into(),
            name: name.into(),
            operation_id: Some("x".into()),
            operation_ref: None,
            parameters: vec![],
            description: status.into(),
        };
        let links = [link("default", "a"), link("2XX", "a"), link("201", "a"), link("404", "b"), link("2xx", "c")];
        let found = for_status(&links, 201);
        assert_eq!(
            found.iter().map(|l| (l.name.as_str(), l.status.as_str())).collect::<Vec<_>>(),
            [("a", "201"), ("c", "2xx")]
        );
        assert!(for_status(&links, 500).is_empty());
        assert_eq!(
            operation_ref_target("#/paths/~1board~1{row}~1{column}/put"),
            Some(("PUT".to_string(), "/board/{row}/{column}".to_string()))
        );
        assert_eq!(parameter_name("path.row"), "row");
    }
}
