//! Storing messages, several per transaction ("group commit").
//!
//! Every message must be durable before its ack, and a durable commit costs a disk
//! flush. One flush per message caps a server at a few hundred messages a second and
//! makes senders queue for the single SQLite writer. So messages go to one writer
//! task ([`Appender`]) that takes whatever is waiting (up to [`BATCH`]) and stores it
//! in one transaction: one flush for the lot, and each sender hears back once that
//! commit is done. Without the task (tools, tests that build `Conversations` alone)
//! each message is its own batch.

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result};
use marktchat_shared::chat::{ClientMessageId, ConversationId, Seq};
use marktchat_shared::{Timestamp, UserId};
use tokio::sync::{mpsc, oneshot};

/// The most messages stored in one transaction.
pub const BATCH: usize = 256;
/// Messages waiting for the writer past this make senders wait (backpressure).
const QUEUE: usize = 4096;

/// One message to store.
#[derive(Debug, Clone)]
pub struct NewMessage {
    pub conversation: ConversationId,
    pub sender: UserId,
    pub client_id: ClientMessageId,
    pub text: String,
    /// Space-separated ids of the others in the conversation.
    pub recipients: String,
    pub listing_id: Option<String>,
}

/// What storing one message came to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Appended {
    /// Stored now, as `Seq`, at this time.
    Stored(Seq, Timestamp),
    /// The sender used this client id before (here or in another conversation).
    AlreadyThere,
    /// The conversation closed in the meantime.
    Closed,
}

struct Job {
    message: NewMessage,
    reply: oneshot::Sender<Result<Appended>>,
}

/// The handle to the writer task.
#[derive(Clone)]
pub struct Appender {
    jobs: mpsc::Sender<Job>,
}

impl Appender {
    /// Starts the writer task (needs a Tokio runtime).
    pub fn start(db: Database) -> Appender {
        let (jobs, rx) = mpsc::channel(QUEUE);
        tokio::spawn(run(db, rx));
        Appender { jobs }
    }

    /// Stores `message` with the others waiting, and returns once it is committed.
    pub async fn append(&self, message: NewMessage) -> Result<Appended> {
        let (reply, answer) = oneshot::channel();
        self.jobs
            .send(Job { message, reply })
            .await
            .map_err(|_| Error::inconsistent("the message writer has stopped"))?;
        answer.await.map_err(|_| Error::inconsistent("the message writer dropped a message"))?
    }
}

async fn run(db: Database, mut rx: mpsc::Receiver<Job>) {
    let mut batch: Vec<Job> = Vec::with_capacity(BATCH);
    while let Some(first) = rx.recv().await {
        batch.push(first);
        while batch.len() < BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        // In conversation order (stable: each conversation's messages keep theirs), so
        // two instances' batches take their row locks in the same order and cannot
        // deadlock each other on PostgreSQL.
        batch.sort_by(|a, b| a.message.conversation.cmp(&b.message.conversation));
        let messages: Vec<&NewMessage> = batch.iter().map(|j| &j.message).collect();
        match store(&db, &messages).await {
            Ok(results) => {
                for (job, result) in batch.drain(..).zip(results) {
                    let _ = job.reply.send(Ok(result));
                }
            }
            Err(e) => {
                // One bad message must not fail the others: each on its own.
                tracing::warn!(error = %e.report(), size = batch.len(), "a batch of messages failed; storing them one by one");
                for job in batch.drain(..) {
                    let result = store(&db, &[&job.message]).await.map(|mut r| r.remove(0));
                    let _ = job.reply.send(result);
                }
            }
        }
    }
}

/// Stores `messages` in one transaction.
pub async fn store(db: &Database, messages: &[&NewMessage]) -> Result<Vec<Appended>> {
    let at = now().millis();
    let mut tx = db.begin().await?;
    let mut results = Vec::with_capacity(messages.len());
    for m in messages {
        // A resend: the same sender and client id (maybe earlier in this batch).
        let existing: Option<(i64,)> =
            sqlx::query_as("SELECT seq FROM messages WHERE sender_id = $1 AND client_id = $2")
                .bind(&m.sender.0)
                .bind(m.client_id.as_str())
                .fetch_optional(&mut *tx)
                .await?;
        if existing.is_some() {
            results.push(Appended::AlreadyThere);
            continue;
        }
        let next: Option<(i64,)> = sqlx::query_as(
            "UPDATE conversations SET last_seq = last_seq + 1, last_activity = $2
             WHERE id = $1 AND closed IS NULL RETURNING last_seq",
        )
        .bind(&m.conversation.0)
        .bind(at)
        .fetch_optional(&mut *tx)
        .await?;
        let Some((next,)) = next else {
            results.push(Appended::Closed);
            continue;
        };
        sqlx::query(
            "INSERT INTO messages (conversation_id, seq, sender_id, client_id, recipients,
                                   listing_id, body, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(&m.conversation.0)
        .bind(next)
        .bind(&m.sender.0)
        .bind(m.client_id.as_str())
        .bind(&m.recipients)
        .bind(&m.listing_id)
        .bind(&m.text)
        .bind(at)
        .execute(&mut *tx)
        .await?;
        // A new message brings the conversation back for everyone, and the sender has
        // read everything up to their own message.
        sqlx::query(
            "UPDATE conversation_participants
             SET archived = 0, deleted = 0,
                 last_read_seq = CASE WHEN user_id = $2 THEN $3 ELSE last_read_seq END
             WHERE conversation_id = $1 AND left_at IS NULL",
        )
        .bind(&m.conversation.0)
        .bind(&m.sender.0)
        .bind(next)
        .execute(&mut *tx)
        .await?;
        results.push(Appended::Stored(Seq(next.max(0) as u64), Timestamp(at)));
    }
    tx.commit().await?;
    Ok(results)
}
