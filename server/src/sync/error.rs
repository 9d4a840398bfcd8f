//! The Sync API's one error type and its one mapping to HTTP: every error is
//! `{"error": {"code", "message", ...}}` with a machine-readable code.

use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use marktchat_services::error::EntryProblem;
use serde::Serialize;
use utoipa::ToSchema;

/// An error as the client gets it.
#[derive(Debug)]
pub struct SyncError {
    pub status: StatusCode,
    /// Boxed: errors travel in every `Result` of this API and should stay small.
    pub detail: Box<ErrorDetail>,
    retry_after: Option<u64>,
}

/// The response body of every error.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorBody {
    pub error: ErrorDetail,
}

#[derive(Debug, Default, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ErrorDetail {
    /// Machine-readable: `unauthorized`, `missing_scope`, `rate_limited`,
    /// `not_found`, `invalid_condition`, `invalid_tag`, `invalid_outcome`,
    /// `invalid_description`, `invalid_json`, `unknown_field`, `missing_field`,
    /// `unsupported_media_type`, `body_too_large`, `invalid_rule_id`,
    /// `invalid_user_id`, `invalid_parameter`, `invalid_entry`, `unknown_user`,
    /// `duplicate_user`, `too_many_rules`, `method_not_allowed`, `busy`, `internal`.
    pub code: &'static str,
    /// What went wrong and what to do, for a person.
    pub message: String,
    /// Condition errors: the byte offset of the problem.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<usize>,
    /// Condition errors: the column (1-based, in characters).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
    /// The field (or parameter) at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
    /// Batches: the index of the entry at fault.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub index: Option<usize>,
    /// `missing_scope`: the scope the request needs.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub scope: Option<&'static str>,
}

impl SyncError {
    pub fn new(status: StatusCode, code: &'static str, message: impl Into<String>) -> Self {
        SyncError {
            status,
            detail: Box::new(ErrorDetail { code, message: message.into(), ..Default::default() }),
            retry_after: None,
        }
    }

    pub fn bad_request(code: &'static str, message: impl Into<String>) -> Self {
        SyncError::new(StatusCode::BAD_REQUEST, code, message)
    }

    pub fn field(mut self, field: impl Into<String>) -> Self {
        self.detail.field = Some(field.into());
        self
    }

    pub fn index(mut self, index: usize) -> Self {
        self.detail.index = Some(index);
        self
    }

    pub fn unauthorized(message: &str) -> Self {
        SyncError::new(StatusCode::UNAUTHORIZED, "unauthorized", message)
    }

    pub fn unknown_token() -> Self {
        SyncError::unauthorized("this token is unknown or was revoked")
    }

    pub fn unsupported_media_type() -> Self {
        SyncError::new(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported_media_type",
            "send the body as JSON with `Content-Type: application/json`",
        )
    }

    pub fn body_too_large(max_bytes: usize) -> Self {
        SyncError::new(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body_too_large",
            format!("the body is larger than {} MiB", max_bytes / 1024 / 1024),
        )
    }

    pub fn not_found(what: &str) -> Self {
        SyncError::new(StatusCode::NOT_FOUND, "not_found", format!("no such {what}"))
    }

    pub fn missing_scope(scope: &'static str) -> Self {
        let mut e = SyncError::new(
            StatusCode::FORBIDDEN,
            "missing_scope",
            format!("this client lacks the scope {scope}, which this request needs"),
        );
        e.detail.scope = Some(scope);
        e
    }

    pub fn rate_limited(retry_after: std::time::Duration) -> Self {
        let secs = retry_after.as_secs().max(1);
        let mut e = SyncError::new(
            StatusCode::TOO_MANY_REQUESTS,
            "rate_limited",
            format!("too many requests from this client; try again in {secs} s"),
        );
        e.retry_after = Some(secs);
        e
    }

    /// 503: the server has no capacity for this request now (a database connection
    /// that did not come free in time, SQLite's lock); worth a retry.
    pub fn busy(retry_after: std::time::Duration) -> Self {
        let mut e = SyncError::new(
            StatusCode::SERVICE_UNAVAILABLE,
            "busy",
            "the server is busy; try again shortly",
        );
        e.retry_after = Some(retry_after.as_secs().max(1));
        e
    }

    /// Seconds the client is told to wait (`Retry-After`), on a 429 or 503.
    pub fn retry_after(&self) -> Option<u64> {
        self.retry_after
    }

    /// The body as the client gets it (the examples of `/sync/openapi.json`).
    pub fn body(&self) -> serde_json::Value {
        serde_json::json!({ "error": &*self.detail })
    }

    /// A condition that does not parse: where, and what was expected.
    pub fn condition(field: &str, e: &marktchat_shared::rules::ParseError) -> Self {
        let mut err = SyncError::bad_request("invalid_condition", e.to_string()).field(field);
        err.detail.position = Some(e.offset);
        err.detail.column = Some(e.column);
        err
    }
}

impl From<marktchat_services::Error> for SyncError {
    fn from(e: marktchat_services::Error) -> Self {
        use marktchat_services::Error as E;
        match e {
            E::NotFound => SyncError::not_found("resource"),
            E::BadEntry { index, problem } => {
                let code = match problem {
                    EntryProblem::NoSuchUser => "unknown_user",
                    EntryProblem::SameUserAs(_) => "duplicate_user",
                    EntryProblem::Tags(_) => "invalid_tag",
                };
                SyncError::bad_request(code, format!("users[{index}]: {problem}"))
                    .index(index)
                    .field("users")
            }
            E::Refused(message) => SyncError::new(StatusCode::CONFLICT, "refused", message),
            E::RateLimited { retry_after } => SyncError::rate_limited(retry_after),
            E::Busy { retry_after } => SyncError::busy(retry_after),
            other => {
                tracing::error!(error = %other.report(), "internal error in the Sync API");
                SyncError::new(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "internal",
                    "something went wrong on the server; it has been logged",
                )
            }
        }
    }
}

impl IntoResponse for SyncError {
    fn into_response(self) -> Response {
        let mut res = (self.status, axum::Json(ErrorBody { error: *self.detail })).into_response();
        if let Some(secs) = self.retry_after {
            res.headers_mut().insert(header::RETRY_AFTER, secs.into());
        }
        res
    }
}
