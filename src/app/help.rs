//! The full key reference behind `?` (made from the key tables, see `keys::Keymap::help`), and how it is laid out:
//! `update` needs the row count to stop scrolling at the last page, and the screen draws the same rows. Both
//! screens scroll it through [`scrolled`].

use ratatui::layout::Rect;

use super::keys::HelpSection;

/// Width of the key column, indent included.
pub const KEY_COLUMN: usize = 28;

/// One row of the overlay.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HelpRow {
    Heading(&'static str),
    /// A key and the first line of what it does.
    Key(String, String),
    /// More of what the key above does, under its text.
    More(String),
    Blank,
}

/// Where the overlay sits: as wide and as tall as its rows need (the screen less a margin at most), centred.
pub fn help_area(screen: Rect, sections: &[HelpSection]) -> Rect {
    let longest = sections
        .iter()
        .flat_map(|s| s.rows.iter().map(|(_, text)| KEY_COLUMN + crate::text::layout::width(text)))
        .chain(sections.iter().map(|s| crate::text::layout::width(s.title)))
        .max()
        .unwrap_or(0);
    let width = screen.width.saturating_sub(4).min(u16::try_from(longest + 2).unwrap_or(u16::MAX));
    let rows = help_rows(sections, usize::from(width.saturating_sub(2))).len();
    super::layout::centered(screen, width, u16::try_from(rows + 2).unwrap_or(u16::MAX))
}

/// The rows at an inner width of `width` cells; texts too long for it continue on rows of their own.
pub fn help_rows(sections: &[HelpSection], width: usize) -> Vec<HelpRow> {
    let room = width.saturating_sub(KEY_COLUMN).max(12);
    let mut rows = Vec::new();
    for section in sections {
        rows.push(HelpRow::Heading(section.title));
        for (key, text) in &section.rows {
            let mut lines =
                crate::text::layout::wrap_words(text, room, 0).into_iter().map(|r| text[r].trim_end().to_string());
            rows.push(HelpRow::Key(key.clone(), lines.next().unwrap_or_default()));
            rows.extend(lines.map(HelpRow::More));
        }
        rows.push(HelpRow::Blank);
    }
    rows
}

/// The overlay's title, naming the keys in force that close and scroll it.
pub fn help_title(keys: &super::keys::Keymap) -> String {
    use super::keys::HelpCommand;
    let close = keys.help.first(HelpCommand::Close).unwrap_or_default();
    let scroll = keys.help.pair(&[HelpCommand::Up, HelpCommand::Down]).unwrap_or_default();
    format!(" Help — {close} closes, {scroll} scroll ")
}

/// The overlay after one of its keys: `None` when it closed, else its offset moved (both screens scroll it so).
pub fn key(offset: usize, command: super::keys::HelpCommand, sections: &[HelpSection], screen: Rect) -> Option<usize> {
    use super::keys::HelpCommand;
    let delta: isize = match command {
        HelpCommand::Close => return None,
        HelpCommand::Up => -1,
        HelpCommand::Down => 1,
        HelpCommand::PageUp => -10,
        HelpCommand::PageDown => 10,
    };
    Some(scrolled(offset, delta, sections, screen))
}

/// `offset` moved by `delta` rows, kept between the top and the last page (the last row at the bottom).
pub fn scrolled(offset: usize, delta: isize, sections: &[HelpSection], screen: Rect) -> usize {
    offset.saturating_add_signed(delta).min(help_max_offset(sections, screen))
}

/// The furthest the overlay scrolls: the last row at the bottom.
pub fn help_max_offset(sections: &[HelpSection], screen: Rect) -> usize {
    let area = help_area(screen, sections);
    let inner_height = usize::from(area.height.saturating_sub(2));
    help_rows(sections, usize::from(area.width.saturating_sub(2))).len().saturating_sub(inner_height)
}

#[cfg(test)]
mod tests {
    use super::*;

    use crate::app::keys::{Keymap, ScreenKind};

    fn help_sections() -> Vec<HelpSection> {
        Keymap::default().help(ScreenKind::Explorer)
    }

    #[test]
    fn wide_screens_show_every_text_on_one_row() {
        let sections = &help_sections();
        let area = help_area(Rect::new(0, 0, 160, 48), sections);
        let rows = help_rows(sections, usize::from(area.width - 2));
        assert!(!rows.iter().any(|r| matches!(r, HelpRow::More(_))), "{rows:?}");
        assert!(area.width < 160);
    }

    #[test]
    fn narrow_screens_wrap_texts_under_their_column() {
        let sections = &help_sections();
        let rows = help_rows(sections, 60);
        let sign_in = rows.iter().position(|r| matches!(r, HelpRow::Key(k, _) if k == "L")).unwrap();
        assert_eq!(rows[sign_in], HelpRow::Key("L".into(), "sign in (again, with any scope".into()));
        assert_eq!(rows[sign_in + 1], HelpRow::More("an operation asked for)".into()));
    }

    #[test]
    fn scrolling_stops_with_the_last_row_at_the_bottom() {
        let sections = &help_sections();
        let screen = Rect::new(0, 0, 80, 24);
        let area = help_area(screen, sections);
        let rows = help_rows(sections, usize::from(area.width - 2));
        assert_eq!(help_max_offset(sections, screen) + usize::from(area.height - 2), rows.len());
        assert_eq!(help_max_offset(sections, Rect::new(0, 0, 200, 200)), 0);
    }
}
