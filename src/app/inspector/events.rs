//! Answers from the inspector's jobs: taken only from the job the pane waits for, applied to the view it was for.

use std::time::Instant;

use super::doc_view::{DocView, LineMatches, RawPane};
use super::jobs::{InspectorEvent, SaveError};
use super::prompt::{Prompt, PromptKind};
use super::{Filtered, InspectorCommand, InspectorPane, Job, ViewSlot, human_bytes};
use crate::app::Effect;

impl InspectorPane {
    /// Applies a job's answer; answers for jobs the pane no longer waits for are dropped.
    pub fn event(&mut self, event: InspectorEvent, now: Instant) -> Vec<Effect> {
        match event {
            InspectorEvent::Progress { job, done, total } => {
                for running in
                    [self.search_job.as_mut().map(|j| &mut j.running), self.filter_job.as_mut().map(|j| &mut j.running)]
                        .into_iter()
                        .flatten()
                {
                    if running.id == job {
                        running.progress = Some((done, total));
                    }
                }
            }
            InspectorEvent::Searched { job, result } => {
                let Some(search) = self.take_search(job) else { return Vec::new() };
                match result {
                    Ok(results) if !search.view.raw => {
                        if let Some(tree) = &mut self.view_mut().tree {
                            tree.set_search(Some(results));
                        }
                        return self.after_results(search.detail, now);
                    }
                    Ok(_) => {}
                    Err(message) => self.error(message),
                }
            }
            InspectorEvent::LinesFound { job, result } => {
                let Some(search) = self.take_search(job) else { return Vec::new() };
                match result {
                    Ok(lines) if search.view.raw => {
                        self.view_mut().line_matches = Some(LineMatches { lines, current: None });
                        return self.after_results(search.detail, now);
                    }
                    Ok(_) => {}
                    Err(message) => self.error(message),
                }
            }
            InspectorEvent::Filtered { job, result } => self.filtered_answer(job, result),
            InspectorEvent::LinesCounted { job, result } => self.lines_counted(job, result),
            InspectorEvent::Saved { job, result } => {
                if self.save_job.take_if(|j| j.is(job)).is_none() {
                    return Vec::new();
                }
                match result {
                    Ok((path, len)) => self.info(format!("Saved {} to {}", human_bytes(len), path.display())),
                    Err(SaveError::Exists(path)) => self.prompt = Some(Prompt::new(PromptKind::Overwrite(path), "")),
                    Err(SaveError::Failed(message)) => self.error(message),
                }
            }
            InspectorEvent::ExternalDone(result) => self.external_done(result),
            InspectorEvent::CursorRead { job, result } => {
                if let Some((read_for, result)) = self.cursor_read(job, result) {
                    return self.cursor_read_done(read_for, result);
                }
            }
            InspectorEvent::BodyRead(result) => {
                if let Err(message) = result {
                    self.error(format!("Could not read the body: {message}"));
                }
            }
            InspectorEvent::Opened { .. } | InspectorEvent::Previewed { .. } | InspectorEvent::Read { .. } => {}
        }
        Vec::new()
    }

    /// Takes the running search if `job` is it, if the view it serves is still on screen.
    fn take_search(&mut self, job: u64) -> Option<Job<bool>> {
        let search = self.search_job.take_if(|j| j.is(job))?;
        (search.view == self.slot()).then_some(search)
    }

    /// Jumps to the first match if Enter or `n` asked for it before the results were in.
    fn after_results(&mut self, jump: bool, now: Instant) -> Vec<Effect> {
        if jump {
            return self.apply(super::InspectorCommand::NextMatch, now);
        }
        self.follow_typed_search(now)
    }
}

impl InspectorPane {
    fn external_done(&mut self, result: Result<(), String>) {
        match (result, self.external.take()) {
            (Err(message), _) => self.error(message),
            (Ok(()), Some(super::ExternalProgram::Editor)) => {
                let save = self.key(InspectorCommand::Save);
                self.info(format!(
                    "The editor had a copy: what is shown here is unchanged ({save} saves the body to a file)"
                ));
            }
            (Ok(()), _) => {}
        }
    }
}

impl InspectorPane {
    fn filtered_answer(
        &mut self,
        job: super::JobId,
        result: Result<(std::sync::Arc<crate::json::Document>, usize), String>,
    ) {
        let Some(Job { detail: expr, .. }) = self.filter_job.take_if(|j| j.is(job)) else { return };
        match result {
            Ok((doc, results)) => {
                if let Some(search) = self.search_job.take_if(|j| j.view.filtered) {
                    search.running.cancel.cancel();
                }
                // A search typed meanwhile started in the view this one replaces: it has no place to go back to.
                self.search_origin = None;
                let mut view = DocView::json(doc);
                view.set_viewport(self.body_rows());
                view.set_wrap_width(self.wrap_width());
                let plural = if results == 1 { "result" } else { "results" };
                let back = self.key(InspectorCommand::Back);
                self.info(format!("{results} {plural} of {expr} — {back} shows the whole document"));
                self.filtered = Some(Filtered { expr, results, view });
                if self.lines_job.as_ref().is_some_and(|j| j.view.filtered) {
                    self.lines_job = None;
                }
            }
            Err(message) => self.error(message),
        }
    }

    fn lines_counted(&mut self, job: super::JobId, result: Result<crate::json::RawText, String>) {
        let Some(Job { view: ViewSlot { filtered: for_filtered, .. }, .. }) = self.lines_job.take_if(|j| j.is(job))
        else {
            return;
        };
        let rows = self.body_rows();
        let wrap_width = self.wrap_width();
        match result {
            Ok(text) => {
                let view = if for_filtered {
                    match &mut self.filtered {
                        Some(filtered) => &mut filtered.view,
                        None => return,
                    }
                } else {
                    &mut self.whole
                };
                let mut raw = RawPane::new(text);
                raw.set_viewport(rows);
                raw.set_wrap_width(wrap_width);
                view.raw = Some(raw);
            }
            Err(message) => {
                self.view_mut().raw_mode = false;
                self.error(message);
            }
        }
    }
}
