//! The resolver of the explorer: for the request being edited, values typed in the editor come first, then the
//! profile's variables, then (issue 15) an open collection's scopes, then the spec's examples. Sending, the URL the
//! editor shows and the fields it fills all ask the same resolver.

use crate::api::request::RequestValues;
use crate::api::{Operation, ParamLocation};
use crate::app::editor::{Draft, Section};
use crate::app::state::State;
use crate::workspace::resolve::{Scope, Unresolved};
use crate::workspace::{Resolved, Resolver, ScopeKind};

/// An open collection's scopes: its environment's enabled values and its own variables, read from their files and
/// never written (edits go to the profile's variables, which come first).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CollectionScopes {
    /// The environment's name (`Sandbox`), empty without one.
    pub environment_name: String,
    pub environment: Vec<(String, String)>,
    pub variables: Vec<(String, String)>,
}

/// The draft's typed values by name, as a scope.
pub struct DraftScope<'a>(pub &'a Draft);

impl Scope for DraftScope<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.fields.iter().find(|f| f.name == name && !f.value.trim().is_empty()).map(|f| f.value.clone())
    }
}

/// The operation's parameter examples by name.
struct Examples<'a>(&'a Operation);

impl Scope for Examples<'_> {
    fn get(&self, name: &str) -> Option<String> {
        self.0.params.iter().find(|p| p.name == name).and_then(|p| p.example.clone())
    }
}

impl State {
    /// Runs `f` with the resolver for `draft` of `op`.
    pub(in crate::app) fn with_resolver<T>(
        &self,
        draft: &Draft,
        op: &Operation,
        f: impl FnOnce(&Resolver<'_>) -> T,
    ) -> T {
        let typed = DraftScope(draft);
        let examples = Examples(op);
        let mut resolver = Resolver::new()
            .with(ScopeKind::Editor, &typed)
            .with(ScopeKind::Profile, &self.day.variables)
            .with(ScopeKind::SpecExample, &examples);
        if let Some(collection) = &self.collection {
            resolver = resolver
                .with(ScopeKind::CollectionEnvironment, &collection.environment)
                .with(ScopeKind::Collection, &collection.variables);
        }
        f(&resolver)
    }

    /// What an empty path or query field named `name` is filled with, and from where (a variable of that name).
    pub fn filled_from(&self, draft: &Draft, op: &Operation, section: Section, name: &str) -> Option<Resolved> {
        if !matches!(section, Section::Path | Section::Query) {
            return None;
        }
        self.with_resolver(draft, op, |r| r.fill(name))
    }

    /// The draft's values as they will be sent: `{{name}}`s replaced, empty path and query values filled from
    /// variables of their name.
    pub fn resolved_values(&self, draft: &Draft, op: &Operation) -> Result<RequestValues, Unresolved> {
        let values = draft.values();
        self.with_resolver(draft, op, |resolver| resolve_values(resolver, values, op))
    }

    /// The URL values alone, as the editor's URL line shows them (unresolved names left as written).
    pub fn resolved_url_values(&self, draft: &Draft, op: &Operation) -> RequestValues {
        let values = draft.url_values();
        self.with_resolver(draft, op, |resolver| {
            let fill = |pairs: Vec<(String, String)>| {
                pairs
                    .into_iter()
                    .map(|(name, value)| {
                        let value = if value.trim().is_empty() {
                            resolver.fill(&name).map_or(value, |r| r.value)
                        } else {
                            resolver.substitute(&value).unwrap_or(value)
                        };
                        (name, value)
                    })
                    .collect()
            };
            RequestValues { path: fill(values.path), query: fill(values.query), ..RequestValues::default() }
        })
    }
}

fn resolve_values(resolver: &Resolver<'_>, values: RequestValues, op: &Operation) -> Result<RequestValues, Unresolved> {
    let mut missing: Vec<String> = Vec::new();
    let mut substitute = |text: String| match resolver.substitute(&text) {
        Ok(done) => done,
        Err(Unresolved(names)) => {
            for name in names {
                if !missing.contains(&name) {
                    missing.push(name);
                }
            }
            text
        }
    };
    let declared = |name: &str, location| op.params.iter().any(|p| p.name == name && p.location == location);
    let mut fill = |pairs: Vec<(String, String)>, location: ParamLocation| -> Vec<(String, String)> {
        pairs
            .into_iter()
            .map(|(name, value)| {
                if value.trim().is_empty() && (location == ParamLocation::Path || declared(&name, location)) {
                    let filled = resolver.fill(&name).map(|r| r.value).unwrap_or_default();
                    return (name, filled);
                }
                let value = substitute(value);
                (name, value)
            })
            .collect()
    };
    let path = fill(values.path, ParamLocation::Path);
    let query = fill(values.query, ParamLocation::Query);
    let headers = values.headers.into_iter().map(|(name, value)| (name, substitute(value))).collect();
    let body = values.body.map(&mut substitute);
    if missing.is_empty() { Ok(RequestValues { path, query, headers, body }) } else { Err(Unresolved(missing)) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Method, Param};

    fn param(name: &str, location: ParamLocation, example: Option<&str>) -> Param {
        Param {
            name: name.into(),
            location,
            required: location == ParamLocation::Path,
            kind: None,
            default: None,
            example: example.map(str::to_string),
            allowed: vec![],
            description: String::new(),
        }
    }

    #[test]
    fn typed_values_then_variables_then_examples_for_written_names() {
        let op = Operation {
            params: vec![
                param("organizationId", ParamLocation::Path, Some("example-org")),
                param("limit", ParamLocation::Query, Some("10")),
                param("skip", ParamLocation::Query, None),
            ],
            ..Operation::bare(Method::Post, "/organizations/{organizationId}/invitations")
        };
        let mut state = crate::app::tests::state();
        state.day.variables.set("organizationId", "5c1a");
        state.day.variables.set("email", "john@example.org");
        let mut draft = Draft::new(&op);
        draft.body = Some(ratatui_textarea::TextArea::new(vec![
            "{\"emailAddress\": \"{{email}}\", \"limit\": \"{{limit}}\"}".to_string(),
        ]));
        let values = state.resolved_values(&draft, &op).unwrap();
        assert_eq!(values.path, [("organizationId".to_string(), "5c1a".to_string())], "filled from the variable");
        assert_eq!(values.query[0], ("limit".to_string(), String::new()), "an example never fills a field by itself");
        assert_eq!(values.body.as_deref(), Some("{\"emailAddress\": \"john@example.org\", \"limit\": \"10\"}"));
        let filled = state.filled_from(&draft, &op, Section::Path, "organizationId").unwrap();
        assert_eq!(filled.from, ScopeKind::Profile);

        draft.fields[0].value = "typed".into();
        draft.fields[2].value = "{{organizationId}}".into();
        let values = state.resolved_values(&draft, &op).unwrap();
        assert_eq!(values.path[0].1, "typed");
        assert_eq!(values.query[1].1, "typed", "{{name}} finds the value typed in the editor first");

        draft.fields[2].value = "{{nowhere}}".into();
        assert_eq!(state.resolved_values(&draft, &op).unwrap_err().0, ["nowhere"]);
    }
}
