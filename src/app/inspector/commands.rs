//! Carrying out the inspector's commands: moving, folding, the toggles, search and filter requests, copy and save.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use ratatui::crossterm::event::{KeyCode, KeyEvent};

use super::jobs::{ExternalProgram, InspectorEffect, Running, SearchTarget, next_job};
use super::prompt::{Edit, Prompt, PromptKind};
use super::{InspectorCommand, InspectorPane, SearchJob, SearchSlot, human_bytes};
use crate::app::Effect;
use crate::json::RowToken;

/// The most a copy puts on the clipboard: OSC 52 goes through the terminal (and tmux, and SSH), which refuse or
/// truncate large payloads.
pub const COPY_LIMIT: u64 = 1 << 20;

impl InspectorPane {
    /// Carries out one command; `now` dates the jobs it starts.
    pub fn apply(&mut self, command: InspectorCommand, now: Instant) -> Vec<Effect> {
        use InspectorCommand as C;
        let was_z = std::mem::take(&mut self.pending_z);
        match command {
            C::PromptKey(key) => return self.prompt_key(key, now),
            C::Up => self.move_by(-1),
            C::Down => self.move_by(1),
            C::PageUp => self.move_by(-self.page_step()),
            C::PageDown => self.move_by(self.page_step()),
            C::HalfPageUp => self.move_by(-(self.page_step() / 2).max(1)),
            C::HalfPageDown => self.move_by((self.page_step() / 2).max(1)),
            C::Top => self.jump(false),
            C::Bottom => self.jump(true),
            C::FoldOrParent => self.fold_or_parent(),
            C::UnfoldOrChild => self.unfold_or_child(),
            C::ZPrefix => self.pending_z = !was_z,
            C::Toggle
            | C::Level(_)
            | C::UnfoldAll
            | C::FoldAll
            | C::Fold
            | C::Unfold
            | C::UnfoldSubtree
            | C::Parent
            | C::NextSibling
            | C::PrevSibling => self.tree_command(&command),
            C::Wrap => self.wrap = !self.wrap,
            C::Raw => return self.toggle_raw(now),
            C::Search => self.prompt = Some(Prompt::new(PromptKind::Search, "")),
            C::NextMatch => return self.step_match(true, now),
            C::PrevMatch => return self.step_match(false, now),
            C::Filter => {
                let current = self.filtered.as_ref().map(|f| f.expr.clone()).unwrap_or_default();
                self.prompt = Some(Prompt::new(PromptKind::Filter, &current));
            }
            C::Back => self.back(),
            C::CopyValue => return self.copy_value(),
            C::CopyPath => return self.copy_path(),
            C::Save => {
                let name = self.save_name.clone();
                self.prompt = Some(Prompt::new(PromptKind::Save, &name));
            }
            C::Editor => return self.external(ExternalProgram::Editor),
            C::Pager => return self.external(ExternalProgram::Pager),
        }
        Vec::new()
    }

    fn page_step(&self) -> isize {
        isize::try_from(self.body_rows().saturating_sub(1).max(1)).unwrap_or(1)
    }

    /// Moves the cursor by `delta` rows (or lines, in the raw view).
    pub fn move_by(&mut self, delta: isize) {
        let view = self.view_mut();
        if view.showing_raw() {
            if let Some(raw) = &mut view.raw {
                raw.move_by(delta);
            }
        } else if let Some(tree) = &mut view.tree {
            tree.move_by(delta);
        }
    }

    /// To the first or the last row.
    fn jump(&mut self, end: bool) {
        let view = self.view_mut();
        if view.showing_raw() {
            if let Some(raw) = &mut view.raw {
                raw.move_to(if end { usize::MAX } else { 0 });
            }
        } else if let Some(tree) = &mut view.tree {
            if end { tree.bottom() } else { tree.top() }
        }
    }

