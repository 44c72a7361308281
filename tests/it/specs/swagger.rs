//! Swagger 2.0 documents, and the security model every document's schemes become.

use zorgtui::api::{FlowKind, ParamLocation, SchemeKind, SecurityRequirement, openapi};

use super::{load, op, shared};

#[test]
fn swagger_2_servers_come_from_host_base_path_and_schemes() {
    let uber = load("specs/uber-swagger-2.0.json");
    assert_eq!(uber.title, "Uber API 1.0.0");
    let urls: Vec<&str> = uber.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://api.uber.com/v1"]);
    let products = op(&uber, "GET /products");
    let params: Vec<(&str, ParamLocation, Option<&str>)> =
        products.params.iter().map(|p| (p.name.as_str(), p.location, p.kind.as_deref())).collect();
    assert_eq!(
        params,
        [("latitude", ParamLocation::Query, Some("number")), ("longitude", ParamLocation::Query, Some("number"))]
    );
    assert!(products.params[0].required);
}

#[test]
fn swagger_2_body_parameters_become_the_request_body() {
    let petstore = load("specs/petstore-expanded-swagger-2.0.yaml");
    assert_eq!(petstore.servers[0].url, "http://petstore.swagger.io/api");
    let add = op(&petstore, "POST /pets");
    let body = add.body.as_ref().unwrap();
    assert_eq!((body.content_type.as_str(), body.required), ("application/json", true));
    assert_eq!(body.example.as_deref(), Some("{\n  \"name\": \"string\",\n  \"tag\": \"string\"\n}"));
    assert!(add.params.is_empty(), "the body is no parameter: {:?}", add.params);
    let find = op(&petstore, "GET /pets");
    let names: Vec<&str> = find.params.iter().map(|p| p.name.as_str()).collect();
    assert_eq!(names, ["tags", "limit"]);
    assert_eq!(find.params[0].kind.as_deref(), Some("array"));
    assert_eq!(op(&petstore, "GET /pets/{id}").params[0].kind.as_deref(), Some("integer"));
}

#[test]
fn a_swagger_2_document_split_over_files_reads_as_one() {
    let split = load("specs/petstore-separate-swagger-2.0/spec/swagger.yaml");
    let whole = load("specs/petstore-expanded-swagger-2.0.yaml");
    assert!(split.notices.is_empty(), "{:?}", split.notices);
    let find = op(&split, "GET /pets");
    let params: Vec<(&str, Option<&str>)> = find.params.iter().map(|p| (p.name.as_str(), p.kind.as_deref())).collect();
    assert_eq!(params, [("tags", Some("array")), ("limit", Some("integer"))]);
    // NewPet.yaml is `allOf` Pet.yaml beside it and a field of its own.
    let body = op(&split, "POST /pets").body.as_ref().unwrap();
    assert_eq!(
        body.example.as_deref(),
        Some("{\n  \"id\": 0,\n  \"name\": \"string\",\n  \"tag\": \"string\",\n  \"description\": 0\n}")
    );
    assert_eq!(body.content_type, op(&whole, "POST /pets").body.as_ref().unwrap().content_type);
    assert_eq!(split.servers, whole.servers);
}

#[test]
fn swagger_2_form_fields_consumes_produces_and_security_definitions() {
    let doc = r#"{"swagger": "2.0", "info": {"title": "Old", "version": "1"}, "basePath": "/base",
      "consumes": ["application/x-www-form-urlencoded"], "produces": ["application/xml"],
      "securityDefinitions": {
        "code": {"type": "oauth2", "flow": "accessCode", "authorizationUrl": "https://id.example/auth",
                 "tokenUrl": "https://id.example/token", "scopes": {"read": "Read things", "write": "Write things"}},
        "machine": {"type": "oauth2", "flow": "application", "tokenUrl": "https://id.example/token", "scopes": {}},
        "key": {"type": "apiKey", "name": "X-Key", "in": "header"},
        "plain": {"type": "basic", "description": "User and password"}},
      "security": [{"code": ["read"]}],
      "paths": {
        "/login": {"post": {"security": [{"plain": []}, {"key": []}],
          "parameters": [{"name": "user", "in": "formData", "type": "string", "required": true},
                         {"name": "remember", "in": "formData", "type": "boolean", "default": true}]}},
        "/upload": {"post": {"consumes": ["multipart/form-data"],
          "parameters": [{"name": "file", "in": "formData", "type": "file"}],
          "responses": {"200": {"description": "ok", "schema": {"type": "string"}}}}},
        "/things": {"get": {"parameters": [{"name": "q", "in": "query", "type": "string", "enum": ["a", "b"]}],
          "responses": {"200": {"description": "ok", "schema": {"type": "object"}}}}}}}"#;
    let catalogue = openapi::parse(doc.as_bytes(), "https://old.example/docs/swagger.json").unwrap();
    assert_eq!(catalogue.servers[0].url, "https://old.example/base", "no host: the spec's own");
    let login = op(&catalogue, "POST /login");
    let body = login.body.as_ref().unwrap();
    assert_eq!((body.content_type.as_str(), body.required), ("application/x-www-form-urlencoded", true));
    assert_eq!(body.example.as_deref(), Some("user=string&remember=true"));
    let upload = op(&catalogue, "POST /upload").body.as_ref().unwrap();
    assert_eq!(upload.content_type, "multipart/form-data");
    assert_eq!(op(&catalogue, "POST /upload").accept.as_deref(), Some("application/xml"));
    assert_eq!(op(&catalogue, "GET /things").params[0].allowed, ["a", "b"]);

    let kinds: Vec<(&str, &SchemeKind)> =
        catalogue.security_schemes.iter().map(|s| (s.name.as_str(), &s.kind)).collect();
    let SchemeKind::OAuth2 { flows } = kinds[0].1 else { panic!("{kinds:?}") };
    assert_eq!(flows[0].kind, FlowKind::AuthorizationCode);
    assert_eq!(flows[0].authorization_url.as_deref(), Some("https://id.example/auth"));
    assert_eq!(flows[0].token_url.as_deref(), Some("https://id.example/token"));
    assert_eq!(
        flows[0].scopes,
        [("read".to_string(), "Read things".to_string()), ("write".into(), "Write things".into())]
    );
    let SchemeKind::OAuth2 { flows } = kinds[1].1 else { panic!("{kinds:?}") };
    assert_eq!(flows[0].kind, FlowKind::ClientCredentials);
    assert_eq!(kinds[2].1, &SchemeKind::ApiKey { name: "X-Key".into(), location: ParamLocation::Header });
    assert_eq!(kinds[3].1, &SchemeKind::Http { scheme: "basic".into(), bearer_format: None });
    assert_eq!(catalogue.scheme("plain").unwrap().description, "User and password");
    let alternatives = catalogue.security_of(login);
    assert_eq!(alternatives, [requirement(&[("plain", &[])]), requirement(&[("key", &[])])]);
    assert_eq!(catalogue.security_of(op(&catalogue, "GET /things")), [requirement(&[("code", &["read"])])]);
    assert_eq!(op(&catalogue, "GET /things").scopes, ["read"]);
}

