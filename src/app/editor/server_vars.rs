//! The selected server's variables in the editor: the `{region}`s of a spec's server URL, filled from their
//! defaults and changed by the person: typed, or chosen from the values the spec lists. What was set for a server
//! stays while zorgtui runs, when another server is chosen and this one again.

use std::collections::HashMap;

use crate::api::{Server, ServerVariable};

/// One variable of the server on show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServerVarField {
    pub name: String,
    pub value: String,
    pub default: String,
    /// The values the spec allows (`enum`); empty: any value may be typed.
    pub allowed: Vec<String>,
    pub description: String,
}

impl ServerVarField {
    fn of(variable: &ServerVariable) -> ServerVarField {
        ServerVarField {
            name: variable.name.clone(),
            value: variable.default.clone(),
            default: variable.default.clone(),
            allowed: variable.allowed.clone(),
            description: variable.description.clone(),
        }
    }

    /// Whether the value is one the spec names (its default or one it lists): only then is the URL one of its
    /// servers, to which its credentials may go.
    pub fn spec_named(&self) -> bool {
        self.value == self.default || self.allowed.contains(&self.value)
    }
}

/// The variables of the server requests go to, and those set for other servers.
#[derive(Debug, Clone, Default)]
pub struct ServerVars {
    /// The server on show, as written (`None`: one without variables).
    template: Option<String>,
    pub fields: Vec<ServerVarField>,
    /// Values set for other servers, by template, in their variables' order.
    kept: HashMap<String, Vec<String>>,
}

impl ServerVars {
    /// Shows the variables of `server` (`None`: the profile's API, which has none), keeping those of the one before.
    pub fn show(&mut self, server: Option<&Server>) {
        if let Some(template) = self.template.take() {
            self.kept.insert(template, self.fields.iter().map(|f| f.value.clone()).collect());
        }
        self.fields.clear();
        let Some(server) = server.filter(|s| !s.variables.is_empty()) else { return };
        self.fields = server.variables.iter().map(ServerVarField::of).collect();
        if let Some(values) = self.kept.get(&server.template) {
            for (field, value) in self.fields.iter_mut().zip(values) {
                field.value.clone_from(value);
            }
        }
        self.template = Some(server.template.clone());
    }

    /// The URL of `server` with the values set here, when it is the one on show; its defaults otherwise.
    pub fn url_of(&self, server: &Server) -> String {
        if self.template.as_deref() != Some(server.template.as_str()) {
            return server.url.clone();
        }
        let values: Vec<(&str, &str)> = self.fields.iter().map(|f| (f.name.as_str(), f.value.as_str())).collect();
        server.url_with(&values)
    }

    /// Whether every value is one the spec names.
    pub fn spec_named(&self) -> bool {
        self.fields.iter().all(ServerVarField::spec_named)
    }

    /// Sets variable `index` to `value`; an empty value puts its default back (a URL with a hole goes nowhere).
    pub fn set(&mut self, index: usize, value: &str) {
        if let Some(field) = self.fields.get_mut(index) {
            let value = value.trim();
            field.value = if value.is_empty() { field.default.clone() } else { value.to_string() };
        }
    }

    /// Moves variable `index` to the next (or previous) value the spec allows; false when it lists none.
    pub fn cycle(&mut self, index: usize, forward: bool) -> bool {
        let Some(field) = self.fields.get_mut(index) else { return false };
        let n = field.allowed.len();
        if n == 0 {
            return false;
        }
        let next = match field.allowed.iter().position(|v| *v == field.value) {
            Some(at) if forward => (at + 1) % n,
            Some(at) => (at + n - 1) % n,
            None => 0,
        };
        field.value.clone_from(&field.allowed[next]);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn server(template: &str, variables: &[(&str, &str, &[&str])]) -> Server {
        let variables: Vec<ServerVariable> = variables
            .iter()
            .map(|(name, default, allowed)| ServerVariable {
                name: (*name).to_string(),
                default: (*default).to_string(),
                allowed: allowed.iter().map(|v| (*v).to_string()).collect(),
                description: String::new(),
            })
            .collect();
        let mut server = Server { template: template.into(), variables, ..Server::default() };
        server.url = server.url_with(&[]);
        server
    }

    #[test]
    fn values_are_typed_or_chosen_and_stay_with_their_server() {
        let regional = server(
            "https://{region}.example.com/{version}",
            &[("region", "eu", &["eu", "us"]), ("version", "v1", &[])],
        );
        let other = server("https://{tenant}.other.example", &[("tenant", "acme", &[])]);
        let mut vars = ServerVars::default();
        vars.show(Some(&regional));
        assert_eq!(vars.url_of(&regional), "https://eu.example.com/v1");
        assert!(vars.cycle(0, true));
        assert!(!vars.cycle(1, true), "a variable without an enum is typed, not chosen");
        vars.set(1, " v2 ");
        assert_eq!(vars.url_of(&regional), "https://us.example.com/v2");
        assert!(!vars.spec_named(), "v2 is typed, not named by the spec");
        vars.set(1, "");
        assert_eq!(vars.url_of(&regional), "https://us.example.com/v1", "empty puts the default back");
        assert!(vars.spec_named());
        assert_eq!(vars.url_of(&other), "https://acme.other.example", "a server not on show: its defaults");

        vars.show(Some(&other));
        vars.set(0, "zorg");
        vars.show(None);
        assert!(vars.fields.is_empty(), "the profile's API has no variables");
        vars.show(Some(&regional));
        assert_eq!(vars.url_of(&regional), "https://us.example.com/v1", "what was set stays with its server");
        vars.show(Some(&other));
        assert_eq!(vars.url_of(&other), "https://zorg.other.example");
    }
}
