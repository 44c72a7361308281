//! The built-in ZorgAPIs v1beta2 catalogue, ready before the first frame without any YAML: plain data (the
//! catalogue as JSON, read with serde), made from the ZorgAPIs OpenAPI document by
//! `cargo run --example builtin_catalogue` and checked against that document by the specs tests, so drift is caught.

use crate::api::Catalogue;

/// [`Catalogue::source`] of the built-in catalogue.
pub const SOURCE: &str = "built-in";

/// Where the asset lives, for the program that writes it.
pub const ASSET_PATH: &str = "assets/zorgapis-v1beta2.catalogue.json";

const ASSET: &str = include_str!("../../assets/zorgapis-v1beta2.catalogue.json");

/// The ZorgAPIs v1beta2 operations, tags, servers (sandbox first), security schemes and OAuth scopes.
pub fn catalogue() -> Catalogue {
    match serde_json::from_str::<Catalogue>(ASSET) {
        Ok(catalogue) => Catalogue { source: SOURCE.to_string(), ..catalogue },
        // Only a broken build gets here (the tests read the asset); an empty list with a reason beats a crash.
        Err(e) => Catalogue {
            title: "ZorgAPIs".to_string(),
            source: SOURCE.to_string(),
            notices: vec![format!("the built-in catalogue could not be read: {e}")],
            ..Catalogue::default()
        },
    }
}

/// The built-in catalogue as made from `spec`, the ZorgAPIs document as loaded: the sandbox server first (it is
/// where a person tries things), and named as built in.
pub fn from_spec(spec: Catalogue) -> Catalogue {
    let mut catalogue = Catalogue { source: SOURCE.to_string(), ..spec };
    catalogue.servers.sort_by_key(|s| !s.url.contains("sandbox"));
    catalogue
}

/// The asset's text for `catalogue`: JSON, one line, stable (every map in it is ordered).
pub fn asset_text(catalogue: &Catalogue) -> Result<String, serde_json::Error> {
    serde_json::to_string(catalogue).map(|mut text| {
        text.push('\n');
        text
    })
}
