//! What the help bot keeps: transcripts of chats in the stored mode (read and deleted
//! by admins, deleted by anyone who has a chat's code), and hourly counts.
//!
//! A private chat never reaches this module except as counts. A deleted transcript
//! leaves nothing in the database files: SQLite overwrites deleted rows
//! (`secure_delete`) and the write-ahead log is flushed after every deletion
//! ([`Database::flush_deleted`]).

use crate::db::Database;
use crate::error::Result;
use marktchat_shared::bot::protocol::ResultLink;
use marktchat_shared::bot::ChatCode;
use marktchat_shared::{Language, Timestamp};
use serde::{Deserialize, Serialize};

/// One hour in milliseconds.
pub const HOUR_MS: i64 = 3_600_000;

/// The start of the UTC hour `at` falls in: the only time a statistics row holds.
pub fn hour_of(at: Timestamp) -> i64 {
    at.0.div_euclid(HOUR_MS) * HOUR_MS
}

/// Who said something in a transcript.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Sender {
    Visitor,
    Bot,
}

impl Sender {
    fn as_str(self) -> &'static str {
        match self {
            Sender::Visitor => "visitor",
            Sender::Bot => "bot",
        }
    }
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Line {
    pub at: i64,
    pub sender: Sender,
    pub text: String,
    #[serde(default)]
    pub links: Vec<ResultLink>,
}

/// A stored chat as the admin list shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatSummary {
    pub id: String,
    pub code: ChatCode,
    pub language: Language,
    pub started_at: i64,
    pub last_at: i64,
    pub ended_at: Option<i64>,
    pub messages: i64,
    /// The visitor's first words, for recognising the chat in a list.
    pub first_words: Option<String>,
}

/// A stored chat with everything said in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Transcript {
    pub chat: ChatSummary,
    pub lines: Vec<Line>,
}

/// The stored transcripts.
pub struct Transcripts<'a> {
    db: &'a Database,
}

/// How many characters of the first visitor message the list shows.
const FIRST_WORDS: usize = 80;

type SummaryRow = (String, i64, String, i64, i64, Option<i64>, i64, Option<String>);

const SUMMARY: &str = "SELECT c.id, c.code_bits, c.language, c.started_at, c.last_at, c.ended_at,
        (SELECT COUNT(*) FROM bot_messages m WHERE m.chat_id = c.id),
        (SELECT m.text FROM bot_messages m
         WHERE m.chat_id = c.id AND m.sender = 'visitor' ORDER BY m.seq LIMIT 1)
 FROM bot_chats c";

fn summary(row: SummaryRow) -> ChatSummary {
    let (id, bits, language, started_at, last_at, ended_at, messages, first) = row;
    ChatSummary {
        id,
        code: ChatCode::from_bits(bits as u64),
        language: Language::parse(&language).unwrap_or(Language::De),
        started_at,
        last_at,
        ended_at,
        messages,
        first_words: first.map(|t| t.chars().take(FIRST_WORDS).collect()),
    }
}

impl<'a> Transcripts<'a> {
    pub fn new(db: &'a Database) -> Self {
        Transcripts { db }
    }

