//! Users with their tags, for the Sync API and the admin area: page by page, and tags
//! for up to [`MAX_BATCH`] users at once, all or nothing.

use super::{bump, check_tag_list, tags_json, ContactRules};
use crate::audit::{self, Actor};
use crate::error::{EntryProblem, Error, Result};
use marktchat_shared::rules::Tag;
use marktchat_shared::UserId;
use std::collections::HashMap;

/// The most entries one batch may hold.
pub const MAX_BATCH: usize = 1_000;
/// The most users one page may hold.
pub const MAX_PAGE: usize = 1_000;

/// A user as the Sync API lists them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaggedUser {
    pub id: UserId,
    pub email: String,
    pub display_name: String,
    pub tags: Vec<Tag>,
}

/// How a batch entry names its user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UserRef {
    Id(UserId),
    /// Compared as stored: trimmed and lower-cased.
    Email(String),
}

/// Replaces `user`'s tags inside a transaction, with its audit entry. The caller
/// checked the list and that the user exists, and bumps the version.
pub(super) async fn replace_tags(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    user: &UserId,
    tags: &[Tag],
) -> Result<()> {
    let before: Vec<(String,)> =
        sqlx::query_as("SELECT tag FROM user_tags WHERE user_id = $1 ORDER BY tag")
            .bind(&user.0)
            .fetch_all(&mut **tx)
            .await?;
    let mut sorted = tags.to_vec();
    sorted.sort();
    if before.iter().map(|r| r.0.as_str()).eq(sorted.iter().map(Tag::as_str)) {
        return Ok(());
    }
    sqlx::query("DELETE FROM user_tags WHERE user_id = $1")
        .bind(&user.0)
        .execute(&mut **tx)
        .await?;
    // Up to 100 tags: one statement.
    if !sorted.is_empty() {
        let values: Vec<String> = (0..sorted.len()).map(|i| format!("($1, ${})", i + 2)).collect();
        let sql = format!("INSERT INTO user_tags (user_id, tag) VALUES {}", values.join(", "));
        let mut q = sqlx::query(&sql).bind(&user.0);
        for t in &sorted {
            q = q.bind(t.as_str());
        }
        q.execute(&mut **tx).await?;
    }
    let before: Vec<&str> = before.iter().map(|r| r.0.as_str()).collect();
    audit::record(
        tx,
        actor,
        "user.tags",
        Some(&user.0),
        Some(serde_json::json!(before)),
        Some(tags_json(&sorted)),
    )
    .await
}

