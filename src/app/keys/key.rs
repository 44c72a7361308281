//! A key as the binding tables and `config.toml` name it: `q`, `G`, `?`, `ctrl-r`, `f5`, `shift-tab`, `alt-x`,
//! `pgdn`, and two-key sequences such as `z M`. The same names are shown in the help and the hints (`Ctrl-R`,
//! `Shift-Tab`, `↑`).

use std::fmt;

use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};
use thiserror::Error;

/// One key press: a key and the modifiers held. Shift is part of a character (`G`, `?`), never a modifier of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub code: KeyCode,
    pub mods: KeyModifiers,
}

/// A binding: one key, or a key after a prefix (`z M`).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct KeySeq(pub Vec<Key>);

/// Why a key name cannot be read.
#[derive(Debug, Clone, Error, PartialEq, Eq)]
pub enum KeyError {
    #[error("`{0}` is not a key (write e.g. `q`, `G`, `ctrl-r`, `f5`, `shift-tab`, `pgdn`, `space`, or `z M`)")]
    Unknown(String),
    #[error("`{0}`: a sequence is at most two keys")]
    TooLong(String),
}

/// Names of the keys that are not a character, as written in `config.toml` (the first) and accepted (all).
const NAMED: &[(&[&str], KeyCode)] = &[
    (&["enter", "return"], KeyCode::Enter),
    (&["esc", "escape"], KeyCode::Esc),
    (&["tab"], KeyCode::Tab),
    (&["backtab"], KeyCode::BackTab),
    (&["space"], KeyCode::Char(' ')),
    (&["backspace"], KeyCode::Backspace),
    (&["delete", "del"], KeyCode::Delete),
    (&["insert", "ins"], KeyCode::Insert),
    (&["home"], KeyCode::Home),
    (&["end"], KeyCode::End),
    (&["pgup", "pageup"], KeyCode::PageUp),
    (&["pgdn", "pagedown"], KeyCode::PageDown),
    (&["up"], KeyCode::Up),
    (&["down"], KeyCode::Down),
    (&["left"], KeyCode::Left),
    (&["right"], KeyCode::Right),
];

impl Key {
    pub const fn new(code: KeyCode, mods: KeyModifiers) -> Key {
        Key { code, mods }
    }

    /// The key a terminal reported, in the tables' terms: Shift folded into the character, Shift-Tab as `BackTab`.
    pub fn from_event(event: &KeyEvent) -> Key {
        let mut mods = event.modifiers & (KeyModifiers::CONTROL | KeyModifiers::ALT | KeyModifiers::SHIFT);
        let code = match event.code {
            KeyCode::Char(c) => {
                mods.remove(KeyModifiers::SHIFT);
                // With Ctrl, terminals report the letter in either case; the tables name it in lower case.
                KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
            }
            KeyCode::BackTab => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            code => code,
        };
        Key { code, mods }
    }

    /// Reads one key: `[ctrl-][alt-][shift-]NAME`, NAME a single character or a name (`enter`, `f5`, `pgdn`).
    pub fn parse(text: &str) -> Result<Key, KeyError> {
        let unknown = || KeyError::Unknown(text.to_string());
        let mut mods = KeyModifiers::NONE;
        let mut rest = text;
        // A single character is itself, `-` included; prefixes are only read off before a name or character.
        while rest.chars().count() > 1 {
            let Some((modifier, after)) = rest.split_once('-') else { break };
            match modifier.to_ascii_lowercase().as_str() {
                "ctrl" | "c" => mods |= KeyModifiers::CONTROL,
                "alt" | "a" | "meta" | "m" => mods |= KeyModifiers::ALT,
                "shift" | "s" => mods |= KeyModifiers::SHIFT,
                _ => break,
            }
            rest = if after.is_empty() { "-" } else { after };
        }
        let code = if rest.chars().count() == 1 {
            let c = rest.chars().next().ok_or_else(unknown)?;
            KeyCode::Char(if mods.contains(KeyModifiers::CONTROL) { c.to_ascii_lowercase() } else { c })
        } else {
            let lower = rest.to_ascii_lowercase();
            if let Some(number) =
                lower.strip_prefix('f').and_then(|n| n.parse::<u8>().ok()).filter(|n| (1..=24).contains(n))
            {
                KeyCode::F(number)
            } else {
                NAMED
                    .iter()
                    .find(|(names, _)| names.contains(&lower.as_str()))
                    .map(|(_, code)| *code)
                    .ok_or_else(unknown)?
            }
        };
        // Shift-Tab is a key of its own; Shift with a character is the character (`shift-g` is `G`).
        let code = match code {
            KeyCode::Tab if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::BackTab
            }
            KeyCode::Char(c) if mods.contains(KeyModifiers::SHIFT) => {
                mods.remove(KeyModifiers::SHIFT);
                KeyCode::Char(c.to_ascii_uppercase())
            }
            code => code,
        };
        Ok(Key { code, mods })
    }
}

impl KeySeq {
    /// Reads a binding: a key, or two separated by a space (`z M`).
    pub fn parse(text: &str) -> Result<KeySeq, KeyError> {
        let parts: Vec<&str> = text.split_whitespace().collect();
        match parts.as_slice() {
            [] => Err(KeyError::Unknown(text.to_string())),
            [one] => Ok(KeySeq(vec![Key::parse(one)?])),
            [first, second] => Ok(KeySeq(vec![Key::parse(first)?, Key::parse(second)?])),
            _ => Err(KeyError::TooLong(text.to_string())),
        }
    }

