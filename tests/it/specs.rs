//! The spec loader on real OpenAPI documents, and the built-in ZorgAPIs catalogue checked against the real spec.

mod bodies_later;
mod broken;
mod cache;
mod counts;
mod escaping;
mod files;
mod mutated;
mod swagger;

use std::path::{Path, PathBuf};

use zorgtui::api::{Catalogue, Method, Operation, OperationKey, ParamLocation, builtin, openapi};

pub(crate) fn shared(relative: &str) -> PathBuf {
    Path::new(concat!(env!("CARGO_MANIFEST_DIR"), "/../shared")).join(relative)
}

pub(crate) const ZORGAPIS: &str = "zorgapis/openapi-v1beta2.yaml";
pub(crate) const SPOTIFY: &str = "specs/spotify-openapi-3.0.yml";

pub(crate) fn load(relative: &str) -> Catalogue {
    openapi::load_file(&shared(relative)).unwrap_or_else(|e| panic!("{e}"))
}

pub(crate) fn op<'c>(catalogue: &'c Catalogue, key: &str) -> &'c Operation {
    catalogue.find(&OperationKey(key.to_string())).unwrap_or_else(|| panic!("no {key}"))
}

#[test]
fn zorgapis_loads_all_74_operations_grouped_by_its_tags() {
    let zorg = load(ZORGAPIS);
    assert_eq!(zorg.title, "ZorgAPIs API 0.7.0");
    assert_eq!(zorg.operations.len(), 74);
    assert!(zorg.notices.is_empty(), "{:?}", zorg.notices);
    assert_eq!(zorg.tags.len(), 23);
    assert_eq!((zorg.tags[0].name.as_str(), zorg.tags[0].description.as_str()), ("users", "Users API"));
    assert_eq!(zorg.tags.last().unwrap().name, "trust-framework-versions");
    assert_eq!(zorg.operations[0].key().0, "GET /users/me");
    // Grouped: each tag's operations are contiguous and in tag order.
    let positions: Vec<usize> =
        zorg.operations.iter().map(|o| zorg.tags.iter().position(|t| t.name == o.tag).unwrap()).collect();
    assert!(positions.windows(2).all(|w| w[0] <= w[1]));
    let with_body = zorg.operations.iter().filter(|o| o.body.is_some()).count();
    assert_eq!(with_body, 24);
}

#[test]
fn zorgapis_list_operation_has_paging_parameters_and_its_scope() {
    let zorg = load(ZORGAPIS);
    let list = op(&zorg, "GET /api-requirements-versions");
    assert_eq!(list.tag, "api-requirements-versions");
    assert_eq!(list.scopes, ["api-requirements-versions:read"]);
    let facts: Vec<(&str, ParamLocation, bool, Option<&str>)> =
        list.params.iter().map(|p| (p.name.as_str(), p.location, p.required, p.default.as_deref())).collect();
    assert_eq!(
        facts,
        [
            ("limit", ParamLocation::Query, false, Some("100")),
            ("skip", ParamLocation::Query, false, Some("0")),
            ("sort", ParamLocation::Query, false, Some("")),
            ("filter", ParamLocation::Query, false, Some("")),
            ("count", ParamLocation::Query, false, Some("false")),
        ]
    );
    assert_eq!(list.params[0].kind.as_deref(), Some("integer"));
    assert_eq!(list.params[4].kind.as_deref(), Some("boolean"));
    assert_eq!(list.params[2].example.as_deref(), Some("asc(createTime)"));
    assert!(
        list.params[0].description.starts_with("The limit query string parameter restricts"),
        "{:?}",
        list.params[0]
    );
}

#[test]
fn zorgapis_post_organizations_has_an_editable_json_example() {
    let zorg = load(ZORGAPIS);
    let add = op(&zorg, "POST /organizations");
    assert_eq!(add.scopes, ["organizations:write"]);
    let body = add.body.as_ref().unwrap();
    assert_eq!(body.content_type, "application/json");
    let example = body.example.as_deref().unwrap();
    assert!(example.starts_with("{\n  \"name\": \"Nictiz\",\n"), "{example}");
    let value: serde_json::Value = serde_json::from_str(example).unwrap();
    assert_eq!(value["address"]["city"], "The Hague");
    // Server-set fields (readOnly) are not offered for sending.
    for read_only in ["id", "createTime", "updateTime"] {
        assert!(value.get(read_only).is_none(), "{read_only} in {example}");
    }
    assert!(op(&zorg, "POST /users/me/invitations/{invitationId}:accept").body.is_none());
}

