//! A profile's variables: values carried from one request to the next (`organizationId` of the organization just
//! made), written `{{name}}` in any field. Kept across runs in `DATA/variables/PROFILE.toml`, 0600: they are what a
//! person did, and may be worth keeping to oneself.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::WorkspaceError;
use crate::private_files;

/// A variables file past this is not one of ours.
const MAX_FILE_BYTES: u64 = 4 << 20;

/// Names and values.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Variables {
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
}

/// Whether `name` can be a variable's name: letters, digits, `_`, `-` and `.`, as `{{name}}` is written.
pub fn valid_name(name: &str) -> bool {
    !name.is_empty() && name.chars().all(|c| c.is_alphanumeric() || matches!(c, '_' | '-' | '.'))
}

impl Variables {
    pub fn get(&self, name: &str) -> Option<&str> {
        self.variables.get(name).map(String::as_str)
    }

    pub fn set(&mut self, name: &str, value: &str) {
        self.variables.insert(name.to_string(), value.to_string());
    }

    pub fn remove(&mut self, name: &str) -> bool {
        self.variables.remove(name).is_some()
    }

    pub fn len(&self) -> usize {
        self.variables.len()
    }

    pub fn is_empty(&self) -> bool {
        self.variables.is_empty()
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.variables.iter().map(|(n, v)| (n.as_str(), v.as_str()))
    }

    /// The variables in `path` (a private file); none when there is none.
    pub fn load(path: &Path) -> Result<Variables, WorkspaceError> {
        let Some(text) = private_files::read_to_string(path, MAX_FILE_BYTES)? else { return Ok(Variables::default()) };
        toml::from_str(&text).map_err(|e| WorkspaceError::toml(path, &text, &e))
    }

    /// Writes them to `path`, 0600 in a 0700 directory, atomically.
    pub fn save(&self, path: &Path, profile: &str) -> Result<(), WorkspaceError> {
        let body = toml::to_string(self).map_err(|e| WorkspaceError::Invalid {
            path: path.to_path_buf(),
            message: format!("cannot be written: {e}"),
        })?;
        let text = format!(
            "# Variables of zorgtui profile `{profile}`: {{{{name}}}} in a request is replaced by its value.\n\n{body}"
        );
        super::atomic::write_private(path, text.as_bytes())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_are_kept_in_a_private_file_across_runs() {
        use std::os::unix::fs::PermissionsExt as _;
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("variables/sandbox.toml");
        assert!(Variables::load(&path).unwrap().is_empty());
        let mut vars = Variables::default();
        vars.set("organizationId", "5c1a");
        vars.set("invitationId", "88411780-1d25");
        vars.save(&path, "sandbox").unwrap();
        let again = Variables::load(&path).unwrap();
        assert_eq!(again, vars);
        assert_eq!(again.get("organizationId"), Some("5c1a"));
        assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains("[variables]") && text.contains("organizationId = \"5c1a\""), "{text}");
    }

    #[test]
    fn names_are_what_braces_can_hold() {
        assert!(valid_name("organizationId") && valid_name("a.b-c_1"));
        assert!(!valid_name("") && !valid_name("a b") && !valid_name("{x}"));
    }
}
