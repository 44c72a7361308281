//! Opening the Postman collection a profile or `--collection` names, with its environment: read before the first
//! frame (a file at once, a URL through the bounded reader), so that its API and sign-in decide the profile. With
//! `--demo`, the demo servers stand in for the environment's `baseAuthUrl` and `baseApiUrl`, serving the realm, the
//! client and the redirect the collection names.

use std::path::PathBuf;

use anyhow::Context as _;

use crate::api::postman::{self, Collection, Environment};
use crate::app::day::CollectionScopes;
use crate::config::collection_profile::{self, Opened};
use crate::config::{Config, Overrides, Profile};
use crate::demo::{DemoOptions, DemoServers, PasteClient};

/// The variables a demo stands in for.
const AUTH_VARIABLE: &str = "baseAuthUrl";
const API_VARIABLE: &str = "baseApiUrl";

/// A collection and its environment, as read.
#[derive(Debug, Clone)]
pub struct OpenedCollection {
    pub collection: Collection,
    pub environment: Option<Environment>,
    pub collection_file: Option<PathBuf>,
    pub environment_file: Option<PathBuf>,
}

/// What the explorer needs of an open collection beyond its catalogue.
#[derive(Debug, Clone, Default)]
pub struct CollectionInfo {
    pub scopes: CollectionScopes,
    pub scripted: usize,
    pub script_variables: Vec<String>,
}

impl OpenedCollection {
    /// The collection `profile` names (`collection`, `--collection`) and its environment; `None` when it names none.
    pub async fn open(profile: &Profile) -> anyhow::Result<Option<OpenedCollection>> {
        let Some(source) = &profile.collection else { return Ok(None) };
        let limit = profile.limits.document;
        let (collection, collection_file) = if crate::api::spec_source::is_url(source) {
            let http =
                crate::http::Http::new(&crate::http::HttpSettings::for_profile(profile), crate::http::Purpose::Api)
                    .context("no HTTP client for the collection")?;
            (postman::fetch_collection(&http, source).await?, None)
        } else {
            let path = PathBuf::from(source);
            (postman::load_collection(&path, limit)?, Some(path))
        };
        let (environment, environment_file) = match &profile.environment {
            Some(file) => {
                let path = PathBuf::from(file);
                (Some(postman::load_environment(&path, limit)?), Some(path))
            }
            None => (None, None),
        };
        Ok(Some(OpenedCollection { collection, environment, collection_file, environment_file }))
    }

    /// The profile it brings (see `config::collection_profile`), and what to tell the person.
    pub fn profile(&self, config: &Config, named: Option<&Profile>, overrides: &Overrides) -> (Profile, Vec<String>) {
        let opened = Opened {
            collection: &self.collection,
            environment: self.environment.as_ref(),
            collection_file: self.collection_file.as_deref(),
            environment_file: self.environment_file.as_deref(),
        };
        let (mut profile, notices) = collection_profile::for_collection(config, named, &opened, overrides);
        profile.collection = named.and_then(|n| n.collection.clone()).or(profile.collection).or_else(|| {
            self.collection_file
                .as_ref()
                .map(|p| p.display().to_string())
                .or(Some(self.collection.catalogue.source.clone()))
        });
        (profile, notices)
    }

    pub fn info(&self) -> CollectionInfo {
        let environment = self.environment.clone().unwrap_or_default();
        CollectionInfo {
            scopes: CollectionScopes {
                environment_name: environment.name,
                environment: environment.values,
                variables: self.collection.variables.clone(),
            },
            scripted: self.collection.scripted,
            script_variables: self.collection.script_variables.clone(),
        }
    }

    fn resolve(&self, text: &str) -> String {
        postman::substitute(text, postman::lookup(self.environment.as_ref(), &self.collection.variables))
    }

    /// The demo's options for this collection: the realm its `authUrl` names (`…/realms/zorgapis/…`), and its client
    /// with its redirect when that is not a loopback one (Postman's callback page).
    pub fn demo_options(&self, options: DemoOptions) -> DemoOptions {
        let Some(oauth2) = &self.collection.oauth2 else { return options };
        let auth_url = self.resolve(&oauth2.auth_url);
        let realm = auth_url
            .split_once("/realms/")
            .and_then(|(_, rest)| rest.split('/').next())
            .filter(|r| !r.is_empty() && !r.contains("{{"))
            .map_or(options.realm.clone(), str::to_string);
        let redirect = self.resolve(&oauth2.redirect_uri);
        let client_id = self.resolve(&oauth2.client_id);
        let not_loopback = url::Url::parse(&redirect).is_ok_and(|u| !crate::http::is_loopback(&u));
        let paste_client = (not_loopback && !client_id.is_empty() && !client_id.contains("{{"))
            .then_some(PasteClient { client_id, redirect_uri: redirect });
        DemoOptions { realm, paste_client, ..options }
    }

    /// The profile for the demo standing in for this collection's servers (see [`OpenedCollection::stand_in`]):
    /// named `demo`, and its API trusted as the demo's own.
    pub fn demo_profile(
        &mut self,
        servers: &DemoServers,
        config: &Config,
        overrides: &Overrides,
    ) -> (Profile, Vec<String>) {
        self.stand_in(servers);
        let (mut profile, notices) = self.profile(config, None, overrides);
        profile.name = "demo".to_string();
        profile.origins.api = crate::config::spec_profile::Origin::Profile;
        (profile, notices)
    }

    /// The environment with the demo's servers in place of `baseAuthUrl` and `baseApiUrl`: the demo's API serves
    /// `/v1beta2/…` under its origin, as ZorgAPIs does.
    pub fn stand_in(&mut self, servers: &DemoServers) {
        let environment =
            self.environment.get_or_insert_with(|| Environment { name: "demo".into(), values: Vec::new() });
        environment.set(AUTH_VARIABLE, &format!("http://{}", servers.auth_addr()));
        environment.set(API_VARIABLE, &format!("http://{}", servers.api_addr()));
        environment.name = format!("{} (demo)", environment.name);
        // The demo's values are not from a file: a client secret in the collection is not the demo's.
        self.environment_file = None;
    }
}
