//! One resolver, one order. A name (`organizationId`) is looked up in scopes from the nearest to the farthest: a
//! value typed in the editor, the profile's variables, then (where a collection is open) its environment and its
//! own variables, and last a spec example. Scopes are plugged in by kind, and always searched in that order,
//! whatever order they were added in, so a collection's scopes can join later without changing a caller.
//!
//! `{{name}}` in a value is replaced by what the name resolves to; a name found nowhere stops the request rather
//! than sending `{{name}}` to a server.

use std::collections::BTreeMap;

/// Where a value came from, nearest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ScopeKind {
    /// A value typed in the request editor (a field of that name).
    Editor,
    /// The profile's variables.
    Profile,
    /// The open collection's environment (issue 15).
    CollectionEnvironment,
    /// The open collection's own variables (issue 15).
    Collection,
    /// The spec's example for a parameter of that name: only for a `{{name}}` written out, never to fill an empty
    /// field by itself (an example id would send a request nobody meant).
    SpecExample,
}

impl ScopeKind {
    /// How the editor says where a value came from.
    pub fn label(self) -> &'static str {
        match self {
            ScopeKind::Editor => "typed",
            ScopeKind::Profile => "variable",
            ScopeKind::CollectionEnvironment => "environment",
            ScopeKind::Collection => "collection",
            ScopeKind::SpecExample => "spec example",
        }
    }
}

/// Values looked up by name.
pub trait Scope {
    fn get(&self, name: &str) -> Option<String>;
}

impl Scope for BTreeMap<String, String> {
    fn get(&self, name: &str) -> Option<String> {
        BTreeMap::get(self, name).cloned()
    }
}

impl Scope for super::Variables {
    fn get(&self, name: &str) -> Option<String> {
        super::Variables::get(self, name).map(str::to_string)
    }
}

impl Scope for [(String, String)] {
    fn get(&self, name: &str) -> Option<String> {
        self.iter().find(|(n, _)| n == name).map(|(_, v)| v.clone())
    }
}

impl Scope for Vec<(String, String)> {
    fn get(&self, name: &str) -> Option<String> {
        Scope::get(self.as_slice(), name)
    }
}

/// A value and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resolved {
    pub value: String,
    pub from: ScopeKind,
}

/// The scopes in force for one request.
#[derive(Default)]
pub struct Resolver<'a> {
    scopes: Vec<(ScopeKind, &'a dyn Scope)>,
}

/// `{{name}}`s that resolve to nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unresolved(pub Vec<String>);

impl std::fmt::Display for Unresolved {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<String> = self.0.iter().map(|n| format!("{{{{{n}}}}}")).collect();
        let verb = if names.len() == 1 { "has" } else { "have" };
        write!(f, "{} {verb} no value", names.join(", "))
    }
}

impl std::error::Error for Unresolved {}

impl<'a> Resolver<'a> {
    pub fn new() -> Resolver<'a> {
        Resolver::default()
    }

    /// Adds a scope of `kind`; it is searched in its kind's place, whenever it was added.
    #[must_use]
    pub fn with(mut self, kind: ScopeKind, scope: &'a dyn Scope) -> Resolver<'a> {
        let at = self.scopes.iter().position(|(k, _)| *k > kind).unwrap_or(self.scopes.len());
        self.scopes.insert(at, (kind, scope));
        self
    }

    /// What `name` resolves to, nearest scope first. A value that itself holds `{{…}}` is passed over (no chains,
    /// no loops), as is an empty one.
    pub fn resolve(&self, name: &str) -> Option<Resolved> {
        self.find(name, ScopeKind::SpecExample)
    }

    /// What fills an empty field named `name` by itself: every scope but the spec's examples.
    pub fn fill(&self, name: &str) -> Option<Resolved> {
        self.find(name, ScopeKind::Collection)
    }

    fn find(&self, name: &str, last: ScopeKind) -> Option<Resolved> {
        self.scopes.iter().filter(|(kind, _)| *kind <= last).find_map(|(kind, scope)| {
            scope
                .get(name)
                .filter(|v| !v.trim().is_empty() && !v.contains("{{"))
                .map(|value| Resolved { value, from: *kind })
        })
    }

    /// `text` with each `{{name}}` replaced; every name that resolves to nothing is named in the error.
    pub fn substitute(&self, text: &str) -> Result<String, Unresolved> {
        if !text.contains("{{") {
            return Ok(text.to_string());
        }
        let mut out = String::with_capacity(text.len());
        let mut missing = Vec::new();
        let mut rest = text;
        while let Some((before, name, after)) = next_reference(rest) {
            out.push_str(before);
            match self.resolve(name) {
                Some(found) => out.push_str(&found.value),
                None => {
                    if !missing.iter().any(|m| m == name) {
                        missing.push(name.to_string());
                    }
                }
            }
            rest = after;
        }
        out.push_str(rest);
        if missing.is_empty() { Ok(out) } else { Err(Unresolved(missing)) }
    }
}

