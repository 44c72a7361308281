//! The screen as text: what a person would see, drawn on ratatui's TestBackend.

use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::buffer::Buffer;
use zorgtui::app::State;
use zorgtui::ui;

/// Draws `state` at `width`×`height` and returns the buffer. The state must be laid out for that size, as the run
/// loop makes sure it is.
pub fn draw(state: &State, width: u16, height: u16) -> Buffer {
    assert_eq!((state.area.width, state.area.height), (width, height), "the state is laid out for another size");
    let mut terminal = Terminal::new(TestBackend::new(width, height)).unwrap();
    terminal.draw(|frame| ui::draw(frame, state)).unwrap();
    terminal.backend().buffer().clone()
}

/// The buffer as lines of text, trailing spaces kept so columns line up in snapshots.
pub fn text(buffer: &Buffer) -> String {
    let area = buffer.area;
    let mut out = String::with_capacity(usize::from(area.width + 1) * usize::from(area.height));
    for y in 0..area.height {
        for x in 0..area.width {
            out.push_str(buffer[(x, y)].symbol());
        }
        out.push('\n');
    }
    out
}

/// Draws and returns the text in one go.
pub fn render(state: &State, width: u16, height: u16) -> String {
    text(&draw(state, width, height))
}
