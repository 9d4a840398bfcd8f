//! The condition language of contact rules: tags, the syntax tree, the parser (hand
//! written, recursive descent, never panics), the canonical printer and a plain
//! evaluator.
//!
//! ```text
//! condition := "hasTag" "(" tag ")"
//!            | "not"    "(" condition ")"
//!            | "all"    "(" condition { "," condition } ")"
//!            | "any"    "(" condition { "," condition } ")"
//! ```

use serde::{Deserialize, Serialize};
use std::fmt;

/// The most conditions (`hasTag`, `not`, `all`, `any` each count) in one rule.
pub const MAX_CONDITIONS: usize = 30;
/// The longest tag.
pub const MAX_TAG_LEN: usize = 50;

/// A tag: 1–50 ASCII letters, digits, `-` or `_`. Compared exactly (case matters).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Tag(String);

/// Why a tag is not valid; names the tag and the first offending character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TagError {
    #[error("a tag must not be empty")]
    Empty,
    #[error("tag {tag:?} is longer than {MAX_TAG_LEN} characters")]
    TooLong { tag: String },
    #[error("tag {tag:?} contains {found:?} (only A-Z, a-z, 0-9, - and _ are allowed)")]
    BadCharacter { tag: String, found: char },
}

pub(crate) fn is_tag_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '-' || c == '_'
}

impl Tag {
    pub fn parse(input: &str) -> Result<Tag, TagError> {
        if input.is_empty() {
            return Err(TagError::Empty);
        }
        if let Some(found) = input.chars().find(|c| !is_tag_char(*c)) {
            return Err(TagError::BadCharacter { tag: input.to_owned(), found });
        }
        if input.len() > MAX_TAG_LEN {
            return Err(TagError::TooLong { tag: input.to_owned() });
        }
        Ok(Tag(input.to_owned()))
    }
}

string_newtype!(Tag);

impl TryFrom<String> for Tag {
    type Error = TagError;
    fn try_from(s: String) -> Result<Self, TagError> {
        Tag::parse(&s)
    }
}

impl From<Tag> for String {
    fn from(t: Tag) -> String {
        t.0
    }
}

/// A parsed condition.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Condition {
    HasTag(Tag),
    Not(Box<Condition>),
    All(Vec<Condition>),
    Any(Vec<Condition>),
}

impl Condition {
    /// The plain meaning, for the tag set of the user being tested.
    pub fn holds(&self, has: &impl Fn(&Tag) -> bool) -> bool {
        match self {
            Condition::HasTag(t) => has(t),
            Condition::Not(c) => !c.holds(has),
            Condition::All(cs) => cs.iter().all(|c| c.holds(has)),
            Condition::Any(cs) => cs.iter().any(|c| c.holds(has)),
        }
    }

    /// Every tag the condition names, in order of appearance.
    pub fn tags(&self) -> Vec<&Tag> {
        let mut out = Vec::new();
        self.collect_tags(&mut out);
        out
    }

    fn collect_tags<'a>(&'a self, out: &mut Vec<&'a Tag>) {
        match self {
            Condition::HasTag(t) => out.push(t),
            Condition::Not(c) => c.collect_tags(out),
            Condition::All(cs) | Condition::Any(cs) => cs.iter().for_each(|c| c.collect_tags(out)),
        }
    }
}

/// The canonical text: no spaces except one after each comma.
impl fmt::Display for Condition {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let list = |f: &mut fmt::Formatter<'_>, name: &str, cs: &[Condition]| {
            write!(f, "{name}(")?;
            for (i, c) in cs.iter().enumerate() {
                if i > 0 {
                    f.write_str(", ")?;
                }
                write!(f, "{c}")?;
            }
            f.write_str(")")
        };
        match self {
            Condition::HasTag(t) => write!(f, "hasTag({t})"),
            Condition::Not(c) => write!(f, "not({c})"),
            Condition::All(cs) => list(f, "all", cs),
            Condition::Any(cs) => list(f, "any", cs),
        }
    }
}

/// Why a condition could not be read: what was expected, what was found, and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParseError {
    pub expected: String,
    pub found: String,
    /// Byte offset of what was found.
    pub offset: usize,
    /// 1-based line and column (in characters) of what was found.
    pub line: usize,
    pub column: usize,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "expected {} but found {} at column {}", self.expected, self.found, self.column)?;
        if self.line > 1 {
            write!(f, " of line {}", self.line)?;
        }
        Ok(())
    }
}

