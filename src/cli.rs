//! The command line: flags shared by every door, and the subcommands.

mod demo_server;

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
}

/// Runs a subcommand: the same engines as the TUI, without a screen. Output goes to stdout/stderr; the exit status
/// says whether it worked.
pub async fn run(command: &Command, args: &Args, profile: &Profile, dirs: &AppDirs) -> anyhow::Result<()> {
    let _ = (args, profile, dirs);
    match command {
        Command::DemoServer { auth_port, api_port, token_seconds } => {
            demo_server::run(*auth_port, *api_port, *token_seconds).await
        }
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
        }
    }
}