/// The names `{{name}}` in `text` refers to, in order.
pub fn references(text: &str) -> Vec<&str> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some((_, name, after)) = next_reference(rest) {
        names.push(name);
        rest = after;
    }
    names
}

/// The text before the next `{{name}}`, the name, and the text after it.
fn next_reference(text: &str) -> Option<(&str, &str, &str)> {
    let mut from = 0;
    loop {
        let open = from + text[from..].find("{{")?;
        let inner = &text[open + 2..];
        let close = inner.find("}}")?;
        let name = inner[..close].trim();
        if super::variables::valid_name(name) {
            return Some((&text[..open], name, &inner[close + 2..]));
        }
        from = open + 2;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn map(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs.iter().map(|(a, b)| ((*a).to_string(), (*b).to_string())).collect()
    }

    #[test]
    fn the_nearest_scope_wins_whatever_order_they_were_added_in() {
        let typed = map(&[("organizationId", "typed-1")]);
        let profile = map(&[("organizationId", "var-1"), ("invitationId", "inv-1")]);
        let example = map(&[("invitationId", "example"), ("limit", "10")]);
        let resolver = Resolver::new()
            .with(ScopeKind::SpecExample, &example)
            .with(ScopeKind::Profile, &profile)
            .with(ScopeKind::Editor, &typed);
        assert_eq!(
            resolver.resolve("organizationId").unwrap(),
            Resolved { value: "typed-1".into(), from: ScopeKind::Editor }
        );
        assert_eq!(resolver.resolve("invitationId").unwrap().from, ScopeKind::Profile);
        assert_eq!(resolver.resolve("limit").unwrap().from, ScopeKind::SpecExample);
        assert_eq!(resolver.fill("limit"), None, "an empty field is never filled from an example");
        assert_eq!(resolver.resolve("nothing"), None);
    }

    #[test]
    fn collection_scopes_plug_in_between_the_profile_and_the_spec() {
        let profile = map(&[("a", "profile")]);
        let environment = map(&[("a", "env"), ("b", "env")]);
        let collection = map(&[("b", "collection"), ("c", "collection")]);
        let example = map(&[("c", "example")]);
        let resolver = Resolver::new()
            .with(ScopeKind::SpecExample, &example)
            .with(ScopeKind::Collection, &collection)
            .with(ScopeKind::CollectionEnvironment, &environment)
            .with(ScopeKind::Profile, &profile);
        let from = |name| resolver.resolve(name).map(|r| r.value);
        assert_eq!(
            (from("a"), from("b"), from("c")),
            (Some("profile".into()), Some("env".into()), Some("collection".into()))
        );
    }

    #[test]
    fn references_are_replaced_and_missing_ones_named() {
        let profile = map(&[("organizationId", "5c1a"), ("loop", "{{loop}}")]);
        let resolver = Resolver::new().with(ScopeKind::Profile, &profile);
        assert_eq!(
            resolver.substitute("/organizations/{{organizationId}}/x?{{ organizationId }}").unwrap(),
            "/organizations/5c1a/x?5c1a"
        );
        assert_eq!(resolver.substitute("{\"a\": {}} {{not a name}}").unwrap(), "{\"a\": {}} {{not a name}}");
        let error = resolver.substitute("{{loop}} {{gone}} {{gone}}").unwrap_err();
        assert_eq!(error.0, ["loop", "gone"]);
        assert_eq!(error.to_string(), "{{loop}}, {{gone}} have no value");
        assert_eq!(references("a {{x}} b {{y}}"), ["x", "y"]);
    }
}
