//! Two halves indexed apart and joined give exactly the index, or the error, of one scan from the start: at every
//! line break of arbitrary documents, and of the benchmark shapes with containers large enough for checkpoints.

use bytes::Bytes;
use proptest::prelude::*;

use super::proptests::document;
use super::split::{Stop, index_source, index_split_at};
use super::{ScanError, Scanner};
use crate::json::index::{EntryId, Index};
use crate::json::source::Source;
use crate::json::testdata::Shape;

/// Everything the index answers, entry by entry, and its tables.
#[derive(Debug, PartialEq, Eq)]
struct Facts {
    entries: Vec<(u64, Option<EntryId>, EntryId, bool, u32, u32)>,
    large: Vec<(EntryId, u32, Vec<EntryId>)>,
    opens: Vec<u64>,
    max_depth: usize,
}

fn facts(index: &Index) -> Facts {
    let entries = (0..index.len())
        .map(|e| {
            let parent = index.parent(e);
            let position = parent.map_or(0, |p| index.child_index(p, index.value_of(e)));
            (index.offset(e), parent, index.last_of(e), index.is_open(e), index.children(e), position)
        })
        .collect();
    let mut large: Vec<_> = index.large.iter().map(|(&open, l)| (open, l.children, l.checkpoints.clone())).collect();
    large.sort_unstable();
    Facts { entries, large, opens: index.opens.clone(), max_depth: index.max_depth }
}

fn one_scan(bytes: &[u8]) -> Result<Facts, ScanError> {
    let mut scanner = Scanner::new(0);
    scanner.feed(bytes)?;
    scanner.finish().map(|index| facts(&index))
}

fn split_scan(bytes: &[u8], starts: &[usize]) -> (Result<Facts, ScanError>, bool) {
    let source = Source::from_bytes(Bytes::copy_from_slice(bytes));
    let starts: Vec<u64> = starts.iter().map(|&at| at as u64).collect();
    let (index, joined) = index_split_at(&source, &starts);
    let index = match index {
        Ok(index) => Ok(facts(&index)),
        Err(Stop::Scan(e)) => Err(e),
        Err(Stop::Io(e)) => panic!("a body in memory: {e}"),
    };
    (index, joined)
}

/// Offsets just past each line break that has something but whitespace after it.
fn splits(bytes: &[u8]) -> Vec<usize> {
    let solid_after = |i: usize| bytes[i..].iter().any(|b| !b" \t\r\n".contains(b));
    (0..bytes.len()).filter(|&i| bytes[i] == b'\n' && solid_after(i + 1)).map(|i| i + 1).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    #[test]
    fn halves_joined_at_any_line_break_are_one_scan(bytes in document()) {
        let whole = one_scan(&bytes);
        for at in splits(&bytes) {
            let (split, _) = split_scan(&bytes, &[at]);
            prop_assert_eq!(&split, &whole, "split at {} of {:?}", at, String::from_utf8_lossy(&bytes));
        }
    }

    #[test]
    fn parts_joined_at_several_line_breaks_are_one_scan(bytes in document(), picks in prop::collection::vec(any::<prop::sample::Index>(), 2..5)) {
        let all = splits(&bytes);
        prop_assume!(all.len() >= 2);
        let mut starts: Vec<usize> = picks.iter().map(|p| all[p.index(all.len())]).collect();
        starts.sort_unstable();
        starts.dedup();
        prop_assert_eq!(&split_scan(&bytes, &starts).0, &one_scan(&bytes), "split at {:?}", starts);
    }
}

#[test]
fn the_shapes_join_at_line_breaks_all_through_with_their_checkpoints() {
    for shape in Shape::ALL {
        let text = shape.generate(40_000);
        let bytes = text.as_bytes();
        let whole = one_scan(bytes).expect("valid");
        if shape != Shape::DeepNesting {
            assert!(!whole.large.is_empty(), "{}: a container with checkpoints", shape.name());
        }
        let at_all = splits(bytes);
        let step = (at_all.len() / 300).max(1);
        for &at in at_all.iter().step_by(step) {
            let (split, joined) = split_scan(bytes, &[at]);
            assert!(joined, "{}: joined at {at}", shape.name());
            assert_eq!(split.as_ref().ok(), Some(&whole), "{}: split at {at}", shape.name());
        }
    }
}

