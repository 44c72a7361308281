//! Any bytes as a Postman collection and as an environment: a collection or a one-line `PostmanError`, never a
//! panic; every operation's path starts with `/`, every group a request sits in is listed, and `{{…}}` substitution
//! over what was read ends.
#![no_main]

use libfuzzer_sys::fuzz_target;
use zorgtui::api::postman;

fuzz_target!(|bytes: &[u8]| {
    match postman::parse_collection(bytes, "fuzz.json") {
        Ok(collection) => {
            let catalogue = &collection.catalogue;
            for op in &catalogue.operations {
                assert!(op.path.starts_with('/'), "{}", op.path);
                assert!(catalogue.tags.iter().any(|t| t.name == op.tag), "{}", op.tag);
            }
            for tag in &catalogue.tags {
                let _ = tag.depth(catalogue);
            }
            let look = postman::lookup(None, &collection.variables);
            let _ = postman::substitute(&collection.api_base, look);
        }
        Err(error) => assert!(!error.to_string().contains('\n'), "{error}"),
    }
    if let Ok(environment) = postman::parse_environment(bytes, "fuzz.json") {
        let _ = format!("{environment:?}");
    }
});
