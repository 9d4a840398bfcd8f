//! Accounts: registration, login, profiles, the user directory, deletion and export.

use crate::clock::now;
use crate::db::Database;
use crate::error::{is_unique_violation, Error, Result};
use crate::rate_limit::LoginLimiter;
use argon2::password_hash::{rand_core::OsRng, PasswordHash, PasswordHasher, SaltString};
use argon2::{Argon2, PasswordVerifier};
use marktchat_shared::{
    Bio, CurrentUser, DirectoryPage, DisplayName, Email, Field, Invalid, Language, Location,
    Password, Profile, PublicProfile, Role, Timestamp, UserId,
};
use std::net::IpAddr;
use std::sync::OnceLock;

/// What registration needs, already validated.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub email: Email,
    pub display_name: DisplayName,
    pub password: Password,
    pub language: Language,
    pub role: Role,
}

impl NewAccount {
    /// Validates raw form input; the first problem found is reported with its field.
    pub fn parse(
        email: &str,
        display_name: &str,
        password: &str,
        language: Language,
    ) -> Result<Self> {
        let email = Email::parse(email).map_err(Error::invalid(Field::Email))?;
        let display_name =
            DisplayName::parse(display_name).map_err(Error::invalid(Field::DisplayName))?;
        let password =
            Password::parse(password, Some(&email)).map_err(Error::invalid(Field::Password))?;
        Ok(NewAccount { email, display_name, password, language, role: Role::User })
    }
}

/// A validated change to one's own profile settings.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    pub display_name: DisplayName,
    pub location: Option<Location>,
    pub bio: Option<Bio>,
    pub language: Language,
    pub notify_messages: bool,
}

impl ProfileUpdate {
    pub fn parse(
        display_name: &str,
        location: &str,
        bio: &str,
        language: &str,
        notify_messages: bool,
    ) -> Result<Self> {
        Ok(ProfileUpdate {
            display_name: DisplayName::parse(display_name)
                .map_err(Error::invalid(Field::DisplayName))?,
            location: Location::parse(location).map_err(Error::invalid(Field::Location))?,
            bio: Bio::parse(bio).map_err(Error::invalid(Field::Bio))?,
            language: Language::parse(language).map_err(Error::invalid(Field::Language))?,
            notify_messages,
        })
    }
}

#[derive(sqlx::FromRow)]
struct UserRow {
    id: String,
    email: String,
    display_name: String,
    role: String,
    location: Option<String>,
    bio: Option<String>,
    language: String,
    notify_messages: i64,
    created_at: i64,
}

impl From<UserRow> for Profile {
    fn from(r: UserRow) -> Self {
        Profile {
            id: UserId(r.id),
            email: r.email,
            display_name: r.display_name,
            role: Role::from_db(&r.role),
            location: r.location,
            bio: r.bio,
            language: Language::parse(&r.language).unwrap_or_default(),
            notify_messages: r.notify_messages != 0,
            member_since: Timestamp(r.created_at),
        }
    }
}

#[derive(sqlx::FromRow)]
struct PublicRow {
    id: String,
    display_name: String,
    location: Option<String>,
    bio: Option<String>,
    created_at: i64,
}

impl From<PublicRow> for PublicProfile {
    fn from(r: PublicRow) -> Self {
        PublicProfile {
            id: UserId(r.id),
            display_name: r.display_name,
            location: r.location,
            bio: r.bio,
            member_since: Timestamp(r.created_at),
        }
    }
}

const USER_COLUMNS: &str =
    "id, email, display_name, role, location, bio, language, notify_messages, created_at";

pub struct Accounts<'a> {
    db: &'a Database,
}

impl<'a> Accounts<'a> {
    pub fn new(db: &'a Database) -> Self {
        Accounts { db }
    }

