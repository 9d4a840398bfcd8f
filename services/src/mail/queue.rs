//! The `mail_queue` table: queueing, taking a due mail under a lease, and its outcome.

use super::{backoff, Outgoing, Sent, LEASE, MAX_ATTEMPTS};
use crate::clock::now;
use crate::db::Database;
use crate::error::Result;

/// A mail taken from the queue to be sent.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Queued {
    pub id: String,
    pub recipient: String,
    pub subject: String,
    pub body_text: String,
    pub body_html: String,
    pub unsubscribe: Option<String>,
    /// This attempt's number (1 for the first).
    pub attempts: i64,
}

/// Queues `mail`, due now.
pub async fn push(db: &Database, mail: &Outgoing) -> Result<()> {
    let t = now().millis();
    sqlx::query(
        "INSERT INTO mail_queue (id, recipient, subject, body_text, body_html, unsubscribe,
                                 created_at, next_attempt_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(&mail.to)
    .bind(&mail.subject)
    .bind(&mail.text)
    .bind(&mail.html)
    .bind(&mail.unsubscribe)
    .bind(t)
    .execute(db.pool())
    .await?;
    Ok(())
}

/// Takes the longest-due mail nobody else is sending, leasing it for [`LEASE`] and
/// counting the attempt; `None` when nothing is due. One statement: two instances
/// never take the same mail while its lease runs.
pub async fn take(db: &Database) -> Result<Option<Queued>> {
    let t = now().millis();
    let lease = i64::try_from(LEASE.as_millis()).unwrap_or(i64::MAX);
    let taken: Option<Queued> = sqlx::query_as(
        "UPDATE mail_queue SET leased_until = $1, attempts = attempts + 1
         WHERE id = (SELECT id FROM mail_queue
                     WHERE sent_at IS NULL AND failed_at IS NULL
                       AND next_attempt_at <= $2 AND leased_until < $2
                     ORDER BY next_attempt_at LIMIT 1)
           AND leased_until < $2
         RETURNING id, recipient, subject, body_text, body_html, unsubscribe, attempts",
    )
    .bind(t.saturating_add(lease))
    .bind(t)
    .fetch_optional(db.pool())
    .await?;
    Ok(taken)
}

/// Records how sending `mail` went. A sent mail keeps no bodies (a reset link must
/// not outlive its sending).
pub async fn settle(db: &Database, mail: &Queued, outcome: &Sent) -> Result<()> {
    let t = now().millis();
    let query = match outcome {
        Sent::Done => sqlx::query(
            "UPDATE mail_queue SET sent_at = $2, leased_until = 0, body_text = '',
                                   body_html = '', last_error = NULL
             WHERE id = $1",
        )
        .bind(&mail.id)
        .bind(t),
        Sent::Transient(error) if mail.attempts < MAX_ATTEMPTS => {
            let wait = i64::try_from(backoff(mail.attempts).as_millis()).unwrap_or(i64::MAX);
            sqlx::query(
                "UPDATE mail_queue SET next_attempt_at = $2, leased_until = 0, last_error = $3
                 WHERE id = $1",
            )
            .bind(&mail.id)
            .bind(t.saturating_add(wait))
            .bind(error)
        }
        Sent::Transient(error) | Sent::Permanent(error) => sqlx::query(
            "UPDATE mail_queue SET failed_at = $2, leased_until = 0, last_error = $3,
                                   body_text = '', body_html = ''
             WHERE id = $1",
        )
        .bind(&mail.id)
        .bind(t)
        .bind(error),
    };
    query.execute(db.pool()).await?;
    Ok(())
}

/// Deletes mails sent or given up more than a week ago (hourly housekeeping).
pub async fn purge(db: &Database) -> Result<u64> {
    let before = now().millis().saturating_sub(7 * 24 * 3600 * 1000);
    let done = sqlx::query(
        "DELETE FROM mail_queue WHERE (sent_at IS NOT NULL AND sent_at < $1)
                                   OR (failed_at IS NOT NULL AND failed_at < $1)",
    )
    .bind(before)
    .execute(db.pool())
    .await?;
    Ok(done.rows_affected())
}

/// How many mails wait to be sent (for tests and the operator).
pub async fn waiting(db: &Database) -> Result<i64> {
    let (n,): (i64,) = sqlx::query_as(
        "SELECT COUNT(*) FROM mail_queue WHERE sent_at IS NULL AND failed_at IS NULL",
    )
    .fetch_one(db.pool())
    .await?;
    Ok(n)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    fn mail(to: &str) -> Outgoing {
        Outgoing {
            to: to.into(),
            subject: "Betreff".into(),
            text: "Text".into(),
            html: "<p>Text</p>".into(),
            unsubscribe: None,
        }
    }

    #[db_test]
    async fn a_mail_is_taken_once_retried_later_and_emptied_when_sent(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        push(&db, &mail("a@example.de")).await.unwrap();
        // Two senders at once: one gets it.
        let (a, b) = tokio::join!(take(&db), take(&db));
        let (a, b) = (a.unwrap(), b.unwrap());
        assert!(a.is_some() ^ b.is_some(), "exactly one sender takes the mail");
        let first = a.or(b).unwrap();
        assert_eq!(first.attempts, 1);
        assert!(take(&db).await.unwrap().is_none(), "leased: nobody else takes it");
        // The server is down: due again in 30 s, not now.
        settle(&db, &first, &Sent::Transient("connection refused".into())).await.unwrap();
        assert!(take(&db).await.unwrap().is_none());
        assert_eq!(waiting(&db).await.unwrap(), 1);
        sqlx::query("UPDATE mail_queue SET next_attempt_at = next_attempt_at - 30000")
            .execute(db.pool())
            .await
            .unwrap();
        let second = take(&db).await.unwrap().expect("due again");
        assert_eq!((second.attempts, second.body_text.as_str()), (2, "Text"));
        settle(&db, &second, &Sent::Done).await.unwrap();
        assert_eq!(waiting(&db).await.unwrap(), 0);
        let (text, html): (String, String) =
            sqlx::query_as("SELECT body_text, body_html FROM mail_queue")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!((text.as_str(), html.as_str()), ("", ""));
    }

    #[db_test]
    async fn a_refused_mail_is_given_up_and_so_is_one_tried_too_often(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        push(&db, &mail("weg@example.de")).await.unwrap();
        let m = take(&db).await.unwrap().unwrap();
        settle(&db, &m, &Sent::Permanent("550 no such mailbox".into())).await.unwrap();
        assert_eq!(waiting(&db).await.unwrap(), 0);
        push(&db, &mail("immer-down@example.de")).await.unwrap();
        let mut m = take(&db).await.unwrap().unwrap();
        m.attempts = MAX_ATTEMPTS;
        settle(&db, &m, &Sent::Transient("timeout".into())).await.unwrap();
        assert_eq!(waiting(&db).await.unwrap(), 0);
        let (failed,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM mail_queue WHERE failed_at IS NOT NULL")
                .fetch_one(db.pool())
                .await
                .unwrap();
        assert_eq!(failed, 2);
    }
}
