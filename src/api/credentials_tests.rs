#![allow(clippy::unwrap_used)]

use super::*;
use crate::api::Method;

/// A document with every kind of credential, and operations that name them in different ways.
const SPEC: &str = r"
openapi: 3.0.3
info: {title: keys, version: '1'}
servers: [{url: 'https://api.example.com/v1'}]
security: [{key: []}]
components:
  securitySchemes:
    key: {type: apiKey, name: X-API-Key, in: header}
    q: {type: apiKey, name: api_key, in: query}
    jar: {type: apiKey, name: sid, in: cookie}
    bearer: {type: http, scheme: bearer}
    basic: {type: http, scheme: Basic}
    oauth:
      type: oauth2
      flows: {clientCredentials: {tokenUrl: 'https://login.example.com/token', scopes: {}}}
    mtls: {type: mutualTLS}
paths:
  /default: {get: {responses: {'200': {description: ok}}}}
  /open: {get: {security: [], responses: {'200': {description: ok}}}}
  /anonymous-too: {get: {security: [{}, {key: []}], responses: {'200': {description: ok}}}}
  /both: {get: {security: [{key: [], q: []}], responses: {'200': {description: ok}}}}
  /oauth-or-basic: {get: {security: [{oauth: []}, {basic: []}], responses: {'200': {description: ok}}}}
  /mtls-or-bearer: {get: {security: [{mtls: []}, {bearer: []}], responses: {'200': {description: ok}}}}
  /cookie: {get: {security: [{jar: []}], responses: {'200': {description: ok}}}}
";

fn uses(path: &str, signed_in: bool) -> Vec<String> {
    let catalogue = crate::api::openapi::parse(SPEC.as_bytes(), "keys.yaml").unwrap();
    let op = catalogue.operations.iter().find(|op| op.path == path && op.method == Method::Get).unwrap();
    uses_for(&catalogue, op, signed_in).into_iter().map(|u| u.scheme).collect()
}

#[test]
fn an_operation_carries_the_credentials_of_the_first_alternative_that_can_be_met() {
    assert_eq!(uses("/default", false), ["key"], "the document's security");
    assert!(uses("/open", false).is_empty(), "security: [] needs none");
    assert!(uses("/anonymous-too", false).is_empty(), "{{}} first lets it in without");
    assert_eq!(uses("/both", false), ["key", "q"], "every scheme of the alternative");
    assert!(uses("/oauth-or-basic", true).is_empty(), "the session meets the OAuth one");
    assert_eq!(uses("/oauth-or-basic", false), ["basic"], "signed out: the other one");
    assert_eq!(uses("/mtls-or-bearer", false), ["bearer"], "mutual TLS cannot be sent");
    assert_eq!(uses("/cookie", false), ["jar"]);
}

#[test]
fn each_placement_puts_its_value_where_the_scheme_says() {
    let request = PreparedRequest {
        method: Method::Get,
        url: "https://api.example.com/v1/x?a=1".into(),
        headers: vec![("Cookie".into(), "theme=dark".into())],
        body: None,
        with_token: false,
        credentials: None,
    };
    let put = |placement: Placement, value: &str| {
        let use_ = CredentialUse { scheme: "s".into(), placement };
        apply(&request, &[(use_, Secret::new(value))])
    };
    let header = |r: &PreparedRequest, name: &str| {
        r.headers.iter().filter(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.clone()).collect::<Vec<_>>()
    };
    assert_eq!(header(&put(Placement::Header("X-API-Key".into()), "k1"), "x-api-key"), ["k1"]);
    assert_eq!(
        put(Placement::Query("api_key".into()), "a b&c").url,
        "https://api.example.com/v1/x?a=1&api_key=a+b%26c"
    );
    assert_eq!(header(&put(Placement::Cookie("sid".into()), "s1"), "cookie"), ["theme=dark; sid=s1"]);
    assert_eq!(header(&put(Placement::Bearer, "t1"), "authorization"), ["Bearer t1"]);
    assert_eq!(header(&put(Placement::Basic, "ann:pw"), "authorization"), ["Basic YW5uOnB3"]);
    assert!(request.headers.len() == 1 && request.url.ends_with("a=1"), "the request itself is untouched");
}

#[test]
fn credentials_go_only_to_the_specs_own_servers_over_https_or_loopback() {
    let servers = vec!["https://api.example.com/v1".to_string(), "http://127.0.0.1:8080".to_string()];
    assert!(!may_go_to("https://api.example.com/v10/things", &servers), "not under /v1");
    assert!(may_go_to("https://api.example.com/v1/things", &servers));
    assert!(may_go_to("http://127.0.0.1:8080/x", &servers));
    assert!(!may_go_to("https://api.example.com/v2/things", &servers), "another path of the host");
    assert!(!may_go_to("https://evil.example.com/v1/things", &servers));
    assert!(!may_go_to("http://api.example.com/v1/things", &servers), "plain HTTP");
    assert!(!may_go_to("not a url", &servers));
}
