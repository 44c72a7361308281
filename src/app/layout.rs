//! Where each pane sits. Pure geometry, shared by the screen (to draw) and by `update` (to know how many rows fit
//! and which pane a mouse click hit).

use ratatui::layout::Rect;

use super::state::Pane;

/// The screen split into panes.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PaneRects {
    pub auth: Rect,
    pub catalogue: Rect,
    pub editor: Rect,
    pub response: Rect,
    pub status: Rect,
}

/// Splits `area`: auth across the top, the catalogue on the left, request over response on the right, one status
/// line at the bottom (up to four while a long message needs them, so an error is read whole). Works from 80×24 up;
/// below that everything shrinks but nothing overlaps. On short screens the request editor grows while it has focus,
/// and shrinks while the response has it.
pub fn panes(area: Rect, focus: Pane, status_lines: u16) -> PaneRects {
    let status_height = status_lines.clamp(1, 4).min(area.height);
    let status = Rect { y: area.bottom().saturating_sub(status_height), height: status_height, ..area };
    let auth_height = if area.height >= 40 { 4 } else { 3 }.min(area.height.saturating_sub(1));
    let auth = Rect { height: auth_height, ..area };
    let body_top = area.y + auth_height;
    let body_height = area.height.saturating_sub(auth_height + status.height);
    let catalogue_width = if area.width >= 140 {
        52
    } else if area.width >= 100 {
        area.width * 2 / 5
    } else {
        (area.width * 2 / 5).max(area.width.min(30))
    };
    let catalogue = Rect { x: area.x, y: body_top, width: catalogue_width, height: body_height };
    let right_x = area.x + catalogue_width;
    let right_width = area.width.saturating_sub(catalogue_width);
    let editor_height = match focus {
        Pane::Editor if area.height < 40 => body_height * 3 / 5,
        Pane::Response if area.height < 40 => body_height / 3,
        _ => body_height * 2 / 5,
    }
    .max(body_height.min(7));
    let editor = Rect { x: right_x, y: body_top, width: right_width, height: editor_height };
    let response =
        Rect { x: right_x, y: body_top + editor_height, width: right_width, height: body_height - editor_height };
    PaneRects { auth, catalogue, editor, response, status }
}

/// The rows inside a bordered pane.
pub fn inner_height(rect: Rect) -> usize {
    usize::from(rect.height.saturating_sub(2))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_overlap(p: &PaneRects) -> bool {
        let all = [p.auth, p.catalogue, p.editor, p.response, p.status];
        all.iter().enumerate().all(|(i, a)| all.iter().skip(i + 1).all(|b| a.intersection(*b).is_empty()))
    }

    #[test]
    fn small_terminal_keeps_every_pane_usable() {
        let p = panes(Rect::new(0, 0, 80, 24), Pane::Catalogue, 1);
        assert!(no_overlap(&p));
        assert_eq!(p.status.y, 23);
        assert!(p.catalogue.width >= 30 && p.editor.width >= 40, "{p:?}");
        assert!(p.editor.height >= 7 && p.response.height >= 10, "{p:?}");
        assert_eq!(p.catalogue.height + p.auth.height + 1, 24);
    }

    #[test]
    fn the_focused_pane_gets_room_on_short_screens() {
        let area = Rect::new(0, 0, 80, 24);
        let editing = panes(area, Pane::Editor, 1);
        let reading = panes(area, Pane::Response, 1);
        assert!(editing.editor.height > panes(area, Pane::Catalogue, 1).editor.height);
        assert!(reading.response.height > panes(area, Pane::Catalogue, 1).response.height);
        assert!(reading.editor.height >= 7, "the editor stays usable: {reading:?}");
    }

    #[test]
    fn wide_terminal_gives_the_response_the_room() {
        let p = panes(Rect::new(0, 0, 160, 48), Pane::Catalogue, 1);
        assert!(no_overlap(&p));
        assert_eq!(p.catalogue.width, 52);
        assert!(p.response.height > p.editor.height);
        assert_eq!(p.response.right(), 160);
    }

    #[test]
    fn a_long_message_gets_more_status_lines() {
        let p = panes(Rect::new(0, 0, 80, 24), Pane::Catalogue, 2);
        assert_eq!((p.status.y, p.status.height), (22, 2));
        assert!(no_overlap(&p));
        assert_eq!(panes(Rect::new(0, 0, 80, 24), Pane::Catalogue, 9).status.height, 4);
    }

    #[test]
    fn tiny_terminal_does_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (20, 5)] {
            let p = panes(Rect::new(0, 0, w, h), Pane::Catalogue, 1);
            assert!(p.response.bottom() <= h.max(1));
        }
    }
}
