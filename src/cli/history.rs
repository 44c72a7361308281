//! `zorgtui history [--show ID] [--limit N]`: the profile's history, newest first, as the TUI's History view lists
//! it; or one exchange whole, as kept (its credentials already redacted when it was written).

use std::time::{SystemTime, UNIX_EPOCH};

use anyhow::Context as _;

use crate::config::{AppDirs, Profile};
use crate::text::escape_controls;
use crate::workspace::{ExchangeState, WorkspaceDirs};

pub fn run(profile: &Profile, dirs: &AppDirs, show: Option<&str>, limit: usize) -> anyhow::Result<()> {
    let store = WorkspaceDirs::of(dirs).history(&profile.store_key());
    if let Some(id) = show {
        let exchange = store.load(id)?;
        let text = serde_json::to_string_pretty(&exchange).context("cannot write the exchange as JSON")?;
        println!("{}", escape_controls(&text));
        return Ok(());
    }
    let history = store.list()?;
    if history.is_empty() {
        let why = if profile.workspace.history { "nothing kept yet" } else { "it keeps none (history = false)" };
        eprintln!("profile {}: {why}", profile.label());
        return Ok(());
    }
    let now = SystemTime::now().duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
    for summary in history.iter().rev().take(limit) {
        let status = match (summary.status, &summary.state) {
            (Some(status), ExchangeState::Complete) => status.to_string(),
            (Some(status), state) => format!("{status}/{}", state.word()),
            (None, state) => state.word().to_string(),
        };
        let size = summary.size.map_or_else(|| "-".to_string(), crate::text::human_bytes);
        let age = (now.saturating_sub(u128::from(summary.at_ms)) / 1000).to_string() + "s";
        println!(
            "{}  {age:>7}  {:<6} {status:<12} {size:>9}  {}",
            summary.id,
            summary.method,
            escape_controls(&summary.path)
        );
    }
    Ok(())
}
