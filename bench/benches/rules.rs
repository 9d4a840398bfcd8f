//! Contact rules (`shared::rules`), each figure beside a baseline measured in the same
//! run (`bench/run rules` turns them into the "Rules" section of BENCHMARKS.md):
//!
//! - `decision/*`: may actor A start a conversation with target B, with 1,000 rules
//!   over a universe of 10,000 tags. `ours` is the compiled [`RuleSet::allows`] on
//!   tag sets made once per user (as the server does); `cedar` is the same rules as
//!   `cedar-policy` policies, one `permit` per rule; `plain` walks the syntax tree
//!   ([`Condition::holds`]) over a `HashSet` of the actor's tags and looks the
//!   outcome up in a `HashSet` of the target's. One iteration is one decision; the
//!   iterations cycle through 16 (actor, target) pairs, 8 allowed and 8 refused.
//! - `compile/*`: `ours` compiles the 1,000 rules ([`RuleSet::new`]); `parse` parses
//!   the same 1,000 condition strings ([`parse`]), the step before it, as a yardstick.
//! - `preview/*`: `compare` is [`preview::compare`] of a rule set against itself with
//!   10 rules replaced, over groups of users who share a tag set (1,000,000 users);
//!   `reach` is the part it cannot avoid: [`RuleSet::reach`] of every group under both
//!   rule sets.
//!
//! The data is generated here from fixed seeds (the same on every run): tags are
//! drawn with a Zipf-like skew (a few tags are on many users and in many rules, most
//! are rare). Before timing, the three evaluators are checked to agree on 2,000
//! random pairs, so no evaluator is fast by being wrong. Lines starting `shape ` on
//! standard output describe the data for the write-up.

use cedar_policy::{
    Authorizer, Context, Decision, Entities, Entity, EntityId, EntityTypeName, EntityUid,
    PolicySet, Request, RestrictedExpression,
};
use criterion::{Criterion, SamplingMode};
use marktchat_shared::rules::preview::{self, Group};
use marktchat_shared::rules::{parse, Condition, Rule, RuleSet, Tag, TagSet};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::str::FromStr;
use std::time::Duration;

/// How many tags exist in the organisation.
const TAGS: usize = 10_000;
const RULES: usize = 1_000;
/// Users generated to pick decision pairs from.
const USERS: usize = 2_000;
/// Allowed and refused pairs each, for the decision benchmarks.
const PAIRS_EACH: usize = 8;
const PREVIEW_USERS: u64 = 1_000_000;
/// Distinct tag sets among the preview's users.
const PREVIEW_GROUPS: usize = 3_000;
/// Rules replaced in the preview's candidate rule set.
const CHANGED_RULES: usize = 10;

/// Draws ranks 0..n with probability proportional to 1 / (rank + 1)^s.
struct Zipf {
    cumulative: Vec<f64>,
}

impl Zipf {
    fn new(n: usize, s: f64) -> Zipf {
        let mut total = 0.0;
        let cumulative = (1..=n)
            .map(|k| {
                total += 1.0 / (k as f64).powf(s);
                total
            })
            .collect();
        Zipf { cumulative }
    }

    fn sample(&self, rng: &mut StdRng) -> usize {
        let x = rng.gen::<f64>() * self.cumulative.last().copied().unwrap_or(0.0);
        self.cumulative.partition_point(|c| *c < x).min(self.cumulative.len() - 1)
    }
}

/// The organisation's tags and how often each is used.
struct Data {
    tags: Vec<Tag>,
    popularity: Zipf,
    /// How many tags an outcome has, 1 to 5, few more often than many.
    outcome_size: Zipf,
}

impl Data {
    fn new() -> Data {
        // Names like an organisation's: places, departments, roles, projects.
        let kinds = ["site", "dept", "role", "team", "project"];
        let tags = (0..TAGS)
            .map(|i| Tag::parse(&format!("{}-{i}", kinds[i % kinds.len()])).expect("a valid tag"))
            .collect();
        Data { tags, popularity: Zipf::new(TAGS, 1.0), outcome_size: Zipf::new(5, 1.0) }
    }

    fn tag(&self, rng: &mut StdRng) -> Tag {
        self.tags[self.popularity.sample(rng)].clone()
    }

