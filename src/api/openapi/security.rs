//! The OAuth2 (or OpenID Connect) security scheme and the scopes each operation asks for under it.

use serde_yaml_ng::Value;

use super::plain::{first_line, one_line, wire_name};
use super::refs::{Context, key_text};
use crate::api::{FlowKind, OAuthFlow, OAuthScheme, ParamLocation, SchemeKind, SecurityRequirement, SecurityScheme};

/// Every scheme of `components.securitySchemes`, in document order; ones that cannot be read are skipped with a
/// notice.
pub(super) fn schemes(ctx: &mut Context<'_>) -> Vec<SecurityScheme> {
    let Some(schemes) = ctx.root.get("components").and_then(|c| c.get("securitySchemes")).and_then(Value::as_mapping)
    else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, raw) in schemes {
        let Some(name) = key_text(name).map(|n| wire_name(&n)) else { continue };
        let at = format!("security scheme `{name}`");
        let Some(scheme) = ctx.follow(raw, &at, "the scheme") else { continue };
        match scheme_kind(scheme) {
            Ok(kind) => {
                let description = scheme.get("description").and_then(Value::as_str).map(first_line).unwrap_or_default();
                out.push(SecurityScheme { name, description, kind });
            }
            Err(problem) => ctx.notices.push(format!("{at}: {problem}; skipped")),
        }
    }
    out
}

fn scheme_kind(scheme: &Value) -> Result<SchemeKind, String> {
    let text = |key: &str| scheme.get(key).and_then(Value::as_str).map(wire_name);
    let kind = text("type").ok_or("it has no `type`")?;
    Ok(match kind.as_str() {
        "oauth2" => SchemeKind::OAuth2 { flows: flows(scheme) },
        "openIdConnect" => {
            SchemeKind::OpenIdConnect { url: text("openIdConnectUrl").ok_or("it has no `openIdConnectUrl`")? }
        }
        "apiKey" => {
            let name = text("name").ok_or("it has no `name`")?;
            let location = match text("in").as_deref() {
                Some("header") => ParamLocation::Header,
                Some("query") => ParamLocation::Query,
                Some("cookie") => ParamLocation::Cookie,
                _ => return Err("its `in` is not header, query or cookie".to_string()),
            };
            SchemeKind::ApiKey { name, location }
        }
        "http" => SchemeKind::Http {
            scheme: text("scheme").ok_or("it has no `scheme`")?.to_ascii_lowercase(),
            bearer_format: text("bearerFormat"),
        },
        "mutualTLS" => SchemeKind::MutualTls,
        _ => SchemeKind::Other { kind },
    })
}

/// The flows of an `oauth2` scheme, in document order.
fn flows(scheme: &Value) -> Vec<OAuthFlow> {
    let url = |flow: &Value, key: &str| flow.get(key).and_then(Value::as_str).map(wire_name);
    let flows = scheme.get("flows").and_then(Value::as_mapping).into_iter().flatten();
    flows
        .filter_map(|(name, flow)| {
            let kind = FlowKind::parse(&key_text(name)?)?;
            let scopes = flow.get("scopes").and_then(Value::as_mapping).into_iter().flatten();
            let scopes = scopes
                .filter_map(|(k, v)| Some((wire_name(&key_text(k)?), v.as_str().map(one_line).unwrap_or_default())))
                .collect();
            Some(OAuthFlow {
                kind,
                authorization_url: url(flow, "authorizationUrl"),
                token_url: url(flow, "tokenUrl"),
                refresh_url: url(flow, "refreshUrl"),
                device_authorization_url: url(flow, "deviceAuthorizationUrl"),
                scopes,
            })
        })
        .collect()
}

/// A `security` list read as alternatives (each a set of schemes with their scopes). Not a list: none.
pub(super) fn requirements(security: Option<&Value>) -> Vec<SecurityRequirement> {
    let alternatives = security.and_then(Value::as_sequence).into_iter().flatten();
    alternatives
        .filter_map(Value::as_mapping)
        .map(|requirement| SecurityRequirement {
            schemes: requirement
                .iter()
                .filter_map(|(name, scopes)| {
                    let scopes = scopes.as_sequence().into_iter().flatten().filter_map(Value::as_str).map(wire_name);
                    Some((wire_name(&key_text(name)?), scopes.collect()))
                })
                .collect(),
        })
        .collect()
}

/// Picks the scheme a person signs in with: the first `oauth2` scheme with an `authorizationCode` flow (zorgtui
/// signs people in interactively), else the first `oauth2` scheme, else the first `openIdConnect` one.
pub(super) fn oauth_scheme(ctx: &mut Context<'_>) -> Option<OAuthScheme> {
    let schemes = ctx.root.get("components")?.get("securitySchemes")?.as_mapping()?;
    let mut candidates: Vec<(String, &Value)> = Vec::new();
    for (name, raw) in schemes {
        let Some(name) = key_text(name) else { continue };
        let at = format!("security scheme `{name}`");
        if let Some(scheme) = ctx.follow(raw, &at, "the scheme") {
            candidates.push((name, scheme));
        }
    }
    let kind = |scheme: &Value| scheme.get("type").and_then(Value::as_str).map(str::to_string);
    let has_code_flow = |scheme: &Value| scheme.get("flows").and_then(|f| f.get("authorizationCode")).is_some();
    let (name, scheme) = candidates
        .iter()
        .find(|(_, s)| kind(s).as_deref() == Some("oauth2") && has_code_flow(s))
        .or_else(|| candidates.iter().find(|(_, s)| kind(s).as_deref() == Some("oauth2")))
        .or_else(|| candidates.iter().find(|(_, s)| kind(s).as_deref() == Some("openIdConnect")))?;
    Some(describe(name, scheme))
}

