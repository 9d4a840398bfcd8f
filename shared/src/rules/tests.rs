use super::*;
use proptest::prelude::*;

/// The worked example of the specification, kept beside the tests as data.
const EXAMPLE: &str = include_str!("../../tests/data/rules-example.json");

fn example() -> serde_json::Value {
    serde_json::from_str(EXAMPLE).expect("the example is JSON")
}

fn strings(v: &serde_json::Value) -> Vec<String> {
    v.as_array().unwrap().iter().map(|s| s.as_str().unwrap().to_owned()).collect()
}

fn example_rules() -> Vec<Rule> {
    example()["rules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| Rule {
            id: r["id"].as_str().unwrap().to_owned(),
            condition: parse(r["condition"].as_str().unwrap()).unwrap(),
            outcome: strings(&r["outcome"]).iter().map(|t| Tag::parse(t).unwrap()).collect(),
        })
        .collect()
}

/// A user of the example: number, tags, the rules that hold, whom they may contact.
type ExampleUser = (u64, Vec<Tag>, Vec<String>, Vec<u64>);

#[test]
fn the_worked_example_holds_exactly() {
    let rules = RuleSet::new(&example_rules());
    let users: Vec<ExampleUser> = example()["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| {
            (
                u["user"].as_u64().unwrap(),
                strings(&u["tags"]).iter().map(|t| Tag::parse(t).unwrap()).collect(),
                strings(&u["rules_holding"]),
                u["may_contact"].as_array().unwrap().iter().map(|n| n.as_u64().unwrap()).collect(),
            )
        })
        .collect();
    assert_eq!(users.len(), 6);
    for (user, tags, holding, may_contact) in &users {
        let actor = rules.tag_set(tags);
        assert_eq!(&rules.holding(&actor), holding, "rules holding for user {user}");
        let reached: Vec<u64> = users
            .iter()
            .filter(|(other, other_tags, ..)| {
                other != user && rules.allows(&actor, &rules.tag_set(other_tags))
            })
            .map(|(other, ..)| *other)
            .collect();
        assert_eq!(&reached, may_contact, "whom user {user} may contact");
        // The fast path agrees: the target's tags meet the actor's reach.
        for (other, other_tags, ..) in &users {
            let target = rules.tag_set(other_tags);
            assert_eq!(rules.reach(&actor).meets(&target), rules.allows(&actor, &target));
            assert_eq!(
                rules.allowing(&actor, &target).is_empty(),
                !rules.allows(&actor, &target),
                "{user} → {other}"
            );
        }
    }
    // User 3 (Berlin) may not reach user 5 (Berlin, Munich): no rule lets Berlin reach Berlin.
    let t =
        |s: &[&str]| rules.tag_set(&s.iter().map(|x| Tag::parse(x).unwrap()).collect::<Vec<_>>());
    assert!(!rules.allows(&t(&["Berlin"]), &t(&["Berlin", "Munich"])));
    assert_eq!(rules.allowing(&t(&["Munich"]), &t(&["Berlin", "Munich"])), ["R3"]);
    // Munich reaches Stuttgart (R2) and Munich (R3), named back from the set.
    let names: Vec<&str> =
        rules.names(&rules.reach(&t(&["Munich"]))).iter().map(|t| t.as_str()).collect();
    assert_eq!(names, ["Munich", "Stuttgart"]);
}

#[test]
fn every_parse_case_of_the_example() {
    let cases = &example()["parse_cases"];
    for valid in strings(&cases["valid"]) {
        let c = parse(&valid).unwrap_or_else(|e| panic!("{valid:?}: {e}"));
        assert_eq!(parse(&c.to_string()).unwrap(), c, "round trip of {valid:?}");
    }
    for invalid in strings(&cases["invalid"]) {
        let e = parse(&invalid).expect_err(&invalid);
        assert!(e.offset <= invalid.len(), "{invalid:?}: {e}");
        assert!(!e.expected.is_empty() && !e.found.is_empty(), "{invalid:?}: {e}");
    }
}

/// Random conditions over a few tags.
fn condition() -> impl Strategy<Value = Condition> {
    let leaf = (0..6u8).prop_map(|i| Condition::HasTag(Tag::parse(&format!("t{i}")).unwrap()));
    leaf.prop_recursive(4, 29, 4, |inner| {
        prop_oneof![
            inner.clone().prop_map(|c| Condition::Not(Box::new(c))),
            prop::collection::vec(inner.clone(), 1..4).prop_map(Condition::All),
            prop::collection::vec(inner, 1..4).prop_map(Condition::Any),
        ]
    })
}

fn count(c: &Condition) -> usize {
    match c {
        Condition::HasTag(_) => 1,
        Condition::Not(i) => 1 + count(i),
        Condition::All(cs) | Condition::Any(cs) => 1 + cs.iter().map(count).sum::<usize>(),
    }
}

proptest! {
    #[test]
    fn the_compiled_rules_agree_with_the_plain_meaning(
        conditions in prop::collection::vec(condition(), 1..6),
        outcomes in prop::collection::vec(prop::collection::btree_set(0..8u8, 1..4), 6),
        actor in prop::collection::btree_set(0..8u8, 0..6),
        target in prop::collection::btree_set(0..8u8, 0..6),
    ) {
        let tag = |i: &u8| Tag::parse(&format!("t{i}")).unwrap();
        let rules: Vec<Rule> = conditions
            .iter()
            .zip(&outcomes)
            .enumerate()
            .map(|(i, (c, o))| Rule { id: format!("r{i}"), condition: c.clone(), outcome: o.iter().map(tag).collect() })
            .collect();
        let set = RuleSet::new(&rules);
        let actor_tags: Vec<Tag> = actor.iter().map(tag).collect();
        let target_tags: Vec<Tag> = target.iter().map(tag).collect();
        let plain: Vec<&str> = rules
            .iter()
            .filter(|r| r.condition.holds(&|t: &Tag| actor_tags.contains(t))
                && r.outcome.iter().any(|o| target_tags.contains(o)))
            .map(|r| r.id.as_str())
            .collect();
        let (a, t) = (set.tag_set(&actor_tags), set.tag_set(&target_tags));
        prop_assert_eq!(set.allowing(&a, &t), plain.clone());
        prop_assert_eq!(set.allows(&a, &t), !plain.is_empty());
        prop_assert_eq!(set.reach(&a).meets(&t), !plain.is_empty());
    }

    #[test]
    fn printing_and_parsing_give_the_same_condition(c in condition()) {
        if count(&c) <= MAX_CONDITIONS {
            prop_assert_eq!(parse(&c.to_string()).unwrap(), c);
        }
    }

    #[test]
    fn parsing_never_panics(input in ".{0,200}") {
        let _ = parse(&input);
    }

    #[test]
    fn parsing_near_misses_never_panics(input in "[a-zA-Z(), \\t\\nü]{0,80}") {
        if let Err(e) = parse(&input) {
            prop_assert!(e.offset <= input.len());
            prop_assert!(input.is_char_boundary(e.offset));
        }
    }
}
