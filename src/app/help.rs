//! The full key reference behind `?`.

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
        HelpSection { title: "Response", keys: &[("H", "show the headers instead of the body")] },
        HelpSection {
            title: "Response body (the JSON inspector, also `zorgtui view`)",
            keys: super::inspector::HELP_KEYS,
        },
    ]
}
