//! A new e-mail address: it counts once its owner confirmed it through a link mailed
//! to it (only the link's hash is stored; it works once, for a day), so nobody can
//! move an account to an address that is not theirs. The old address is told at once,
//! so a change made by someone else does not go unnoticed.

use super::{end_pending_links, PendingLinks};
use crate::clock::now;
use crate::error::{Error, Result, Unique};
use crate::mail::texts;
use crate::sessions::{hash_token, SessionToken};
use crate::Services;
use marktchat_shared::{Email, Field, Invalid, UserId};

/// How long a confirmation link works.
pub const CONFIRM_VALID_FOR_MS: i64 = 24 * 3600 * 1000;

impl Services {
    /// Asks to move `user`'s account to `new_email`, after checking their password:
    /// mails a confirmation link to the new address and a notice to the current one.
    pub async fn request_email_change(
        &self,
        user: &UserId,
        password: &str,
        new_email: &str,
    ) -> Result<()> {
        let email = Email::parse(new_email).map_err(Error::invalid(Field::Email))?;
        self.accounts().check_password(user, password).await?;
        let profile = self.accounts().profile(user).await?;
        if profile.email == email.as_str() {
            return Err(Error::invalid(Field::Email)(Invalid::Unchanged));
        }
        // Counted before the answer says whether the address is taken: no endless probing.
        let limited = |retry_after| Error::RateLimited { retry_after };
        self.limits.email_changes.reserve(user.0.clone()).await.map_err(limited)?.keep();
        let taken: Option<(String,)> = sqlx::query_as("SELECT id FROM users WHERE email = $1")
            .bind(email.as_str())
            .fetch_optional(self.db.pool())
            .await?;
        if taken.is_some() {
            return Err(Error::EmailTaken);
        }
        self.limits.link_mails.reserve(email.as_str().to_owned()).await.map_err(limited)?.keep();
        let token = SessionToken::generate();
        let t = now().millis();
        sqlx::query(
            "INSERT INTO email_changes (token_hash, user_id, new_email, created_at, expires_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(&token.0))
        .bind(&user.0)
        .bind(email.as_str())
        .bind(t)
        .bind(t + CONFIRM_VALID_FOR_MS)
        .execute(self.db.pool())
        .await?;
        let link = format!("{}/email/confirm?token={}", self.settings.mail.site_url, token.0);
        let (name, language) = (&profile.display_name, profile.language);
        self.queue_mail(&texts::email_change_confirm(email.as_str(), language, name, &link))
            .await?;
        self.queue_mail(&texts::email_change_notice(&profile.email, language, name, email.as_str()))
            .await
    }

    /// The new address a confirmation link would set, if the link still works.
    pub async fn email_change_pending(&self, token: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT new_email FROM email_changes
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now().millis())
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Confirms a new address through its link: the account's login is the new
    /// address from now on. Every pending change of the account is used up.
    pub async fn confirm_email_change(&self, token: &str) -> Result<(UserId, String)> {
        let token_hash = hash_token(token);
        let t = now().millis();
        let mut tx = self.db.pool().begin().await?;
        let row: Option<(String, String)> = sqlx::query_as(
            "UPDATE email_changes SET used_at = $2
             WHERE token_hash = $1 AND used_at IS NULL AND expires_at > $2
             RETURNING user_id, new_email",
        )
        .bind(&token_hash)
        .bind(t)
        .fetch_optional(&mut *tx)
        .await?;
        let (user, new_email) = row.ok_or(Error::LinkExpired)?;
        end_pending_links(&mut *tx, PendingLinks::AddressChanges, &user, t).await?;
        // Reset links mailed to the old address no longer work.
        end_pending_links(&mut *tx, PendingLinks::Resets, &user, t).await?;
        let updated = sqlx::query("UPDATE users SET email = $1, updated_at = $2 WHERE id = $3")
            .bind(&new_email)
            .bind(t)
            .bind(&user)
            .execute(&mut *tx)
            .await;
        match updated {
            // Someone registered the address in the meantime.
            Err(e) if Unique::violated_by(&e) == Some(Unique::UserEmail) => {
                return Err(Error::EmailTaken)
            }
            other => other?,
        };
        tx.commit().await?;
        Ok((UserId(user), new_email))
    }

    /// Deletes confirmation links that no longer work (hourly housekeeping).
    pub async fn purge_email_changes(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM email_changes WHERE expires_at < $1")
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