    /// Scrolls without moving the cursor off the screen (the mouse wheel).
    pub fn scroll_by(&mut self, delta: isize) {
        let view = self.view_mut();
        if view.showing_raw() {
            if let Some(raw) = &mut view.raw {
                raw.scroll_by(delta);
            }
        } else if let Some(tree) = &mut view.tree {
            tree.scroll_by(delta);
        }
    }

    /// Puts the cursor on the `row`-th line of the pane (a click).
    pub fn click(&mut self, row: usize) {
        if row >= self.body_rows() {
            return;
        }
        let view = self.view_mut();
        let (offset, cursor) = if view.showing_raw() {
            view.raw.as_ref().map_or((0, 0), |r| (r.offset(), r.cursor()))
        } else {
            view.tree.as_ref().map_or((0, 0), |t| (t.offset(), t.cursor()))
        };
        let delta = isize::try_from(offset + row).unwrap_or(0) - isize::try_from(cursor).unwrap_or(0);
        self.move_by(delta);
    }

    fn fold_or_parent(&mut self) {
        let Some(tree) = self.tree_on_screen() else { return };
        let token = tree.rows(tree.cursor(), 1).pop().map(|r| r.token);
        match token {
            Some(RowToken::Open(_) | RowToken::Close(_)) => tree.fold(),
            Some(RowToken::Folded { .. } | RowToken::Scalar { .. }) => tree.parent(),
            None => {}
        }
    }

    fn unfold_or_child(&mut self) {
        let Some(tree) = self.tree_on_screen() else { return };
        let token = tree.rows(tree.cursor(), 1).pop().map(|r| r.token);
        match token {
            Some(RowToken::Folded { children, .. }) if children > 0 => tree.unfold(),
            Some(RowToken::Open(_)) => tree.move_by(1),
            _ => {}
        }
    }

    fn tree_command(&mut self, command: &InspectorCommand) {
        use InspectorCommand as C;
        let Some(tree) = self.tree_on_screen() else { return };
        match command {
            C::Toggle => tree.toggle_fold(),
            C::Level(level) => tree.fold_to_level(*level),
            C::UnfoldAll => tree.unfold_all(),
            C::FoldAll => tree.fold_all(),
            C::Fold => tree.fold(),
            C::Unfold => tree.unfold(),
            C::UnfoldSubtree => tree.unfold_subtree(),
            C::Parent => tree.parent(),
            C::NextSibling => tree.next_sibling(),
            C::PrevSibling => tree.prev_sibling(),
            _ => {}
        }
    }

    /// The tree, when it is what the screen shows.
    fn tree_on_screen(&mut self) -> Option<&mut crate::json::Inspector> {
        let view = self.view_mut();
        if view.showing_raw() { None } else { view.tree.as_mut() }
    }

    fn toggle_raw(&mut self, now: Instant) -> Vec<Effect> {
        let filtered = self.filtered.is_some();
        let counting = self.lines_job.is_some();
        let view = self.view_mut();
        if view.tree.is_none() {
            self.info("The body is not JSON: it is shown as text");
            return Vec::new();
        }
        view.raw_mode = !view.raw_mode;
        let count = (view.raw_mode && view.raw.is_none() && !counting).then(|| view.source.clone());
        let mut effects = Vec::new();
        if let Some(source) = count {
            let job = next_job();
            effects.push(Effect::Inspector(InspectorEffect::CountLines { job, source }));
            self.lines_job = Some((job, filtered));
        }
        // The search follows to the other view: lines there, keys and values here.
        if self.view().query.is_some() && !self.view().has_results() {
            effects.extend(self.request_search(now));
        }
        effects
    }

    /// Starts a search for the query of the view on screen, in the mode on screen, replacing any running one.
    pub(super) fn request_search(&mut self, now: Instant) -> Vec<Effect> {
        let slot = SearchSlot { filtered: self.filtered.is_some(), raw: self.view().showing_raw() };
        let view = self.view();
        let Some(query) = view.query.clone() else { return Vec::new() };
        let target = if slot.raw {
            SearchTarget::Lines(view.source.clone())
        } else {
            match view.document() {
                Some(doc) => SearchTarget::Tree(Arc::clone(doc)),
                None => return Vec::new(),
            }
        };
        let running = Running::new(now);
        let effect = InspectorEffect::Search { job: running.id, cancel: running.cancel.clone(), target, query };
        if let Some(old) = self.search_job.replace(SearchJob { running, slot, jump: false }) {
            old.running.cancel.cancel();
        }
        vec![Effect::Inspector(effect)]
    }

