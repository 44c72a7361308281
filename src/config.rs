//! Profiles: which authorization server, client and API a session talks to.
//!
//! Read from `config.toml` under the platform's config dir (`ZORGTUI_CONFIG` names another file). No file means the
//! built-in profiles (`sandbox`, the default, and `production`); a broken file is refused with the line that is wrong.

mod client;
pub mod collection_profile;
mod dirs;
mod profile;
pub mod spec_profile;
mod workspace;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use thiserror::Error;

pub use client::{ClientAuthMethod, ClientCredentials, EndpointUrls, GrantKind, SecretSource};
pub use dirs::AppDirs;
pub use profile::{Limits, Overrides, Profile, TokenStoreKind};
pub use workspace::WorkspaceSettings;

/// Why the configuration could not be used.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path} is larger than {} — a configuration is a few KB; is this the right file?", crate::text::human_bytes(*limit))]
    TooLarge { path: PathBuf, limit: u64 },
    #[error("{path}, line {line}, column {column}: {message}")]
    Syntax { path: PathBuf, line: usize, column: usize, message: String },
    #[error("no profile named `{name}` (known: {known}); add [profiles.{name}] to {path}")]
    UnknownProfile { name: String, known: String, path: PathBuf },
    #[error("profile `{profile}`: {problem}")]
    Invalid { profile: String, problem: String },
}

/// The file as written; every field optional so a file may hold only what differs from the defaults.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    default_profile: Option<String>,
    theme: Option<ThemeName>,
    #[serde(default)]
    keys: BTreeMap<String, BTreeMap<String, toml::Spanned<KeyList>>>,
    #[serde(default)]
    profiles: BTreeMap<String, profile::ProfileFile>,
}

/// `command = "key"` or `command = ["key", "key"]`.
#[derive(Debug, Deserialize)]
#[serde(untagged)]
enum KeyList {
    One(String),
    Many(Vec<String>),
}

/// Which colours the screen uses (`theme = "light"`); `NO_COLOR` in the environment means none at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ThemeName {
    #[default]
    Dark,
    Light,
}

/// One line of a `[keys.CONTEXT]` table: a command and the keys the person gives it, with where it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyRemap {
    pub context: String,
    pub command: String,
    pub keys: Vec<String>,
    pub line: usize,
    pub column: usize,
}

/// All profiles known, built-in ones completed or replaced by the file's.
#[derive(Debug, Clone)]
pub struct Config {
    pub path: PathBuf,
    pub default_profile: String,
    pub profiles: BTreeMap<String, Profile>,
    pub theme: ThemeName,
    /// The person's key bindings, checked against the commands by the app (which knows them).
    pub keys: Vec<KeyRemap>,
}

/// The largest `config.toml` read: hundreds of profiles fit in far less.
const MAX_CONFIG_BYTES: u64 = 1024 * 1024;

impl Config {
    /// Loads the file at `path`; a missing file gives the built-in profiles.
    pub fn load(path: &Path) -> Result<Config, ConfigError> {
        use std::io::Read as _;
        let read = |file: std::fs::File| -> std::io::Result<String> {
            // Read at most one byte past the limit: a 100 MB file is refused after 1 MiB, not parsed for seconds.
            let mut text = String::new();
            file.take(MAX_CONFIG_BYTES + 1).read_to_string(&mut text)?;
            Ok(text)
        };
        let text = match std::fs::File::open(path).and_then(read) {
            Ok(text) if text.len() as u64 > MAX_CONFIG_BYTES => {
                return Err(ConfigError::TooLarge { path: path.to_path_buf(), limit: MAX_CONFIG_BYTES });
            }
            Ok(text) => text,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => String::new(),
            Err(source) => return Err(ConfigError::Read { path: path.to_path_buf(), source }),
        };
        Config::parse_from(&text, path, loose_secret_file(path).as_deref())
    }

    /// Parses configuration text; `path` is only used in messages. A `client_secret` in it is taken as if the file
    /// were private: [`Config::load`] checks the file itself.
    pub fn parse(text: &str, path: &Path) -> Result<Config, ConfigError> {
        Config::parse_from(text, path, None)
    }

    fn parse_from(text: &str, path: &Path, loose_file: Option<&str>) -> Result<Config, ConfigError> {
        let file: ConfigFile = toml::from_str(text).map_err(|e| syntax_error(text, path, &e))?;
        let mut profiles = Profile::built_in();
        for (name, written) in file.profiles {
            let base = profiles.remove(&name);
            let profile = written.complete(&name, base, loose_file)?;
            profiles.insert(name, profile);
        }
        let default_profile = file.default_profile.unwrap_or_else(|| "sandbox".to_string());
        let mut keys = Vec::new();
        for (context, commands) in file.keys {
            for (command, list) in commands {
                let (line, column) = line_and_column(text, list.span().start);
                let keys_given = match list.into_inner() {
                    KeyList::One(key) => vec![key],
                    KeyList::Many(keys) => keys,
                };
                keys.push(KeyRemap { context: context.clone(), command, keys: keys_given, line, column });
            }
        }
        let theme = file.theme.unwrap_or_default();
        let config = Config { path: path.to_path_buf(), default_profile, profiles, theme, keys };
        if !config.profiles.contains_key(&config.default_profile) {
            return Err(config.unknown(&config.default_profile));
        }
        Ok(config)
    }

