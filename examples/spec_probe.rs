//! Times loading specs: `cargo run --release --example spec_probe -- FILE...` parses each (no cache, best of 3);
//! with `--cache DIR` first, each is loaded through the spec cache in DIR twice, and the second (warm) load is
//! timed, as a second start of zorgtui reads it.

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let cache = match args.iter().position(|a| a == "--cache") {
        Some(i) if i + 1 < args.len() => {
            let dir = args.remove(i + 1);
            args.remove(i);
            Some(zorgtui::api::spec_cache::SpecCache::new(std::path::Path::new(&dir)))
        }
        _ => None,
    };
    for path in args {
        if let Some(cache) = &cache {
            let path = std::path::Path::new(&path);
            let cold = std::time::Instant::now();
            let first = cache.load_file(path, u64::MAX).map(|c| c.operations.len());
            let cold = cold.elapsed();
            let warm = std::time::Instant::now();
            let second = cache.load_file(path, u64::MAX).map(|c| c.operations.len());
            println!("{}: {first:?} operations cold {cold:?}, {second:?} warm {:?}", path.display(), warm.elapsed());
            continue;
        }
        let bytes = std::fs::read(&path).expect("readable file");
        let mut best = std::time::Duration::MAX;
        let mut operations = 0;
        for _ in 0..3 {
            let started = std::time::Instant::now();
            let catalogue = zorgtui::api::openapi::parse(&bytes, &path);
            best = best.min(started.elapsed());
            operations = catalogue.map_or(0, |c| c.operations.len());
        }
        println!("{path}: {} KiB, {operations} operations, best of 3: {best:?}", bytes.len() >> 10);
    }
}
