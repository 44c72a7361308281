//! Cursor and scroll over a document's rows. First version: every node expanded, rows built once.

use std::sync::Arc;

use super::Document;

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
    /// A folded container with its exact number of children.
    Folded { container: Container, children: usize },
    /// A scalar as JSON text (`"text"` with JSON escapes, `12.5`, `true`, `null`).
    Scalar { kind: ScalarKind, text: String },
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
}

/// View state over a document.
#[derive(Debug)]
pub struct Inspector {
    doc: Arc<Document>,
    rows: Vec<Row>,
    cursor: usize,
    offset: usize,
    viewport: usize,
}

impl Inspector {
    pub fn new(doc: Arc<Document>) -> Inspector {
        let mut rows = Vec::new();
        flatten(&doc.root, 0, None, false, &mut rows);
        Inspector { doc, rows, cursor: 0, offset: 0, viewport: 1 }
    }

    pub fn document(&self) -> &Arc<Document> {
        &self.doc
    }

    pub fn row_count(&self) -> usize {
        self.rows.len()
    }

    /// Rows `start..start + count` (fewer at the end).
    pub fn rows(&self, start: usize, count: usize) -> Vec<Row> {
        self.rows.iter().skip(start).take(count).cloned().collect()
    }

    pub fn cursor(&self) -> usize {
        self.cursor
    }

    pub fn offset(&self) -> usize {
        self.offset
    }

    /// Tells the inspector how many rows the screen shows, so the cursor stays visible.
    pub fn set_viewport(&mut self, height: usize) {
        self.viewport = height.max(1);
        self.follow_cursor();
    }

    pub fn move_by(&mut self, delta: isize) {
        let last = self.rows.len().saturating_sub(1);
        self.cursor = self.cursor.saturating_add_signed(delta).min(last);
        self.follow_cursor();
    }

    pub fn page(&mut self, down: bool) {
        let step = isize::try_from(self.viewport.saturating_sub(1).max(1)).unwrap_or(isize::MAX);
        self.move_by(if down { step } else { -step });
    }

    pub fn top(&mut self) {
        self.cursor = 0;
        self.follow_cursor();
    }

    pub fn bottom(&mut self) {
        self.cursor = self.rows.len().saturating_sub(1);
        self.follow_cursor();
    }

    /// Scrolls the view (mouse wheel) and keeps the cursor inside it.
    pub fn scroll_by(&mut self, delta: isize) {
        let max_offset = self.rows.len().saturating_sub(self.viewport);
        self.offset = self.offset.saturating_add_signed(delta).min(max_offset);
        self.cursor = self.cursor.clamp(self.offset, self.offset + self.viewport - 1);
        self.cursor = self.cursor.min(self.rows.len().saturating_sub(1));
    }

    fn follow_cursor(&mut self) {
        if self.cursor < self.offset {
            self.offset = self.cursor;
        } else if self.cursor >= self.offset + self.viewport {
            self.offset = self.cursor + 1 - self.viewport;
        }
    }
}

fn flatten(value: &serde_json::Value, depth: usize, key: Option<String>, comma: bool, rows: &mut Vec<Row>) {
    use serde_json::Value;
    let scalar = |kind, text: String| RowToken::Scalar { kind, text };
    let (open, container) = match value {
        Value::Object(map) => {
            rows.push(Row { depth, key, token: RowToken::Open(Container::Object), comma: false });
            let n = map.len();
            for (i, (k, v)) in map.iter().enumerate() {
                flatten(v, depth + 1, Some(k.clone()), i + 1 < n, rows);
            }
            (true, Container::Object)
        }
        Value::Array(items) => {
            rows.push(Row { depth, key, token: RowToken::Open(Container::Array), comma: false });
            let n = items.len();
            for (i, v) in items.iter().enumerate() {
                flatten(v, depth + 1, None, i + 1 < n, rows);
            }
            (true, Container::Array)
        }
        Value::String(s) => {
            let text = serde_json::to_string(s).unwrap_or_default();
            rows.push(Row { depth, key, token: scalar(ScalarKind::String, text), comma });
            (false, Container::Object)
        }
        Value::Number(n) => {
            rows.push(Row { depth, key, token: scalar(ScalarKind::Number, n.to_string()), comma });
            (false, Container::Object)
        }
        Value::Bool(b) => {
            rows.push(Row { depth, key, token: scalar(ScalarKind::Bool, b.to_string()), comma });
            (false, Container::Object)
        }
        Value::Null => {
            rows.push(Row { depth, key, token: scalar(ScalarKind::Null, "null".into()), comma });
            (false, Container::Object)
        }
    };
    if open {
        rows.push(Row { depth, key: None, token: RowToken::Close(container), comma });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use bytes::Bytes;

    fn inspector(json: &'static str) -> Inspector {
        Inspector::new(Arc::new(Document::parse(Bytes::from_static(json.as_bytes())).unwrap()))
    }

    #[test]
    fn rows_follow_pretty_printing() {
        let ins = inspector(r#"{"a":[1,"x"],"b":null}"#);
        let rows = ins.rows(0, 100);
        assert_eq!(rows.len(), 7);
        assert_eq!(rows[1].key.as_deref(), Some("a"));
        assert_eq!(rows[1].token, RowToken::Open(Container::Array));
        assert_eq!(rows[3].token, RowToken::Scalar { kind: ScalarKind::String, text: "\"x\"".into() });
        assert!(rows[4].comma, "the array closes with a comma before b");
        assert!(!rows[5].comma);
    }

    #[test]
    fn cursor_stays_in_view() {
        let mut ins = inspector("[1,2,3,4,5,6,7,8,9,10]");
        ins.set_viewport(3);
        ins.move_by(5);
        assert_eq!((ins.cursor(), ins.offset()), (5, 3));
        ins.bottom();
        assert_eq!(ins.cursor(), 11);
        assert_eq!(ins.offset(), 9);
        ins.scroll_by(-100);
        assert_eq!((ins.offset(), ins.cursor()), (0, 2));
    }
}
