//! Where everything sits: every rectangle of the explorer's screen, the panes and their inner parts, computed in one
//! place ([`Layout::new`]) whenever the size, the focus or what the panes hold changes. `update` reads it to know how
//! many rows fit and which part a mouse click hit; the screen draws into it. The rules for the overlays (the help,
//! the sign-in window) are here too.

use ratatui::layout::Rect;

use super::state::Pane;

/// What the layout depends on besides the screen's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Content {
    pub focus: Pane,
    /// Rows the status bar's message takes (1 to 4).
    pub status_lines: u16,
    /// Whether the request being edited has a body (it then gets the lower half of the editor).
    pub editor_body: bool,
    /// Rows of the response's summary (a ZorgAPIs error, why a body is shown as text).
    pub response_summary: u16,
}

/// Every rectangle of the explorer.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Layout {
    pub screen: Rect,
    /// The Sign-in pane across the top.
    pub auth: Rect,
    /// The Endpoints pane, its rows of operations and its filter line.
    pub catalogue: Rect,
    pub catalogue_list: Rect,
    pub catalogue_filter: Rect,
    /// The Request pane: the operation and URL on two rows, the list of values, and the body below (its title
    /// row included) when the operation has one.
    pub editor: Rect,
    pub editor_header: Rect,
    pub editor_list: Rect,
    pub editor_body: Option<Rect>,
    /// The Response pane: its status row, the summary, and the body (the inspector, with its info line).
    pub response: Rect,
    pub response_status: Rect,
    pub response_summary: Rect,
    pub response_body: Rect,
    /// The status bar: hints, or a message over as many rows as it needs (up to four).
    pub status: Rect,
}

impl Layout {
    /// Splits `screen`: auth across the top, the catalogue on the left, request over response on the right, the
    /// status bar at the bottom. Works from 80×24 up; below that everything shrinks but nothing overlaps. On short
    /// screens the request editor grows while it has focus, and shrinks while the response has it.
    pub fn new(screen: Rect, content: Content) -> Layout {
        let status_height = content.status_lines.clamp(1, 4).min(screen.height);
        let status = Rect { y: screen.bottom().saturating_sub(status_height), height: status_height, ..screen };
        let auth_height = if screen.height >= 40 { 4 } else { 3 }.min(screen.height.saturating_sub(1));
        let auth = Rect { height: auth_height, ..screen };
        let body_top = screen.y + auth_height;
        let body_height = screen.height.saturating_sub(auth_height + status.height);
        let catalogue_width = if screen.width >= 140 {
            52
        } else if screen.width >= 100 {
            screen.width * 2 / 5
        } else {
            (screen.width * 2 / 5).max(screen.width.min(30))
        };
        let catalogue = Rect { x: screen.x, y: body_top, width: catalogue_width, height: body_height };
        let right_x = screen.x + catalogue_width;
        let right_width = screen.width.saturating_sub(catalogue_width);
        let editor_height = match content.focus {
            Pane::Editor if screen.height < 40 => body_height * 3 / 5,
            Pane::Response if screen.height < 40 => body_height / 3,
            _ => body_height * 2 / 5,
        }
        .max(body_height.min(7));
        let editor = Rect { x: right_x, y: body_top, width: right_width, height: editor_height };
        let response =
            Rect { x: right_x, y: body_top + editor_height, width: right_width, height: body_height - editor_height };

        let (catalogue_list, catalogue_filter) = split_last_row(inner(catalogue));
        let (editor_header, editor_list, editor_body) = editor_parts(inner(editor), content.editor_body);
        let (response_status, rest) = split_rows(inner(response), 1);
        let (response_summary, response_body) = split_rows(rest, content.response_summary);
        Layout {
            screen,
            auth,
            catalogue,
            catalogue_list,
            catalogue_filter,
            editor,
            editor_header,
            editor_list,
            editor_body,
            response,
            response_status,
            response_summary,
            response_body,
            status,
        }
    }

    /// The pane under a point of the screen.
    pub fn pane_at(&self, x: u16, y: u16) -> Option<Pane> {
        let at = ratatui::layout::Position { x, y };
        [
            (Pane::Catalogue, self.catalogue),
            (Pane::Editor, self.editor),
            (Pane::Response, self.response),
            (Pane::Auth, self.auth),
        ]
        .into_iter()
        .find(|(_, rect)| rect.contains(at))
        .map(|(pane, _)| pane)
    }
}

/// `zorgtui view`'s screen: a title row, the inspector, a status row.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ViewerLayout {
    pub title: Rect,
    pub body: Rect,
    pub status: Rect,
}

impl ViewerLayout {
    pub fn new(screen: Rect) -> ViewerLayout {
        let (title, rest) = split_rows(screen, 1);
        let (body, status) = split_last_row(rest);
        ViewerLayout { title, body, status }
    }
}

/// The inside of a bordered pane.
pub fn inner(rect: Rect) -> Rect {
    Rect {
        x: rect.x.saturating_add(1),
        y: rect.y.saturating_add(1),
        width: rect.width.saturating_sub(2),
        height: rect.height.saturating_sub(2),
    }
}

/// The first `rows` rows of `rect`, and the rest.
fn split_rows(rect: Rect, rows: u16) -> (Rect, Rect) {
    let top = rows.min(rect.height);
    (Rect { height: top, ..rect }, Rect { y: rect.y + top, height: rect.height - top, ..rect })
}

/// All but the last row of `rect`, and the last row.
fn split_last_row(rect: Rect) -> (Rect, Rect) {
    split_rows(rect, rect.height.saturating_sub(1))
}

