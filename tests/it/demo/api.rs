//! The demo API: lists, paging, sorting, filters, errors in the ZorgAPIs shape, scopes, and adding an organization.

use reqwest::header::{CONTENT_TYPE, WWW_AUTHENTICATE};
use serde_json::{Value, json};
use zorgtui::demo::DemoServers;

use super::{access_token, api_get, http, json, sign_in, start_default, within};

const READ_ALL: &str =
    "openid users:read organizations:read api-requirements-versions:read api-specifications:read organizations:write";

async fn token(demo: &DemoServers, scope: &str) -> String {
    access_token(&sign_in(demo, scope).await).to_owned()
}

fn names(list: &Value) -> Vec<&str> {
    list.as_array().unwrap().iter().map(|item| item["name"].as_str().unwrap()).collect()
}

#[tokio::test]
async fn lists_page_sort_and_count() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    let all = api_get(&demo, "/organizations", &token).await;
    assert_eq!(all.status(), 200);
    assert_eq!(all.headers()[CONTENT_TYPE], "application/json");
    assert!(all.headers().get("total-count").is_none(), "only when count=true");
    let all = json(all).await;
    let mut sorted = names(&all);
    sorted.sort_by_key(|name| name.to_lowercase());
    assert_eq!(names(&all), sorted, "default sort is asc(name)");
    assert!(all.as_array().unwrap().len() >= 5);

    let page = api_get(&demo, "/organizations?limit=2&skip=1&count=true", &token).await;
    assert_eq!(page.headers()["total-count"], all.as_array().unwrap().len().to_string().as_str());
    assert_eq!(names(&json(page).await), names(&all)[1..3]);

    let desc = json(api_get(&demo, "/organizations?sort=desc(name)", &token).await).await;
    let mut reversed = names(&all);
    reversed.reverse();
    assert_eq!(names(&desc), reversed);
}

#[tokio::test]
async fn bad_list_parameters_get_422_with_details() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    for (query, location) in
        [("limit=0", "limit"), ("limit=101", "limit"), ("limit=ten", "limit"), ("sort=up(name)", "sort")]
    {
        let response = api_get(&demo, &format!("/organizations?{query}"), &token).await;
        assert_eq!(response.status(), 422, "{query}");
        let body = json(response).await;
        assert_eq!(body["type"], "INVALID_ARGUMENT");
        assert_eq!(body["status"], 422);
        assert_eq!(body["details"][0]["location"], location, "{body}");
    }
}

#[tokio::test]
async fn unknown_ids_get_404_in_the_zorgapis_shape() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    for path in [
        "/organizations/00000000-0000-4000-8000-000000000000",
        "/api-requirements-versions/9.9.9",
        "/api-requirements-versions/9.9.9/api-requirements",
        "/api-specifications/nope",
        "/no-such-collection",
    ] {
        let response = api_get(&demo, path, &token).await;
        assert_eq!(response.status(), 404, "{path}");
        assert_eq!(response.headers()[CONTENT_TYPE], "application/json");
        let body = json(response).await;
        assert_eq!(body["status"], 404);
        assert_eq!(body["type"], "NOT_FOUND");
        assert!(body["message"].as_str().is_some_and(|m| !m.is_empty()));
        assert_eq!(body["details"], json!([]));
    }
}

#[tokio::test]
async fn methods_the_demo_does_not_serve_get_405_explained() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    let url = format!("{}/api-requirements-versions", demo.api_base());
    let response = within(http().post(url).bearer_auth(&token).json(&json!({"name": "x"})).send()).await.unwrap();
    assert_eq!(response.status(), 405);
    let body = json(response).await;
    assert_eq!((body["status"].as_u64(), body["type"].as_str()), (Some(405), Some("UNIMPLEMENTED")));
    assert!(body["message"].as_str().is_some_and(|m| m.contains("demo API serves reads")), "{body}");
}

#[tokio::test]
async fn missing_or_bad_tokens_get_401() {
    let demo = start_default().await;
    let response = within(http().get(format!("{}/organizations", demo.api_base())).send()).await.unwrap();
    assert_eq!(response.status(), 401);
    assert!(response.headers()[WWW_AUTHENTICATE].to_str().unwrap().starts_with("Bearer"));
    assert_eq!(json(response).await["type"], "UNAUTHENTICATED");
    let forged = api_get(&demo, "/organizations", "not-a-token").await;
    assert_eq!(forged.status(), 401);
    assert!(forged.headers()[WWW_AUTHENTICATE].to_str().unwrap().contains("error=\"invalid_token\""));
}

