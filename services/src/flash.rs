//! A failed form's contents on their way back to the form: after a post without
//! JavaScript fails, the browser is redirected to the form's page, which shows what
//! was typed and what was wrong. That used to travel in the redirect's query, and so
//! landed in the address bar, the browser's history and the access log. Now it is kept
//! here, under a random id that only the browser's HttpOnly cookie knows, read once by
//! the next page and gone after [`FLASH_FOR_MS`] anyway. In the database, so that
//! whichever instance serves the next page finds it.

use crate::clock::now;
use crate::db::Database;
use crate::error::Result;
use rand::RngCore;

/// How long a kept form waits for its page.
pub const FLASH_FOR_MS: i64 = 5 * 60 * 1000;
/// The most a form's contents may take (larger ones are cut, never refused: the
/// person's error page must still come).
pub const MAX_PAYLOAD: usize = 64 * 1024;
/// The cookie that carries the id.
pub const FLASH_COOKIE: &str = "marktchat_flash";

/// What the last failed form post left for this page: its query string
/// (`__path`, `__err` and the typed fields), handed to the app in the request's
/// extensions by the server.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FormFlash(pub String);

/// A `Set-Cookie` value for [`FLASH_COOKIE`].
pub struct FlashCookie(pub String);

impl FlashCookie {
    /// Carries `id` to the next page (HttpOnly: no script reads it).
    pub fn new(id: &str, secure: bool) -> FlashCookie {
        FlashCookie(format!(
            "{FLASH_COOKIE}={id}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
            FLASH_FOR_MS / 1000,
            if secure { "; Secure" } else { "" }
        ))
    }

    /// Removes it (it was read).
    pub fn cleared(secure: bool) -> FlashCookie {
        FlashCookie(format!(
            "{FLASH_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
            if secure { "; Secure" } else { "" }
        ))
    }
}

pub struct Flashes<'a> {
    db: &'a Database,
}

impl<'a> Flashes<'a> {
    pub fn new(db: &'a Database) -> Self {
        Flashes { db }
    }

    /// Keeps `payload` and returns its id (32 random bytes, hex).
    pub async fn keep(&self, payload: &str) -> Result<String> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let id = hex::encode(bytes);
        let mut end = payload.len().min(MAX_PAYLOAD);
        while !payload.is_char_boundary(end) {
            end -= 1;
        }
        sqlx::query("INSERT INTO form_flashes (id, payload, created_at) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&payload[..end])
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        Ok(id)
    }

    /// The payload kept under `id`, taken: a second read finds nothing, and neither
    /// does one after [`FLASH_FOR_MS`].
    pub async fn take(&self, id: &str) -> Result<Option<String>> {
        if id.len() != 64 || !id.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Ok(None);
        }
        let row: Option<(String, i64)> =
            sqlx::query_as("DELETE FROM form_flashes WHERE id = $1 RETURNING payload, created_at")
                .bind(id)
                .fetch_optional(self.db.pool())
                .await?;
        Ok(row.filter(|(_, at)| now().millis() - at < FLASH_FOR_MS).map(|(payload, _)| payload))
    }

    /// Deletes what waited too long (hourly housekeeping).
    pub async fn purge(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM form_flashes WHERE created_at <= $1")
            .bind(now().millis() - FLASH_FOR_MS)
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    #[db_test]
    async fn a_kept_form_is_read_once_and_only_for_a_while(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        {
            let flashes = Flashes::new(&db);
            let id = flashes.keep("__path=%2Fapi%2Fx&typed_title=Fahrrad").await.unwrap();
            assert_eq!(id.len(), 64);
            assert_eq!(
                flashes.take(&id).await.unwrap().as_deref(),
                Some("__path=%2Fapi%2Fx&typed_title=Fahrrad")
            );
            assert_eq!(flashes.take(&id).await.unwrap(), None, "read once");
            assert_eq!(flashes.take("not-an-id").await.unwrap(), None);
            assert_eq!(flashes.take(&"0".repeat(64)).await.unwrap(), None);

            // Too old: not shown, and purged.
            let old = flashes.keep("old").await.unwrap();
            sqlx::query("UPDATE form_flashes SET created_at = created_at - $1 WHERE id = $2")
                .bind(FLASH_FOR_MS)
                .bind(&old)
                .execute(db.pool())
                .await
                .unwrap();
            let kept = flashes.keep("new").await.unwrap();
            assert_eq!(flashes.purge().await.unwrap(), 1);
            assert_eq!(flashes.take(&old).await.unwrap(), None);
            assert_eq!(flashes.take(&kept).await.unwrap().as_deref(), Some("new"));

            // A huge form is cut at a character, not refused.
            let big = "ä".repeat(MAX_PAYLOAD);
            let id = flashes.keep(&big).await.unwrap();
            let back = flashes.take(&id).await.unwrap().unwrap();
            assert!(back.len() <= MAX_PAYLOAD && back.chars().all(|c| c == 'ä'));
        }
    }
}
