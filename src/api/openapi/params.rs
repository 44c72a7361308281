//! Parameters: path-level and operation-level merged, each reduced to what the request editor needs.

use serde_yaml_ng::Value;

use super::plain::{first_line, one_line, wire_name, wire_text};
use super::refs::{Context, untag};
use crate::api::{Param, ParamLocation};

/// How many `allOf`/`oneOf`/`anyOf` branches are searched for a parameter's type, enum or default.
const SEARCH_BUDGET: usize = 16;

/// The path item's parameters, then the operation's; the operation's win on the same name and location.
pub(super) fn merged<'a>(
    ctx: &mut Context<'a>,
    path_level: Option<&'a Value>,
    operation_level: Option<&'a Value>,
    at: &str,
) -> Vec<Param> {
    let mut params: Vec<Param> = Vec::new();
    for list in [path_level, operation_level].into_iter().flatten() {
        let Some(items) = ctx.follow(list, at, "the parameter list").and_then(Value::as_sequence) else {
            continue;
        };
        for raw in items {
            let Some(param) = param(ctx, raw, at) else { continue };
            match params.iter_mut().find(|p| p.name == param.name && p.location == param.location) {
                Some(existing) => *existing = param,
                None => params.push(param),
            }
        }
    }
    params
}

fn param<'a>(ctx: &mut Context<'a>, raw: &'a Value, at: &str) -> Option<Param> {
    let spec = ctx.follow(raw, at, "the parameter")?;
    let Some(name) = spec.get("name").and_then(Value::as_str) else {
        ctx.notices.push(format!("{at}: a parameter without a name is skipped"));
        return None;
    };
    let name = wire_name(name);
    let place = spec.get("in").and_then(Value::as_str);
    if ctx.swagger2 && matches!(place, Some("body" | "formData")) {
        // Swagger 2.0's body and form fields: read as the request body (see `swagger2`).
        return None;
    }
    let Some(location) = place.and_then(ParamLocation::parse) else {
        ctx.notices.push(format!("{at}: parameter `{name}` has no known `in` (path, query, header, cookie); skipped"));
        return None;
    };
    let required = location == ParamLocation::Path || spec.get("required").and_then(Value::as_bool) == Some(true);
    let schema = schema_of(ctx, spec, at, &name);
    let items = schema.and_then(|s| s.get("items")).and_then(|i| ctx.follow(i, at, "an items schema"));
    let kind = schema.and_then(|s| kind_of(ctx, s, at));
    let enum_source = if kind.as_deref() == Some("array") { items } else { schema };
    let allowed = enum_source
        .and_then(|s| find_in_schema(ctx, s, "enum", at))
        .and_then(Value::as_sequence)
        .map(|values| values.iter().filter_map(wire_text).collect())
        .unwrap_or_default();
    let description = spec
        .get("description")
        .or_else(|| schema.and_then(|s| s.get("description")))
        .and_then(Value::as_str)
        .map(first_line)
        .unwrap_or_default();
    Some(Param {
        name,
        location,
        required,
        kind,
        default: schema.and_then(|s| find_in_schema(ctx, s, "default", at)).and_then(wire_text),
        example: example_of(ctx, spec, schema, at),
        allowed,
        description,
    })
}

/// The parameter's schema: `schema`, or (3.0's other form) the schema of its first `content` entry.
fn schema_of<'a>(ctx: &mut Context<'a>, spec: &'a Value, at: &str, name: &str) -> Option<&'a Value> {
    let raw = spec.get("schema").or_else(|| {
        let content = spec.get("content")?.as_mapping()?;
        content.values().next()?.get("schema")
    });
    // Swagger 2.0 writes the type beside the name (`type`, `format`, `items`, `enum`, `default`): the parameter is
    // its own schema.
    let raw = raw.or_else(|| spec.get("type").map(|_| spec))?;
    ctx.follow(raw, at, &format!("the schema of parameter `{name}`"))
}