#[test]
fn zorgapis_security_and_servers() {
    let zorg = load(ZORGAPIS);
    let oauth = zorg.oauth.as_ref().unwrap();
    assert_eq!(oauth.scheme_name, "oauth2");
    assert_eq!(
        oauth.authorization_url.as_deref(),
        Some("https://auth.zorgapis.nl/realms/zorgapis/protocol/openid-connect/auth")
    );
    assert_eq!(&oauth.scopes[..2], ["openid", "offline_access"]);
    assert!(oauth.scopes.contains(&"api-specifications:write".to_string()));
    let urls: Vec<&str> = zorg.servers.iter().map(|s| s.url.as_str()).collect();
    assert_eq!(urls, ["https://api.zorgapis.nl/v1beta2", "https://api.sandbox.zorgapis.nl/v1beta2"]);
    assert!(zorg.operations.iter().all(|o| o.scopes.len() == 1), "every ZorgAPIs operation names one scope");
}

#[test]
fn spotify_loads_97_operations_with_per_operation_scopes() {
    let spotify = load(SPOTIFY);
    assert_eq!(spotify.operations.len(), 97);
    assert_eq!(spotify.tags[0].name, "Albums");
    assert_eq!(spotify.oauth.as_ref().unwrap().scheme_name, "oauth_2_0");
    assert_eq!(op(&spotify, "GET /me/albums/contains").scopes, ["user-library-read"]);
    assert!(op(&spotify, "GET /albums/{id}").scopes.is_empty(), "`oauth_2_0: []` asks for no scope");
    let playlist = op(&spotify, "POST /users/{user_id}/playlists");
    assert_eq!(playlist.scopes, ["playlist-modify-public", "playlist-modify-private"]);
    assert!(playlist.body.as_ref().unwrap().example.as_deref().unwrap().contains("\"name\""));
    let with_scopes = spotify.operations.iter().filter(|o| !o.scopes.is_empty()).count();
    assert!(with_scopes > 50, "{with_scopes}");
}

#[test]
fn small_example_documents_load() {
    let petstore = load("specs/petstore-expanded-3.0.yaml");
    assert_eq!(petstore.operations.len(), 4);
    assert_eq!(petstore.tags.iter().map(|t| t.name.as_str()).collect::<Vec<_>>(), ["default"]);
    assert_eq!(
        op(&petstore, "POST /pets").body.as_ref().unwrap().example.as_deref(),
        Some("{\n  \"name\": \"string\",\n  \"tag\": \"string\"\n}")
    );

    let uspto = load("specs/uspto-3.0.yaml");
    assert_eq!(uspto.operations.len(), 3);
    let search = op(&uspto, "POST /{dataset}/{version}/records");
    assert_eq!(search.body.as_ref().unwrap().content_type, "application/x-www-form-urlencoded");
    assert_eq!(search.params.iter().find(|p| p.name == "dataset").unwrap().default.as_deref(), Some("oa_citations"));

    let tictactoe = load("specs/tictactoe-3.1.yaml");
    assert_eq!(tictactoe.operations.len(), 3);
    let put = op(&tictactoe, "PUT /board/{row}/{column}");
    // Path-level parameters come first, then the operation's own.
    assert_eq!(put.params.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), ["row", "column", "progressUrl"]);
    assert_eq!(put.scopes, ["board:write"]);
    assert_eq!(put.method, Method::Put);
}

#[test]
fn webhooks_only_document_loads_empty_with_a_notice() {
    let webhooks = load("specs/webhook-3.1.yaml");
    assert!(webhooks.operations.is_empty() && webhooks.tags.is_empty());
    assert_eq!(webhooks.notices, ["no paths: this document describes 1 webhook only"]);
}

#[test]
fn security_servers_and_tags_follow_the_document() {
    let doc = r#"{
      "openapi": "3.0.3",
      "info": {"title": "Inline", "version": "2"},
      "servers": [{"url": "https://{region}.example.com/{base}", "variables": {
          "region": {"default": "eu", "enum": ["eu", "us"]}, "base": {"default": "v2"}}},
        {"url": "/relative", "description": "Same host\nsecond line"}],
      "security": [{"sso": ["read"]}],
      "tags": [{"name": "late", "x-displayName": "Shown late"}, {"name": "first", "description": "**First** tag\nmore"}],
      "paths": {
        "/inherit": {"get": {"tags": ["first", "late"]}},
        "/open": {"get": {"security": [], "tags": ["new"]}},
        "/own": {"post": {"security": [{"sso": ["write", "read"]}, {"other": ["x"]}]}},
        "/late": {"delete": {"tags": ["late"]}}
      },
      "components": {"securitySchemes": {
        "sso": {"type": "openIdConnect", "openIdConnectUrl": "https://id.example.com/.well-known/openid-configuration"}}}
    }"#;
    let catalogue = openapi::parse(doc.as_bytes(), "inline.json").unwrap();
    assert_eq!(catalogue.title, "Inline 2");
    let servers: Vec<(&str, &str)> =
        catalogue.servers.iter().map(|s| (s.url.as_str(), s.description.as_str())).collect();
    assert_eq!(servers, [("https://eu.example.com/v2", ""), ("/relative", "Same host")]);
    let tags: Vec<(&str, &str)> = catalogue.tags.iter().map(|t| (t.name.as_str(), t.description.as_str())).collect();
    assert_eq!(
        tags,
        [("late", "Shown late"), ("first", "First tag"), ("new", ""), ("default", "Operations without a tag")]
    );
    let listed: Vec<(String, &str, &[String])> =
        catalogue.operations.iter().map(|o| (o.key().0, o.tag.as_str(), o.scopes.as_slice())).collect();
    assert_eq!(listed[0], ("DELETE /late".to_string(), "late", &["read".to_string()][..]));
    assert_eq!(listed[1], ("GET /inherit".to_string(), "first", &["read".to_string()][..]));
    assert_eq!(listed[2], ("GET /open".to_string(), "new", &[][..]));
    assert_eq!(listed[3], ("POST /own".to_string(), "default", &["write".to_string(), "read".to_string()][..]));
    let oauth = catalogue.oauth.as_ref().unwrap();
    assert_eq!(oauth.openid_connect_url.as_deref(), Some("https://id.example.com/.well-known/openid-configuration"));
}

