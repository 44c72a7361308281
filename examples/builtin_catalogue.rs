//! Writes the built-in catalogue from the ZorgAPIs OpenAPI document: run it when the document or the loader
//! changes, and review the diff.
//!
//! `cargo run --example builtin_catalogue -- [SPEC]` (SPEC: `../shared/zorgapis/openapi-v1beta2.yaml` by default)
//! writes `assets/zorgapis-v1beta2.catalogue.json`. The specs tests fail until the asset agrees with the document.

use std::path::Path;
use std::process::ExitCode;

use zorgtui::api::{builtin, openapi};

fn main() -> ExitCode {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let spec = std::env::args().nth(1).map_or_else(|| root.join("../shared/zorgapis/openapi-v1beta2.yaml"), Into::into);
    let catalogue = match openapi::load_file(&spec) {
        Ok(catalogue) => builtin::from_spec(catalogue),
        Err(e) => {
            eprintln!("builtin_catalogue: {e}");
            return ExitCode::FAILURE;
        }
    };
    let written = builtin::asset_text(&catalogue)
        .map_err(|e| e.to_string())
        .and_then(|text| std::fs::write(root.join(builtin::ASSET_PATH), text).map_err(|e| e.to_string()));
    match written {
        Ok(()) => {
            eprintln!("wrote {} ({} operations)", builtin::ASSET_PATH, catalogue.operations.len());
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("builtin_catalogue: cannot write {}: {e}", builtin::ASSET_PATH);
            ExitCode::FAILURE
        }
    }
}
