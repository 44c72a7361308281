//! Collections written here by hand in shapes the official one does not use: nested folders with their own auth,
//! urlencoded and form bodies, a URL as plain text, v2.0's auth objects, and files that are not collections.

use super::*;
use crate::api::{Method, ParamLocation};

const NESTED: &str = r#"{
  "info": {"name": "Shop", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},
  "auth": {"type": "oauth2", "oauth2": [
    {"key": "authUrl", "value": "{{auth}}/authorize"},
    {"key": "accessTokenUrl", "value": "{{auth}}/token"},
    {"key": "clientId", "value": "shop-cli"},
    {"key": "scope", "value": "orders:read"}
  ]},
  "variable": [{"key": "host", "value": "https://shop.example"}, {"key": "off", "value": "x", "disabled": true}],
  "item": [
    {"name": "ping", "request": "{{host}}/ping?verbose=1"},
    {"name": "orders", "description": "All about orders\nmore", "item": [
      {"name": "by id", "item": [
        {"name": "Get order", "request": {"method": "get", "url": {"raw": "{{host}}/orders/:id", "host": ["{{host}}"],
          "path": ["orders", ":id"], "variable": [{"key": "id", "value": "42"}]},
          "header": [{"key": "Accept", "value": "application/json"}, {"key": "X-Off", "value": "1", "disabled": true}]},
         "event": [{"listen": "test", "script": {"exec": ["pm.collectionVariables.set('orderId', pm.response.json().id)"]}}]}
      ]},
      {"name": "Search", "request": {"method": "POST", "url": "{{host}}/orders/search",
        "body": {"mode": "urlencoded", "urlencoded": [{"key": "q", "value": "a b&c"}, {"key": "skip", "value": "1", "disabled": true}]}}},
      {"name": "Upload", "request": {"method": "POST", "url": {"raw": "{{host}}/orders/upload", "host": ["{{host}}"], "path": ["orders", "upload"]},
        "body": {"mode": "formdata", "formdata": [{"key": "note", "value": "hi", "type": "text"}, {"key": "file", "type": "file", "src": "/tmp/x"}]}}}
    ]},
    {"name": "public", "auth": {"type": "noauth"}, "item": [
      {"name": "Health", "request": {"method": "GET", "url": "https://status.example/health"}}
    ]}
  ]
}"#;

fn nested() -> Collection {
    parse_collection(NESTED.as_bytes(), "shop.json").unwrap()
}

#[test]
fn nested_folders_are_groups_with_parents_in_order() {
    let c = nested();
    let names: Vec<(&str, Option<&str>)> =
        c.catalogue.tags.iter().map(|t| (t.name.as_str(), t.parent.as_deref())).collect();
    assert_eq!(
        names,
        [("(collection)", None), ("orders", None), ("orders / by id", Some("orders")), ("public", None),]
    );
    assert_eq!(c.catalogue.tags[2].depth(&c.catalogue), 1);
    assert_eq!(c.catalogue.tags[1].description, "All about orders");
    let ops: Vec<(&str, &str, &str)> =
        c.catalogue.operations.iter().map(|o| (o.tag.as_str(), o.method.as_str(), o.path.as_str())).collect();
    assert_eq!(
        ops,
        [
            ("(collection)", "GET", "/ping"),
            ("orders / by id", "GET", "/orders/{id}"),
            ("orders", "POST", "/orders/search"),
            ("orders", "POST", "/orders/upload"),
            ("public", "GET", "/health"),
        ]
    );
    assert_eq!(c.api_base, "{{host}}");
    assert_eq!(c.variables, [("host".to_string(), "https://shop.example".to_string())], "disabled ones left out");
    assert!(c.catalogue.notices.iter().any(|n| n.contains("another base")), "{:?}", c.catalogue.notices);
}

#[test]
fn fields_bodies_and_scripts() {
    let c = nested();
    let ping = &c.catalogue.operations[0];
    assert_eq!(
        ping.query_params().map(|p| (p.name.as_str(), p.default.as_deref())).collect::<Vec<_>>(),
        [("verbose", Some("1"))]
    );
    let get = &c.catalogue.operations[1];
    assert_eq!(get.summary, "Get order");
    let id = get.path_params().next().unwrap();
    assert_eq!((id.name.as_str(), id.example.as_deref()), ("id", Some("42")));
    let headers: Vec<(&str, Option<&str>)> =
        get.header_params().map(|p| (p.name.as_str(), p.default.as_deref())).collect();
    assert_eq!(headers, [("Accept", Some("application/json"))], "disabled headers are left out");
    let search = c.catalogue.operations[2].body.as_ref().unwrap();
    assert_eq!(search.content_type, "application/x-www-form-urlencoded");
    assert_eq!(search.example.as_deref(), Some("q=a+b%26c"));
    let upload = c.catalogue.operations[3].body.as_ref().unwrap();
    assert!(upload.content_type.starts_with("multipart/form-data; boundary="));
    assert!(upload.example.as_deref().unwrap().contains("name=\"note\"\r\n\r\nhi\r\n"));
    assert!(c.catalogue.notices.iter().any(|n| n.contains("`file` is a file")), "{:?}", c.catalogue.notices);
    assert_eq!((c.scripted, c.script_variables.as_slice()), (1, &["orderId".to_string()][..]));
}

