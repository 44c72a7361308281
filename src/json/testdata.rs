//! Generated JSON documents of a chosen size and shape, for benches, `bench/compare.sh` and tests. Deterministic:
//! the same size gives the same bytes. Pretty-printed with two-space indents, as APIs and files usually are.

use std::fmt::Write as _;

/// The shapes the inspector is measured on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shape {
    /// One long array of API-like objects (ZorgAPIs-style requirements with nested roles and metadata).
    ArrayOfObjects,
    /// Chains of objects nested 1000 deep, in an array.
    DeepNesting,
    /// One object with very many members.
    WideObject,
}

impl Shape {
    pub const ALL: [Shape; 3] = [Shape::ArrayOfObjects, Shape::DeepNesting, Shape::WideObject];

    pub fn name(self) -> &'static str {
        match self {
            Shape::ArrayOfObjects => "array",
            Shape::DeepNesting => "deep",
            Shape::WideObject => "wide",
        }
    }

    pub fn from_name(name: &str) -> Option<Shape> {
        Shape::ALL.into_iter().find(|s| s.name() == name)
    }

    /// A document of this shape of about `bytes` bytes (a little more: the last item is completed).
    pub fn generate(self, bytes: usize) -> String {
        match self {
            Shape::ArrayOfObjects => array_of_objects(bytes),
            Shape::DeepNesting => deep_nesting(bytes),
            Shape::WideObject => wide_object(bytes),
        }
    }
}

/// A small deterministic generator (an LCG is plenty for varied test text).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1_442_695_040_888_963_407);
        self.0 >> 33
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[usize::try_from(self.next()).unwrap_or(0) % items.len()]
    }
}

const WORDS: &[&str] = &[
    "zorg",
    "patiënt",
    "medicatie",
    "overdracht",
    "verwijzing",
    "huisarts",
    "apotheek",
    "dossier",
    "afspraak",
    "uitslag",
    "bericht",
    "toestemming",
    "netwerk",
    "gegevens",
    "inzage",
];
const LEVELS: &[&str] = &["MUST", "SHOULD", "MAY", "MUST NOT"];
const ROLES: &[&str] = &["zorgverlener", "patient", "beheerder", "apotheker", "huisarts"];

fn sentence(rng: &mut Lcg, words: usize) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(' ');
        }
        s.push_str(rng.pick(WORDS));
    }
    s
}

fn requirement(out: &mut String, rng: &mut Lcg, i: usize, indent: &str) {
    let level = rng.pick(LEVELS);
    let (r1, r2) = (rng.pick(ROLES), rng.pick(ROLES));
    let score = rng.next() % 10_000;
    let text = sentence(rng, 8);
    let tag = rng.pick(WORDS);
    let _ = write!(
        out,
        "{{\n{indent}  \"id\": {i},\n{indent}  \"code\": \"REQ-{i:06}\",\n{indent}  \"requirementLevel\": \"{level}\",\n\
         {indent}  \"roles\": [\n{indent}    \"{r1}\",\n{indent}    \"{r2}\"\n{indent}  ],\n\
         {indent}  \"active\": {},\n{indent}  \"score\": {}.{},\n{indent}  \"description\": \"{text}\",\n\
         {indent}  \"meta\": {{\n{indent}    \"created\": \"2024-{:02}-{:02}T10:00:00Z\",\n\
         {indent}    \"tags\": [\n{indent}      \"{tag}\"\n{indent}    ],\n{indent}    \"replacedBy\": null\n\
         {indent}  }}\n{indent}}}",
        !i.is_multiple_of(3),
        score / 100,
        score % 100,
        1 + i % 12,
        1 + i % 28,
    );
}

/// `[ {requirement}, ... ]` of about `bytes` bytes.
pub fn array_of_objects(bytes: usize) -> String {
    let mut rng = Lcg(1);
    let mut out = String::with_capacity(bytes + 1024);
    out.push_str("[\n");
    let mut i = 0;
    while out.len() < bytes {
        if i > 0 {
            out.push_str(",\n");
        }
        out.push_str("  ");
        requirement(&mut out, &mut rng, i, "  ");
        i += 1;
    }
    out.push_str("\n]\n");
    out
}

/// `[ {"level": 0, ..., "child": {"level": 1, ... }}, ... ]`: chains 1000 deep until about `bytes` bytes.
pub fn deep_nesting(bytes: usize) -> String {
    const DEPTH: usize = 1000;
    let mut rng = Lcg(2);
    let mut out = String::with_capacity(bytes + (1 << 20));
    out.push('[');
    let mut chain = 0;
    while out.len() < bytes {
        if chain > 0 {
            out.push(',');
        }
        for level in 0..DEPTH {
            let _ = write!(out, "\n{{\"level\": {level}, \"name\": \"{}\", \"child\": ", sentence(&mut rng, 2));
        }
        out.push_str("null");
        out.push_str(&"}".repeat(DEPTH));
        chain += 1;
    }
    out.push_str("\n]\n");
    out
}

/// `{"key000000": {...}, "key000001": "text", ...}` of about `bytes` bytes.
pub fn wide_object(bytes: usize) -> String {
    let mut rng = Lcg(3);
    let mut out = String::with_capacity(bytes + 1024);
    out.push_str("{\n");
    let mut i = 0;
    while out.len() < bytes {
        if i > 0 {
            out.push_str(",\n");
        }
        if i % 4 == 0 {
            let _ = write!(out, "  \"key{i:07}\": {{\"n\": {i}, \"label\": \"{}\"}}", sentence(&mut rng, 3));
        } else {
            let _ = write!(out, "  \"key{i:07}\": \"{}\"", sentence(&mut rng, 4));
        }
        i += 1;
    }
    out.push_str("\n}\n");
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_shape_is_valid_json_of_about_the_size_asked() {
        for shape in Shape::ALL {
            let text = shape.generate(200_000);
            assert!(text.len() >= 200_000 && text.len() < 400_000, "{}: {}", shape.name(), text.len());
            let doc = crate::json::Document::parse(text.clone().into()).unwrap();
            assert!(doc.entry_count() > 1000);
            if shape != Shape::DeepNesting {
                // serde_json stops at 128 levels; the others are checked against it too.
                let value: serde_json::Value = serde_json::from_str(&text).unwrap();
                assert!(value.is_array() || value.is_object());
            }
            assert_eq!(Shape::from_name(shape.name()), Some(shape));
        }
    }
}
