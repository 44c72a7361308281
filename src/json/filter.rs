//! jq filters with jaq: compiled, run over the body parsed into jaq's values, and the outputs written out and
//! indexed as a new [`Document`]: one output as itself, none or several as an array of them.
//!
//! A filter that starts by iterating the root (`.[] | …`, `.[].code`, `.[]?`), which is how API responses are
//! usually filtered, runs on one element at a time: each element is parsed from its span in the body, so memory
//! stays near the size of one element and cancelling takes effect between elements. Any other filter parses the
//! whole body first (several times its size in memory while it runs) and is cancelled between outputs, as jaq
//! cannot be interrupted inside one. Runs on a thread of its own; the program runs it in a child process
//! (`filter_worker`), where a stack overflow or a filter that never ends cannot harm the rest.

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
    /// A failure the filter's own process described (see `filter_worker`).
    #[error("{0}")]
    Worker(String),
}

/// The result of a filter: a document to inspect, and how many values the filter output.
#[derive(Debug)]
pub struct FilterOutput {
    pub document: Document,
    pub results: usize,
}

/// Runs the jq expression `expr` over `doc`. Setting `cancel` stops it at the next element or output.
pub fn filter(doc: &Document, expr: &str, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    // jaq reads, runs and prints values recursively: a document nested deeper than this would overflow the stack
    // and take the whole program down, so it is refused with a reason instead.
    if doc.index.max_depth > MAX_FILTER_DEPTH {
        return Err(FilterError::Input(format!(
            "nested {} levels deep; the filter handles up to {MAX_FILTER_DEPTH} (search and folding work at any depth)",
            doc.index.max_depth
        )));
    }
    // The filter runs on a thread of its own with a large stack: recursion in jaq (and in an expression) goes far
    // deeper there than on a runtime's blocking thread.
    std::thread::scope(|scope| {
        std::thread::Builder::new()
            .name("jq-filter".into())
            .stack_size(FILTER_STACK_BYTES)
            .spawn_scoped(scope, || filter_here(doc, expr, cancel))
            .map_err(|e| FilterError::Run(format!("cannot start the filter: {e}")))?
            .join()
            .unwrap_or_else(|_| Err(FilterError::Run("the filter stopped unexpectedly".into())))
    })
}

/// Deepest nesting the filter takes on.
const MAX_FILTER_DEPTH: usize = 2_000;

/// Stack for the filter's thread (reserved, used only as deep as the filter goes).
const FILTER_STACK_BYTES: usize = 256 * 1024 * 1024;

fn filter_here(doc: &Document, expr: &str, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    let arena = Arena::default();
    let whole = compile(expr, &arena)?;
    if doc.index.is_open(0)
        && let Some(per_element) = per_element(expr).and_then(|rest| compile(arena.alloc(rest), &arena).ok())
    {
        return run_per_element(doc, &per_element, cancel);
    }
    run_whole(doc, &whole, cancel)
}

/// Compiles `expr` without running it: a cheap check while the person types.
pub fn check(expr: &str) -> Result<(), FilterError> {
    compile(expr, &Arena::default()).map(|_| ())
}

type JaqFilter = jaq_core::Filter<data::JustLut<Val>>;

/// Deepest bracket nesting an expression may have: jaq's parser recurses per level, and the compile check runs on
/// an ordinary stack.
const MAX_EXPRESSION_DEPTH: usize = 256;

fn compile<'a>(expr: &'a str, arena: &'a Arena) -> Result<JaqFilter, FilterError> {
    let mut depth = 0usize;
    for c in expr.chars() {
        match c {
            '(' | '[' | '{' => depth += 1,
            ')' | ']' | '}' => depth = depth.saturating_sub(1),
            _ => {}
        }
        if depth > MAX_EXPRESSION_DEPTH {
            return Err(FilterError::Compile(format!("nested more than {MAX_EXPRESSION_DEPTH} brackets deep")));
        }
    }
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