fn describe(name: &str, scheme: &Value) -> OAuthScheme {
    let url = |value: Option<&Value>| value.and_then(Value::as_str).map(wire_name);
    let mut described = OAuthScheme {
        scheme_name: wire_name(name),
        openid_connect_url: url(scheme.get("openIdConnectUrl")),
        ..OAuthScheme::default()
    };
    let flows = scheme.get("flows").and_then(Value::as_mapping).into_iter().flatten();
    // The interactive flows first, so their URLs win when several flows name one.
    let mut flows: Vec<(String, &Value)> = flows.filter_map(|(k, v)| Some((key_text(k)?, v))).collect();
    flows.sort_by_key(|(flow, _)| match flow.as_str() {
        "authorizationCode" => 0,
        "deviceAuthorization" => 1,
        "implicit" => 2,
        _ => 3,
    });
    for (_, flow) in &flows {
        if described.authorization_url.is_none() {
            described.authorization_url = url(flow.get("authorizationUrl"));
        }
        if described.token_url.is_none() {
            described.token_url = url(flow.get("tokenUrl"));
        }
        if described.device_authorization_url.is_none() {
            described.device_authorization_url = url(flow.get("deviceAuthorizationUrl"));
        }
        for scope in
            flow.get("scopes").and_then(Value::as_mapping).into_iter().flatten().filter_map(|(k, _)| key_text(k))
        {
            let scope = wire_name(&scope);
            if !described.scopes.contains(&scope) {
                described.scopes.push(scope);
            }
        }
    }
    described
}

/// The scopes an operation asks for under `scheme`, from `requirements` (a `security` list of alternatives: any
/// one of them lets the request in): those of the first alternative that uses the scheme. Alternatives are not
/// joined, or a step-up sign-in would ask for more than any one of them needs.
pub(super) fn scopes_for(requirements: Option<&Value>, scheme: &str) -> Vec<String> {
    let alternatives = requirements.and_then(Value::as_sequence).into_iter().flatten();
    let first = alternatives.filter_map(|r| r.get(scheme)).find_map(Value::as_sequence);
    let mut scopes: Vec<String> = Vec::new();
    for scope in first.into_iter().flatten().filter_map(Value::as_str).map(wire_name) {
        if !scopes.contains(&scope) {
            scopes.push(scope);
        }
    }
    scopes
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scheme_of(yaml: &str) -> Option<OAuthScheme> {
        let doc: Value = serde_yaml_ng::from_str(yaml).unwrap();
        oauth_scheme(&mut Context::new(&doc))
    }

    #[test]
    fn the_interactive_oauth2_scheme_is_chosen_and_its_scopes_gathered() {
        let scheme = scheme_of(
            "components:\n  securitySchemes:\n    key: {type: apiKey, name: k, in: header}\n    \
             machine: {type: oauth2, flows: {clientCredentials: {tokenUrl: 'https://t/m', scopes: {m: x}}}}\n    \
             people:\n      type: oauth2\n      flows:\n        \
             clientCredentials: {tokenUrl: 'https://t/cc', scopes: {b: x, c: x}}\n        \
             authorizationCode: {authorizationUrl: 'https://a', tokenUrl: 'https://t/ac', scopes: {a: x, b: x}}\n",
        )
        .unwrap();
        assert_eq!(scheme.scheme_name, "people");
        assert_eq!(scheme.authorization_url.as_deref(), Some("https://a"));
        assert_eq!(scheme.token_url.as_deref(), Some("https://t/ac"));
        assert_eq!(scheme.scopes, ["a", "b", "c"]);
    }

    #[test]
    fn open_id_connect_is_noted_when_there_is_no_oauth2() {
        let scheme = scheme_of(
            "components:\n  securitySchemes:\n    oidc: {type: openIdConnect, openIdConnectUrl: 'https://i/.well-known/openid-configuration'}\n",
        )
        .unwrap();
        assert_eq!(scheme.openid_connect_url.as_deref(), Some("https://i/.well-known/openid-configuration"));
        assert!(scheme_of("components:\n  securitySchemes:\n    basic: {type: http, scheme: basic}\n").is_none());
        assert!(scheme_of("components: []").is_none());
    }

    #[test]
    fn the_first_alternative_using_the_scheme_is_asked_for() {
        let scopes = |yaml: &str| scopes_for(Some(&serde_yaml_ng::from_str(yaml).unwrap()), "o");
        assert_eq!(scopes("[{o: [a, b, a]}]"), ["a", "b"]);
        assert_eq!(scopes("[{o: [a]}, {o: [a.readonly]}]"), ["a"], "alternatives are not joined");
        assert_eq!(scopes("[{key: []}, {o: [a, b], key: []}, {o: [c]}]"), ["a", "b"], "the first that uses it");
        assert!(scopes("[]").is_empty());
        assert!(scopes_for(None, "o").is_empty());
    }
}
