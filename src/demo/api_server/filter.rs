//! The `filter` parameter: the FunQL subset the ZorgAPIs spec documents (`eq(name,"Nictiz")`, `has(name,"Nic")`,
//! `gt(createTime,"2024-03-16T14:15:30.500Z")`), combined with `and(...)`, `or(...)` and `not(...)`.
//! `reg` (regular expressions) is refused with a clear message rather than guessed at.

use std::cmp::Ordering;

use serde_json::Value;

use super::listing::field;

/// Deeper nesting than this is refused, so a hostile filter cannot exhaust the stack.
const MAX_DEPTH: usize = 16;

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Filter {
    Compare { op: Op, path: String, value: Value },
    And(Vec<Filter>),
    Or(Vec<Filter>),
    Not(Box<Filter>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Op {
    Eq,
    Neq,
    Has,
    Stw,
    Enw,
    Gt,
    Gte,
    Lt,
    Lte,
}

impl Filter {
    /// Parses a whole filter expression; the error says what was expected where.
    pub(crate) fn parse(text: &str) -> Result<Filter, String> {
        let mut parser = Parser { text, pos: 0 };
        let filter = parser.expression(0)?;
        parser.skip_spaces();
        if parser.pos < text.len() {
            return Err(format!("unexpected text at position {}", parser.pos + 1));
        }
        Ok(filter)
    }

    pub(crate) fn matches(&self, item: &Value) -> bool {
        match self {
            Filter::And(all) => all.iter().all(|f| f.matches(item)),
            Filter::Or(any) => any.iter().any(|f| f.matches(item)),
            Filter::Not(inner) => !inner.matches(item),
            Filter::Compare { op, path, value } => compare(*op, field(item, path), value),
        }
    }
}

fn compare(op: Op, actual: &Value, expected: &Value) -> bool {
    let text = |v: &Value| v.as_str().map(str::to_lowercase);
    let ordering = || match (actual, expected) {
        (Value::String(a), Value::String(b)) => Some(a.cmp(b)),
        (Value::Number(a), Value::Number(b)) => a.as_f64().zip(b.as_f64()).and_then(|(a, b)| a.partial_cmp(&b)),
        _ => None,
    };
    match op {
        Op::Eq => actual == expected,
        Op::Neq => actual != expected,
        Op::Has => text(actual).zip(text(expected)).is_some_and(|(a, b)| a.contains(&b)),
        Op::Stw => text(actual).zip(text(expected)).is_some_and(|(a, b)| a.starts_with(&b)),
        Op::Enw => text(actual).zip(text(expected)).is_some_and(|(a, b)| a.ends_with(&b)),
        Op::Gt => ordering() == Some(Ordering::Greater),
        Op::Gte => matches!(ordering(), Some(Ordering::Greater | Ordering::Equal)),
        Op::Lt => ordering() == Some(Ordering::Less),
        Op::Lte => matches!(ordering(), Some(Ordering::Less | Ordering::Equal)),
    }
}

struct Parser<'a> {
    text: &'a str,
    pos: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.text[self.pos..]
    }

    fn skip_spaces(&mut self) {
        let trimmed = self.rest().trim_start();
        self.pos = self.text.len() - trimmed.len();
    }

    fn expect(&mut self, wanted: char) -> Result<(), String> {
        self.skip_spaces();
        if self.rest().starts_with(wanted) {
            self.pos += wanted.len_utf8();
            Ok(())
        } else {
            Err(format!("expected '{wanted}' at position {}", self.pos + 1))
        }
    }

    /// A name or dotted field path.
    fn word(&mut self) -> Result<&str, String> {
        self.skip_spaces();
        let start = self.pos;
        let len = self
            .rest()
            .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == '.'))
            .unwrap_or(self.rest().len());
        if len == 0 {
            return Err(format!("expected a name at position {}", start + 1));
        }
        self.pos += len;
        Ok(&self.text[start..self.pos])
    }

    fn expression(&mut self, depth: usize) -> Result<Filter, String> {
        if depth > MAX_DEPTH {
            return Err("too deeply nested".to_owned());
        }
        let function = self.word()?.to_owned();
        self.expect('(')?;
        let filter = match function.as_str() {
            "and" | "or" => {
                let mut parts = vec![self.expression(depth + 1)?];
                while self.expect(',').is_ok() {
                    parts.push(self.expression(depth + 1)?);
                }
                if function == "and" { Filter::And(parts) } else { Filter::Or(parts) }
            }
            "not" => Filter::Not(Box::new(self.expression(depth + 1)?)),
            "reg" => return Err("regular expressions (reg) are not supported by the demo server".to_owned()),
            name => {
                let op = operator(name).ok_or_else(|| format!("unknown function {name}"))?;
                let path = self.word()?.to_owned();
                self.expect(',')?;
                let value = self.literal()?;
                Filter::Compare { op, path, value }
            }
        };
        self.expect(')')?;
        Ok(filter)
    }

    /// `"text"` (JSON string escapes), a number, `true`, `false` or `null`.
    fn literal(&mut self) -> Result<Value, String> {
        self.skip_spaces();
        let start = self.pos;
        let rest = self.rest();
        let len = if let Some(quoted) = rest.strip_prefix('"') {
            let mut escaped = false;
            let end = quoted.char_indices().find(|&(_, c)| {
                let closes = c == '"' && !escaped;
                escaped = c == '\\' && !escaped;
                closes
            });
            end.map(|(i, _)| i + 2).ok_or_else(|| format!("unterminated string at position {}", start + 1))?
        } else {
            rest.find([',', ')']).unwrap_or(rest.len())
        };
        self.pos += len;
        serde_json::from_str(self.text[start..self.pos].trim())
            .map_err(|_| format!("expected a quoted string, number, true, false or null at position {}", start + 1))
    }
}

