//! The schemas a catalogue read without example bodies needs: those its parameters name (a parameter's type,
//! default and allowed values may sit behind `schema: {$ref: ...}`), and those these name in turn.

use std::collections::HashSet;

use serde_yaml_ng::{Mapping, Value};

use super::document::SchemasLater;
use super::refs::untag;

const SCHEMAS: &str = "#/components/schemas/";
const METHODS: [&str; 8] = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

/// Parses the schemas of `later` that the document's parameters need and puts them in `root`; `None` when one of
/// their pieces fails to parse.
pub(super) fn fill(root: &mut Value, later: &mut SchemasLater) -> Option<()> {
    let mut refs = Vec::new();
    parameter_refs(root, &mut refs);
    let mut wanted: HashSet<String> = HashSet::new();
    loop {
        let new: HashSet<String> =
            refs.drain(..).filter_map(|r| schema_name(&r)).filter(|name| !wanted.contains(name)).collect();
        if new.is_empty() {
            return Some(());
        }
        wanted.extend(new.iter().cloned());
        let made = later.parse_defining(&new)?;
        for (_, schema) in &made {
            all_refs(schema, &mut refs);
        }
        let schemas = schemas_of(root)?;
        for (name, schema) in made {
            schemas.insert(name, schema);
        }
    }
}

/// `root`'s `components/schemas`, made when missing.
pub(super) fn schemas_of(root: &mut Value) -> Option<&mut Mapping> {
    let components = root.as_mapping_mut()?.entry("components".into()).or_insert_with(|| Mapping::new().into());
    let schemas = components.as_mapping_mut()?.entry("schemas".into()).or_insert_with(|| Mapping::new().into());
    schemas.as_mapping_mut()
}

/// The `$ref`s written anywhere in the parameters of the path items (under `paths` and `components/pathItems`) and
/// their operations, and in `components/parameters`.
fn parameter_refs(root: &Value, refs: &mut Vec<String>) {
    let components = root.get("components");
    for item in items_of(root.get("paths")).chain(items_of(components.and_then(|c| c.get("pathItems")))) {
        if let Some(parameters) = item.get("parameters") {
            all_refs(parameters, refs);
        }
        for method in METHODS {
            if let Some(parameters) = item.get(method).and_then(|op| op.get("parameters")) {
                all_refs(parameters, refs);
            }
        }
    }
    if let Some(parameters) = components.and_then(|c| c.get("parameters")) {
        all_refs(parameters, refs);
    }
}

fn items_of(value: Option<&Value>) -> impl Iterator<Item = &Value> {
    value.map(untag).and_then(Value::as_mapping).into_iter().flat_map(Mapping::values)
}

fn all_refs(value: &Value, refs: &mut Vec<String>) {
    match untag(value) {
        Value::Mapping(mapping) => {
            for (key, value) in mapping {
                match (key.as_str(), untag(value)) {
                    (Some("$ref"), Value::String(reference)) => refs.push(reference.clone()),
                    _ => all_refs(value, refs),
                }
            }
        }
        Value::Sequence(items) => items.iter().for_each(|item| all_refs(item, refs)),
        _ => {}
    }
}

/// `Pet` of `#/components/schemas/Pet/properties/id` (JSON-pointer escapes undone).
fn schema_name(reference: &str) -> Option<String> {
    let rest = reference.strip_prefix(SCHEMAS)?;
    let name = rest.split('/').next()?;
    Some(name.replace("~1", "/").replace("~0", "~"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_of_schema_refs() {
        assert_eq!(schema_name("#/components/schemas/Pet/properties/id").as_deref(), Some("Pet"));
        assert_eq!(schema_name("#/components/schemas/a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(schema_name("#/components/parameters/Id"), None);
    }
}
