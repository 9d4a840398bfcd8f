//! The help bot outside its socket: deleting a transcript by its chat code (anyone,
//! on `/chat/delete`), and for admins the hourly statistics and the stored
//! transcripts (read, search, delete).

use crate::error::AppError;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

/// One period's counts, for the chart and the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatsRow {
    /// Milliseconds since the epoch at the period's start (UTC).
    pub start: i64,
    pub chats_started: i64,
    pub chats_ended: i64,
    pub messages_received: i64,
    pub messages_sent: i64,
}

/// The statistics page: the last hours and days.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BotStats {
    /// Every hour of the last 48, oldest first, empty hours included.
    pub hours: Vec<StatsRow>,
    /// Every day of the last 30, oldest first, empty days included.
    pub days: Vec<StatsRow>,
}

/// A stored chat in the admin list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatRow {
    pub id: String,
    pub code: String,
    pub language: String,
    pub started_at: i64,
    pub last_at: i64,
    pub ended: bool,
    pub messages: i64,
    pub first_words: Option<String>,
}

/// One line of a transcript.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptLine {
    pub at: i64,
    pub visitor: bool,
    pub text: String,
    /// Listing links the bot gave: (title, path, price).
    pub links: Vec<(String, String, String)>,
}

/// A transcript for the admin viewer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TranscriptView {
    pub chat: ChatRow,
    pub lines: Vec<TranscriptLine>,
}

/// How many stored chats a list page shows.
pub const CHATS_PER_PAGE: u32 = 30;
/// How many hours and days the statistics show.
pub const STATS_HOURS: i64 = 48;
pub const STATS_DAYS: i64 = 30;

#[cfg(feature = "ssr")]
use super::admin::require_admin;

#[cfg(feature = "ssr")]
impl From<marktchat_services::bot::store::ChatSummary> for ChatRow {
    fn from(c: marktchat_services::bot::store::ChatSummary) -> Self {
        ChatRow {
            id: c.id,
            code: c.code.to_string(),
            language: c.language.code().to_owned(),
            started_at: c.started_at,
            last_at: c.last_at,
            ended: c.ended_at.is_some(),
            messages: c.messages,
            first_words: c.first_words,
        }
    }
}

/// Deletes the transcript with this chat code, if there is one. Anyone may: the code
/// is the key. The answer is the same whether a transcript was there or not; codes
/// tried count against the visitor's address (with the widget's), found or not.
#[server(endpoint = "chat/delete")]
pub async fn delete_chat_by_code(code: String) -> Result<(), AppError> {
    use marktchat_services::bot::store::Transcripts;
    use marktchat_shared::bot::ChatCode;
    use marktchat_shared::Field;
    // Empty, or not the shape of a code (which says nothing about any chat): the field
    // says so, and no attempt is counted.
    let invalid = |problem| AppError::invalid(Field::ChatCode, problem);
    let code = match code.trim() {
        "" => return Err(invalid(marktchat_shared::Invalid::Empty)),
        typed => ChatCode::parse(typed)
            .map_err(|_| invalid(marktchat_shared::Invalid::ChatCodeFormat))?,
    };
    let services = super::ctx::services()?;
    let session = super::ctx::session();
    let visitor = services.limits.visitor(session.client_addr.unwrap_or([0, 0, 0, 0].into()));
    services
        .limits
        .bot_codes
        .reserve(visitor)
        .await
        .map_err(|wait| AppError::TooManyAttempts { retry_after_secs: wait.as_secs().max(1) })?
        .keep();
    // Found or not, the answer is the same.
    Transcripts::new(&services.db).delete_by_codes(&[code]).await?;
    // Without JavaScript the form post comes back to the page, which then says so.
    if super::ctx::parts().is_some_and(|p| {
        p.headers
            .get(http::header::ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"))
    }) {
        leptos_axum::redirect("/chat/delete?done=1");
    }
    Ok(())
}

/// The hourly and daily counts of the help bot, for the admin chart.
#[server(endpoint = "admin/bot/stats")]
pub async fn get_bot_stats() -> Result<BotStats, AppError> {
    use marktchat_services::bot::store::{daily, hour_of, Stats, HOUR_MS};
    use marktchat_services::clock::now;
    use marktchat_shared::Timestamp;
    require_admin()?;
    let services = super::ctx::services()?;
    let this_hour = hour_of(now());
    let day_ms = 24 * HOUR_MS;
    let today = this_hour.div_euclid(day_ms) * day_ms;
    let from = Timestamp(today - (STATS_DAYS - 1) * day_ms);
    let stored = Stats::new(&services.db).hourly(from, Timestamp(this_hour + HOUR_MS)).await?;
    let fill = |periods: &[marktchat_services::bot::store::Period], first: i64, n: i64, step| {
        (0..n)
            .map(|i| {
                let start = first + i * step;
                let c =
                    periods.iter().find(|p| p.start == start).map(|p| p.counts).unwrap_or_default();
                StatsRow {
                    start,
                    chats_started: c.chats_started,
                    chats_ended: c.chats_ended,
                    messages_received: c.messages_received,
                    messages_sent: c.messages_sent,
                }
            })
            .collect::<Vec<_>>()
    };
    Ok(BotStats {
        hours: fill(&stored, this_hour - (STATS_HOURS - 1) * HOUR_MS, STATS_HOURS, HOUR_MS),
        days: fill(&daily(&stored), from.0, STATS_DAYS, day_ms),
    })
}

/// Stored chats, newest first; `q` searches their text or finds one by its code.
#[server(endpoint = "admin/bot/chats")]
pub async fn get_bot_chats(
    q: Option<String>,
    before: Option<String>,
) -> Result<Vec<ChatRow>, AppError> {
    use marktchat_services::bot::store::Transcripts;
    require_admin()?;
    let services = super::ctx::services()?;
    let chats = Transcripts::new(&services.db)
        .list(q.as_deref(), CHATS_PER_PAGE, before.as_deref())
        .await?;
    Ok(chats.into_iter().map(ChatRow::from).collect())
}

/// One stored chat with everything said in it.
#[server(endpoint = "admin/bot/chat")]
pub async fn get_bot_chat(id: String) -> Result<TranscriptView, AppError> {
    use marktchat_services::bot::store::{Sender, Transcripts};
    require_admin()?;
    let services = super::ctx::services()?;
    let t = Transcripts::new(&services.db).get(&id).await?.ok_or(AppError::NotFound)?;
    Ok(TranscriptView {
        chat: t.chat.into(),
        lines: t
            .lines
            .into_iter()
            .map(|l| TranscriptLine {
                at: l.at,
                visitor: l.sender == Sender::Visitor,
                text: l.text,
                links: l.links.into_iter().map(|k| (k.title, k.path, k.price)).collect(),
            })
            .collect(),
    })
}

/// Deletes a stored chat (the admin viewer). Back to the list afterwards.
#[server(endpoint = "admin/bot/chat/delete")]
pub async fn delete_bot_chat(id: String) -> Result<(), AppError> {
    use marktchat_services::bot::store::Transcripts;
    require_admin()?;
    let services = super::ctx::services()?;
    if !Transcripts::new(&services.db).delete(&id).await? {
        return Err(AppError::NotFound);
    }
    leptos_axum::redirect("/admin/bot?deleted=1");
    Ok(())
}
