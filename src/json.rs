//! The JSON engine behind the response pane and `zorgtui view`.
//!
//! A body ([`Source`]: memory or a file) is indexed once, off the render path, into a [`Document`]: the bytes kept
//! once plus about 5 bytes per value. An [`Inspector`] is the cursor, scroll and fold state over it and hands the screen
//! only the rows it shows. [`search`] and [`filter`] run on a blocking thread and can be cancelled; [`RawText`]
//! gives the body's lines for the raw view and for bodies that are not JSON. No ratatui or crossterm here.

mod bits;
mod document;
mod filter;
mod filter_worker;
mod index;
mod inspector;
mod preview;
mod raw_text;
mod row;
mod scan;
mod search;
mod source;
#[doc(hidden)]
pub mod testdata;
mod token;
mod utf8;

pub use document::{Document, JsonError, OpenError};
pub use filter::{FilterError, FilterOutput, check as check_filter, filter};
pub use filter_worker::{WORKER_ARG, filter_in_child, filter_in_child_capped, run_filter, use_worker, worker_main};
pub use inspector::{Inspector, ValueAt, ValueError};
pub use preview::{PREVIEW_BYTES, Preview};
pub use raw_text::{LINE_LIMIT, RawLine, RawText};
pub use row::{Container, Row, RowHit, RowToken, ScalarKind};
pub use search::{SearchError, SearchResults, find_matches, search};
pub use source::{Access, Source, is_not_read};
pub use token::ROW_TEXT_LIMIT;