    /// The profile to use: the one named (or the default), with command-line overrides applied.
    pub fn select(&self, name: Option<&str>, overrides: &Overrides) -> Result<Profile, ConfigError> {
        let name = name.unwrap_or(&self.default_profile);
        let base = self.profiles.get(name).ok_or_else(|| self.unknown(name))?;
        Ok(base.clone().with_overrides(overrides))
    }

    /// An error in what the file says at `line`, `column` (the app checks the key tables and reports this way).
    pub fn error_at(&self, line: usize, column: usize, message: String) -> ConfigError {
        ConfigError::Syntax { path: self.path.clone(), line, column, message }
    }

    fn unknown(&self, name: &str) -> ConfigError {
        ConfigError::UnknownProfile {
            name: name.to_string(),
            known: self.profiles.keys().cloned().collect::<Vec<_>>().join(", "),
            path: self.path.clone(),
        }
    }
}

/// Why `path` may not hold a client secret, when it may not: a secret in a file others can read is no secret. The
/// same rules as for token files (`private_files`): a regular file of this user's, mode 0600 or tighter.
pub(crate) fn loose_secret_file(path: &Path) -> Option<String> {
    match crate::private_files::open_read(path) {
        Ok(_) => None,
        Err(crate::private_files::UntrustedFile::Loose { path, mode }) => Some(format!(
            "{path}, which others can read (mode {mode:03o}) — run chmod 600 {path}, and have the secret replaced if \
             others may have read it",
            path = path.display()
        )),
        Err(refusal) => Some(format!("{}: {refusal}", path.display())),
    }
}

/// toml's own message spans several lines with a snippet; the person gets one line with where it is.
fn syntax_error(text: &str, path: &Path, error: &toml::de::Error) -> ConfigError {
    let (line, column) = line_and_column(text, error.span().map_or(0, |span| span.start));
    let message = error.message().lines().next().unwrap_or("invalid TOML").trim().to_string();
    ConfigError::Syntax { path: path.to_path_buf(), line, column, message }
}

