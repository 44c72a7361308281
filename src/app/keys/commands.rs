//! Every command a key can run, per context, with its `config.toml` name, its default keys and its help text. This
//! is the only place a default key is written.

use super::table::Context;
use crate::commands;

commands! {
    /// The explorer's keys, whatever pane has focus (`send` and `force_quit` even while typing).
    pub enum ExplorerCommand in Context::Explorer {
        Send = "send" ["ctrl-r", "f5"] "send the request being edited, from anywhere",
        FocusNext = "focus_next" ["tab"] "move focus to the next pane",
        FocusPrevious = "focus_previous" ["shift-tab"] "move focus to the previous pane",
        Up = "up" ["up", "k"] "move up",
        Down = "down" ["down", "j"] "move down",
        PageUp = "page_up" ["pgup", "ctrl-u"] "a page up",
        PageDown = "page_down" ["pgdn", "ctrl-d"] "a page down",
        Top = "top" ["home", "g"] "to the first row",
        Bottom = "bottom" ["end", "G"] "to the last row",
        Activate = "activate" ["enter"] "send the selected operation, edit the value, keep the filter",
        Back = "back" ["esc"] "leave a text field; cancel a running request; clear the filter",
        SignIn = "sign_in" ["L"] "sign in (again, with any scope an operation asked for)",
        SwitchProfile = "switch_profile" ["P"] "switch to another profile: its API, its sign-in, its session",
        History = "history" ["ctrl-o", "f2"] "the history: every exchange of this profile, newest first",
        Variables = "variables" ["V"] "the variables: {{name}} in any field is replaced by its value",
        SaveRequest = "save_request" ["ctrl-s"] "save the request as edited under a name (a saved one: update it)",
        CopyCurl = "copy_curl" ["c"] "copy the request as a curl line, its token by `zorgtui … token` (OSC 52)",
        CopyCurlWithToken = "copy_curl_with_token" ["C"] "copy it as a curl line with the live token in it (anyone who sees it can use it)",
        NextPage = "next_page" [">"] "the list's next page (skip moved by limit, or the Link header's next)",
        PreviousPage = "previous_page" ["<"] "the list's previous page",
        Help = "help" ["?"] "this help",
        Quit = "quit" ["q"] "quit (when no text field has the keyboard)",
        ForceQuit = "force_quit" ["ctrl-c"] "quit, always",
    }
}

commands! {
    /// The endpoint list's own keys.
    pub enum CatalogueCommand in Context::Catalogue {
        Filter = "filter" ["/"] "filter by method, path or summary as you type",
        RenameSaved = "rename_saved" ["r"] "on a saved request: rename it",
        DeleteSaved = "delete_saved" ["d", "delete"] "on a saved request: delete it (asks first)",
    }
}

commands! {
    /// The request editor's own keys.
    pub enum EditorCommand in Context::Editor {
        Edit = "edit" ["i", "e"] "edit the value, or take a server variable's next; on Body, edit the body",
        PreviousServer = "previous_server" ["left", "h"] "on Server or a server variable: the previous server or value",
        NextServer = "next_server" ["right", "l"] "on Server or a server variable: the next server or value",
        AddHeader = "add_header" ["a"] "add a header, typed as Name: value",
        Remove = "remove" ["d", "delete"] "remove an added header, or empty a value (a server variable: its default)",
    }
}

commands! {
    /// The response pane's own keys (its body has the inspector's).
    pub enum ResponseCommand in Context::Response {
        ToggleHeaders = "toggle_headers" ["H"] "show the headers instead of the body",
        SetVariable = "set_variable" ["v"] "keep the value under the cursor as a variable (a name is offered, ↑↓ others)",
        FollowLink = "follow_link" ["f"] "open what a link of the spec offers after this response, filled in (again: the next)",
    }
}

