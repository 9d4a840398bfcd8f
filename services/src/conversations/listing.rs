//! Conversations and the listing they are about: closing them when the listing goes
//! (all but the chosen buyer's when it is sold), opening them again when it is back on
//! offer, and who wrote about it.

use super::{Affected, Conversations};
use crate::error::Result;
use marktchat_shared::chat::ClosedReason;
use marktchat_shared::conversation::Person;
use marktchat_shared::UserId;

impl Conversations<'_> {
    /// Closes the open conversations about a listing that went (archived and
    /// read-only for everyone), except the one with `keep` as its buyer (the person
    /// it was sold to). Returns the ones it closed.
    pub async fn close_for_listing(
        &self,
        listing_id: &str,
        reason: ClosedReason,
        keep: Option<&UserId>,
    ) -> Result<Vec<Affected>> {
        // '' matches no buyer: without `keep` every open conversation closes.
        let keep = keep.map_or("", |k| k.0.as_str());
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM conversations
             WHERE listing_id = $1 AND closed IS NULL AND COALESCE(buyer_id, '') <> $2",
        )
        .bind(listing_id)
        .bind(keep)
        .fetch_all(self.db.pool())
        .await?;
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut tx = self.db.begin().await?;
        sqlx::query(
            "UPDATE conversations SET closed = $2
             WHERE listing_id = $1 AND closed IS NULL AND COALESCE(buyer_id, '') <> $3",
        )
        .bind(listing_id)
        .bind(reason.as_str())
        .bind(keep)
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE conversation_participants SET archived = 1
             WHERE conversation_id IN (SELECT id FROM conversations
                                       WHERE listing_id = $1 AND closed IS NOT NULL)",
        )
        .bind(listing_id)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        self.affected(ids).await
    }

    /// Opens the conversations of a listing that is on offer again. They stay in the
    /// archive of whoever has them there.
    pub async fn reopen_for_listing(&self, listing_id: &str) -> Result<Vec<Affected>> {
        let ids: Vec<(String,)> = sqlx::query_as(
            "SELECT id FROM conversations WHERE listing_id = $1 AND closed IS NOT NULL",
        )
        .bind(listing_id)
        .fetch_all(self.db.pool())
        .await?;
        sqlx::query("UPDATE conversations SET closed = NULL WHERE listing_id = $1")
            .bind(listing_id)
            .execute(self.db.pool())
            .await?;
        self.affected(ids).await
    }

    /// Every conversation about the listing, open or closed, with who is in it (to
    /// tell them the listing changed).
    pub async fn about_listing(&self, listing_id: &str) -> Result<Vec<Affected>> {
        let ids: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM conversations WHERE listing_id = $1 ORDER BY id")
                .bind(listing_id)
                .fetch_all(self.db.pool())
                .await?;
        self.affected(ids).await
    }

    /// Who wrote to the seller about the listing (each once, by name): the people it
    /// can be marked sold to.
    pub async fn buyers(&self, listing_id: &str) -> Result<Vec<Person>> {
        let rows: Vec<(String, Option<String>)> = sqlx::query_as(
            "SELECT c.buyer_id, u.display_name FROM conversations c
             LEFT JOIN users u ON u.id = c.buyer_id
             WHERE c.listing_id = $1 AND c.buyer_id IS NOT NULL
             ORDER BY c.created_at, c.id",
        )
        .bind(listing_id)
        .fetch_all(self.db.pool())
        .await?;
        let mut people: Vec<Person> = Vec::new();
        for (id, name) in rows {
            if !people.iter().any(|p| p.id.0 == id) {
                people.push(Person { id: UserId(id), name });
            }
        }
        Ok(people)
    }
}
