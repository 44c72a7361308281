//! The full key reference behind `?`, and how it is laid out: `update` needs the row count to stop scrolling at the
//! last page, and the screen draws the same rows.

use ratatui::layout::Rect;

/// Width of the key column, indent included.
pub const KEY_COLUMN: usize = 28;

/// A group of keys in the help overlay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HelpSection {
    pub title: &'static str,
    pub keys: &'static [(&'static str, &'static str)],
}

/// Every key, grouped by where it works.
pub fn help_sections() -> &'static [HelpSection] {
    &[
        HelpSection {
            title: "Everywhere",
            keys: &[
                ("Tab / Shift-Tab", "move focus between panes"),
                ("mouse click", "focus a pane and select the row"),
                ("mouse wheel", "scroll the pane under the pointer"),
                ("Ctrl-R / F5", "send the request being edited"),
                ("Esc", "leave a text field; cancel a running request"),
                ("?", "this help"),
                ("q", "quit (when no text field has the keyboard)"),
                ("Ctrl-C", "quit, always"),
            ],
        },
        HelpSection {
            title: "Sign-in",
            keys: &[
                ("L", "sign in (again, with any scope an operation asked for)"),
                ("x (in the Sign-in pane)", "sign out: revoke the refresh token, forget the session"),
                ("c (sign-in window)", "copy the address to open (OSC 52, works over SSH)"),
                ("v or paste", "give the address the browser landed on"),
                ("d (sign-in window)", "sign in with a code on another device"),
                ("Enter (demo)", "approve as the demo user"),
                ("Esc (sign-in window)", "cancel the sign-in"),
            ],
        },
        HelpSection {
            title: "Endpoints",
            keys: &[
                ("↑ ↓ / j k", "move"),
                ("PgUp PgDn / Ctrl-U Ctrl-D", "page"),
                ("g / G", "first / last"),
                ("Enter", "send (asks first for a missing required value)"),
                ("/", "filter by method, path or summary as you type"),
                ("Enter (filtering)", "keep the filter"),
                ("Esc (filtering)", "clear the filter"),
            ],
        },
        HelpSection {
            title: "Request",
            keys: &[
                ("↑ ↓ / j k", "move between values"),
                ("Enter / i", "edit the value (Enter or Esc keeps it)"),
                ("← → on Server", "choose where requests go"),
                ("a", "add a header, typed as Name: value"),
                ("d / Delete", "remove an added header, or empty a value"),
                ("Enter on Body", "edit the body; Esc leaves it"),
            ],
        },
        HelpSection {
            title: "Typing in a field",
            keys: &[
                ("Ctrl-U / Ctrl-K", "delete to the start / to the end"),
                ("Ctrl-W", "delete the word before the cursor"),
                ("Ctrl-Z", "undo"),
            ],
        },
        HelpSection { title: "Response", keys: &[("H", "show the headers instead of the body")] },
        HelpSection {
            title: "Response body (the JSON inspector, also `zorgtui view`)",
            keys: super::inspector::HELP_KEYS,
        },
    ]
}

/// The keys of `zorgtui view`.
pub fn viewer_help_sections() -> &'static [HelpSection] {
    &[
        HelpSection { title: "zorgtui view", keys: &[("q", "quit"), ("Ctrl-C", "quit, always"), ("?", "this help")] },
        HelpSection { title: "Inspector", keys: super::inspector::HELP_KEYS },
    ]
}

/// One row of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Heading(&'static str),
    /// A key and the first line of what it does.
    Key(&'static str, String),
    /// More of what the key above does, under its text.
    More(String),
    Blank,
}

/// Where the overlay sits: as wide and as tall as its rows need (the screen less a margin at most), centred.
pub fn help_area(screen: Rect, sections: &[HelpSection]) -> Rect {
    let longest = sections
        .iter()
        .flat_map(|s| s.keys.iter().map(|(_, text)| KEY_COLUMN + text.chars().count()))
        .chain(sections.iter().map(|s| s.title.chars().count()))
        .max()
        .unwrap_or(0);
    let wanted = u16::try_from(longest + 2).unwrap_or(u16::MAX);
    let width = screen.width.saturating_sub(4).min(wanted);
    let rows = help_rows(sections, usize::from(width.saturating_sub(2))).len();
    let height = screen.height.saturating_sub(2).min(u16::try_from(rows + 2).unwrap_or(u16::MAX));
    Rect { x: screen.x + (screen.width - width) / 2, y: screen.y + (screen.height - height) / 2, width, height }
}

/// The rows at an inner width of `width` cells; texts too long for it continue on rows of their own.
pub fn help_rows(sections: &[HelpSection], width: usize) -> Vec<HelpRow> {
    let room = width.saturating_sub(KEY_COLUMN).max(12);
    let mut rows = Vec::new();
    for section in sections {
        rows.push(HelpRow::Heading(section.title));
        for (key, text) in section.keys {
            let mut lines = wrap_words(text, room).into_iter();
            rows.push(HelpRow::Key(key, lines.next().unwrap_or_default()));
            rows.extend(lines.map(HelpRow::More));
        }
        rows.push(HelpRow::Blank);
    }
    rows
}

/// The furthest the overlay scrolls: the last row at the bottom.
pub fn help_max_offset(sections: &[HelpSection], screen: Rect) -> usize {
    let area = help_area(screen, sections);
    let inner_height = usize::from(area.height.saturating_sub(2));
    help_rows(sections, usize::from(area.width.saturating_sub(2))).len().saturating_sub(inner_height)
}

/// Greedy word wrap; a word longer than the room gets a row of its own.
fn wrap_words(text: &str, room: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split(' ') {
        if !line.is_empty() && line.chars().count() + 1 + word.chars().count() > room {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    lines.push(line);
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_screens_show_every_text_on_one_row() {
        let sections = help_sections();
        let area = help_area(Rect::new(0, 0, 160, 48), sections);
        let rows = help_rows(sections, usize::from(area.width - 2));
        assert!(!rows.iter().any(|r| matches!(r, HelpRow::More(_))), "{rows:?}");
        assert!(area.width < 160);
    }

    #[test]
    fn narrow_screens_wrap_texts_under_their_column() {
        let sections = help_sections();
        let rows = help_rows(sections, 60);
        let sign_in = rows.iter().position(|r| matches!(r, HelpRow::Key("L", _))).unwrap();
        assert_eq!(rows[sign_in], HelpRow::Key("L", "sign in (again, with any scope".into()));
        assert_eq!(rows[sign_in + 1], HelpRow::More("an operation asked for)".into()));
    }

    #[test]
    fn scrolling_stops_with_the_last_row_at_the_bottom() {
        let sections = help_sections();
        let screen = Rect::new(0, 0, 80, 24);
        let area = help_area(screen, sections);
        let rows = help_rows(sections, usize::from(area.width - 2));
        assert_eq!(help_max_offset(sections, screen) + usize::from(area.height - 2), rows.len());
        assert_eq!(help_max_offset(sections, Rect::new(0, 0, 200, 200)), 0);
    }
}
