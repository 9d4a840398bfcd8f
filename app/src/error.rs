//! The error type every server function returns. It crosses the wire (JSON), so the
//! browser can show the right message next to the right field; internal details stay
//! in the server log.

use leptos::server_fn::codec::JsonEncoding;
use leptos::server_fn::error::{FromServerFnError, ServerFnErrorErr};
use marktchat_shared::{Field, Invalid, Problems};
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
pub enum AppError {
    /// Every field's problem, to show next to it (a form reports them all at once).
    #[error("{0}")]
    Invalid(Problems),
    #[error("e-mail already registered")]
    EmailTaken,
    #[error("wrong e-mail or password")]
    WrongCredentials,
    #[error("wrong current password")]
    WrongPassword,
    #[error("too many attempts")]
    TooManyAttempts { retry_after_secs: u64 },
    /// Messages written faster than the limit allows: the message waits and goes out
    /// by itself after `retry_after_secs`.
    #[error("writing too fast")]
    WritingTooFast { retry_after_secs: u64 },
    /// The server is at capacity for this kind of work; try again shortly.
    #[error("server busy")]
    Busy { retry_after_secs: u64 },
    #[error("not logged in")]
    NotLoggedIn,
    #[error("forbidden")]
    Forbidden,
    #[error("not found")]
    NotFound,
    /// The conversation is archived and read-only (its listing went).
    #[error("read-only")]
    ReadOnly,
    /// Blocked (or otherwise not allowed): shown neutrally.
    #[error("cannot message this person")]
    CannotMessage,
    /// A link from a mail that expired, was used, or never existed.
    #[error("link expired")]
    LinkExpired,
    /// Something went wrong on the server; the details are in its log.
    #[error("internal error")]
    Internal,
    /// The request itself failed (network, encoding): the server function machinery.
    #[error("request failed: {0}")]
    Request(String),
}

impl AppError {
    /// The HTTP status this error is answered with. The one place errors meet HTTP.
    pub fn status_code(&self) -> u16 {
        match self {
            AppError::Invalid(_) => 422,
            AppError::EmailTaken => 409,
            AppError::WrongCredentials | AppError::NotLoggedIn => 401,
            AppError::WrongPassword => 403,
            AppError::Forbidden => 403,
            AppError::TooManyAttempts { .. } | AppError::WritingTooFast { .. } => 429,
            AppError::Busy { .. } => 503,
            AppError::NotFound => 404,
            AppError::ReadOnly | AppError::CannotMessage => 409,
            AppError::LinkExpired => 410,
            AppError::Request(_) => 400,
            AppError::Internal => 500,
        }
    }

    /// How long to wait before trying again, for a `Retry-After` header.
    pub fn retry_after_secs(&self) -> Option<u64> {
        match self {
            AppError::TooManyAttempts { retry_after_secs }
            | AppError::WritingTooFast { retry_after_secs }
            | AppError::Busy { retry_after_secs } => Some(*retry_after_secs),
            _ => None,
        }
    }

    /// One field's problem.
    pub fn invalid(field: Field, problem: Invalid) -> Self {
        AppError::Invalid(Problems::one(field, problem))
    }

    /// The validation problem for `field`, if this error has one.
    pub fn problem_for(&self, field: Field) -> Option<Invalid> {
        match self {
            AppError::Invalid(problems) => problems.get(field),
            _ => None,
        }
    }
}

impl FromServerFnError for AppError {
    type Encoder = JsonEncoding;

    fn from_server_fn_error(value: ServerFnErrorErr) -> Self {
        AppError::Request(value.to_string())
    }
}

#[cfg(feature = "ssr")]
impl From<marktchat_services::Error> for AppError {
    fn from(e: marktchat_services::Error) -> Self {
        use marktchat_services::Error as E;
        match e {
            E::Invalid(problems) => AppError::Invalid(problems),
            E::EmailTaken => AppError::EmailTaken,
            E::WrongCredentials => AppError::WrongCredentials,
            E::WrongPassword => AppError::WrongPassword,
            E::RateLimited { retry_after } => {
                AppError::TooManyAttempts { retry_after_secs: retry_after.as_secs().max(1) }
            }
            E::Busy { retry_after } => {
                AppError::Busy { retry_after_secs: retry_after.as_secs().max(1) }
            }
            E::Unauthorized => AppError::NotLoggedIn,
            E::Forbidden => AppError::Forbidden,
            E::NotFound => AppError::NotFound,
            E::ReadOnly => AppError::ReadOnly,
            E::CannotMessage => AppError::CannotMessage,
            E::LinkExpired => AppError::LinkExpired,
            // What an admin asked for cannot be done; the message says why.
            e @ (E::Refused(_) | E::BadEntry { .. }) => AppError::Request(e.to_string()),
            e @ (E::Database(_) | E::Migration(_) | E::Internal { .. }) => {
                tracing::error!(error = %e.report(), "internal error in a server function");
                AppError::Internal
            }
        }
    }
}
