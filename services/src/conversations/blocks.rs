//! Blocks: a block stops messages both ways between two people, in every
//! conversation they share, and keeps the blocked one from starting a new one.

use super::{Affected, Conversations};
use crate::clock::now;
use crate::error::{Error, Result};
use marktchat_shared::chat::ConversationId;
use marktchat_shared::conversation::Person;
use marktchat_shared::UserId;

impl Conversations<'_> {
    /// Whether `user` and someone else in the conversation are blocked, either way
    /// round (a block stops messages both ways).
    pub(super) async fn blocked_in(&self, user: &UserId, id: &ConversationId) -> Result<bool> {
        let row: Option<(i64,)> = sqlx::query_as(
            "SELECT 1 FROM blocks b JOIN conversation_participants p
               ON p.conversation_id = $1 AND p.left_at IS NULL AND p.user_id <> $2
             WHERE (b.blocker_id = p.user_id AND b.blocked_id = $2)
                OR (b.blocker_id = $2 AND b.blocked_id = p.user_id)",
        )
        .bind(&id.0)
        .bind(&user.0)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.is_some())
    }

    /// `blocker` blocks `blocked`: from now on `blocked` cannot write in any
    /// conversation `blocker` is in, nor start one with them. Returns the conversations
    /// they share (their pages change).
    pub async fn block(&self, blocker: &UserId, blocked: &UserId) -> Result<Vec<Affected>> {
        if blocker == blocked {
            return Err(Error::NotFound);
        }
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
            .bind(&blocked.0)
            .fetch_optional(self.db.pool())
            .await?;
        exists.ok_or(Error::NotFound)?;
        let inserted = sqlx::query(
            "INSERT INTO blocks (blocker_id, blocked_id, created_at) VALUES ($1, $2, $3)
             ON CONFLICT (blocker_id, blocked_id) DO NOTHING",
        )
        .bind(&blocker.0)
        .bind(&blocked.0)
        .bind(now().millis())
        .execute(self.db.pool())
        .await?;
        let _ = inserted;
        self.shared_conversations(blocker, blocked).await
    }

    /// Lifts a block. Returns the conversations the two share.
    pub async fn unblock(&self, blocker: &UserId, blocked: &UserId) -> Result<Vec<Affected>> {
        sqlx::query("DELETE FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
            .bind(&blocker.0)
            .bind(&blocked.0)
            .execute(self.db.pool())
            .await?;
        self.shared_conversations(blocker, blocked).await
    }

    /// The people `user` blocked, by name.
    pub async fn blocked_by(&self, user: &UserId) -> Result<Vec<Person>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT u.id, u.display_name FROM blocks b JOIN users u ON u.id = b.blocked_id
             WHERE b.blocker_id = $1 ORDER BY u.name_key, u.id",
        )
        .bind(&user.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(id, name)| Person { id: UserId(id), name: Some(name) }).collect())
    }

    /// Whether `blocker` blocked `blocked`.
    pub async fn has_blocked(&self, blocker: &UserId, blocked: &UserId) -> Result<bool> {
        let row: Option<(i64,)> =
            sqlx::query_as("SELECT 1 FROM blocks WHERE blocker_id = $1 AND blocked_id = $2")
                .bind(&blocker.0)
                .bind(&blocked.0)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(row.is_some())
    }

    async fn shared_conversations(&self, a: &UserId, b: &UserId) -> Result<Vec<Affected>> {
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT pa.conversation_id FROM conversation_participants pa
             JOIN conversation_participants pb
               ON pb.conversation_id = pa.conversation_id AND pb.user_id = $2
             WHERE pa.user_id = $1 AND pa.left_at IS NULL AND pb.left_at IS NULL",
        )
        .bind(&a.0)
        .bind(&b.0)
        .fetch_all(self.db.pool())
        .await?;
        self.affected(ids).await
    }
}
