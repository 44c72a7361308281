//! A scan begun in the middle of a document, and joined to the scan of what came before it, so that two threads
//! index the two halves of a large body at once.
//!
//! It begins right after a line break. JSON allows no raw line break inside a string, so there the first half
//! stands between two tokens, and the first token after the break tells its state: `,` or a closing bracket comes
//! after a value, a string followed by `:` is a member name, anything else a value. Containers opened before the
//! break are stand-ins at the bottom of the stack: entries link to them by a placeholder, and a stand-in's kind is
//! learned where a byte shows it (its closing bracket, or what follows a comma in it). Joining checks every
//! assumption against the first half's real state and stack, then copies the entries over with their links
//! mended. When anything does not fit, or the second half found an error, its work is dropped and the first
//! half's scanner reads on by itself, so the index and every error are exactly those of one scan from the start.

use super::step::is_space;
use super::{Frame, ScanError, Scanner, State, is_checkpoint};
use crate::json::index::{CLOSE, EntryId, LargeContainer, NONE};

/// The placeholder for the container open `level` levels out from where the scan began (0: the innermost).
const STAND_IN_TOP: EntryId = NONE - 1;
/// Containers closed past where the scan began, at most (deeper means another scan went wrong).
const MAX_LEVELS: u32 = 1 << 20;
/// Links at or above this are placeholders; the resumed scan's own entries stay below it.
pub(super) const STAND_IN_FLOOR: EntryId = STAND_IN_TOP - MAX_LEVELS;
/// The resumed scan's depths are kept this much higher, so that they never go below 0 as stand-ins close.
const DEPTH_BIAS: usize = 1 << 21;

fn stand_in(level: u32) -> EntryId {
    STAND_IN_TOP - level
}

/// What the resumed scan took the state before it to be.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Assumed {
    /// After a value (the first token is `,` or a closing bracket).
    After,
    /// After a member name.
    Colon,
    /// Before a member name.
    Key,
    /// Before a value.
    Value,
}

/// What a resumed scan assumed, and the stand-ins it closed (innermost first).
#[derive(Debug)]
pub(super) struct Resumed {
    assumed: Assumed,
    closed: Vec<ClosedStandIn>,
}

#[derive(Debug)]
struct ClosedStandIn {
    object: bool,
    children: u32,
    /// Every child pushed by the resumed scan (which of them are checkpoints depends on the children before).
    child_entries: Vec<EntryId>,
    close: EntryId,
}

/// How a join went.
pub(super) enum Joined {
    /// One scanner, as if it had read both halves.
    Whole(Scanner),
    /// The first half's scanner, unchanged: the second half's work does not fit and must be read again.
    Apart(Scanner),
    /// The joined index has more entries than allowed (the error one scan would have given).
    Stopped(ScanError),
}

/// Whether the token at or after `i` (past whitespace) is a member name: a string followed by `:`. `None` when the
/// bytes end before that shows.
fn key_follows(bytes: &[u8], i: usize) -> Option<bool> {
    let mut j = i + bytes.get(i..)?.iter().position(|&b| !is_space(b))?;
    if bytes[j] != b'"' {
        return Some(false);
    }
    j += 1;
    loop {
        match *bytes.get(j)? {
            b'"' => break,
            b'\\' => j += 2,
            _ => j += 1,
        }
    }
    let colon = j + 1 + bytes.get(j + 1..)?.iter().position(|&b| !is_space(b))?;
    Some(bytes[colon] == b':')
}

impl Scanner {
    /// A scanner for the body from `at` on, right after a line break, where `start` are the first bytes from
    /// there (enough to hold the first token). `None` when they do not show what state the scan would be in.
    pub(super) fn resume(start: &[u8], at: u64, expected_len: u64) -> Option<Scanner> {
        let first = start.iter().position(|&b| !is_space(b))?;
        let (state, assumed, object) = match start[first] {
            b',' | b'}' | b']' => (State::After, Assumed::After, None),
            b':' => (State::Colon, Assumed::Colon, Some(true)),
            b'"' if key_follows(start, first)? => (State::Key, Assumed::Key, Some(true)),
            b'"' | b'{' | b'[' | b'-' | b'0'..=b'9' | b't' | b'f' | b'n' => (State::Value, Assumed::Value, None),
            _ => return None,
        };
        let mut scanner = Scanner::new(expected_len);
        scanner.fed = at;
        scanner.state = state;
        scanner.depth_bias = DEPTH_BIAS;
        scanner.entry_limit = STAND_IN_FLOOR;
        scanner.stack.push(Frame {
            open: stand_in(0),
            object: object.unwrap_or(false),
            unknown: object.is_none(),
            children: 0,
            checkpoints: Vec::new(),
        });
        scanner.resumed = Some(Box::new(Resumed { assumed, closed: Vec::new() }));
        Some(scanner)
    }

    /// The innermost container's kind shows in the token at or after `i` in `bytes` (after a comma in it): a
    /// member name, or a value. Notes it and returns it (`true` for an object), or `None` when it does not show yet.
    pub(super) fn learn_kind(&mut self, bytes: &[u8], i: usize) -> Option<bool> {
        let object = key_follows(bytes, i)?;
        if let Some(frame) = self.stack.last_mut() {
            frame.unknown = false;
            frame.object = object;
        }
        Some(object)
    }