    /// Different tags, as many as `count` draws plus one.
    fn tags(&self, rng: &mut StdRng, count: &Zipf) -> Vec<Tag> {
        let n = count.sample(rng) + 1;
        let mut out: Vec<Tag> = Vec::with_capacity(n);
        while out.len() < n {
            let t = self.tag(rng);
            if !out.contains(&t) {
                out.push(t);
            }
        }
        out.sort();
        out
    }

    /// A condition of exactly `size` nodes: mostly `hasTag`, `any` and `all`, some `not`.
    fn condition(&self, rng: &mut StdRng, size: usize) -> Condition {
        match size {
            0 | 1 => Condition::HasTag(self.tag(rng)),
            2 => Condition::Not(Box::new(Condition::HasTag(self.tag(rng)))),
            _ if rng.gen_bool(0.1) => Condition::Not(Box::new(self.condition(rng, size - 1))),
            _ => {
                // Split the remaining nodes among 2 to 4 arguments.
                let rest = size - 1;
                let k = rng.gen_range(2..=rest.min(4));
                let mut sizes = vec![1; k];
                for _ in k..rest {
                    sizes[rng.gen_range(0..k)] += 1;
                }
                let args = sizes.into_iter().map(|s| self.condition(rng, s)).collect();
                if rng.gen_bool(0.5) {
                    Condition::Any(args)
                } else {
                    Condition::All(args)
                }
            }
        }
    }

    fn rule(&self, rng: &mut StdRng, id: usize) -> Rule {
        // A third are a single hasTag; the rest 3 to 8 nodes.
        let size = if rng.gen_bool(0.33) { 1 } else { rng.gen_range(3..=8) };
        let outcome = self.tags(rng, &self.outcome_size);
        Rule { id: format!("rule-{id}"), condition: self.condition(rng, size), outcome }
    }
}

/// A rule as a Cedar policy: the target (resource) carries an outcome tag, and the
/// actor's (principal's) tags satisfy the condition.
fn cedar_policy(rule: &Rule) -> String {
    fn condition(c: &Condition) -> String {
        let list = |cs: &[Condition], op: &str| {
            let parts: Vec<String> = cs.iter().map(condition).collect();
            format!("({})", parts.join(op))
        };
        match c {
            Condition::HasTag(t) => format!("principal.tags.contains(\"{t}\")"),
            Condition::Not(c) => format!("!({})", condition(c)),
            Condition::All(cs) => list(cs, " && "),
            Condition::Any(cs) => list(cs, " || "),
        }
    }
    let outcome: Vec<String> = rule.outcome.iter().map(|t| format!("\"{t}\"")).collect();
    format!(
        "permit(principal, action, resource) when {{ resource.tags.containsAny([{}]) && {} }};\n",
        outcome.join(", "),
        condition(&rule.condition)
    )
}

fn cedar_uid(kind: &str, id: &str) -> EntityUid {
    EntityUid::from_type_name_and_id(
        EntityTypeName::from_str(kind).expect("a Cedar type name"),
        EntityId::new(id),
    )
}

/// The plain reading of the rules: the syntax tree over hash sets.
fn plain_allows(rules: &[Rule], actor: &HashSet<Tag>, target: &HashSet<Tag>) -> bool {
    rules.iter().any(|r| {
        r.outcome.iter().any(|t| target.contains(t)) && r.condition.holds(&|t| actor.contains(t))
    })
}

struct Decisions {
    rules: RuleSet,
    plain_rules: Vec<Rule>,
    /// (actor, target) per pair, in each evaluator's form.
    ours: Vec<(TagSet, TagSet)>,
    plain: Vec<(HashSet<Tag>, HashSet<Tag>)>,
    cedar: Vec<Request>,
    policies: PolicySet,
    entities: Entities,
}

