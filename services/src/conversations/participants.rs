//! Who is in a conversation: adding someone to a direct conversation, leaving, and
//! leaving everything when an account is deleted. Each change is a notice in the
//! conversation's history (`MessageKind::Joined`, `MessageKind::Left`) that everyone
//! in it sees.

use super::{Affected, Conversations, MAX_PARTICIPANTS};
use crate::clock::now;
use crate::error::{Error, Result};
use marktchat_shared::chat::{
    ChatMessage, ClientMessageId, ClosedReason, ConversationId, MessageKind, MessageText, Seq,
};
use marktchat_shared::{Timestamp, UserId};

/// A change of who is in a conversation: everyone in it afterwards, and the notice in
/// its history that tells them (none when nothing changed).
#[derive(Debug, Clone)]
pub struct PeopleChanged {
    pub participants: Vec<UserId>,
    pub notice: Option<ChatMessage>,
}

/// Adds a notice to the conversation's history, next in its sequence, from `sender`
/// (the one who added someone, or who left). Whether the conversation is closed does
/// not matter: it tells what happened.
async fn insert_notice(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    id: &ConversationId,
    sender: &UserId,
    kind: MessageKind,
    at: i64,
) -> Result<ChatMessage> {
    let (next,): (i64,) = sqlx::query_as(
        "UPDATE conversations SET last_seq = last_seq + 1, last_activity = $2
         WHERE id = $1 RETURNING last_seq",
    )
    .bind(&id.0)
    .bind(at)
    .fetch_one(&mut **tx)
    .await?;
    let client_id = ClientMessageId::parse(&format!("notice-{}", uuid::Uuid::new_v4().simple()))
        .map_err(|_| Error::inconsistent("a notice's id is not a client message id"))?;
    let text = MessageText::parse(kind.fallback_text())
        .map_err(|_| Error::inconsistent("a notice's text is not a message text"))?;
    let (kind_name, subject) = kind.to_row();
    let recipients: Vec<(String,)> = sqlx::query_as(
        "SELECT user_id FROM conversation_participants
         WHERE conversation_id = $1 AND left_at IS NULL AND user_id <> $2",
    )
    .bind(&id.0)
    .bind(&sender.0)
    .fetch_all(&mut **tx)
    .await?;
    let recipients: Vec<String> = recipients.into_iter().map(|r| r.0).collect();
    sqlx::query(
        "INSERT INTO messages (conversation_id, seq, sender_id, client_id, recipients,
                               listing_id, body, created_at, kind, subject_id)
         VALUES ($1, $2, $3, $4, $5, NULL, $6, $7, $8, $9)",
    )
    .bind(&id.0)
    .bind(next)
    .bind(&sender.0)
    .bind(client_id.as_str())
    .bind(recipients.join(" "))
    .bind(text.as_str())
    .bind(at)
    .bind(kind_name)
    .bind(subject.map(|u| u.0.clone()))
    .execute(&mut **tx)
    .await?;
    Ok(ChatMessage {
        conversation: id.clone(),
        seq: Seq(next.max(0) as u64),
        client_id,
        sender: Some(sender.clone()),
        text,
        sent_at: Timestamp(at),
        kind,
    })
}

