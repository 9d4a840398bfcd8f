//! Contact rules (`../shared/spec/rules.md`): who may start a conversation with whom.
//!
//! - [`condition`]: tags, the condition language (parser, printer, plain meaning).
//! - [`RuleSet`]: rules compiled for fast answers. Tags are interned to numbers, tag
//!   sets are bit sets, and each condition is a small postfix program. For an actor,
//!   the union of the outcome tags of every rule that holds ([`RuleSet::reach`])
//!   depends only on the actor's tag set; the actor may contact a target exactly
//!   when the target's tags meet that union.
//!
//! - [`draft`]: a rule and a tag list as a client sends them, checked.
//! - [`preview`]: a rule set applied to groups of users who share a tag set: pairs
//!   allowed, gained and lost.
//!
//! The same code runs on the server and, compiled to WASM, in the admin's browser.

pub mod condition;
pub mod draft;
pub mod preview;

pub use condition::{parse, Condition, ParseError, Tag, TagError, MAX_CONDITIONS};
use std::collections::HashMap;

/// A rule as stored: its condition (as sent, and parsed), and the tags it lets the
/// matching actors reach.
#[derive(Debug, Clone, PartialEq)]
pub struct Rule {
    pub id: String,
    pub condition: Condition,
    pub outcome: Vec<Tag>,
}

/// A set of interned tags.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct TagSet {
    words: Vec<u64>,
}

impl TagSet {
    fn with_capacity(tags: usize) -> TagSet {
        TagSet { words: vec![0; tags.div_ceil(64)] }
    }

    fn insert(&mut self, i: u32) {
        let (w, b) = (i as usize / 64, i % 64);
        if w >= self.words.len() {
            self.words.resize(w + 1, 0);
        }
        self.words[w] |= 1 << b;
    }

    fn contains(&self, i: u32) -> bool {
        self.words.get(i as usize / 64).is_some_and(|w| w & (1 << (i % 64)) != 0)
    }

    fn union_with(&mut self, other: &TagSet) {
        if other.words.len() > self.words.len() {
            self.words.resize(other.words.len(), 0);
        }
        for (a, b) in self.words.iter_mut().zip(&other.words) {
            *a |= b;
        }
    }

    /// Whether the two sets share a tag.
    pub fn meets(&self, other: &TagSet) -> bool {
        self.words.iter().zip(&other.words).any(|(a, b)| a & b != 0)
    }

    pub fn is_empty(&self) -> bool {
        self.words.iter().all(|w| *w == 0)
    }
}

/// One step of a compiled condition (postfix).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Op {
    Has(u32),
    /// A tag no rule set knows: never held.
    False,
    Not,
    All(u16),
    Any(u16),
}

#[derive(Debug, Clone)]
struct Compiled {
    id: String,
    program: Vec<Op>,
    /// The outcome as a set (for reach) and as its few tag numbers (for a decision,
    /// which looks at 1–5 bits instead of a whole set's width).
    outcome: TagSet,
    outcome_ids: Vec<u32>,
}

/// Rules compiled for fast decisions.
#[derive(Debug, Clone, Default)]
pub struct RuleSet {
    tags: HashMap<Tag, u32>,
    /// The interned tags by number.
    names: Vec<Tag>,
    rules: Vec<Compiled>,
}

impl RuleSet {
    pub fn new(rules: &[Rule]) -> RuleSet {
        let mut set = RuleSet::default();
        for rule in rules {
            for t in rule.condition.tags().into_iter().chain(&rule.outcome) {
                if !set.tags.contains_key(t) {
                    set.tags.insert(t.clone(), set.names.len() as u32);
                    set.names.push(t.clone());
                }
            }
        }
        for rule in rules {
            let mut program = Vec::new();
            compile(&rule.condition, &set.tags, &mut program);
            let mut outcome = TagSet::with_capacity(set.tags.len());
            let mut outcome_ids = Vec::with_capacity(rule.outcome.len());
            for t in &rule.outcome {
                outcome.insert(set.tags[t]);
                outcome_ids.push(set.tags[t]);
            }
            set.rules.push(Compiled { id: rule.id.clone(), program, outcome, outcome_ids });
        }
        set
    }