/// For `.[]`, `.[] | REST` and `.[].name.name…` (each optionally with `?` after `[]`): the filter to run on each
/// element of the root, which gives the same outputs in the same order. `|` binds loosest in jq, so `.[] | a, b`
/// is `.[] | (a, b)` and REST runs on its own; anything with other operators at the top (`.[].a, .b`,
/// `.[].c // x`, `.[] |= x`) is run on the whole document, where jq's own precedence decides.
fn per_element(expr: &str) -> Option<String> {
    let rest = expr.trim().strip_prefix(".[]")?;
    let rest = rest.strip_prefix('?').unwrap_or(rest);
    if rest.is_empty() {
        return Some(".".to_string());
    }
    if let Some(after) = rest.trim_start().strip_prefix('|')
        && !after.starts_with('=')
    {
        return Some(after.to_string());
    }
    // A plain path of names: `.[].code`, `.[].semVer.major`.
    let plain_path = rest.starts_with('.')
        && rest.split('.').skip(1).all(|name| {
            name.chars().next().is_some_and(|c| c.is_ascii_alphabetic() || c == '_')
                && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_')
        });
    plain_path.then(|| rest.to_string())
}

fn parse(bytes: &[u8]) -> Result<Val, FilterError> {
    jaq_json::read::parse_single(bytes).map_err(|e| FilterError::Input(e.to_string()))
}

fn run_on(filter: &JaqFilter, input: Val, outputs: &mut Outputs, cancel: &AtomicBool) -> Result<(), FilterError> {
    let ctx = Ctx::<data::JustLut<Val>>::new(&filter.lut, Vars::new([]));
    for output in filter.id.run((ctx, input)).map(unwrap_valr) {
        if cancel.load(Ordering::Relaxed) {
            return Err(FilterError::Cancelled);
        }
        outputs.push(&output.map_err(|e| FilterError::Run(e.to_string()))?)?;
    }
    Ok(())
}

fn run_whole(doc: &Document, filter: &JaqFilter, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    let input = {
        let bytes = doc.source().to_contiguous().map_err(|e| FilterError::Input(e.to_string()))?;
        parse(&bytes)?
    };
    let mut outputs = Outputs::default();
    run_on(filter, input, &mut outputs, cancel)?;
    outputs.finish()
}

fn run_per_element(doc: &Document, filter: &JaqFilter, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    let index = &doc.index;
    let mut outputs = Outputs::default();
    let close = index.close_of(0);
    let mut child = 1;
    while child < close {
        if cancel.load(Ordering::Relaxed) {
            return Err(FilterError::Cancelled);
        }
        let read = |e| -> std::io::Result<_> {
            let range = doc.direct().value_range(e)?;
            doc.source().slice(range.start, range.end)
        };
        let bytes = read(child).map_err(|e| FilterError::Input(e.to_string()))?;
        run_on(filter, parse(&bytes)?, &mut outputs, cancel)?;
        child = index.last_of(child) + 1;
    }
    outputs.finish()
}

/// Outputs written as they come: the first is held until a second makes them an array.
#[derive(Default)]
struct Outputs {
    first: Option<Val>,
    text: Vec<u8>,
    count: usize,
}

impl Outputs {
    fn pp() -> Pp {
        Pp { indent: Some("  ".to_string()), sep_space: true, ..Pp::default() }
    }

    fn push(&mut self, value: &Val) -> Result<(), FilterError> {
        let pp = Outputs::pp();
        let failed = |e: std::io::Error| FilterError::Run(e.to_string());
        self.count += 1;
        if self.count == 1 {
            self.first = Some(value.clone());
            return Ok(());
        }
        if let Some(first) = self.first.take() {
            self.text.extend_from_slice(b"[\n  ");
            write(&mut self.text, &pp, 1, &first).map_err(failed)?;
        }
        self.text.extend_from_slice(b",\n  ");
        write(&mut self.text, &pp, 1, value).map_err(failed)
    }