fn operator(name: &str) -> Option<Op> {
    Some(match name {
        "eq" => Op::Eq,
        "neq" => Op::Neq,
        "has" => Op::Has,
        "stw" => Op::Stw,
        "enw" => Op::Enw,
        "gt" => Op::Gt,
        "gte" => Op::Gte,
        "lt" => Op::Lt,
        "lte" => Op::Lte,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn matches(filter: &str, item: &Value) -> bool {
        Filter::parse(filter).unwrap().matches(item)
    }

    #[test]
    fn comparisons_on_strings_numbers_and_paths() {
        let item = json!({"name": "Stichting Open Zorgdata", "score": 2, "address": {"city": "Utrecht"}});
        assert!(matches(r#"eq(name,"Stichting Open Zorgdata")"#, &item));
        assert!(matches(r#"has(name,"open")"#, &item));
        assert!(matches(r#"stw(name, "stichting")"#, &item));
        assert!(matches(r#"enw(address.city,"echt")"#, &item));
        assert!(matches("gte(score,2)", &item));
        assert!(!matches("gt(score,2)", &item));
        assert!(matches(r#"and(neq(name,"x"),or(lt(score,1),eq(address.city,"Utrecht")))"#, &item));
        assert!(matches(r#"not(eq(name,"x"))"#, &item));
        assert!(matches("eq(missing,null)", &item));
        assert!(matches(r#"has(name,"a\"b")"#, &json!({"name": "xa\"by"})));
    }

    #[test]
    fn mistakes_are_explained() {
        for (text, expected) in [
            ("eq(name)", "expected ','"),
            (r#"eq(name,"x)"#, "unterminated string"),
            (r#"eq(name,"x""#, "expected ')'"),
            (r#"foo(name,"x")"#, "unknown function foo"),
            (r#"reg(name,"^a")"#, "not supported"),
            (r#"eq(name,"x") trailing"#, "unexpected text"),
            ("eq(name,bare)", "expected a quoted string"),
        ] {
            let error = Filter::parse(text).unwrap_err();
            assert!(error.contains(expected), "{text}: {error}");
        }
        let deep = format!("{}eq(a,1){}", "not(".repeat(40), ")".repeat(40));
        assert!(Filter::parse(&deep).unwrap_err().contains("nested"));
    }
}
