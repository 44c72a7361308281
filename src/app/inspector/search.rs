//! Search and filter: what the keys ask for (jobs for the run loop), moving between matches, the field's keys, and
//! `Esc`, which stops what runs or steps back.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use super::jobs::{InspectorEffect, SearchTarget};
use super::keys::PromptInput;
use super::prompt::{Edit, Prompt, PromptKind};
use super::{InspectorPane, Mark};
use crate::app::Effect;

impl InspectorPane {
    /// Starts a search for the query of the view on screen, in the mode on screen, replacing any running one.
    pub(super) fn request_search(&mut self, now: Instant) -> Vec<Effect> {
        let view = self.view();
        let Some(query) = view.query.clone() else { return Vec::new() };
        let target = if view.showing_raw() {
            SearchTarget::Lines(view.source.clone())
        } else {
            match view.document() {
                Some(doc) => SearchTarget::Tree(Arc::clone(doc)),
                None => return Vec::new(),
            }
        };
        let job = self.job(now, false);
        let effect = InspectorEffect::Search { job: job.running.id, cancel: job.running.cancel.clone(), target, query };
        if let Some(old) = self.search_job.replace(job) {
            old.running.cancel.cancel();
        }
        vec![Effect::Inspector(effect)]
    }

    pub(super) fn step_match(&mut self, forward: bool, now: Instant) -> Vec<Effect> {
        let Some(query) = self.view().query.clone() else {
            self.info("No search yet: / searches keys and values");
            return Vec::new();
        };
        if let Some(job) = &mut self.search_job {
            job.detail = true;
            return Vec::new();
        }
        if !self.view().has_results() {
            let effects = self.request_search(now);
            if let Some(job) = &mut self.search_job {
                job.detail = true;
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
    pub(super) fn back(&mut self) {
        if self.stop_waiting_filter() {
        } else if let Some(job) = self.filter_job.take() {
            job.running.cancel.cancel();
            self.info("Filter stopped");
        } else if let Some(job) = self.search_job.take() {
            // Results for part of the body would mislead: the search goes altogether.
            job.running.cancel.cancel();
            self.view_mut().clear_search();
            self.info("Search stopped");
        } else if self.filtered.take().is_some() {
            self.info("Back to the whole document");
        } else if self.view().query.is_some() {
            self.view_mut().clear_search();
        }
    }

    /// Whether `Esc` has something to do here (else the caller's `Esc` applies).
    pub fn wants_back(&self) -> bool {
        self.busy()
            || self.filtered.is_some()
            || self.view().query.is_some()
            || self.indexing.as_ref().is_some_and(|i| i.waiting_filter.is_some())
    }

    pub(super) fn prompt_key(&mut self, key: PromptInput, now: Instant) -> Vec<Effect> {
        let Some(prompt) = &mut self.prompt else { return Vec::new() };
        let kind = prompt.kind.clone();
        match (kind, key) {
            (PromptKind::Overwrite(path), PromptInput::Yes) => {
                self.prompt = None;
                return self.save_to(path, true, now);
            }
            (PromptKind::Overwrite(path), _) => {
                self.prompt = None;
                self.info(format!("Not saved: {} is kept as it was", path.display()));
            }
            (kind, PromptInput::Leave) => {
                self.prompt = None;
                if kind == PromptKind::Search {
                    if let Some(job) = self.search_job.take() {
                        job.running.cancel.cancel();
                    }
                    self.view_mut().clear_search();
                    // Back to where `/` was pressed, as in less and vim.
                    if let Some(origin) = self.search_origin.take() {
                        self.go_to(origin.mark);
                    }
                }
            }
            // A filter that does not compile keeps its prompt open, the text there to be fixed.
            (PromptKind::Filter, PromptInput::Keep) if let Err(error) = compiles(prompt.text().trim()) => {
                self.error(error.to_string());
            }
            (kind, PromptInput::Keep) => {
                let text = prompt.text();
                self.prompt = None;
                match kind {
                    PromptKind::Search => return self.keep_search(now),
                    PromptKind::Filter => return self.run_filter(&text, now),
                    PromptKind::Save if text.trim().is_empty() => {}
                    PromptKind::Save => return self.save_to(PathBuf::from(text.trim()), false, now),
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
        // A match of the query before this one is not one of this query's.
        if let Some(origin) = &mut self.search_origin {
            origin.landed = false;
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
        let origin = self.search_origin.take();
        if self.view().query.is_none() {
            return Vec::new();
        }
        // Already on a match of the final query: stay. Otherwise (its answer is still on the way) the first match
        // after where `/` was pressed, once it comes.
        if origin.is_some_and(|o| o.landed) && self.search_job.is_none() {
            return Vec::new();
        }
        if let Some(origin) = origin {
            self.go_to(origin.mark);
        }
        self.step_match(true, now)
    }

    /// Results of a search typed in the open field: the cursor goes to the first match after where `/` was pressed.
    pub(super) fn follow_typed_search(&mut self, now: Instant) -> Vec<Effect> {
        let typing = self.prompt.as_ref().is_some_and(|p| p.kind == PromptKind::Search);
        let Some(origin) = self.search_origin.filter(|_| typing) else { return Vec::new() };
        self.go_to(origin.mark);
        let effects = self.step_match(true, now);
        let moved = self.mark() != origin.mark;
        if let Some(origin) = &mut self.search_origin {
            origin.landed = moved;
        }
        effects
    }

    /// Where the cursor is in the view on screen.
    pub(super) fn mark(&self) -> Mark {
        let view = self.view();
        if view.showing_raw() {
            Mark::Line(view.raw.as_ref().map_or(0, super::RawPane::cursor))
        } else {
            Mark::Tree(view.tree.as_ref().map_or(0, crate::json::Inspector::bookmark))
        }
    }

    fn go_to(&mut self, mark: Mark) {
        let view = self.view_mut();
        match mark {
            Mark::Tree(bookmark) => {
                if let Some(tree) = &mut view.tree {
                    tree.return_to(bookmark);
                }
            }
            Mark::Line(line) => {
                if let Some(raw) = &mut view.raw {
                    raw.jump_to(line);
                }
            }
        }
    }

    pub(super) fn run_filter(&mut self, expr: &str, now: Instant) -> Vec<Effect> {
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
        if self.filter_waits(&expr) {
            return Vec::new();
        }
        let job = self.job(now, expr.clone());
        let effect = InspectorEffect::Filter { job: job.running.id, cancel: job.running.cancel.clone(), doc, expr };
        if let Some(old) = self.filter_job.replace(job) {
            old.running.cancel.cancel();
        }
        vec![Effect::Inspector(effect)]
    }
}

/// Whether a filter expression compiles; the empty one and `.` (the whole document) always do.
fn compiles(expr: &str) -> Result<(), crate::json::FilterError> {
    if expr.is_empty() || expr == "." { Ok(()) } else { crate::json::check_filter(expr) }
}

fn prompt_text(prompt: Option<&Prompt>) -> String {
    prompt.map(Prompt::text).unwrap_or_default()
}
