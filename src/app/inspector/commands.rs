//! Carrying out the inspector's commands: moving, folding and the toggles here; search and filter in `search.rs`,
//! copy, save and the editor in `out_of_pane.rs`.

use std::time::Instant;

use super::jobs::{ExternalProgram, InspectorEffect};
use super::keys::InspectorInput;
use super::prompt::{Prompt, PromptKind};
use super::{InspectorCommand, InspectorPane, SearchOrigin};
use crate::app::Effect;
use crate::json::RowToken;

impl InspectorPane {
    /// Carries out what a key meant; `now` dates the jobs it starts.
    pub fn input(&mut self, input: InspectorInput, now: Instant) -> Vec<Effect> {
        match input {
            InspectorInput::Run(command) => self.apply(command, now),
            InspectorInput::Prefix(key) => {
                self.pending = Some(key);
                Vec::new()
            }
            InspectorInput::Unbound => {
                self.pending = None;
                Vec::new()
            }
            InspectorInput::Prompt(key) => self.prompt_key(key, now),
        }
    }

    /// Carries out one command; `now` dates the jobs it starts.
    pub fn apply(&mut self, command: InspectorCommand, now: Instant) -> Vec<Effect> {
        use InspectorCommand as C;
        self.pending = None;
        if command != C::Bottom {
            self.stay_put();
        }
        if let Some(level) = command.level() {
            if let Some(tree) = self.tree_on_screen() {
                tree.fold_to_level(level);
            }
            return Vec::new();
        }
        match command {
            C::Up => self.move_by(-1),
            C::Down => self.move_by(1),
            C::PageUp => self.move_by(-self.page_step()),
            C::PageDown => self.move_by(self.page_step()),
            C::HalfPageUp => self.move_by(-(self.page_step() / 2).max(1)),
            C::HalfPageDown => self.move_by((self.page_step() / 2).max(1)),
            C::Top => self.jump(false),
            C::Bottom => {
                self.jump(true);
                self.bottom_of_preview();
            }
            C::FoldOrParent => self.fold_or_parent(),
            C::UnfoldOrChild => self.unfold_or_child(),
            C::Toggle
            | C::UnfoldAll
            | C::FoldAll
            | C::Fold
            | C::Unfold
            | C::UnfoldSubtree
            | C::Parent
            | C::NextSibling
            | C::PreviousSibling => self.tree_command(command),
            C::Wrap => {
                self.wrap = !self.wrap;
                self.apply_wrap();
            }
            C::Raw | C::Save | C::Editor | C::Pager if self.body_not_here() => {}
            C::Raw => return self.toggle_raw(now),
            C::Search => {
                self.search_origin = Some(SearchOrigin { mark: self.mark(), landed: false });
                self.prompt = Some(Prompt::new(PromptKind::Search, ""));
            }
            C::NextMatch => return self.step_match(true, now),
            C::PreviousMatch => return self.step_match(false, now),
            // Empty: what is typed is the filter. The current one is a `↑` away (history).
            C::Filter => self.prompt = Some(Prompt::new(PromptKind::Filter, "")),
            C::Back => self.back(),
            C::CopyValue if self.cut_by_preview() => {}
            C::CopyValue => return self.copy_value(now),
            C::CopyPath => return self.copy_path(now),
            C::Save => {
                let name = self.save_name.clone();
                self.prompt = Some(Prompt::new(PromptKind::Save, &name));
            }
            C::Editor => return self.external(ExternalProgram::Editor),
            C::Pager => return self.external(ExternalProgram::Pager),
            // The levels are handled above.
            C::Level1
            | C::Level2
            | C::Level3
            | C::Level4
            | C::Level5
            | C::Level6
            | C::Level7
            | C::Level8
            | C::Level9 => {}
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
        let token = tree.held_rows(tree.cursor(), 1).0.pop().map(|r| r.token);
        match token {
            Some(RowToken::Open(_) | RowToken::Close(_)) => tree.fold(),
            Some(RowToken::Folded { .. } | RowToken::Scalar { .. }) => tree.parent(),
            None => {}
        }
    }

    fn unfold_or_child(&mut self) {
        let Some(tree) = self.tree_on_screen() else { return };
        let token = tree.held_rows(tree.cursor(), 1).0.pop().map(|r| r.token);
        match token {
            Some(RowToken::Folded { children, .. }) if children > 0 => tree.unfold(),
            Some(RowToken::Open(_)) => tree.move_by(1),
            _ => {}
        }
    }

    fn tree_command(&mut self, command: InspectorCommand) {
        use InspectorCommand as C;
        let Some(tree) = self.tree_on_screen() else { return };
        match command {
            C::Toggle => tree.toggle_fold(),
            C::UnfoldAll => tree.unfold_all(),
            C::FoldAll => tree.fold_all(),
            C::Fold => tree.fold(),
            C::Unfold => tree.unfold(),
            C::UnfoldSubtree => tree.unfold_subtree(),
            C::Parent => tree.parent(),
            C::NextSibling => tree.next_sibling(),
            C::PreviousSibling => tree.prev_sibling(),
            _ => {}
        }
    }

    /// The tree, when it is what the screen shows.
    pub(super) fn tree_on_screen(&mut self) -> Option<&mut crate::json::Inspector> {
        let view = self.view_mut();
        if view.showing_raw() { None } else { view.tree.as_mut() }
    }

    fn toggle_raw(&mut self, now: Instant) -> Vec<Effect> {
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
            let job = self.job(now, ());
            effects.push(Effect::Inspector(InspectorEffect::CountLines { job: job.running.id, source }));
            self.lines_job = Some(job);
        }
        // The search follows to the other view: lines there, keys and values here.
        if self.view().query.is_some() && !self.view().has_results() {
            effects.extend(self.request_search(now));
        }
        effects
    }
}
