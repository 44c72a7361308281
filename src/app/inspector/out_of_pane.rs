//! Out of the pane: the value or path under the cursor to the clipboard (OSC 52), the body to a file, to `$EDITOR`
//! or `$PAGER`.

use std::path::PathBuf;
use std::time::Instant;

use super::jobs::{ExternalProgram, InspectorEffect, JobId};
use super::{InspectorCommand, InspectorPane, human_bytes};
use crate::app::Effect;
use crate::json::{Access, RawText, ValueAt};

/// The most a copy puts on the clipboard: OSC 52 goes through the terminal (and tmux, and SSH), which refuse or
/// truncate large payloads.
pub const COPY_LIMIT: u64 = 1 << 20;

/// What a copy or a variable takes from under the cursor: a value of the tree, or a line of the raw text. Read
/// at once when the body is in memory, by a job when it is a file (the core reads no file).
#[derive(Debug, Clone)]
pub enum CursorTarget {
    Value(ValueAt),
    Line { text: RawText, line: usize },
}

/// What the text under the cursor is read for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadFor {
    CopyValue,
    CopyPath,
    /// The set-variable key of the response pane (the explorer takes the answer: it offers the name).
    Variable,
}

/// A read of what is under the cursor: done (the body is in memory), or a job to start.
#[derive(Debug)]
pub enum Reading {
    Now(Result<Option<CursorText>, CursorReadError>),
    Job(Effect),
}

/// The text read from under the cursor.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CursorText {
    /// What is copied: a JSON text (a string with its quotes), a path, or a line.
    pub text: String,
    /// The value's path in the tree; none for a line of the raw text.
    pub path: Option<String>,
}

/// Why nothing was read; the pane words it with the keys in force.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CursorReadError {
    LineTooLong,
    TooLarge { path: String, len: u64 },
    Unreadable { what: String, error: String },
}

impl CursorTarget {
    /// Reads the target as `access` allows: the core reads only bodies in memory (`Held`); a job reads the file
    /// (`Direct`).
    pub fn read(&self, read_for: ReadFor, access: Access) -> Result<Option<CursorText>, CursorReadError> {
        let unreadable = |what: &str, e: &dyn std::fmt::Display| CursorReadError::Unreadable {
            what: what.to_string(),
            error: e.to_string(),
        };
        match self {
            CursorTarget::Line { text, line } => {
                match text.read_lines(*line, 1, access).map_err(|e| unreadable("the line", &e))? {
                    lines if lines.is_empty() => Ok(None),
                    mut lines => {
                        let line = lines.remove(0);
                        if line.clipped {
                            return Err(CursorReadError::LineTooLong);
                        }
                        Ok(Some(CursorText { text: line.text, path: None }))
                    }
                }
            }
            CursorTarget::Value(value) => {
                let path = value.path(access).map_err(|e| unreadable("the path", &e))?;
                if read_for == ReadFor::CopyPath {
                    return Ok(Some(CursorText { text: path.clone(), path: Some(path) }));
                }
                let len = value.len(access).map_err(|e| unreadable(&path, &e))?;
                if len > COPY_LIMIT {
                    return Err(CursorReadError::TooLarge { path, len });
                }
                let text = value.text(COPY_LIMIT, access).map_err(|e| unreadable(&path, &e))?;
                Ok(Some(CursorText { text, path: Some(path) }))
            }
        }
    }

    fn in_memory(&self) -> bool {
        match self {
            CursorTarget::Value(value) => value.in_memory(),
            CursorTarget::Line { text, .. } => text.source().as_bytes().is_some(),
        }
    }
}

impl InspectorPane {
    pub(super) fn copy_path(&mut self, now: Instant) -> Vec<Effect> {
        if self.tree_on_screen().is_none() {
            let why = if self.view().tree.is_some() {
                format!("Paths are shown in the tree: {} leaves the raw text", self.key(InspectorCommand::Raw))
            } else {
                format!(
                    "The body is not JSON: it has no paths ({} copies the line)",
                    self.key(InspectorCommand::CopyValue)
                )
            };
            self.info(why);
            return Vec::new();
        }
        self.copy(ReadFor::CopyPath, now)
    }

    pub(super) fn copy_value(&mut self, now: Instant) -> Vec<Effect> {
        self.copy(ReadFor::CopyValue, now)
    }

