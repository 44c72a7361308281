//! The demo data (`assets/demo/*.json`, written by us), parsed once per process and shared by every demo run.

use std::collections::HashMap;
use std::sync::{Arc, LazyLock};

use serde::Deserialize;
use serde_json::{Map, Value};

use super::DemoError;
use super::ids::stable_uuid;
use super::model::{
    Authorship, BasicOrganization, BasicUser, Organization, Requirement, RequirementsVersion, Specification, UserRead,
};

const USERS: &str = include_str!("../../assets/demo/users.json");
const ORGANIZATIONS: &str = include_str!("../../assets/demo/organizations.json");
const API_REQUIREMENTS: &str = include_str!("../../assets/demo/api-requirements.json");
const API_SPECIFICATIONS: &str = include_str!("../../assets/demo/api-specifications.json");

static DATA: LazyLock<Result<Arc<DemoData>, String>> = LazyLock::new(|| DemoData::load().map(Arc::new));

/// The parsed demo data; the first call parses, later ones share it.
pub(crate) fn shared() -> Result<Arc<DemoData>, DemoError> {
    DATA.as_ref().map(Arc::clone).map_err(|message| DemoError::Data(message.clone()))
}

/// Everything the demo API serves at start.
#[derive(Debug)]
pub(crate) struct DemoData {
    pub(crate) organizations: Vec<Organization>,
    /// In the assets' order; the API sorts per request.
    pub(crate) versions: Vec<RequirementsVersion>,
    /// Requirements of each version, by version name.
    pub(crate) requirements: HashMap<String, Vec<Requirement>>,
    pub(crate) specifications: Vec<Specification>,
    me: UserSeed,
}

#[derive(Debug, Deserialize)]
struct Users {
    me: UserSeed,
    curator: BasicUser,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "camelCase")]
struct UserSeed {
    id: String,
    preferred_username: String,
    email_address: String,
    create_time: String,
    update_time: String,
}

/// The assets' compact form of the requirements: each written once, with the versions it belongs to.
#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequirementsAsset {
    documentation_base: String,
    versions: Vec<RequirementsVersion>,
    requirements: Vec<RequirementAsset>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RequirementAsset {
    code: String,
    /// First version that has it.
    since: String,
    /// Last version that has it; absent while current.
    until: Option<String>,
    description: String,
    explanation: Option<String>,
    requirement_level: String,
    score: u32,
    category: String,
    roles: Vec<String>,
    perspective_types: Vec<String>,
    architectural_styles: Vec<String>,
    standardization_levels: Vec<String>,
}

fn parse<T: for<'de> Deserialize<'de>>(file: &str, text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|error| format!("assets/demo/{file}: {error}"))
}

impl DemoData {
    fn load() -> Result<DemoData, String> {
        let users: Users = parse("users.json", USERS)?;
        let curator = users.curator;
        let mut organizations: Vec<Organization> = parse("organizations.json", ORGANIZATIONS)?;
        for organization in &mut organizations {
            organization.authorship.fill_users(&curator);
        }
        let asset: RequirementsAsset = parse("api-requirements.json", API_REQUIREMENTS)?;
        let (versions, requirements) = expand_requirements(&asset, &curator)?;
        let mut specifications: Vec<Specification> = parse("api-specifications.json", API_SPECIFICATIONS)?;
        for specification in &mut specifications {
            let owner = organizations
                .iter()
                .find(|organization| organization.id == specification.organization_id)
                .ok_or_else(|| format!("api specification {} names an unknown organization", specification.name))?;
            specification.organization = Some(BasicOrganization { id: owner.id.clone(), name: owner.name.clone() });
            specification.authorship.fill_users(&curator);
        }
        Ok(DemoData { organizations, versions, requirements, specifications, me: users.me })
    }
}

/// The versions, and each version's requirements by its name.
type Expanded = (Vec<RequirementsVersion>, HashMap<String, Vec<Requirement>>);

