//! Decisions from the stored rules: the compiled rule set, cached per
//! `rules_version`; "may A contact B" and why; whom a user may contact; what a
//! candidate rule set would change.

use super::{ContactRules, StoredRule};
use crate::error::{Error, Result};
use marktchat_shared::rules::preview::{compare, Group};
use marktchat_shared::rules::{Rule, RuleSet, Tag};
use marktchat_shared::UserId;
use std::collections::HashMap;
use std::sync::Arc;

/// The rules and the switch as of one version, compiled.
#[derive(Debug)]
pub struct Current {
    pub version: i64,
    pub enabled: bool,
    pub rules: Vec<StoredRule>,
    pub set: RuleSet,
}

/// Why a decision came out as it did (the Sync API's `reason`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    RestrictionsDisabled,
    Rule,
    NoRule,
    SameUser,
}

impl Reason {
    pub fn as_str(self) -> &'static str {
        match self {
            Reason::RestrictionsDisabled => "restrictions_disabled",
            Reason::Rule => "rule",
            Reason::NoRule => "no_rule",
            Reason::SameUser => "same_user",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explanation {
    pub allowed: bool,
    pub reason: Reason,
    /// The rules that allowed it (when `reason` is `Rule`), in creation order.
    pub rule_ids: Vec<String>,
}

/// What a candidate rule set would change, counted as if restrictions were on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PreviewResult {
    pub allowed_pairs_before: u64,
    pub allowed_pairs_after: u64,
    pub gained: Vec<(UserId, UserId)>,
    pub lost: Vec<(UserId, UserId)>,
}

/// How many user pairs a preview names at most, each way.
pub const PREVIEW_PAIRS: usize = 100;
/// How many tags one contactable query names; more are split across queries.
const TAGS_PER_QUERY: usize = 2_000;

impl ContactRules<'_> {
    /// The compiled rules and the switch. One small query when nothing changed since
    /// the last call on this database handle; a reload when the version moved.
    pub async fn current(&self) -> Result<Arc<Current>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT key, value FROM settings
             WHERE key IN ('interaction_restrictions', 'rules_version')",
        )
        .fetch_all(self.db.pool())
        .await?;
        let get = |k: &str| rows.iter().find(|r| r.0 == k).map(|r| r.1.as_str());
        let version: i64 = get("rules_version")
            .and_then(|v| v.parse().ok())
            .ok_or_else(|| Error::inconsistent("rules_version is missing"))?;
        let enabled = get("interaction_restrictions") == Some("on");
        let cache = &self.db.caches().rules;
        if let Some(c) = cache.lock().expect("rules cache").as_ref() {
            if c.version == version && c.enabled == enabled {
                return Ok(c.clone());
            }
        }
        let rules = self.rules().await?;
        let set = RuleSet::new(&rules.iter().map(|r| r.rule.clone()).collect::<Vec<_>>());
        let current = Arc::new(Current { version, enabled, rules, set });
        *cache.lock().expect("rules cache") = Some(current.clone());
        Ok(current)
    }

    async fn existing(&self, users: &[&UserId]) -> Result<()> {
        for u in users {
            let row: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
                .bind(&u.0)
                .fetch_optional(self.db.pool())
                .await?;
            if row.is_none() {
                return Err(Error::NotFound);
            }
        }
        Ok(())
    }

    /// Whether `from` may start a conversation with `to` by the rules, and why.
    /// `NotFound` when either user does not exist.
    pub async fn explain(&self, from: &UserId, to: &UserId) -> Result<Explanation> {
        self.existing(&[from, to]).await?;
        let current = self.current().await?;
        let outcome = |allowed, reason, rule_ids| Explanation { allowed, reason, rule_ids };
        if from == to {
            return Ok(outcome(false, Reason::SameUser, vec![]));
        }
        if !current.enabled {
            return Ok(outcome(true, Reason::RestrictionsDisabled, vec![]));
        }
        let actor = current.set.tag_set(&self.user_tags(from).await?);
        let target = current.set.tag_set(&self.user_tags(to).await?);
        let ids: Vec<String> =
            current.set.allowing(&actor, &target).into_iter().map(str::to_owned).collect();
        Ok(if ids.is_empty() {
            outcome(false, Reason::NoRule, ids)
        } else {
            outcome(true, Reason::Rule, ids)
        })
    }

    /// Whether the rules let `actor` start a conversation with `target` (or add them
    /// to one). Always when restrictions are off; never oneself.
    pub async fn allows(&self, actor: &UserId, target: &UserId) -> Result<bool> {
        Ok(self.allows_each(actor, &[target]).await?[0])
    }

    /// [`allows`](Self::allows) for each of `targets` (up to 1,000): two queries,
    /// one when restrictions are off.
    pub async fn allows_each(&self, actor: &UserId, targets: &[&UserId]) -> Result<Vec<bool>> {
        if targets.is_empty() {
            return Ok(vec![]);
        }
        let current = self.current().await?;
        if !current.enabled {
            return Ok(targets.iter().map(|t| *t != actor).collect());
        }
        let ids = std::iter::once(actor).chain(targets.iter().copied()).map(|u| u.0.as_str());
        let tags = self.tags_of(ids).await?;
        let tag_set = |u: &UserId| current.set.tag_set(tags.get(&u.0).into_iter().flatten());
        let from = tag_set(actor);
        Ok(targets.iter().map(|t| *t != actor && current.set.allows(&from, &tag_set(t))).collect())
    }

    /// The users `user` may start a conversation with now, ascending by id, at most
    /// `limit` after the id `after`; and the id to continue after, if there are more.
    /// Users are found through the tags the user can reach (an index on tags), never
    /// by deciding pair after pair.
    pub async fn contactable(
        &self,
        user: &UserId,
        limit: usize,
        after: Option<&UserId>,
    ) -> Result<(Vec<(UserId, String)>, Option<UserId>)> {
        self.existing(&[user]).await?;
        if limit == 0 {
            return Ok((Vec::new(), after.cloned()));
        }
        let current = self.current().await?;
        let after = after.map_or("", |a| a.0.as_str());
        let take = limit + 1;
        let mut found: Vec<(String, String)> = if !current.enabled {
            sqlx::query_as(
                "SELECT id, display_name FROM users WHERE id <> $1 AND id > $2
                 ORDER BY id LIMIT $3",
            )
            .bind(&user.0)
            .bind(after)
            .bind(take as i64)
            .fetch_all(self.db.pool())
            .await?
        } else {
            let reach = current.set.reach(&current.set.tag_set(&self.user_tags(user).await?));
            let tags = current.set.names(&reach);
            let mut found = Vec::new();
            for chunk in tags.chunks(TAGS_PER_QUERY) {
                let marks: Vec<String> = (0..chunk.len()).map(|i| format!("${}", i + 4)).collect();
                let sql = format!(
                    "SELECT u.id, u.display_name FROM users u
                     WHERE u.id <> $1 AND u.id > $2
                       AND EXISTS (SELECT 1 FROM user_tags t
                                   WHERE t.user_id = u.id AND t.tag IN ({}))
                     ORDER BY u.id LIMIT $3",
                    marks.join(", ")
                );
                let mut q = sqlx::query_as(&sql).bind(&user.0).bind(after).bind(take as i64);
                for t in chunk {
                    q = q.bind(t.as_str());
                }
                found.extend(q.fetch_all(self.db.pool()).await?);
            }
            // Several queries: merge their first pages.
            found.sort();
            found.dedup();
            found
        };
        found.truncate(take);
        let next = (found.len() > limit).then(|| UserId(found[limit - 1].0.clone()));
        found.truncate(limit);
        Ok((found.into_iter().map(|(id, name)| (UserId(id), name)).collect(), next))
    }

    /// Every user grouped by tag set: the group, and its first members by id (enough
    /// to name [`PREVIEW_PAIRS`] pairs). Groups are ordered by their first member.
    pub async fn tag_groups(&self) -> Result<Vec<(Group, Vec<UserId>)>> {
        use futures_util::TryStreamExt;
        let mut rows = sqlx::query_as::<_, (String, Option<String>)>(
            "SELECT u.id, t.tag FROM users u LEFT JOIN user_tags t ON t.user_id = u.id
             ORDER BY u.id, t.tag",
        )
        .fetch(self.db.pool());
        let mut groups: HashMap<Vec<Tag>, (u64, Vec<UserId>)> = HashMap::new();
        let mut add = |user: String, tags: Vec<Tag>| {
            let g = groups.entry(tags).or_default();
            g.0 += 1;
            if g.1.len() <= PREVIEW_PAIRS {
                g.1.push(UserId(user));
            }
        };
        let mut user: Option<(String, Vec<Tag>)> = None;
        while let Some((id, tag)) = rows.try_next().await? {
            if user.as_ref().is_none_or(|(u, _)| *u != id) {
                if let Some((u, tags)) = user.take() {
                    add(u, tags);
                }
                user = Some((id, Vec::new()));
            }
            if let (Some((_, tags)), Some(tag)) = (user.as_mut(), tag) {
                tags.push(
                    Tag::parse(&tag)
                        .map_err(|e| Error::internal("a stored tag is not valid", e))?,
                );
            }
        }
        if let Some((u, tags)) = user.take() {
            add(u, tags);
        }
        let mut out: Vec<(Group, Vec<UserId>)> = groups
            .into_iter()
            .map(|(tags, (size, members))| (Group { tags, size }, members))
            .collect();
        out.sort_by(|a, b| a.1.first().cmp(&b.1.first()));
        Ok(out)
    }

    /// What replacing the rules with `candidate` would change (nothing is saved).
    pub async fn preview(&self, candidate: &[Rule]) -> Result<PreviewResult> {
        let current = self.current().await?;
        let after = RuleSet::new(candidate);
        let grouped = self.tag_groups().await?;
        let (groups, members): (Vec<Group>, Vec<Vec<UserId>>) = grouped.into_iter().unzip();
        let c = compare(&current.set, &after, &groups, PREVIEW_PAIRS as u64);
        let pairs = |group_pairs: &[(usize, usize)]| {
            let mut out = Vec::new();
            'all: for &(a, b) in group_pairs {
                for x in &members[a] {
                    for y in &members[b] {
                        if out.len() == PREVIEW_PAIRS {
                            break 'all;
                        }
                        if x != y {
                            out.push((x.clone(), y.clone()));
                        }
                    }
                }
            }
            out
        };
        Ok(PreviewResult {
            allowed_pairs_before: c.allowed_pairs_before,
            allowed_pairs_after: c.allowed_pairs_after,
            gained: pairs(&c.gained),
            lost: pairs(&c.lost),
        })
    }
}
