//! jq filters in a child process of our own binary, so that no filter can take the program down or hold it.
//!
//! jaq runs recursion on the stack and cannot be interrupted inside one output: `def f: [f]; f` overflows any
//! stack, and Rust answers a stack overflow by aborting the whole process (terminal in raw mode, the request being
//! edited and the last response gone); `last(range(1e12))` computes for hours without an output to cancel between.
//! In a child, the first becomes a message ("ran out of stack") and the second a kill on `Esc`.
//!
//! The child is `zorgtui` started with [`WORKER_ARG`]. It reads on stdin the expression (`LENGTH\n` and that many
//! bytes: not on the command line, where `ps` would show it), the most body to keep in memory (`BYTES\n`) and the
//! body (`LENGTH\n` and the bytes). It answers on stdout with `ok RESULTS\n` and the output document's JSON text,
//! or `err\n` and the reason.
//! The parent keeps the child's stdin open until the answer: when it closes (the parent quit, or died), the child
//! stops at once rather than computing on for nobody.

use std::io::{self, Read as _, Write as _};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread;
use std::time::Duration;

use bytes::Bytes;

use super::document::Document;
use super::filter::{FilterError, FilterOutput, filter};
use super::source::{CHUNK, Source};

/// The first argument that makes `zorgtui` a filter worker instead of a program for people.
pub const WORKER_ARG: &str = "__filter-worker";

/// How often a running child is checked for an end or a cancel.
const POLL: Duration = Duration::from_millis(20);

static WORKER: OnceLock<PathBuf> = OnceLock::new();

/// Makes [`run_filter`] run filters in children of `exe` (the program calls this at start with its own path).
pub fn use_worker(exe: PathBuf) {
    let _ = WORKER.set(exe);
}

/// Runs a filter where [`use_worker`] said: in a child when a worker is known, else on a thread here.
pub fn run_filter(doc: &Document, expr: &str, cancel: &AtomicBool) -> Result<FilterOutput, FilterError> {
    match WORKER.get() {
        // The binary can be gone while it runs (replaced by an upgrade): then the filter runs here.
        Some(exe) if exe.exists() => filter_in_child(exe, doc, expr, cancel),
        _ => filter(doc, expr, cancel),
    }
}

/// Runs `expr` over `doc` in a child started from `exe`. Setting `cancel` kills the child at once.
pub fn filter_in_child(
    exe: &Path,
    doc: &Document,
    expr: &str,
    cancel: &AtomicBool,
) -> Result<FilterOutput, FilterError> {
    filter_in_child_capped(exe, doc, expr, cancel, CHILD_MEMORY_CAP)
}

/// [`filter_in_child`], the child keeping bodies above `memory_cap` bytes in a temporary file.
pub fn filter_in_child_capped(
    exe: &Path,
    doc: &Document,
    expr: &str,
    cancel: &AtomicBool,
    memory_cap: u64,
) -> Result<FilterOutput, FilterError> {
    let mut child = Command::new(exe)
        .arg(WORKER_ARG)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| FilterError::Run(format!("cannot start the filter: {e}")))?;
    let (Some(stdin), Some(stdout), Some(stderr)) = (child.stdin.take(), child.stdout.take(), child.stderr.take())
    else {
        kill(&mut child);
        return Err(FilterError::Run("cannot talk to the filter".into()));
    };
    let source = doc.source().clone();
    let expr = expr.to_string();
    // A child that stops reading (it failed, or was killed) ends the feed with a broken pipe: nothing to report.
    // The feeder hands stdin back unclosed: the child lives as long as it is open.
    // When the body cannot be read whole, stdin closes instead: the child then answers that it could not read it.
    let feeder = thread::spawn(move || {
        let mut stdin = stdin;
        feed(&expr, memory_cap, &source, &mut stdin).ok().map(|()| stdin)
    });
    let reader = thread::spawn(move || read_all(stdout));
    let errors = thread::spawn(move || read_all(stderr));
    let status = loop {
        if cancel.load(Ordering::Relaxed) {
            kill(&mut child);
            return Err(FilterError::Cancelled);
        }
        match child.try_wait() {
            Ok(Some(status)) => break status,
            Ok(None) => thread::sleep(POLL),
            Err(e) => {
                kill(&mut child);
                return Err(FilterError::Run(format!("lost the filter: {e}")));
            }
        }
    };
    drop(feeder.join());
    let answer = reader.join().unwrap_or_default();
    let stderr = errors.join().unwrap_or_default();
    read_answer(answer, status, &String::from_utf8_lossy(&stderr))
}

fn kill(child: &mut Child) {
    let _ = child.kill();
    let _ = child.wait();
}

fn feed(expr: &str, memory_cap: u64, source: &Source, stdin: &mut impl io::Write) -> io::Result<()> {
    writeln!(stdin, "{}", expr.len())?;
    stdin.write_all(expr.as_bytes())?;
    writeln!(stdin, "{memory_cap}")?;
    let len = source.len();
    writeln!(stdin, "{len}")?;
    let mut at = 0;
    while at < len {
        let end = (at + CHUNK as u64).min(len);
        stdin.write_all(&source.slice(at, end)?)?;
        at = end;
    }
    Ok(())
}

