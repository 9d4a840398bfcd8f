//! Contact rules as stored: the interaction-restrictions switch, each user's tags and
//! the rules (`../shared/spec/rules.md`). The decision itself is `shared::rules`, the
//! same code the admin's browser runs.
//!
//! - this file: reading and changing the switch, tags and rules. Every change bumps
//!   `settings.rules_version` and writes an audit entry in the same transaction.
//! - [`decide`]: the compiled rules, cached per version; "may A contact B" and why;
//!   whom a user may contact; previews of a candidate rule set.
//! - [`users`]: users with their tags, page by page, and tags for many users at once.

pub mod decide;
pub mod users;

pub use decide::{Current, Explanation, Reason};

use crate::audit::{self, Actor};
use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result};
use marktchat_shared::rules::{parse, Rule, Tag};
use marktchat_shared::UserId;
use serde_json::json;

pub use marktchat_shared::rules::draft::{
    DraftError, RuleDraft, MAX_DESCRIPTION_CHARS, MAX_OUTCOME_TAGS, MAX_USER_TAGS,
};
/// The most rules there may be: every decision and preview walks them all.
pub const MAX_RULES: usize = 5_000;

pub struct ContactRules<'a> {
    db: &'a Database,
}

/// A rule with what the API keeps beside it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredRule {
    pub rule: Rule,
    /// The condition exactly as it was sent.
    pub condition_text: String,
    pub description: Option<String>,
}

impl StoredRule {
    /// The rule as the Sync API shows it (`description` absent when there is none).
    pub fn to_json(&self) -> serde_json::Value {
        let mut v = json!({
            "rule_id": self.rule.id,
            "condition": self.condition_text,
            "outcome": self.rule.outcome.iter().map(Tag::as_str).collect::<Vec<_>>(),
        });
        if let Some(d) = &self.description {
            v["description"] = json!(d);
        }
        v
    }
}

