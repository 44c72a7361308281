//! The floors are enforced, not only written down: no file of an engine (`auth`, `api`, `json`, `config`, `demo`,
//! `http`, `workspace`) imports ratatui or crossterm, and the core (`app`) reads no clock. Imports are looked for in code, not
//! in comments.

use std::path::{Path, PathBuf};

const ENGINES: [&str; 7] = ["auth", "api", "json", "config", "demo", "http", "workspace"];

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(next) = stack.pop() {
        for entry in std::fs::read_dir(&next).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The code of a file without its comments (line comments, doc comments, block comments) and string literals'
/// contents, so that a word in prose or in a message is not taken for a use of it.
fn code_of(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut chars = text.chars().peekable();
    let (mut block, mut string) = (0usize, false);
    while let Some(c) = chars.next() {
        match (c, chars.peek().copied()) {
            _ if string => {
                if c == '\\' {
                    chars.next();
                } else if c == '"' {
                    string = false;
                    out.push('"');
                }
            }
            ('/', Some('*')) => {
                chars.next();
                block += 1;
            }
            ('*', Some('/')) if block > 0 => {
                chars.next();
                block -= 1;
            }
            _ if block > 0 => {}
            ('/', Some('/')) => {
                for skipped in chars.by_ref() {
                    if skipped == '\n' {
                        out.push('\n');
                        break;
                    }
                }
            }
            ('"', _) => {
                string = true;
                out.push('"');
            }
            _ => out.push(c),
        }
    }
    out
}

/// Every line of code under `src/DIR` (and `src/DIR.rs`) that names one of `words`, with where it is.
fn offenders(dirs: &[&str], words: &[&str]) -> Vec<String> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut found = Vec::new();
    for dir in dirs {
        let mut files = rust_files(&src.join(dir));
        files.push(src.join(format!("{dir}.rs")));
        for file in files.into_iter().filter(|f| f.exists()) {
            let code = code_of(&std::fs::read_to_string(&file).unwrap());
            for (i, line) in code.lines().enumerate() {
                if words.iter().any(|w| line.contains(w)) {
                    found.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
                }
            }
        }
    }
    found
}

#[test]
fn no_engine_imports_ratatui_or_crossterm() {
    let found = offenders(&ENGINES, &["ratatui", "crossterm"]);
    assert!(found.is_empty(), "engines know no screen:\n{}", found.join("\n"));
}

#[test]
fn the_core_reads_no_clock() {
    let found = offenders(&["app"], &["Instant::now", "SystemTime::now", "Utc::now", "Local::now"])
        .into_iter()
        .filter(|line| !line.contains("tests.rs") && !line.contains("_tests.rs"))
        .collect::<Vec<_>>();
    assert!(found.is_empty(), "time comes in with the action (app::Now):\n{}", found.join("\n"));
}

/// Reading a body file is a job's work: `update` and drawing read only what memory holds (`Access::Held`), so no
/// frame waits on a disk and a read error is an answer, said once. Not in the core: direct reads of a source, of the
/// tree's rows (`rows(start, count)`) or raw lines (`lines(start, count)`), or any file.
#[test]
fn the_core_and_the_screen_read_no_file() {
    let words = [
        "Access::Direct",
        ".direct()",
        ".slice(",
        "to_contiguous",
        "read_exact_at",
        "std::fs",
        "File::",
        "read_to_string",
        "cursor_value_len",
        "cursor_value_text",
    ];
    let mut found = offenders(&["app", "ui"], &words);
    found.extend(offenders(&["app", "ui"], &[".rows(", ".lines("]).into_iter().filter(|line| {
        // The two-argument forms read directly; `rows()` of a list and `str::lines()` take none.
        [".rows(", ".lines("].iter().any(|call| {
            line.split(call).skip(1).any(|rest| rest.split(')').next().is_some_and(|args| args.contains(',')))
        })
    }));
    // `body.rs` prepares a body before any pane has it: on the runner's blocking thread (`prepare_response` is
    // called off the run loop), never from `update`.
    let found: Vec<String> = found
        .into_iter()
        .filter(|line| !line.contains("tests.rs") && !line.contains("_tests.rs") && !line.contains("inspector/body.rs"))
        .collect();
    assert!(found.is_empty(), "the core reads no file (a job does, see json::Access):\n{}", found.join("\n"));
}

#[test]
fn the_check_sees_through_comments_and_strings_but_not_code() {
    let code = code_of("// use ratatui::x;\n/* crossterm */ let s = \"ratatui\";\nuse ratatui::y;\n");
    assert!(!code.lines().take(2).any(|l| l.contains("ratatui") || l.contains("crossterm")), "{code}");
    assert!(code.lines().nth(2).unwrap().contains("use ratatui::y"), "{code}");
}
