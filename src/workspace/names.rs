//! Names to offer for a value kept as a variable: from its key and from the parameter names the catalogue uses.
//! The `id` of an organization just made (`POST /organizations`) is what `/organizations/{organizationId}` calls
//! `organizationId`; an invitation's `id` in `/organizations/{organizationId}/invitations` is the `invitationId` of
//! `/organizations/{organizationId}/invitations/{invitationId}`.

use crate::api::{Catalogue, ParamLocation};

/// Names for a value at `json_path` (`$[0].id`, `$.owner.userId`) in the answer to the operation whose path
/// template is `operation_path`, best first; never empty.
pub fn suggest(json_path: &str, operation_path: Option<&str>, catalogue: &Catalogue) -> Vec<String> {
    let key = last_key(json_path);
    let mut names: Vec<String> = Vec::new();
    let mut add = |name: String| {
        if super::variables::valid_name(&name) && !names.contains(&name) {
            names.push(name);
        }
    };
    let params: Vec<&str> = catalogue
        .operations
        .iter()
        .flat_map(|op| op.params.iter())
        .filter(|p| matches!(p.location, ParamLocation::Path | ParamLocation::Query))
        .map(|p| p.name.as_str())
        .collect();
    if let (Some(key), Some(path)) = (key.as_deref(), operation_path)
        && key.eq_ignore_ascii_case("id")
    {
        // `GET /organizations/{organizationId}`: its `id` is the parameter it was fetched by.
        let path = path.trim_end_matches('/');
        if let Some(last) = path.rsplit('/').next().and_then(template_name) {
            add(last.to_string());
        }
        // `POST /organizations`, `GET /organizations`: the parameter that follows the collection.
        let collection = format!("{path}/");
        for op in &catalogue.operations {
            if let Some(rest) = op.path.strip_prefix(&collection)
                && let Some(name) = template_name(rest)
            {
                add(name.to_string());
            }
        }
    }
    if let Some(key) = key.as_deref() {
        // A key that is a parameter's name already (`userId`), in the catalogue's spelling.
        if let Some(param) = params.iter().find(|p| p.eq_ignore_ascii_case(key)) {
            add((*param).to_string());
        }
        let with_id = format!("{key}Id");
        if let Some(param) = params.iter().find(|p| p.eq_ignore_ascii_case(&with_id)) {
            add((*param).to_string());
        }
        add(key.to_string());
    }
    add("value".to_string());
    names
}

/// `{name}` → `name`, for one whole path segment.
fn template_name(segment: &str) -> Option<&str> {
    segment.strip_prefix('{')?.strip_suffix('}').filter(|n| !n.contains(['/', '{', '}']))
}

/// The last object key of a path (`$[0].owner.id` → `id`, `$["a b"]` → `a b`); `None` for an array element.
fn last_key(path: &str) -> Option<String> {
    if let Some(quoted) = path.strip_suffix("\"]").and_then(|p| p.rsplit_once("[\"")).map(|(_, k)| k) {
        return serde_json::from_str::<String>(&format!("\"{quoted}\"")).ok();
    }
    let last = path.rsplit(['.', '[']).next()?;
    (!last.ends_with(']') && last != "$" && !last.is_empty()).then(|| last.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::api::{Method, Operation, Param};

    fn op(method: Method, path: &str) -> Operation {
        let params = path
            .split('/')
            .filter_map(template_name)
            .map(|name| Param {
                name: name.to_string(),
                location: ParamLocation::Path,
                required: true,
                kind: None,
                default: None,
                example: None,
                allowed: vec![],
                description: String::new(),
            })
            .collect();
        Operation { params, ..Operation::bare(method, path) }
    }

    fn catalogue() -> Catalogue {
        Catalogue {
            operations: vec![
                op(Method::Post, "/organizations"),
                op(Method::Get, "/organizations/{organizationId}"),
                op(Method::Get, "/organizations/{organizationId}/invitations"),
                op(Method::Get, "/organizations/{organizationId}/invitations/{invitationId}"),
                op(Method::Get, "/users/me/memberships/{membershipId}"),
            ],
            ..Catalogue::default()
        }
    }

    #[test]
    fn an_id_is_named_after_the_parameter_that_follows_its_collection() {
        let c = catalogue();
        assert_eq!(suggest("$.id", Some("/organizations"), &c)[0], "organizationId");
        assert_eq!(suggest("$[3].id", Some("/organizations/{organizationId}/invitations"), &c)[0], "invitationId");
        assert_eq!(suggest("$.id", Some("/organizations/{organizationId}"), &c)[0], "organizationId");
        assert_eq!(suggest("$.id", Some("/nowhere"), &c), ["id", "value"]);
    }

    #[test]
    fn a_key_that_is_a_parameter_keeps_its_name() {
        let c = catalogue();
        assert_eq!(suggest("$[0].membershipid", None, &c)[0], "membershipId");
        assert_eq!(suggest("$.organization", None, &c)[0], "organizationId");
        assert_eq!(suggest("$[0]", None, &c), ["value"]);
        assert_eq!(suggest("$[\"e-mail\"]", None, &c), ["e-mail", "value"]);
    }
}
