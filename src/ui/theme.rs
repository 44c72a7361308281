//! Colours and styles in one place.

use ratatui::style::{Color, Modifier, Style};

use crate::api::Method;
use crate::json::ScalarKind;

/// The frame of a spinner, for anything that runs in the background.
pub fn spinner(step: usize) -> char {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    FRAMES[step % FRAMES.len()]
}

pub fn border(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new().fg(Color::DarkGray) }
}

pub fn title(focused: bool) -> Style {
    if focused { Style::new().fg(Color::Cyan).add_modifier(Modifier::BOLD) } else { Style::new().fg(Color::Gray) }
}

pub fn method(method: Method) -> Style {
    let color = match method {
        Method::Get => Color::Green,
        Method::Post => Color::Yellow,
        Method::Put => Color::Blue,
        Method::Patch => Color::Cyan,
        Method::Delete => Color::Red,
        Method::Head | Method::Options | Method::Trace => Color::Magenta,
    };
    Style::new().fg(color).add_modifier(Modifier::BOLD)
}

pub fn status(code: u16) -> Style {
    let color = match code {
        200..=299 => Color::Green,
        300..=399 => Color::Cyan,
        400..=499 => Color::Yellow,
        _ => Color::Red,
    };
    Style::new().fg(color).add_modifier(Modifier::BOLD)
}

pub fn selected(focused: bool) -> Style {
    if focused { Style::new().bg(Color::Blue).fg(Color::White) } else { Style::new().bg(Color::DarkGray) }
}

pub fn dim() -> Style {
    Style::new().fg(Color::DarkGray)
}

pub fn heading() -> Style {
    Style::new().fg(Color::White).add_modifier(Modifier::BOLD)
}

pub fn error() -> Style {
    Style::new().fg(Color::Red)
}

pub fn info() -> Style {
    Style::new().fg(Color::Cyan)
}

pub fn key() -> Style {
    Style::new().fg(Color::Black).bg(Color::Gray)
}

/// The inspector's cursor row: a dark background every value colour stays readable on.
pub fn json_cursor() -> Style {
    Style::new().bg(Color::Indexed(238))
}

/// A search match in the inspector.
pub fn search_match() -> Style {
    Style::new().fg(Color::Black).bg(Color::Yellow)
}

/// The match `n` / `N` last went to.
pub fn search_current() -> Style {
    Style::new().fg(Color::Black).bg(Color::LightMagenta).add_modifier(Modifier::BOLD)
}

pub fn json_key() -> Style {
    Style::new().fg(Color::Blue).add_modifier(Modifier::BOLD)
}

pub fn json_punctuation() -> Style {
    Style::new().fg(Color::Gray)
}

pub fn json_scalar(kind: ScalarKind) -> Style {
    match kind {
        ScalarKind::String => Style::new().fg(Color::Green),
        ScalarKind::Number => Style::new().fg(Color::Magenta),
        ScalarKind::Bool => Style::new().fg(Color::Yellow),
        ScalarKind::Null => Style::new().fg(Color::DarkGray),
    }
}