fn requirement(schemes: &[(&str, &[&str])]) -> SecurityRequirement {
    SecurityRequirement {
        schemes: schemes
            .iter()
            .map(|(n, s)| ((*n).to_string(), s.iter().map(|s| (*s).to_string()).collect()))
            .collect(),
    }
}

#[test]
fn openapi_3_schemes_of_every_kind_and_operation_security() {
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\nsecurity: [{sso: [profile]}]\npaths:\n  /open:\n    \
               get: {security: []}\n  /either:\n    get:\n      security: [{bearer: []}, {cookie: [], query: []}, {}]\n  \
               /default:\n    get: {}\ncomponents:\n  securitySchemes:\n    \
               sso: {type: openIdConnect, openIdConnectUrl: 'https://id.example/.well-known/openid-configuration'}\n    \
               bearer: {type: http, scheme: Bearer, bearerFormat: JWT}\n    cookie: {type: apiKey, name: session, in: cookie}\n    \
               query: {type: apiKey, name: key, in: query}\n    tls: {type: mutualTLS}\n    \
               people:\n      type: oauth2\n      flows:\n        implicit: {authorizationUrl: 'https://id.example/a', scopes: {}}\n        \
               password: {tokenUrl: 'https://id.example/t', refreshUrl: 'https://id.example/r', scopes: {x: y}}\n        \
               clientCredentials: {tokenUrl: 'https://id.example/t', scopes: {}}\n    broken: {type: apiKey, in: body}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "inline.yaml").unwrap();
    let names: Vec<&str> = catalogue.security_schemes.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(names, ["sso", "bearer", "cookie", "query", "tls", "people"]);
    assert!(catalogue.notices.iter().any(|n| n.contains("security scheme `broken`")), "{:?}", catalogue.notices);
    assert_eq!(
        catalogue.scheme("sso").unwrap().kind,
        SchemeKind::OpenIdConnect { url: "https://id.example/.well-known/openid-configuration".into() }
    );
    assert_eq!(
        catalogue.scheme("bearer").unwrap().kind,
        SchemeKind::Http { scheme: "bearer".into(), bearer_format: Some("JWT".into()) }
    );
    assert_eq!(
        catalogue.scheme("cookie").unwrap().kind,
        SchemeKind::ApiKey { name: "session".into(), location: ParamLocation::Cookie }
    );
    assert_eq!(catalogue.scheme("tls").unwrap().kind, SchemeKind::MutualTls);
    let SchemeKind::OAuth2 { flows } = &catalogue.scheme("people").unwrap().kind else { panic!() };
    let kinds: Vec<FlowKind> = flows.iter().map(|f| f.kind).collect();
    assert_eq!(kinds, [FlowKind::Implicit, FlowKind::Password, FlowKind::ClientCredentials]);
    assert_eq!(flows[1].refresh_url.as_deref(), Some("https://id.example/r"));

    assert!(catalogue.security_of(op(&catalogue, "GET /open")).is_empty());
    assert_eq!(catalogue.security_of(op(&catalogue, "GET /default")), [requirement(&[("sso", &["profile"])])]);
    assert_eq!(
        catalogue.security_of(op(&catalogue, "GET /either")),
        [requirement(&[("bearer", &[])]), requirement(&[("cookie", &[]), ("query", &[])]), requirement(&[])]
    );
}

#[test]
fn zorgapis_and_spotify_security_schemes() {
    let zorg = openapi::load_file(&shared(super::ZORGAPIS)).unwrap();
    let SchemeKind::OAuth2 { flows } = &zorg.scheme("oauth2").unwrap().kind else { panic!() };
    assert_eq!(flows[0].kind, FlowKind::AuthorizationCode);
    assert_eq!(
        flows[0].token_url.as_deref(),
        Some("https://auth.zorgapis.nl/realms/zorgapis/protocol/openid-connect/token")
    );
    let list = op(&zorg, "GET /api-requirements-versions");
    assert_eq!(zorg.security_of(list), [requirement(&[("oauth2", &["api-requirements-versions:read"])])]);
    let spotify = load(super::SPOTIFY);
    assert_eq!(
        spotify.security_of(op(&spotify, "GET /me/albums")),
        [requirement(&[("oauth_2_0", &["user-library-read"])])]
    );
}
