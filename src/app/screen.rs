//! What the run loop needs of a screen: the explorer and `zorgtui view` are both one.

use std::time::Duration;

use ratatui::layout::Rect;

use super::action::{Action, Now};
use super::effect::Effect;

/// A screen's state, as the one shell drives it.
pub trait Screen {
    /// Applies one action, which happened at `now`; returns what the run loop must do about it.
    fn update(&mut self, action: Action, now: Now) -> Vec<Effect>;
    /// Whether the person has quit (or the terminal has gone).
    fn quit(&self) -> bool;
    /// How often the run loop should send `Tick`s; `None` when nothing moves (an idle screen costs no CPU).
    fn tick_interval(&self) -> Option<Duration>;
    /// Whether the terminal should report the mouse (off lets the person select text, as in any terminal).
    fn wants_mouse(&self) -> bool {
        true
    }
    /// The screen size the state is laid out for.
    fn area(&self) -> Rect;
    /// The bodies on screen, whose pages missed by the last frame the shell has read off the core (see
    /// [`crate::json::Source::take_wanted`]).
    fn bodies_on_screen(&self) -> Vec<crate::json::Source> {
        Vec::new()
    }
}

impl Screen for super::State {
    fn update(&mut self, action: Action, now: Now) -> Vec<Effect> {
        super::update(self, action, now)
    }

    fn quit(&self) -> bool {
        self.quit
    }

    fn tick_interval(&self) -> Option<Duration> {
        super::State::tick_interval(self)
    }

    fn wants_mouse(&self) -> bool {
        super::State::wants_mouse(self)
    }

    fn area(&self) -> Rect {
        self.area
    }

    fn bodies_on_screen(&self) -> Vec<crate::json::Source> {
        self.response.pane().map(|pane| pane.view().source.clone()).into_iter().collect()
    }
}

impl Screen for super::ViewerState {
    fn update(&mut self, action: Action, now: Now) -> Vec<Effect> {
        super::ViewerState::update(self, action, now)
    }

    fn quit(&self) -> bool {
        self.quit
    }

    fn tick_interval(&self) -> Option<Duration> {
        super::ViewerState::tick_interval(self)
    }

    fn area(&self) -> Rect {
        self.area
    }

    fn bodies_on_screen(&self) -> Vec<crate::json::Source> {
        self.pane.as_ref().map(|pane| pane.view().source.clone()).into_iter().collect()
    }
}
