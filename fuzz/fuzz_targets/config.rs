//! Any text as `config.toml`: a configuration or a `ConfigError` with its line, never a panic; a profile selected
//! from a configuration that reads.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use zorgtui::config::{Config, Overrides};

fuzz_target!(|text: &str| {
    let Ok(config) = Config::parse(text, Path::new("/fuzz/config.toml")) else { return };
    let _ = config.select(None, &Overrides::default());
});