fn decisions(data: &Data) -> Decisions {
    let mut rng = StdRng::seed_from_u64(11);
    let rules: Vec<Rule> = (0..RULES).map(|i| data.rule(&mut rng, i)).collect();
    let user_tags = Zipf::new(8, 1.2);
    let users: Vec<Vec<Tag>> = (0..USERS).map(|_| data.tags(&mut rng, &user_tags)).collect();
    let compiled = RuleSet::new(&rules);
    let sets: Vec<TagSet> = users.iter().map(|u| compiled.tag_set(u)).collect();
    let hashed: Vec<HashSet<Tag>> = users.iter().map(|u| u.iter().cloned().collect()).collect();

    let policies: String = rules.iter().map(cedar_policy).collect();
    let policies = PolicySet::from_str(&policies).expect("the rules as Cedar policies");
    let entities = Entities::from_entities(
        users.iter().enumerate().map(|(i, tags)| {
            let tags = RestrictedExpression::new_set(
                tags.iter().map(|t| RestrictedExpression::new_string(t.to_string())),
            );
            Entity::new(
                cedar_uid("User", &i.to_string()),
                HashMap::from([("tags".to_owned(), tags)]),
                HashSet::new(),
            )
            .expect("a Cedar entity")
        }),
        None,
    )
    .expect("Cedar entities");
    let request = |a: usize, b: usize| {
        Request::new(
            cedar_uid("User", &a.to_string()),
            cedar_uid("Action", "contact"),
            cedar_uid("User", &b.to_string()),
            Context::empty(),
            None,
        )
        .expect("a Cedar request")
    };
    let authorizer = Authorizer::new();
    let cedar_allows = |a: usize, b: usize| {
        let response = authorizer.is_authorized(&request(a, b), &policies, &entities);
        assert!(response.diagnostics().errors().next().is_none(), "Cedar failed to evaluate");
        response.decision() == Decision::Allow
    };

    // The three agree (on random pairs), and the timed pairs: the first allowed and
    // the first refused pairs met.
    let (mut allowed, mut refused, mut checked, mut allowed_checked) = (vec![], vec![], 0, 0);
    while checked < 2_000 || allowed.len() < PAIRS_EACH || refused.len() < PAIRS_EACH {
        assert!(checked < 200_000, "no {PAIRS_EACH} allowed pairs in {checked}: change the data");
        let (a, b) = (rng.gen_range(0..USERS), rng.gen_range(0..USERS));
        if a == b {
            continue;
        }
        let ours = compiled.allows(&sets[a], &sets[b]);
        if checked < 2_000 {
            assert_eq!(ours, plain_allows(&rules, &hashed[a], &hashed[b]), "plain, {a} → {b}");
            assert_eq!(ours, cedar_allows(a, b), "Cedar, {a} → {b}");
            allowed_checked += usize::from(ours);
        }
        checked += 1;
        let list = if ours { &mut allowed } else { &mut refused };
        if list.len() < PAIRS_EACH {
            list.push((a, b));
        }
    }
    let pairs: Vec<(usize, usize)> =
        allowed.iter().zip(&refused).flat_map(|(x, y)| [*x, *y]).collect();

    let interned: HashSet<&Tag> =
        rules.iter().flat_map(|r| r.condition.tags().into_iter().chain(&r.outcome)).collect();
    let nodes: usize = rules.iter().map(|r| nodes(&r.condition)).sum();
    println!("shape rules={RULES}");
    println!("shape tags={TAGS}");
    println!("shape tags_in_rules={}", interned.len());
    println!("shape nodes_per_rule={:.1}", nodes as f64 / RULES as f64);
    println!(
        "shape outcome_per_rule={:.1}",
        rules.iter().map(|r| r.outcome.len()).sum::<usize>() as f64 / RULES as f64
    );
    println!(
        "shape tags_per_user={:.1}",
        users.iter().map(Vec::len).sum::<usize>() as f64 / USERS as f64
    );
    println!("shape decision_pairs={}", pairs.len());
    println!("shape allowed_share={:.0}", 100.0 * allowed_checked as f64 / 2_000.0);

    Decisions {
        ours: pairs.iter().map(|(a, b)| (sets[*a].clone(), sets[*b].clone())).collect(),
        plain: pairs.iter().map(|(a, b)| (hashed[*a].clone(), hashed[*b].clone())).collect(),
        cedar: pairs.iter().map(|(a, b)| request(*a, *b)).collect(),
        rules: compiled,
        plain_rules: rules,
        policies,
        entities,
    }
}

fn nodes(c: &Condition) -> usize {
    match c {
        Condition::HasTag(_) => 1,
        Condition::Not(c) => 1 + nodes(c),
        Condition::All(cs) | Condition::Any(cs) => 1 + cs.iter().map(nodes).sum::<usize>(),
    }
}