    /// Starts keeping the chat `id` (idempotent: a chat switched back to stored keeps
    /// its row).
    pub async fn open(&self, id: &uuid::Uuid, language: Language, at: Timestamp) -> Result<()> {
        let code = ChatCode::of_chat(id.as_bytes());
        sqlx::query(
            "INSERT INTO bot_chats (id, code_bits, language, started_at, last_at)
             VALUES ($1, $2, $3, $4, $4)
             ON CONFLICT (id) DO NOTHING",
        )
        .bind(id.to_string())
        .bind(code.bits() as i64)
        .bind(language.code())
        .bind(at.0)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// Adds lines to a kept chat, numbered from `first_seq`, in one transaction.
    pub async fn append(&self, id: &uuid::Uuid, first_seq: i64, lines: &[Line]) -> Result<()> {
        let Some(last) = lines.last() else { return Ok(()) };
        let id = id.to_string();
        let mut tx = self.db.begin().await?;
        for (i, line) in lines.iter().enumerate() {
            let links = match line.links.is_empty() {
                true => None,
                false => Some(serde_json::to_string(&line.links).unwrap_or_default()),
            };
            sqlx::query(
                "INSERT INTO bot_messages (chat_id, seq, at, sender, text, links_json)
                 VALUES ($1, $2, $3, $4, $5, $6)",
            )
            .bind(&id)
            .bind(first_seq + i as i64)
            .bind(line.at)
            .bind(line.sender.as_str())
            .bind(&line.text)
            .bind(links)
            .execute(&mut *tx)
            .await?;
        }
        sqlx::query("UPDATE bot_chats SET last_at = $2 WHERE id = $1")
            .bind(&id)
            .bind(last.at)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Notes that a kept chat ended.
    pub async fn close(&self, id: &uuid::Uuid, at: Timestamp) -> Result<()> {
        sqlx::query("UPDATE bot_chats SET ended_at = $2 WHERE id = $1 AND ended_at IS NULL")
            .bind(id.to_string())
            .bind(at.0)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Deletes the transcripts these codes name, if there are any. Says nothing about
    /// whether there were: a visitor's answer must not reveal it.
    pub async fn delete_by_codes(&self, codes: &[ChatCode]) -> Result<()> {
        if codes.is_empty() {
            return Ok(());
        }
        let mut tx = self.db.begin().await?;
        for code in codes {
            sqlx::query("DELETE FROM bot_chats WHERE code_bits = $1")
                .bind(code.bits() as i64)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        self.db.flush_deleted().await
    }

    /// Deletes one transcript by its id (the admin viewer). Whether it was there.
    pub async fn delete(&self, id: &str) -> Result<bool> {
        let gone = sqlx::query("DELETE FROM bot_chats WHERE id = $1")
            .bind(id)
            .execute(self.db.pool())
            .await?
            .rows_affected();
        self.db.flush_deleted().await?;
        Ok(gone > 0)
    }

    /// The stored chats, newest activity first, `limit` at a time after the chat
    /// `before`. `query` finds chats by a word of their text or by their code.
    pub async fn list(
        &self,
        query: Option<&str>,
        limit: u32,
        before: Option<&str>,
    ) -> Result<Vec<ChatSummary>> {
        let query = query.map(str::trim).filter(|q| !q.is_empty());
        let code = query.and_then(|q| ChatCode::parse(q).ok()).map(|c| c.bits() as i64);
        let pattern = query
            .map(|q| format!("%{}%", marktchat_shared::search::escape_like(&q.to_lowercase())));
        let sql = format!(
            "{SUMMARY}
             WHERE ($1 IS NULL
                    OR c.code_bits = $2
                    OR EXISTS (SELECT 1 FROM bot_messages m
                               WHERE m.chat_id = c.id AND LOWER(m.text) LIKE $1 ESCAPE '\\'))
               AND ($3 IS NULL
                    OR (c.last_at, c.id) < (SELECT b.last_at, b.id FROM bot_chats b
                                            WHERE b.id = $3))
             ORDER BY c.last_at DESC, c.id DESC
             LIMIT $4"
        );
        let rows: Vec<SummaryRow> = sqlx::query_as(&sql)
            .bind(pattern)
            .bind(code.unwrap_or(-1))
            .bind(before)
            .bind(i64::from(limit.clamp(1, 200)))
            .fetch_all(self.db.pool())
            .await?;
        Ok(rows.into_iter().map(summary).collect())
    }

    /// One stored chat with its lines, if it is there.
    pub async fn get(&self, id: &str) -> Result<Option<Transcript>> {
        let row: Option<SummaryRow> = sqlx::query_as(&format!("{SUMMARY} WHERE c.id = $1"))
            .bind(id)
            .fetch_optional(self.db.pool())
            .await?;
        let Some(row) = row else { return Ok(None) };
        let lines: Vec<(i64, String, String, Option<String>)> = sqlx::query_as(
            "SELECT at, sender, text, links_json FROM bot_messages
             WHERE chat_id = $1 ORDER BY seq",
        )
        .bind(id)
        .fetch_all(self.db.pool())
        .await?;
        let lines = lines
            .into_iter()
            .map(|(at, sender, text, links)| Line {
                at,
                sender: if sender == "bot" { Sender::Bot } else { Sender::Visitor },
                text,
                links: links.and_then(|l| serde_json::from_str(&l).ok()).unwrap_or_default(),
            })
            .collect();
        Ok(Some(Transcript { chat: summary(row), lines }))
    }
}

/// What happened in one moment, to be added to its hour's counts.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Counts {
    pub chats_started: i64,
    pub chats_ended: i64,
    pub messages_received: i64,
    pub messages_sent: i64,
}

impl Counts {
    fn is_empty(&self) -> bool {
        *self == Counts::default()
    }

    pub(crate) fn add(&mut self, other: &Counts) {
        self.chats_started += other.chats_started;
        self.chats_ended += other.chats_ended;
        self.messages_received += other.messages_received;
        self.messages_sent += other.messages_sent;
    }
}

/// One hour's (or day's) counts. `start` is milliseconds since the epoch at the
/// start of the UTC hour (or day).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub start: i64,
    pub counts: Counts,
}

/// The hourly counts.
pub struct Stats<'a> {
    db: &'a Database,
}

impl<'a> Stats<'a> {
    pub fn new(db: &'a Database) -> Self {
        Stats { db }
    }