    pub async fn register(&self, new: NewAccount) -> Result<Profile> {
        let id = uuid::Uuid::new_v4().to_string();
        let hash = hash_password(new.password).await?;
        let t = now().millis();
        let inserted = sqlx::query(
            "INSERT INTO users (id, email, display_name, name_key, password_hash, role, language,
                                notify_messages, created_at, updated_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, 1, $8, $8)",
        )
        .bind(&id)
        .bind(new.email.as_str())
        .bind(new.display_name.as_str())
        .bind(new.display_name.search_key())
        .bind(&hash)
        .bind(new.role.as_str())
        .bind(new.language.code())
        .bind(t)
        .execute(self.db.pool())
        .await;
        match inserted {
            Err(e) if is_unique_violation(&e) => return Err(Error::EmailTaken),
            other => other?,
        };
        self.profile(&UserId(id)).await
    }

    /// Checks e-mail and password under the login rate limits. Unknown e-mail and wrong
    /// password are indistinguishable, in answer and in time taken.
    pub async fn login(
        &self,
        limiter: &LoginLimiter,
        email: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<CurrentUser> {
        let email = Email::parse(email).map_err(Error::invalid(Field::Email))?;
        if password.is_empty() {
            return Err(Error::Invalid { field: Field::Password, problem: Invalid::Empty });
        }
        if let Err(retry_after) = limiter.check(email.as_str(), address) {
            return Err(Error::RateLimited { retry_after });
        }
        let row: Option<(String, String, String, String, String)> = sqlx::query_as(
            "SELECT id, display_name, role, language, password_hash FROM users WHERE email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        let stored_hash = row.as_ref().map(|r| r.4.clone());
        let ok = verify_password(password.to_owned(), stored_hash).await?;
        match row {
            Some((id, display_name, role, language, _)) if ok => {
                limiter.record_success(email.as_str());
                Ok(CurrentUser {
                    id: UserId(id),
                    display_name,
                    role: Role::from_db(&role),
                    language: Language::parse(&language).unwrap_or_default(),
                })
            }
            _ => {
                limiter.record_failure(email.as_str(), address);
                Err(Error::WrongCredentials)
            }
        }
    }

    pub async fn profile(&self, id: &UserId) -> Result<Profile> {
        let row: Option<UserRow> =
            sqlx::query_as(&format!("SELECT {USER_COLUMNS} FROM users WHERE id = $1"))
                .bind(&id.0)
                .fetch_optional(self.db.pool())
                .await?;
        row.map(Profile::from).ok_or(Error::NotFound)
    }

    pub async fn public_profile(&self, id: &str) -> Result<PublicProfile> {
        let row: Option<PublicRow> = sqlx::query_as(
            "SELECT id, display_name, location, bio, created_at FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        row.map(PublicProfile::from).ok_or(Error::NotFound)
    }

    pub async fn update_profile(&self, id: &UserId, update: ProfileUpdate) -> Result<Profile> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, name_key = $2, location = $3, bio = $4,
                              language = $5, notify_messages = $6, updated_at = $7
             WHERE id = $8",
        )
        .bind(update.display_name.as_str())
        .bind(update.display_name.search_key())
        .bind(update.location.map(Location::into_inner))
        .bind(update.bio.map(Bio::into_inner))
        .bind(update.language.code())
        .bind(i64::from(update.notify_messages))
        .bind(now().millis())
        .bind(&id.0)
        .execute(self.db.pool())
        .await?;
        if done.rows_affected() == 0 {
            return Err(Error::NotFound);
        }
        self.profile(id).await
    }

    /// Changes the password after checking the current one.
    pub async fn change_password(&self, id: &UserId, current: &str, new: &str) -> Result<()> {
        let profile = self.profile(id).await?;
        let email = Email::parse(&profile.email).ok();
        let new =
            Password::parse(new, email.as_ref()).map_err(Error::invalid(Field::NewPassword))?;
        self.check_password(id, current).await?;
        let hash = hash_password(new).await?;
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(now().millis())
            .bind(&id.0)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Deletes the account for good, after checking the password. Sessions go with it.
    pub async fn delete(&self, id: &UserId, password: &str) -> Result<()> {
        self.check_password(id, password).await?;
        sqlx::query("DELETE FROM users WHERE id = $1").bind(&id.0).execute(self.db.pool()).await?;
        Ok(())
    }

    async fn check_password(&self, id: &UserId, password: &str) -> Result<()> {
        if password.is_empty() {
            return Err(Error::Invalid { field: Field::CurrentPassword, problem: Invalid::Empty });
        }
        let hash: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
                .bind(&id.0)
                .fetch_optional(self.db.pool())
                .await?;
        let hash = hash.ok_or(Error::NotFound)?.0;
        if verify_password(password.to_owned(), Some(hash)).await? {
            Ok(())
        } else {
            Err(Error::WrongPassword)
        }
    }

    /// One page (1-based) of users whose display name contains `query` (case-insensitive),
    /// ordered by name.
    pub async fn directory(&self, query: &str, page: u32) -> Result<DirectoryPage> {
        let per_page = DirectoryPage::PER_PAGE;
        let page = page.max(1);
        let pattern = format!("%{}%", escape_like(&query.trim().to_lowercase()));
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE name_key LIKE $1 ESCAPE '\\'")
                .bind(&pattern)
                .fetch_one(self.db.pool())
                .await?;
        let rows: Vec<PublicRow> = sqlx::query_as(
            "SELECT id, display_name, location, bio, created_at FROM users
             WHERE name_key LIKE $1 ESCAPE '\\'
             ORDER BY name_key, id LIMIT $2 OFFSET $3",
        )
        .bind(&pattern)
        .bind(i64::from(per_page))
        .bind(i64::from(page - 1) * i64::from(per_page))
        .fetch_all(self.db.pool())
        .await?;
        Ok(DirectoryPage {
            users: rows.into_iter().map(PublicProfile::from).collect(),
            page,
            per_page,
            total: total.max(0) as u64,
        })
    }

    /// Everything stored about the user, as JSON ("download my data"). Secrets (the
    /// password hash, session tokens) are left out.
    pub async fn export(&self, id: &UserId) -> Result<serde_json::Value> {
        let profile = self.profile(id).await?;
        let sessions: Vec<(i64, i64, i64)> = sqlx::query_as(
            "SELECT created_at, last_seen_at, expires_at FROM sessions
             WHERE user_id = $1 ORDER BY created_at",
        )
        .bind(&id.0)
        .fetch_all(self.db.pool())
        .await?;
        Ok(serde_json::json!({
            "format": "marktchat-export/1",
            "exported_at": now().millis(),
            "account": {
                "id": profile.id.0,
                "email": profile.email,
                "display_name": profile.display_name,
                "role": profile.role.as_str(),
                "location": profile.location,
                "bio": profile.bio,
                "language": profile.language.code(),
                "notify_messages": profile.notify_messages,
                "member_since": profile.member_since.0,
            },
            "sessions": sessions.iter().map(|(c, l, e)| serde_json::json!({
                "created_at": c, "last_seen_at": l, "expires_at": e,
            })).collect::<Vec<_>>(),
        }))
    }

    pub async fn count_admins(&self) -> Result<i64> {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM users WHERE role = 'admin'")
            .fetch_one(self.db.pool())
            .await?;
        Ok(n)
    }
}

/// Escapes `%`, `_` and `\` for a `LIKE … ESCAPE '\'` pattern.
fn escape_like(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if matches!(c, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

/// Argon2id with the crate's defaults (OWASP's recommended m=19 MiB, t=2, p=1), off the
/// async executor.
pub(crate) async fn hash_password(password: Password) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        let salt = SaltString::generate(&mut OsRng);
        Argon2::default()
            .hash_password(password.expose().as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| Error::Internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(|e| Error::Internal(format!("password hashing task failed: {e}")))?
}

/// Verifies against `hash`; with no hash (unknown user) a dummy hash is checked so the
/// answer takes as long as for a real account.
async fn verify_password(password: String, hash: Option<String>) -> Result<bool> {
    static DUMMY: OnceLock<String> = OnceLock::new();
    tokio::task::spawn_blocking(move || {
        let real = hash.is_some();
        let hash = hash.unwrap_or_else(|| {
            DUMMY
                .get_or_init(|| {
                    let salt = SaltString::generate(&mut OsRng);
                    Argon2::default()
                        .hash_password(b"not a real password", &salt)
                        .map(|h| h.to_string())
                        .unwrap_or_default()
                })
                .clone()
        });
        let parsed = PasswordHash::new(&hash)
            .map_err(|e| Error::Internal(format!("stored password hash is unreadable: {e}")))?;
        let ok = Argon2::default().verify_password(password.as_bytes(), &parsed).is_ok();
        Ok(real && ok)
    })
    .await
    .map_err(|e| Error::Internal(format!("password check task failed: {e}")))?
}

#[cfg(test)]
mod tests {
    use super::*;

    fn new_account(email: &str, name: &str) -> NewAccount {
        NewAccount::parse(email, name, "a long enough secret", Language::En).unwrap()
    }

    #[tokio::test]
    async fn register_login_and_duplicate_email() {
        let (db, _dir) = crate::db::test_db().await;
        let accounts = Accounts::new(&db);
        let limiter = LoginLimiter::default();
        let p = accounts.register(new_account("Anna@Example.de", "Anna")).await.unwrap();
        assert_eq!(p.email, "anna@example.de");
        assert!(matches!(
            accounts.register(new_account("anna@example.DE", "Other")).await,
            Err(Error::EmailTaken)
        ));
        let u = accounts
            .login(&limiter, " ANNA@example.de", "a long enough secret", None)
            .await
            .unwrap();
        assert_eq!(u.id, p.id);
        assert!(matches!(
            accounts.login(&limiter, "anna@example.de", "wrong password!", None).await,
            Err(Error::WrongCredentials)
        ));
        assert!(matches!(
            accounts.login(&limiter, "nobody@example.de", "a long enough secret", None).await,
            Err(Error::WrongCredentials)
        ));
    }

    #[tokio::test]
    async fn directory_search_escapes_and_paginates() {
        let (db, _dir) = crate::db::test_db().await;
        let accounts = Accounts::new(&db);
        for i in 0..25 {
            accounts
                .register(new_account(&format!("u{i}@example.de"), &format!("Nutzer {i:02}")))
                .await
                .unwrap();
        }
        accounts.register(new_account("p@example.de", "100% Zoë")).await.unwrap();
        let first = accounts.directory("nutzer", 1).await.unwrap();
        assert_eq!(first.total, 25);
        assert_eq!(first.users.len(), 20);
        assert!(first.has_next());
        let second = accounts.directory("NUTZER", 2).await.unwrap();
        assert_eq!(second.users.len(), 5);
        assert!(!second.has_next());
        let mut names: Vec<_> =
            first.users.iter().chain(&second.users).map(|u| u.display_name.clone()).collect();
        names.dedup();
        assert_eq!(names.len(), 25);
        assert_eq!(accounts.directory("%", 1).await.unwrap().total, 1);
        assert_eq!(accounts.directory("zoë", 1).await.unwrap().total, 1);
        assert_eq!(accounts.directory("_", 1).await.unwrap().total, 0);
    }
}
