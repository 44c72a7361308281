//! Out of the pane: the value or path under the cursor to the clipboard (OSC 52), the body to a file, to `$EDITOR`
//! or `$PAGER`.

use std::path::PathBuf;

use super::jobs::{ExternalProgram, InspectorEffect};
use super::{InspectorCommand, InspectorPane, human_bytes};
use crate::app::Effect;

/// The most a copy puts on the clipboard: OSC 52 goes through the terminal (and tmux, and SSH), which refuse or
/// truncate large payloads.
pub const COPY_LIMIT: u64 = 1 << 20;

impl InspectorPane {
    pub(super) fn copy_path(&mut self) -> Vec<Effect> {
        let Some(tree) = self.tree_on_screen() else {
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
        };
        let path = tree.cursor_path();
        self.info(format!("Copied {path}"));
        vec![Effect::Copy(path)]
    }

    pub(super) fn copy_value(&mut self) -> Vec<Effect> {
        match self.value_to_copy() {
            Ok(Some((text, what))) => {
                self.info(format!("Copied {what}"));
                vec![Effect::Copy(text)]
            }
            Ok(None) => Vec::new(),
            Err(message) => {
                self.error(message);
                Vec::new()
            }
        }
    }

    /// The value under the cursor, a JSON string without its quotes, and its path in the tree (none for a line of
    /// the raw text): what a variable is set from.
    pub fn value_under_cursor(&self) -> Result<Option<(String, Option<String>)>, String> {
        let path =
            self.view().tree.as_ref().filter(|_| !self.view().showing_raw()).map(crate::json::Inspector::cursor_path);
        let Some((text, _)) = self.value_to_copy()? else { return Ok(None) };
        let value = match serde_json::from_str::<serde_json::Value>(&text) {
            Ok(serde_json::Value::String(s)) if path.is_some() => s,
            _ => text,
        };
        Ok(Some((value, path)))
    }

    /// The text under the cursor (a line of the raw text, or a value of the tree) and words for what it is.
    fn value_to_copy(&self) -> Result<Option<(String, String)>, String> {
        let view = self.view();
        if view.showing_raw() {
            let Some(raw) = &view.raw else { return Ok(None) };
            let line = raw.text.lines(raw.cursor(), 1).map_err(|e| format!("Could not read the line: {e}"))?.pop();
            return match line {
                Some(line) if line.clipped => Err(format!(
                    "The line is longer than 16 KB: copy from the tree ({}), or save the body with {}",
                    self.key(InspectorCommand::Raw),
                    self.key(InspectorCommand::Save)
                )),
                Some(line) => Ok(Some((line.text, format!("line {}", raw.cursor() + 1)))),
                None => Ok(None),
            };
        }
        let Some(tree) = &view.tree else { return Ok(None) };
        let path = tree.cursor_path();
        let len = tree.cursor_value_len().map_err(|e| format!("Could not read {path}: {e}"))?;
        if len > COPY_LIMIT {
            return Err(format!(
                "{path} is {}, more than the {} a clipboard copy may carry: {} saves the body, {} narrows it down",
                human_bytes(len),
                human_bytes(COPY_LIMIT),
                self.key(InspectorCommand::Save),
                self.key(InspectorCommand::Filter)
            ));
        }
        let text = tree.cursor_value_text(COPY_LIMIT).map_err(|e| format!("Could not copy {path}: {e}"))?;
        let what = format!("the value of {path} ({})", human_bytes(text.len() as u64));
        Ok(Some((text, what)))
    }

    pub(super) fn save_to(&mut self, path: PathBuf, overwrite: bool, now: std::time::Instant) -> Vec<Effect> {
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
