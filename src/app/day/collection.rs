//! An open Postman collection in the explorer: its environment and variables join the resolver, and the pane says
//! once that its scripts are not run, and what to do instead of the ones that carry an id into a variable.

use std::sync::Arc;

use super::CollectionScopes;
use crate::app::keys::ResponseCommand;
use crate::app::state::State;

/// How many variable names the script notice names before it says "…".
const NAMED: usize = 2;

impl State {
    /// Opens `scopes` for the resolver; with `scripted` requests carrying scripts (which set `script_variables`),
    /// says so once.
    pub fn use_collection(&mut self, scopes: CollectionScopes, scripted: usize, script_variables: &[String]) {
        self.collection = Some(Arc::new(scopes));
        if scripted > 0 {
            let text =
                script_notice(scripted, script_variables, &self.keys.response.name(ResponseCommand::SetVariable));
            // Said once, beside what was said before it (how the collection chose the profile).
            let text = match self.notice.take() {
                Some(earlier) => format!("{} · {text}", earlier.text),
                None => text,
            };
            self.info(text);
        }
    }
}

/// "19 requests carry scripts; they are not run. They set organizationId, apiSpecificationId, …: press v on that
/// value in a response to keep it" (the key is the set-variable key in force).
pub fn script_notice(scripted: usize, variables: &[String], key: &str) -> String {
    let carry = if scripted == 1 {
        "1 request carries a script; it is not run".to_string()
    } else {
        format!("{scripted} requests carry scripts; they are not run")
    };
    if variables.is_empty() {
        return format!("{carry}. To keep a value from a response, press {key} on it in the response");
    }
    let mut named: Vec<&str> = variables.iter().take(NAMED).map(String::as_str).collect();
    if variables.len() > NAMED {
        named.push("…");
    }
    format!("{carry}. They set {}: press {key} on that value in a response to keep it", named.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_notice_names_the_count_the_variables_and_the_key() {
        let names: Vec<String> = ["organizationId", "invitationId", "membershipId", "x"].map(String::from).to_vec();
        let text = script_notice(19, &names, "v");
        assert!(text.starts_with("19 requests carry scripts; they are not run."), "{text}");
        assert!(text.contains("They set organizationId, invitationId, …: press v on that value"), "{text}");
        assert!(script_notice(1, &[], "v").starts_with("1 request carries a script"));
    }

    #[test]
    fn collection_values_resolve_after_the_profiles() {
        use crate::api::{Method, Operation};
        use crate::app::editor::Draft;
        use crate::workspace::ScopeKind;
        let mut state = crate::app::tests::state();
        let path_param = |name: &str| crate::api::Param {
            name: name.into(),
            location: crate::api::ParamLocation::Path,
            required: true,
            kind: None,
            default: None,
            example: None,
            allowed: vec![],
            description: String::new(),
        };
        let op = Operation {
            params: vec![path_param("organizationId"), path_param("other")],
            ..Operation::bare(Method::Get, "/organizations/{organizationId}/x/{other}")
        };
        let scopes = CollectionScopes {
            environment_name: "Sandbox".into(),
            environment: vec![("organizationId".into(), "from-env".into()), ("other".into(), String::new())],
            variables: vec![("organizationId".into(), "from-coll".into()), ("other".into(), "coll-other".into())],
        };
        state.use_collection(scopes, 2, &[]);
        assert!(state.notice.as_ref().is_some_and(|n| n.text.contains("2 requests carry scripts")));
        let draft = Draft::new(&op);
        let values = state.resolved_values(&draft, &op).unwrap();
        assert_eq!(values.path[0].1, "from-env");
        assert_eq!(values.path[1].1, "coll-other", "an empty environment value passes to the collection's");
        let filled = state.filled_from(&draft, &op, crate::app::editor::Section::Path, "organizationId").unwrap();
        assert_eq!(filled.from, ScopeKind::CollectionEnvironment);
        state.day.variables.set("organizationId", "mine");
        assert_eq!(state.resolved_values(&draft, &op).unwrap().path[0].1, "mine", "the profile's variables first");
    }
}
