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
pub const SESSION_LIFETIME_MS: i64 = 30 * DAY_MS;
/// How long a session lives at most, however much it is used: then the person logs
/// in again and gets a new token.
pub const SESSION_MAX_AGE_MS: i64 = 90 * DAY_MS;
const DAY_MS: i64 = 24 * 60 * 60 * 1000;
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
    /// The user wants browser notifications for new messages (their profile setting).
    pub notify_messages: bool,
}

/// A new session's token: goes into the cookie, never into the database.
pub struct SessionToken(pub String);

impl SessionToken {
    /// 32 random bytes, hex.
    pub fn generate() -> SessionToken {
        let mut bytes = [0u8; 32];
        rand::thread_rng().fill_bytes(&mut bytes);
        SessionToken(hex::encode(bytes))
    }
}

/// Stores a new session for `user` (by the token's hash) starting at `at`.
pub(crate) async fn insert_session(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    user: &UserId,
    token: &SessionToken,
    at: i64,
) -> Result<()> {
    sqlx::query(
        "INSERT INTO sessions (token_hash, user_id, created_at, expires_at, last_seen_at)
         VALUES ($1, $2, $3, $4, $5)",
    )
    .bind(hash_token(&token.0))
    .bind(&user.0)
    .bind(at)
    .bind(at + SESSION_LIFETIME_MS)
    .bind(at)
    .execute(&mut **tx)
    .await?;
    // Logging in is being active.
    sqlx::query("UPDATE users SET last_active_at = $1 WHERE id = $2")
        .bind(at)
        .bind(&user.0)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

pub struct Sessions<'a> {
    db: &'a Database,
    /// Where ended sessions are announced, so that their open sockets close.
    events: Option<&'a dyn crate::events::Bus>,
}

pub fn hash_token(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The `Set-Cookie` value that stores `token` (HttpOnly, SameSite=Lax, Secure when
/// the site is served over HTTPS). The browser keeps it for the session's longest
/// life; the server ends it earlier after a month without use.
pub fn session_cookie(token: &SessionToken, secure: bool) -> String {
    format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; SameSite=Lax; Max-Age={}{}",
        token.0,
        SESSION_MAX_AGE_MS / 1000,
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
    cookie_value(header, SESSION_COOKIE)
}

/// The non-empty value of the cookie `name` in a `Cookie` request header.
pub fn cookie_value<'h>(header: &'h str, name: &str) -> Option<&'h str> {
    header.split(';').find_map(|pair| {
        let (n, value) = pair.trim().split_once('=')?;
        (n == name && !value.is_empty()).then_some(value)
    })
}

impl<'a> Sessions<'a> {
    pub fn new(db: &'a Database) -> Self {
        Sessions { db, events: None }
    }

    /// Announces every ended session on `events` ([`crate::events::Event::SessionsEnded`]).
    pub fn announcing(mut self, events: &'a dyn crate::events::Bus) -> Self {
        self.events = Some(events);
        self
    }

    fn announce(&self, users: &[UserId]) {
        if let (Some(events), false) = (self.events, users.is_empty()) {
            events.publish(users, crate::events::Event::SessionsEnded);
        }
    }

