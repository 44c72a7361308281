//! What the screen gets for one line of the tree: plain data, built only for the rows it shows.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Container {
    Object,
    Array,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScalarKind {
    String,
    Number,
    Bool,
    Null,
}

/// What a row shows after its key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RowToken {
    /// `{` or `[` of an expanded container.
    Open(Container),
    /// `}` or `]`.
    Close(Container),
    /// A folded container with its exact number of children; an empty container is always `children: 0`
    /// (shown as `{}` / `[]`, and it cannot be unfolded).
    Folded { container: Container, children: usize },
    /// A scalar as JSON text, as in the body: strings keep their quotes and escapes (`"a\"b"`), numbers their
    /// digits (`1e400`, `1.50`). Text past [`ROW_TEXT_LIMIT`](super::ROW_TEXT_LIMIT) bytes is cut and ends in `…`.
    Scalar { kind: ScalarKind, text: String },
}

/// Which parts of a row match the current search (the screen highlights the query's occurrences in them).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RowHit {
    pub key: bool,
    pub value: bool,
    /// The match that `n` / `N` last jumped to.
    pub current: bool,
}

impl RowHit {
    pub fn any(self) -> bool {
        self.key || self.value
    }
}

/// One line of the tree view.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub depth: usize,
    /// The member name when the row is an object member (decoded; the screen escapes it).
    pub key: Option<String>,
    pub token: RowToken,
    /// Whether a comma follows (not the last member of its container).
    pub comma: bool,
    pub hit: RowHit,
}
