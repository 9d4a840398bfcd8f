//! Conversations: starting them (about a listing or directly), messages with their
//! per-conversation sequence numbers, history, read marks, the per-person flags
//! (archived, deleted for me, muted), participants, blocks, and closing the
//! conversations of a listing that went.
//!
//! Only participants see a conversation; for everyone else it does not exist
//! (`NotFound`). Every function here is one or a few statements; publishing the
//! resulting live events is the caller's job ([`crate::Services`]).

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result, Unique};
use marktchat_shared::chat::{
    ChatMessage, ClientMessageId, ClosedReason, ConversationId, MessageKind, MessageText, Seq,
};
use marktchat_shared::conversation::ListingRef;
use marktchat_shared::listing::{ImageRef, ListingStatus};
use marktchat_shared::{Timestamp, UserId};

/// How many messages a history page holds.
pub const HISTORY_PAGE: usize = 50;
/// How many conversations one inbox tab lists.
pub const INBOX_LIMIT: usize = 200;
/// How many people a conversation may have.
pub const MAX_PARTICIPANTS: usize = 20;

/// What a new conversation is about.
#[derive(Debug, Clone)]
pub enum About {
    /// A listing: the actor is the buyer, the listing's seller the other side.
    Listing(String),
    /// A direct conversation with this person.
    Person(UserId),
}

/// A message as stored, and whom it concerns.
#[derive(Debug, Clone)]
pub struct Sent {
    pub message: ChatMessage,
    /// Everyone currently in the conversation, the sender included.
    pub participants: Vec<UserId>,
    /// `false` when the client id was already used: the stored message is returned
    /// and nothing new was stored.
    pub stored_now: bool,
}

/// A change that concerns the people of one conversation.
#[derive(Debug, Clone)]
pub struct Affected {
    pub conversation: ConversationId,
    pub participants: Vec<UserId>,
}

pub struct Conversations<'a> {
    db: &'a Database,
    /// The group-commit writer for messages, when the server runs one.
    appender: Option<&'a append::Appender>,
}

#[derive(sqlx::FromRow)]
struct MessageRow {
    conversation_id: String,
    seq: i64,
    client_id: String,
    sender_id: String,
    sender_exists: Option<String>,
    body: String,
    created_at: i64,
    kind: String,
    subject_id: Option<String>,
}

impl MessageRow {
    fn into_message(self) -> Result<ChatMessage> {
        let unreadable = |what: &str| {
            Error::inconsistent(format!(
                "message {}/{} has an unreadable {what}",
                self.conversation_id, self.seq
            ))
        };
        let kind = MessageKind::from_row(&self.kind, self.subject_id.clone())
            .ok_or_else(|| unreadable("kind"))?;
        Ok(ChatMessage {
            client_id: ClientMessageId::parse(&self.client_id).map_err(|_| unreadable("id"))?,
            text: MessageText::parse(&self.body).map_err(|_| unreadable("text"))?,
            sender: self.sender_exists.map(|_| UserId(self.sender_id)),
            conversation: ConversationId(self.conversation_id),
            seq: Seq(self.seq.max(0) as u64),
            sent_at: Timestamp(self.created_at),
            kind,
        })
    }
}

const MESSAGE_COLUMNS: &str = "m.conversation_id, m.seq, m.client_id, m.sender_id,
    u.id AS sender_exists, m.body, m.created_at, m.kind, m.subject_id";

/// What decides whether someone may write in a conversation now.
struct Writing {
    /// Everyone in it now (the writer too), in the order they joined.
    participants: Vec<UserId>,
    closed: bool,
    listing_id: Option<String>,
    /// The writer and someone else in it are blocked, either way round.
    blocked: bool,
}

/// The viewer's own row of a conversation.
#[derive(sqlx::FromRow)]
struct Membership {
    last_read_seq: i64,
    cleared_seq: i64,
    archived: i64,
    muted: i64,
    closed: Option<String>,
    last_seq: i64,
    listing_id: Option<String>,
    seller_id: Option<String>,
}

#[derive(sqlx::FromRow)]
struct ListingColumns {
    listing_id: Option<String>,
    listing_title: Option<String>,
    listing_status: Option<String>,
    price_kind: Option<String>,
    price_cents: Option<i64>,
    cover_hash: Option<String>,
    cover_width: Option<i64>,
    cover_height: Option<i64>,
}

