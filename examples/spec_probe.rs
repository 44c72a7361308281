//! Times loading specs (parse and catalogue, no cache): `cargo run --release --example spec_probe -- FILE...`.

fn main() {
    for path in std::env::args().skip(1) {
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