/// The schema's type; in 3.1 `type` may be a list (`[string, 'null']`), and wrappers (`allOf: [$ref]`) hide it.
fn kind_of<'a>(ctx: &mut Context<'a>, schema: &'a Value, at: &str) -> Option<String> {
    let mut budget = SEARCH_BUDGET;
    search(ctx, schema, at, &mut budget, &|schema| match schema.get("type").map(untag) {
        Some(Value::String(kind)) => Some(one_line(kind)),
        Some(Value::Sequence(kinds)) => kinds.iter().filter_map(Value::as_str).find(|k| *k != "null").map(one_line),
        _ if schema.get("properties").is_some() => Some("object".to_string()),
        _ if schema.get("items").is_some() => Some("array".to_string()),
        _ => None,
    })
}

/// `key` of the schema, or of the first `allOf`/`oneOf`/`anyOf` branch that has it (`allOf: [$ref: Enum]`).
fn find_in_schema<'a>(ctx: &mut Context<'a>, schema: &'a Value, key: &str, at: &str) -> Option<&'a Value> {
    let mut budget = SEARCH_BUDGET;
    search(ctx, schema, at, &mut budget, &|schema| schema.get(key))
}

/// The first answer `probe` gives on `schema` or, depth first, on its `allOf`/`oneOf`/`anyOf` branches. The budget
/// bounds the walk: wrappers that fan out (a thousand branches, each with a thousand more) cannot stall loading.
fn search<'a, T>(
    ctx: &mut Context<'a>,
    schema: &'a Value,
    at: &str,
    budget: &mut usize,
    probe: &impl Fn(&'a Value) -> Option<T>,
) -> Option<T> {
    if let Some(found) = probe(schema) {
        return Some(found);
    }
    for combiner in ["allOf", "oneOf", "anyOf"] {
        for branch in schema.get(combiner).and_then(Value::as_sequence).into_iter().flatten() {
            if *budget == 0 {
                return None;
            }
            *budget -= 1;
            let found = ctx.follow(branch, at, "a schema").and_then(|b| search(ctx, b, at, budget, probe));
            if found.is_some() {
                return found;
            }
        }
    }
    None
}

/// The first non-empty example: the parameter's `example`, its `examples` map (3.0 and 3.1), then the schema's
/// `example` and `examples` list (3.1).
fn example_of<'a>(ctx: &mut Context<'a>, spec: &'a Value, schema: Option<&'a Value>, at: &str) -> Option<String> {
    let mut candidates: Vec<&'a Value> = Vec::new();
    candidates.extend(spec.get("example"));
    if let Some(named) = spec.get("examples").and_then(Value::as_mapping) {
        for example in named.values() {
            if let Some(value) = ctx.follow(example, at, "an example").and_then(|e| e.get("value")) {
                candidates.push(value);
            }
        }
    }
    if let Some(schema) = schema {
        candidates.extend(schema.get("example"));
        candidates.extend(schema.get("examples").and_then(Value::as_sequence).into_iter().flatten());
    }
    candidates.into_iter().filter_map(wire_text).find(|text| !text.is_empty())
}

