//! The inspector's work outside `update`: what it asks the run loop for, and what comes back.
//!
//! Search, filter, line counting and saving run on blocking threads. Each job has an id, so a late answer for a job
//! that was replaced is dropped, and a cancel flag that the pane sets itself (a new search cancels the old; closing
//! the pane cancels what it started), so no round trip through the loop is needed to stop one.

use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use super::body::ReadyBody;
use super::out_of_pane::{CursorReadError, CursorTarget, CursorText, ReadFor};
use crate::json::{Document, RawText, SearchResults, Source};

/// Tells jobs apart across panes (a new response replaces the pane; its old jobs' answers must not match): the
/// high half is the pane's, the low half counts that pane's jobs.
pub type JobId = u64;

/// Where a pane's job ids come from: a range of its own, so no answer meant for one pane matches another.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JobIds {
    next: JobId,
}

impl JobIds {
    /// The ids of the pane numbered `pane` (a response's request id; `zorgtui view` has one pane).
    pub fn for_pane(pane: u64) -> JobIds {
        JobIds { next: (pane << 32) | 1 }
    }

    pub fn next(&mut self) -> JobId {
        let id = self.next;
        self.next += 1;
        id
    }
}

/// A flag a job checks between chunks; shared by the pane and the thread running it.
#[derive(Debug, Clone, Default)]
pub struct Cancel(Arc<AtomicBool>);

impl Cancel {
    pub fn cancel(&self) {
        self.0.store(true, Ordering::Relaxed);
    }

    pub fn is_cancelled(&self) -> bool {
        self.0.load(Ordering::Relaxed)
    }

    pub fn flag(&self) -> &AtomicBool {
        &self.0
    }
}

/// Where `zorgtui view` reads from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum OpenInput {
    /// A file, read where it is (file-backed: never copied into memory).
    File(PathBuf),
    /// Standard input: into memory up to the cap, then into a temporary file.
    Stdin,
}

/// What a search looks through: the JSON tree (keys and values), or the lines of the raw text.
#[derive(Debug, Clone)]
pub enum SearchTarget {
    Tree(Arc<Document>),
    Lines(Source),
}

/// `$EDITOR` or `$PAGER`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExternalProgram {
    Editor,
    Pager,
}

impl ExternalProgram {
    pub fn variable(self) -> &'static str {
        match self {
            ExternalProgram::Editor => "EDITOR",
            ExternalProgram::Pager => "PAGER",
        }
    }

    pub fn fallback(self) -> &'static str {
        match self {
            ExternalProgram::Editor => "vi",
            ExternalProgram::Pager => "less",
        }
    }
}

/// Work for the run loop.
#[derive(Debug, Clone)]
pub enum InspectorEffect {
    /// Read and index what `zorgtui view` was given; answer with `Opened` (and `Progress` while indexing).
    Open { job: JobId, input: OpenInput, memory_cap: u64 },
    /// Answer with `Searched` or `LinesFound`, and `Progress` on the way.
    Search { job: JobId, cancel: Cancel, target: SearchTarget, query: String },
    /// Run a jq expression over the document; answer with `Filtered`.
    Filter { job: JobId, cancel: Cancel, doc: Arc<Document>, expr: String },
    /// Count the lines of a body for the raw view; answer with `LinesCounted`.
    CountLines { job: JobId, source: Source },
    /// Write the body to `path` (mode 0600), refusing to replace a file unless `overwrite`; answer with `Saved`.
    Save { job: JobId, source: Source, path: PathBuf, overwrite: bool },
    /// Write the body to a temporary file (0600) and hand the terminal to `$EDITOR` / `$PAGER` on it; answer with
    /// `ExternalDone`.
    External { program: ExternalProgram, source: Source, suffix: &'static str },
    /// Read what is under the cursor from a file-backed body; answer with `CursorRead`.
    ReadCursor { job: JobId, target: CursorTarget, read_for: ReadFor },
}

impl InspectorEffect {
    /// What makes two effects the same request (documents and sources compare by identity, not content).
    fn identity(&self) -> (u8, JobId) {
        match self {
            InspectorEffect::Open { job, .. } => (0, *job),
            InspectorEffect::Search { job, .. } => (1, *job),
            InspectorEffect::Filter { job, .. } => (2, *job),
            InspectorEffect::CountLines { job, .. } => (3, *job),
            InspectorEffect::Save { job, .. } => (4, *job),
            InspectorEffect::External { program, .. } => (5, *program as JobId),
            InspectorEffect::ReadCursor { job, .. } => (6, *job),
        }
    }
}

impl PartialEq for InspectorEffect {
    fn eq(&self, other: &InspectorEffect) -> bool {
        self.identity() == other.identity()
    }
}

impl Eq for InspectorEffect {}

/// Why a save did not happen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SaveError {
    /// The file is there already: ask before replacing it.
    Exists(PathBuf),
    /// One line saying why.
    Failed(String),
}

/// What comes back from the inspector's jobs.
#[derive(Debug)]
pub enum InspectorEvent {
    /// `zorgtui view` has its body (or one line saying why not); `file_backed` when it is read from a file.
    Opened {
        job: JobId,
        result: Result<Box<ReadyBody>, String>,
        file_backed: bool,
    },
    /// `zorgtui view` has the start of a big body to show while the whole is indexed (`Opened` follows). The body
    /// is `source`; none while it is still being read (stdin: `Read` follows).
    Previewed {
        job: JobId,
        preview: Box<crate::json::Preview>,
        source: Option<crate::json::Source>,
        file_backed: bool,
    },
    /// The body whose start is shown has been read whole (it is indexed next).
    Read {
        job: JobId,
        source: crate::json::Source,
        file_backed: bool,
    },
    Progress {
        job: JobId,
        done: u64,
        total: u64,
    },
    Searched {
        job: JobId,
        result: Result<SearchResults, String>,
    },
    /// Lines (0-based, ascending) of the raw text holding the query.
    LinesFound {
        job: JobId,
        result: Result<Vec<usize>, String>,
    },
    /// A filter's output as a document, and how many values it produced.
    Filtered {
        job: JobId,
        result: Result<(Arc<Document>, usize), String>,
    },
    LinesCounted {
        job: JobId,
        result: Result<RawText, String>,
    },
    Saved {
        job: JobId,
        result: Result<(PathBuf, u64), SaveError>,
    },
    /// The editor or pager is done; an error says why it did not run or how it ended.
    ExternalDone(Result<(), String>),
    CursorRead {
        job: JobId,
        result: Result<Option<CursorText>, CursorReadError>,
    },
    /// Pages of a file-backed body that the screen asked for are read (redraw), or one could not be read (said once;
    /// the pane then shows the error where those rows would be).
    BodyRead(Result<(), String>),
}

/// A job the pane waits for.
#[derive(Debug, Clone)]
pub struct Running {
    pub id: JobId,
    pub cancel: Cancel,
    pub started: Instant,
    /// Bytes done and total, once the job reports them.
    pub progress: Option<(u64, u64)>,
}

impl Running {
    pub(super) fn new(id: JobId, now: Instant) -> Running {
        Running { id, cancel: Cancel::default(), started: now, progress: None }
    }

    /// Percent done, when known.
    pub fn percent(&self) -> Option<u64> {
        self.progress.map(|(done, total)| done.saturating_mul(100).checked_div(total).unwrap_or(100))
    }
}