/// The 1-based line and column (in characters) of a byte offset.
fn line_and_column(text: &str, offset: usize) -> (usize, usize) {
    let mut end = offset.min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let before = &text[..end];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_huge_config_is_refused_quickly_with_what_it_is() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        let line = "# a comment line that makes the file big\n";
        std::fs::write(&path, line.repeat(60_000)).unwrap();
        let error = Config::load(&path).unwrap_err();
        assert!(matches!(error, ConfigError::TooLarge { .. }), "{error}");
        assert!(
            error.to_string().ends_with("is larger than 1.0 MB — a configuration is a few KB; is this the right file?"),
            "{error}"
        );
        std::fs::write(&path, "theme = \"light\"\n").unwrap();
        assert!(Config::load(&path).is_ok());
    }

    fn parse(text: &str) -> Result<Config, ConfigError> {
        Config::parse(text, Path::new("config.toml"))
    }

    #[test]
    fn no_file_gives_sandbox_by_default() {
        let config = parse("").unwrap();
        let profile = config.select(None, &Overrides::default()).unwrap();
        assert_eq!(profile.name, "sandbox");
        assert_eq!(profile.issuer, "https://auth.sandbox.zorgapis.nl/realms/zorgapis");
        assert_eq!(profile.api, "https://api.sandbox.zorgapis.nl/v1beta2");
        assert_eq!(profile.client_id, "zorgapis.postman");
        assert!(config.profiles.contains_key("production"));
    }

    #[test]
    fn a_person_adds_a_profile_and_makes_it_default() {
        let config = parse(
            "default_profile = \"mine\"\n[profiles.mine]\nissuer = \"https://idp.example/realms/x\"\n\
             api = \"https://api.example/v1\"\nclient_id = \"me\"\n",
        )
        .unwrap();
        let profile = config.select(None, &Overrides::default()).unwrap();
        assert_eq!((profile.name.as_str(), profile.client_id.as_str()), ("mine", "me"));
    }

    #[test]
    fn a_built_in_profile_can_be_partly_overridden() {
        let config = parse("[profiles.sandbox]\nclient_id = \"my-client\"\n").unwrap();
        let profile = config.select(Some("sandbox"), &Overrides::default()).unwrap();
        assert_eq!(profile.client_id, "my-client");
        assert_eq!(profile.api, "https://api.sandbox.zorgapis.nl/v1beta2");
    }

    #[test]
    fn broken_file_names_the_line() {
        let err = parse("[profiles.sandbox]\nclient_id = \"a\"\nissuer = https://x\n").unwrap_err();
        let text = err.to_string();
        assert!(text.starts_with("config.toml, line 3, column"), "{text}");
        assert!(!text.contains('\n'), "one line: {text}");
    }

    #[test]
    fn unknown_key_is_named_with_its_line() {
        let err = parse("\n[profiles.sandbox]\nisuer = \"x\"\n").unwrap_err();
        let text = err.to_string();
        assert!(text.contains("line 3") && text.contains("isuer"), "{text}");
    }

    #[test]
    fn new_profile_needs_issuer_api_and_client() {
        let err = parse("[profiles.half]\napi = \"https://api.example\"\n").unwrap_err();
        assert!(err.to_string().contains("profile `half`: missing `issuer`"), "{err}");
    }

    #[test]
    fn unknown_profile_lists_the_known_ones() {
        let config = parse("").unwrap();
        let err = config.select(Some("nope"), &Overrides::default()).unwrap_err();
        assert!(err.to_string().contains("known: production, sandbox"), "{err}");
    }

    #[test]
    fn body_limits_are_read_in_their_units() {
        let config = parse(
            "[profiles.sandbox]\nbody_memory_cap_mb = 8\nbody_disk_cap_mb = 2048\nspec_cap_mb = 100\n\
             auth_response_cap_kb = 256\n",
        )
        .unwrap();
        let limits = config.select(None, &Overrides::default()).unwrap().limits;
        assert_eq!(
            limits,
            Limits { body_memory: 8 << 20, body_disk: 2 << 30, document: 100 << 20, auth_response: 256 << 10 }
        );
        let defaults = parse("").unwrap().select(None, &Overrides::default()).unwrap().limits;
        assert_eq!(defaults, Limits::DEFAULT);
        assert_eq!(
            parse("[profiles.sandbox]\nbody_disk_cap_mb = 0\n").unwrap().profiles["sandbox"].limits.body_disk,
            1 << 20
        );
    }

    #[test]
    fn a_confidential_machine_client_and_its_endpoints() {
        let config = parse(
            "[profiles.m]\nissuer = \"https://idp.example\"\napi = \"https://api.example\"\nclient_id = \"svc\"\n\
             grant = \"client-credentials\"\nclient_secret_env = \"SVC_SECRET\"\n\
             token_endpoint = \"https://idp.example/oauth/token\"\ntoken_endpoint_auth_method = \"client_secret_post\"\n",
        )
        .unwrap();
        let profile = config.select(Some("m"), &Overrides::default()).unwrap();
        assert_eq!(profile.grant, GrantKind::ClientCredentials);
        assert_eq!(profile.client.secret, Some(SecretSource::Env("SVC_SECRET".into())));
        assert_eq!(profile.client.method, Some(ClientAuthMethod::ClientSecretPost));
        assert_eq!(profile.endpoints.token_endpoint.as_deref(), Some("https://idp.example/oauth/token"));
        let err =
            parse("[profiles.sandbox]\nclient_secret_env = \"A\"\nclient_secret_command = \"pass x\"\n").unwrap_err();
        assert!(err.to_string().contains("one way"), "{err}");
    }

    #[cfg(unix)]
    #[test]
    fn a_client_secret_in_a_file_others_can_read_is_refused_with_the_chmod() {
        use std::os::unix::fs::PermissionsExt as _;
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("config.toml");
        std::fs::write(&path, "[profiles.sandbox]\nclient_secret = \"canary-secret\"\n").unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let profile = Config::load(&path).unwrap().select(None, &Overrides::default()).unwrap();
        let Some(SecretSource::Refused(why)) = &profile.client.secret else { panic!("{:?}", profile.client) };
        assert!(why.contains(&format!("chmod 600 {}", path.display())) && !why.contains("canary"), "{why}");
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).unwrap();
        let profile = Config::load(&path).unwrap().select(None, &Overrides::default()).unwrap();
        assert_eq!(profile.client.secret, Some(SecretSource::Inline(crate::secret::Secret::new("canary-secret"))));
        assert!(!format!("{profile:?}").contains("canary"), "Debug never shows it");
    }

    #[test]
    fn overrides_win() {
        let config = parse("").unwrap();
        let overrides = Overrides { api: Some("http://127.0.0.1:9/v1".into()), ..Overrides::default() };
        assert_eq!(config.select(None, &overrides).unwrap().api, "http://127.0.0.1:9/v1");
    }
}
