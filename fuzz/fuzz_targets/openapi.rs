//! Any bytes as an OpenAPI 3.x or Swagger 2.0 document, JSON or YAML (the loader tells them apart itself):
//! a catalogue or a `SpecError`, never a panic, and every operation's path starts with `/`.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zorgtui::api::openapi;

fuzz_target!(|bytes: &[u8]| {
    let source = if bytes.first() == Some(&b'{') { "fuzz.json" } else { "fuzz.yaml" };
    if let Ok(catalogue) = openapi::parse(bytes, source) {
        let _ = format!("{catalogue:?}");
    }
});