impl ListingColumns {
    fn into_ref(self) -> Option<ListingRef> {
        let id = self.listing_id?;
        Some(ListingRef {
            title: self.listing_title.unwrap_or_default(),
            status: self.listing_status.as_deref().and_then(ListingStatus::parse),
            price: self
                .price_kind
                .as_deref()
                .and_then(|kind| crate::listings::price_from_row(&id, kind, self.price_cents).ok()),
            cover: match (self.cover_hash, self.cover_width, self.cover_height) {
                (Some(hash), Some(w), Some(h)) => {
                    Some(ImageRef { hash, width: w.max(0) as u32, height: h.max(0) as u32 })
                }
                _ => None,
            },
            id,
        })
    }
}

/// The listing columns of a conversation `c` (listing `l`, first image `i`).
const LISTING_COLUMNS: &str = "c.listing_id, COALESCE(l.title, c.listing_title) AS listing_title,
    l.status AS listing_status, l.price_kind, l.price_cents, i.hash AS cover_hash,
    i.width AS cover_width,
    i.height AS cover_height";
const LISTING_JOINS: &str = "LEFT JOIN listings l ON l.id = c.listing_id
    LEFT JOIN listing_images i ON i.listing_id = c.listing_id AND i.position = 0";

fn closed_from_row(id: &str, closed: Option<&str>) -> Result<Option<ClosedReason>> {
    closed
        .map(|c| {
            ClosedReason::parse(c).ok_or_else(|| {
                Error::inconsistent(format!(
                    "conversation {id} is closed for an unknown reason {c}"
                ))
            })
        })
        .transpose()
}

fn seq(n: i64) -> Seq {
    Seq(n.max(0) as u64)
}

/// `$first, $first+1, …` for `n` values.
fn placeholders(first: usize, n: usize) -> String {
    (first..first + n).map(|i| format!("${i}")).collect::<Vec<_>>().join(", ")
}

impl<'a> Conversations<'a> {
    /// Conversations that store each message in its own transaction.
    pub fn new(db: &'a Database) -> Self {
        Conversations { db, appender: None }
    }

    /// Conversations whose messages go through the group-commit writer.
    pub fn with_appender(db: &'a Database, appender: &'a append::Appender) -> Self {
        Conversations { db, appender: Some(appender) }
    }

    /// The conversation `actor` already has about `about`, if any.
    pub async fn existing(&self, actor: &UserId, about: &About) -> Result<Option<ConversationId>> {
        let row: Option<(String,)> = match about {
            About::Listing(listing) => {
                sqlx::query_as(
                    "SELECT c.id FROM conversations c
                     JOIN conversation_participants p
                       ON p.conversation_id = c.id AND p.user_id = c.buyer_id
                     WHERE c.listing_id = $1 AND c.buyer_id = $2 AND p.left_at IS NULL",
                )
                .bind(listing)
                .bind(&actor.0)
                .fetch_optional(self.db.pool())
                .await?
            }
            About::Person(other) => {
                sqlx::query_as(
                    "SELECT c.id FROM conversations c
                     JOIN conversation_participants p
                       ON p.conversation_id = c.id AND p.user_id = $2
                     WHERE c.direct_key = $1 AND p.left_at IS NULL",
                )
                .bind(direct_key(actor, other))
                .bind(&actor.0)
                .fetch_optional(self.db.pool())
                .await?
            }
        };
        Ok(row.map(|r| ConversationId(r.0)))
    }

