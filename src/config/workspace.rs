//! What a profile says about the day's work it keeps: the history (on or off, how much of it) and whether writes
//! are asked about first. Read from the profile's `history*` and `confirm_writes` keys.

/// How much history a profile keeps, and whether it asks before its first write of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct WorkspaceSettings {
    /// `history = false` keeps no history at all (nothing is written).
    pub history: bool,
    /// `history_max_entries`: the oldest exchanges go first past this many.
    pub history_max_entries: usize,
    /// `history_max_mb`: the oldest exchanges go first past this many bytes in all.
    pub history_max_bytes: u64,
    /// `history_body_max_kb`: a body larger than this is not kept (the entry says how large it was).
    pub history_body_max_bytes: u64,
    /// `confirm_writes = true`: ask once per session before the first POST, PUT, PATCH or DELETE.
    pub confirm_writes: bool,
}

impl WorkspaceSettings {
    pub const DEFAULT: WorkspaceSettings = WorkspaceSettings {
        history: true,
        history_max_entries: 1000,
        history_max_bytes: 100 << 20,
        history_body_max_bytes: 1 << 20,
        confirm_writes: false,
    };

    /// The settings with what a profile's file says over them (`None`: not written there).
    pub(super) fn with(
        mut self,
        history: Option<bool>,
        max_entries: Option<usize>,
        max_mb: Option<u64>,
        body_max_kb: Option<u64>,
        confirm_writes: Option<bool>,
    ) -> WorkspaceSettings {
        self.history = history.unwrap_or(self.history);
        self.history_max_entries = max_entries.map_or(self.history_max_entries, |n| n.max(1));
        self.history_max_bytes = max_mb.map_or(self.history_max_bytes, |mb| mb.max(1).saturating_mul(1 << 20));
        self.history_body_max_bytes = body_max_kb.map_or(self.history_body_max_bytes, |kb| kb.saturating_mul(1 << 10));
        self.confirm_writes = confirm_writes.unwrap_or(self.confirm_writes);
        self
    }
}

impl Default for WorkspaceSettings {
    fn default() -> WorkspaceSettings {
        WorkspaceSettings::DEFAULT
    }
}
