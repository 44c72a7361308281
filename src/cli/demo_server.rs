//! `zorgtui demo-server`: the demo's two servers in the foreground, for the CLI doors and other tools.

use std::time::Duration;

use crate::demo::{self, DemoOptions};

pub async fn run(auth_port: Option<u16>, api_port: Option<u16>, token_seconds: u64) -> anyhow::Result<()> {
    let options = DemoOptions {
        auth_port,
        api_port,
        access_token_ttl: Duration::from_secs(token_seconds.max(1)),
        ..DemoOptions::default()
    };
    let servers = demo::start(options).await?;
    println!("issuer     {}", servers.issuer());
    println!("api        {}", servers.api_base());
    println!("client id  {}", servers.client_id());
    println!();
    let flags =
        format!("--issuer {} --client-id {} --api {}", servers.issuer(), servers.client_id(), servers.api_base());
    // The demo's sign-in page approves with one click (no password); without a browser, paste its address.
    println!("Try, in another terminal:");
    println!("  zorgtui {flags}                          the explorer");
    println!("  zorgtui {flags} login --no-browser       then open the address it prints");
    println!("  zorgtui {flags} call GET /users/me       once signed in (also: status, token, logout)");
    println!("Ctrl-C stops both servers.");
    tokio::signal::ctrl_c().await?;
    servers.shutdown().await;
    Ok(())
}