    fn finish(mut self) -> Result<FilterOutput, FilterError> {
        match (self.count, self.first.take()) {
            (0, _) => self.text.extend_from_slice(b"[]"),
            (_, Some(only)) => {
                write(&mut self.text, &Outputs::pp(), 0, &only).map_err(|e| FilterError::Run(e.to_string()))?;
            }
            _ => self.text.extend_from_slice(b"\n]"),
        }
        let _ = self.text.write_all(b"\n");
        let document = Document::parse(Bytes::from(self.text)).map_err(FilterError::Output)?;
        Ok(FilterOutput { document, results: self.count })
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
    fn several_outputs_are_indented_as_an_array() {
        let output = run("[1,[2]]", ".[]").unwrap();
        assert_eq!(output.document.bytes().unwrap().as_ref(), b"[\n  1,\n  [\n    2\n  ]\n]\n");
        let output = run("[[2]]", ".[0]").unwrap();
        assert_eq!(output.document.bytes().unwrap().as_ref(), b"[\n  2\n]\n");
    }

    #[test]
    fn an_expression_nested_too_deep_is_refused_before_the_parser_sees_it() {
        let deep = format!("{}.{}", "(".repeat(20_000), ")".repeat(20_000));
        let error = check(&deep).unwrap_err();
        assert!(error.to_string().contains("nested more than 256"), "{error}");
        let fine = format!("{}.{}", "(".repeat(256), ")".repeat(256));
        assert!(check(&fine).is_ok());
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
            .unwrap()
            .into_iter()
            .filter_map(|r| match r.token {
                RowToken::Scalar { text, .. } => Some(text),
                _ => None,
            })
            .collect();
        assert_eq!(texts, ["1e400", "\"é\\n\\u0001\""]);
    }

    #[test]
    fn filters_over_the_root_elements_run_per_element_with_the_same_results() {
        let json = r#"[{"a":1,"b":[1,2]},{"a":2,"b":[]},{"a":3,"b":[3]}]"#;
        let d = doc(json);
        let cancel = AtomicBool::new(false);
        for (expr, expected) in [
            (".[]", r#"[{"a":1,"b":[1,2]},{"a":2,"b":[]},{"a":3,"b":[3]}]"#),
            (".[]?", r#"[{"a":1,"b":[1,2]},{"a":2,"b":[]},{"a":3,"b":[3]}]"#),
            (".[].a", "[1,2,3]"),
            (".[] | .a, .a * 10", "[1,10,2,20,3,30]"),
            (".[] | select(.a > 1) | .b[]", "3"),
            (".[][\"b\"] | length", "[2,0,1]"),
            (".[] as $x | $x.a", "[1,2,3]"),
            ("[.[] | .a] | add", "6"),
        ] {
            assert!(per_element(expr).is_some() || !expr.starts_with(".[] |"), "{expr}");
            let arena = Arena::default();
            let whole = run_whole(&d, &compile(expr, &arena).unwrap(), &cancel).unwrap();
            let output = filter(&d, expr, &cancel).unwrap();
            assert_eq!((text(&output), output.results), (expected.to_string(), whole.results), "{expr}");
            assert_eq!(text(&whole), expected, "{expr}");
        }
        assert_eq!(per_element(".[] as $x | $x.a"), None);
        assert_eq!(per_element(".[]..a"), None);
        assert_eq!(per_element(" .[] |.a").as_deref(), Some(".a"));
    }

    #[test]
    fn top_level_operators_after_the_iteration_run_on_the_whole_document() {
        // jq: `.[].a, .b` is `(.[].a), .b` and `.[].c // "none"` is `(.[].c) // "none"`: per element they would
        // differ, so they must not take the shortcut.
        for expr in [".[].a, .b", ".[].c // \"none\"", ".[] |= 1", ".[].a + 1", ".[][0]"] {
            assert_eq!(per_element(expr), None, "{expr}");
        }
        let d = doc(r#"[{"a":1,"b":2},{"a":3,"b":4}]"#);
        let cancel = AtomicBool::new(false);
        let once = filter(&d, ".[].c // \"none\"", &cancel).unwrap();
        assert_eq!(text(&once), "\"none\"", "one output, as jq gives");
        assert_eq!(text(&filter(&d, ".[].a + 1", &cancel).unwrap()), "[2,4]");
    }

    #[test]
    fn a_document_too_deep_for_the_filter_is_refused_not_a_crash() {
        let depth = MAX_FILTER_DEPTH + 1;
        let d = doc(&format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
        let error = filter(&d, ".", &AtomicBool::new(false)).unwrap_err();
        assert!(error.to_string().contains(&format!("nested {depth} levels deep")), "{error}");
        let fine = doc(&format!("{}{}", "[".repeat(MAX_FILTER_DEPTH), "]".repeat(MAX_FILTER_DEPTH)));
        assert!(filter(&fine, ".", &AtomicBool::new(false)).is_ok(), "the big stack takes the deepest allowed");
    }

    #[test]
    fn per_element_runs_on_objects_and_file_backed_bodies() {
        use std::io::Write as _;
        let mut file = tempfile::tempfile().unwrap();
        file.write_all(br#"{"x":{"n":1},"y":{"n":2}}"#).unwrap();
        let d = Document::open_file(file).unwrap();
        let output = filter(&d, ".[] | .n", &AtomicBool::new(false)).unwrap();
        assert_eq!(output.results, 2);
        let output = filter(&d, ".y", &AtomicBool::new(false)).unwrap();
        assert_eq!(output.results, 1);
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
