//! Accounts: registration, login, profiles, the user directory, deletion and export.

use crate::clock::now;
use crate::db::Database;
use crate::error::{Error, Result, Unique};
use crate::passwords::Hasher;
use crate::rate_limit::{AddressKey, Limits};
use marktchat_shared::{
    Bio, CurrentUser, DirectoryPage, DisplayName, Email, Field, Invalid, Language, Location,
    Password, Problems, Profile, PublicProfile, Role, Timestamp, UserId, Zone,
};
use std::net::IpAddr;

/// How many of someone's latest answers "answers usually within" looks at.
pub const REPLY_SAMPLE: i64 = 50;

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
        let mut p = Problems::default();
        let email = p.check(Field::Email, Email::parse(email));
        let display_name = p.check(Field::DisplayName, DisplayName::parse(display_name));
        let password = p.check(Field::Password, Password::parse(password, email.as_ref()));
        let account = (|| {
            Some(NewAccount {
                email: email?,
                display_name: display_name?,
                password: password?,
                language,
                role: Role::User,
            })
        })();
        Ok(p.result(account)?)
    }
}

/// A validated change to one's own profile settings.
#[derive(Debug, Clone)]
pub struct ProfileUpdate {
    pub display_name: DisplayName,
    pub location: Option<Location>,
    pub bio: Option<Bio>,
    pub language: Language,
    /// `None`: the browser's own zone.
    pub time_zone: Option<Zone>,
    pub notify_messages: bool,
    pub show_last_active: bool,
    pub show_reply_time: bool,
}

impl ProfileUpdate {
    /// `time_zone` is a zone's name, or empty for "as my browser says". `shown`: the
    /// privacy settings (show "last active", show "answers usually within").
    pub fn parse(
        display_name: &str,
        location: &str,
        bio: &str,
        language: &str,
        time_zone: &str,
        notify_messages: bool,
        shown: (bool, bool),
    ) -> Result<Self> {
        let mut p = Problems::default();
        let display_name = p.check(Field::DisplayName, DisplayName::parse(display_name));
        let location = p.check(Field::Location, Location::parse(location));
        let bio = p.check(Field::Bio, Bio::parse(bio));
        let language = p.check(Field::Language, Language::parse(language));
        let time_zone = p.check(
            Field::TimeZone,
            match time_zone.trim() {
                "" => Ok(None),
                name => crate::zones::known(name).map(Some).ok_or(Invalid::UnknownTimeZone),
            },
        );
        let update = (|| {
            Some(ProfileUpdate {
                display_name: display_name?,
                location: location?,
                bio: bio?,
                language: language?,
                time_zone: time_zone?,
                notify_messages,
                show_last_active: shown.0,
                show_reply_time: shown.1,
            })
        })();
        Ok(p.result(update)?)
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
    time_zone: Option<String>,
    notify_messages: i64,
    created_at: i64,
    show_last_active: i64,
    show_reply_time: i64,
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
            time_zone: r.time_zone.as_deref().and_then(crate::zones::known),
            notify_messages: r.notify_messages != 0,
            member_since: Timestamp(r.created_at),
            show_last_active: r.show_last_active != 0,
            show_reply_time: r.show_reply_time != 0,
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
            activity: Default::default(),
        }
    }
}

const USER_COLUMNS: &str =
    "id, email, display_name, role, location, bio, language, time_zone, notify_messages, \
     created_at, show_last_active, show_reply_time";

/// What logging in reads about an account.
#[derive(sqlx::FromRow)]
struct LoginRow {
    id: String,
    display_name: String,
    role: String,
    language: String,
    time_zone: Option<String>,
    password_hash: String,
}

pub struct Accounts<'a> {
    db: &'a Database,
    hasher: &'a Hasher,
    limits: &'a Limits,
}

impl<'a> Accounts<'a> {
    pub fn new(db: &'a Database, hasher: &'a Hasher, limits: &'a Limits) -> Self {
        Accounts { db, hasher, limits }
    }