    pub fn first(&self) -> Option<Key> {
        self.0.first().copied()
    }
}

impl fmt::Display for Key {
    /// As people read it: `Ctrl-R`, `Shift-Tab`, `↑`, `PgDn`, `Space`, `G`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.mods.contains(KeyModifiers::CONTROL) {
            f.write_str("Ctrl-")?;
        }
        if self.mods.contains(KeyModifiers::ALT) {
            f.write_str("Alt-")?;
        }
        if self.mods.contains(KeyModifiers::SHIFT) {
            f.write_str("Shift-")?;
        }
        match self.code {
            KeyCode::Char(' ') => f.write_str("Space"),
            KeyCode::Char(c) if self.mods.contains(KeyModifiers::CONTROL) => write!(f, "{}", c.to_ascii_uppercase()),
            KeyCode::Char(c) => write!(f, "{c}"),
            KeyCode::F(n) => write!(f, "F{n}"),
            KeyCode::Up => f.write_str("↑"),
            KeyCode::Down => f.write_str("↓"),
            KeyCode::Left => f.write_str("←"),
            KeyCode::Right => f.write_str("→"),
            KeyCode::PageUp => f.write_str("PgUp"),
            KeyCode::PageDown => f.write_str("PgDn"),
            KeyCode::BackTab => f.write_str("Shift-Tab"),
            KeyCode::Enter => f.write_str("Enter"),
            KeyCode::Esc => f.write_str("Esc"),
            KeyCode::Tab => f.write_str("Tab"),
            KeyCode::Backspace => f.write_str("Backspace"),
            KeyCode::Delete => f.write_str("Delete"),
            KeyCode::Insert => f.write_str("Insert"),
            KeyCode::Home => f.write_str("Home"),
            KeyCode::End => f.write_str("End"),
            other => write!(f, "{other:?}"),
        }
    }
}

impl fmt::Display for KeySeq {
    /// `z M` is shown `zM`, as vim people write it; a single key as itself.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for key in &self.0 {
            write!(f, "{key}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(code: KeyCode, mods: KeyModifiers) -> Key {
        Key::new(code, mods)
    }

    #[test]
    fn names_are_read_as_people_write_them() {
        assert_eq!(Key::parse("q"), Ok(key(KeyCode::Char('q'), KeyModifiers::NONE)));
        assert_eq!(Key::parse("G"), Ok(key(KeyCode::Char('G'), KeyModifiers::NONE)));
        assert_eq!(Key::parse("shift-g"), Key::parse("G"));
        assert_eq!(Key::parse("ctrl-r"), Ok(key(KeyCode::Char('r'), KeyModifiers::CONTROL)));
        assert_eq!(Key::parse("Ctrl-R"), Key::parse("ctrl-r"));
        assert_eq!(Key::parse("f5"), Ok(key(KeyCode::F(5), KeyModifiers::NONE)));
        assert_eq!(Key::parse("shift-tab"), Ok(key(KeyCode::BackTab, KeyModifiers::NONE)));
        assert_eq!(Key::parse("PgDn"), Ok(key(KeyCode::PageDown, KeyModifiers::NONE)));
        assert_eq!(Key::parse("alt-x"), Ok(key(KeyCode::Char('x'), KeyModifiers::ALT)));
        assert_eq!(Key::parse("-"), Ok(key(KeyCode::Char('-'), KeyModifiers::NONE)));
        assert_eq!(Key::parse("ctrl--"), Ok(key(KeyCode::Char('-'), KeyModifiers::CONTROL)));
        assert_eq!(Key::parse("space"), Ok(key(KeyCode::Char(' '), KeyModifiers::NONE)));
        assert!(Key::parse("ctrl-").is_ok(), "a lone `-` after ctrl is the minus key");
        assert_eq!(Key::parse("hyper-x"), Err(KeyError::Unknown("hyper-x".into())));
        assert_eq!(Key::parse("f99"), Err(KeyError::Unknown("f99".into())));
        assert!(KeySeq::parse("z M").is_ok());
        assert_eq!(KeySeq::parse("a b c"), Err(KeyError::TooLong("a b c".into())));
        assert!(KeySeq::parse("  ").is_err());
    }

    #[test]
    fn what_the_terminal_reports_matches_the_table() {
        let shifted = KeyEvent::new(KeyCode::Char('G'), KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&shifted), Key::parse("G").unwrap());
        let back = KeyEvent::new(KeyCode::BackTab, KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&back), Key::parse("shift-tab").unwrap());
        let ctrl = KeyEvent::new(KeyCode::Char('R'), KeyModifiers::CONTROL | KeyModifiers::SHIFT);
        assert_eq!(Key::from_event(&ctrl), Key::parse("ctrl-r").unwrap());
    }

    #[test]
    fn keys_are_shown_as_people_read_them() {
        let shown = |text: &str| KeySeq::parse(text).unwrap().to_string();
        assert_eq!(shown("ctrl-r"), "Ctrl-R");
        assert_eq!(shown("shift-tab"), "Shift-Tab");
        assert_eq!(shown("up"), "↑");
        assert_eq!(shown("z M"), "zM");
        assert_eq!(shown("space"), "Space");
        assert_eq!(shown("pgdn"), "PgDn");
    }
}