#[test]
fn json_form_of_a_document_reads_the_same_as_its_yaml() {
    let yaml = std::fs::read(shared(ZORGAPIS)).unwrap();
    let tree: serde_yaml_ng::Value = serde_yaml_ng::from_slice(&yaml).unwrap();
    let json = serde_json::to_vec_pretty(&tree).unwrap();
    let from_json = openapi::parse(&json, "zorgapis.json").unwrap();
    let from_yaml = openapi::parse(&yaml, "zorgapis.json").unwrap();
    assert_eq!(from_json, from_yaml);
}

#[test]
fn builtin_catalogue_agrees_with_the_real_spec() {
    let spec = load(ZORGAPIS);
    let built_in = builtin::catalogue();
    assert!(built_in.notices.is_empty(), "{:?}", built_in.notices);
    assert_eq!(built_in.source, "built-in");
    assert_eq!(built_in.title, spec.title);
    assert_eq!(built_in.tags, spec.tags);
    assert_eq!(built_in.oauth, spec.oauth);
    assert_eq!(built_in.security_schemes, spec.security_schemes);
    assert_eq!(built_in.security, spec.security);
    // Sandbox first: it is where a person tries things.
    assert_eq!(built_in.servers[0].url, "https://api.sandbox.zorgapis.nl/v1beta2");
    let mut servers = built_in.servers.clone();
    servers.reverse();
    assert_eq!(servers, spec.servers);
    assert_eq!(built_in.operations.len(), spec.operations.len());
    for (ours, theirs) in built_in.operations.iter().zip(&spec.operations) {
        assert_eq!(ours, theirs, "{} drifted from the spec", theirs.key());
    }
}

/// The asset is exactly what `cargo run --example builtin_catalogue` writes from the real document today: when
/// the document or the loader changes, this says to run it.
#[test]
fn builtin_asset_is_what_the_generator_writes() {
    let asset = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/assets/zorgapis-v1beta2.catalogue.json"))
        .unwrap();
    let generated = builtin::asset_text(&builtin::from_spec(load(ZORGAPIS))).unwrap();
    assert!(asset == generated, "the built-in catalogue is stale: run `cargo run --example builtin_catalogue`");
}

#[test]
fn only_lowercase_method_keys_are_operations_and_undeclared_path_names_are_asked_for() {
    let doc = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths:\n  /items/{itemId}:\n    get: {summary: one}\n    \
               GET: {summary: an extension's key}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "inline.yaml").unwrap();
    assert_eq!(catalogue.operations.len(), 1, "{:?}", catalogue.operations);
    let params = &catalogue.operations[0].params;
    assert_eq!((params[0].name.as_str(), params[0].required), ("itemId", true));
    assert!(catalogue.notices.iter().any(|n| n.contains("`itemId` is not declared")), "{:?}", catalogue.notices);
}

#[test]
fn operations_that_answer_in_something_else_than_json_ask_for_it() {
    let doc = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /qr:\n    get:\n      responses:\n        \
               '200': {$ref: '#/components/responses/Png'}\n        '404': {description: x, content: {application/json: {}}}\n  \
               /both:\n    get:\n      responses:\n        200:\n          description: x\n          \
               content: {image/png: {}, application/json: {}}\n  /none:\n    delete:\n      responses:\n        \
               '204': {description: gone}\ncomponents:\n  responses:\n    Png:\n      description: x\n      \
               content: {image/png: {}, image/webp: {}}\n";
    let catalogue = openapi::parse(doc.as_bytes(), "inline.yaml").unwrap();
    let accept: Vec<Option<&str>> = catalogue.operations.iter().map(|o| o.accept.as_deref()).collect();
    assert_eq!(accept, [Some("image/png, image/webp"), None, None], "{:?}", catalogue.notices);
}