    /// Creates an account. Registrations are limited per client address (when known);
    /// every attempt that gets as far as hashing the password counts.
    pub async fn register(&self, new: NewAccount, address: Option<IpAddr>) -> Result<Profile> {
        let reservation = match address {
            Some(a) => Some(
                self.limits
                    .registrations
                    .reserve(AddressKey::from(a))
                    .await
                    .map_err(|retry_after| Error::RateLimited { retry_after })?,
            ),
            None => None,
        };
        let id = uuid::Uuid::new_v4().to_string();
        let hash = self.hasher.hash(new.password).await?;
        if let Some(r) = reservation {
            r.keep();
        }
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
            Err(e) if Unique::violated_by(&e) == Some(Unique::UserEmail) => {
                return Err(Error::EmailTaken)
            }
            other => other?,
        };
        self.profile(&UserId(id)).await
    }

    /// Checks e-mail and password under the login limits: failures per account and
    /// per address, counted before the password is checked, so simultaneous guesses
    /// cannot all slip past the limit. Unknown e-mail and wrong password are
    /// indistinguishable, in answer and in time taken.
    pub async fn login(
        &self,
        email: &str,
        password: &str,
        address: Option<IpAddr>,
    ) -> Result<CurrentUser> {
        let email = Email::parse(email).map_err(Error::invalid(Field::Email))?;
        if password.is_empty() {
            return Err(Error::invalid(Field::Password)(Invalid::Empty));
        }
        let limited = |retry_after| Error::RateLimited { retry_after };
        let account =
            self.limits.login_accounts.reserve(email.as_str().to_owned()).await.map_err(limited)?;
        let from = match address {
            Some(a) => Some(
                self.limits.login_addresses.reserve(AddressKey::from(a)).await.map_err(limited)?,
            ),
            None => None,
        };
        let row: Option<LoginRow> = sqlx::query_as(
            "SELECT id, display_name, role, language, time_zone, password_hash
             FROM users WHERE email = $1",
        )
        .bind(email.as_str())
        .fetch_optional(self.db.pool())
        .await?;
        let stored_hash = row.as_ref().map(|r| r.password_hash.clone());
        let ok = self.hasher.verify(password.to_owned(), stored_hash).await?;
        match row {
            Some(r) if ok => {
                // A good login wipes the account's failures; it never counts.
                drop(account);
                self.limits.login_accounts.clear(&email.as_str().to_owned()).await;
                Ok(CurrentUser {
                    id: UserId(r.id),
                    display_name: r.display_name,
                    role: Role::from_db(&r.role),
                    language: Language::parse(&r.language).unwrap_or_default(),
                    time_zone: r.time_zone.as_deref().and_then(crate::zones::known),
                })
            }
            _ => {
                account.keep();
                if let Some(f) = from {
                    f.keep();
                }
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
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            public: PublicRow,
            #[sqlx(flatten)]
            activity: activity::ActivityColumns,
        }
        let row: Option<Row> = sqlx::query_as(
            "SELECT id, display_name, location, bio, created_at,
                    last_active_at, show_last_active, show_reply_time
             FROM users WHERE id = $1",
        )
        .bind(id)
        .fetch_optional(self.db.pool())
        .await?;
        let row = row.ok_or(Error::NotFound)?;
        let mut profile = PublicProfile::from(row.public);
        profile.activity = self.activity_from(&profile.id, row.activity).await?;
        Ok(profile)
    }

    pub async fn update_profile(&self, id: &UserId, update: ProfileUpdate) -> Result<Profile> {
        let done = sqlx::query(
            "UPDATE users SET display_name = $1, name_key = $2, location = $3, bio = $4,
                              language = $5, notify_messages = $6, updated_at = $7,
                              time_zone = $9, show_last_active = $10, show_reply_time = $11
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
        .bind(update.time_zone.map(|z| z.name().to_owned()))
        .bind(i64::from(update.show_last_active))
        .bind(i64::from(update.show_reply_time))
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
        let mut p = Problems::default();
        let new = p.check(Field::NewPassword, Password::parse(new, email.as_ref()));
        if current.is_empty() {
            p.add(Field::CurrentPassword, Invalid::Empty);
        }
        let new = p.result(new)?;
        self.check_password(id, current).await?;
        let hash = self.hasher.hash(new).await?;
        let t = now().millis();
        sqlx::query("UPDATE users SET password_hash = $1, updated_at = $2 WHERE id = $3")
            .bind(hash)
            .bind(t)
            .bind(&id.0)
            .execute(self.db.pool())
            .await?;
        // A change of address asked for with the old password dies with it.
        end_pending_links(self.db.pool(), PendingLinks::AddressChanges, &id.0, t).await?;
        Ok(())
    }

    /// Deletes the account for good (its password checked before, see
    /// [`crate::Services::delete_account`], which also takes care of its conversations).
    /// Sessions, listings and favourites go with it.
    pub(crate) async fn delete_checked(&self, id: &UserId) -> Result<()> {
        sqlx::query("DELETE FROM users WHERE id = $1").bind(&id.0).execute(self.db.pool()).await?;
        Ok(())
    }

    /// Checks the current password before a sensitive change. Wrong ones count
    /// against the same limit as failed logins.
    pub(crate) async fn check_password(&self, id: &UserId, password: &str) -> Result<()> {
        if password.is_empty() {
            return Err(Error::invalid(Field::CurrentPassword)(Invalid::Empty));
        }
        let attempt = self
            .limits
            .reauth
            .reserve(id.0.clone())
            .await
            .map_err(|retry_after| Error::RateLimited { retry_after })?;
        let hash: Option<(String,)> =
            sqlx::query_as("SELECT password_hash FROM users WHERE id = $1")
                .bind(&id.0)
                .fetch_optional(self.db.pool())
                .await?;
        let hash = hash.ok_or(Error::NotFound)?.0;
        if self.hasher.verify(password.to_owned(), Some(hash)).await? {
            Ok(())
        } else {
            attempt.keep();
            Err(Error::WrongPassword)
        }
    }

    /// One page (1-based) of users whose display name contains `query` (case-insensitive),
    /// ordered by name.
    pub async fn directory(&self, query: &str, page: u32) -> Result<DirectoryPage> {
        let per_page = DirectoryPage::PER_PAGE;
        let page = page.max(1);
        let pattern =
            format!("%{}%", marktchat_shared::search::escape_like(&query.trim().to_lowercase()));
        let (total,): (i64,) =
            sqlx::query_as("SELECT COUNT(*) FROM users WHERE name_key LIKE $1 ESCAPE '\\'")
                .bind(&pattern)
                .fetch_one(self.db.pool())
                .await?;
        let rows: Vec<PublicRow> = sqlx::query_as(DIRECTORY_PAGE_SQL)
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

    /// The users whose display name is `name` (ignoring case), at most `limit`.
    pub async fn find_by_name(&self, name: &str, limit: u32) -> Result<Vec<UserId>> {
        let rows: Vec<(String,)> =
            sqlx::query_as("SELECT id FROM users WHERE name_key = $1 ORDER BY id LIMIT $2")
                .bind(name.split_whitespace().collect::<Vec<_>>().join(" ").to_lowercase())
                .bind(i64::from(limit))
                .fetch_all(self.db.pool())
                .await?;
        Ok(rows.into_iter().map(|r| UserId(r.0)).collect())
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

/// One page of the directory: `$1` the `LIKE` pattern, `$2` the page size, `$3` the
/// offset. In the order of the index `users_by_name`.
pub(crate) const DIRECTORY_PAGE_SQL: &str =
    "SELECT id, display_name, location, bio, created_at FROM users
     WHERE name_key LIKE $1 ESCAPE '\\'
     ORDER BY name_key, id LIMIT $2 OFFSET $3";

mod activity;
pub mod email_change;
pub mod reset;

/// The mailed links an account can have pending.
#[derive(Debug, Clone, Copy)]
pub(crate) enum PendingLinks {
    /// Password reset links (`password_resets`).
    Resets,
    /// Confirmations of a new address (`email_changes`).
    AddressChanges,
}

/// Uses up every pending link of `user` of one kind, at `at` (ms): a reset, a new
/// password or a confirmed address makes the others stale.
pub(crate) async fn end_pending_links<'e>(
    executor: impl sqlx::Executor<'e, Database = sqlx::Any>,
    links: PendingLinks,
    user: &str,
    at: i64,
) -> Result<()> {
    let sql = match links {
        PendingLinks::Resets => {
            "UPDATE password_resets SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL"
        }
        PendingLinks::AddressChanges => {
            "UPDATE email_changes SET used_at = $2 WHERE user_id = $1 AND used_at IS NULL"
        }
    };
    sqlx::query(sql).bind(user).bind(at).execute(executor).await?;
    Ok(())
}

#[cfg(test)]
mod tests;