    /// Finds or creates the conversation of `actor` about `about`. A listing must be
    /// on offer and not the actor's own; the other person must exist, and
    /// [`may_start_conversation`](Self::may_start_conversation) must allow it.
    /// Refusals: `NotFound` (no such listing or person), `CannotMessage`.
    pub async fn find_or_start(&self, actor: &UserId, about: &About) -> Result<ConversationId> {
        let (other, listing) = match about {
            About::Listing(listing_id) => {
                let row: Option<(String, String, String)> =
                    sqlx::query_as("SELECT seller_id, title, status FROM listings WHERE id = $1")
                        .bind(listing_id)
                        .fetch_optional(self.db.pool())
                        .await?;
                let (seller, title, status) = row.ok_or(Error::NotFound)?;
                if !ListingStatus::parse(&status).is_some_and(|s| s.is_public()) {
                    return Err(Error::NotFound);
                }
                (UserId(seller), Some((listing_id.clone(), title)))
            }
            About::Person(other) => {
                let exists: Option<(String,)> =
                    sqlx::query_as("SELECT id FROM users WHERE id = $1")
                        .bind(&other.0)
                        .fetch_optional(self.db.pool())
                        .await?;
                exists.ok_or(Error::NotFound)?;
                (other.clone(), None)
            }
        };
        // A conversation that exists is never judged again (`send` still refuses
        // blocked pairs).
        if let Some(id) = self.existing(actor, about).await? {
            return Ok(id);
        }
        if !self.may_start_conversation(actor, &other).await? {
            return Err(Error::CannotMessage);
        }
        let id = ConversationId(uuid::Uuid::new_v4().to_string());
        let at = now().millis();
        let mut tx = self.db.begin().await?;
        let inserted =
            match &listing {
                Some((listing_id, title)) => sqlx::query(
                    "INSERT INTO conversations (id, listing_id, listing_title, buyer_id, seller_id,
                                                last_activity, created_at)
                     VALUES ($1, $2, $3, $4, $5, $6, $6)",
                )
                .bind(&id.0)
                .bind(listing_id)
                .bind(title)
                .bind(&actor.0)
                .bind(&other.0)
                .bind(at)
                .execute(&mut *tx)
                .await,
                None => {
                    sqlx::query(
                        "INSERT INTO conversations (id, direct_key, last_activity, created_at)
                     VALUES ($1, $2, $3, $3)",
                    )
                    .bind(&id.0)
                    .bind(direct_key(actor, &other))
                    .bind(at)
                    .execute(&mut *tx)
                    .await
                }
            };
        match inserted {
            Ok(_) => {}
            Err(e)
                if matches!(
                    Unique::violated_by(&e),
                    Some(Unique::ListingConversation | Unique::DirectConversation)
                ) =>
            {
                // Started at the same moment elsewhere, or the actor had left it: join
                // the existing one again.
                drop(tx);
                return self.rejoin(actor, about).await;
            }
            Err(e) => return Err(e.into()),
        }
        for user in [actor, &other] {
            sqlx::query(
                "INSERT INTO conversation_participants (conversation_id, user_id, joined_at)
                 VALUES ($1, $2, $3)",
            )
            .bind(&id.0)
            .bind(&user.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(id)
    }

    /// The actor comes back to the one conversation about `about` they had left.
    async fn rejoin(&self, actor: &UserId, about: &About) -> Result<ConversationId> {
        let row: Option<(String,)> = match about {
            About::Listing(listing) => {
                sqlx::query_as(
                    "SELECT id FROM conversations WHERE listing_id = $1 AND buyer_id = $2",
                )
                .bind(listing)
                .bind(&actor.0)
                .fetch_optional(self.db.pool())
                .await?
            }
            About::Person(other) => {
                sqlx::query_as("SELECT id FROM conversations WHERE direct_key = $1")
                    .bind(direct_key(actor, other))
                    .fetch_optional(self.db.pool())
                    .await?
            }
        };
        let id =
            row.ok_or_else(|| Error::inconsistent("a conversation vanished while starting"))?.0;
        sqlx::query(
            "UPDATE conversation_participants SET left_at = NULL, deleted = 0, archived = 0
             WHERE conversation_id = $1 AND user_id = $2",
        )
        .bind(&id)
        .bind(&actor.0)
        .execute(self.db.pool())
        .await?;
        Ok(ConversationId(id))
    }

    /// The viewer's row, if they are in the conversation now.
    async fn membership(&self, user: &UserId, id: &ConversationId) -> Result<Membership> {
        let row: Option<Membership> = sqlx::query_as(
            "SELECT p.last_read_seq, p.cleared_seq, p.archived, p.muted, c.closed, c.last_seq,
                    c.listing_id, c.seller_id
             FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
             WHERE p.conversation_id = $1 AND p.user_id = $2 AND p.left_at IS NULL",
        )
        .bind(&id.0)
        .bind(&user.0)
        .fetch_optional(self.db.pool())
        .await?;
        row.ok_or(Error::NotFound)
    }

    /// Everyone in the conversation now.
    pub async fn participants(&self, id: &ConversationId) -> Result<Vec<UserId>> {
        let rows: Vec<(String,)> = sqlx::query_as(
            "SELECT user_id FROM conversation_participants
             WHERE conversation_id = $1 AND left_at IS NULL ORDER BY joined_at, user_id",
        )
        .bind(&id.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows.into_iter().map(|r| UserId(r.0)).collect())
    }

    /// Stores a message from `sender`, or returns the one already stored under the same
    /// client id (the database's unique key finds it: a first send pays no extra query).
    /// Refusals: `NotFound` (not a participant), `ReadOnly` (the listing
    /// went), `CannotMessage` (blocked, or nobody else is left).
    pub async fn send(
        &self,
        sender: &UserId,
        id: &ConversationId,
        client_id: &ClientMessageId,
        text: &MessageText,
    ) -> Result<Sent> {
        let w = self.writing(sender, id).await?;
        if w.closed {
            // A resend of a message stored before the conversation closed is still answered.
            return match self.already_sent(sender, id, client_id).await? {
                Some(sent) => Ok(sent),
                None => Err(Error::ReadOnly),
            };
        }
        let recipients: Vec<&str> =
            w.participants.iter().filter(|p| *p != sender).map(|p| p.0.as_str()).collect();
        if recipients.is_empty() || w.blocked {
            return match self.already_sent(sender, id, client_id).await? {
                Some(sent) => Ok(sent),
                None => Err(Error::CannotMessage),
            };
        }
        let listing_id = w.listing_id.clone();
        let participants = w.participants.clone();
        let new = append::NewMessage {
            conversation: id.clone(),
            sender: sender.clone(),
            client_id: client_id.clone(),
            text: text.as_str().to_owned(),
            recipients: recipients.join(" "),
            listing_id,
        };
        let appended = match self.appender {
            Some(appender) => appender.append(new).await?,
            None => append::store(self.db, &[&new]).await?.remove(0),
        };
        match appended {
            append::Appended::Stored(seq, at) => Ok(Sent {
                message: ChatMessage {
                    conversation: id.clone(),
                    seq,
                    client_id: client_id.clone(),
                    sender: Some(sender.clone()),
                    text: text.clone(),
                    sent_at: at,
                    kind: Default::default(),
                },
                participants,
                stored_now: true,
            }),
            // A resend (or the same message twice at the same moment): nothing new is
            // stored, the stored one is the answer.
            append::Appended::AlreadyThere => self
                .already_sent(sender, id, client_id)
                .await?
                .ok_or_else(|| Error::inconsistent("a message vanished while sending")),
            append::Appended::Closed => Err(Error::ReadOnly),
        }
    }

    /// Who a typing notice of `user` goes to: the others in the conversation, or nobody
    /// while `user` may not write there (closed, blocked). `NotFound` when `user` is
    /// not in it. Asked for every notice (a few seconds apart), so a block or a leave
    /// stops them at once.
    pub async fn typing_recipients(
        &self,
        user: &UserId,
        id: &ConversationId,
    ) -> Result<Vec<UserId>> {
        let w = self.writing(user, id).await?;
        if w.closed || w.blocked {
            return Ok(Vec::new());
        }
        Ok(w.participants.into_iter().filter(|p| p != user).collect())
    }

    /// Who is in the conversation, its state, and whether anyone in it blocked
    /// `sender`: one query. `NotFound` when `sender` is not in it.
    async fn writing(&self, sender: &UserId, id: &ConversationId) -> Result<Writing> {
        #[derive(sqlx::FromRow)]
        struct Row {
            user_id: String,
            closed: Option<String>,
            listing_id: Option<String>,
            blocked_pair: i64,
        }
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT p.user_id, c.closed, c.listing_id,
                    CAST(CASE WHEN EXISTS (SELECT 1 FROM blocks b
                                           WHERE (b.blocker_id = p.user_id AND b.blocked_id = $2)
                                              OR (b.blocker_id = $2 AND b.blocked_id = p.user_id))
                         THEN 1 ELSE 0 END AS BIGINT) AS blocked_pair
             FROM conversation_participants p JOIN conversations c ON c.id = p.conversation_id
             WHERE p.conversation_id = $1 AND p.left_at IS NULL
             ORDER BY p.joined_at, p.user_id",
        )
        .bind(&id.0)
        .bind(&sender.0)
        .fetch_all(self.db.pool())
        .await?;
        let Some(me) = rows.iter().find(|r| r.user_id == sender.0) else {
            return Err(Error::NotFound);
        };
        Ok(Writing {
            closed: me.closed.is_some(),
            listing_id: me.listing_id.clone(),
            blocked: rows.iter().any(|r| r.user_id != sender.0 && r.blocked_pair != 0),
            participants: rows.into_iter().map(|r| UserId(r.user_id)).collect(),
        })
    }

