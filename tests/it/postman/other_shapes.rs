//! Collections in shapes the official one does not use, written here the way other exporters write them (Insomnia
//! and older Postman exports: v2.0, a URL as text, headers as one text, nested folders with their own auth,
//! urlencoded and form bodies), files that are not collections, and a collection fetched through the bounded reader.

use std::time::Duration;

use axum::Router;
use axum::routing::get;
use zorgtui::api::postman;
use zorgtui::config::{Overrides, Profile};
use zorgtui::run::collection::OpenedCollection;

use super::config;
use crate::support::engine::within;

const V20: &str = r#"{
  "info": {"_postman_id": "1", "name": "Petstore (v2.0 export)", "schema": "https://schema.getpostman.com/json/collection/v2.0.0/collection.json"},
  "auth": {"type": "oauth2", "oauth2": {"accessTokenUrl": "https://idp.pets.example/oauth/token",
     "authUrl": "https://idp.pets.example/oauth/authorize", "clientId": "{{cid}}", "scope": "pets:read",
     "redirect_uri": "http://localhost:8765/cb", "client_authentication": "body"}},
  "variable": [{"id": "base", "value": "https://pets.example/api", "type": "string"}, {"id": "cid", "value": "pets-cli"}],
  "item": [
    {"name": "pets", "item": [
      {"name": "store", "auth": {"type": "bearer", "bearer": {"token": "{{t}}"}}, "item": [
        {"name": "Order", "request": {"url": "{{base}}/store/order?dry=true", "method": "POST",
          "header": "Content-Type: application/x-www-form-urlencoded\nX-Trace: 1",
          "body": {"mode": "urlencoded", "urlencoded": [{"key": "petId", "value": "7", "type": "text"}]}}}
      ]},
      {"name": "Photo", "request": {"url": "{{base}}/pets/:petId/photo", "method": "PUT",
        "body": {"mode": "formdata", "formdata": [{"key": "caption", "value": "cat", "type": "text"}]},
        "description": {"content": "Uploads a photo.\n\nMarkdown here.", "type": "text/markdown"}}}
    ]}
  ]
}"#;

#[tokio::test]
async fn a_v20_export_with_nested_folders_and_form_bodies_opens() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("pets.postman_collection.json");
    std::fs::write(&file, V20).unwrap();
    let mut profile = Profile::built_in().remove("sandbox").unwrap();
    profile.collection = Some(file.display().to_string());
    let opened = within(OpenedCollection::open(&profile)).await.unwrap().unwrap();
    let catalogue = &opened.collection.catalogue;
    let tags: Vec<(&str, Option<&str>)> =
        catalogue.tags.iter().map(|t| (t.name.as_str(), t.parent.as_deref())).collect();
    assert_eq!(tags, [("pets", None), ("pets / store", Some("pets"))]);
    let order = &catalogue.operations[0];
    assert_eq!((order.tag.as_str(), order.path.as_str()), ("pets / store", "/store/order"));
    assert_eq!(order.body.as_ref().unwrap().content_type, "application/x-www-form-urlencoded");
    assert_eq!(order.body.as_ref().unwrap().example.as_deref(), Some("petId=7"));
    assert!(order.header_params().any(|h| h.name == "X-Trace"), "headers written as one text");
    assert!(catalogue.security_of(order).is_empty(), "bearer on the folder: not the collection's oauth2");
    let photo = &catalogue.operations[1];
    assert_eq!(photo.path, "/pets/{petId}/photo");
    assert!(photo.body.as_ref().unwrap().content_type.starts_with("multipart/form-data"));
    assert_eq!(photo.description.lines().next(), Some("Uploads a photo."));
    assert_eq!(opened.collection.api_base, "{{base}}");

    let (profile, notices) = opened.profile(&config(), None, &Overrides::default());
    assert_eq!(profile.api, "https://pets.example/api", "{notices:?}");
    assert_eq!(profile.issuer, "https://idp.pets.example");
    assert_eq!(profile.client_id, "pets-cli");
    assert_eq!((profile.redirect_uri.as_deref(), profile.callback_port), (None, Some(8765)), "a loopback redirect");
    assert_eq!(profile.endpoints.token_endpoint.as_deref(), Some("https://idp.pets.example/oauth/token"));
    assert_eq!(profile.client.method, Some(zorgtui::config::ClientAuthMethod::ClientSecretPost));
}

#[test]
fn what_is_not_a_collection_gets_one_line_and_nothing_panics() {
    let spec = std::fs::read(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/zorgapis/postman/sandbox-environment.json"),
    )
    .unwrap();
    let cases: Vec<(Vec<u8>, &str)> = vec![
        (spec, "Postman environment"),
        (br#"{"openapi": "3.1.0", "info": {}, "paths": {}}"#.to_vec(), "OpenAPI document"),
        (
            br#"{"info": {"schema": "https://schema.postman.com/json/collection/v3.0.0/"}, "item": []}"#.to_vec(),
            "v3.0.0",
        ),
        (b"\x00\xff garbage".to_vec(), "invalid JSON"),
        (Vec::new(), "is empty"),
    ];
    for (bytes, says) in cases {
        let error = postman::parse_collection(&bytes, "x.json").unwrap_err().to_string();
        assert!(error.contains(says) && !error.contains('\n'), "{error}");
    }
}

#[tokio::test]
async fn a_fetched_collection_goes_through_the_bounded_reader() {
    let big = format!(r#"{{"info": {{"name": "big"}}, "item": [], "pad": "{}"}}"#, "x".repeat(3 << 20));
    let app = Router::new().route("/small.json", get(|| async { V20 })).route(
        "/big.json",
        get(move || {
            let big = big.clone();
            async move { big }
        }),
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let serve = tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
    let mut profile = Profile::built_in().remove("sandbox").unwrap();
    profile.limits.document = 1 << 20;
    profile.timeout = Duration::from_secs(10);
    profile.collection = Some(format!("http://{addr}/small.json"));
    let opened = within(OpenedCollection::open(&profile)).await.unwrap().unwrap();
    assert_eq!(opened.collection.catalogue.operations.len(), 2);
    assert!(opened.collection_file.is_none());
    profile.collection = Some(format!("http://{addr}/big.json"));
    let error = within(OpenedCollection::open(&profile)).await.unwrap_err().to_string();
    assert!(error.contains("spec_cap_mb"), "{error}");
    serve.abort();
}
