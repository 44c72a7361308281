//! What a person pastes back over SSH: any text, parsed as the address the browser landed on, then checked as a
//! callback would be. Never a panic; a paste with the right `state` and a code is the only way to a code.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zorgtui::auth::response::{Verdict, check, parse_pasted};
use zorgtui::secret::Secret;

fuzz_target!(|text: &str| {
    let Ok(params) = parse_pasted(text) else { return };
    let state = Secret::new("fuzz-state".to_string());
    if let Verdict::Code(code) = check(&params, &state, "https://issuer.example", false) {
        assert!(params.iter().any(|(name, value)| name == "state" && value == "fuzz-state"));
        assert!(!code.expose().is_empty());
    }
});
