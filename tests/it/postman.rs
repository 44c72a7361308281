//! The Postman collection the ZorgAPIs docs hand out (`../shared/zorgapis/postman/`), opened as it is: with each of
//! its environments, all 82 requests in their folders (counted here by walking the JSON itself), the variables
//! resolved, the issuer sign-in goes to; signed in and a request sent against the demo and against oidc-provider
//! with only Postman's redirect registered (the paste path). And collections of other shapes, written here.

mod official;
mod other_shapes;
mod send;

use std::path::{Path, PathBuf};

use zorgtui::config::{Config, Overrides, Profile};
use zorgtui::run::collection::OpenedCollection;

pub fn shared(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/zorgapis/postman").join(name)
}

pub const SANDBOX: &str = "sandbox-environment.json";
pub const PRODUCTION: &str = "production-environment.json";

pub fn config() -> Config {
    Config::parse("", Path::new("config.toml")).unwrap()
}

/// The official collection with `environment` (a file name under the shared folder, or a path), as `--collection`
/// and `--environment` open it.
pub async fn open(environment: Option<&Path>) -> OpenedCollection {
    let mut profile = Profile::built_in().remove("sandbox").unwrap();
    profile.collection = Some(shared("collection.json").display().to_string());
    profile.environment = environment.map(|p| p.display().to_string());
    crate::support::engine::within(OpenedCollection::open(&profile)).await.unwrap().unwrap()
}

/// The profile `--collection` (no `--profile`) gives.
pub fn profile_of(opened: &OpenedCollection) -> (Profile, Vec<String>) {
    opened.profile(&config(), None, &Overrides::default())
}