    /// Starts a session for `user` with a new token. `replacing` is the hash of the
    /// session the browser had until now (any user's): it ends in the same step, so a
    /// login never keeps a token that existed before it (session fixation).
    pub async fn create(&self, user: &UserId, replacing: Option<&str>) -> Result<SessionToken> {
        let token = SessionToken::generate();
        let mut tx = self.db.begin().await?;
        let mut ended = Vec::new();
        if let Some(old) = replacing {
            let owner: Option<(String,)> =
                sqlx::query_as("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
                    .bind(old)
                    .fetch_optional(&mut *tx)
                    .await?;
            ended.extend(owner.map(|(id,)| UserId(id)));
        }
        insert_session(&mut tx, user, &token, now().millis()).await?;
        tx.commit().await?;
        self.announce(&ended);
        Ok(token)
    }

    /// Ends every session of `user` and starts a new one (after a password change):
    /// the browser that changed it stays logged in with a new token, all others are
    /// logged out.
    pub async fn restart_all(&self, user: &UserId) -> Result<SessionToken> {
        let token = self.create(user, None).await?;
        self.revoke_others(user, Some(&hash_token(&token.0))).await?;
        Ok(token)
    }

    /// The user behind a cookie token, if the session is live: used within the last
    /// [`SESSION_LIFETIME_MS`] and younger than [`SESSION_MAX_AGE_MS`]. Extends the
    /// session (at most once an hour, to keep reads cheap), never past its maximum age.
    pub async fn resolve(&self, token: &str) -> Result<Option<RequestSession>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            id: String,
            display_name: String,
            role: String,
            language: String,
            time_zone: Option<String>,
            notify_messages: i64,
            created_at: i64,
            last_seen_at: i64,
        }
        let token_hash = hash_token(token);
        let t = now().millis();
        let row: Option<Row> = sqlx::query_as(
            "SELECT u.id, u.display_name, u.role, u.language, u.time_zone, u.notify_messages,
                    s.created_at,
                    s.last_seen_at
             FROM sessions s JOIN users u ON u.id = s.user_id
             WHERE s.token_hash = $1 AND s.expires_at > $2 AND s.created_at > $3",
        )
        .bind(&token_hash)
        .bind(t)
        .bind(t - SESSION_MAX_AGE_MS)
        .fetch_optional(self.db.pool())
        .await?;
        let Some(row) = row else {
            return Ok(None);
        };
        if t - row.last_seen_at > TOUCH_INTERVAL_MS {
            sqlx::query(
                "UPDATE sessions SET last_seen_at = $1, expires_at = $2 WHERE token_hash = $3",
            )
            .bind(t)
            .bind((t + SESSION_LIFETIME_MS).min(row.created_at + SESSION_MAX_AGE_MS))
            .bind(&token_hash)
            .execute(self.db.pool())
            .await?;
            // The account's "last active" follows (as coarse as this touch).
            sqlx::query("UPDATE users SET last_active_at = $1 WHERE id = $2")
                .bind(t)
                .bind(&row.id)
                .execute(self.db.pool())
                .await?;
        }
        Ok(Some(RequestSession {
            user: Some(CurrentUser {
                id: UserId(row.id),
                display_name: row.display_name,
                role: Role::from_db(&row.role),
                language: Language::parse(&row.language).unwrap_or_default(),
                time_zone: row.time_zone.as_deref().and_then(crate::zones::known),
            }),
            token_hash: Some(token_hash),
            notify_messages: row.notify_messages != 0,
            ..RequestSession::default()
        }))
    }

    /// Ends one session (logout).
    pub async fn revoke(&self, token_hash: &str) -> Result<()> {
        let owner: Option<(String,)> =
            sqlx::query_as("DELETE FROM sessions WHERE token_hash = $1 RETURNING user_id")
                .bind(token_hash)
                .fetch_optional(self.db.pool())
                .await?;
        self.announce(&owner.map(|(id,)| UserId(id)).into_iter().collect::<Vec<_>>());
        Ok(())
    }

    /// When the session behind `token_hash` ends unless it is used again (its
    /// expiry, or its maximum age if that comes first), in milliseconds since the
    /// epoch; `None` if it has ended. Open sockets ask this.
    pub async fn live_until(&self, token_hash: &str) -> Result<Option<i64>> {
        let row: Option<(i64, i64)> =
            sqlx::query_as("SELECT expires_at, created_at FROM sessions WHERE token_hash = $1")
                .bind(token_hash)
                .fetch_optional(self.db.pool())
                .await?;
        let t = now().millis();
        Ok(row
            .map(|(expires, created)| expires.min(created + SESSION_MAX_AGE_MS))
            .filter(|until| *until > t))
    }

    /// Ends every session of `user` except `keep` (e.g. after a password change).
    pub async fn revoke_others(&self, user: &UserId, keep: Option<&str>) -> Result<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
            .bind(&user.0)
            .bind(keep.unwrap_or(""))
            .execute(self.db.pool())
            .await?;
        if done.rows_affected() > 0 {
            self.announce(std::slice::from_ref(user));
        }
        Ok(done.rows_affected())
    }

    /// Deletes expired sessions (unused too long, or too old); returns how many.
    pub async fn purge_expired(&self) -> Result<u64> {
        let t = now().millis();
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= $1 OR created_at <= $2")
            .bind(t)
            .bind(t - SESSION_MAX_AGE_MS)
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
    async fn sessions_rotate_and_end_at_their_maximum_age(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let services = crate::Services::new(db.clone(), crate::Settings::default());
        let new = crate::accounts::NewAccount::parse(
            "s@example.de",
            "Sven Session",
            "a long enough secret",
            Language::De,
        )
        .unwrap();
        let user = services.accounts().register(new, None).await.unwrap().id;
        let sessions = Sessions::new(&db);
        let first = sessions.create(&user, None).await.unwrap();
        assert!(sessions.resolve(&first.0).await.unwrap().is_some());
        // a new login from the same browser replaces its token
        let second = sessions.create(&user, Some(&hash_token(&first.0))).await.unwrap();
        assert!(sessions.resolve(&first.0).await.unwrap().is_none());
        assert!(sessions.resolve(&second.0).await.unwrap().is_some());
        // a password change: one new session, every other one ended
        let other = sessions.create(&user, None).await.unwrap();
        let third = sessions.restart_all(&user).await.unwrap();
        for old in [&second, &other] {
            assert!(sessions.resolve(&old.0).await.unwrap().is_none());
        }
        assert!(sessions.resolve(&third.0).await.unwrap().is_some());
        // however often it is used, a session ends at its maximum age
        let old = now().millis() - SESSION_MAX_AGE_MS - 1000;
        sqlx::query("UPDATE sessions SET created_at = $1 WHERE token_hash = $2")
            .bind(old)
            .bind(hash_token(&third.0))
            .execute(db.pool())
            .await
            .unwrap();
        assert!(sessions.resolve(&third.0).await.unwrap().is_none());
        assert_eq!(sessions.purge_expired().await.unwrap(), 1);
    }

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
