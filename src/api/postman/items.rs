//! The walk through a collection: folders into groups (a nested folder's group names its parent, and its name is
//! its whole path, `v1beta2 / organizations`, so two folders called `{id}` in different places stay apart),
//! requests into operations under their folder, auth passed down as Postman passes it, scripts counted.

use std::collections::BTreeMap;

use super::auth::{self, Effective, OAuth2Settings};
use super::schema::{CollectionFile, Event, Item, Request, text_of};
use super::{Collection, OAUTH2_SCHEME, request};
use crate::api::{
    Catalogue, FlowKind, OAuthFlow, OAuthScheme, SchemeKind, SecurityRequirement, SecurityScheme, Server, Tag,
};

/// The group of requests that sit at the top of the collection, outside any folder.
const TOP_GROUP: &str = "(collection)";

/// Between the folder names of a nested group's name.
pub const PATH_SEPARATOR: &str = " / ";

#[derive(Default)]
struct Walk {
    tags: Vec<Tag>,
    operations: Vec<crate::api::Operation>,
    bases: Vec<String>,
    security: BTreeMap<crate::api::OperationKey, Vec<SecurityRequirement>>,
    /// Each distinct oauth2 auth, with how many requests use it.
    oauth2: Vec<(OAuth2Settings, usize)>,
    other_auth: BTreeMap<String, usize>,
    scripted: usize,
    script_variables: Vec<String>,
    notices: Vec<String>,
}

pub(super) fn read(file: CollectionFile, source: &str, no_schema: bool) -> Collection {
    let info = file.info.unwrap_or_default();
    let mut walk = Walk::default();
    if no_schema {
        walk.notices.push("the collection names no schema: read as v2.1".to_string());
    }
    let root_auth = auth::apply(file.auth.as_ref(), &Effective::None, "the collection");
    walk.items(&file.item, None, &root_auth);
    let variables = file
        .variable
        .iter()
        .filter(|v| v.in_force())
        .filter_map(|v| Some((v.name()?.to_string(), text_of(v.value.as_ref()))))
        .collect();
    let api_base = most_common(&walk.bases).unwrap_or_default();
    let elsewhere = walk.bases.iter().filter(|b| **b != api_base).count();
    if elsewhere > 0 {
        walk.notices.push(format!(
            "{elsewhere} request(s) name another base than {api_base}; zorgtui sends every request to the profile's API"
        ));
    }
    for (kind, count) in &walk.other_auth {
        walk.notices.push(format!(
            "{count} request(s) use `{kind}` auth, which zorgtui does not set up: the session's token is sent"
        ));
    }
    let oauth2 = walk.oauth2.iter().max_by_key(|(_, count)| *count).map(|(settings, _)| settings.clone());
    if walk.oauth2.len() > 1 {
        walk.notices.push(format!(
            "the collection has {} different oauth2 settings; sign-in uses the one most requests inherit",
            walk.oauth2.len()
        ));
    }
    let title = match info.version.as_ref().map(|v| text_of(Some(v))) {
        Some(version) if !version.is_empty() => format!("{} {version}", info.name),
        _ => info.name.clone(),
    };
    let (oauth, security_schemes) = match &oauth2 {
        Some(settings) => scheme_of(settings),
        None => (None, Vec::new()),
    };
    let catalogue = Catalogue {
        title: crate::text::escape_controls(title.trim()).into_owned(),
        source: source.to_string(),
        tags: walk.tags,
        operations: walk.operations,
        servers: if api_base.is_empty() { Vec::new() } else { vec![Server::plain(&api_base, "the collection's base")] },
        oauth,
        security_schemes,
        security: walk.security,
        notices: walk.notices,
    };
    Collection {
        catalogue,
        variables,
        oauth2,
        api_base,
        scripted: walk.scripted,
        script_variables: walk.script_variables,
    }
}

impl Walk {
    fn items(&mut self, items: &[Item], folder: Option<&str>, inherited: &Effective) {
        for item in items {
            if let Some(children) = &item.children {
                let name = clean(&item.name, "folder");
                let full = match folder {
                    Some(parent) => format!("{parent}{PATH_SEPARATOR}{name}"),
                    None => name,
                };
                let description = item.description.as_ref().map(|d| first_line(d.text())).unwrap_or_default();
                self.tags.push(Tag { name: full.clone(), description, parent: folder.map(str::to_string) });
                let auth = auth::apply(item.auth.as_ref(), inherited, &full);
                self.scripts_of(&item.event);
                self.items(children, Some(&full), &auth);
            } else if let Some(request) = &item.request {
                self.request(item, request, folder, inherited);
            }
        }
    }

