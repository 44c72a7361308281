//! Opens a JSON file the way `zorgtui view` will and prints how long each step took and the peak memory, for
//! figures beside `cargo bench`: `cargo run --release --example json_probe -- FILE [--file-backed]`.

use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Instant;

use zorgtui::json::{Document, Inspector, filter, search};

/// Peak resident memory of this process (`VmHWM`), in MiB.
fn peak_mib() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kib = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok())
        .unwrap_or(0.0);
    kib / 1024.0
}

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(path) = args.first() else {
        eprintln!("usage: json_probe FILE [--file-backed] [--open-only] [--filter EXPR]");
        return ExitCode::FAILURE;
    };
    let file_backed = args.iter().any(|a| a == "--file-backed");
    let start = Instant::now();
    let doc = if file_backed {
        std::fs::File::open(path)
            .map_err(|e| e.to_string())
            .and_then(|f| Document::open_file(f).map_err(|e| e.to_string()))
    } else {
        std::fs::read(path)
            .map_err(|e| e.to_string())
            .and_then(|b| Document::parse(b.into()).map_err(|e| e.to_string()))
    };
    let doc = match doc {
        Ok(doc) => Arc::new(doc),
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::FAILURE;
        }
    };
    let opened = start.elapsed();
    let mib = |bytes: f64| bytes / (1024.0 * 1024.0);
    #[allow(clippy::cast_precision_loss)]
    let (len, index) = (doc.len_bytes() as f64, doc.index_bytes() as f64);
    println!(
        "body {:.1} MiB, {} entries, index {:.1} MiB ({:.2}x body)",
        mib(len),
        doc.entry_count(),
        mib(index),
        index / len
    );
    println!("open+index: {:.0} ms", opened.as_secs_f64() * 1000.0);
    if args.iter().any(|a| a == "--open-only") {
        return ExitCode::SUCCESS;
    }
    let timed = |name: &str, f: &mut dyn FnMut()| {
        let t = Instant::now();
        f();
        println!("{name}: {:.2} ms", t.elapsed().as_secs_f64() * 1000.0);
    };
    let mut ins = Inspector::new(Arc::clone(&doc));
    ins.set_viewport(50);
    timed("inspector", &mut || ins = Inspector::new(Arc::clone(&doc)));
    ins.set_viewport(50);
    timed("first screen rows", &mut || drop(ins.rows(0, 50).expect("read")));
    timed("bottom (G)", &mut || ins.bottom());
    timed("rows at bottom", &mut || drop(ins.rows(ins.offset(), 50).expect("read")));
    timed("unfold all", &mut || ins.unfold_all());
    timed("bottom (G) unfolded", &mut || ins.bottom());
    timed("page up", &mut || ins.page(false));
    timed("rows", &mut || drop(ins.rows(ins.offset(), 50).expect("read")));
    timed("path", &mut || drop(ins.cursor_path(zorgtui::json::Access::Direct).expect("read")));
    timed("fold all", &mut || ins.fold_all());
    timed("level 1", &mut || ins.fold_to_level(1));
    timed("level 2", &mut || ins.fold_to_level(2));
    ins.top();
    timed("fold the root", &mut || ins.toggle_fold());
    timed("unfold the root", &mut || ins.toggle_fold());
    let mut count = 0;
    timed("search \"MUST\"", &mut || {
        count = search(&doc, "must", &AtomicBool::new(false), |_, _| {}).map_or(0, |r| r.count());
    });
    println!("  {count} matches");
    println!("peak RSS {:.0} MiB ({:.2}x body)", peak_mib(), peak_mib() / mib(len));
    if let Some(expr) = args.iter().position(|a| a == "--filter").and_then(|i| args.get(i + 1)) {
        let t = Instant::now();
        match filter(&doc, expr, &AtomicBool::new(false)) {
            Ok(out) => println!("filter: {:.0} ms, {} results", t.elapsed().as_secs_f64() * 1000.0, out.results),
            Err(e) => println!("filter failed: {e}"),
        }
        println!("peak RSS with the filter {:.0} MiB ({:.2}x body)", peak_mib(), peak_mib() / mib(len));
    }
    ExitCode::SUCCESS
}
