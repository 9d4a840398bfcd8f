//! What a rule set does to a whole organisation, computed per group of users who
//! share one tag set rather than per pair of users: the admin's preview matrix, and
//! the Sync API's `preview` (`../shared/spec/sync-api.md`).
//!
//! Users with the same tags are indistinguishable to the rules, so a million users in
//! a few thousand tag sets cost a few thousand × a few thousand group decisions, each
//! a look at the target group's handful of tags in the actor group's reach.

use super::{RuleSet, Tag, TagSet};

/// Users who share one tag set: the tags, and how many users carry exactly them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Group {
    pub tags: Vec<Tag>,
    pub size: u64,
}

/// A rule set applied to groups: which group's users may start conversations with
/// which group's users.
pub struct GroupReach {
    /// Per group, its tags as this rule set numbers them (tags no rule names dropped).
    tags: Vec<Vec<u32>>,
    /// Per group, the tags its users may reach.
    reach: Vec<TagSet>,
}

impl GroupReach {
    pub fn new(rules: &RuleSet, groups: &[Group]) -> GroupReach {
        let mut tags = Vec::with_capacity(groups.len());
        let mut reach = Vec::with_capacity(groups.len());
        for g in groups {
            let mut known: Vec<u32> =
                g.tags.iter().filter_map(|t| rules.tags.get(t).copied()).collect();
            known.sort_unstable();
            reach.push(rules.reach(&rules.tag_set(&g.tags)));
            tags.push(known);
        }
        GroupReach { tags, reach }
    }

    /// Whether a user of group `actor` may start a conversation with a (different)
    /// user of group `target`.
    pub fn allows(&self, actor: usize, target: usize) -> bool {
        let reach = &self.reach[actor];
        self.tags[target].iter().any(|i| reach.contains(*i))
    }

    /// The ordered pairs of different users (a, b) where a may contact b, over
    /// `groups` (the groups this was made for).
    pub fn allowed_pairs(&self, groups: &[Group]) -> u64 {
        let mut pairs = 0u64;
        for a in 0..groups.len() {
            if self.reach[a].is_empty() {
                continue;
            }
            for b in 0..groups.len() {
                if self.allows(a, b) {
                    pairs = pairs.saturating_add(pairs_between(groups, a, b));
                }
            }
        }
        pairs
    }
}

/// How many ordered pairs of different users go from group `a` to group `b`.
pub fn pairs_between(groups: &[Group], a: usize, b: usize) -> u64 {
    let (x, y) = (groups[a].size, groups[b].size);
    if a == b {
        x.saturating_mul(x.saturating_sub(1))
    } else {
        x.saturating_mul(y)
    }
}

/// A candidate rule set against the saved one.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Comparison {
    pub allowed_pairs_before: u64,
    pub allowed_pairs_after: u64,
    pub gained_pairs: u64,
    pub lost_pairs: u64,
    /// Group pairs (actor, target) that gain contact, in order, as many as it takes
    /// to name `list` user pairs.
    pub gained: Vec<(usize, usize)>,
    /// Group pairs that lose contact, likewise.
    pub lost: Vec<(usize, usize)>,
}

