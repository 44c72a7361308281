//! Everything the demo API serves, checked against the real ZorgAPIs spec (`../shared/zorgapis`): required fields
//! present, types and enums right, and no field the schema does not define. A small checker for the parts of JSON
//! Schema the spec uses (`$ref`, `allOf`, `type`, `enum`, `required`, `properties`, `items`, `additionalProperties`).

use std::collections::HashMap;

use serde_json::Value;

use super::{access_token, api_get, json, sign_in, start_default};

const SPEC: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/zorgapis/openapi-v1beta2.yaml");

struct Spec(Value);

/// A schema with its `allOf` parts folded together.
#[derive(Default)]
struct Folded<'a> {
    types: Vec<&'a str>,
    enums: Option<&'a Vec<Value>>,
    required: Vec<&'a str>,
    properties: HashMap<&'a str, Vec<&'a Value>>,
    items: Option<&'a Value>,
    additional: Option<&'a Value>,
}

impl Spec {
    fn load() -> Spec {
        let text = std::fs::read_to_string(SPEC).expect("the ZorgAPIs spec in ../shared/zorgapis");
        Spec(serde_yaml_ng::from_str(&text).unwrap())
    }

    fn schema(&self, name: &str) -> &Value {
        &self.0["components"]["schemas"][name]
    }

    fn resolve<'a>(&'a self, schema: &'a Value) -> &'a Value {
        match schema["$ref"].as_str() {
            Some(reference) => self.resolve(self.0.pointer(reference.trim_start_matches('#')).unwrap()),
            None => schema,
        }
    }

    fn fold<'a>(&'a self, schema: &'a Value, folded: &mut Folded<'a>) {
        let schema = self.resolve(schema);
        for part in schema["allOf"].as_array().into_iter().flatten() {
            self.fold(part, folded);
        }
        match &schema["type"] {
            Value::String(kind) => folded.types.push(kind),
            Value::Array(kinds) => folded.types.extend(kinds.iter().filter_map(Value::as_str)),
            _ => {}
        }
        folded.enums = schema["enum"].as_array().or(folded.enums);
        folded.required.extend(schema["required"].as_array().into_iter().flatten().filter_map(Value::as_str));
        for (name, property) in schema["properties"].as_object().into_iter().flatten() {
            folded.properties.entry(name).or_default().push(property);
        }
        folded.items = schema.get("items").or(folded.items);
        folded.additional = schema.get("additionalProperties").or(folded.additional);
    }

    fn check(&self, schema: &Value, value: &Value, path: &str, problems: &mut Vec<String>) {
        let mut folded = Folded::default();
        self.fold(schema, &mut folded);
        if !folded.types.is_empty() && !folded.types.iter().any(|kind| has_type(value, kind)) {
            problems.push(format!("{path}: {value} is not of type {:?}", folded.types));
        }
        if folded.enums.is_some_and(|allowed| !allowed.contains(value)) {
            problems.push(format!("{path}: {value} is not one of the enum's values"));
        }
        match value {
            Value::Object(fields) => {
                for name in &folded.required {
                    let write_only = folded.properties.get(name).into_iter().flatten().any(|p| p["writeOnly"] == true);
                    if !fields.contains_key(*name) && !write_only {
                        problems.push(format!("{path}: required field {name} is missing"));
                    }
                }
                for (name, field) in fields {
                    let field_path = format!("{path}.{name}");
                    match (folded.properties.get(name.as_str()), folded.additional) {
                        (Some(schemas), _) => schemas.iter().for_each(|s| self.check(s, field, &field_path, problems)),
                        (None, Some(additional)) => self.check(additional, field, &field_path, problems),
                        (None, None) => problems.push(format!("{field_path}: not a field of the schema")),
                    }
                }
            }
            Value::Array(items) => {
                if let Some(schema) = folded.items {
                    for (index, item) in items.iter().enumerate() {
                        self.check(schema, item, &format!("{path}[{index}]"), problems);
                    }
                }
            }
            _ => {}
        }
    }
}

fn has_type(value: &Value, kind: &str) -> bool {
    match kind {
        "string" => value.is_string(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "boolean" => value.is_boolean(),
        "object" => value.is_object(),
        "array" => value.is_array(),
        "null" => value.is_null(),
        _ => false,
    }
}

#[tokio::test]
async fn everything_served_follows_the_zorgapis_schemas() {
    let spec = Spec::load();
    let demo = start_default().await;
    let scope = "openid users:read organizations:read api-requirements-versions:read api-specifications:read";
    let token = access_token(&sign_in(&demo, scope).await).to_owned();
    let mut problems = Vec::new();
    let mut checked = 0;
    let mut check_list = async |path: &str, schema: &str, problems: &mut Vec<String>| {
        let list = json(api_get(&demo, path, &token).await).await;
        let items = list.as_array().unwrap().clone();
        assert!(!items.is_empty(), "{path} is empty");
        for (index, item) in items.iter().enumerate() {
            spec.check(spec.schema(schema), item, &format!("{path}[{index}]"), problems);
        }
        checked += items.len();
        items
    };

    check_list("/organizations", "Organization_CreateRead", &mut problems).await;
    check_list("/api-specifications", "ApiSpecification_Read", &mut problems).await;
    let versions = check_list("/api-requirements-versions", "ApiRequirementsVersion_CreateRead", &mut problems).await;
    for version in &versions {
        let path = format!("/api-requirements-versions/{}/api-requirements", version["name"].as_str().unwrap());
        check_list(&path, "ApiRequirement_CreateRead", &mut problems).await;
    }
    let me = json(api_get(&demo, "/users/me", &token).await).await;
    spec.check(spec.schema("User_Read"), &me, "/users/me", &mut problems);
    let not_found = json(api_get(&demo, "/organizations/nope", &token).await).await;
    spec.check(spec.schema("ApiError"), &not_found, "404", &mut problems);
    let invalid = json(api_get(&demo, "/organizations?limit=0", &token).await).await;
    spec.check(spec.schema("ApiError"), &invalid, "422", &mut problems);

    assert!(checked > 100, "checked only {checked} items");
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
}

#[test]
fn the_checker_catches_what_it_should() {
    let spec = Spec::load();
    let mut problems = Vec::new();
    let bad = serde_json::json!({
        "id": "x", "code": "A", "description": "d", "url": "u", "requirementLevel": "MAYBE", "score": "1",
        "category": "API_SECURITY", "roles": [], "perspectiveTypes": [], "architecturalStyles": ["REST"],
        "standardizationLevels": [], "createTime": "t", "createdByUserId": "u", "updateTime": "t",
        "updatedByUserId": "u", "invented": true
    });
    spec.check(spec.schema("ApiRequirement_CreateRead"), &bad, "$", &mut problems);
    let text = problems.join("\n");
    assert!(text.contains("$.requirementLevel") && text.contains("enum"), "{text}");
    assert!(text.contains("$.score") && text.contains("type"), "{text}");
    assert!(text.contains("$.invented: not a field"), "{text}");
    assert_eq!(problems.len(), 3, "{text}");
}
