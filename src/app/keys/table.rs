//! One binding table per context: key(s) → command, each command with its name in `config.toml` and its help
//! text. Dispatch, the status-bar hints and the `?` help all read the table, so they cannot disagree.

use std::fmt::Debug;

use super::key::{Key, KeySeq};

/// Where a table applies. The name is the `[keys.NAME]` table of `config.toml`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Context {
    Explorer,
    Catalogue,
    Editor,
    Response,
    Auth,
    SignIn,
    Help,
    Text,
    Confirm,
    Picker,
    Inspector,
    Viewer,
    History,
    Variables,
}

impl Context {
    pub const ALL: [Context; 14] = [
        Context::Explorer,
        Context::Catalogue,
        Context::Editor,
        Context::Response,
        Context::Auth,
        Context::SignIn,
        Context::Help,
        Context::Text,
        Context::Confirm,
        Context::Picker,
        Context::Inspector,
        Context::Viewer,
        Context::History,
        Context::Variables,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Context::Explorer => "explorer",
            Context::Catalogue => "catalogue",
            Context::Editor => "editor",
            Context::Response => "response",
            Context::Auth => "auth",
            Context::SignIn => "sign_in",
            Context::Help => "help",
            Context::Text => "text",
            Context::Confirm => "confirm",
            Context::Picker => "picker",
            Context::Inspector => "inspector",
            Context::Viewer => "viewer",
            Context::History => "history",
            Context::Variables => "variables",
        }
    }

    /// The heading of its section in the help.
    pub fn title(self) -> &'static str {
        match self {
            Context::Explorer => "Everywhere",
            Context::Catalogue => "Endpoints",
            Context::Editor => "Request",
            Context::Response => "Response",
            Context::Auth => "Sign-in pane",
            Context::SignIn => "Sign-in window",
            Context::Help => "This help",
            Context::Text => "Typing in a field",
            Context::Confirm => "A yes/no question",
            Context::Picker => "Choosing from a list (profiles)",
            Context::Inspector => "Response body (the JSON inspector, also `zorgtui view`)",
            Context::Viewer => "zorgtui view",
            Context::History => "History view",
            Context::Variables => "Variables view",
        }
    }

    pub fn from_name(name: &str) -> Option<Context> {
        Context::ALL.into_iter().find(|c| c.name() == name)
    }
}

/// The commands of one context, declared with [`commands!`](crate::commands).
pub trait Command: Copy + Eq + Debug + 'static {
    const CONTEXT: Context;
    /// Every command, in the order the help lists them.
    const ALL: &'static [Self];
    /// Its name in `config.toml`.
    fn name(self) -> &'static str;
    /// What it does, for the help.
    fn help(self) -> &'static str;
    /// Its keys when `config.toml` says nothing.
    fn default_keys(self) -> &'static [&'static str];
}

/// Declares a context's commands: name in `config.toml`, default keys, help text; all in one place.
#[macro_export]
macro_rules! commands {
    ($(#[$meta:meta])* $vis:vis enum $name:ident in $context:path {
        $($(#[$vmeta:meta])* $variant:ident = $config:literal [$($key:literal),* $(,)?] $help:literal,)*
    }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        $vis enum $name { $($(#[$vmeta])* $variant,)* }

        impl $crate::app::keys::Command for $name {
            const CONTEXT: $crate::app::keys::Context = $context;
            const ALL: &'static [Self] = &[$($name::$variant,)*];
            fn name(self) -> &'static str {
                match self { $($name::$variant => $config,)* }
            }
            fn help(self) -> &'static str {
                match self { $($name::$variant => $help,)* }
            }
            fn default_keys(self) -> &'static [&'static str] {
                match self { $($name::$variant => &[$($key,)*],)* }
            }
        }
    };
}

/// What a key means in a table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Lookup<C> {
    Command(C),
    /// The first key of a sequence (`z` of `z M`): the next key completes it.
    Prefix(Key),
    None,
}

/// One context's keys.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table<C: Command> {
    /// Every command of the context, in `C::ALL` order, with its keys (none when unbound).
    bindings: Vec<(C, Vec<KeySeq>)>,
}

impl<C: Command> Table<C> {
    /// The keys when `config.toml` changes nothing.
    pub fn defaults() -> Table<C> {
        let bindings = C::ALL
            .iter()
            .map(|&command| {
                let keys = command
                    .default_keys()
                    .iter()
                    .map(|text| KeySeq::parse(text).unwrap_or_else(|e| panic!("default key of {command:?}: {e}")))
                    .collect();
                (command, keys)
            })
            .collect();
        Table { bindings }
    }

    /// The command named `name` in `config.toml`.
    pub fn command_named(name: &str) -> Option<C> {
        C::ALL.iter().copied().find(|c| c.name() == name)
    }

    /// Gives `command` exactly `keys`, taking each from the command that had it.
    pub fn rebind(&mut self, command: C, keys: Vec<KeySeq>) {
        for (other, bound) in &mut self.bindings {
            if *other != command {
                bound.retain(|k| !keys.contains(k));
            }
        }
        if let Some((_, bound)) = self.bindings.iter_mut().find(|(c, _)| *c == command) {
            *bound = keys;
        }
    }

    /// What `key` means after the keys `pending` of an unfinished sequence (none, usually).
    pub fn lookup(&self, pending: &[Key], key: Key) -> Lookup<C> {
        let mut typed = pending.to_vec();
        typed.push(key);
        let mut prefix = false;
        for (command, keys) in &self.bindings {
            for seq in keys {
                if seq.0 == typed {
                    return Lookup::Command(*command);
                }
                prefix |= seq.0.len() > typed.len() && seq.0.starts_with(&typed);
            }
        }
        if prefix { Lookup::Prefix(key) } else { Lookup::None }
    }

    /// The command `key` alone runs.
    pub fn command(&self, key: Key) -> Option<C> {
        match self.lookup(&[], key) {
            Lookup::Command(command) => Some(command),
            _ => None,
        }
    }

    pub fn keys(&self, command: C) -> &[KeySeq] {
        self.bindings.iter().find(|(c, _)| *c == command).map_or(&[], |(_, keys)| keys.as_slice())
    }

    /// Every key of `command`, as the help shows them: `Ctrl-R / F5`.
    pub fn label(&self, command: C) -> String {
        self.keys(command).iter().map(ToString::to_string).collect::<Vec<_>>().join(" / ")
    }

    /// The first key of `command`, as a hint shows it; `None` when it has no key.
    pub fn first(&self, command: C) -> Option<String> {
        self.keys(command).first().map(ToString::to_string)
    }

    /// The key to name in a message: the first of `command`'s, or the command's name when it has none.
    pub fn name(&self, command: C) -> String {
        self.first(command).unwrap_or_else(|| format!("`{}` (no key)", command.name()))
    }

    /// The first keys of several commands side by side, then their second keys: `↑↓/kj`.
    pub fn pair(&self, commands: &[C]) -> Option<String> {
        let nth = |n: usize| -> Option<String> {
            commands
                .iter()
                .map(|c| self.keys(*c).get(n).map(ToString::to_string))
                .collect::<Option<Vec<_>>>()
                .map(|v| v.concat())
        };
        let first = nth(0)?;
        Some(match nth(1) {
            Some(second) => format!("{first}/{second}"),
            None => first,
        })
    }

    pub fn bindings(&self) -> &[(C, Vec<KeySeq>)] {
        &self.bindings
    }
}
