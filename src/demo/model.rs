//! The demo API's resources, shaped after the ZorgAPIs v1beta2 schemas (`Organization_CreateRead`,
//! `ApiRequirementsVersion_CreateRead`, `ApiRequirement_CreateRead`, `ApiSpecification_Read`, `User_Read`).
//!
//! Typed rather than `serde_json::Value` so fields go out in the schema's order (`id` first), as the real API sends
//! them, and so a field missing from the demo assets fails the build's tests rather than a person's session.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// `BasicUser`: who created or last changed something.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BasicUser {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// `BasicResponse`: when and by whom. The assets give only the times; the loader fills in the curator.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Authorship {
    pub(crate) create_time: String,
    #[serde(default)]
    pub(crate) created_by_user_id: String,
    #[serde(default)]
    pub(crate) created_by_user: Option<BasicUser>,
    pub(crate) update_time: String,
    #[serde(default)]
    pub(crate) updated_by_user_id: String,
    #[serde(default)]
    pub(crate) updated_by_user: Option<BasicUser>,
}

impl Authorship {
    /// Both times `now`, both users `by`: a resource just created.
    pub(crate) fn created(now: &str, by: &BasicUser) -> Authorship {
        let mut authorship = Authorship {
            create_time: now.to_owned(),
            created_by_user_id: String::new(),
            created_by_user: None,
            update_time: now.to_owned(),
            updated_by_user_id: String::new(),
            updated_by_user: None,
        };
        authorship.fill_users(by);
        authorship
    }

    pub(crate) fn fill_users(&mut self, by: &BasicUser) {
        if self.created_by_user_id.is_empty() {
            self.created_by_user_id.clone_from(&by.id);
            self.created_by_user = Some(by.clone());
        }
        if self.updated_by_user_id.is_empty() {
            self.updated_by_user_id.clone_from(&by.id);
            self.updated_by_user = Some(by.clone());
        }
    }
}

/// `User_Read`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct UserRead {
    pub(crate) id: String,
    pub(crate) name: String,
    #[serde(flatten)]
    pub(crate) authorship: Authorship,
}

/// `Address`.
#[allow(clippy::struct_field_names)] // The names are the schema's.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Address {
    pub(crate) street: Option<String>,
    pub(crate) house_number: Option<u32>,
    pub(crate) house_number_addition: Option<String>,
    pub(crate) address_line2: Option<String>,
    pub(crate) postal_code: Option<String>,
    pub(crate) city: Option<String>,
    pub(crate) state_or_region: Option<String>,
    /// `Country` is not nullable in the spec: absent rather than `null`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) country: Option<String>,
}

/// `Organization_CreateRead`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Organization {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) website: Option<String>,
    pub(crate) github_url: Option<String>,
    pub(crate) gitlab_url: Option<String>,
    pub(crate) email_address: String,
    pub(crate) phone_number: Option<String>,
    pub(crate) address: Option<Address>,
    #[serde(flatten)]
    pub(crate) authorship: Authorship,
}

/// `SemVer`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct SemVer {
    pub(crate) major: u32,
    pub(crate) minor: u32,
    pub(crate) patch: u32,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) pre_release: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) build: Option<String>,
}

/// `ApiRequirementsVersion_CreateRead` as read (its `apiRequirements` is write-only).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequirementsVersion {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    #[serde(default)]
    pub(crate) url: String,
    pub(crate) publish_time: String,
    pub(crate) sem_ver: SemVer,
    pub(crate) lifecycle_state: String,
    #[serde(flatten)]
    pub(crate) authorship: Authorship,
}

/// `ApiRequirement_CreateRead`.
#[allow(clippy::struct_field_names)] // The names are the schema's.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Requirement {
    pub(crate) id: String,
    pub(crate) code: String,
    pub(crate) description: String,
    pub(crate) explanation: Option<String>,
    pub(crate) url: String,
    pub(crate) requirement_level: String,
    pub(crate) score: u32,
    pub(crate) category: String,
    pub(crate) roles: Vec<String>,
    pub(crate) perspective_types: Vec<String>,
    pub(crate) architectural_styles: Vec<String>,
    pub(crate) standardization_levels: Vec<String>,
    #[serde(flatten)]
    pub(crate) authorship: Authorship,
}

/// `BasicOrganization`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct BasicOrganization {
    pub(crate) id: String,
    pub(crate) name: String,
}

/// `ApiSpecification_Read`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Specification {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) organization_id: String,
    #[serde(default)]
    pub(crate) organization: Option<BasicOrganization>,
    pub(crate) architectural_style: String,
    pub(crate) main_version_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) main_version: Option<MainVersion>,
    #[serde(flatten)]
    pub(crate) authorship: Authorship,
}

/// `MainApiSpecificationVersion`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct MainVersion {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) publish_time: String,
    pub(crate) sem_ver: SemVer,
    pub(crate) lifecycle_state: String,
    pub(crate) urls: Vec<VersionUrl>,
    pub(crate) communication_standard_versions: Vec<Value>,
    pub(crate) information_standard_versions: Vec<Value>,
    pub(crate) trust_framework_versions: Vec<Value>,
    pub(crate) last_declaration_of_conformity: Declaration,
}

/// `BasicApiSpecificationVersionUrl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct VersionUrl {
    pub(crate) id: String,
    #[serde(rename = "type")]
    pub(crate) kind: String,
    pub(crate) url: String,
}

/// `BasicApiSpecificationVersionDeclarationOfConformity`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Declaration {
    pub(crate) id: String,
    pub(crate) requirements_version: String,
    pub(crate) ranking_level: String,
    pub(crate) rankings: BTreeMap<String, Ranking>,
}

/// `ApiRanking`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Ranking {
    pub(crate) score: u32,
    pub(crate) maximum_score: u32,
}