impl Conversations<'_> {
    /// Adds `target` to a direct conversation (it becomes a group); everyone in it sees
    /// a notice. Someone already in it: nothing changes.
    pub async fn add_participant(
        &self,
        actor: &UserId,
        id: &ConversationId,
        target: &UserId,
    ) -> Result<PeopleChanged> {
        let me = self.membership(actor, id).await?;
        if me.closed.is_some() {
            return Err(Error::ReadOnly);
        }
        if me.listing_id.is_some() {
            return Err(Error::invalid(marktchat_shared::Field::Participant)(
                marktchat_shared::Invalid::ListingConversation,
            ));
        }
        let exists: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE id = $1")
            .bind(&target.0)
            .fetch_optional(self.db.pool())
            .await?;
        exists.ok_or(Error::NotFound)?;
        if !self.may_start_conversation(actor, target).await? {
            return Err(Error::CannotMessage);
        }
        let current = self.participants(id).await?;
        if current.contains(target) {
            return Ok(PeopleChanged { participants: current, notice: None });
        }
        if current.len() >= MAX_PARTICIPANTS {
            return Err(Error::invalid(marktchat_shared::Field::Participant)(
                marktchat_shared::Invalid::TooMany { max: MAX_PARTICIPANTS },
            ));
        }
        let at = now().millis();
        let mut tx = self.db.begin().await?;
        // A group is no longer the pair's direct conversation.
        sqlx::query("UPDATE conversations SET direct_key = NULL, last_activity = $2 WHERE id = $1")
            .bind(&id.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        // Someone who left earlier comes back, and reads on from their return: what
        // was written while they were away was not written to them.
        let updated = sqlx::query(
            "UPDATE conversation_participants
             SET left_at = NULL, deleted = 0, archived = 0,
                 cleared_seq = (SELECT last_seq FROM conversations WHERE id = $1),
                 last_read_seq = (SELECT last_seq FROM conversations WHERE id = $1)
             WHERE conversation_id = $1 AND user_id = $2",
        )
        .bind(&id.0)
        .bind(&target.0)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() == 0 {
            // A newcomer sees the conversation from the moment they joined: what was
            // written before is not theirs to read (nor counted as unread). The notice
            // of their joining comes next, so it is the first thing they see.
            sqlx::query(
                "INSERT INTO conversation_participants
                     (conversation_id, user_id, joined_at, cleared_seq, last_read_seq)
                 SELECT $1, $2, $3, last_seq, last_seq FROM conversations WHERE id = $1",
            )
            .bind(&id.0)
            .bind(&target.0)
            .bind(at)
            .execute(&mut *tx)
            .await?;
        }
        let kind = MessageKind::Joined { person: target.clone() };
        let notice = insert_notice(&mut tx, id, actor, kind, at).await?;
        // The one who added them has seen it.
        sqlx::query(
            "UPDATE conversation_participants SET last_read_seq = $3
             WHERE conversation_id = $1 AND user_id = $2",
        )
        .bind(&id.0)
        .bind(&actor.0)
        .bind(notice.seq.0 as i64)
        .execute(&mut *tx)
        .await?;
        tx.commit().await?;
        Ok(PeopleChanged { participants: self.participants(id).await?, notice: Some(notice) })
    }

    /// `user` leaves the conversation; everyone still in it sees a notice. Returns who
    /// is still in it.
    pub async fn leave(&self, user: &UserId, id: &ConversationId) -> Result<PeopleChanged> {
        let at = now().millis();
        let mut tx = self.db.begin().await?;
        let done = sqlx::query(
            "UPDATE conversation_participants SET left_at = $3, last_read_seq = (
                 SELECT last_seq + 1 FROM conversations WHERE id = $1)
             WHERE conversation_id = $1 AND user_id = $2 AND left_at IS NULL",
        )
        .bind(&id.0)
        .bind(&user.0)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        let notice = insert_notice(&mut tx, id, user, MessageKind::Left, at).await?;
        tx.commit().await?;
        Ok(PeopleChanged { participants: self.participants(id).await?, notice: Some(notice) })
    }

    pub(super) async fn affected(&self, ids: Vec<(String,)>) -> Result<Vec<Affected>> {
        let mut out = Vec::with_capacity(ids.len());
        for (id,) in ids {
            let conversation = ConversationId(id);
            let participants = self.participants(&conversation).await?;
            out.push(Affected { conversation, participants });
        }
        Ok(out)
    }

    /// Before an account is deleted: it leaves every conversation (its messages stay,
    /// from "a deleted user"), and the conversations about its listings close.
    /// Returns what changed, for the live events.
    pub async fn account_deleted(
        &self,
        user: &UserId,
    ) -> Result<(Vec<Affected>, Vec<(ConversationId, PeopleChanged)>)> {
        let listings: Vec<(String,)> =
            sqlx::query_as("SELECT DISTINCT listing_id FROM conversations WHERE seller_id = $1")
                .bind(&user.0)
                .fetch_all(self.db.pool())
                .await?;
        let mut closed = Vec::new();
        for (listing,) in listings {
            closed.extend(
                self.close_for_listing(&listing, ClosedReason::ListingDeleted, None).await?,
            );
        }
        let mine: Vec<(String,)> = sqlx::query_as(
            "SELECT conversation_id FROM conversation_participants
             WHERE user_id = $1 AND left_at IS NULL",
        )
        .bind(&user.0)
        .fetch_all(self.db.pool())
        .await?;
        let mut left = Vec::new();
        for (id,) in mine {
            let id = ConversationId(id);
            let changed = self.leave(user, &id).await?;
            left.push((id, changed));
        }
        sqlx::query("UPDATE conversations SET direct_key = NULL WHERE direct_key LIKE $1 OR direct_key LIKE $2")
            .bind(format!("{}|%", user.0))
            .bind(format!("%|{}", user.0))
            .execute(self.db.pool())
            .await?;
        Ok((closed, left))
    }
}