    /// Adds `counts` to the hour `at` falls in.
    pub async fn count(&self, at: Timestamp, counts: Counts) -> Result<()> {
        if counts.is_empty() {
            return Ok(());
        }
        sqlx::query(
            "INSERT INTO bot_stats (hour, chats_started, chats_ended, messages_received,
                                    messages_sent)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (hour) DO UPDATE SET
                chats_started = bot_stats.chats_started + excluded.chats_started,
                chats_ended = bot_stats.chats_ended + excluded.chats_ended,
                messages_received = bot_stats.messages_received + excluded.messages_received,
                messages_sent = bot_stats.messages_sent + excluded.messages_sent",
        )
        .bind(hour_of(at))
        .bind(counts.chats_started)
        .bind(counts.chats_ended)
        .bind(counts.messages_received)
        .bind(counts.messages_sent)
        .execute(self.db.pool())
        .await?;
        Ok(())
    }

    /// The hours from `from` up to (not including) `to` that have counts, oldest first.
    pub async fn hourly(&self, from: Timestamp, to: Timestamp) -> Result<Vec<Period>> {
        let rows: Vec<(i64, i64, i64, i64, i64)> = sqlx::query_as(
            "SELECT hour, chats_started, chats_ended, messages_received, messages_sent
             FROM bot_stats WHERE hour >= $1 AND hour < $2 ORDER BY hour",
        )
        .bind(hour_of(from))
        .bind(to.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(rows
            .into_iter()
            .map(|(start, a, b, c, d)| Period {
                start,
                counts: Counts {
                    chats_started: a,
                    chats_ended: b,
                    messages_received: c,
                    messages_sent: d,
                },
            })
            .collect())
    }
}

/// Hours summed into UTC days, oldest first.
pub fn daily(hours: &[Period]) -> Vec<Period> {
    const DAY_MS: i64 = 24 * HOUR_MS;
    let mut days: Vec<Period> = Vec::new();
    for h in hours {
        let start = h.start.div_euclid(DAY_MS) * DAY_MS;
        match days.last_mut() {
            Some(d) if d.start == start => d.counts.add(&h.counts),
            _ => days.push(Period { start, counts: h.counts }),
        }
    }
    days
}

/// The periods as CSV (`period_start_utc,chats_started,…`), times as ISO 8601.
pub fn csv(periods: &[Period]) -> String {
    let mut out = String::from(
        "period_start_utc,chats_started,chats_ended,messages_received,messages_sent\n",
    );
    for p in periods {
        let c = &p.counts;
        out.push_str(&format!(
            "{},{},{},{},{}\n",
            Timestamp(p.start).iso_minute_utc(),
            c.chats_started,
            c.chats_ended,
            c.messages_received,
            c.messages_sent
        ));
    }
    out
}
