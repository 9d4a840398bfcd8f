//! The audit log: every change to tags, contact rules, the restrictions switch and
//! API clients, whoever made it (an API client, an admin, the operator at the command
//! line), with what was there before and after. Entries are written in the same
//! transaction as the change, so there is no change without its entry.

use crate::clock::now;
use crate::db::Database;
use crate::error::Result;
use marktchat_shared::UserId;
use serde::Serialize;

/// Who made a change.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Actor {
    /// A Sync API client, by name.
    ApiClient(String),
    /// An admin in the web UI.
    Admin(UserId),
    /// Someone at the server's command line.
    Operator,
}

impl Actor {
    fn kind(&self) -> &'static str {
        match self {
            Actor::ApiClient(_) => "api_client",
            Actor::Admin(_) => "admin",
            Actor::Operator => "operator",
        }
    }

    fn name(&self) -> &str {
        match self {
            Actor::ApiClient(name) => name,
            Actor::Admin(id) => &id.0,
            Actor::Operator => "command line",
        }
    }
}

/// One change, as an admin reads it.
#[derive(Debug, Clone, PartialEq, Serialize, serde::Deserialize)]
pub struct Entry {
    pub id: String,
    /// Milliseconds since the epoch.
    pub at: i64,
    /// `api_client`, `admin` or `operator`.
    pub actor_kind: String,
    /// The client's name, the admin's display name (or id, if the account is gone),
    /// or "command line".
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    /// The display name of the member the subject names, if it names one (a person's
    /// tags), so that the log reads as names, not ids.
    pub subject_name: Option<String>,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Writes an entry inside the transaction that makes the change.
pub(crate) async fn record(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    actor: &Actor,
    action: &str,
    subject: Option<&str>,
    before: Option<serde_json::Value>,
    after: Option<serde_json::Value>,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO audit_log (id, at, actor_kind, actor, action, subject, before_json,
                                after_json)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
    )
    .bind(uuid::Uuid::new_v4().to_string())
    .bind(now().millis())
    .bind(actor.kind())
    .bind(actor.name())
    .bind(action)
    .bind(subject)
    .bind(before.map(|v| v.to_string()))
    .bind(after.map(|v| v.to_string()))
    .execute(&mut **tx)
    .await?;
    Ok(())
}

/// Writes an entry for a change that was made on its own (e.g. an API client made).
pub async fn record_now(
    db: &Database,
    actor: &Actor,
    action: &str,
    subject: Option<&str>,
    after: serde_json::Value,
) -> Result<()> {
    let mut tx = db.begin().await?;
    record(&mut tx, actor, action, subject, None, Some(after)).await?;
    tx.commit().await?;
    Ok(())
}

#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    at: i64,
    actor_kind: String,
    actor: String,
    action: String,
    subject: Option<String>,
    subject_name: Option<String>,
    before_json: Option<String>,
    after_json: Option<String>,
}

/// The newest `limit` entries older than the entry `before` (an id), newest first.
pub async fn newest(db: &Database, limit: u32, before: Option<&str>) -> Result<Vec<Entry>> {
    let rows: Vec<Row> = sqlx::query_as(
        "SELECT a.id, a.at, a.actor_kind, COALESCE(u.display_name, a.actor) AS actor, a.action,
                a.subject, s.display_name AS subject_name, a.before_json, a.after_json
         FROM audit_log a
         LEFT JOIN users u ON a.actor_kind = 'admin' AND u.id = a.actor
         LEFT JOIN users s ON s.id = a.subject
         WHERE $1 IS NULL
            OR (a.at, a.id) < (SELECT b.at, b.id FROM audit_log b WHERE b.id = $1)
         ORDER BY a.at DESC, a.id DESC
         LIMIT $2",
    )
    .bind(before)
    .bind(i64::from(limit.min(500)))
    .fetch_all(db.pool())
    .await?;
    let json = |s: Option<String>| s.and_then(|s| serde_json::from_str(&s).ok());
    Ok(rows
        .into_iter()
        .map(|r| Entry {
            id: r.id,
            at: r.at,
            actor_kind: r.actor_kind,
            actor: r.actor,
            action: r.action,
            subject: r.subject,
            subject_name: r.subject_name,
            before: json(r.before_json),
            after: json(r.after_json),
        })
        .collect())
}
