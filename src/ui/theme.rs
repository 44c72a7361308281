//! Every colour and style in one place: one [`Theme`] per look (dark, light, and none at all for `NO_COLOR`), by
//! the role a piece of text plays. Drawing names roles (`theme::info()`); [`with`] picks the theme for a frame from
//! the screen's [`Appearance`], so no colour is written anywhere else.
//!
//! Without colour, meaning is carried by text and marks: the selection and the cursor are reversed, focus and
//! errors are bold, search matches underlined.

use std::cell::Cell;

use ratatui::style::{Color, Modifier, Style};

use crate::api::Method;
use crate::app::Appearance;
use crate::config::ThemeName;
use crate::json::ScalarKind;

/// The styles of one look, by role.
#[derive(Debug)]
pub struct Theme {
    border: Style,
    border_focused: Style,
    title: Style,
    title_focused: Style,
    selected: Style,
    selected_unfocused: Style,
    dim: Style,
    heading: Style,
    error: Style,
    info: Style,
    ok: Style,
    warn: Style,
    link: Style,
    key: Style,
    code: Style,
    json_cursor: Style,
    search_match: Style,
    search_current: Style,
    json_key: Style,
    json_punctuation: Style,
    json_string: Style,
    json_number: Style,
    json_bool: Style,
    json_null: Style,
    /// GET, POST, PUT, PATCH, DELETE, the rest.
    methods: [Style; 6],
    /// 2xx, 3xx, 4xx, 5xx.
    statuses: [Style; 4],
}

const fn fg(color: Color) -> Style {
    Style::new().fg(color)
}

const fn bold(style: Style) -> Style {
    style.add_modifier(Modifier::BOLD)
}

static DARK: Theme = Theme {
    border: fg(Color::DarkGray),
    border_focused: bold(fg(Color::Cyan)),
    title: fg(Color::Gray),
    title_focused: bold(fg(Color::Cyan)),
    selected: Style::new().bg(Color::Blue).fg(Color::White),
    selected_unfocused: Style::new().bg(Color::DarkGray),
    dim: fg(Color::DarkGray),
    heading: bold(fg(Color::White)),
    error: fg(Color::Red),
    info: fg(Color::Cyan),
    ok: fg(Color::Green),
    warn: fg(Color::Yellow),
    link: fg(Color::Blue),
    key: Style::new().fg(Color::Black).bg(Color::Gray),
    code: bold(Style::new().fg(Color::Black).bg(Color::Yellow)),
    json_cursor: Style::new().bg(Color::Indexed(238)),
    search_match: Style::new().fg(Color::Black).bg(Color::Yellow),
    search_current: bold(Style::new().fg(Color::Black).bg(Color::LightMagenta)),
    json_key: bold(fg(Color::Blue)),
    json_punctuation: fg(Color::Gray),
    json_string: fg(Color::Green),
    json_number: fg(Color::Magenta),
    json_bool: fg(Color::Yellow),
    json_null: fg(Color::DarkGray),
    methods: [
        bold(fg(Color::Green)),
        bold(fg(Color::Yellow)),
        bold(fg(Color::Blue)),
        bold(fg(Color::Cyan)),
        bold(fg(Color::Red)),
        bold(fg(Color::Magenta)),
    ],
    statuses: [bold(fg(Color::Green)), bold(fg(Color::Cyan)), bold(fg(Color::Yellow)), bold(fg(Color::Red))],
};