    fn request(&mut self, item: &Item, request: &Request, folder: Option<&str>, inherited: &Effective) {
        let full;
        let request = match request {
            Request::Full(full_request) => full_request.as_ref(),
            Request::Url(url) => {
                full = super::schema::FullRequest {
                    url: Some(super::schema::Url::Raw(url.clone())),
                    ..super::schema::FullRequest::default()
                };
                &full
            }
        };
        let name = clean(&item.name, "request");
        let mut converted = request::convert(&name, request);
        let tag = if let Some(folder) = folder {
            folder.to_string()
        } else {
            if !self.tags.iter().any(|t| t.name == TOP_GROUP) {
                self.tags.insert(0, Tag::new(TOP_GROUP, "Requests outside any folder"));
            }
            TOP_GROUP.to_string()
        };
        converted.operation.tag = tag;
        let set_on = item.name.clone();
        let auth = auth::apply(item.auth.as_ref().or(request.auth.as_ref()), inherited, &set_on);
        match auth {
            Effective::OAuth2 { settings, .. } => {
                // A collection asks for every scope at once and never says which one a request needs: the operation
                // names none, so no request is held back for a scope (`offline_access`, say) the server did not
                // grant; the sign-in asks for the whole list.
                let requirement = SecurityRequirement { schemes: vec![(OAUTH2_SCHEME.to_string(), Vec::new())] };
                self.security.entry(converted.operation.key()).or_insert_with(|| vec![requirement]);
                match self.oauth2.iter_mut().find(|(s, _)| *s == settings) {
                    Some((_, count)) => *count += 1,
                    None => self.oauth2.push((settings, 1)),
                }
            }
            Effective::Other { kind } => *self.other_auth.entry(kind).or_default() += 1,
            Effective::None => {}
        }
        if self.scripts_of(&item.event) {
            self.scripted += 1;
        }
        self.notices.extend(converted.skipped);
        self.bases.push(converted.base);
        self.operations.push(converted.operation);
    }

    /// Whether `events` hold a script with something in it; the variables it sets are noted.
    fn scripts_of(&mut self, events: &[Event]) -> bool {
        let mut any = false;
        for event in events.iter().filter(|e| !e.disabled && matches!(e.listen.as_str(), "prerequest" | "test")) {
            let source = match event.script.as_ref().and_then(|s| s.exec.as_ref()) {
                Some(serde_json::Value::Array(lines)) => {
                    lines.iter().map(|l| text_of(Some(l))).collect::<Vec<_>>().join("\n")
                }
                Some(other) => text_of(Some(other)),
                None => String::new(),
            };
            if source.trim().is_empty() {
                continue;
            }
            any = true;
            for name in set_variables(&source) {
                if !self.script_variables.contains(&name) {
                    self.script_variables.push(name);
                }
            }
        }
        any
    }
}

/// The names a script sets: `pm.environment.set("x", …)`, `pm.collectionVariables.set('x', …)`,
/// `pm.variables.set(…)`, `pm.globals.set(…)`, and the ZorgAPIs way, `const VARIABLE_NAME = "x"`.
fn set_variables(source: &str) -> Vec<String> {
    let mut names = Vec::new();
    for marker in [".set(", "VARIABLE_NAME ="] {
        let mut rest = source;
        while let Some(at) = rest.find(marker) {
            rest = &rest[at + marker.len()..];
            let trimmed = rest.trim_start();
            let Some(quote) = trimmed.chars().next().filter(|c| matches!(c, '"' | '\'' | '`')) else { continue };
            let inner = &trimmed[1..];
            if let Some(end) = inner.find(quote) {
                let name = &inner[..end];
                if !name.is_empty() && name.len() < 100 && !names.iter().any(|n| n == name) {
                    names.push(name.to_string());
                }
            }
        }
    }
    names
}

fn scheme_of(settings: &OAuth2Settings) -> (Option<OAuthScheme>, Vec<SecurityScheme>) {
    let scopes: Vec<String> = settings.scope.split_whitespace().map(str::to_string).collect();
    let kind = match settings.grant_type.as_str() {
        "client_credentials" => FlowKind::ClientCredentials,
        "implicit" => FlowKind::Implicit,
        "password_credentials" | "password" => FlowKind::Password,
        _ => FlowKind::AuthorizationCode,
    };
    let some = |text: &str| (!text.is_empty()).then(|| text.to_string());
    let flow = OAuthFlow {
        kind,
        authorization_url: some(&settings.auth_url),
        token_url: some(&settings.access_token_url),
        refresh_url: None,
        device_authorization_url: None,
        scopes: scopes.iter().map(|s| (s.clone(), String::new())).collect(),
    };
    let oauth = OAuthScheme {
        scheme_name: OAUTH2_SCHEME.to_string(),
        authorization_url: flow.authorization_url.clone(),
        token_url: flow.token_url.clone(),
        device_authorization_url: None,
        openid_connect_url: None,
        scopes,
    };
    let scheme = SecurityScheme {
        name: OAUTH2_SCHEME.to_string(),
        description: "the collection's oauth2 auth".to_string(),
        kind: SchemeKind::OAuth2 { flows: vec![flow] },
    };
    (Some(oauth), vec![scheme])
}

fn most_common(values: &[String]) -> Option<String> {
    let mut counts: Vec<(&String, usize)> = Vec::new();
    for value in values {
        match counts.iter_mut().find(|(v, _)| *v == value) {
            Some((_, count)) => *count += 1,
            None => counts.push((value, 1)),
        }
    }
    // The first one seen wins a tie (max_by_key would take the last).
    let most = counts.iter().map(|(_, c)| *c).max()?;
    counts.into_iter().find(|(_, c)| *c == most).map(|(v, _)| v.clone())
}

fn clean(name: &str, what: &str) -> String {
    let name = crate::text::escape_controls(name.trim()).into_owned();
    if name.is_empty() { format!("(unnamed {what})") } else { name }
}

fn first_line(text: &str) -> String {
    crate::text::escape_controls(text.trim().lines().next().unwrap_or("")).into_owned()
}
