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
    println!(
        "Try: zorgtui --issuer {} --client-id {} --api {}",
        servers.issuer(),
        servers.client_id(),
        servers.api_base()
    );
    println!("Ctrl-C stops both servers.");
    tokio::signal::ctrl_c().await?;
    servers.shutdown().await;
    Ok(())
}