    fn copy(&mut self, read_for: ReadFor, now: Instant) -> Vec<Effect> {
        match self.read_under_cursor(read_for, now) {
            Some(Reading::Now(result)) => self.cursor_read_done(read_for, result),
            Some(Reading::Job(effect)) => vec![effect],
            None => Vec::new(),
        }
    }

    /// What is under the cursor: a line of the raw text on screen, else the tree's value.
    fn cursor_target(&self) -> Option<CursorTarget> {
        let view = self.view();
        if view.showing_raw() {
            let raw = view.raw.as_ref()?;
            return Some(CursorTarget::Line { text: raw.text.clone(), line: raw.cursor() });
        }
        view.tree.as_ref().map(|tree| CursorTarget::Value(tree.value_at_cursor()))
    }

    /// Reads what is under the cursor for `read_for`: at once from memory; from a file on a job, whose answer
    /// comes to [`InspectorPane::cursor_read`]. `None` when there is nothing under the cursor.
    pub fn read_under_cursor(&mut self, read_for: ReadFor, now: Instant) -> Option<Reading> {
        let target = self.cursor_target()?;
        if target.in_memory() {
            return Some(Reading::Now(target.read(read_for, Access::Held)));
        }
        let job = self.job(now, read_for);
        let id = job.running.id;
        self.read_job = Some(job);
        Some(Reading::Job(Effect::Inspector(InspectorEffect::ReadCursor { job: id, target, read_for })))
    }

    /// A read job's answer, if it is the one the pane waits for: the copy is made, or the text handed back for a
    /// variable.
    pub fn cursor_read(
        &mut self,
        job: JobId,
        result: Result<Option<CursorText>, CursorReadError>,
    ) -> Option<(ReadFor, Result<Option<CursorText>, CursorReadError>)> {
        let read_for = self.read_job.take_if(|j| j.is(job))?.detail;
        Some((read_for, result))
    }

    /// Finishes a copy (a clipboard effect and a notice); a variable's text is left to the explorer.
    pub fn cursor_read_done(
        &mut self,
        read_for: ReadFor,
        result: Result<Option<CursorText>, CursorReadError>,
    ) -> Vec<Effect> {
        match result {
            Ok(Some(found)) if read_for == ReadFor::CopyPath => {
                self.info(format!("Copied {}", found.text));
                vec![Effect::Copy(found.text)]
            }
            Ok(Some(found)) => {
                let what = match &found.path {
                    Some(path) => format!("the value of {path} ({})", human_bytes(found.text.len() as u64)),
                    None => match self.view().raw.as_ref() {
                        Some(raw) => format!("line {}", raw.cursor() + 1),
                        None => "the line".to_string(),
                    },
                };
                self.info(format!("Copied {what}"));
                vec![Effect::Copy(found.text)]
            }
            Ok(None) => Vec::new(),
            Err(error) => {
                let message = self.read_error_message(&error);
                self.error(message);
                Vec::new()
            }
        }
    }

    /// Words for a failed read, with the keys in force.
    pub fn read_error_message(&self, error: &CursorReadError) -> String {
        match error {
            CursorReadError::LineTooLong => format!(
                "The line is longer than 16 KB: copy from the tree ({}), or save the body with {}",
                self.key(InspectorCommand::Raw),
                self.key(InspectorCommand::Save)
            ),
            CursorReadError::TooLarge { path, len } => format!(
                "{path} is {}, more than the {} a clipboard copy may carry: {} saves the body, {} narrows it down",
                human_bytes(*len),
                human_bytes(COPY_LIMIT),
                self.key(InspectorCommand::Save),
                self.key(InspectorCommand::Filter)
            ),
            CursorReadError::Unreadable { what, error } => format!("Could not read {what} from the body: {error}"),
        }
    }

    pub(super) fn save_to(&mut self, path: PathBuf, overwrite: bool, now: std::time::Instant) -> Vec<Effect> {
        // Offered again by the next `s`: a save that failed (a full disk) is one key from being tried again.
        self.save_name = path.display().to_string();
        let job = self.job(now, ());
        let id = job.running.id;
        self.save_job = Some(job);
        let source = self.view().source.clone();
        vec![Effect::Inspector(InspectorEffect::Save { job: id, source, path, overwrite })]
    }

    pub(super) fn external(&mut self, program: ExternalProgram) -> Vec<Effect> {
        let view = self.view();
        let suffix = if view.tree.is_some() { ".json" } else { ".txt" };
        let source = view.source.clone();
        self.external = Some(program);
        vec![Effect::Inspector(InspectorEffect::External { program, source, suffix })]
    }
}