fn read_all(mut from: impl io::Read) -> Vec<u8> {
    let mut bytes = Vec::new();
    let _ = from.read_to_end(&mut bytes);
    bytes
}

/// The child's answer, or why there is none.
fn read_answer(answer: Vec<u8>, status: ExitStatus, stderr: &str) -> Result<FilterOutput, FilterError> {
    let Some(newline) = answer.iter().position(|&b| b == b'\n') else {
        return Err(FilterError::Run(why_it_stopped(status, stderr)));
    };
    // The output is kept where it was read to, not copied (it can be as large as the body).
    let answer = Bytes::from(answer);
    let (head, rest) = (answer.slice(..newline), answer.slice(newline + 1..));
    if head.as_ref() == b"err" {
        return Err(FilterError::Worker(String::from_utf8_lossy(&rest).trim().to_string()));
    }
    let results = std::str::from_utf8(&head)
        .ok()
        .and_then(|h| h.strip_prefix("ok "))
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| FilterError::Run(why_it_stopped(status, stderr)))?;
    let document = Document::parse(rest).map_err(FilterError::Output)?;
    Ok(FilterOutput { document, results })
}

/// A child that ended without an answer: what the person can make of it.
fn why_it_stopped(status: ExitStatus, stderr: &str) -> String {
    if stderr.contains("overflowed its stack") {
        return "it ran out of stack: a recursion that does not end? (only the filter was stopped)".into();
    }
    if stderr.contains("memory allocation") {
        return "it ran out of memory (only the filter was stopped)".into();
    }
    let last = stderr.lines().rev().find(|l| !l.trim().is_empty()).unwrap_or("");
    format!("it stopped unexpectedly ({status}) {last}").trim_end().to_string()
}

/// The child's side: reads the expression and the body on stdin, runs it, answers on stdout. Returns the exit
/// code.
pub fn worker_main() -> i32 {
    let (expr, doc) = match read_request() {
        Ok(request) => request,
        Err(e) => return answer_error(&FilterError::Input(e.to_string())),
    };
    // The parent closes our stdin when it no longer waits for the answer.
    thread::spawn(|| {
        let mut rest = [0u8; 64];
        while matches!(io::stdin().lock().read(&mut rest), Ok(n) if n > 0) {}
        std::process::exit(3);
    });
    let doc = match doc {
        Ok(doc) => doc,
        Err(e) => return answer_error(&FilterError::Input(e)),
    };
    match filter(&doc, &expr, &AtomicBool::new(false)) {
        Ok(output) => {
            let mut out = io::BufWriter::new(io::stdout().lock());
            let text = output.document.source().to_contiguous();
            let written = text.and_then(|text| {
                writeln!(out, "ok {}", output.results)?;
                out.write_all(&text)?;
                out.flush()
            });
            i32::from(written.is_err())
        }
        Err(e) => answer_error(&e),
    }
}

/// Bodies larger than this go to a temporary file in the child, not into its memory: a filter that goes element by
/// element (`.[] | …`) then needs little more than one element, as it does in the program itself.
const CHILD_MEMORY_CAP: u64 = 64 * 1024 * 1024;

/// The expression and the body (each framed as `LENGTH\n` and that many bytes), the body indexed; indexing can
/// fail on its own (`Err` inside), reading cannot go on (`Err` outside).
fn read_request() -> io::Result<(String, Result<Document, String>)> {
    let mut stdin = io::stdin().lock();
    let expr_len = read_length(&mut stdin)?;
    let mut expr = vec![0; usize::try_from(expr_len).unwrap_or(usize::MAX)];
    stdin.read_exact(&mut expr)?;
    let expr = String::from_utf8(expr)
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidData, "the expression is not UTF-8"))?;
    let memory_cap = read_length(&mut stdin)?;
    let len = read_length(&mut stdin)?;
    if len <= memory_cap {
        let mut body = vec![0; usize::try_from(len).unwrap_or(usize::MAX)];
        stdin.read_exact(&mut body)?;
        return Ok((expr, Document::parse(Bytes::from(body)).map_err(|e| e.to_string())));
    }
    // An unnamed temporary file: nothing is left behind, whatever happens to this process.
    let mut file = tempfile::tempfile()?;
    let copied = io::copy(&mut (&mut stdin).take(len), &mut file)?;
    if copied != len {
        return Err(io::Error::new(io::ErrorKind::UnexpectedEof, "the body ended early"));
    }
    Ok((expr, Document::open_file(file).map_err(|e| e.to_string())))
}

fn read_length(stdin: &mut impl io::Read) -> io::Result<u64> {
    let mut head = Vec::new();
    let mut byte = [0u8; 1];
    while stdin.read(&mut byte)? == 1 && byte[0] != b'\n' {
        head.push(byte[0]);
    }
    std::str::from_utf8(&head)
        .ok()
        .and_then(|h| h.trim().parse().ok())
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidData, "no length"))
}

fn answer_error(error: &FilterError) -> i32 {
    let mut out = io::stdout().lock();
    let _ = writeln!(out, "err\n{error}");
    let _ = out.flush();
    1
}
