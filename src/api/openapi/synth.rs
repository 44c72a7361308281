//! An example body made from a schema when the spec gives none: something a person can edit rather than type.
//!
//! Properties in schema order with their example, default, first enum value or a placeholder for their type;
//! `readOnly` ones left out (the server sets them); `allOf` merged; the first `oneOf`/`anyOf` branch taken. Depth,
//! size and self-reference are all bounded, so any schema gives an answer quickly.

use serde_yaml_ng::{Mapping, Value};

use super::refs::{Context, field, ref_of, untag};

/// Nesting beyond this is left out: deep enough for real request bodies, shallow enough to stay readable.
const MAX_DEPTH: usize = 8;
/// Schema nodes visited per example; stops a wide schema from multiplying into a huge body.
const NODE_BUDGET: usize = 200;

/// An example value for `schema`, or `None` when the schema says nothing usable.
pub(super) fn example_for<'a>(ctx: &mut Context<'a>, schema: &'a Value, at: &str) -> Option<Value> {
    let mut synth = Synth { ctx, at, budget: NODE_BUDGET, expanding: Vec::new() };
    synth.build(schema, 0)
}

struct Synth<'c, 'a> {
    ctx: &'c mut Context<'a>,
    at: &'c str,
    budget: usize,
    /// The `$ref`s being expanded on the way down: meeting one again is a self-reference, left out.
    expanding: Vec<&'a str>,
}

impl<'a> Synth<'_, 'a> {
    fn build(&mut self, schema: &'a Value, depth: usize) -> Option<Value> {
        if self.budget == 0 || depth > MAX_DEPTH {
            return None;
        }
        self.budget -= 1;
        if let Some(reference) = ref_of(schema) {
            if self.expanding.contains(&reference) {
                return None;
            }
            let target = self.ctx.follow(schema, self.at, "part of the example body")?;
            self.expanding.push(reference);
            let built = self.build(target, depth);
            self.expanding.pop();
            return built;
        }
        let Value::Mapping(_) = untag(schema) else { return None };
        if let Some(given) = given_value(schema) {
            return Some(given.clone());
        }
        if let Some(branches) = field(schema, "allOf").and_then(Value::as_sequence) {
            return Some(self.merge_all_of(schema, branches, depth));
        }
        for combiner in ["oneOf", "anyOf"] {
            if let Some(branches) = field(schema, combiner).and_then(Value::as_sequence) {
                let branch = branches.iter().find(|b| type_name(b) != Some("null"))?;
                return self.build(branch, depth);
            }
        }
        match type_name(schema) {
            Some("object") => Some(Value::Mapping(self.properties(schema, depth))),
            Some("array") => Some(self.array(schema, depth)),
            Some("string") => {
                placeholder(field(schema, "format").and_then(Value::as_str)).map(|p| Value::String(p.into()))
            }
            Some("integer" | "number") => Some(Value::Number(0.into())),
            Some("boolean") => Some(Value::Bool(false)),
            Some("null") => Some(Value::Null),
            _ if field(schema, "properties").is_some() => Some(Value::Mapping(self.properties(schema, depth))),
            _ if field(schema, "items").is_some() => Some(self.array(schema, depth)),
            _ => None,
        }
    }

    fn merge_all_of(&mut self, schema: &'a Value, branches: &'a [Value], depth: usize) -> Value {
        let mut merged = self.properties(schema, depth);
        let mut last_other = None;
        for branch in branches {
            match self.build(branch, depth) {
                Some(Value::Mapping(fields)) => merged.extend(fields),
                Some(other) => last_other = Some(other),
                None => {}
            }
        }
        match last_other {
            Some(other) if merged.is_empty() => other,
            _ => Value::Mapping(merged),
        }
    }

    fn properties(&mut self, schema: &'a Value, depth: usize) -> Mapping {
        let mut fields = Mapping::new();
        let Some(properties) = field(schema, "properties").and_then(Value::as_mapping) else { return fields };
        for (name, property) in properties {
            if self.is_read_only(property) {
                continue;
            }
            if let Some(value) = self.build(property, depth + 1) {
                fields.insert(name.clone(), value);
            }
        }
        fields
    }

    fn array(&mut self, schema: &'a Value, depth: usize) -> Value {
        let item = field(schema, "items").and_then(|items| self.build(items, depth + 1));
        Value::Sequence(item.into_iter().collect())
    }

    fn is_read_only(&mut self, property: &'a Value) -> bool {
        let read_only = |schema: &Value| field(schema, "readOnly").and_then(Value::as_bool) == Some(true);
        read_only(property) || ref_of(property).and_then(|r| self.ctx.lookup(r)).is_some_and(read_only)
    }
}

