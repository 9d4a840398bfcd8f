//! The error type of the services layer. The web layer maps it to what a user sees
//! (and to HTTP status codes) in exactly one place each.
//!
//! Failures of the server's own (database, files, tasks) keep their cause as a
//! `source`, so the whole chain is logged once, where the error becomes a 500
//! ([`Error::report`]).

use marktchat_shared::{Field, Invalid, Problems};
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Any error, as a cause.
pub type Cause = Box<dyn std::error::Error + Send + Sync + 'static>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Submitted values break rules: every field's problem, to show next to it.
    #[error("{0}")]
    Invalid(Problems),
    #[error("this e-mail address is already registered")]
    EmailTaken,
    /// Unknown e-mail or wrong password: deliberately not told apart.
    #[error("wrong e-mail or password")]
    WrongCredentials,
    /// The current password given to confirm a sensitive change is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    /// This person or address tried too often; the limit resets after `retry_after`.
    #[error("too many attempts; try again in {} s", retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    /// The server is at capacity for this kind of work (e.g. password hashing).
    #[error("the server is busy; try again in {} s", retry_after.as_secs())]
    Busy { retry_after: Duration },
    #[error("not logged in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The conversation takes no more messages (its listing went).
    #[error("this conversation is read-only")]
    ReadOnly,
    /// Blocked, not allowed by the contact rules, or nobody left to write to: the
    /// person is deliberately not told which.
    #[error("you cannot message this person")]
    CannotMessage,
    /// A link from a mail (password reset, address change) that expired, was used,
    /// or never existed: deliberately not told apart.
    #[error("this link has expired or was used already")]
    LinkExpired,
    /// One entry of a batch is wrong, so nothing of the batch was applied.
    #[error("entry {index}: {problem}")]
    BadEntry { index: usize, problem: EntryProblem },
    /// What the operator asked for cannot be done (command-line tools); the message
    /// says why and what to do instead.
    #[error("{0}")]
    Refused(String),
    /// Any other database failure. (A pool that had no free connection in time is
    /// `Busy` instead: see the `From` below.)
    #[error("database error")]
    Database(#[source] sqlx::Error),
    #[error("migration error")]
    Migration(#[from] sqlx::migrate::MigrateError),
    /// Something failed that should not have: what we were doing, and why.
    #[error("{context}")]
    Internal {
        context: String,
        #[source]
        source: Option<Cause>,
    },
}

/// What is wrong with one entry of a batch.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryProblem {
    #[error("no such user")]
    NoSuchUser,
    #[error("names the same user as entry {0}")]
    SameUserAs(usize),
    #[error("{0}")]
    Tags(String),
}

impl From<Problems> for Error {
    fn from(p: Problems) -> Self {
        Error::Invalid(p)
    }
}

impl From<sqlx::Error> for Error {
    /// Every connection taken for longer than the pool waits is load, not a fault:
    /// the request is answered "busy, try again" (503) at once, and the log says so.
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::PoolTimedOut => {
                tracing::warn!("no database connection free in time: answering 503");
                Error::Busy { retry_after: Duration::from_secs(1) }
            }
            // SQLite's writer lock stayed taken (SQLITE_BUSY and its extended codes): load
            // as well, worth a retry, not a fault.
            sqlx::Error::Database(ref db)
                if db.try_downcast_ref::<sqlx::sqlite::SqliteError>().is_some()
                    && is_sqlite_busy(db.code().as_deref()) =>
            {
                tracing::warn!(error = %db, "SQLite stayed locked: answering 503");
                Error::Busy { retry_after: Duration::from_secs(1) }
            }
            other => Error::Database(other),
        }
    }
}

/// SQLITE_BUSY (5), also as an extended code (5 + 256·n).
fn is_sqlite_busy(code: Option<&str>) -> bool {
    code.and_then(|c| c.parse::<u32>().ok()).is_some_and(|c| c & 0xff == 5)
}

impl Error {
    pub fn invalid(field: Field) -> impl FnOnce(Invalid) -> Error {
        move |problem| Error::Invalid(Problems::one(field, problem))
    }

    /// `field`'s problem, when this is a validation error with one for it.
    pub fn problem_for(&self, field: Field) -> Option<Invalid> {
        match self {
            Error::Invalid(p) => p.get(field),
            _ => None,
        }
    }

    /// An internal failure with its cause.
    pub fn internal(context: impl Into<String>, source: impl Into<Cause>) -> Error {
        Error::Internal { context: context.into(), source: Some(source.into()) }
    }