commands! {
    /// The History view (its list moves with the explorer's keys; Esc or the history key closes it).
    pub enum HistoryCommand in Context::History {
        Open = "open" ["enter"] "show its response in the response pane",
        Edit = "edit" ["e"] "put its request back in the editor",
        Resend = "resend" ["r"] "send it again",
        Filter = "filter" ["/"] "filter by method, path, status or state as you type",
    }
}

commands! {
    /// The Variables view (its list moves with the explorer's keys; Esc or the variables key closes it).
    pub enum VariablesCommand in Context::Variables {
        Edit = "edit" ["enter", "e"] "change the value",
        Add = "add" ["a"] "add one, typed as name = value",
        Remove = "remove" ["d", "delete"] "remove it",
    }
}

commands! {
    /// The Sign-in pane's own keys.
    pub enum AuthCommand in Context::Auth {
        SignOut = "sign_out" ["x"] "sign out: revoke the refresh token, forget the session, end it at the server",
        SwitchUser = "switch_user" ["S"] "sign in as someone else (the server asks for credentials again)",
        Claims = "claims" ["c"] "what the tokens say: their claims as JSON in the response pane (never the signature)",
        RawTokens = "raw_tokens" ["R"] "the claims with the raw tokens themselves (anyone who sees them can use them)",
    }
}

commands! {
    /// The sign-in window, while the browser or a device is awaited.
    pub enum SignInCommand in Context::SignIn {
        Confirm = "confirm" ["enter"] "demo: approve (or sign out) as the demo's browser would; with an address pasted: use it",
        CopyAddress = "copy_address" ["c"] "copy the address to open (OSC 52, works over SSH)",
        PasteAddress = "paste_address" ["v", "p"] "give the address the browser landed on (or just paste it)",
        DeviceCode = "device_code" ["d"] "sign in with a code on another device",
        Cancel = "cancel" ["esc"] "cancel the sign-in (or leave the address field)",
        Help = "help" ["?"] "this help",
        Quit = "quit" ["q"] "quit",
    }
}

commands! {
    /// The help overlay.
    pub enum HelpCommand in Context::Help {
        Up = "up" ["up", "k"] "scroll up",
        Down = "down" ["down", "j"] "scroll down",
        PageUp = "page_up" ["pgup"] "a page up",
        PageDown = "page_down" ["pgdn", "space"] "a page down",
        Close = "close" ["esc", "q", "?", "enter"] "close the help",
    }
}

commands! {
    /// A text field that has the keyboard: the filter, a value, the body, the inspector's search or filter.
    pub enum TextCommand in Context::Text {
        Keep = "keep" ["enter"] "keep what was typed: the filter, the value; run the search or jq filter (in the body: a new line)",
        Leave = "leave" ["esc"] "leave the field (a value is kept; a filter of the endpoints, a search or a jq filter given up)",
        NextPane = "next_pane" ["tab"] "leave the field for the next pane",
        PreviousPane = "previous_pane" ["shift-tab"] "leave the field for the previous pane",
        Older = "older" ["up"] "in the inspector's filter: the expression before; naming a variable: another name",
        Newer = "newer" ["down"] "in the inspector's filter: the expression after; naming a variable: another name",
        DeleteToStart = "delete_to_start" ["ctrl-u"] "delete to the start",
        DeleteToEnd = "delete_to_end" ["ctrl-k"] "delete to the end",
        DeleteWord = "delete_word" ["ctrl-w"] "delete the word before the cursor",
        Undo = "undo" ["ctrl-z"] "undo",
    }
}

commands! {
    /// A question answered yes or no (replace a file? send the first write of a session? delete a saved request?).
    pub enum ConfirmCommand in Context::Confirm {
        Yes = "yes" ["y"] "yes",
        No = "no" ["n", "esc"] "no (any other key says no too)",
    }
}

commands! {
    /// A list to choose from (the profiles).
    pub enum PickerCommand in Context::Picker {
        Up = "up" ["up", "k"] "the one above",
        Down = "down" ["down", "j"] "the one below",
        Choose = "choose" ["enter"] "take it",
        Cancel = "cancel" ["esc", "q"] "keep what there is",
    }
}