    /// Closes a stand-in with `b` at `offset`: its close is pushed, and the next container out becomes the stand-in.
    pub(super) fn close_stand_in(&mut self, frame: Frame, b: u8, offset: u64) -> Result<(), ScanError> {
        let object = b == b'}';
        let level = self.resumed.as_ref().map_or(MAX_LEVELS, |r| u32::try_from(r.closed.len()).unwrap_or(MAX_LEVELS));
        if (!frame.unknown && frame.object != object) || level + 1 >= MAX_LEVELS {
            return Err(ScanError { offset, message: "a bracket that does not fit", too_many: false });
        }
        let outer = stand_in(level + 1);
        self.stack.push(Frame { open: outer, object: false, unknown: true, children: 0, checkpoints: Vec::new() });
        self.depth_bias -= 1;
        let close = self.push(offset, CLOSE | outer)?;
        if let Some(resumed) = self.resumed.as_mut() {
            resumed.closed.push(ClosedStandIn {
                object,
                children: frame.children,
                child_entries: frame.checkpoints,
                close,
            });
        }
        Ok(())
    }

    /// Joins `rest`, a scan resumed where this one stopped (see [`Scanner::resume`]) and read to the end of the
    /// body without an error.
    pub(super) fn join(mut self, mut rest: Scanner) -> Joined {
        let Some(resumed) = rest.resumed.take() else { return Joined::Apart(self) };
        if !self.fits(&resumed, &rest) {
            return Joined::Apart(self);
        }
        let mut stack = std::mem::take(&mut self.stack);
        let depth = stack.len();
        let shift = self.index.len();
        let joined_len = u64::from(shift) + u64::from(rest.index.len());
        if joined_len > u64::from(self.entry_limit) {
            let offset = rest.index.offset(self.entry_limit - shift);
            return Joined::Stopped(ScanError { offset, message: "more values than can be indexed", too_many: true });
        }
        let target = |t: EntryId| match t {
            _ if t >= STAND_IN_FLOOR => {
                let level = (STAND_IN_TOP - t) as usize;
                if level < depth { stack[depth - 1 - level].open } else { NONE }
            }
            _ => t + shift,
        };
        let max_depth = rest.index.max_depth;
        self.index.append(std::mem::take(&mut rest.index), |link| (link & CLOSE) | target(link & !CLOSE));
        for (level, closed) in resumed.closed.iter().enumerate() {
            let frame = &stack[depth - 1 - level];
            self.index.set_close(frame.open, closed.close + shift);
            let children = frame.children + closed.children;
            if children >= super::STRIDE {
                let mut checkpoints = frame.checkpoints.clone();
                checkpoints.extend(later_checkpoints(frame.children, &closed.child_entries, shift));
                self.index.large.insert(frame.open, LargeContainer { children, checkpoints });
            }
        }
        if max_depth > DEPTH_BIAS {
            self.index.max_depth = self.index.max_depth.max(depth + max_depth - DEPTH_BIAS - 1);
        }
        stack.truncate(depth - resumed.closed.len());
        let mut own_frames = rest.stack.into_iter();
        if let (Some(outer), Some(top)) = (own_frames.next(), stack.last_mut()) {
            top.checkpoints.extend(later_checkpoints(top.children, &outer.checkpoints, shift));
            top.children += outer.children;
        }
        stack.extend(own_frames.map(|f| Frame {
            open: f.open + shift,
            checkpoints: f.checkpoints.iter().map(|c| c + shift).collect(),
            ..f
        }));
        // After a comma in a stand-in whose kind did not show: the container's real kind says what comes next.
        self.state = match rest.state {
            State::Either => State::after_comma(stack.last().is_some_and(|f| f.object)),
            state => state,
        };
        self.stack = stack;
        self.fed = rest.fed;
        self.utf8 = rest.utf8;
        Joined::Whole(self)
    }

    /// Whether what `rest` assumed of the body before it holds for this scan, which stopped where it began.
    fn fits(&self, resumed: &Resumed, rest: &Scanner) -> bool {
        let state_fits = match resumed.assumed {
            Assumed::After => self.state == State::After,
            Assumed::Colon => self.state == State::Colon,
            Assumed::Key => matches!(self.state, State::Key | State::ObjectFirst),
            Assumed::Value => matches!(self.state, State::Value | State::ArrayFirst),
        };
        let (depth, levels) = (self.stack.len(), resumed.closed.len());
        let Some(outer) = rest.stack.first() else { return false };
        if !state_fits || !self.utf8.is_clear() || levels > depth || depth == 0 {
            return false;
        }
        let closed_fit = resumed.closed.iter().enumerate().all(|(v, c)| self.stack[depth - 1 - v].object == c.object);
        let outer_fits = if levels < depth {
            outer.unknown || outer.object == self.stack[depth - 1 - levels].object
        } else {
            // The root closed in the second half: nothing but whitespace may follow.
            outer.children == 0 && rest.stack.len() == 1 && rest.state == State::After
        };
        closed_fit && outer_fits
    }
}

/// The checkpoints among `later` (entries of a resumed scan, moved by `shift`), children that come after `before`
/// others.
fn later_checkpoints(before: u32, later: &[EntryId], shift: u32) -> impl Iterator<Item = EntryId> + '_ {
    (before..).zip(later).filter(|&(position, _)| is_checkpoint(position)).map(move |(_, &entry)| entry + shift)
}
