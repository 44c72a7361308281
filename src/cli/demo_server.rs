//! `zorgtui demo-server`: the demo's two servers in the foreground, for the CLI doors and other tools.
//!
//! Besides the public client, which needs only flags, the demo has a confidential and a machine client whose secret
//! is made fresh for each run. A secret belongs in a profile, not on a command line (where `ps` and the shell's
//! history would show it), so their profiles are written to a `config.toml` of their own, 0600 in a 0700 directory
//! that goes when the servers stop, and the lines to try name it through `ZORGTUI_CONFIG`. The secret is never
//! printed.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::demo::{self, CONFIDENTIAL_CLIENT_ID, DemoOptions, DemoServers, MACHINE_CLIENT_ID};

/// The scopes the machine client's profile asks for: what the demo API reads (a machine has no `users/me`).
const MACHINE_SCOPE: &str = "organizations:read api-requirements-versions:read api-specifications:read";

pub async fn run(auth_port: Option<u16>, api_port: Option<u16>, token_seconds: u64) -> anyhow::Result<()> {
    let options = DemoOptions {
        auth_port,
        api_port,
        access_token_ttl: Duration::from_secs(token_seconds.max(1)),
        ..DemoOptions::default()
    };
    let servers = demo::start(options).await?;
    // Removed when this returns (Ctrl-C, a kill's SIGTERM); a SIGKILL leaves it in the temporary directory, 0600,
    // with a secret that died with the servers.
    let profiles = tempfile::Builder::new().prefix("zorgtui-demo-").tempdir()?;
    let config = write_profiles(profiles.path(), &servers)?;
    print!("{}", instructions(&servers, &config));
    std::io::stdout().flush()?;
    let mut terminate = tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate())?;
    tokio::select! {
        stopped = tokio::signal::ctrl_c() => stopped?,
        _ = terminate.recv() => {}
    }
    servers.shutdown().await;
    Ok(())
}

/// The demo's three clients as profiles (`demo`, `demo-confidential`, `demo-machine`) in `dir/config.toml`, mode 0600,
/// so that zorgtui takes the secret written in it.
fn write_profiles(dir: &Path, servers: &DemoServers) -> anyhow::Result<PathBuf> {
    crate::private_files::private_dir(dir)?;
    let path = dir.join("config.toml");
    let text = profiles_text(servers);
    let mut file = std::fs::OpenOptions::new();
    file.write(true).create_new(true);
    std::os::unix::fs::OpenOptionsExt::mode(&mut file, 0o600);
    file.open(&path)?.write_all(text.as_bytes())?;
    Ok(path)
}

fn profiles_text(servers: &DemoServers) -> String {
    let quoted = |text: &str| toml::Value::String(text.to_string()).to_string();
    let (issuer, api) = (quoted(servers.issuer()), quoted(servers.api_base()));
    let secret = quoted(servers.client_secret().expose());
    format!(
        "# The zorgtui demo's clients, written by `zorgtui demo-server` for this run only.\n\
         default_profile = \"demo\"\n\n\
         [profiles.demo]\nissuer = {issuer}\napi = {api}\nclient_id = {public}\n\
         scope = \"openid offline_access users:read organizations:read\"\n\n\
         [profiles.demo-confidential]\nissuer = {issuer}\napi = {api}\nclient_id = {confidential}\n\
         scope = \"openid offline_access users:read organizations:read\"\nclient_secret = {secret}\n\n\
         [profiles.demo-machine]\nissuer = {issuer}\napi = {api}\nclient_id = {machine}\n\
         grant = \"client_credentials\"\nscope = {machine_scope}\nclient_secret = {secret}\n",
        public = quoted(servers.client_id()),
        confidential = quoted(CONFIDENTIAL_CLIENT_ID),
        machine = quoted(MACHINE_CLIENT_ID),
        machine_scope = quoted(MACHINE_SCOPE),
    )
}

/// What to print: where the servers are, and the lines to try with each client.
fn instructions(servers: &DemoServers, config: &Path) -> String {
    let flags =
        format!("--issuer {} --client-id {} --api {}", servers.issuer(), servers.client_id(), servers.api_base());
    let config = config.display();
    // The demo's sign-in page approves with one click (no password); without a browser, open its address elsewhere.
    format!(
        "issuer     {issuer}\n\
         api        {api}\n\
         clients    {public} (public, PKCE), {CONFIDENTIAL_CLIENT_ID} (with a secret, HTTP Basic or in the body),\n\
         \x20          {MACHINE_CLIENT_ID} (client credentials: signs in as itself, no browser)\n\
         \n\
         Try, in another terminal:\n\
         \x20 zorgtui {flags}                          the explorer\n\
         \x20 zorgtui {flags} login --no-browser       then open the address it prints\n\
         \x20 zorgtui {flags} call GET /users/me       once signed in (also: status, token, logout)\n\
         \n\
         The confidential and machine clients' secret (new each run) is in profiles written to\n\
         {config} (0600; removed when this stops):\n\
         \x20 export ZORGTUI_CONFIG={config}\n\
         \x20 zorgtui --profile demo-confidential login --no-browser   a person signs in; the client adds its secret\n\
         \x20 zorgtui --profile demo-confidential status --claims      what the ID token says\n\
         \x20 zorgtui --profile demo-machine token                     a machine client's token, no browser\n\
         \x20 zorgtui --profile demo-machine call GET /organizations   called with it\n\
         \x20 zorgtui --profile demo-machine token --decode            what the server says of it (introspection)\n\
         \x20 zorgtui --profile demo-confidential logout               revoked, and the browser session ended\n\
         Ctrl-C stops both servers.\n",
        issuer = servers.issuer(),
        api = servers.api_base(),
        public = servers.client_id(),
    )
}