commands! {
    /// The JSON inspector: the response body, and the whole screen of `zorgtui view`.
    pub enum InspectorCommand in Context::Inspector {
        Up = "up" ["up", "k"] "move up",
        Down = "down" ["down", "j"] "move down",
        PageUp = "page_up" ["pgup", "ctrl-b"] "a page up",
        PageDown = "page_down" ["pgdn", "ctrl-f"] "a page down",
        HalfPageUp = "half_page_up" ["ctrl-u"] "half a page up",
        HalfPageDown = "half_page_down" ["ctrl-d"] "half a page down",
        Top = "top" ["home", "g"] "to the top",
        Bottom = "bottom" ["end", "G"] "to the end",
        FoldOrParent = "fold_or_parent" ["left", "h"] "fold; on a folded value or a scalar: to the parent",
        UnfoldOrChild = "unfold_or_child" ["right", "l"] "unfold; on an open value: into it",
        Toggle = "toggle" ["space", "enter", "z a"] "fold or unfold",
        Level1 = "level_1" ["1"] "show that many levels",
        Level2 = "level_2" ["2"] "show that many levels",
        Level3 = "level_3" ["3"] "show that many levels",
        Level4 = "level_4" ["4"] "show that many levels",
        Level5 = "level_5" ["5"] "show that many levels",
        Level6 = "level_6" ["6"] "show that many levels",
        Level7 = "level_7" ["7"] "show that many levels",
        Level8 = "level_8" ["8"] "show that many levels",
        Level9 = "level_9" ["9"] "show that many levels",
        UnfoldAll = "unfold_all" ["0", "z R"] "unfold everything",
        FoldAll = "fold_all" ["z M"] "fold everything",
        Fold = "fold" ["z c"] "fold the value under the cursor",
        Unfold = "unfold" ["z o"] "unfold the value under the cursor",
        UnfoldSubtree = "unfold_subtree" ["z O"] "unfold everything inside the value",
        Parent = "parent" ["p"] "to the parent",
        NextSibling = "next_sibling" ["J", "]"] "to the next sibling",
        PreviousSibling = "previous_sibling" ["K", "["] "to the previous sibling",
        Search = "search" ["/"] "search keys and values as you type",
        NextMatch = "next_match" ["n"] "to the next match",
        PreviousMatch = "previous_match" ["N"] "to the previous match",
        Filter = "filter" ["|"] "jq filter, e.g. .[] | select(.x == 1) | .id (↑↓ for earlier ones)",
        Back = "back" ["esc"] "stop a search or filter; back to the whole document",
        CopyValue = "copy_value" ["y"] "copy the value (OSC 52, up to 1 MB; the line, in text)",
        CopyPath = "copy_path" ["Y"] "copy the value's path",
        Save = "save" ["s"] "save the body to a file",
        Editor = "editor" ["e"] "open the body in $EDITOR",
        Pager = "pager" ["o"] "open the body in $PAGER",
        Wrap = "wrap" ["w"] "wrap long lines",
        Raw = "raw" ["r"] "raw text instead of the tree",
    }
}

impl InspectorCommand {
    /// The levels a `level_N` command shows.
    pub fn level(self) -> Option<usize> {
        use InspectorCommand as C;
        let levels =
            [C::Level1, C::Level2, C::Level3, C::Level4, C::Level5, C::Level6, C::Level7, C::Level8, C::Level9];
        levels.iter().position(|l| *l == self).map(|i| i + 1)
    }
}

commands! {
    /// `zorgtui view`'s own keys (its body has the inspector's).
    pub enum ViewerCommand in Context::Viewer {
        Help = "help" ["?"] "this help",
        Quit = "quit" ["q"] "quit",
        ForceQuit = "force_quit" ["ctrl-c"] "quit, always",
    }
}