    /// A user's tags as this rule set sees them (tags no rule names are left out:
    /// they can neither make a condition hold nor be reached).
    pub fn tag_set<'a>(&self, tags: impl IntoIterator<Item = &'a Tag>) -> TagSet {
        let mut set = TagSet::with_capacity(self.tags.len());
        for t in tags {
            if let Some(i) = self.tags.get(t) {
                set.insert(*i);
            }
        }
        set
    }

    fn holds(&self, rule: &Compiled, actor: &TagSet) -> bool {
        // A rule has at most MAX_CONDITIONS conditions, so the stack never holds more:
        // it lives on the machine stack, no allocation per rule.
        let mut stack = [false; MAX_CONDITIONS + 1];
        let mut len = 0usize;
        for op in &rule.program {
            let value = match *op {
                Op::Has(i) => actor.contains(i),
                Op::False => false,
                Op::Not if len > 0 => {
                    stack[len - 1] = !stack[len - 1];
                    continue;
                }
                Op::All(n) | Op::Any(n) if n as usize <= len && n > 0 => {
                    let at = len - n as usize;
                    let args = &stack[at..len];
                    let value = if matches!(op, Op::All(_)) {
                        args.iter().all(|v| *v)
                    } else {
                        args.iter().any(|v| *v)
                    };
                    len = at;
                    value
                }
                // Cannot happen for a parsed condition.
                _ => return false,
            };
            let Some(slot) = stack.get_mut(len) else { return false };
            *slot = value;
            len += 1;
        }
        len > 0 && stack[len - 1]
    }

    /// The ids of the rules whose condition holds for an actor with these tags.
    pub fn holding(&self, actor: &TagSet) -> Vec<&str> {
        self.rules.iter().filter(|r| self.holds(r, actor)).map(|r| r.id.as_str()).collect()
    }

    /// Every tag an actor with these tags may reach (the union of the outcomes of the
    /// rules that hold).
    pub fn reach(&self, actor: &TagSet) -> TagSet {
        let mut reach = TagSet::with_capacity(self.tags.len());
        for r in &self.rules {
            if self.holds(r, actor) {
                reach.union_with(&r.outcome);
            }
        }
        reach
    }

    /// The tags in a set, by name, sorted.
    pub fn names<'s>(&'s self, set: &TagSet) -> Vec<&'s Tag> {
        let mut names: Vec<&Tag> = (0..self.names.len() as u32)
            .filter(|i| set.contains(*i))
            .map(|i| &self.names[i as usize])
            .collect();
        names.sort();
        names
    }

    /// Whether the rules let the actor start a conversation with the target. (That
    /// the two are different people, and that restrictions are on, is the caller's.)
    pub fn allows(&self, actor: &TagSet, target: &TagSet) -> bool {
        self.rules
            .iter()
            .any(|r| r.outcome_ids.iter().any(|i| target.contains(*i)) && self.holds(r, actor))
    }

    /// The ids of the rules that let the actor reach the target.
    pub fn allowing(&self, actor: &TagSet, target: &TagSet) -> Vec<&str> {
        self.rules
            .iter()
            .filter(|r| r.outcome.meets(target) && self.holds(r, actor))
            .map(|r| r.id.as_str())
            .collect()
    }
}

fn compile(c: &Condition, tags: &HashMap<Tag, u32>, out: &mut Vec<Op>) {
    match c {
        Condition::HasTag(t) => out.push(tags.get(t).map_or(Op::False, |i| Op::Has(*i))),
        Condition::Not(inner) => {
            compile(inner, tags, out);
            out.push(Op::Not);
        }
        Condition::All(cs) | Condition::Any(cs) => {
            for c in cs {
                compile(c, tags, out);
            }
            let n = cs.len().min(u16::MAX as usize) as u16;
            out.push(if matches!(c, Condition::All(_)) { Op::All(n) } else { Op::Any(n) });
        }
    }
}

#[cfg(test)]
mod tests;
