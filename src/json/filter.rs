//! jq filters with jaq: the body parsed once into jaq's values ([`FilterInput`], kept while the person refines
//! expressions and dropped after), each expression compiled and run over it, the outputs written out and indexed
//! as a new [`Document`]: one output as itself, none or several as an array of them. Runs on a blocking thread;
//! cancelling takes effect between outputs (jaq cannot be interrupted inside one).

use std::io::Write as _;
use std::sync::atomic::{AtomicBool, Ordering};

use bytes::Bytes;
use jaq_core::load::{self, Arena, File, Loader};
use jaq_core::{Compiler, Ctx, Vars, data, unwrap_valr};
use jaq_json::Val;
use jaq_json::write::{Pp, write};
use thiserror::Error;

use super::document::{Document, JsonError};

#[derive(Debug, Error)]
pub enum FilterError {
    #[error("filter does not compile: {0}")]
    Compile(String),
    #[error("filter failed: {0}")]
    Run(String),
    #[error("the body could not be read for filtering: {0}")]
    Input(String),
    #[error("the filter's result is not JSON (NaN, Infinity or bytes?): {0}")]
    Output(JsonError),
    #[error("filter cancelled")]
    Cancelled,
}

/// The result of a filter: a document to inspect, and how many values the filter output.
#[derive(Debug)]
pub struct FilterOutput {
    pub document: Document,
    pub results: usize,
}

/// A document parsed into jaq's values, to run several filters over without parsing again. It takes several
/// times the body's size in memory: keep it only while filtering.
pub struct FilterInput {
    value: Val,
}

impl std::fmt::Debug for FilterInput {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FilterInput")
    }
}

/// Runs `expr` over `doc` once (parse, compile, run). For several expressions, keep a [`FilterInput`].
pub fn filter(doc: &Document, expr: &str, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    check(expr)?;
    FilterInput::new(doc)?.run(expr, cancel)
}

/// Compiles `expr` without running it: a cheap check while the person types.
pub fn check(expr: &str) -> Result<(), FilterError> {
    compile(expr, &Arena::default()).map(|_| ())
}

type JaqFilter = jaq_core::Filter<data::JustLut<Val>>;

fn compile<'a>(expr: &'a str, arena: &'a Arena) -> Result<JaqFilter, FilterError> {
    let defs = jaq_core::defs().chain(jaq_std::defs()).chain(jaq_json::defs());
    let funs = jaq_core::funs().chain(jaq_std::funs()).chain(jaq_json::funs());
    let loader = Loader::new(defs);
    let modules = loader
        .load(arena, File { code: expr, path: () })
        .map_err(|errors| FilterError::Compile(describe_load_errors(expr, errors)))?;
    Compiler::default().with_funs(funs).compile(modules).map_err(|errors| {
        let described: Vec<String> = errors
            .into_iter()
            .flat_map(|(_, undefined)| undefined)
            .map(|(name, what)| format!("undefined {} `{name}`", what.as_str()))
            .collect();
        FilterError::Compile(described.join("; "))
    })
}

/// One line naming what was expected and where (a 1-based column in the expression).
fn describe_load_errors(expr: &str, errors: load::Errors<&str, ()>) -> String {
    let column = |at: &str| load::span(expr, at).start + 1;
    let mut described = Vec::new();
    for (_, error) in errors {
        match error {
            load::Error::Io(items) => described.extend(items.into_iter().map(|(path, e)| format!("{path}: {e}"))),
            load::Error::Lex(items) => described.extend(
                items.into_iter().map(|(expect, at)| format!("expected {} at column {}", expect.as_str(), column(at))),
            ),
            load::Error::Parse(items) => described.extend(items.into_iter().map(|(expect, at)| {
                if at.is_empty() {
                    format!("expected {} at the end", expect.as_str())
                } else {
                    format!("expected {} at column {}", expect.as_str(), column(at))
                }
            })),
        }
    }
    described.join("; ")
}

impl FilterInput {
    /// Parses the body into jaq's values (reading a file-backed body into memory for the duration).
    pub fn new(doc: &Document) -> Result<FilterInput, FilterError> {
        let bytes = doc.source().to_contiguous().map_err(|e| FilterError::Input(e.to_string()))?;
        let value = jaq_json::read::parse_single(&bytes).map_err(|e| FilterError::Input(e.to_string()))?;
        Ok(FilterInput { value })
    }