/// Per version: its documentation URL, and the requirements it holds, each with a stable id of its own.
fn expand_requirements(asset: &RequirementsAsset, curator: &BasicUser) -> Result<Expanded, String> {
    let position = |name: &str| {
        asset
            .versions
            .iter()
            .position(|version| version.name == name)
            .ok_or_else(|| format!("a requirement names an unknown version {name}"))
    };
    let mut spans = Vec::with_capacity(asset.requirements.len());
    for requirement in &asset.requirements {
        let first = position(&requirement.since)?;
        let last = requirement.until.as_deref().map_or(Ok(usize::MAX), position)?;
        spans.push((first, last));
    }
    let base = asset.documentation_base.trim_end_matches('/');
    let mut versions = asset.versions.clone();
    let mut by_version = HashMap::new();
    for (index, version) in versions.iter_mut().enumerate() {
        version.url = format!("{base}/v{}/", version.name);
        version.authorship.fill_users(curator);
        let held = asset
            .requirements
            .iter()
            .zip(&spans)
            .filter(|(_, (first, last))| (*first..=*last).contains(&index))
            .map(|(requirement, _)| Requirement {
                id: stable_uuid(&format!("zorgtui-demo/api-requirement/{}/{}", version.name, requirement.code)),
                code: requirement.code.clone(),
                description: requirement.description.clone(),
                explanation: requirement.explanation.clone(),
                url: format!(
                    "{base}/v{}/{}/#{}",
                    version.name,
                    requirement.category.to_ascii_lowercase().replace('_', "-"),
                    requirement.code.to_ascii_lowercase()
                ),
                requirement_level: requirement.requirement_level.clone(),
                score: requirement.score,
                category: requirement.category.clone(),
                roles: requirement.roles.clone(),
                perspective_types: requirement.perspective_types.clone(),
                architectural_styles: requirement.architectural_styles.clone(),
                standardization_levels: requirement.standardization_levels.clone(),
                authorship: version.authorship.clone(),
            })
            .collect();
        by_version.insert(version.name.clone(), held);
    }
    Ok((versions, by_version))
}

/// The one person who signs in to the demo.
#[derive(Debug, Clone)]
pub(crate) struct DemoUser {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) preferred_username: String,
    pub(crate) email: String,
    create_time: String,
    update_time: String,
}

impl DemoUser {
    pub(crate) fn new(data: &DemoData, name: &str) -> DemoUser {
        let seed = &data.me;
        let name = name.trim();
        DemoUser {
            id: seed.id.clone(),
            name: if name.is_empty() { "Demo User".to_owned() } else { name.to_owned() },
            preferred_username: seed.preferred_username.clone(),
            email: seed.email_address.clone(),
            create_time: seed.create_time.clone(),
            update_time: seed.update_time.clone(),
        }
    }

    pub(crate) fn basic(&self) -> BasicUser {
        BasicUser { id: self.id.clone(), name: self.name.clone() }
    }

    /// `GET /users/me`.
    pub(crate) fn read(&self) -> UserRead {
        let mut authorship = Authorship::created(&self.create_time, &self.basic());
        authorship.update_time.clone_from(&self.update_time);
        UserRead { id: self.id.clone(), name: self.name.clone(), authorship }
    }

    /// OpenID Connect standard claims (`userinfo`, id token).
    pub(crate) fn claims(&self) -> Map<String, Value> {
        let (given, family) = self.name.split_once(' ').unwrap_or((self.name.as_str(), ""));
        let mut claims = Map::new();
        claims.insert("sub".into(), self.id.clone().into());
        claims.insert("name".into(), self.name.clone().into());
        claims.insert("given_name".into(), given.into());
        claims.insert("family_name".into(), family.into());
        claims.insert("preferred_username".into(), self.preferred_username.clone().into());
        claims.insert("email".into(), self.email.clone().into());
        claims.insert("email_verified".into(), true.into());
        claims
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn assets_parse_and_hold_enough_to_show() {
        let data = shared().unwrap();
        assert!(data.organizations.len() >= 5);
        assert!((3..=4).contains(&data.versions.len()));
        for version in &data.versions {
            let held = &data.requirements[&version.name];
            assert!((18..=30).contains(&held.len()), "{}: {}", version.name, held.len());
            assert!(held.iter().any(|r| r.requirement_level == "MUST"));
            assert!(version.url.starts_with("https://"));
        }
        assert!(data.specifications.iter().all(|s| s.organization.is_some()));
    }

    #[test]
    fn requirement_ids_are_unique_across_versions() {
        let data = shared().unwrap();
        let mut ids: Vec<&str> = data.requirements.values().flatten().map(|r| r.id.as_str()).collect();
        let count = ids.len();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), count);
    }
}