#[test]
fn the_shapes_join_in_many_parts() {
    for shape in Shape::ALL {
        let text = shape.generate(200_000);
        let bytes = text.as_bytes();
        let whole = one_scan(bytes).expect("valid");
        let at_all = splits(bytes);
        for parts in [3, 5, 8] {
            let starts: Vec<usize> = (1..parts).map(|k| at_all[at_all.len() * k / parts]).collect();
            let (split, joined) = split_scan(bytes, &starts);
            assert!(joined, "{}: {parts} parts joined", shape.name());
            assert_eq!(split.as_ref().ok(), Some(&whole), "{}: {parts} parts", shape.name());
        }
    }
}

#[test]
fn errors_on_either_side_of_the_split_are_those_of_one_scan() {
    let text = Shape::ArrayOfObjects.generate(20_000);
    let at = splits(text.as_bytes())[200];
    let colon_after = |from: usize| from + text[from..].find(':').expect("a member");
    for (broken_at, byte) in
        [(colon_after(at / 2), b'#'), (colon_after(at + 300), b'#'), (at + 5, 0x01), (text.len() - 3, b',')]
    {
        let mut bytes = text.clone().into_bytes();
        bytes[broken_at] = byte;
        let whole = one_scan(&bytes);
        assert!(whole.is_err(), "broken at {broken_at}");
        assert_eq!(split_scan(&bytes, &[at]).0, whole, "broken at {broken_at}");
    }
    let mut cut = text.into_bytes();
    cut.truncate(cut.len() - 10);
    assert_eq!(split_scan(&cut, &[at]).0, one_scan(&cut), "cut short");
}

#[test]
fn a_split_that_does_not_fit_is_read_again_by_one_scan() {
    // An empty array across the break, and a scalar document with a line break before it.
    for text in ["{\"a\": [\n], \"b\": 1}", "\n\n 12", "[1,\n2]\n,3", "[\"x\"\n:1]"] {
        let bytes = text.as_bytes();
        for at in splits(bytes) {
            assert_eq!(split_scan(bytes, &[at]).0, one_scan(bytes), "{text:?} at {at}");
        }
    }
}

#[test]
fn a_large_body_is_indexed_on_two_threads_as_by_one() {
    for shape in Shape::ALL {
        let bytes = Bytes::from(shape.generate(300_000));
        let whole = one_scan(&bytes).expect("valid");
        let source = Source::from_bytes(bytes);
        let mut last = 0;
        let index = index_source(&source, None, 0, |done, total| {
            assert!(done <= total && total == source.len());
            last = last.max(done);
        });
        let index = index.map_err(|e| format!("{e:?}")).expect("valid");
        assert_eq!(facts(&index), whole, "{}", shape.name());
        assert_eq!(last, source.len(), "progress reaches the end");
    }
}

#[test]
fn the_entry_limit_holds_across_the_join() {
    let bytes = Bytes::from(Shape::WideObject.generate(100_000));
    let source = Source::from_bytes(bytes);
    let entries = index_source(&source, None, 0, |_, _| {}).map_err(|e| format!("{e:?}")).expect("valid").len();
    for limit in [entries, entries - 1, entries / 2 + 10] {
        let limited = index_source(&source, Some(limit), 0, |_, _| {});
        match limited {
            Ok(index) => assert_eq!((limit, index.len()), (entries, entries)),
            Err(Stop::Scan(e)) => assert!(e.too_many && limit < entries, "{e:?} at {limit}"),
            Err(Stop::Io(e)) => panic!("{e}"),
        }
    }
}