    /// Runs `expr` and indexes its outputs.
    pub fn run(&self, expr: &str, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
        let arena = Arena::default();
        let filter = compile(expr, &arena)?;
        let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
        let pp = Pp { indent: Some("  ".to_string()), sep_space: true, ..Pp::default() };
        // Outputs share the input's tree (reference-counted), so holding them costs little.
        let mut outputs = Vec::new();
        for output in filter.id.run((ctx, self.value.clone())).map(unwrap_valr) {
            if cancel.load(Ordering::Relaxed) {
                return Err(FilterError::Cancelled);
            }
            outputs.push(output.map_err(|e| FilterError::Run(e.to_string()))?);
        }
        let results = outputs.len();
        let mut text = Vec::new();
        let written = if let [single] = outputs.as_slice() {
            write(&mut text, &pp, 0, single)
        } else {
            write(&mut text, &pp, 0, &outputs.into_iter().collect::<Val>())
        };
        written.map_err(|e| FilterError::Run(e.to_string()))?;
        let _ = text.write_all(b"\n");
        let document = Document::parse(Bytes::from(text)).map_err(FilterError::Output)?;
        Ok(FilterOutput { document, results })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json::{Inspector, RowToken};
    use std::sync::Arc;

    fn doc(json: &str) -> Document {
        Document::parse(Bytes::from(json.to_string())).unwrap()
    }

    fn run(json: &str, expr: &str) -> Result<FilterOutput, FilterError> {
        filter(&doc(json), expr, &AtomicBool::new(false))
    }

    fn text(output: &FilterOutput) -> String {
        let compact: serde_json::Value = serde_json::from_slice(output.document.bytes().unwrap()).unwrap();
        compact.to_string()
    }

    #[test]
    fn the_zorgapis_example_selects_codes() {
        let json = r#"[{"code":"A","requirementLevel":"MUST"},{"code":"B","requirementLevel":"MAY"},
                       {"code":"C","requirementLevel":"MUST"}]"#;
        let output = run(json, r#".[] | select(.requirementLevel == "MUST") | .code"#).unwrap();
        assert_eq!((output.results, text(&output)), (2, r#"["A","C"]"#.to_string()));
    }

    #[test]
    fn one_output_is_itself_and_none_is_an_empty_array() {
        let output = run(r#"{"a":{"b":[1,2]}}"#, ".a").unwrap();
        assert_eq!((output.results, text(&output)), (1, r#"{"b":[1,2]}"#.to_string()));
        let output = run("[1,2]", ".[] | select(. > 5)").unwrap();
        assert_eq!((output.results, text(&output)), (0, "[]".to_string()));
    }

    #[test]
    fn numbers_and_strings_survive_as_written() {
        let output = run(r#"{"big":1e400,"s":"é\n\u0001"}"#, ".").unwrap();
        let ins = Inspector::new(Arc::new(output.document));
        let texts: Vec<String> = ins
            .rows(0, 10)
            .into_iter()
            .filter_map(|r| match r.token {
                RowToken::Scalar { text, .. } => Some(text),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["1e400", "\"é\\n\\u0001\""]);
    }

    #[test]
    fn a_result_filter_can_be_filtered_again_from_one_input() {
        let input = FilterInput::new(&doc(r#"{"xs":[3,1,2]}"#)).unwrap();
        let cancel = AtomicBool::new(false);
        assert_eq!(text(&input.run(".xs | sort", &cancel).unwrap()), "[1,2,3]");
        assert_eq!(text(&input.run(".xs | length", &cancel).unwrap()), "3");
        assert_eq!(text(&input.run("[.xs[] | . * 2] | add", &cancel).unwrap()), "12");
    }

    #[test]
    fn compile_errors_are_one_clear_line() {
        for (expr, expected) in [
            (".[] | select(", "expected"),
            (".a | nosuchfilter", "undefined filter `nosuchfilter`"),
            ("$x", "undefined variable"),
            (".a ]", "column 4"),
        ] {
            let err = check(expr).unwrap_err();
            let message = err.to_string();
            assert!(matches!(err, FilterError::Compile(_)) && message.contains(expected), "{expr}: {message}");
            assert!(!message.contains('\n'), "{message}");
        }
        assert!(check(r#".[] | select(.requirementLevel == "MUST") | .code"#).is_ok());
    }

    #[test]
    fn runtime_errors_and_non_json_results_are_reported() {
        let err = run(r#"{"a":1}"#, ".a.b").unwrap_err();
        assert!(matches!(err, FilterError::Run(_)), "{err}");
        let err = run("0", "nan").unwrap_err();
        assert!(matches!(err, FilterError::Output(_)), "{err}");
    }

    #[test]
    fn a_cancelled_filter_stops() {
        let err = filter(&doc("[1,2,3]"), ".[]", &AtomicBool::new(true)).unwrap_err();
        assert!(matches!(err, FilterError::Cancelled));
    }
}
