//! The JSON engine on generated documents of 1, 10 and 100 MB (an array of API-like objects, as ZorgAPIs
//! returns): open (validate + index), scroll (a page down and the rows it shows), fold all, `G` to the end,
//! search, and the filter from issue 6; and the index's throughput (`json_index`) on 100 MB of every shape, from
//! memory and from a file (issue 17 asks for 1 GB/s). Peak memory is measured outside criterion:
//! `cargo run --release --example json_probe -- FILE` (and `bench/compare.sh` beside jless).

use std::hint::black_box;
use std::io::Write as _;
use std::sync::Arc;
use std::sync::atomic::AtomicBool;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BatchSize, BenchmarkId, Criterion, Throughput, criterion_group, criterion_main};
use zorgtui::json::testdata::Shape;
use zorgtui::json::{Document, Inspector, filter, search, testdata};

const SIZES_MB: [usize; 3] = [1, 10, 100];
const SCREEN: usize = 50;

fn engine(c: &mut Criterion) {
    for mb in SIZES_MB {
        // One document at a time: the 100 MB one alone is what the machine should hold.
        let body = Bytes::from(testdata::array_of_objects(mb << 20));
        let doc = Arc::new(Document::parse(body.clone()).expect("generated JSON is valid"));
        let mut group = c.benchmark_group(format!("json_{mb}mb"));
        group.sample_size(10).warm_up_time(Duration::from_secs(1));
        group.measurement_time(Duration::from_secs(if mb >= 100 { 15 } else { 4 }));

        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::new("open", mb), |b| {
            b.iter(|| Document::parse(black_box(body.clone())).map(|d| d.entry_count()));
        });
        group.bench_function(BenchmarkId::new("search", mb), |b| {
            b.iter(|| {
                search(&doc, black_box("patiënt medicatie"), &AtomicBool::new(false), |_, _| {}).map(|r| r.count())
            });
        });
        group.bench_function(BenchmarkId::new("filter", mb), |b| {
            let expr = r#".[] | select(.requirementLevel == "MUST") | .code"#;
            b.iter(|| filter(&doc, black_box(expr), &AtomicBool::new(false)).map(|o| o.results));
        });

        group.throughput(Throughput::Elements(1));
        let fresh = || {
            let mut ins = Inspector::new(Arc::clone(&doc));
            ins.set_viewport(SCREEN);
            ins
        };
        group.bench_function(BenchmarkId::new("inspector_new", mb), |b| b.iter(fresh));
        group.bench_function(BenchmarkId::new("scroll_page", mb), |b| {
            let mut ins = fresh();
            ins.unfold_all();
            b.iter(|| {
                ins.page(true);
                if ins.cursor() + 1 >= ins.row_count() {
                    ins.top();
                }
                ins.rows(ins.offset(), SCREEN).expect("read")
            });
        });
        group.bench_function(BenchmarkId::new("end_unfolded", mb), |b| {
            b.iter_batched(
                || {
                    let mut ins = fresh();
                    ins.unfold_all();
                    ins
                },
                |mut ins| {
                    ins.bottom();
                    (
                        ins.rows(ins.offset(), SCREEN).expect("read"),
                        ins.cursor_path(zorgtui::json::Access::Direct).expect("read"),
                    )
                },
                BatchSize::LargeInput,
            );
        });
        group.bench_function(BenchmarkId::new("fold_all", mb), |b| {
            b.iter_batched(
                || {
                    let mut ins = fresh();
                    ins.unfold_all();
                    ins.bottom();
                    ins
                },
                |mut ins| {
                    ins.fold_all();
                    ins.rows(0, SCREEN).expect("read")
                },
                BatchSize::LargeInput,
            );
        });
        group.bench_function(BenchmarkId::new("unfold_root_of_folded_children", mb), |b| {
            b.iter_batched(
                || {
                    let mut ins = fresh();
                    ins.fold_all();
                    ins
                },
                |mut ins| {
                    ins.unfold();
                    ins.rows(0, SCREEN).expect("read")
                },
                BatchSize::LargeInput,
            );
        });
        group.finish();
    }
}

/// Validating and indexing alone, in bytes a second, on every shape: from memory (one slice) and from a file (read
/// in 1 MiB chunks, as `zorgtui view FILE` and a spilled response are).
fn index_throughput(c: &mut Criterion) {
    let mut group = c.benchmark_group("json_index");
    group.sample_size(10).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(10));
    for shape in Shape::ALL {
        let body = Bytes::from(shape.generate(100 << 20));
        group.throughput(Throughput::Bytes(body.len() as u64));
        group.bench_function(BenchmarkId::new("memory", shape.name()), |b| {
            b.iter(|| Document::parse(black_box(body.clone())).map(|d| d.entry_count()));
        });
        let mut file = tempfile::NamedTempFile::new().expect("a temporary file");
        file.write_all(&body).expect("written");
        group.bench_function(BenchmarkId::new("file", shape.name()), |b| {
            b.iter(|| {
                let opened = std::fs::File::open(file.path()).expect("the file");
                Document::open_file(opened).map(|d| d.entry_count()).map_err(|e| e.to_string())
            });
        });
    }
    group.finish();
}

criterion_group!(benches, index_throughput, engine);
criterion_main!(benches);
