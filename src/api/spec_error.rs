//! Why an API description could not be loaded. Each message is one line that names the document and the problem.
//!
//! Problems inside an otherwise readable document (a dangling `$ref`, an odd parameter) are not errors: they become
//! notices on the catalogue, so one bad corner never hides the rest of the API.

use thiserror::Error;

#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SpecError {
    #[error("{origin}: cannot read it: {reason}")]
    Read { origin: String, reason: String },

    #[error("{origin} is empty")]
    Empty { origin: String },

    #[error("{origin}: invalid JSON at line {line}, column {column}: {message}")]
    Json { origin: String, line: usize, column: usize, message: String },

    /// `line`/`column` are 0 when the YAML parser gave no position (e.g. the recursion limit).
    #[error("{origin}: invalid YAML{}: {message}", position(*.line, *.column))]
    Yaml { origin: String, line: usize, column: usize, message: String },

    /// `version` names the kind too: `OpenAPI 2.5.0`, `Swagger 1.2`.
    #[error("{origin} is {version}; zorgtui reads OpenAPI 3.0 and 3.1, and Swagger 2.0")]
    UnsupportedVersion { origin: String, version: String },

    #[error("{origin} is not an OpenAPI document: {reason}")]
    NotOpenApi { origin: String, reason: String },

    /// The document says it is OpenAPI 3 but its shape is broken where nothing can be read around it.
    #[error("{origin}: {problem}")]
    Invalid { origin: String, problem: String },
}

fn position(line: usize, column: usize) -> String {
    if line == 0 { String::new() } else { format!(" at line {line}, column {column}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn yaml_error_names_position_only_when_known() {
        let with = SpecError::Yaml { origin: "a.yaml".into(), line: 3, column: 7, message: "bad indent".into() };
        assert_eq!(with.to_string(), "a.yaml: invalid YAML at line 3, column 7: bad indent");
        let without = SpecError::Yaml { origin: "a.yaml".into(), line: 0, column: 0, message: "too deep".into() };
        assert_eq!(without.to_string(), "a.yaml: invalid YAML: too deep");
    }
}