/// For a light background: no yellow or cyan text (unreadable on white), darker greys.
static LIGHT: Theme = Theme {
    border: fg(Color::Gray),
    border_focused: bold(fg(Color::Blue)),
    title: fg(Color::DarkGray),
    title_focused: bold(fg(Color::Blue)),
    selected: Style::new().bg(Color::Blue).fg(Color::White),
    selected_unfocused: Style::new().bg(Color::Indexed(252)),
    dim: fg(Color::Indexed(244)),
    heading: bold(fg(Color::Black)),
    error: fg(Color::Red),
    info: fg(Color::Blue),
    ok: fg(Color::Indexed(28)),
    warn: fg(Color::Indexed(130)),
    link: fg(Color::Indexed(25)),
    key: Style::new().fg(Color::White).bg(Color::DarkGray),
    code: bold(Style::new().fg(Color::Black).bg(Color::Indexed(221))),
    json_cursor: Style::new().bg(Color::Indexed(254)),
    search_match: Style::new().fg(Color::Black).bg(Color::Indexed(221)),
    search_current: bold(Style::new().fg(Color::White).bg(Color::Magenta)),
    json_key: bold(fg(Color::Indexed(25))),
    json_punctuation: fg(Color::Indexed(244)),
    json_string: fg(Color::Indexed(28)),
    json_number: fg(Color::Indexed(90)),
    json_bool: fg(Color::Indexed(130)),
    json_null: fg(Color::Indexed(244)),
    methods: [
        bold(fg(Color::Indexed(28))),
        bold(fg(Color::Indexed(130))),
        bold(fg(Color::Blue)),
        bold(fg(Color::Indexed(30))),
        bold(fg(Color::Red)),
        bold(fg(Color::Magenta)),
    ],
    statuses: [
        bold(fg(Color::Indexed(28))),
        bold(fg(Color::Blue)),
        bold(fg(Color::Indexed(130))),
        bold(fg(Color::Red)),
    ],
};

const PLAIN_STYLE: Style = Style::new();
const REVERSED: Style = Style::new().add_modifier(Modifier::REVERSED);

/// `NO_COLOR`: no colour at all; the selection and the cursor reversed, focus, headings and errors bold, search
/// matches underlined (the current one reversed too).
static PLAIN: Theme = Theme {
    border: PLAIN_STYLE,
    border_focused: bold(PLAIN_STYLE),
    title: PLAIN_STYLE,
    title_focused: bold(PLAIN_STYLE),
    selected: REVERSED,
    selected_unfocused: Style::new().add_modifier(Modifier::UNDERLINED),
    dim: PLAIN_STYLE,
    heading: bold(PLAIN_STYLE),
    error: bold(PLAIN_STYLE),
    info: PLAIN_STYLE,
    ok: PLAIN_STYLE,
    warn: bold(PLAIN_STYLE),
    link: Style::new().add_modifier(Modifier::UNDERLINED),
    key: REVERSED,
    code: bold(REVERSED),
    json_cursor: REVERSED,
    search_match: Style::new().add_modifier(Modifier::UNDERLINED),
    search_current: bold(Style::new().add_modifier(Modifier::UNDERLINED).add_modifier(Modifier::REVERSED)),
    json_key: bold(PLAIN_STYLE),
    json_punctuation: PLAIN_STYLE,
    json_string: PLAIN_STYLE,
    json_number: PLAIN_STYLE,
    json_bool: PLAIN_STYLE,
    json_null: PLAIN_STYLE,
    methods: [bold(PLAIN_STYLE); 6],
    statuses: [bold(PLAIN_STYLE); 4],
};

impl Theme {
    /// The theme of `appearance`.
    pub fn of(appearance: Appearance) -> &'static Theme {
        match (appearance.color, appearance.theme) {
            (false, _) => &PLAIN,
            (true, ThemeName::Dark) => &DARK,
            (true, ThemeName::Light) => &LIGHT,
        }
    }
}

thread_local! {
    /// The theme of the frame being drawn on this thread.
    static CURRENT: Cell<&'static Theme> = const { Cell::new(&DARK) };
}

/// Draws with the theme of `appearance`: every role below names its style in it.
pub fn with<T>(appearance: Appearance, draw: impl FnOnce() -> T) -> T {
    let before = CURRENT.with(|current| current.replace(Theme::of(appearance)));
    let drawn = draw();
    CURRENT.with(|current| current.set(before));
    drawn
}

fn current() -> &'static Theme {
    CURRENT.with(Cell::get)
}

/// The frame of a spinner, for anything that runs in the background.
pub fn spinner(step: usize) -> char {
    const FRAMES: [char; 10] = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
    FRAMES[step % FRAMES.len()]
}

pub fn border(focused: bool) -> Style {
    let t = current();
    if focused { t.border_focused } else { t.border }
}

pub fn title(focused: bool) -> Style {
    let t = current();
    if focused { t.title_focused } else { t.title }
}

