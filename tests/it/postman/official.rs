use serde_json::Value;
use zorgtui::api::postman::PATH_SEPARATOR;

use super::{PRODUCTION, SANDBOX, open, profile_of, shared};
use ratatui::crossterm::event::KeyCode;

use crate::support::drive::{press, run_until, type_keys};
use crate::support::screen::render;

/// Every request of the file, with its folder path, found by walking the JSON (not through zorgtui's reader).
fn requests_by_walking() -> Vec<(String, String, String)> {
    fn walk(items: &[Value], folder: &[String], out: &mut Vec<(String, String, String)>) {
        for item in items {
            let name = item["name"].as_str().unwrap().to_string();
            if let Some(children) = item.get("item").and_then(Value::as_array) {
                let mut path = folder.to_vec();
                path.push(name);
                walk(children, &path, out);
            } else {
                let method = item["request"]["method"].as_str().unwrap().to_string();
                out.push((folder.join(PATH_SEPARATOR), method, name));
            }
        }
    }
    let text = std::fs::read_to_string(shared("collection.json")).unwrap();
    let root: Value = serde_json::from_str(&text).unwrap();
    let mut out = Vec::new();
    walk(root["item"].as_array().unwrap(), &[], &mut out);
    out
}

#[tokio::test]
async fn all_82_requests_open_in_their_folders_with_each_environment() {
    let walked = requests_by_walking();
    assert_eq!(walked.len(), 82, "the file itself");
    for environment in [None, Some(shared(SANDBOX)), Some(shared(PRODUCTION))] {
        let opened = open(environment.as_deref()).await;
        let catalogue = &opened.collection.catalogue;
        let read: Vec<(String, String, String)> = catalogue
            .operations
            .iter()
            .map(|op| (op.tag.clone(), op.method.as_str().to_string(), op.summary.clone()))
            .collect();
        assert_eq!(read, walked, "same requests, same folders, same order");
        // Folders in their order, nested ones under their parent.
        let first: Vec<&str> = catalogue.tags.iter().take(3).map(|t| t.name.as_str()).collect();
        assert_eq!(
            first,
            [
                "Getting started",
                "Getting started / Add your organization",
                "Getting started / Add your API specification"
            ]
        );
        let me = catalogue.tags.iter().find(|t| t.name == "v1beta2 / users / me").unwrap();
        assert_eq!((me.parent.as_deref(), me.depth(catalogue)), (Some("v1beta2 / users"), 2));
        // Paths, path variables and queries as the editor takes them.
        let get_membership =
            catalogue.operations.iter().find(|o| o.summary == "Get an organization membership by ID").unwrap();
        assert_eq!(get_membership.path, "/v1beta2/organizations/{organizationId}/memberships/{membershipId}");
        let accept = catalogue.operations.iter().find(|o| o.path.ends_with(":accept")).unwrap();
        assert!(accept.path.ends_with("/{invitationId}:accept"), "{}", accept.path);
        let list = catalogue
            .operations
            .iter()
            .find(|o| o.path == "/v1beta2/organizations" && o.method.as_str() == "GET")
            .unwrap();
        let query: Vec<&str> = list.query_params().map(|p| p.name.as_str()).collect();
        assert!(query.contains(&"limit") && query.contains(&"skip") && query.contains(&"count"), "{query:?}");
        let add = &catalogue.operations[0];
        assert_eq!(add.body.as_ref().unwrap().content_type, "application/json");
        assert!(add.body.as_ref().unwrap().example.as_deref().unwrap().contains("\"name\": \"Nictiz\""));
        assert_eq!(opened.collection.scripted, 19);
        assert!(opened.collection.script_variables.contains(&"organizationId".to_string()));
        assert!(catalogue.notices.is_empty(), "{:?}", catalogue.notices);
    }
}

#[tokio::test]
async fn each_environment_picks_its_issuer_and_its_profile() {
    let cases = [
        (
            Some(shared(SANDBOX)),
            "sandbox",
            "https://auth.sandbox.zorgapis.nl/realms/zorgapis",
            "https://api.sandbox.zorgapis.nl",
            false,
        ),
        (
            Some(shared(PRODUCTION)),
            "production",
            "https://auth.zorgapis.nl/realms/zorgapis",
            "https://api.zorgapis.nl",
            true,
        ),
        // Without an environment, the collection's own variables: production's.
        (None, "production", "https://auth.zorgapis.nl/realms/zorgapis", "https://api.zorgapis.nl", true),
    ];
    for (environment, name, issuer, api, confirms) in cases {
        let opened = open(environment.as_deref()).await;
        let (profile, notices) = profile_of(&opened);
        assert!(notices.is_empty(), "{notices:?}");
        assert_eq!((profile.name.as_str(), profile.issuer.as_str(), profile.api.as_str()), (name, issuer, api));
        assert_eq!(profile.client_id, "zorgapis.postman");
        assert_eq!(profile.redirect_uri.as_deref(), Some("https://oauth.pstmn.io/v1/callback"), "the paste path");
        assert_eq!(profile.client.secret, None, "clientSecret is empty: a public client");
        assert!(profile.scope.contains("organizations:write") && profile.scope.starts_with("openid offline_access"));
        assert_eq!(profile.workspace.confirm_writes, confirms);
        let info = opened.info();
        let expected = environment.as_ref().map_or(0, |_| 18);
        assert_eq!(info.scopes.environment.len(), expected);
        assert_eq!(info.scopes.variables.iter().find(|(k, _)| k == "apiRequirementsVersionName").unwrap().1, "1.2.0");
    }
}

#[tokio::test]
async fn in_the_explorer_the_folders_the_count_the_variables_and_the_script_notice() {
    let opened = open(Some(&shared(SANDBOX))).await;
    let (profile, _) = profile_of(&opened);
    let mut driver = zorgtui::run::Driver::new(
        profile,
        opened.collection.catalogue.clone(),
        ratatui::layout::Rect::new(0, 0, 160, 48),
    );
    let info = opened.info();
    driver.state.use_collection(info.scopes, info.scripted, &info.script_variables);
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("Endpoints 82"), "{screen}");
    assert!(screen.contains("Getting started / Add your organization"), "{screen}");
    assert!(screen.contains("19 requests carry scripts; they are not run"), "{screen}");
    assert!(
        screen.contains("They set organizationId, apiSpecificationId, …: press v on that value in a response"),
        "{screen}"
    );
    assert!(screen.contains("auth.sandbox.zorgapis.nl") || screen.contains("api.sandbox.zorgapis.nl"), "{screen}");
    // A `{{apiRequirementsVersionName}}` path variable is filled from the environment, visibly.
    driver.start();
    let tx = driver.sender();
    press(&tx, KeyCode::Char('/'));
    type_keys(&tx, "requirements version by name");
    press(&tx, KeyCode::Enter);
    run_until(&mut driver, std::time::Duration::from_secs(10), |s| {
        s.catalogue.filter_input.is_none() && !s.catalogue.filter.is_empty()
    })
    .await;
    let screen = render(&driver.state, 160, 48);
    assert!(screen.contains("/v1beta2/api-requirements-versions/1.2.0"), "{screen}");
}
