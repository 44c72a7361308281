//! The JSON document model behind the response pane and `zorgtui view`.
//!
//! A body is parsed once, off the render path, into a [`Document`]; an [`Inspector`] is the cursor, scroll and fold
//! state over it, and hands the screen only the rows it shows. No ratatui or crossterm here.

mod document;
mod inspector;

pub use document::{Document, JsonError};
pub use inspector::{Container, Inspector, Row, RowToken, ScalarKind};