    fn step_match(&mut self, forward: bool, now: Instant) -> Vec<Effect> {
        let Some(query) = self.view().query.clone() else {
            self.info("No search yet: / searches keys and values");
            return Vec::new();
        };
        if let Some(job) = &mut self.search_job {
            job.jump = true;
            return Vec::new();
        }
        if !self.view().has_results() {
            let effects = self.request_search(now);
            if let Some(job) = &mut self.search_job {
                job.jump = true;
            }
            return effects;
        }
        let view = self.view_mut();
        let moved = if view.showing_raw() {
            view.step_line_match(forward)
        } else {
            view.tree.as_mut().is_some_and(|t| if forward { t.next_match() } else { t.prev_match() })
        };
        if !moved {
            self.info(format!("No match for `{query}`"));
        }
        Vec::new()
    }

    /// `Esc`: stops what runs, else leaves the filter's result, else clears the search.
    fn back(&mut self) {
        if let Some((job, _)) = self.filter_job.take() {
            job.cancel.cancel();
            self.info("Filter stopped");
        } else if let Some(job) = self.search_job.take() {
            job.running.cancel.cancel();
            self.info("Search stopped");
        } else if self.filtered.take().is_some() {
            self.info("Back to the whole document");
        } else if self.view().query.is_some() {
            self.view_mut().clear_search();
        }
    }

    /// Whether `Esc` has something to do here (else the caller's `Esc` applies).
    pub fn wants_back(&self) -> bool {
        self.busy() || self.filtered.is_some() || self.view().query.is_some()
    }

    fn prompt_key(&mut self, key: KeyEvent, now: Instant) -> Vec<Effect> {
        let Some(prompt) = &mut self.prompt else { return Vec::new() };
        let kind = prompt.kind.clone();
        match (kind, key.code) {
            (PromptKind::Overwrite(path), KeyCode::Char('y' | 'Y')) => {
                self.prompt = None;
                return self.save_to(path, true);
            }
            (PromptKind::Overwrite(path), _) => {
                self.prompt = None;
                self.info(format!("Not saved: {} is kept as it was", path.display()));
            }
            (kind, KeyCode::Esc) => {
                self.prompt = None;
                if kind == PromptKind::Search {
                    if let Some(job) = self.search_job.take() {
                        job.running.cancel.cancel();
                    }
                    self.view_mut().clear_search();
                }
            }
            (kind, KeyCode::Enter) => {
                let text = prompt.text();
                self.prompt = None;
                match kind {
                    PromptKind::Search => return self.keep_search(now),
                    PromptKind::Filter => return self.run_filter(&text, now),
                    PromptKind::Save if text.trim().is_empty() => {}
                    PromptKind::Save => return self.save_to(PathBuf::from(text.trim()), false),
                    PromptKind::Overwrite(_) => {}
                }
            }
            (kind, _) => {
                if prompt.key(key, &self.history) == Edit::Changed && kind == PromptKind::Search {
                    return self.search_for(prompt_text(self.prompt.as_ref()), now);
                }
            }
        }
        Vec::new()
    }

    /// Pasted text goes to the open field.
    pub fn paste(&mut self, text: &str, now: Instant) -> Vec<Effect> {
        let Some(prompt) = &mut self.prompt else { return Vec::new() };
        if prompt.paste(text) == Edit::Changed && prompt.kind == PromptKind::Search {
            return self.search_for(prompt_text(self.prompt.as_ref()), now);
        }
        Vec::new()
    }

