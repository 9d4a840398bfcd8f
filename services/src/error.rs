//! The error type of the services layer. The web layer maps it to what a user sees
//! (and to HTTP status codes) in exactly one place each.

use marktchat_shared::{Field, Invalid};
use std::time::Duration;

pub type Result<T, E = Error> = std::result::Result<T, E>;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// A submitted value breaks a rule; the field says where to show it.
    #[error("{field:?} {problem}")]
    Invalid { field: Field, problem: Invalid },
    #[error("this e-mail address is already registered")]
    EmailTaken,
    /// Unknown e-mail or wrong password: deliberately not told apart.
    #[error("wrong e-mail or password")]
    WrongCredentials,
    /// The current password given to confirm a sensitive change is wrong.
    #[error("the current password is wrong")]
    WrongPassword,
    #[error("too many attempts; try again in {} s", retry_after.as_secs())]
    RateLimited { retry_after: Duration },
    #[error("not logged in")]
    Unauthorized,
    #[error("not allowed")]
    Forbidden,
    #[error("not found")]
    NotFound,
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("migration error: {0}")]
    Migration(#[from] sqlx::migrate::MigrateError),
    #[error("internal error: {0}")]
    Internal(String),
}

impl Error {
    pub fn invalid(field: Field) -> impl FnOnce(Invalid) -> Error {
        move |problem| Error::Invalid { field, problem }
    }

    /// Whether this is the server's fault (worth logging) rather than the user's.
    pub fn is_internal(&self) -> bool {
        matches!(self, Error::Database(_) | Error::Migration(_) | Error::Internal(_))
    }
}

/// True when a database error is a violated unique constraint (both backends).
pub(crate) fn is_unique_violation(err: &sqlx::Error) -> bool {
    matches!(err, sqlx::Error::Database(e) if e.is_unique_violation())
}