    /// The message `sender` already stored under `client_id`, if any. The id belongs
    /// to another conversation: `Invalid` (a client bug, not a resend).
    pub(crate) async fn already_sent(
        &self,
        sender: &UserId,
        id: &ConversationId,
        client_id: &ClientMessageId,
    ) -> Result<Option<Sent>> {
        let row: Option<MessageRow> = sqlx::query_as(&format!(
            "SELECT {MESSAGE_COLUMNS} FROM messages m LEFT JOIN users u ON u.id = m.sender_id
             WHERE m.sender_id = $1 AND m.client_id = $2"
        ))
        .bind(&sender.0)
        .bind(client_id.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else { return Ok(None) };
        if row.conversation_id != id.0 {
            return Err(Error::invalid(marktchat_shared::Field::Message)(
                marktchat_shared::Invalid::Duplicate,
            ));
        }
        Ok(Some(Sent {
            message: row.into_message()?,
            participants: self.participants(id).await?,
            stored_now: false,
        }))
    }

    /// Marks everything up to `up_to` read (never backwards, never past the newest
    /// message). Returns the new mark when it moved.
    pub async fn mark_read(
        &self,
        user: &UserId,
        id: &ConversationId,
        up_to: Seq,
    ) -> Result<Option<Seq>> {
        let me = self.membership(user, id).await?;
        let up_to = (up_to.0.min(i64::MAX as u64) as i64).min(me.last_seq);
        if up_to <= me.last_read_seq {
            return Ok(None);
        }
        let done = sqlx::query(
            "UPDATE conversation_participants SET last_read_seq = $3
             WHERE conversation_id = $1 AND user_id = $2 AND last_read_seq < $3",
        )
        .bind(&id.0)
        .bind(&user.0)
        .bind(up_to)
        .execute(self.db.pool())
        .await?;
        Ok((done.rows_affected() > 0).then_some(seq(up_to)))
    }

    /// Archives or unarchives the conversation for `user` only.
    pub async fn set_archived(&self, user: &UserId, id: &ConversationId, on: bool) -> Result<()> {
        self.set_flag(user, id, "archived", on).await
    }

    /// Mutes or unmutes (muted conversations do not count in the unread badge and do
    /// not notify).
    pub async fn set_muted(&self, user: &UserId, id: &ConversationId, on: bool) -> Result<()> {
        self.set_flag(user, id, "muted", on).await
    }

    async fn set_flag(
        &self,
        user: &UserId,
        id: &ConversationId,
        flag: &str,
        on: bool,
    ) -> Result<()> {
        debug_assert!(matches!(flag, "archived" | "muted"));
        let done = sqlx::query(&format!(
            "UPDATE conversation_participants SET {flag} = $3
             WHERE conversation_id = $1 AND user_id = $2 AND left_at IS NULL"
        ))
        .bind(&id.0)
        .bind(&user.0)
        .bind(i64::from(on))
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }

    /// "Delete for me": the conversation leaves the user's inbox and its history so far
    /// is gone for them; the others keep theirs. A new message brings it back, with
    /// only what came after.
    pub async fn delete_for_me(&self, user: &UserId, id: &ConversationId) -> Result<()> {
        let done = sqlx::query(
            "UPDATE conversation_participants
             SET deleted = 1, archived = 0,
                 cleared_seq = (SELECT last_seq FROM conversations WHERE id = $1),
                 last_read_seq = (SELECT last_seq FROM conversations WHERE id = $1)
             WHERE conversation_id = $1 AND user_id = $2 AND left_at IS NULL",
        )
        .bind(&id.0)
        .bind(&user.0)
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        Ok(())
    }
}

/// The key of the direct conversation between two people (the same both ways).
fn direct_key(a: &UserId, b: &UserId) -> String {
    if a.0 <= b.0 {
        format!("{}|{}", a.0, b.0)
    } else {
        format!("{}|{}", b.0, a.0)
    }
}

pub mod append;
mod blocks;
mod history;
mod inbox;
mod listing;
mod participants;
mod start;

pub use participants::PeopleChanged;
pub use start::{Refusal, WriteOption, MAX_TARGETS};

#[cfg(test)]
mod tests;
