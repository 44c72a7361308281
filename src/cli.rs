//! The command line: flags shared by every door, and the subcommands.

mod call;
mod call_credentials;
mod demo_server;
mod history;
mod login;
mod secret;
mod session;
mod token;
mod view;

use clap::{Parser, Subcommand};

use crate::config::{AppDirs, Overrides, Profile};

/// A terminal UI for exploring OAuth-protected HTTP APIs, made first for ZorgAPIs.
#[derive(Debug, Parser)]
#[command(name = "zorgtui", version, about, long_about = None)]
pub struct Args {
    /// Profile from config.toml (default: `default_profile`, else `sandbox`).
    #[arg(long, global = true, env = "ZORGTUI_PROFILE")]
    pub profile: Option<String>,
    /// Authorization server (issuer URL); with --client-id makes a one-off profile.
    #[arg(long, global = true)]
    pub issuer: Option<String>,
    /// OAuth client id.
    #[arg(long, global = true)]
    pub client_id: Option<String>,
    /// Scopes to ask for, space-separated.
    #[arg(long, global = true)]
    pub scope: Option<String>,
    /// API base URL requests go to.
    #[arg(long, global = true)]
    pub api: Option<String>,
    /// OpenAPI 3.0/3.1 document (file or URL, YAML or JSON) instead of the built-in ZorgAPIs catalogue.
    #[arg(long, global = true, value_name = "PATH|URL")]
    pub spec: Option<String>,
    /// A Postman collection (v2.1 JSON, file or URL) to open as the catalogue; its `oauth2` auth signs in.
    #[arg(long, global = true, value_name = "FILE|URL", conflicts_with = "spec")]
    pub collection: Option<String>,
    /// A Postman environment file (Sandbox, Production, …) whose values the collection's `{{variables}}` take.
    #[arg(long, global = true, value_name = "FILE")]
    pub environment: Option<String>,
    /// How tokens are obtained: `authorization-code` (a person signs in) or `client-credentials` (the client signs
    /// in as itself, no browser); `_` and `-` both do.
    #[arg(long, global = true, value_parser = crate::config::GrantKind::parse)]
    pub grant: Option<crate::config::GrantKind>,
    /// Run against an authorization server and an API started in-process on 127.0.0.1: no account, no network.
    #[arg(long)]
    pub demo: bool,
    /// Never open a browser: show the sign-in address to open elsewhere (automatic over SSH or without a display).
    #[arg(long, global = true)]
    pub no_browser: bool,
    #[command(subcommand)]
    pub command: Option<Command>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the demo authorization server and API in the foreground, printing their addresses.
    DemoServer {
        /// Port for the authorization server (default: any free one).
        #[arg(long)]
        auth_port: Option<u16>,
        /// Port for the API (default: any free one).
        #[arg(long)]
        api_port: Option<u16>,
        /// Access token lifetime in seconds.
        #[arg(long, default_value_t = 60)]
        token_seconds: u64,
    },
    /// Sign in: prints the sign-in address to stderr; finish in the browser, or paste the address it landed on.
    Login {
        /// Sign in with a code on another device (RFC 8628 device grant) instead of a browser here.
        #[arg(long)]
        device: bool,
        /// Sign in as someone else: the server asks for credentials again even if the browser is still signed in
        /// there (prompt=login).
        #[arg(long)]
        switch_user: bool,
    },
    /// Print a valid access token (refreshed if due) to stdout; exit 1 with the reason if there is none.
    Token {
        /// Print what the tokens say instead (JSON: header and payload of the access and ID tokens, times as local
        /// time and "in 4 min"), with the server's introspection and userinfo answers where it offers them.
        #[arg(long)]
        decode: bool,
        /// With --decode: add the raw tokens too.
        #[arg(long, requires = "decode")]
        raw: bool,
    },
    /// Show who is signed in, the scopes and the expiry times (no network).
    Status {
        /// Print the decoded tokens as JSON instead (offline: nothing is asked of the server).
        #[arg(long)]
        claims: bool,
    },
    /// Revoke the refresh token where the issuer offers it, forget the stored session, and end the session at the
    /// server where it offers that (the address goes to stderr; zorgtui waits a while for the browser to come back).
    Logout,
    /// The client secret of a confidential client in the OS keyring (with client_secret_keyring = true).
    Secret {
        #[command(subcommand)]
        action: SecretAction,
    },
    /// Send one API request with the session's token: JSON body to stdout, status and timing to stderr.
    Call {
        /// GET, POST, PUT, PATCH, DELETE, ...
        method: String,
        /// Path under the API base URL, e.g. `/users/me`.
        path: String,
        /// Query parameter, repeatable.
        #[arg(long = "query", value_name = "NAME=VALUE")]
        query: Vec<String>,
        /// Request header, repeatable.
        #[arg(long = "header", value_name = "NAME:VALUE")]
        header: Vec<String>,
        /// Request body from a file, or `-` for stdin.
        #[arg(long, value_name = "FILE|-")]
        body: Option<String>,
        /// Keep the exchange in the profile's history, as the TUI does (unless the profile says `history = false`).
        #[arg(long)]
        history: bool,
    },
    /// List the profile's history, newest first: id, age, method, status, size, path.
    History {
        /// Print this exchange whole (JSON, its credentials redacted) instead of the list.
        #[arg(long, value_name = "ID")]
        show: Option<String>,
        /// At most this many lines.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
    /// Inspect a JSON file (or `-`: what is piped in) full screen: fold, search, filter with jq, copy, save.
    View {
        /// The file to show; `-` or nothing reads stdin.
        file: Option<std::path::PathBuf>,
    },
    /// Print the shell completion script: `zorgtui completions bash > ~/.local/share/bash-completion/completions/zorgtui`.
    Completions {
        /// bash, zsh, fish, elvish or powershell.
        shell: clap_complete::Shell,
    },
    /// Print the manual page (roff): `zorgtui man > ~/.local/share/man/man1/zorgtui.1`.
    Man,
}

/// Writes what `completions` and `man` print, which need no configuration: `true` when `command` was one of them.
pub fn print_documents(command: &Command, out: &mut impl std::io::Write) -> std::io::Result<bool> {
    use clap::CommandFactory as _;
    match command {
        Command::Completions { shell } => {
            // Generated into memory: clap_complete panics on a write error (a closed pipe), a person's shell not.
            let mut script = Vec::new();
            clap_complete::generate(*shell, &mut Args::command(), "zorgtui", &mut script);
            quietly(out.write_all(&script))?;
            Ok(true)
        }
        Command::Man => {
            let mut page = Vec::new();
            clap_mangen::Man::new(Args::command()).render(&mut page)?;
            quietly(out.write_all(&page))?;
            Ok(true)
        }
        _ => Ok(false),
    }
}

/// `zorgtui man | head` closing the pipe early is not a failure.
fn quietly(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

#[derive(Debug, Subcommand)]
pub enum SecretAction {
    /// Store the profile's client secret in the OS keyring: typed without echo, or read from stdin when it is not
    /// a terminal.
    Set,
    /// Remove the profile's client secret from the OS keyring.
    Forget,
}

/// Runs a subcommand: the same engines as the TUI, without a screen. Output goes to stdout/stderr; the exit status
/// says whether it worked.
pub async fn run(
    command: &Command,
    args: &Args,
    profile: &Profile,
    dirs: &AppDirs,
    preferences: &crate::app::Preferences,
) -> anyhow::Result<()> {
    let result = run_command(command, args, profile, dirs, preferences).await;
    // The runtime ends with this function: a refresh a door's engine has on its way is saved first.
    session::settle().await;
    result
}

async fn run_command(
    command: &Command,
    args: &Args,
    profile: &Profile,
    dirs: &AppDirs,
    preferences: &crate::app::Preferences,
) -> anyhow::Result<()> {
    match command {
        Command::DemoServer { auth_port, api_port, token_seconds } => {
            demo_server::run(*auth_port, *api_port, *token_seconds).await
        }
        Command::Login { device, switch_user } => {
            let how = login::LoginHow { no_browser: args.no_browser, device: *device, switch_user: *switch_user };
            login::run(profile, dirs, how).await
        }
        Command::Token { decode: false, .. } => token::token(profile, dirs).await,
        Command::Token { decode: true, raw } => token::decode(profile, dirs, *raw).await,
        Command::Status { claims: false } => token::status(profile, dirs).await,
        Command::Status { claims: true } => token::claims_offline(profile, dirs).await,
        Command::Logout => token::logout(profile, dirs, args.no_browser).await,
        Command::Secret { action } => secret::run(action, profile),
        Command::History { show, limit } => history::run(profile, dirs, show.as_deref(), *limit),
        Command::Call { method, path, query, header, body, history } => {
            let call =
                call::CallArgs { method, path, query, headers: header, body: body.as_deref(), history: *history };
            call::run(profile, dirs, &call).await
        }
        Command::View { file } => view::run(file.as_deref(), profile, preferences).await,
        // Printed before any configuration is read (`print_documents`).
        Command::Completions { .. } | Command::Man => Ok(()),
    }
}

impl Args {
    pub fn overrides(&self) -> Overrides {
        Overrides {
            issuer: self.issuer.clone(),
            client_id: self.client_id.clone(),
            scope: self.scope.clone(),
            api: self.api.clone(),
            spec: self.spec.clone(),
            collection: self.collection.clone(),
            environment: self.environment.clone(),
            grant: self.grant,
        }
    }
}
