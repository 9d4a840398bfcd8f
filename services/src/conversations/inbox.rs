//! The inbox (one tab, newest activity first) and the unread counts of the header
//! badge.

use super::{closed_from_row, placeholders, Conversations, ListingColumns, INBOX_LIMIT};
use super::{LISTING_COLUMNS, LISTING_JOINS};
use crate::error::Result;
use marktchat_shared::chat::ConversationId;
use marktchat_shared::conversation::{
    inbox_search_pattern, InboxEntry, InboxFilter, InboxTab, LastMessage, Person,
};
use marktchat_shared::{Timestamp, UserId};

/// The inbox's search, over one conversation `c` as participant `p` sees it: the
/// listing's title, the others' names, and the text of the messages `p` can read.
/// `$4` is the pattern (`shared::conversation::inbox_search_pattern`). Every part
/// walks an index from the conversation (participants by conversation, messages by
/// their conversation and number), so a search costs what the person's own
/// conversations hold, whatever the size of the whole installation: no index over
/// all messages' words, which every message sent would have to update.
const SEARCH: &str = "(LOWER(COALESCE(l.title, c.listing_title, '')) LIKE $4 ESCAPE '\\'
    OR EXISTS (SELECT 1 FROM conversation_participants o JOIN users u ON u.id = o.user_id
               WHERE o.conversation_id = c.id AND o.user_id <> p.user_id
                 AND LOWER(u.display_name) LIKE $4 ESCAPE '\\')
    OR EXISTS (SELECT 1 FROM messages s
               WHERE s.conversation_id = c.id AND s.seq > p.cleared_seq AND s.kind = 'text'
                 AND LOWER(s.body) LIKE $4 ESCAPE '\\'))";

impl Conversations<'_> {
    /// One inbox tab, newest activity first (at most [`INBOX_LIMIT`] rows).
    pub async fn inbox(&self, user: &UserId, tab: InboxTab) -> Result<Vec<InboxEntry>> {
        self.inbox_filtered(user, &InboxFilter { tab, ..Default::default() }).await
    }

    /// The inbox as `filter` narrows it: one query, newest activity first (at most
    /// [`INBOX_LIMIT`] rows).
    pub async fn inbox_filtered(
        &self,
        user: &UserId,
        filter: &InboxFilter,
    ) -> Result<Vec<InboxEntry>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            closed: Option<String>,
            last_seq: i64,
            last_activity: i64,
            last_read_seq: i64,
            cleared_seq: i64,
            muted: i64,
            last_sender: Option<String>,
            last_body: Option<String>,
            last_at: Option<i64>,
            last_kind: Option<String>,
            #[sqlx(flatten)]
            listing: ListingColumns,
        }
        let pattern = inbox_search_pattern(&filter.words);
        let sql = format!(
            "SELECT c.id, c.closed, c.last_seq, c.last_activity, p.last_read_seq, p.cleared_seq,
                    p.muted, m.sender_id AS last_sender, m.body AS last_body,
                    m.created_at AS last_at, m.kind AS last_kind,
                    {LISTING_COLUMNS}
             FROM conversation_participants p
             JOIN conversations c ON c.id = p.conversation_id
             {LISTING_JOINS}
             LEFT JOIN messages m ON m.conversation_id = c.id AND m.seq = c.last_seq
                                 AND m.seq > p.cleared_seq
             WHERE p.user_id = $1 AND p.left_at IS NULL AND p.deleted = 0 AND p.archived = $2
               AND c.last_seq > 0 {unread} {search}
             ORDER BY c.last_activity DESC, c.id DESC
             LIMIT $3",
            unread = if filter.unread_only {
                "AND c.last_seq > p.last_read_seq AND c.last_seq > p.cleared_seq"
            } else {
                ""
            },
            search = if pattern.is_some() { format!("AND {SEARCH}") } else { String::new() },
        );
        let mut query = sqlx::query_as::<_, Row>(&sql)
            .bind(&user.0)
            .bind(i64::from(filter.tab == InboxTab::Archived))
            .bind(INBOX_LIMIT as i64);
        if let Some(pattern) = &pattern {
            query = query.bind(pattern);
        }
        let rows = query.fetch_all(self.db.pool()).await?;
        if rows.is_empty() {
            return Ok(Vec::new());
        }
        let sql = format!(
            "SELECT p.conversation_id, p.user_id, u.display_name, p.left_at
             FROM conversation_participants p LEFT JOIN users u ON u.id = p.user_id
             WHERE p.conversation_id IN ({}) AND p.user_id <> $1
             ORDER BY p.joined_at, p.user_id",
            placeholders(2, rows.len())
        );
        let mut query = sqlx::query_as(&sql).bind(&user.0);
        for r in &rows {
            query = query.bind(&r.id);
        }
        let people: Vec<(String, String, Option<String>, Option<i64>)> =
            query.fetch_all(self.db.pool()).await?;
        rows.into_iter()
            .map(|r| {
                let mine = people.iter().filter(|p| p.0 == r.id);
                let present: Vec<Person> = mine
                    .clone()
                    .filter(|p| p.3.is_none())
                    .map(|p| Person { id: UserId(p.1.clone()), name: p.2.clone() })
                    .collect();
                let others = if present.is_empty() {
                    mine.map(|p| Person { id: UserId(p.1.clone()), name: p.2.clone() }).collect()
                } else {
                    present
                };
                let last_message = match (r.last_sender, r.last_body, r.last_at) {
                    (Some(sender), Some(text), Some(at)) => Some(LastMessage {
                        from_me: sender == user.0,
                        text,
                        sent_at: Timestamp(at),
                        notice: r.last_kind.is_some_and(|k| k != "text"),
                    }),
                    _ => None,
                };
                Ok(InboxEntry {
                    closed: closed_from_row(&r.id, r.closed.as_deref())?,
                    conversation: ConversationId(r.id),
                    listing: r.listing.into_ref(),
                    others,
                    last_message,
                    unread: (r.last_seq - r.last_read_seq.max(r.cleared_seq)).max(0) as u64,
                    last_activity: Timestamp(r.last_activity),
                    muted: r.muted != 0,
                })
            })
            .collect()
    }

    /// Unread messages over all the user's conversations that are not muted: the
    /// header badge.
    pub async fn unread_total(&self, user: &UserId) -> Result<u64> {
        self.unread_total_reading(user, None).await
    }

    /// [`unread_total`](Self::unread_total) as it is once `reading` (the conversation a
    /// page shows from its newest message on, and so marks read) is read.
    pub async fn unread_total_reading(
        &self,
        user: &UserId,
        reading: Option<&ConversationId>,
    ) -> Result<u64> {
        // '' is no conversation's id: without `reading` every conversation counts.
        let row: (Option<i64>,) = sqlx::query_as(
            "SELECT CAST(SUM(c.last_seq - p.last_read_seq) AS BIGINT)
             FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
             WHERE p.user_id = $1 AND p.left_at IS NULL AND p.muted = 0
               AND c.last_seq > p.last_read_seq AND c.id <> $2",
        )
        .bind(&user.0)
        .bind(reading.map_or("", |c| c.0.as_str()))
        .fetch_one(self.db.pool())
        .await?;
        Ok(row.0.unwrap_or(0).max(0) as u64)
    }

    /// The conversations `user` muted (their messages do not count in the badge).
    pub async fn muted(&self, user: &UserId) -> Result<std::collections::HashSet<ConversationId>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT conversation_id FROM conversation_participants
             WHERE user_id = $1 AND muted = 1 AND left_at IS NULL",
        )
        .bind(&user.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|r| ConversationId(r.0)).collect())
    }
}