impl std::error::Error for ParseError {}

/// Parses a condition; see the module documentation for the grammar.
pub fn parse(input: &str) -> Result<Condition, ParseError> {
    let mut p = Parser { input, pos: 0, count: 0 };
    let c = p.condition()?;
    p.skip_space();
    if p.pos < input.len() {
        return Err(p.error("the end of the condition"));
    }
    Ok(c)
}

struct Parser<'a> {
    input: &'a str,
    pos: usize,
    count: usize,
}

impl Parser<'_> {
    fn rest(&self) -> &str {
        &self.input[self.pos..]
    }

    fn skip_space(&mut self) {
        let rest = self.rest();
        let trimmed = rest.trim_start_matches([' ', '\t', '\r', '\n']);
        self.pos += rest.len() - trimmed.len();
    }

    /// What stands at the current position, for an error message.
    fn found(&self) -> String {
        let rest = self.rest();
        match rest.chars().next() {
            None => "the end".to_owned(),
            Some(c) if is_tag_char(c) => {
                let word: String = rest.chars().take_while(|c| is_tag_char(*c)).collect();
                format!("{word:?}")
            }
            Some(c) => format!("{c:?}"),
        }
    }

    fn error(&self, expected: &str) -> ParseError {
        self.error_at(expected, self.found(), self.pos)
    }

    fn error_at(&self, expected: &str, found: String, offset: usize) -> ParseError {
        let before = &self.input[..offset];
        let line = before.matches('\n').count() + 1;
        let line_start = before.rfind('\n').map_or(0, |i| i + 1);
        let column = before[line_start..].chars().count() + 1;
        ParseError { expected: expected.to_owned(), found, offset, line, column }
    }

    fn expect(&mut self, token: char) -> Result<(), ParseError> {
        self.skip_space();
        if self.rest().starts_with(token) {
            self.pos += token.len_utf8();
            Ok(())
        } else {
            Err(self.error(&format!("{:?}", token.to_string())))
        }
    }

    /// A run of tag characters (a name or a tag), with where it starts.
    fn word(&mut self) -> (usize, &str) {
        self.skip_space();
        let start = self.pos;
        let len = self.rest().find(|c: char| !is_tag_char(c)).unwrap_or(self.rest().len());
        self.pos += len;
        (start, &self.input[start..start + len])
    }

    fn condition(&mut self) -> Result<Condition, ParseError> {
        let (start, name) = self.word();
        let name = name.to_owned();
        let kind = match name.as_str() {
            "hasTag" | "not" | "all" | "any" => name,
            _ => {
                self.pos = start;
                return Err(self.error("hasTag, not, all or any"));
            }
        };
        self.count += 1;
        if self.count > MAX_CONDITIONS {
            self.pos = start;
            return Err(self.error(&format!("at most {MAX_CONDITIONS} conditions")));
        }
        self.expect('(')?;
        let c = match kind.as_str() {
            "hasTag" => {
                // The tag runs to the next ")", ",", "(" or space; then it is checked.
                self.skip_space();
                let at = self.pos;
                let len = self
                    .rest()
                    .find([')', ',', '(', ' ', '\t', '\r', '\n'])
                    .unwrap_or(self.rest().len());
                if len == 0 {
                    return Err(self.error("a tag"));
                }
                let raw = &self.input[at..at + len];
                let tag = Tag::parse(raw).map_err(|e| {
                    let expected = match e {
                        TagError::TooLong { .. } => "a tag of at most 50 characters",
                        _ => "a tag (only A-Z, a-z, 0-9, - and _)",
                    };
                    self.error_at(expected, format!("{raw:?}"), at)
                })?;
                self.pos += len;
                Condition::HasTag(tag)
            }
            "not" => Condition::Not(Box::new(self.condition()?)),
            list => {
                let mut items = vec![self.condition()?];
                loop {
                    self.skip_space();
                    if self.rest().starts_with(',') {
                        self.pos += 1;
                        items.push(self.condition()?);
                    } else {
                        break;
                    }
                }
                if list == "all" {
                    Condition::All(items)
                } else {
                    Condition::Any(items)
                }
            }
        };
        self.expect(')')?;
        Ok(c)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tag(s: &str) -> Tag {
        Tag::parse(s).unwrap()
    }

    #[test]
    fn tags_allow_ascii_letters_digits_dash_and_underscore() {
        assert_eq!(tag("Berlin-2_x").as_str(), "Berlin-2_x");
        assert_eq!(Tag::parse(""), Err(TagError::Empty));
        assert_eq!(
            Tag::parse("München"),
            Err(TagError::BadCharacter { tag: "München".into(), found: 'ü' })
        );
        assert!(matches!(Tag::parse("a b"), Err(TagError::BadCharacter { found: ' ', .. })));
        assert!(matches!(Tag::parse("a.b"), Err(TagError::BadCharacter { found: '.', .. })));
        assert!(Tag::parse(&"x".repeat(50)).is_ok());
        assert!(matches!(Tag::parse(&"x".repeat(51)), Err(TagError::TooLong { .. })));
        assert_ne!(tag("Munich"), tag("munich"), "case matters");
    }

    #[test]
    fn conditions_parse_and_print_canonically() {
        let c = parse("  all( hasTag(x_1) ,\n\tnot( hasTag(Y-2) ) )  ").unwrap();
        assert_eq!(
            c,
            Condition::All(vec![
                Condition::HasTag(tag("x_1")),
                Condition::Not(Box::new(Condition::HasTag(tag("Y-2")))),
            ])
        );
        assert_eq!(c.to_string(), "all(hasTag(x_1), not(hasTag(Y-2)))");
        assert_eq!(parse(&c.to_string()).unwrap(), c);
    }

    fn error(input: &str) -> ParseError {
        parse(input).expect_err(input)
    }

    #[test]
    fn errors_say_what_was_expected_what_was_found_and_where() {
        let e = error("any(hasTag(A) , hasTag(B)");
        assert_eq!((e.expected.as_str(), e.found.as_str()), ("\")\"", "the end"));
        assert_eq!((e.offset, e.column), (25, 26));
        let e = error("not(hasTag(A), hasTag(B))");
        assert_eq!(e.to_string(), "expected \")\" but found ',' at column 14");
        let e = error("hastag(A)");
        assert_eq!(
            e.to_string(),
            "expected hasTag, not, all or any but found \"hastag\" at column 1"
        );
        let e = error("hasTag(A) hasTag(B)");
        assert_eq!((e.expected.as_str(), e.column), ("the end of the condition", 11));
        let e = error("all(\n  hasTag(München))");
        assert_eq!((e.line, e.column, e.offset), (2, 10, 14));
        assert!(e.found.contains("München"), "{e}");
        let e = error("");
        assert_eq!((e.found.as_str(), e.column), ("the end", 1));
        let e = error("all()");
        assert_eq!((e.found.as_str(), e.column), ("')'", 5));
        let e = error("hasTag()");
        assert_eq!(e.expected, "a tag");
    }

    #[test]
    fn at_most_thirty_conditions() {
        let tags =
            |n: usize| (0..n).map(|i| format!("hasTag(t{i})")).collect::<Vec<_>>().join(", ");
        assert!(parse(&format!("any({})", tags(29))).is_ok(), "30 with the any");
        let e = error(&format!("any({})", tags(30)));
        assert!(e.expected.contains("at most 30"), "{e}");
        // Deep nesting stops at the limit too (and never overflows the stack).
        let deep = format!("{}hasTag(a){}", "not(".repeat(100_000), ")".repeat(100_000));
        assert!(error(&deep).expected.contains("at most 30"));
    }

    #[test]
    fn the_plain_meaning() {
        let c = parse("any(hasTag(Berlin), all(hasTag(Munich), not(hasTag(Stuttgart))))").unwrap();
        let has = |set: &'static [&'static str]| move |t: &Tag| set.contains(&t.as_str());
        assert!(c.holds(&has(&["Berlin"])));
        assert!(c.holds(&has(&["Munich"])));
        assert!(!c.holds(&has(&["Munich", "Stuttgart"])));
        assert!(!c.holds(&has(&[])));
        assert_eq!(c.tags().len(), 3);
    }
}
