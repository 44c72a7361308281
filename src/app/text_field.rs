//! Keys in a text field, the same in every field: the text area's own (arrows, Home/End, Ctrl-W, Ctrl-K, …), with
//! the two that people bring from their shell put where they expect them.

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use ratatui_textarea::TextArea;

/// Types `key` into `area`. Ctrl-U deletes up to the cursor as in a shell (the text area would undo); undo moves
/// to Ctrl-Z. Returns whether the text changed.
pub(crate) fn type_key(area: &mut TextArea<'_>, key: KeyEvent) -> bool {
    let ctrl = key.modifiers.contains(KeyModifiers::CONTROL);
    match key.code {
        KeyCode::Char('u') if ctrl => area.delete_line_by_head(),
        KeyCode::Char('z') if ctrl => area.undo(),
        _ => area.input(key),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_and_ctrl_z_undoes() {
        let mut area = TextArea::default();
        for c in "abc def".chars() {
            type_key(&mut area, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        assert!(type_key(&mut area, ctrl('u')));
        assert_eq!(area.lines(), [""]);
        assert!(type_key(&mut area, ctrl('z')));
        assert_eq!(area.lines(), ["abc def"]);
    }
}