/// What the schema itself offers: `example`, `examples[0]` (3.1), `const`, `default`, then the first `enum` value.
fn given_value(schema: &Value) -> Option<&Value> {
    field(schema, "example")
        .or_else(|| field(schema, "examples").and_then(Value::as_sequence).and_then(|list| list.first()))
        .or_else(|| field(schema, "const"))
        .or_else(|| field(schema, "default"))
        .or_else(|| field(schema, "enum").and_then(Value::as_sequence).and_then(|list| list.first()))
}

/// `type` as one name; 3.1's list form gives its first non-null entry.
fn type_name(schema: &Value) -> Option<&str> {
    match field(schema, "type").map(untag) {
        Some(Value::String(kind)) => Some(kind),
        Some(Value::Sequence(kinds)) => {
            kinds.iter().filter_map(Value::as_str).find(|k| *k != "null").or_else(|| kinds.first()?.as_str())
        }
        _ => None,
    }
}

/// A stand-in string that fits the format; none for binary content, which no text placeholder can stand for.
fn placeholder(format: Option<&str>) -> Option<&'static str> {
    Some(match format {
        Some("binary") => return None,
        Some("date-time") => "2024-01-01T00:00:00Z",
        Some("date") => "2024-01-01",
        Some("time") => "12:00:00",
        Some("email") => "user@example.com",
        Some("uuid") => "00000000-0000-0000-0000-000000000000",
        Some("uri" | "url") => "https://example.com",
        Some("hostname") => "example.com",
        _ => "string",
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn example(yaml: &str) -> (Option<String>, Vec<String>) {
        let doc: Value = serde_yaml_ng::from_str(yaml).unwrap();
        let mut ctx = Context::new(&doc);
        let value = example_for(&mut ctx, &doc["schema"], "POST /x");
        (value.map(|v| serde_json::to_string(&v).unwrap()), ctx.notices.finish())
    }

    #[test]
    fn properties_in_order_with_examples_defaults_enums_and_placeholders() {
        let (json, _) = example(
            "schema:\n  type: object\n  properties:\n    zeta: {type: string, examples: [Nictiz]}\n    \
             id: {type: string, readOnly: true}\n    kind: {type: string, enum: [A, B]}\n    \
             size: {type: integer, default: 5}\n    when: {type: [string, 'null'], format: date-time}\n    \
             tags: {type: array, items: {type: boolean}}\n",
        );
        assert_eq!(
            json.as_deref(),
            Some(r#"{"zeta":"Nictiz","kind":"A","size":5,"when":"2024-01-01T00:00:00Z","tags":[false]}"#)
        );
    }

    #[test]
    fn all_of_merges_and_one_of_takes_the_first_branch() {
        let (json, _) = example(
            "schema:\n  allOf:\n    - $ref: '#/components/Base'\n    - properties:\n        extra:\n          \
             oneOf: [{type: 'null'}, {type: number}, {type: string}]\n\
             components:\n  Base: {properties: {id: {$ref: '#/components/Id'}, name: {type: string}}}\n  \
             Id: {type: string, readOnly: true}\n",
        );
        assert_eq!(json.as_deref(), Some(r#"{"name":"string","extra":0}"#));
    }

    #[test]
    fn self_reference_stops_instead_of_looping() {
        let (json, notices) = example(
            "schema: {$ref: '#/components/Node'}\ncomponents:\n  Node:\n    type: object\n    properties:\n      \
             name: {type: string}\n      children: {type: array, items: {$ref: '#/components/Node'}}\n",
        );
        assert_eq!(json.as_deref(), Some(r#"{"name":"string","children":[]}"#));
        assert!(notices.is_empty(), "{notices:?}");
    }

    #[test]
    fn depth_is_limited() {
        let mut yaml = String::from("schema:\n");
        for level in 0..40 {
            let indent = "  ".repeat(2 * level + 1);
            yaml += &[indent.as_str(), "properties:\n", indent.as_str(), "  p:\n"].concat();
        }
        let (json, _) = example(&yaml);
        let json = json.unwrap();
        assert_eq!(json.matches('{').count(), MAX_DEPTH + 1, "{json}");
    }

    #[test]
    fn dangling_ref_in_a_property_leaves_it_out_with_a_notice() {
        let (json, notices) = example("schema:\n  properties:\n    a: {$ref: '#/nope'}\n    b: {type: boolean}\n");
        assert_eq!(json.as_deref(), Some(r#"{"b":false}"#));
        assert_eq!(notices.len(), 1);
    }
}