pub fn method(method: Method) -> Style {
    let index = match method {
        Method::Get => 0,
        Method::Post => 1,
        Method::Put => 2,
        Method::Patch => 3,
        Method::Delete => 4,
        Method::Head | Method::Options | Method::Trace => 5,
    };
    current().methods[index]
}

pub fn status(code: u16) -> Style {
    let index = match code {
        200..=299 => 0,
        300..=399 => 1,
        400..=499 => 2,
        _ => 3,
    };
    current().statuses[index]
}

pub fn selected(focused: bool) -> Style {
    let t = current();
    if focused { t.selected } else { t.selected_unfocused }
}

pub fn dim() -> Style {
    current().dim
}

pub fn heading() -> Style {
    current().heading
}

pub fn error() -> Style {
    current().error
}

pub fn info() -> Style {
    current().info
}

/// Something that went well (signed in).
pub fn ok() -> Style {
    current().ok
}

/// Something to look at (signed out, a refresh in trouble).
pub fn warn() -> Style {
    current().warn
}

/// An address to open or copy.
pub fn link() -> Style {
    current().link
}

/// Bold, in any theme.
pub fn strong() -> Style {
    Style::new().add_modifier(Modifier::BOLD)
}

/// A hint shown in place of an empty value.
pub fn placeholder() -> Style {
    current().dim.add_modifier(Modifier::ITALIC)
}

pub fn key() -> Style {
    current().key
}

/// A code to type in elsewhere (the device code): big and unmissable.
pub fn code() -> Style {
    current().code
}

/// The inspector's cursor row: a background every value colour stays readable on.
pub fn json_cursor() -> Style {
    current().json_cursor
}

/// A search match in the inspector.
pub fn search_match() -> Style {
    current().search_match
}

/// The match `n` / `N` last went to.
pub fn search_current() -> Style {
    current().search_current
}

pub fn json_key() -> Style {
    current().json_key
}

pub fn json_punctuation() -> Style {
    current().json_punctuation
}

pub fn json_scalar(kind: ScalarKind) -> Style {
    let t = current();
    match kind {
        ScalarKind::String => t.json_string,
        ScalarKind::Number => t.json_number,
        ScalarKind::Bool => t.json_bool,
        ScalarKind::Null => t.json_null,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn styles(theme: &Theme) -> Vec<Style> {
        let mut all = vec![
            theme.border,
            theme.border_focused,
            theme.title,
            theme.title_focused,
            theme.selected,
            theme.selected_unfocused,
            theme.dim,
            theme.heading,
            theme.error,
            theme.info,
            theme.ok,
            theme.warn,
            theme.link,
            theme.key,
            theme.code,
            theme.json_cursor,
            theme.search_match,
            theme.search_current,
            theme.json_key,
            theme.json_punctuation,
            theme.json_string,
            theme.json_number,
            theme.json_bool,
            theme.json_null,
        ];
        all.extend(theme.methods);
        all.extend(theme.statuses);
        all
    }

    #[test]
    fn no_color_means_no_colour_at_all_but_the_marks_stay() {
        for style in styles(&PLAIN) {
            assert_eq!((style.fg, style.bg), (None, None), "{style:?}");
        }
        assert!(PLAIN.selected.add_modifier.contains(Modifier::REVERSED));
        assert!(PLAIN.json_cursor.add_modifier.contains(Modifier::REVERSED));
        assert_ne!(PLAIN.search_match, PLAIN.search_current, "the current match stands out");
        assert_ne!(PLAIN.border, PLAIN.border_focused, "focus shows");
    }

    #[test]
    fn the_light_theme_has_no_text_in_yellow_or_cyan() {
        for style in styles(&LIGHT) {
            assert!(!matches!(style.fg, Some(Color::Yellow | Color::Cyan | Color::LightYellow)), "{style:?}");
        }
    }

    #[test]
    fn a_frame_draws_with_its_own_theme_and_leaves_the_others_alone() {
        let plain = Appearance { theme: ThemeName::Dark, color: false };
        assert_eq!(with(plain, info), PLAIN.info);
        assert_eq!(info(), DARK.info, "back to the default after the frame");
        let light = Appearance { theme: ThemeName::Light, color: true };
        assert_eq!(with(light, || with(plain, error)), PLAIN.error);
    }
}
