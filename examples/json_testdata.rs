//! Writes a generated JSON document to stdout, for `bench/compare.sh` and manual checks:
//! `cargo run --release --example json_testdata -- array|deep|wide SIZE_MB > doc.json`.

use std::io::Write as _;
use std::process::ExitCode;

use zorgtui::json::testdata::Shape;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let (Some(shape), Some(megabytes)) =
        (args.first().and_then(|s| Shape::from_name(s)), args.get(1).and_then(|s| s.parse::<usize>().ok()))
    else {
        eprintln!("usage: json_testdata array|deep|wide SIZE_MB");
        return ExitCode::FAILURE;
    };
    let text = shape.generate(megabytes << 20);
    if std::io::stdout().lock().write_all(text.as_bytes()).is_err() {
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
