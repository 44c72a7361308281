//! The history: every exchange of a profile, newest last in the file, shown newest first. Each one is kept as the
//! request went (its credentials redacted), with the answer's status, headers, timing and body up to a cap, and
//! what became of it (answered, failed, cancelled, cut off by quitting).

mod entry;
mod store;

pub use entry::{Exchange, ExchangeState, KeptRequest, KeptResponse, StoredBody, Summary};
pub use store::{HistoryLimits, HistoryStore};

/// A new exchange's id: the time it was kept (so ids sort by age) and a random tail (two processes at the same
/// millisecond).
pub fn new_id(at_ms: u64) -> String {
    format!("{at_ms:013}-{:08x}", rand::random::<u32>())
}
