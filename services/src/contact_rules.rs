//! Contact rules as stored: the interaction-restrictions switch, each user's tags and
//! the rules (`../shared/spec/rules.md`). The decision itself is `shared::rules`, the
//! same code the admin's browser runs.
//!
//! Every change bumps `settings.rules_version` in the same transaction, so anything
//! that caches a compiled rule set can tell at once that it is stale.

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result};
use marktchat_shared::rules::{parse, Rule, RuleSet, Tag};
use marktchat_shared::UserId;

/// The most tags a user may have.
pub const MAX_USER_TAGS: usize = 100;

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

    async fn bump(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<()> {
        sqlx::query(
            "UPDATE settings SET value = CAST(CAST(value AS BIGINT) + 1 AS TEXT)
             WHERE key = 'rules_version'",
        )
        .execute(&mut **tx)
        .await?;
        Ok(())
    }

    /// Whether interaction restrictions are on (off by default).
    pub async fn restrictions_enabled(&self) -> Result<bool> {
        Ok(self.setting("interaction_restrictions").await? == "on")
    }

    pub async fn set_restrictions(&self, on: bool) -> Result<()> {
        let mut tx = self.db.begin().await?;
        sqlx::query("UPDATE settings SET value = $1 WHERE key = 'interaction_restrictions'")
            .bind(if on { "on" } else { "off" })
            .execute(&mut *tx)
            .await?;
        Self::bump(&mut tx).await?;
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

    /// Replaces a user's tags (0–100, no duplicates).
    pub async fn set_user_tags(&self, user: &UserId, tags: &[Tag]) -> Result<()> {
        let mut unique = tags.to_vec();
        unique.sort();
        unique.dedup();
        if unique.len() != tags.len() {
            return Err(Error::Refused("a tag is given twice".into()));
        }
        if tags.len() > MAX_USER_TAGS {
            return Err(Error::Refused(format!("a user has at most {MAX_USER_TAGS} tags")));
        }
        let mut tx = self.db.begin().await?;
        sqlx::query("DELETE FROM user_tags WHERE user_id = $1")
            .bind(&user.0)
            .execute(&mut *tx)
            .await?;
        for tag in &unique {
            sqlx::query("INSERT INTO user_tags (user_id, tag) VALUES ($1, $2)")
                .bind(&user.0)
                .bind(tag.as_str())
                .execute(&mut *tx)
                .await?;
        }
        Self::bump(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Stores a rule (a new id, or replacing the rule with this id).
    pub async fn put_rule(&self, rule: &StoredRule) -> Result<()> {
        let outcome: Vec<&str> = rule.rule.outcome.iter().map(Tag::as_str).collect();
        let t = now().millis();
        let mut tx = self.db.begin().await?;
        let updated = sqlx::query(
            "UPDATE contact_rules SET condition = $2, outcome = $3, description = $4,
                                      updated_at = $5
             WHERE id = $1",
        )
        .bind(&rule.rule.id)
        .bind(&rule.condition_text)
        .bind(outcome.join(" "))
        .bind(&rule.description)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            sqlx::query(
                "INSERT INTO contact_rules (id, condition, outcome, description, created_at,
                                            updated_at)
                 VALUES ($1, $2, $3, $4, $5, $5)",
            )
            .bind(&rule.rule.id)
            .bind(&rule.condition_text)
            .bind(outcome.join(" "))
            .bind(&rule.description)
            .bind(t)
            .execute(&mut *tx)
            .await?;
        }
        Self::bump(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn delete_rule(&self, id: &str) -> Result<()> {
        let mut tx = self.db.begin().await?;
        let done = sqlx::query("DELETE FROM contact_rules WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Self::bump(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Every rule, by id.
    pub async fn rules(&self) -> Result<Vec<StoredRule>> {
        let rows: Vec<(String, String, String, Option<String>)> = sqlx::query_as(
            "SELECT id, condition, outcome, description FROM contact_rules ORDER BY id",
        )
        .fetch_all(self.db.pool())
        .await?;
        rows.into_iter()
            .map(|(id, condition_text, outcome, description)| {
                let bad =
                    |what: &str| Error::inconsistent(format!("rule {id} has an unreadable {what}"));
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
            })
            .collect()
    }

    /// Whether the rules let `actor` start a conversation with `target` (or add them to
    /// one). Always when restrictions are off; never oneself.
    pub async fn allows(&self, actor: &UserId, target: &UserId) -> Result<bool> {
        if actor == target {
            return Ok(false);
        }
        if !self.restrictions_enabled().await? {
            return Ok(true);
        }
        let rules: Vec<Rule> = self.rules().await?.into_iter().map(|r| r.rule).collect();
        let set = RuleSet::new(&rules);
        let actor_tags = self.user_tags(actor).await?;
        let target_tags = self.user_tags(target).await?;
        Ok(set.allows(&set.tag_set(&actor_tags), &set.tag_set(&target_tags)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
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
        for (id, condition, outcome) in &examples {
            rules
                .put_rule(&StoredRule {
                    rule: Rule {
                        id: (*id).into(),
                        condition: parse(condition).unwrap(),
                        outcome: outcome.iter().map(|t| tag(t)).collect(),
                    },
                    condition_text: (*condition).into(),
                    description: None,
                })
                .await
                .unwrap();
        }
        assert!(rules.version().await.unwrap() > before, "changes move the version on");
        let stored = rules.rules().await.unwrap();
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
                .set_user_tags(&id, &tags.iter().map(|t| tag(t)).collect::<Vec<_>>())
                .await
                .unwrap();
            users.push(id);
        }
        let conversations = services.conversations();
        // Off: everyone may contact everyone else.
        assert!(conversations.may_start_conversation(&users[0], &users[1]).await.unwrap());
        rules.set_restrictions(true).await.unwrap();
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
        }
        // Blocked pairs stay blocked whatever the rules say.
        services.set_blocked(&users[2], &users[1], true).await.unwrap();
        assert!(!conversations.may_start_conversation(&users[1], &users[2]).await.unwrap());
    }
}
