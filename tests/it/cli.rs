//! The command-line doors end to end, with the built binary against the test authorization server: `login
//! --no-browser` finished by the scripted browser (a forged callback first) or by a paste on stdin, `token` before
//! and after expiry, `status`, `call` with a 401 retry, `logout`; files private, no token in the log.

#![allow(clippy::unwrap_used)] // Tests may unwrap: a panic is the failure report.

mod call_bounded;
mod canary;
mod demo_server;
mod exit;
mod flows;
mod issuer_down;
mod listener_flood;
mod private_files;

use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};
use url::Url;
use zorgtui::auth::StoreConfig;
use zorgtui::auth::session::Session;
use zorgtui::auth::store::TokenStore;
use zorgtui::config::{Config, Overrides};

use crate::support::engine::within;
use crate::support::oidc::OidcServer;

/// A temp home for one zorgtui: config (none: built-in profiles), data and state dirs.
pub struct Home {
    dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home { dir: tempfile::tempdir().unwrap() }
    }

    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Writes the home's `config.toml`.
    pub fn config(&self, text: &str) {
        std::fs::write(self.dir.path().join("config.toml"), text).unwrap();
    }

    pub fn log(&self) -> String {
        std::fs::read_to_string(self.dir.path().join("state/zorgtui.log")).unwrap_or_default()
    }

    /// `zorgtui --issuer ISSUER --client-id zorgtui --scope "openid offline_access" ARGS`.
    pub fn command(&self, server: &OidcServer, args: &[&str]) -> Command {
        self.command_at(server.issuer().as_str(), server.native_client_id(), args)
    }

    /// The same for any issuer and client.
    pub fn command_at(&self, issuer: &str, client_id: &str, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zorgtui"));
        command
            .args(["--issuer", issuer, "--client-id", client_id])
            .args(["--scope", "openid offline_access"])
            .args(args)
            .env("ZORGTUI_CONFIG", self.dir.path().join("config.toml"))
            .env("ZORGTUI_DATA_DIR", self.data())
            .env("ZORGTUI_STATE_DIR", self.dir.path().join("state"))
            .env("ZORGTUI_CACHE_DIR", self.dir.path().join("cache"))
            .env("ZORGTUI_LOG", "debug")
            .env_remove("ZORGTUI_PROFILE")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    /// The home directory itself (config, data, state all live below it).
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// `zorgtui ARGS` with this home and no profile flags: the profile comes from the home's config.toml.
    pub fn bare(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_zorgtui"));
        command
            .args(args)
            .env("ZORGTUI_CONFIG", self.dir.path().join("config.toml"))
            .env("ZORGTUI_DATA_DIR", self.data())
            .env("ZORGTUI_STATE_DIR", self.dir.path().join("state"))
            .env("ZORGTUI_LOG", "trace")
            .env_remove("ZORGTUI_PROFILE")
            .env_remove("DISPLAY")
            .env_remove("WAYLAND_DISPLAY")
            .stdin(Stdio::null())
            .kill_on_drop(true);
        command
    }

    pub async fn run(&self, server: &OidcServer, args: &[&str]) -> Output {
        within(self.command(server, args).output()).await.unwrap()
    }
}

/// A running `zorgtui login`, its stderr read line by line.
pub struct Login {
    pub child: Child,
    lines: tokio::io::Lines<BufReader<tokio::process::ChildStderr>>,
    pub stderr: String,
}

impl Login {
    pub fn start(home: &Home, server: &OidcServer, args: &[&str]) -> Login {
        Login::spawn(home.command(server, &[&["login"], args].concat()))
    }

    /// `zorgtui login ARGS` with at most `files` open file descriptors (`ulimit -n`).
    pub fn start_limited(home: &Home, server: &OidcServer, args: &[&str], files: u32) -> Login {
        let direct = home.command(server, &[&["login"], args].concat());
        let direct = direct.as_std();
        let mut command = Command::new("sh");
        command
            .arg("-c")
            .arg(format!("ulimit -n {files} && exec \"$0\" \"$@\""))
            .arg(direct.get_program())
            .args(direct.get_args())
            .kill_on_drop(true);
        for (name, value) in direct.get_envs() {
            match value {
                Some(value) => command.env(name, value),
                None => command.env_remove(name),
            };
        }
        Login::spawn(command)
    }

    /// Any zorgtui command, its stderr read line by line as `login`'s is.
    pub fn spawn(mut command: Command) -> Login {
        command.stdin(Stdio::piped()).stderr(Stdio::piped()).stdout(Stdio::piped());
        let mut child = command.spawn().unwrap();
        let lines = BufReader::new(child.stderr.take().unwrap()).lines();
        Login { child, lines, stderr: String::new() }
    }

    /// Reads stderr until a line satisfies `wanted`.
    pub async fn line(&mut self, what: &str, wanted: impl Fn(&str) -> bool) -> String {
        loop {
            let line = within(self.lines.next_line()).await.unwrap();
            let Some(line) = line else { panic!("login ended before {what}; stderr:\n{}", self.stderr) };
            self.stderr.push_str(&line);
            self.stderr.push('\n');
            if wanted(&line) {
                return line;
            }
        }
    }

    /// The authorize address it printed.
    pub async fn authorize_url(&mut self) -> Url {
        let line = self.line("the authorize address", |l| l.contains("/protocol/openid-connect/auth?")).await;
        Url::parse(line.trim()).unwrap()
    }

    /// Waits for it to end; its exit status and the rest of stderr.
    pub async fn finish(mut self) -> (std::process::ExitStatus, String) {
        while let Some(line) = within(self.lines.next_line()).await.unwrap() {
            self.stderr.push_str(&line);
            self.stderr.push('\n');
        }
        let status = within(self.child.wait()).await.unwrap();
        (status, self.stderr)
    }
}

pub fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Every file under `dir` and its mode.
#[cfg(unix)]
pub fn modes(dir: &Path) -> Vec<(PathBuf, u32)> {
    use std::os::unix::fs::PermissionsExt as _;
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            let mode = std::fs::metadata(&path).unwrap().permissions().mode() & 0o777;
            if path.is_dir() {
                stack.push(path.clone());
            }
            out.push((path, mode));
        }
    }
    out
}

/// Sleeps past an access token's life.
pub async fn outlive(ttl: Duration) {
    tokio::time::sleep(ttl + Duration::from_millis(1500)).await;
}

/// Stores, for the one-off profile of `issuer` and client `zorgtui`, a session obtained `ago` seconds ago whose
/// access token works `left` more seconds (the default refresh margin is 30 s), refresh token `stored-refresh`.
pub async fn store_session(home: &Home, issuer: &str, ago: u64, left: u64) -> Session {
    let overrides = Overrides {
        issuer: Some(issuer.into()),
        client_id: Some("zorgtui".into()),
        scope: Some("openid offline_access".into()),
        ..Overrides::default()
    };
    let profile = Config::load(&home.data().join("none.toml")).unwrap().select(None, &overrides).unwrap();
    let store =
        TokenStore::new(&StoreConfig { data_dir: home.data(), key: profile.store_key(), kind: profile.token_store });
    let session = crate::support::engine::session_for(&profile.issuer, &profile.client_id, ago, left);
    within(within(store.lock()).await.unwrap().save(&session)).await.unwrap();
    session
}
