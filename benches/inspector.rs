//! A key and the frame after it, as `zorgtui view` (and the response pane) handle them: the inspector's update,
//! then drawing the whole screen on a 160×48 test terminal. On 10 and 100 MB generated documents, in memory and
//! read from a file; every key should stay well under one frame (16 ms). Each sample is a key and its way back
//! (`G` then `g`, `zM` then `0`, ...) so the state does not drift. For a file, a frame that missed pages is followed
//! by their reading and a second frame, as in the run loop.

use std::hint::black_box;
use std::io::Write as _;
use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use criterion::{BenchmarkId, Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{Event, KeyCode, KeyEvent, KeyModifiers};
use ratatui::layout::Rect;
use zorgtui::app::{Action, InspectorPane, OpenInput, ReadyBody, Screen as _, ViewerState};
use zorgtui::json::{Document, testdata};

const SIZES_MB: [usize; 2] = [10, 100];
const WIDTH: u16 = 160;
const HEIGHT: u16 = 48;

/// Key pairs: the key measured and the one that undoes it.
const KEYS: [(&str, &[KeyCode]); 6] = [
    ("G_g", &[KeyCode::Char('G'), KeyCode::Char('g')]),
    ("page_down_up", &[KeyCode::PageDown, KeyCode::PageUp]),
    ("j_k", &[KeyCode::Char('j'), KeyCode::Char('k')]),
    ("fold_all_unfold_all", &[KeyCode::Char('z'), KeyCode::Char('M'), KeyCode::Char('0')]),
    ("level_1_2", &[KeyCode::Char('1'), KeyCode::Char('2')]),
    ("toggle_root", &[KeyCode::Char(' '), KeyCode::Char(' ')]),
];

fn viewer(doc: Arc<Document>) -> ViewerState {
    let area = Rect::new(0, 0, WIDTH, HEIGHT);
    // The input is never read: the pane is put in directly, as the open job would.
    let (mut state, _) = ViewerState::new(OpenInput::Stdin, 0, area, zorgtui::testing::now());
    state.opening = None;
    state.pane = InspectorPane::new(ReadyBody::Json(doc), false, "bench.json", 1);
    state.update(Action::Input(Event::Resize(WIDTH, HEIGHT)), zorgtui::testing::now());
    state
}

fn press(state: &mut ViewerState, code: KeyCode) {
    black_box(
        state.update(Action::Input(Event::Key(KeyEvent::new(code, KeyModifiers::NONE))), zorgtui::testing::now()),
    );
}

fn keys(c: &mut Criterion) {
    let mut terminal = Terminal::new(TestBackend::new(WIDTH, HEIGHT)).expect("a test terminal");
    for mb in SIZES_MB {
        let text = testdata::array_of_objects(mb << 20);
        let mut file = tempfile::tempfile().expect("a temporary file");
        file.write_all(text.as_bytes()).expect("written");
        let docs = [
            ("memory", Arc::new(Document::parse(Bytes::from(text)).expect("valid"))),
            ("file", Arc::new(Document::open_file(file).expect("valid"))),
        ];
        let mut group = c.benchmark_group(format!("inspector_{mb}mb"));
        group.sample_size(20).warm_up_time(Duration::from_secs(1)).measurement_time(Duration::from_secs(3));
        for (place, doc) in docs {
            let mut state = viewer(doc);
            for (name, codes) in KEYS {
                group.bench_function(BenchmarkId::new(format!("{name}_{place}"), mb), |b| {
                    b.iter(|| {
                        for code in codes {
                            press(&mut state, *code);
                            terminal.draw(|frame| zorgtui::ui::draw_viewer(frame, &state)).expect("drawn");
                            // As the run loop does: pages of a file the frame missed are read (by a job there, here
                            // in line), and the frame is drawn again with them.
                            for source in state.bodies_on_screen() {
                                let pages = source.take_wanted();
                                if !pages.is_empty() {
                                    source.read_pages(&pages).expect("read");
                                    terminal.draw(|frame| zorgtui::ui::draw_viewer(frame, &state)).expect("drawn");
                                }
                            }
                        }
                    });
                });
            }
        }
        group.finish();
    }
}

criterion_group!(benches, keys);
criterion_main!(benches);