    /// An internal failure with no underlying error (e.g. a row that cannot be read).
    pub fn inconsistent(context: impl Into<String>) -> Error {
        Error::Internal { context: context.into(), source: None }
    }

    /// Whether this is the server's fault (worth logging) rather than the user's.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Database(_) | Error::Migration(_) | Error::Internal { .. })
    }

    /// The error and every cause below it, on one line: what the log gets.
    pub fn report(&self) -> String {
        report(self)
    }
}

/// `outer: cause: root cause` for any error.
pub fn report(error: &(dyn std::error::Error + 'static)) -> String {
    let mut out = error.to_string();
    let mut next = error.source();
    while let Some(cause) = next {
        let text = cause.to_string();
        // Some errors repeat their cause in their own message; say it once.
        if !out.ends_with(&text) {
            out.push_str(": ");
            out.push_str(&text);
        }
        next = cause.source();
    }
    out
}

/// The unique constraints the application tells apart, by name. PostgreSQL reports
/// the constraint's name; SQLite reports the table and columns
/// (`UNIQUE constraint failed: users.email`), so each constraint names both.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unique {
    UserEmail,
    UserId,
    ListingId,
    /// One conversation per (listing, buyer, seller).
    ListingConversation,
    /// One direct conversation per pair of people.
    DirectConversation,
    /// A sender's client message id is used once.
    MessageClientId,
}

impl Unique {
    const ALL: [Unique; 6] = [
        Unique::UserEmail,
        Unique::UserId,
        Unique::ListingId,
        Unique::ListingConversation,
        Unique::DirectConversation,
        Unique::MessageClientId,
    ];

    /// The constraint's name on PostgreSQL (the default names of the migrations'
    /// `UNIQUE` and `PRIMARY KEY` clauses).
    fn postgres_name(self) -> &'static str {
        match self {
            Unique::UserEmail => "users_email_key",
            Unique::UserId => "users_pkey",
            Unique::ListingId => "listings_pkey",
            Unique::ListingConversation => "conversations_listing_buyer_seller",
            Unique::DirectConversation => "conversations_direct_key_key",
            Unique::MessageClientId => "messages_sender_client_id",
        }
    }

    /// The columns SQLite names when it is violated.
    fn sqlite_columns(self) -> &'static str {
        match self {
            Unique::UserEmail => "users.email",
            Unique::UserId => "users.id",
            Unique::ListingId => "listings.id",
            Unique::ListingConversation => {
                "conversations.listing_id, conversations.buyer_id, conversations.seller_id"
            }
            Unique::DirectConversation => "conversations.direct_key",
            Unique::MessageClientId => "messages.sender_id, messages.client_id",
        }
    }

    /// Which known unique constraint `err` violated, if it is such a violation.
    pub fn violated_by(err: &sqlx::Error) -> Option<Unique> {
        let sqlx::Error::Database(e) = err else { return None };
        if !e.is_unique_violation() {
            return None;
        }
        let by_name = e
            .constraint()
            .and_then(|name| Unique::ALL.into_iter().find(|u| u.postgres_name() == name));
        by_name.or_else(|| {
            let columns = e.message().strip_prefix("UNIQUE constraint failed: ")?;
            Unique::ALL.into_iter().find(|u| u.sqlite_columns() == columns)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_carry_the_whole_chain_once() {
        let io = std::io::Error::other("disk full");
        let e = Error::internal("cannot write an image", io);
        assert_eq!(e.report(), "cannot write an image: disk full");
        assert!(e.is_internal());
        let e = Error::inconsistent("listing x has unknown status y");
        assert_eq!(e.report(), "listing x has unknown status y");
        assert!(!Error::NotFound.is_internal());
    }

    #[test]
    fn a_locked_sqlite_database_is_busy_not_broken() {
        assert!(is_sqlite_busy(Some("5")));
        assert!(is_sqlite_busy(Some("517")));
        assert!(!is_sqlite_busy(Some("6")));
        assert!(!is_sqlite_busy(None));
    }

    #[test]
    fn a_pool_without_a_free_connection_is_busy_not_broken() {
        let e = Error::from(sqlx::Error::PoolTimedOut);
        assert!(matches!(e, Error::Busy { retry_after } if retry_after.as_secs() == 1), "{e:?}");
        assert!(!e.is_internal());
        assert!(Error::from(sqlx::Error::RowNotFound).is_internal());
    }
}