/// Compares two rule sets over the same groups, as if restrictions were on.
pub fn compare(before: &RuleSet, after: &RuleSet, groups: &[Group], list: u64) -> Comparison {
    let old = GroupReach::new(before, groups);
    let new = GroupReach::new(after, groups);
    let mut out = Comparison::default();
    let (mut gained_listed, mut lost_listed) = (0u64, 0u64);
    for a in 0..groups.len() {
        let (old_any, new_any) = (!old.reach[a].is_empty(), !new.reach[a].is_empty());
        if !old_any && !new_any {
            continue;
        }
        for b in 0..groups.len() {
            let pairs = pairs_between(groups, a, b);
            if pairs == 0 {
                continue;
            }
            let was = old_any && old.allows(a, b);
            let is = new_any && new.allows(a, b);
            if was {
                out.allowed_pairs_before = out.allowed_pairs_before.saturating_add(pairs);
            }
            if is {
                out.allowed_pairs_after = out.allowed_pairs_after.saturating_add(pairs);
            }
            match (was, is) {
                (false, true) => {
                    out.gained_pairs = out.gained_pairs.saturating_add(pairs);
                    if gained_listed < list {
                        out.gained.push((a, b));
                        gained_listed = gained_listed.saturating_add(pairs);
                    }
                }
                (true, false) => {
                    out.lost_pairs = out.lost_pairs.saturating_add(pairs);
                    if lost_listed < list {
                        out.lost.push((a, b));
                        lost_listed = lost_listed.saturating_add(pairs);
                    }
                }
                _ => {}
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rules::{parse, Rule};

    fn rule(id: &str, condition: &str, outcome: &[&str]) -> Rule {
        Rule {
            id: id.into(),
            condition: parse(condition).unwrap(),
            outcome: outcome.iter().map(|t| Tag::parse(t).unwrap()).collect(),
        }
    }

    fn group(tags: &[&str], size: u64) -> Group {
        Group { tags: tags.iter().map(|t| Tag::parse(t).unwrap()).collect(), size }
    }

    /// The worked example's six users, one per group; the pairs are those of the
    /// specification's table (17 in all).
    #[test]
    fn the_worked_example_counts_its_pairs() {
        let rules = RuleSet::new(&[
            rule("R1", "hasTag(Stuttgart)", &["Berlin", "Munich", "Stuttgart"]),
            rule("R2", "any(hasTag(Berlin), hasTag(Munich))", &["Stuttgart"]),
            rule("R3", "hasTag(Munich)", &["Munich"]),
            rule("R4", "all(hasTag(Berlin), hasTag(Munich))", &["Berlin", "Munich"]),
        ]);
        let groups = [
            group(&[], 1),
            group(&["Stuttgart"], 1),
            group(&["Berlin"], 1),
            group(&["Munich"], 1),
            group(&["Berlin", "Munich"], 1),
            group(&["Berlin", "Munich", "Stuttgart"], 1),
        ];
        let reach = GroupReach::new(&rules, &groups);
        assert_eq!(reach.allowed_pairs(&groups), 4 + 2 + 3 + 4 + 4);
        assert!(reach.allows(2, 1) && !reach.allows(2, 4), "Berlin reaches Stuttgart, not Berlin");

        // Dropping R2: Berlin (3) loses 2 and 6; Munich (4) loses 2; 5 loses 2.
        let without_r2 = RuleSet::new(&[
            rule("R1", "hasTag(Stuttgart)", &["Berlin", "Munich", "Stuttgart"]),
            rule("R3", "hasTag(Munich)", &["Munich"]),
            rule("R4", "all(hasTag(Berlin), hasTag(Munich))", &["Berlin", "Munich"]),
        ]);
        let c = compare(&rules, &without_r2, &groups, 100);
        assert_eq!((c.allowed_pairs_before, c.allowed_pairs_after), (17, 13));
        assert_eq!((c.gained_pairs, c.lost_pairs), (0, 4));
        assert_eq!(c.lost, [(2, 1), (2, 5), (3, 1), (4, 1)]);
        assert!(c.gained.is_empty());
    }

    #[test]
    fn groups_count_pairs_of_different_users_only() {
        let rules = RuleSet::new(&[rule("R", "hasTag(A)", &["A"])]);
        let groups = [group(&["A"], 3), group(&["B"], 5)];
        let reach = GroupReach::new(&rules, &groups);
        assert_eq!(reach.allowed_pairs(&groups), 3 * 2, "A reaches the other two As");
        let everyone = RuleSet::new(&[rule("R", "any(hasTag(A), hasTag(B))", &["A", "B"])]);
        let c = compare(&rules, &everyone, &groups, 1);
        assert_eq!(c.allowed_pairs_after, 8 * 7);
        assert_eq!(c.gained_pairs, 8 * 7 - 6);
        assert_eq!(c.gained, [(0, 1)], "one group pair already names 15 user pairs");
    }
}
