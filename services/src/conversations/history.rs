//! Reading a conversation: a page of its history (the newest, or older ones), what a
//! client is missing after a sequence number, and whether a client's copy is the
//! database's history at all (after a restore it may not be).

use super::{closed_from_row, seq, Conversations, ListingColumns, MessageRow, HISTORY_PAGE};
use super::{LISTING_COLUMNS, LISTING_JOINS, MESSAGE_COLUMNS};
use crate::error::Result;
use marktchat_shared::chat::{ChatMessage, ClientMessageId, ConversationId, Seq};
use marktchat_shared::conversation::{ConversationView, Participant, Person};
use marktchat_shared::UserId;

impl Conversations<'_> {
    /// A conversation as `viewer` sees it: the newest messages, or those before
    /// `before` (older pages).
    pub async fn view(
        &self,
        viewer: &UserId,
        id: &ConversationId,
        before: Option<Seq>,
    ) -> Result<ConversationView> {
        let me = self.membership(viewer, id).await?;
        let listing: ListingColumns = sqlx::query_as(&format!(
            "SELECT {LISTING_COLUMNS} FROM conversations c {LISTING_JOINS} WHERE c.id = $1"
        ))
        .bind(&id.0)
        .fetch_one(self.db.pool())
        .await?;
        let people: Vec<(String, Option<String>, i64, Option<i64>)> = sqlx::query_as(
            "SELECT p.user_id, u.display_name, p.last_read_seq, p.left_at
             FROM conversation_participants p LEFT JOIN users u ON u.id = p.user_id
             WHERE p.conversation_id = $1 ORDER BY p.joined_at, p.user_id",
        )
        .bind(&id.0)
        .fetch_all(self.db.pool())
        .await?;
        let before = before.map_or(i64::MAX, |b| b.0.min(i64::MAX as u64) as i64);
        let mut rows: Vec<MessageRow> = sqlx::query_as(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.sender_id
             WHERE m.conversation_id = $1 AND m.seq > $2 AND m.seq < $3
             ORDER BY m.seq DESC LIMIT $4"
        ))
        .bind(&id.0)
        .bind(me.cleared_seq)
        .bind(before)
        .bind(HISTORY_PAGE as i64 + 1)
        .fetch_all(self.db.pool())
        .await?;
        let more_before = rows.len() > HISTORY_PAGE;
        rows.truncate(HISTORY_PAGE);
        rows.reverse();
        let messages = rows.into_iter().map(MessageRow::into_message).collect::<Result<_>>()?;
        let closed = closed_from_row(&id.0, me.closed.as_deref())?;
        let others_here = people.iter().any(|p| p.0 != viewer.0 && p.3.is_none());
        let can_send = closed.is_none() && others_here && !self.blocked_in(viewer, id).await?;
        Ok(ConversationView {
            id: id.clone(),
            listing: listing.into_ref(),
            participants: people
                .into_iter()
                .map(|(user, name, read, left)| Participant {
                    person: Person { id: UserId(user), name },
                    last_read: seq(read),
                    left: left.is_some(),
                })
                .collect(),
            messages,
            more_before,
            closed,
            archived: me.archived != 0,
            muted: me.muted != 0,
            can_send,
            selling: me.listing_id.is_some() && me.seller_id.as_deref() == Some(viewer.0.as_str()),
        })
    }

    /// Whether a client holding `id` up to `after`, the message there being `last`
    /// (when it says), holds the database's history: the database has a message at
    /// `after`, and it is that one. Not so after a restore from an older backup, where
    /// the numbers after the backup are given out again to other messages. `NotFound`
    /// when `viewer` is not in the conversation.
    pub async fn same_history(
        &self,
        viewer: &UserId,
        id: &ConversationId,
        after: Seq,
        last: Option<&ClientMessageId>,
    ) -> Result<bool> {
        self.membership(viewer, id).await?;
        if after == Seq(0) {
            return Ok(true);
        }
        let Ok(at) = i64::try_from(after.0) else { return Ok(false) };
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT client_id FROM messages WHERE conversation_id = $1 AND seq = $2",
        )
        .bind(&id.0)
        .bind(at)
        .fetch_optional(self.db.pool())
        .await?;
        Ok(match (row, last) {
            (None, _) => false,
            (Some(_), None) => true,
            (Some((stored,)), Some(last)) => stored == last.as_str(),
        })
    }

    /// The messages after `after` (at most `limit`), oldest first: what a client that
    /// has everything up to `after` is missing.
    pub async fn messages_after(
        &self,
        viewer: &UserId,
        id: &ConversationId,
        after: Seq,
        limit: usize,
    ) -> Result<Vec<ChatMessage>> {
        let me = self.membership(viewer, id).await?;
        let after = (after.0.min(i64::MAX as u64) as i64).max(me.cleared_seq);
        let rows: Vec<MessageRow> = sqlx::query_as(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.sender_id
             WHERE m.conversation_id = $1 AND m.seq > $2 ORDER BY m.seq LIMIT $3"
        ))
        .bind(&id.0)
        .bind(after)
        .bind(limit as i64)
        .fetch_all(self.db.pool())
        .await?;
        rows.into_iter().map(MessageRow::into_message).collect()
    }

    /// How far the other people still in `id` have read (those who read anything):
    /// what a page that opens its socket after loading may have missed. `NotFound`
    /// when `viewer` is not in the conversation.
    pub async fn read_marks(
        &self,
        viewer: &UserId,
        id: &ConversationId,
    ) -> Result<Vec<(UserId, Seq)>> {
        self.membership(viewer, id).await?;
        let rows: Vec<(String, i64)> = sqlx::query_as(
            "SELECT user_id, last_read_seq FROM conversation_participants
             WHERE conversation_id = $1 AND user_id <> $2 AND left_at IS NULL
               AND last_read_seq > 0
             ORDER BY user_id",
        )
        .bind(&id.0)
        .bind(&viewer.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|(user, read)| (UserId(user), seq(read))).collect())
    }
}