/// Bumps the version every cache is keyed by.
async fn bump(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<()> {
    sqlx::query(
        "UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)
         WHERE key = 'rules_version'",
    )
    .execute(&mut **tx)
    .await?;
    Ok(())
}

fn tags_json(tags: &[Tag]) -> serde_json::Value {
    json!(tags.iter().map(Tag::as_str).collect::<Vec<_>>())
}

type RuleRow = (String, String, String, Option<String>);

/// One rule by id, as a `RuleRow`.
const RULE_BY_ID: &str =
    "SELECT id, condition, outcome, description FROM contact_rules WHERE id = $1";

/// The outcome as stored: tags separated by spaces (tags contain none).
fn outcome_text(rule: &Rule) -> String {
    rule.outcome.iter().map(Tag::as_str).collect::<Vec<_>>().join(" ")
}

fn stored(row: RuleRow) -> Result<StoredRule> {
    let (id, condition_text, outcome, description) = row;
    let bad = |what: &str| Error::inconsistent(format!("rule {id} has an unreadable {what}"));
    let condition = parse(&condition_text).map_err(|_| bad("condition"))?;
    let outcome = outcome
        .split(' ')
        .map(|t| Tag::parse(t).map_err(|_| bad("outcome")))
        .collect::<Result<Vec<_>>>()?;
    Ok(StoredRule {
        rule: Rule { id: id.clone(), condition, outcome },
        condition_text,
        description,
    })
}

impl<'a> ContactRules<'a> {
    pub fn new(db: &'a Database) -> Self {
        ContactRules { db }
    }

    async fn setting(&self, key: &str) -> Result<String> {
        let row: Option<(String,)> = sqlx::query_as("SELECT value FROM settings WHERE key = $1")
            .bind(key)
            .fetch_optional(self.db.pool())
            .await?;
        row.map(|r| r.0).ok_or_else(|| Error::inconsistent(format!("setting {key} is missing")))
    }

    /// Whether interaction restrictions are on (off by default).
    pub async fn restrictions_enabled(&self) -> Result<bool> {
        Ok(self.setting("interaction_restrictions").await? == "on")
    }

    pub async fn set_restrictions(&self, actor: &Actor, on: bool) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before: (String,) =
            sqlx::query_as("SELECT value FROM settings WHERE key = 'interaction_restrictions'")
                .fetch_one(&mut *tx)
                .await?;
        sqlx::query("UPDATE settings SET value = $1 WHERE key = 'interaction_restrictions'")
            .bind(if on { "on" } else { "off" })
            .execute(&mut *tx)
            .await?;
        bump(&mut tx).await?;
        audit::record(
            &mut tx,
            actor,
            "restrictions.set",
            None,
            Some(json!({ "enabled": before.0 == "on" })),
            Some(json!({ "enabled": on })),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The version every change moves on.
    pub async fn version(&self) -> Result<i64> {
        self.setting("rules_version")
            .await?
            .parse()
            .map_err(|e| Error::internal("rules_version is not a number", e))
    }

    /// A user's tags, sorted.
    pub async fn user_tags(&self, user: &UserId) -> Result<Vec<Tag>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT tag FROM user_tags WHERE user_id = $1 ORDER BY tag")
                .bind(&user.0)
                .fetch_all(self.db.pool())
                .await?;
        rows.into_iter()
            .map(|r| Tag::parse(&r.0).map_err(|e| Error::internal("a stored tag is not valid", e)))
            .collect()
    }

    /// Replaces a user's tags (0–100, no duplicates). `NotFound` for an unknown user.
    pub async fn set_user_tags(&self, actor: &Actor, user: &UserId, tags: &[Tag]) -> Result<()> {
        check_tag_list(tags)?;
        let mut tx = self.db.begin().await?;
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
            .bind(&user.0)
            .fetch_optional(&mut *tx)
            .await?;
        if exists.is_none() {
            return Err(Error::NotFound);
        }
        users::replace_tags(&mut tx, actor, user, tags).await?;
        bump(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a new rule with a fresh id.
    pub async fn create_rule(&self, actor: &Actor, draft: RuleDraft) -> Result<StoredRule> {
        let rule = StoredRule {
            rule: Rule {
                id: uuid::Uuid::new_v4().to_string(),
                condition: draft.condition,
                outcome: draft.outcome,
            },
            condition_text: draft.condition_text,
            description: draft.description,
        };
        let t = now().millis();
        let mut tx = self.db.begin().await?;
        let (count, last): (i64, Option<i64>) =
            sqlx::query_as("SELECT COUNT(*), MAX(position) FROM contact_rules")
                .fetch_one(&mut *tx)
                .await?;
        if count as usize >= MAX_RULES {
            return Err(Error::Refused(format!("there are already {MAX_RULES} rules, the most")));
        }
        sqlx::query(
            "INSERT INTO contact_rules (id, position, condition, outcome, description,
                                        created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $6)",
        )
        .bind(&rule.rule.id)
        .bind(last.unwrap_or(0) + 1)
        .bind(&rule.condition_text)
        .bind(outcome_text(&rule.rule))
        .bind(&rule.description)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        bump(&mut tx).await?;
        audit::record(
            &mut tx,
            actor,
            "rule.create",
            Some(&rule.rule.id),
            None,
            Some(rule.to_json()),
        )
        .await?;
        tx.commit().await?;
        Ok(rule)
    }

    /// Replaces the whole rule `id` (its place in the order stays). `NotFound` if
    /// there is none.
    pub async fn replace_rule(
        &self,
        actor: &Actor,
        id: &str,
        draft: RuleDraft,
    ) -> Result<StoredRule> {
        let mut tx = self.db.begin().await?;
        let before = self.rule_in(&mut tx, id).await?.ok_or(Error::NotFound)?;
        let rule = StoredRule {
            rule: Rule { id: id.to_owned(), condition: draft.condition, outcome: draft.outcome },
            condition_text: draft.condition_text,
            description: draft.description,
        };
        sqlx::query(
            "UPDATE contact_rules SET condition = $2, outcome = $3, description = $4,
                                      updated_at = $5
             WHERE id = $1",
        )
        .bind(id)
        .bind(&rule.condition_text)
        .bind(outcome_text(&rule.rule))
        .bind(&rule.description)
        .bind(now().millis())
        .execute(&mut *tx)
        .await?;
        bump(&mut tx).await?;
        audit::record(
            &mut tx,
            actor,
            "rule.replace",
            Some(id),
            Some(before.to_json()),
            Some(rule.to_json()),
        )
        .await?;
        tx.commit().await?;
        Ok(rule)
    }

    pub async fn delete_rule(&self, actor: &Actor, id: &str) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let before = self.rule_in(&mut tx, id).await?.ok_or(Error::NotFound)?;
        sqlx::query("DELETE FROM contact_rules WHERE id = $1").bind(id).execute(&mut *tx).await?;
        bump(&mut tx).await?;
        audit::record(&mut tx, actor, "rule.delete", Some(id), Some(before.to_json()), None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn rule_in(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        id: &str,
    ) -> Result<Option<StoredRule>> {
        let row: Option<RuleRow> =
            sqlx::query_as(RULE_BY_ID).bind(id).fetch_optional(&mut **tx).await?;
        row.map(stored).transpose()
    }

    /// One rule.
    pub async fn rule(&self, id: &str) -> Result<StoredRule> {
        let row: Option<RuleRow> =
            sqlx::query_as(RULE_BY_ID).bind(id).fetch_optional(self.db.pool()).await?;
        row.map(stored).transpose()?.ok_or(Error::NotFound)
    }

    /// Every rule, in the order they were created.
    pub async fn rules(&self) -> Result<Vec<StoredRule>> {
        let rows: Vec<RuleRow> = sqlx::query_as(
            "SELECT id, condition, outcome, description FROM contact_rules
             ORDER BY position, id",
        )
        .fetch_all(self.db.pool())
        .await?;
        rows.into_iter().map(stored).collect()
    }
}

/// 0–100 tags, none twice.
pub fn check_tag_list(tags: &[Tag]) -> Result<()> {
    if tags.len() > MAX_USER_TAGS {
        return Err(Error::Refused(format!("a user has at most {MAX_USER_TAGS} tags")));
    }
    let mut unique = tags.to_vec();
    unique.sort();
    unique.dedup();
    if unique.len() != tags.len() {
        return Err(Error::Refused("a tag is given twice".into()));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conversations::Refusal;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    #[db_test]
    async fn the_worked_example_through_the_database(backend: Backend) {
        let (db, _guard) = crate::db::test_db(backend).await;
        let services = crate::Services::new(db.clone(), crate::Settings::default());
        let rules = ContactRules::new(&db);
        let tag = |t: &str| Tag::parse(t).unwrap();
        let examples = [
            ("R1", "hasTag(Stuttgart)", vec!["Berlin", "Munich", "Stuttgart"]),
            ("R2", "any(hasTag(Berlin),  hasTag(Munich))", vec!["Stuttgart"]),
            ("R3", "hasTag(Munich)", vec!["Munich"]),
            ("R4", "all(hasTag(Berlin), hasTag(Munich))", vec!["Berlin", "Munich"]),
        ];
        let before = rules.version().await.unwrap();
        let admin = Actor::Operator;
        let mut ids = std::collections::HashMap::new();
        for (name, condition, outcome) in &examples {
            let outcome: Vec<String> = outcome.iter().map(|t| t.to_string()).collect();
            let draft = RuleDraft::check(condition, &outcome, None).unwrap();
            let stored = rules.create_rule(&admin, draft).await.unwrap();
            ids.insert(stored.rule.id.clone(), *name);
        }
        assert!(rules.version().await.unwrap() > before, "changes move the version on");
        let stored = rules.rules().await.unwrap();
        let names: Vec<&str> = stored.iter().map(|r| ids[&r.rule.id]).collect();
        assert_eq!(names, ["R1", "R2", "R3", "R4"], "in the order they were created");
        assert_eq!(
            stored[1].condition_text, "any(hasTag(Berlin),  hasTag(Munich))",
            "kept as sent"
        );
        let tag_sets: [&[&str]; 6] = [
            &[],
            &["Stuttgart"],
            &["Berlin"],
            &["Munich"],
            &["Berlin", "Munich"],
            &["Berlin", "Munich", "Stuttgart"],
        ];
        let mut users = Vec::new();
        for (i, tags) in tag_sets.iter().enumerate() {
            let (id, _) =
                crate::testing::user_with_session(&services, &format!("User {}", i + 1)).await;
            rules
                .set_user_tags(&admin, &id, &tags.iter().map(|t| tag(t)).collect::<Vec<_>>())
                .await
                .unwrap();
            users.push(id);
        }
        let conversations = services.conversations();
        // Off: everyone may contact everyone else.
        assert!(conversations.may_start_conversation(&users[0], &users[1]).await.unwrap());
        rules.set_restrictions(&admin, true).await.unwrap();
        let expected: [&[usize]; 6] =
            [&[], &[3, 4, 5, 6], &[2, 6], &[2, 5, 6], &[2, 3, 4, 6], &[2, 3, 4, 5]];
        for (a, may) in expected.iter().enumerate() {
            let mut reached = Vec::new();
            for (b, target) in users.iter().enumerate() {
                if conversations.may_start_conversation(&users[a], target).await.unwrap() {
                    reached.push(b + 1);
                }
            }
            assert_eq!(&reached, may, "user {} may contact", a + 1);
            // The batch the directory uses says the same, for all of them at once.
            let options = conversations.write_options(&users[a], &users).await.unwrap();
            let batch: Vec<usize> =
                (0..users.len()).filter(|b| options[*b].refused.is_none()).map(|b| b + 1).collect();
            assert_eq!(&batch, may, "user {} may contact, in one batch", a + 1);
            for (b, option) in options.iter().enumerate() {
                let expected = match b {
                    _ if b == a => Some(Refusal::Oneself),
                    _ if may.contains(&(b + 1)) => None,
                    _ => Some(Refusal::Rules),
                };
                assert_eq!(option.refused, expected);
                assert_eq!((&option.existing, option.blocked_by_me), (&None, false));
            }
            // Contactable, a page of two at a time, gives the same users.
            let mut listed = Vec::new();
            let mut cursor = None;
            loop {
                let (page, next) = rules.contactable(&users[a], 2, cursor.as_ref()).await.unwrap();
                listed.extend(page.into_iter().map(|(id, _)| id));
                match next {
                    Some(n) => cursor = Some(n),
                    None => break,
                }
            }
            let mut expected: Vec<UserId> = may.iter().map(|b| users[b - 1].clone()).collect();
            expected.sort();
            assert_eq!(listed, expected, "user {} contactable", a + 1);
        }
        let why = rules.explain(&users[3], &users[4]).await.unwrap();
        assert_eq!((why.allowed, why.reason), (true, Reason::Rule));
        let named: Vec<&str> = why.rule_ids.iter().map(|id| ids[id]).collect();
        assert_eq!(named, ["R3"]);
        assert_eq!(rules.explain(&users[2], &users[4]).await.unwrap().reason, Reason::NoRule);
        assert_eq!(rules.explain(&users[2], &users[2]).await.unwrap().reason, Reason::SameUser);

        // The preview of the rules without R2 loses 4 of 17 pairs.
        let without_r2: Vec<Rule> =
            stored.iter().filter(|r| ids[&r.rule.id] != "R2").map(|r| r.rule.clone()).collect();
        let p = rules.preview(&without_r2).await.unwrap();
        assert_eq!((p.allowed_pairs_before, p.allowed_pairs_after), (17, 13));
        assert!(p.gained.is_empty());
        let mut lost: Vec<(usize, usize)> = p
            .lost
            .iter()
            .map(|(a, b)| {
                let n = |u: &UserId| users.iter().position(|x| x == u).unwrap() + 1;
                (n(a), n(b))
            })
            .collect();
        lost.sort();
        assert_eq!(lost, [(3, 2), (3, 6), (4, 2), (5, 2)]);

        // Every change is in the audit log, newest first.
        let log = crate::audit::newest(&db, 100, None).await.unwrap();
        assert_eq!(log[0].action, "restrictions.set");
        assert_eq!(log[0].after, Some(serde_json::json!({ "enabled": true })));
        assert_eq!(log.iter().filter(|e| e.action == "rule.create").count(), 4);
        assert_eq!(log.len(), 1 + 5 + 4, "five users got tags; user 1 has none to set");
        let older = crate::audit::newest(&db, 100, Some(&log[4].id)).await.unwrap();
        assert_eq!(older, log[5..]);
        // Blocked pairs stay blocked whatever the rules say.
        services.set_blocked(&users[2], &users[1], true).await.unwrap();
        assert!(!conversations.may_start_conversation(&users[1], &users[2]).await.unwrap());
        let blocker = conversations.write_options(&users[2], &users[1..2]).await.unwrap();
        let blocked = conversations.write_options(&users[1], &users[2..3]).await.unwrap();
        assert_eq!((blocker[0].blocked_by_me, blocker[0].refused), (true, Some(Refusal::Blocked)));
        assert_eq!((blocked[0].blocked_by_me, blocked[0].refused), (false, Some(Refusal::Blocked)));
    }
}
