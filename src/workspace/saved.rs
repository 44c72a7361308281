//! Saved requests: a plain TOML file per profile beside `config.toml` (`requests/PROFILE.toml`), for people to
//! read, edit by hand and commit. A request names its operation by method and path template, and holds the values
//! typed for it; `{{name}}` in any of them is a variable, resolved when it is sent. Credentials never go in: the
//! `Authorization`, `Cookie` and `Proxy-Authorization` headers are left out, and the session's token and the client
//! secret are replaced by value (see `scrub`).

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};

use super::WorkspaceError;
use super::scrub::{Scrubber, is_secret_header};

/// A saved request file past this is not one a person wrote.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// One saved request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SavedRequest {
    pub name: String,
    /// `GET`, `POST`, …
    pub method: String,
    /// The operation's path template, as the spec writes it: `/organizations/{organizationId}/invitations`.
    pub path: String,
    /// Values of the path's `{parameters}`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub path_params: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub query: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub headers: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

impl SavedRequest {
    /// The operation it is for, as the catalogue keys operations: `GET /organizations`.
    pub fn operation_key(&self) -> String {
        format!("{} {}", self.method.to_ascii_uppercase(), self.path)
    }

    /// Without credentials: their headers dropped, known secrets replaced. Returns how many were taken out.
    pub fn scrubbed(mut self, scrub: &Scrubber) -> (SavedRequest, usize) {
        let mut count = 0;
        let before = self.headers.len();
        self.headers.retain(|name, _| !is_secret_header(name));
        count += before - self.headers.len();
        for value in self.path_params.values_mut().chain(self.query.values_mut()).chain(self.headers.values_mut()) {
            let (clean, n) = scrub.text(value);
            if n > 0 {
                *value = clean.into_owned();
                count += n;
            }
        }
        if let Some(body) = &mut self.body {
            let (clean, n) = scrub.text(body);
            if n > 0 {
                *body = clean.into_owned();
                count += n;
            }
        }
        (self, count)
    }
}

#[derive(Debug, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct SavedFile {
    #[serde(default, rename = "request")]
    requests: Vec<SavedRequest>,
}

/// The saved requests in `path`; none when there is no file.
pub fn load(path: &Path) -> Result<Vec<SavedRequest>, WorkspaceError> {
    use std::io::Read as _;
    let file = match std::fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(e) => return Err(WorkspaceError::io("read", path, &e)),
    };
    let mut text = String::new();
    file.take(MAX_FILE_BYTES).read_to_string(&mut text).map_err(|e| WorkspaceError::io("read", path, &e))?;
    let file: SavedFile = toml::from_str(&text).map_err(|e| WorkspaceError::toml(path, &text, &e))?;
    for request in &file.requests {
        if crate::api::Method::parse(&request.method).is_none() {
            return Err(WorkspaceError::Invalid {
                path: path.to_path_buf(),
                message: format!("request `{}`: `{}` is not an HTTP method", request.name, request.method),
            });
        }
    }
    Ok(file.requests)
}

/// Writes `requests` to `path` (atomically; a failure leaves the file as it was), with a heading that says what the
/// file is.
pub fn save(path: &Path, requests: &[SavedRequest], profile: &str) -> Result<(), WorkspaceError> {
    let file = SavedFile { requests: requests.to_vec() };
    let body = toml::to_string(&file).map_err(|e| WorkspaceError::Invalid {
        path: path.to_path_buf(),
        message: format!("cannot be written: {e}"),
    })?;
    let text = format!(
        "# Saved requests of zorgtui profile `{profile}`: read, edit and commit freely (no secrets go in).\n\
         # Each names its operation by method and path template; {{{{name}}}} in a value is a variable.\n\n{body}"
    );
    super::atomic::write_shared(path, text.as_bytes())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secret::Secret;

    fn request(name: &str) -> SavedRequest {
        SavedRequest {
            name: name.into(),
            method: "POST".into(),
            path: "/organizations/{organizationId}/invitations".into(),
            path_params: [("organizationId".to_string(), "{{organizationId}}".to_string())].into(),
            query: BTreeMap::new(),
            headers: [("Accept".to_string(), "application/json".to_string())].into(),
            body: Some("{\n  \"emailAddress\": \"john.doe@nictiz.nl\"\n}".into()),
        }
    }

    #[test]
    fn saved_requests_round_trip_through_a_file_people_can_read() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("requests/sandbox.toml");
        assert!(load(&path).unwrap().is_empty());
        save(&path, &[request("invite John"), request("again")], "sandbox").unwrap();
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.starts_with("# Saved requests of zorgtui profile `sandbox`"), "{text}");
        assert!(text.contains("[[request]]") && text.contains("name = \"invite John\""), "{text}");
        assert!(text.contains("{{organizationId}}"), "{text}");
        assert_eq!(load(&path).unwrap(), vec![request("invite John"), request("again")]);
    }

    #[test]
    fn a_file_edited_by_hand_is_read_and_a_broken_one_named_with_its_line() {
        let temp = tempfile::tempdir().unwrap();
        let path = temp.path().join("mine.toml");
        std::fs::write(
            &path,
            "[[request]]\nname = \"me\"\nmethod = \"get\"\npath = \"/users/me\"\n\n[[request]]\nname = \"orgs\"\n\
             method = \"GET\"\npath = \"/organizations\"\nquery = { limit = \"10\", count = \"true\" }\n",
        )
        .unwrap();
        let requests = load(&path).unwrap();
        assert_eq!(requests[0].operation_key(), "GET /users/me");
        assert_eq!(requests[1].query["count"], "true");
        std::fs::write(&path, "[[request]]\nname = \"x\"\nmethod = \"FETCH\"\npath = \"/\"\n").unwrap();
        assert!(load(&path).unwrap_err().to_string().contains("`FETCH` is not an HTTP method"));
        std::fs::write(&path, "[[request]]\nname = \"x\"\n\nmethod = GET\n").unwrap();
        let error = load(&path).unwrap_err().to_string();
        assert!(error.contains("line 4"), "{error}");
    }

    #[test]
    fn credentials_never_go_in() {
        let scrub = Scrubber::new([&Secret::new("canary-token-99")]);
        let mut saved = request("x");
        saved.headers.insert("Authorization".into(), "Bearer canary-token-99".into());
        saved.headers.insert("X-Echo".into(), "canary-token-99".into());
        saved.body = Some("{\"t\":\"canary-token-99\"}".into());
        let (clean, count) = saved.scrubbed(&scrub);
        assert_eq!(count, 3);
        assert!(!clean.headers.contains_key("Authorization"));
        assert_eq!(clean.headers["X-Echo"], "<redacted>");
        assert!(!format!("{clean:?}").contains("canary"));
    }
}