fn bench_decisions(c: &mut Criterion, data: &Data) {
    let d = decisions(data);
    let mut group = c.benchmark_group("decision");
    group.bench_function("ours", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % d.ours.len();
            let (actor, target) = &d.ours[i];
            d.rules.allows(black_box(actor), black_box(target))
        })
    });
    group.bench_function("plain", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % d.plain.len();
            let (actor, target) = &d.plain[i];
            plain_allows(&d.plain_rules, black_box(actor), black_box(target))
        })
    });
    let authorizer = Authorizer::new();
    group.bench_function("cedar", |b| {
        let mut i = 0;
        b.iter(|| {
            i = (i + 1) % d.cedar.len();
            authorizer.is_authorized(black_box(&d.cedar[i]), &d.policies, &d.entities).decision()
        })
    });
    group.finish();
}

fn bench_compile(c: &mut Criterion, data: &Data) {
    let mut rng = StdRng::seed_from_u64(12);
    let rules: Vec<Rule> = (0..RULES).map(|i| data.rule(&mut rng, i)).collect();
    let texts: Vec<String> = rules.iter().map(|r| r.condition.to_string()).collect();
    let mut group = c.benchmark_group("compile");
    group.bench_function("ours", |b| b.iter(|| RuleSet::new(black_box(&rules))));
    group.bench_function("parse", |b| {
        b.iter(|| {
            texts
                .iter()
                .map(|t| parse(black_box(t)).expect("a valid condition"))
                .collect::<Vec<_>>()
        })
    });
    group.finish();
}

fn bench_preview(c: &mut Criterion, data: &Data) {
    let mut rng = StdRng::seed_from_u64(13);
    let rules: Vec<Rule> = (0..RULES).map(|i| data.rule(&mut rng, i)).collect();
    let mut candidate = rules.clone();
    for n in 0..CHANGED_RULES {
        let at = rng.gen_range(0..candidate.len());
        candidate[at] = data.rule(&mut rng, RULES + n);
    }
    let (before, after) = (RuleSet::new(&rules), RuleSet::new(&candidate));

    // Distinct tag sets as users carry them; the most common first, sizes falling
    // like 1 / rank and adding up to a million users.
    let user_tags = Zipf::new(8, 1.2);
    let mut seen = HashSet::new();
    let mut sets = Vec::with_capacity(PREVIEW_GROUPS);
    while sets.len() < PREVIEW_GROUPS {
        let tags = data.tags(&mut rng, &user_tags);
        if seen.insert(tags.clone()) {
            sets.push(tags);
        }
    }
    let weight: f64 = (1..=PREVIEW_GROUPS).map(|k| 1.0 / k as f64).sum();
    let mut groups: Vec<Group> = sets
        .into_iter()
        .enumerate()
        .map(|(k, tags)| Group {
            tags,
            size: ((PREVIEW_USERS as f64 / (k + 1) as f64 / weight) as u64).max(1),
        })
        .collect();
    let total: u64 = groups.iter().map(|g| g.size).sum();
    groups[0].size = groups[0].size + PREVIEW_USERS - total;
    assert_eq!(groups.iter().map(|g| g.size).sum::<u64>(), PREVIEW_USERS);

    let comparison = preview::compare(&before, &after, &groups, 100);
    println!("shape preview_users={PREVIEW_USERS}");
    println!("shape preview_groups={}", groups.len());
    println!("shape preview_largest_group={}", groups[0].size);
    println!("shape preview_changed_rules={CHANGED_RULES}");
    println!("shape preview_pairs_before={}", comparison.allowed_pairs_before);
    println!("shape preview_pairs_gained={}", comparison.gained_pairs);
    println!("shape preview_pairs_lost={}", comparison.lost_pairs);

    let mut group = c.benchmark_group("preview");
    group.sampling_mode(SamplingMode::Flat).sample_size(10);
    group.bench_function("compare", |b| {
        b.iter(|| preview::compare(black_box(&before), black_box(&after), &groups, 100))
    });
    group.bench_function("reach", |b| {
        b.iter(|| {
            let mut reached = 0usize;
            for rules in [&before, &after] {
                for g in &groups {
                    reached += usize::from(!rules.reach(&rules.tag_set(&g.tags)).is_empty());
                }
            }
            reached
        })
    });
    group.finish();
}

fn main() {
    let data = Data::new();
    let mut c = Criterion::default()
        .warm_up_time(Duration::from_secs(1))
        .measurement_time(Duration::from_secs(4))
        .configure_from_args();
    bench_decisions(&mut c, &data);
    bench_compile(&mut c, &data);
    bench_preview(&mut c, &data);
    c.final_summary();
}
