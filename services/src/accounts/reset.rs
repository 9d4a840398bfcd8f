//! A forgotten password: a mail with a link that works once, for an hour
//! ([`RESET_VALID_FOR_MS`]); only the link's hash is stored. Asking answers the same
//! whether or not an account has the address, and is limited per client address and
//! per e-mail address. Setting the new password ends every session of the account
//! and starts one for the browser that set it.

use super::{end_pending_links, PendingLinks};
use crate::clock::now;
use crate::error::{Error, Result};
use crate::rate_limit::AddressKey;
use crate::sessions::{hash_token, SessionToken};
use crate::Services;
use marktchat_shared::{CurrentUser, Email, Field, Language, Password, UserId};
use std::net::IpAddr;

/// How long a reset link works.
pub const RESET_VALID_FOR_MS: i64 = 3600 * 1000;

impl Services {
    /// Sends a reset link to `email` if an account has that address; answers the same
    /// either way. Every request counts against the limits.
    pub async fn request_password_reset(&self, email: &str, address: Option<IpAddr>) -> Result<()> {
        let email = Email::parse(email).map_err(Error::invalid(Field::Email))?;
        let limited = |retry_after| Error::RateLimited { retry_after };
        if let Some(a) = address {
            self.limits.reset_addresses.reserve(AddressKey::from(a)).await.map_err(limited)?.keep();
        }
        // Per recipient *and* asker: one asker cannot use up the owner's own requests.
        let key = match address {
            Some(a) => format!("{} {:?}", email.as_str(), AddressKey::from(a)),
            None => email.as_str().to_owned(),
        };
        self.limits.link_mails.reserve(key).await.map_err(limited)?.keep();
        let account: Option<(String, String, String)> =
            sqlx::query_as("SELECT id, display_name, language FROM users WHERE email = $1")
                .bind(email.as_str())
                .fetch_optional(self.db.pool())
                .await?;
        let Some((user, name, language)) = account else { return Ok(()) };
        let token = SessionToken::generate();
        let t = now().millis();
        sqlx::query(
            "INSERT INTO password_resets (token_hash, user_id, created_at, expires_at)
             VALUES ($1, $2, $3, $4)",
        )
        .bind(hash_token(&token.0))
        .bind(&user)
        .bind(t)
        .bind(t + RESET_VALID_FOR_MS)
        .execute(self.db.pool())
        .await?;
        let link = format!("{}/password/reset?token={}", self.settings.mail.site_url, token.0);
        let language = Language::parse(&language).unwrap_or_default();
        let mail = crate::mail::texts::password_reset(email.as_str(), language, &name, &link);
        self.queue_mail(&mail).await
    }

    /// The address of the account a working reset link is for (the page names it,
    /// masked, so nobody sets a password for an account that a link someone sent them
    /// belongs to).
    pub async fn reset_link_account(&self, token: &str) -> Result<Option<String>> {
        let row: Option<(String,)> = sqlx::query_as(
            "SELECT u.email FROM password_resets r JOIN users u ON u.id = r.user_id
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
        )
        .bind(hash_token(token))
        .bind(now().millis())
        .fetch_optional(self.db.pool())
        .await?;
        Ok(row.map(|r| r.0))
    }

    /// Sets a new password through a reset link: the link is used up (and every other
    /// of the account's), every session ends, and a new one starts for this browser.
    pub async fn reset_password(
        &self,
        token: &str,
        new_password: &str,
    ) -> Result<(CurrentUser, SessionToken)> {
        let token_hash = hash_token(token);
        let row: Option<(String, String)> = sqlx::query_as(
            "SELECT u.id, u.email FROM password_resets r JOIN users u ON u.id = r.user_id
             WHERE r.token_hash = $1 AND r.used_at IS NULL AND r.expires_at > $2",
        )
        .bind(&token_hash)
        .bind(now().millis())
        .fetch_optional(self.db.pool())
        .await?;
        let (user, email) = row.ok_or(Error::LinkExpired)?;
        let email = Email::parse(&email).ok();
        let password = Password::parse(new_password, email.as_ref())
            .map_err(Error::invalid(Field::NewPassword))?;
        let hash = self.hasher.hash(password).await?;
        let t = now().millis();
        let mut tx = self.db.pool().begin().await?;
        // Used once: of two tabs submitting the same link, one wins.
        let used = sqlx::query(
            "UPDATE password_resets SET used_at = $2 WHERE token_hash = $1 AND used_at IS NULL",
        )
        .bind(&token_hash)
        .bind(t)
        .execute(&mut *tx)
        .await?;
        if used.rows_affected() != 1 {
            return Err(Error::LinkExpired);
        }
        end_pending_links(&mut *tx, PendingLinks::Resets, &user, t).await?;
        // A change of address someone asked for with the old password dies with it.
        end_pending_links(&mut *tx, PendingLinks::AddressChanges, &user, t).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(&hash)
            .bind(t)
            .bind(&user)
            .execute(&mut *tx)
            .await?;
        tx.commit().await?;
        let user = UserId(user);
        let session = self.sessions().restart_all(&user).await?;
        // Whoever guessed the old password no longer counts against the owner.
        if let Some(email) = &email {
            self.limits.login_accounts.clear(&email.as_str().to_owned()).await;
        }
        let profile = self.accounts().profile(&user).await?;
        let current = CurrentUser {
            id: profile.id,
            display_name: profile.display_name,
            role: profile.role,
            language: profile.language,
            time_zone: profile.time_zone,
        };
        Ok((current, session))
    }

    /// Deletes reset links that no longer work (hourly housekeeping).
    pub async fn purge_reset_links(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM password_resets WHERE expires_at < $1")
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}