#[tokio::test]
async fn a_token_without_the_scope_gets_403_naming_it() {
    let demo = start_default().await;
    let token = token(&demo, "openid users:read").await;
    assert_eq!(api_get(&demo, "/users/me", &token).await.status(), 200);
    let response = api_get(&demo, "/organizations", &token).await;
    assert_eq!(response.status(), 403);
    let challenge = response.headers()[WWW_AUTHENTICATE].to_str().unwrap().to_owned();
    assert!(challenge.contains("error=\"insufficient_scope\"") && challenge.contains("scope=\"organizations:read\""));
    let body = json(response).await;
    assert_eq!((body["status"].as_u64(), body["type"].as_str()), (Some(403), Some("PERMISSION_DENIED")));
}

#[tokio::test]
async fn requirements_versions_and_their_requirements() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    let versions = json(api_get(&demo, "/api-requirements-versions", &token).await).await;
    let versions = versions.as_array().unwrap();
    assert!((3..=4).contains(&versions.len()));
    let times: Vec<&str> = versions.iter().map(|v| v["publishTime"].as_str().unwrap()).collect();
    assert!(times.windows(2).all(|pair| pair[0] >= pair[1]), "default sort is desc(publishTime): {times:?}");
    let published = versions.iter().find(|v| v["lifecycleState"] == "PUBLISHED").unwrap();
    let name = published["name"].as_str().unwrap();
    let one = json(api_get(&demo, &format!("/api-requirements-versions/{name}"), &token).await).await;
    assert_eq!(&one, published);
    assert!(one["semVer"]["major"].is_u64());

    let requirements = api_get(&demo, &format!("/api-requirements-versions/{name}/api-requirements"), &token).await;
    let requirements = json(requirements).await;
    let requirements = requirements.as_array().unwrap();
    assert!(requirements.len() >= 18);
    // What `.[] | select(.requirementLevel == "MUST") | .code` shows in the inspector.
    let must: Vec<&str> =
        requirements.iter().filter(|r| r["requirementLevel"] == "MUST").map(|r| r["code"].as_str().unwrap()).collect();
    assert!(must.len() >= 5, "{must:?}");
    for level in ["SHOULD", "MAY"] {
        assert!(requirements.iter().any(|r| r["requirementLevel"] == level), "{level}");
    }
    let filtered = api_get(
        &demo,
        &format!("/api-requirements-versions/{name}/api-requirements?filter=eq(requirementLevel,\"MUST\")&count=true"),
        &token,
    )
    .await;
    assert_eq!(filtered.headers()["total-count"], must.len().to_string().as_str());
    let codes: Vec<String> = json(filtered).await.as_array().unwrap().iter().map(|r| r["code"].to_string()).collect();
    assert_eq!(codes.len(), must.len());
}

#[tokio::test]
async fn specifications_name_their_organization() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    let specs = json(api_get(&demo, "/api-specifications?sort=asc(name)", &token).await).await;
    let first = &specs.as_array().unwrap()[0];
    assert!(first["organization"]["name"].is_string());
    let id = first["id"].as_str().unwrap();
    let one = json(api_get(&demo, &format!("/api-specifications/{id}"), &token).await).await;
    assert_eq!(&one, first);
    let organization = format!("/organizations/{}", one["organizationId"].as_str().unwrap());
    assert_eq!(json(api_get(&demo, &organization, &token).await).await["name"], one["organization"]["name"]);
}

#[tokio::test]
async fn adding_an_organization_keeps_it_for_the_run() {
    let demo = start_default().await;
    let token = token(&demo, READ_ALL).await;
    let url = format!("{}/organizations", demo.api_base());
    let body = json!({ "name": "Praktijk Testlaan", "emailAddress": "info@testlaan.example", "address": { "city": "Delft", "country": "NL" } });
    let created = within(http().post(&url).bearer_auth(&token).json(&body).send()).await.unwrap();
    assert_eq!(created.status(), 201);
    let created = json(created).await;
    assert_eq!(created["name"], "Praktijk Testlaan");
    assert_eq!(created["createdByUser"]["name"], "Demo User");
    let id = created["id"].as_str().unwrap();
    let fetched = json(api_get(&demo, &format!("/organizations/{id}"), &token).await).await;
    assert_eq!(fetched, created);

    let again = within(http().post(&url).bearer_auth(&token).json(&body).send()).await.unwrap();
    assert_eq!(again.status(), 409);
    let invalid = within(http().post(&url).bearer_auth(&token).json(&json!({ "name": 3 })).send()).await.unwrap();
    assert_eq!(invalid.status(), 422);
    let details = json(invalid).await["details"].clone();
    let locations: Vec<&str> = details.as_array().unwrap().iter().map(|d| d["location"].as_str().unwrap()).collect();
    assert_eq!(locations, ["name", "emailAddress"]);
    let read_only = self::token(&demo, "openid organizations:read").await;
    let refused = within(http().post(&url).bearer_auth(&read_only).json(&body).send()).await.unwrap();
    assert_eq!(refused.status(), 403);
}