impl ContactRules<'_> {
    /// One page of users, oldest account first, with their tags; and how many there
    /// are in all.
    pub async fn tagged_users(
        &self,
        page: u64,
        page_size: usize,
    ) -> Result<(Vec<TaggedUser>, u64)> {
        let size = page_size.min(MAX_PAGE) as i64;
        let offset = i64::try_from(page).unwrap_or(i64::MAX).saturating_mul(size);
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users").fetch_one(self.db.pool()).await?;
        let rows: Vec<(String, String, String)> = sqlx::query_as(
            "SELECT id, email, display_name FROM users ORDER BY created_at, id
             LIMIT $1 OFFSET $2",
        )
        .bind(size)
        .bind(offset)
        .fetch_all(self.db.pool())
        .await?;
        let mut tags = self.tags_of(rows.iter().map(|r| r.0.as_str())).await?;
        let users = rows
            .into_iter()
            .map(|(id, email, display_name)| TaggedUser {
                tags: tags.remove(&id).unwrap_or_default(),
                id: UserId(id),
                email,
                display_name,
            })
            .collect();
        Ok((users, total.max(0) as u64))
    }

    /// The tags of up to 1,000 users, sorted, by user id.
    pub(super) async fn tags_of<'i>(
        &self,
        ids: impl Iterator<Item = &'i str>,
    ) -> Result<HashMap<String, Vec<Tag>>> {
        let ids: Vec<&str> = ids.collect();
        let mut out: HashMap<String, Vec<Tag>> = HashMap::new();
        for chunk in ids.chunks(500) {
            let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
            let sql = format!(
                "SELECT user_id, tag FROM user_tags WHERE user_id IN ({}) ORDER BY user_id, tag",
                marks.join(", ")
            );
            let mut q = sqlx::query_as::<_, (String, String)>(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            for (user, tag) in q.fetch_all(self.db.pool()).await? {
                let tag = Tag::parse(&tag)
                    .map_err(|e| Error::internal("a stored tag is not valid", e))?;
                out.entry(user).or_default().push(tag);
            }
        }
        Ok(out)
    }

    /// The user with this e-mail address (trimmed, any case), if any.
    pub async fn user_by_email(&self, email: &str) -> Result<Option<UserId>> {
        let row: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email.trim().to_lowercase())
            .fetch_optional(self.db.pool())
            .await?;
        Ok(row.map(|r| UserId(r.0)))
    }

    /// A user with their tags. `NotFound` if there is none.
    pub async fn tagged_user(&self, id: &UserId) -> Result<TaggedUser> {
        let row: Option<(String, String)> =
            sqlx::query_as("SELECT email, display_name FROM users WHERE id = $1")
                .bind(&id.0)
                .fetch_optional(self.db.pool())
                .await?;
        let (email, display_name) = row.ok_or(Error::NotFound)?;
        Ok(TaggedUser { id: id.clone(), email, display_name, tags: self.user_tags(id).await? })
    }

    /// Sets the tags of many users at once. Every entry is checked first (its tags,
    /// that its user exists, that no other entry names the same user); if any fails,
    /// nothing changes and the error names the entry's index. Returns how many
    /// entries were applied.
    pub async fn set_tags_many(
        &self,
        actor: &Actor,
        entries: &[(UserRef, Vec<Tag>)],
    ) -> Result<usize> {
        if entries.len() > MAX_BATCH {
            return Err(Error::Refused(format!("a batch holds at most {MAX_BATCH} entries")));
        }
        for (index, (_, tags)) in entries.iter().enumerate() {
            check_tag_list(tags).map_err(|e| Error::BadEntry {
                index,
                problem: EntryProblem::Tags(e.to_string()),
            })?;
        }
        let mut tx = self.db.begin().await?;
        // Resolve every reference, 500 per query.
        let ids: Vec<&str> = entries
            .iter()
            .filter_map(|(r, _)| match r {
                UserRef::Id(id) => Some(id.0.as_str()),
                UserRef::Email(_) => None,
            })
            .collect();
        let emails: Vec<String> = entries
            .iter()
            .filter_map(|(r, _)| match r {
                UserRef::Email(e) => Some(e.trim().to_lowercase()),
                UserRef::Id(_) => None,
            })
            .collect();
        let mut known_ids = std::collections::HashSet::new();
        let mut by_email = HashMap::new();
        for (column, values) in
            [("id", ids.iter().map(|s| s.to_string()).collect()), ("email", emails)]
        {
            let values: Vec<String> = values;
            for chunk in values.chunks(500) {
                let marks: Vec<String> = (1..=chunk.len()).map(|i| format!("${i}")).collect();
                let sql =
                    format!("SELECT id, email FROM users WHERE {column} IN ({})", marks.join(", "));
                let mut q = sqlx::query_as::<_, (String, String)>(&sql);
                for v in chunk {
                    q = q.bind(v);
                }
                for (id, email) in q.fetch_all(&mut *tx).await? {
                    known_ids.insert(id.clone());
                    by_email.insert(email, id);
                }
            }
        }
        let mut first_index: HashMap<String, usize> = HashMap::new();
        let mut resolved = Vec::with_capacity(entries.len());
        for (index, (r, tags)) in entries.iter().enumerate() {
            let id = match r {
                UserRef::Id(id) => known_ids.contains(&id.0).then(|| id.0.clone()),
                UserRef::Email(e) => by_email.get(&e.trim().to_lowercase()).cloned(),
            };
            let id = id.ok_or(Error::BadEntry { index, problem: EntryProblem::NoSuchUser })?;
            if let Some(&first) = first_index.get(&id) {
                return Err(Error::BadEntry { index, problem: EntryProblem::SameUserAs(first) });
            }
            first_index.insert(id.clone(), index);
            resolved.push((UserId(id), tags));
        }
        for (id, tags) in &resolved {
            replace_tags(&mut tx, actor, id, tags).await?;
        }
        bump(&mut tx).await?;
        tx.commit().await?;
        Ok(resolved.len())
    }
}
