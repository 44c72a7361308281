//! Any text as a stored session (the token file, or the keyring's entry): read as `zorgtui` reads it, its times
//! brought within bounds, and asked when to refresh, without a panic whatever the numbers.
#![no_main]

use std::time::{Duration, SystemTime};

use libfuzzer_sys::fuzz_target;
use zorgtui::auth::session::Session;

fuzz_target!(|text: &str| {
    let Ok(session) = serde_json::from_str::<Session>(text) else { return };
    let session = session.within_bounds();
    let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_800_000_000);
    let _ = session.refresh_at(Duration::from_secs(30));
    let _ = session.is_fresh(Duration::from_secs(30), now);
    let _ = session.access_expired(now);
});
