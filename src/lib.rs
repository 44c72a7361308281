//! zorgtui: a terminal UI for exploring OAuth-protected HTTP APIs.
//!
//! Floors, top to bottom (every import points down): `run` (the loop, owns the terminal) → `ui` (draws) → `app`
//! (the pure core: `Action` → `update` → `Effect`) → the engines `auth`, `api`, `json`, `config`, `workspace` (the day's
//! work: history, saved requests, variables), which know nothing of the screen. `cli` is a second door beside `run`, on the same engines.
//!
//! The core (`app`, `ui`) reads no clock and no file: time comes with each action, and a body on disk is read only
//! from what a job has put in its page cache (`json::Access::Held`); the shell has the pages a frame missed read
//! after it, and draws again. `tests/it/layers.rs` fails when either floor is broken.

pub mod api;
pub mod app;
pub mod auth;
pub mod cli;
pub mod config;
pub mod demo;
pub mod http;
pub mod json;
pub mod logging;
pub mod private_files;
pub mod run;
pub mod secret;
#[doc(hidden)]
pub mod testing;
pub mod text;
pub mod tui;
pub mod ui;
pub mod workspace;
