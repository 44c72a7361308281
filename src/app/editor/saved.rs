//! Drafts and saved requests: a saved request opens as a draft of its own, filled with what was saved, and a draft
//! is saved as the values typed into it.

use std::collections::BTreeMap;

use super::{Draft, Field, Section, body_area};
use crate::api::{Method, Operation, Param, ParamLocation};
use crate::workspace::SavedRequest;
use crate::workspace::scrub::is_secret_header;

impl Draft {
    /// A draft of `op` holding what `saved` says: its values over the operation's defaults, and the query
    /// parameters and headers the operation does not name added as the person's own.
    pub(in crate::app) fn from_saved(op: &Operation, saved: &SavedRequest) -> Draft {
        let mut draft = Draft::new(op);
        let sections =
            [(Section::Path, &saved.path_params), (Section::Query, &saved.query), (Section::Header, &saved.headers)];
        for (section, values) in sections {
            for (name, value) in values {
                let same = |f: &&mut Field| {
                    f.section == section
                        && if section == Section::Header { f.name.eq_ignore_ascii_case(name) } else { f.name == *name }
                };
                match draft.fields.iter_mut().find(same) {
                    Some(field) => field.value.clone_from(value),
                    None if section != Section::Path => draft.fields.push(Field {
                        section,
                        name: name.clone(),
                        value: value.clone(),
                        required: false,
                        hint: String::new(),
                        custom: true,
                    }),
                    None => {}
                }
            }
        }
        draft.fields.sort_by_key(|f| f.section as u8);
        if let Some(body) = &saved.body {
            draft.body = Some(body_area(body));
        }
        draft
    }

    /// What this draft saves as, under `name`: the values typed (empty ones left out), never a credential header.
    pub(in crate::app) fn to_saved(&self, name: &str, op: &Operation) -> SavedRequest {
        let pick = |section: Section| -> BTreeMap<String, String> {
            self.fields
                .iter()
                .filter(|f| f.section == section && !f.value.trim().is_empty())
                .filter(|f| section != Section::Header || !is_secret_header(&f.name))
                .map(|f| (f.name.clone(), f.value.clone()))
                .collect()
        };
        let body = self.body.as_ref().map(|b| b.lines().join("\n")).filter(|b| !b.trim().is_empty());
        SavedRequest {
            name: name.to_string(),
            method: op.method.as_str().to_string(),
            path: op.path.clone(),
            path_params: pick(Section::Path),
            query: pick(Section::Query),
            headers: pick(Section::Header),
            body,
        }
    }
}

/// An operation for a saved request the catalogue has nothing like: its method and path, the path's parameters,
/// and the query it saved.
pub(in crate::app) fn bare_operation(saved: &SavedRequest) -> Operation {
    let method = Method::parse(&saved.method).unwrap_or(Method::Get);
    let mut op = Operation::bare(method, &saved.path);
    op.summary = format!("saved request, not in this catalogue: {}", saved.name);
    let param = |name: &str, location| Param {
        name: name.to_string(),
        location,
        required: location == ParamLocation::Path,
        kind: None,
        default: None,
        example: None,
        allowed: vec![],
        description: String::new(),
    };
    let mut rest = saved.path.as_str();
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}').map(|i| open + i) else { break };
        op.params.push(param(&rest[open + 1..close], ParamLocation::Path));
        rest = &rest[close + 1..];
    }
    op.params.extend(saved.query.keys().map(|name| param(name, ParamLocation::Query)));
    if saved.body.is_some() && !method.takes_body() {
        op.body = Some(crate::api::RequestBody {
            content_type: "application/json".to_string(),
            required: false,
            example: None,
        });
    }
    op
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> SavedRequest {
        SavedRequest {
            name: "invite".into(),
            method: "POST".into(),
            path: "/orgs/{id}/things".into(),
            path_params: [("id".to_string(), "{{organizationId}}".to_string())].into(),
            query: [("limit".to_string(), "5".to_string()), ("extra".to_string(), "x".to_string())].into(),
            headers: [("Accept".to_string(), "text/plain".to_string())].into(),
            body: Some("{\"name\": \"y\"}".into()),
        }
    }

    #[test]
    fn a_saved_request_opens_with_its_values_and_saves_back_the_same() {
        let op = super::super::tests::op();
        let draft = Draft::from_saved(&op, &saved());
        let values = draft.values();
        assert_eq!(values.path, vec![("id".to_string(), "{{organizationId}}".to_string())]);
        assert!(values.query.contains(&("limit".to_string(), "5".to_string())));
        assert!(values.query.contains(&("extra".to_string(), "x".to_string())), "{values:?}");
        assert_eq!(values.headers, vec![("Accept".to_string(), "text/plain".to_string())]);
        assert_eq!(values.body.as_deref(), Some("{\"name\": \"y\"}"));
        assert_eq!(draft.to_saved("invite", &op), saved());
    }

    #[test]
    fn credential_headers_are_never_saved_and_an_unknown_operation_is_made_from_the_path() {
        let op = super::super::tests::op();
        let mut draft = Draft::new(&op);
        draft.fields.push(Field {
            section: Section::Header,
            name: "Authorization".into(),
            value: "Bearer x".into(),
            required: false,
            hint: String::new(),
            custom: true,
        });
        assert!(!draft.to_saved("x", &op).headers.contains_key("Authorization"));
        let bare = bare_operation(&saved());
        assert_eq!((bare.method, bare.path.as_str()), (Method::Post, "/orgs/{id}/things"));
        assert_eq!(bare.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["id", "extra", "limit"]);
    }
}
