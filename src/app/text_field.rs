//! Keys in a text field, the same in every field: the text area's own (arrows, Home/End, …), and the editing
//! commands of the `text` table (Ctrl-U deletes to the start as in a shell, Ctrl-Z undoes, …), which a person may
//! put on other keys.

use ratatui::crossterm::event::KeyEvent;
use ratatui_textarea::TextArea;

use super::keys::{Key, Table, TextCommand};

/// A key for a field: one of the `text` table's editing commands, or a key for the text area itself.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FieldKey {
    Edit(TextCommand),
    Type(KeyEvent),
}

/// What `key` does in a field, by the `text` table.
pub(crate) fn field_key(keys: &Table<TextCommand>, key: KeyEvent) -> FieldKey {
    match keys.command(Key::from_event(&key)) {
        Some(
            command @ (TextCommand::DeleteToStart
            | TextCommand::DeleteToEnd
            | TextCommand::DeleteWord
            | TextCommand::Undo),
        ) => FieldKey::Edit(command),
        _ => FieldKey::Type(key),
    }
}

/// Applies a field key to `area`. Returns whether the text changed.
pub(crate) fn apply(area: &mut TextArea<'_>, key: FieldKey) -> bool {
    match key {
        FieldKey::Edit(TextCommand::DeleteToStart) => area.delete_line_by_head(),
        FieldKey::Edit(TextCommand::DeleteToEnd) => area.delete_line_by_end(),
        FieldKey::Edit(TextCommand::DeleteWord) => area.delete_word(),
        FieldKey::Edit(TextCommand::Undo) => area.undo(),
        FieldKey::Edit(_) => false,
        // The text area's own keys: Ctrl-U would undo there, so an editing key that was moved elsewhere types
        // nothing rather than its old meaning.
        FieldKey::Type(key) if is_editing_default(key) => false,
        FieldKey::Type(key) => area.input(key),
    }
}

/// Types `key` into `area`. Returns whether the text changed.
pub(crate) fn type_key(area: &mut TextArea<'_>, keys: &Table<TextCommand>, key: KeyEvent) -> bool {
    apply(area, field_key(keys, key))
}

/// Whether `key` is one of the text area's own editing keys that the `text` table stands in for.
fn is_editing_default(key: KeyEvent) -> bool {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};
    key.modifiers.contains(KeyModifiers::CONTROL) && matches!(key.code, KeyCode::Char('u' | 'k' | 'w' | 'z'))
}

#[cfg(test)]
mod tests {
    use ratatui::crossterm::event::{KeyCode, KeyModifiers};

    use super::*;

    fn ctrl(c: char) -> KeyEvent {
        KeyEvent::new(KeyCode::Char(c), KeyModifiers::CONTROL)
    }

    fn typed(keys: &Table<TextCommand>, text: &str) -> TextArea<'static> {
        let mut area = TextArea::default();
        for c in text.chars() {
            type_key(&mut area, keys, KeyEvent::new(KeyCode::Char(c), KeyModifiers::NONE));
        }
        area
    }

    #[test]
    fn ctrl_u_deletes_to_the_start_and_ctrl_z_undoes() {
        let keys = Table::defaults();
        let mut area = typed(&keys, "abc def");
        assert!(type_key(&mut area, &keys, ctrl('u')));
        assert_eq!(area.lines(), [""]);
        assert!(type_key(&mut area, &keys, ctrl('z')));
        assert_eq!(area.lines(), ["abc def"]);
        assert!(type_key(&mut area, &keys, ctrl('w')));
        assert_eq!(area.lines(), ["abc "]);
    }

    #[test]
    fn editing_keys_follow_the_table() {
        let mut keys = Table::defaults();
        keys.rebind(TextCommand::Undo, vec![crate::app::keys::KeySeq::parse("alt-u").unwrap()]);
        let mut area = typed(&keys, "abc");
        assert!(type_key(&mut area, &keys, ctrl('u')));
        assert!(!type_key(&mut area, &keys, ctrl('z')), "Ctrl-Z no longer undoes");
        assert!(type_key(&mut area, &keys, KeyEvent::new(KeyCode::Char('u'), KeyModifiers::ALT)));
        assert_eq!(area.lines(), ["abc"]);
    }
}
