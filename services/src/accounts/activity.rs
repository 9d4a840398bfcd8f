//! What others see of someone's activity: "last active" and "answers usually within",
//! each as far as the person allows (the profile's privacy settings).

use super::{Accounts, REPLY_SAMPLE};
use crate::clock::now;
use crate::error::{Error, Result};
use marktchat_shared::{Activity, LastActive, ReplyTime, Timestamp, UserId};

impl Accounts<'_> {
    /// What others may see of `id`'s activity: when they were last active and how soon
    /// they usually answer, each as far as they allow. The reply times are their last
    /// [`REPLY_SAMPLE`] answers: a message of theirs right after someone else's, in the
    /// same conversation (found through the messages' sender index).
    pub async fn activity(&self, id: &UserId) -> Result<Activity> {
        let row: Option<(Option<i64>, i64, i64)> = sqlx::query_as(
            "SELECT last_active_at, show_last_active, show_reply_time FROM users WHERE id = $1",
        )
        .bind(&id.0)
        .fetch_optional(self.db.pool())
        .await?;
        let (last_active_at, show_last_active, show_reply_time) = row.ok_or(Error::NotFound)?;
        self.activity_from(
            id,
            ActivityColumns { last_active_at, show_last_active, show_reply_time },
        )
        .await
    }

    /// [`activity`](Self::activity) from its columns, read with the rest of a profile.
    pub(super) async fn activity_from(&self, id: &UserId, c: ActivityColumns) -> Result<Activity> {
        let last_active = c
            .last_active_at
            .filter(|_| c.show_last_active != 0)
            .map(|at| LastActive::since(Timestamp(at), now()));
        let reply_time = if c.show_reply_time != 0 {
            let delays: Vec<(i64,)> = sqlx::query_as(
                "SELECT m.created_at - p.created_at FROM messages m
                 JOIN messages p ON p.conversation_id = m.conversation_id AND p.seq = m.seq - 1
                 WHERE m.sender_id = $1 AND m.kind = 'text'
                   AND p.sender_id <> $1 AND p.kind = 'text'
                 ORDER BY m.created_at DESC LIMIT $2",
            )
            .bind(&id.0)
            .bind(REPLY_SAMPLE)
            .fetch_all(self.db.pool())
            .await?;
            ReplyTime::from_delays(delays.into_iter().map(|d| d.0).collect())
        } else {
            None
        };
        Ok(Activity { last_active, reply_time })
    }
}

/// The `users` columns activity is made of.
#[derive(sqlx::FromRow)]
pub(super) struct ActivityColumns {
    pub last_active_at: Option<i64>,
    pub show_last_active: i64,
    pub show_reply_time: i64,
}