    /// Searches as the person types: each change replaces the running search.
    fn search_for(&mut self, query: String, now: Instant) -> Vec<Effect> {
        if query.is_empty() {
            if let Some(job) = self.search_job.take() {
                job.running.cancel.cancel();
            }
            self.view_mut().clear_search();
            return Vec::new();
        }
        let view = self.view_mut();
        view.query = Some(query);
        view.line_matches = None;
        if let Some(tree) = &mut view.tree {
            tree.set_search(None);
        }
        self.request_search(now)
    }

    fn keep_search(&mut self, now: Instant) -> Vec<Effect> {
        if self.view().query.is_none() {
            return Vec::new();
        }
        self.step_match(true, now)
    }

    fn run_filter(&mut self, expr: &str, now: Instant) -> Vec<Effect> {
        let expr = expr.trim().to_string();
        if expr.is_empty() || expr == "." {
            self.filtered = None;
            return Vec::new();
        }
        self.history.retain(|e| *e != expr);
        self.history.push(expr.clone());
        let Some(doc) = self.whole.document().cloned() else {
            self.error("The body is not JSON: there is nothing to filter");
            return Vec::new();
        };
        let running = Running::new(now);
        let effect =
            InspectorEffect::Filter { job: running.id, cancel: running.cancel.clone(), doc, expr: expr.clone() };
        if let Some((old, _)) = self.filter_job.replace((running, expr)) {
            old.cancel.cancel();
        }
        vec![Effect::Inspector(effect)]
    }

    fn copy_path(&mut self) -> Vec<Effect> {
        let Some(tree) = self.tree_on_screen() else {
            self.info("Paths are shown in the tree: r leaves the raw text");
            return Vec::new();
        };
        let path = tree.cursor_path();
        self.info(format!("Copied {path}"));
        vec![Effect::Copy(path)]
    }

    fn copy_value(&mut self) -> Vec<Effect> {
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

    /// The text under the cursor (a line of the raw text, or a value of the tree) and words for what it is.
    fn value_to_copy(&self) -> Result<Option<(String, String)>, String> {
        let view = self.view();
        if view.showing_raw() {
            let Some(raw) = &view.raw else { return Ok(None) };
            let line = raw.text.lines(raw.cursor(), 1).map_err(|e| format!("Could not read the line: {e}"))?.pop();
            return match line {
                Some(line) if line.clipped => {
                    Err("The line is longer than 16 KB: copy from the tree (r), or save the body with s".to_string())
                }
                Some(line) => Ok(Some((line.text, format!("line {}", raw.cursor() + 1)))),
                None => Ok(None),
            };
        }
        let Some(tree) = &view.tree else { return Ok(None) };
        let path = tree.cursor_path();
        let len = tree.cursor_value_len().map_err(|e| format!("Could not read {path}: {e}"))?;
        if len > COPY_LIMIT {
            return Err(format!(
                "{path} is {}, more than the {} a clipboard copy may carry: s saves the body, | narrows it down",
                human_bytes(len),
                human_bytes(COPY_LIMIT)
            ));
        }
        let text = tree.cursor_value_text(COPY_LIMIT).map_err(|e| format!("Could not copy {path}: {e}"))?;
        let what = format!("the value of {path} ({})", human_bytes(text.len() as u64));
        Ok(Some((text, what)))
    }

    fn save_to(&mut self, path: PathBuf, overwrite: bool) -> Vec<Effect> {
        let job = next_job();
        self.save_job = Some(job);
        let source = self.view().source.clone();
        vec![Effect::Inspector(InspectorEffect::Save { job, source, path, overwrite })]
    }

    fn external(&mut self, program: ExternalProgram) -> Vec<Effect> {
        let view = self.view();
        let suffix = if view.tree.is_some() { ".json" } else { ".txt" };
        vec![Effect::Inspector(InspectorEffect::External { program, source: view.source.clone(), suffix })]
    }
}

fn prompt_text(prompt: Option<&Prompt>) -> String {
    prompt.map(Prompt::text).unwrap_or_default()
}
