//! Server-side sessions. The browser holds an opaque random token in an HttpOnly
//! cookie; the database holds only its SHA-256, the user and the expiry.

use crate::clock::now;
use crate::db::Database;
use crate::error::Result;
use marktchat_shared::{CurrentUser, Language, Role, UserId};
use rand::RngCore;
use sha2::{Digest, Sha256};

/// The cookie's name.
pub const SESSION_COOKIE: &str = "marktchat_session";
/// How long a session lives without use; every use (at most hourly) extends it.
pub const SESSION_LIFETIME_MS: i64 = 30 * 24 * 60 * 60 * 1000;
const TOUCH_INTERVAL_MS: i64 = 60 * 60 * 1000;

/// What the web layer knows about the request's session; put into the request's
/// extensions by the server's session middleware.
#[derive(Debug, Clone, Default)]
pub struct RequestSession {
    pub user: Option<CurrentUser>,
    /// Hash of the presented token, when it named a live session.
    pub token_hash: Option<String>,
    /// The client's address (the peer, or the proxy's `X-Forwarded-For` when trusted).
    pub client_addr: Option<std::net::IpAddr>,
    /// Whether the browser reached us over HTTPS (cookies are then `Secure`).
    pub https: bool,
}

/// A new session's token: goes into the cookie, never into the database.
pub struct SessionToken(pub String);

pub struct Sessions<'a> {
    db: &'a Database,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that stores `token` (HttpOnly, SameSite=Lax, Secure when
/// the site is served over HTTPS).
pub fn session_cookie(token: &SessionToken, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        token.0,
        SESSION_LIFETIME_MS / 1000,
        if secure { "; Secure" } else { "" }
    )
}

/// The `Set-Cookie` value that removes the session cookie.
pub fn clear_session_cookie(secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}=; Path=/; HttpOnly; SameSite=Lax; Max-Age=0{}",
        if secure { "; Secure" } else { "" }
    )
}

/// Finds the session token in a `Cookie` request header.
pub fn token_from_cookie_header(header: &str) -> Option<&str> {
    header.split(';').find_map(|pair| {
        let (name, value) = pair.trim().split_once('=')?;
        (name == SESSION_COOKIE && !value.is_empty()).then_some(value)
    })
}

impl<'a> Sessions<'a> {
    pub fn new(db: &'a Database) -> Self {
        Sessions { db }
    }

    pub async fn create(&self, user: &UserId) -> Result<SessionToken> {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        let token = hex::encode(bytes);
        let t = now().millis();
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(hash_token(&token))
        .bind(&user.0)
        .bind(t)
        .bind(t + SESSION_LIFETIME_MS)
        .bind(t)
        .execute(self.db.pool())
        .await?;
        Ok(SessionToken(token))
    }

    /// The user behind a cookie token, if the session is live. Extends the session
    /// (at most once an hour, to keep reads cheap).
    pub async fn resolve(&self, token: &str) -> Result<Option<RequestSession>> {
        let token_hash = hash_token(token);
        let t = now().millis();
        let row: Option<(String, String, String, String, i64)> = sqlx::query_as(
            "SELECT u.id, u.display_name, u.role, u.language, s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2",
        )
        .bind(&token_hash)
        .bind(t)
        .fetch_optional(self.db.pool())
        .await?;
        let Some((id, display_name, role, language, last_seen)) = row else {
            return Ok(None);
        };
        if t - last_seen > TOUCH_INTERVAL_MS {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
            )
            .bind(t)
            .bind(t + SESSION_LIFETIME_MS)
            .bind(&token_hash)
            .execute(self.db.pool())
            .await?;
        }
        Ok(Some(RequestSession {
            user: Some(CurrentUser {
                id: UserId(id),
                display_name,
                role: Role::from_db(&role),
                language: Language::parse(&language).unwrap_or_default(),
            }),
            token_hash: Some(token_hash),
            ..RequestSession::default()
        }))
    }

    pub async fn revoke(&self, token_hash: &str) -> Result<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Ends every session of `user` except `keep` (e.g. after a password change).
    pub async fn revoke_others(&self, user: &UserId, keep: Option<&str>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(&user.0)
            .bind(keep.unwrap_or(""))
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes expired sessions; returns how many.
    pub async fn purge_expired(&self) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1")
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cookie_format_and_parse() {
        let t = SessionToken("abc123".into());
        let c = session_cookie(&t, false);
        assert!(c.starts_with("marktchat_session=abc123;"));
        assert!(c.contains("HttpOnly") && c.contains("SameSite=Lax") && !c.contains("Secure"));
        assert!(session_cookie(&t, true).ends_with("; Secure"));
        assert!(clear_session_cookie(false).contains("Max-Age=0"));
        assert_eq!(token_from_cookie_header("a=b; marktchat_session=xyz; c=d"), Some("xyz"));
        assert_eq!(token_from_cookie_header("marktchat_session="), None);
        assert_eq!(token_from_cookie_header("other=1"), None);
        assert_ne!(hash_token("xyz"), "xyz");
        assert_eq!(hash_token("xyz").len(), 64);
    }
}