/// The editor's inside: two header rows (the operation, the URL), then the list; with a body, the list gets half of
/// what is below the header (rounded up) and the body the rest.
fn editor_parts(inside: Rect, has_body: bool) -> (Rect, Rect, Option<Rect>) {
    let (header, below) = split_rows(inside, 2);
    if !has_body {
        return (header, below, None);
    }
    let (list, body) = split_rows(below, below.height.div_ceil(2).max(1));
    (header, list, Some(body).filter(|b| b.height >= 2))
}

/// A centred box of `width` × `height` at most, inside `screen` less a margin.
pub fn centered(screen: Rect, width: u16, height: u16) -> Rect {
    let width = width.min(screen.width.saturating_sub(4));
    let height = height.min(screen.height.saturating_sub(2));
    Rect {
        x: screen.x + (screen.width.saturating_sub(width)) / 2,
        y: screen.y + (screen.height.saturating_sub(height)) / 2,
        width,
        height,
    }
}

/// How wide the sign-in window is on `screen`: the address wraps in it.
pub fn dialog_width(screen: Rect) -> u16 {
    screen.width.saturating_sub(4).min(110)
}

/// The sign-in window for `rows` rows of text.
pub fn dialog(screen: Rect, rows: usize) -> Rect {
    centered(screen, dialog_width(screen), u16::try_from(rows + 2).unwrap_or(u16::MAX))
}

/// The History or Variables view: most of the screen, over the panes.
pub fn day_view(screen: Rect) -> Rect {
    let width = screen.width.saturating_sub(4).clamp(20.min(screen.width), 120);
    let height = screen.height.saturating_sub(4).max(3.min(screen.height));
    centered(screen, width, height)
}

/// The list rows inside the History or Variables view (its border, and a line for the filter or hints, taken off).
pub fn day_view_list(screen: Rect) -> Rect {
    let inner = inner(day_view(screen));
    Rect { height: inner.height.saturating_sub(1), ..inner }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn content(focus: Pane, status_lines: u16) -> Content {
        Content { focus, status_lines, editor_body: false, response_summary: 0 }
    }

    fn no_overlap(p: &Layout) -> bool {
        let all = [p.auth, p.catalogue, p.editor, p.response, p.status];
        all.iter().enumerate().all(|(i, a)| all.iter().skip(i + 1).all(|b| a.intersection(*b).is_empty()))
    }

    #[test]
    fn small_terminal_keeps_every_pane_usable() {
        let p = Layout::new(Rect::new(0, 0, 80, 24), content(Pane::Catalogue, 1));
        assert!(no_overlap(&p));
        assert_eq!(p.status.y, 23);
        assert!(p.catalogue.width >= 30 && p.editor.width >= 40, "{p:?}");
        assert!(p.editor.height >= 7 && p.response.height >= 10, "{p:?}");
        assert_eq!(p.catalogue.height + p.auth.height + 1, 24);
    }

    #[test]
    fn the_focused_pane_gets_room_on_short_screens() {
        let area = Rect::new(0, 0, 80, 24);
        let editing = Layout::new(area, content(Pane::Editor, 1));
        let reading = Layout::new(area, content(Pane::Response, 1));
        let neither = Layout::new(area, content(Pane::Catalogue, 1));
        assert!(editing.editor.height > neither.editor.height);
        assert!(reading.response.height > neither.response.height);
        assert!(reading.editor.height >= 7, "the editor stays usable: {reading:?}");
    }

    #[test]
    fn wide_terminal_gives_the_response_the_room() {
        let p = Layout::new(Rect::new(0, 0, 160, 48), content(Pane::Catalogue, 1));
        assert!(no_overlap(&p));
        assert_eq!(p.catalogue.width, 52);
        assert!(p.response.height > p.editor.height);
        assert_eq!(p.response.right(), 160);
    }

    #[test]
    fn a_long_message_gets_more_status_lines() {
        let p = Layout::new(Rect::new(0, 0, 80, 24), content(Pane::Catalogue, 2));
        assert_eq!((p.status.y, p.status.height), (22, 2));
        assert!(no_overlap(&p));
        assert_eq!(Layout::new(Rect::new(0, 0, 80, 24), content(Pane::Catalogue, 9)).status.height, 4);
    }

    #[test]
    fn inner_parts_stack_inside_their_pane() {
        let with_body = Content { editor_body: true, response_summary: 2, ..content(Pane::Editor, 1) };
        let p = Layout::new(Rect::new(0, 0, 120, 40), with_body);
        assert_eq!(p.editor_header.height, 2);
        assert_eq!(p.editor_list.y, p.editor_header.bottom());
        let body = p.editor_body.unwrap();
        assert_eq!((body.y, body.bottom()), (p.editor_list.bottom(), inner(p.editor).bottom()));
        assert_eq!(p.response_status.height, 1);
        assert_eq!((p.response_summary.y, p.response_summary.height), (p.response_status.bottom(), 2));
        assert_eq!(
            (p.response_body.y, p.response_body.bottom()),
            (p.response_summary.bottom(), inner(p.response).bottom())
        );
        assert_eq!(p.catalogue_filter.bottom(), inner(p.catalogue).bottom());
        assert_eq!(p.pane_at(p.editor.x + 1, p.editor.y + 1), Some(Pane::Editor));
    }

    #[test]
    fn tiny_terminal_does_not_panic() {
        for (w, h) in [(0, 0), (1, 1), (10, 3), (20, 5)] {
            let c = Content { editor_body: true, response_summary: 3, ..content(Pane::Catalogue, 1) };
            let p = Layout::new(Rect::new(0, 0, w, h), c);
            assert!(p.response.bottom() <= h.max(1));
            assert!(p.response_body.bottom() <= p.response.bottom().max(p.response_body.y));
        }
    }
}