/// `params` with a required text parameter added for each `{name}` in `path` that none declares: the request can
/// then be filled in and sent, rather than stuck on a value there is no field for.
pub(super) fn with_template_names(ctx: &mut Context<'_>, mut params: Vec<Param>, path: &str, at: &str) -> Vec<Param> {
    let mut rest = path;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else { break };
        let name = &rest[open + 1..close];
        rest = &rest[close + 1..];
        let declared = params.iter().any(|p| p.location == ParamLocation::Path && p.name == name);
        if name.is_empty() || declared {
            continue;
        }
        ctx.notices.push(format!("{at}: path parameter `{name}` is not declared; it is asked for as text"));
        params.push(Param {
            name: name.to_string(),
            location: ParamLocation::Path,
            required: true,
            kind: None,
            default: None,
            example: None,
            allowed: Vec::new(),
            description: "not declared in the document".to_string(),
        });
    }
    params
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params_of(yaml: &str) -> (Vec<Param>, Vec<String>) {
        let doc: Value = serde_yaml_ng::from_str(yaml).unwrap();
        let mut ctx = Context::new(&doc);
        let item = &doc["paths"]["/x/{id}"];
        let params = merged(&mut ctx, item.get("parameters"), item["get"].get("parameters"), "GET /x/{id}");
        (params, ctx.notices.finish())
    }

    #[test]
    fn template_names_nobody_declared_are_asked_for_as_text() {
        let (declared, _) = params_of("paths:\n  /x/{id}:\n    get:\n      parameters: [{name: q, in: query}]\n");
        let doc = Value::Null;
        let mut ctx = Context::new(&doc);
        let params = with_template_names(&mut ctx, declared, "/x/{id}/{}/{id}", "GET /x/{id}");
        let names: Vec<(&str, ParamLocation, bool)> =
            params.iter().map(|p| (p.name.as_str(), p.location, p.required)).collect();
        assert_eq!(names, [("q", ParamLocation::Query, false), ("id", ParamLocation::Path, true)]);
        assert_eq!(ctx.notices.finish(), ["GET /x/{id}: path parameter `id` is not declared; it is asked for as text"]);
    }

    #[test]
    fn operation_parameters_override_path_parameters_by_name_and_location() {
        let (params, notices) = params_of(
            "paths:\n  /x/{id}:\n    parameters:\n      - {name: id, in: path, description: path level}\n      \
             - {name: id, in: query}\n    get:\n      parameters:\n        \
             - {name: id, in: path, description: operation level, schema: {type: integer}}\n",
        );
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!(params.len(), 2);
        assert_eq!((params[0].description.as_str(), params[0].kind.as_deref()), ("operation level", Some("integer")));
        assert!(params[0].required, "path parameters are always required");
        assert_eq!(params[1].location, ParamLocation::Query);
    }

    #[test]
    fn defaults_examples_and_enums_are_wire_text() {
        let (params, _) = params_of(
            "paths:\n  /x/{id}:\n    get:\n      parameters:\n        \
             - {name: count, in: query, schema: {type: [boolean, 'null'], default: false, examples: [true]}}\n        \
             - {name: sort, in: query, schema: {type: string, default: ''}, examples: {e: {value: ''}, s: {value: asc(name)}}}\n        \
             - {name: mode, in: query, schema: {allOf: [{$ref: '#/components/schemas/Mode'}]}}\n        \
             - {name: ids, in: query, schema: {type: array, items: {type: string, enum: [a, b]}}}\n\
             components:\n  schemas:\n    Mode: {type: string, enum: [fast, slow]}\n",
        );
        assert_eq!(params[0].kind.as_deref(), Some("boolean"));
        assert_eq!((params[0].default.as_deref(), params[0].example.as_deref()), (Some("false"), Some("true")));
        assert_eq!((params[1].default.as_deref(), params[1].example.as_deref()), (Some(""), Some("asc(name)")));
        assert_eq!(params[2].kind.as_deref(), Some("string"));
        assert_eq!(params[2].allowed, ["fast", "slow"]);
        assert_eq!(params[3].allowed, ["a", "b"]);
    }

    #[test]
    fn broken_parameters_are_skipped_with_a_notice() {
        let (params, notices) = params_of(
            "paths:\n  /x/{id}:\n    get:\n      parameters:\n        - {$ref: '#/components/parameters/gone'}\n        \
             - {in: query}\n        - {name: q, in: body}\n        - {name: ok, in: header}\n",
        );
        assert_eq!(params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["ok"]);
        assert_eq!(notices.len(), 3, "{notices:?}");
        assert!(notices[0].contains("`#/components/parameters/gone` points nowhere"), "{notices:?}");
    }
}