#[test]
fn auth_is_inherited_and_noauth_stops_it() {
    let c = nested();
    let oauth2 = c.oauth2.as_ref().unwrap();
    assert_eq!((oauth2.client_id.as_str(), oauth2.auth_url.as_str()), ("shop-cli", "{{auth}}/authorize"));
    let get = &c.catalogue.operations[1];
    assert!(get.scopes.is_empty(), "a collection does not say which scope a request needs");
    assert_eq!(c.catalogue.security_of(get)[0].schemes[0].0, OAUTH2_SCHEME);
    let health = &c.catalogue.operations[4];
    assert!(c.catalogue.security_of(health).is_empty(), "noauth on the folder");
}

#[test]
fn v20_is_read_when_its_shape_is_the_same() {
    let v20 = r#"{"info": {"name": "Old", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
      "auth": {"type": "oauth2", "oauth2": {"clientId": "old", "accessTokenUrl": "https://idp/token"}},
      "item": [{"name": "x", "request": {"url": "https://api.example/v1/x", "method": "DELETE"}}]}"#;
    let c = parse_collection(v20.as_bytes(), "old.json").unwrap();
    assert_eq!(c.oauth2.unwrap().client_id, "old");
    assert_eq!(c.catalogue.operations[0].method, Method::Delete);
    assert_eq!(c.api_base, "https://api.example");
    assert_eq!(c.catalogue.operations[0].path, "/v1/x");
}

#[test]
fn what_is_not_a_collection_gets_one_line() {
    let cases: [(&str, &str); 8] = [
        ("", "is empty"),
        ("  \n", "is empty"),
        ("{nope", "invalid JSON at line 1"),
        (r#"{"openapi": "3.0.0", "paths": {}}"#, "OpenAPI document — open it with --spec"),
        (r#"{"name": "Sandbox", "values": [], "_postman_variable_scope": "environment"}"#, "--environment"),
        (
            r#"{"info": {"schema": "https://schema.getpostman.com/json/collection/v3.0.0/"}, "item": []}"#,
            "schema v3.0.0",
        ),
        (r#"{"id": "1", "name": "v1", "order": [], "requests": []}"#, "schema v1"),
        ("[1, 2]", "not a JSON object"),
    ];
    for (text, says) in cases {
        let error = parse_collection(text.as_bytes(), "in.json").unwrap_err().to_string();
        assert!(error.contains(says), "{text:?}: {error}");
        assert!(!error.contains('\n'), "one line: {error}");
    }
    let odd = r#"{"info": {}, "item": [{"name": "x", "request": {"url": {"path": 5}}}]}"#;
    assert!(parse_collection(odd.as_bytes(), "odd.json").unwrap_err().to_string().contains("not a Postman collection"));
}

#[test]
fn environments_keep_enabled_values_and_substitute_before_the_collection() {
    let env = r#"{"name": "Test", "values": [{"key": "a", "value": "env", "enabled": true},
       {"key": "b", "value": "off", "enabled": false}, {"key": "n", "value": 5}]}"#;
    let env = parse_environment(env.as_bytes(), "env.json").unwrap();
    assert_eq!(env.values, [("a".to_string(), "env".to_string()), ("n".to_string(), "5".to_string())]);
    let collection = vec![("a".to_string(), "coll".to_string()), ("b".to_string(), "coll-b".to_string())];
    let look = lookup(Some(&env), &collection);
    assert_eq!(substitute("{{a}}/{{b}}/{{ n }}/{{c}}/{{", look), "env/coll-b/5/{{c}}/{{");
    assert!(parse_environment(NESTED.as_bytes(), "c.json").unwrap_err().to_string().contains("--collection"));
    assert!(format!("{env:?}").contains("\"a\"") && !format!("{env:?}").contains("env\""), "Debug shows names only");
}

#[test]
fn path_variables_taking_other_variables_are_renamed_or_templated() {
    let text = r#"{"info": {"name": "x", "schema": ".../v2.1.0/..."}, "item": [
      {"name": "a", "request": {"method": "PUT", "url": {"host": ["{{base}}"], "path": ["v", ":versionName", "i", ":act"],
        "variable": [{"key": "versionName", "value": "{{apiRequirementsVersionName}}"}, {"key": "act", "value": "{{invitationId}}:accept"}]}}}]}"#;
    let c = parse_collection(text.as_bytes(), "x.json").unwrap();
    let op = &c.catalogue.operations[0];
    assert_eq!(op.path, "/v/{apiRequirementsVersionName}/i/{invitationId}:accept");
    let names: Vec<&str> =
        op.params.iter().filter(|p| p.location == ParamLocation::Path).map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["apiRequirementsVersionName", "invitationId"]);
}
