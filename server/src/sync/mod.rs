//! The Sync API (`/sync/*`, `../shared/spec/sync-api.md`): the machine interface with
//! which an organisation's own systems keep tags and contact rules in step.
//!
//! - Bearer tokens only (`api_clients`): a session cookie is never looked at, and the
//!   site's cross-site form check does not apply (the router is mounted outside it).
//! - Every request is counted against its client's per-minute allowance.
//! - Every error is JSON with a code ([`error`]); bodies are read here, by
//!   [`JsonBody`], so that a wrong type, a too large body or an unknown field gets
//!   its own code.
//! - [`rules`]: rules, the switch, explain, preview. [`users`]: users and their tags,
//!   whom a user may contact. [`openapi`]: the description at `/sync/openapi.json`,
//!   generated from the handlers' annotations (a doc comment gives each operation its
//!   summary and description; `examples` its example bodies).

pub mod error;
mod examples;
pub mod openapi;
pub mod rules;
pub mod users;

use crate::startup::AppState;
use axum::extract::{FromRequest, FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post, put};
use axum::Router;
use error::SyncError;
use marktchat_services::api_clients::{ApiClient, Scope};
use marktchat_services::audit::Actor;
use serde::de::DeserializeOwned;

/// The largest request body: a batch of 1,000 users with 100 tags of 50 characters.
pub const MAX_BODY_BYTES: usize = 8 * 1024 * 1024;

pub fn router(state: &AppState) -> Router<AppState> {
    let authenticated = Router::new()
        .route("/interaction-rules", get(rules::list).post(rules::create))
        .route("/interaction-rules/preview", post(rules::preview))
        .route("/interaction-rules/{rule_id}", put(rules::replace).delete(rules::delete))
        .route("/settings/interaction-restrictions", get(rules::switch).put(rules::set_switch))
        .route("/interaction-check", get(rules::check))
        .route("/users", get(users::list))
        .route("/users/tags", post(users::set_many))
        .route("/users/{user_id}/tags", put(users::set_tags))
        .route("/users/{user_id}/contactable", get(users::contactable))
        .layer(axum::middleware::from_fn_with_state(state.clone(), authenticate));
    Router::new()
        .route("/openapi.json", get(openapi::serve))
        .merge(authenticated)
        .fallback(|| async { SyncError::not_found("endpoint") })
        .method_not_allowed_fallback(|| async {
            SyncError::new(
                StatusCode::METHOD_NOT_ALLOWED,
                "method_not_allowed",
                "this endpoint does not take this method",
            )
        })
}

/// The client behind the request's bearer token, with its allowance counted.
async fn authenticate(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let token = req
        .headers()
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::trim)
        .filter(|t| !t.is_empty() && t.len() <= 200);
    let Some(token) = token else {
        return SyncError::unauthorized(
            "send the client's token as `Authorization: Bearer <token>`",
        )
        .into_response();
    };
    let clients = marktchat_services::api_clients::ApiClients::new(&state.services.db);
    let client = match clients.authenticate(token).await {
        Ok(Some(client)) => client,
        Ok(None) => return SyncError::unknown_token().into_response(),
        Err(e) => return SyncError::from(e).into_response(),
    };
    match state.services.limits.sync_requests.reserve(client.id.clone()).await {
        Ok(hit) => hit.keep(),
        Err(retry_after) => return SyncError::rate_limited(retry_after).into_response(),
    }
    req.extensions_mut().insert(Client(client));
    next.run(req).await
}

/// The authenticated API client of a request.
#[derive(Clone)]
pub struct Client(pub ApiClient);

impl Client {
    /// 403 naming the scope, unless the client has it.
    pub fn require(&self, scope: Scope) -> Result<(), SyncError> {
        if self.0.scopes.contains(&scope) {
            Ok(())
        } else {
            Err(SyncError::missing_scope(scope.as_str()))
        }
    }

    /// Who the audit log names.
    pub fn actor(&self) -> Actor {
        Actor::ApiClient(self.0.name.clone())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = SyncError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, SyncError> {
        parts
            .extensions
            .get::<Client>()
            .cloned()
            .ok_or_else(|| SyncError::unauthorized("no token was checked for this request"))
    }
}

/// A path parameter as text. One that does not decode to UTF-8 comes out empty, so
/// that the id check after it answers a 400 in this API's JSON (axum's own rejection
/// is plain text).
pub struct PathParam(pub String);

impl<S: Send + Sync> FromRequestParts<S> for PathParam {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let text = axum::extract::Path::<String>::from_request_parts(parts, state).await;
        Ok(PathParam(text.map(|axum::extract::Path(t)| t).unwrap_or_default()))
    }
}

/// A JSON request body: `Content-Type: application/json` (else 415), at most
/// [`MAX_BODY_BYTES`] (else 413), and exactly the declared fields (an unknown or
/// missing field is a 400 naming it).
pub struct JsonBody<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for JsonBody<T> {
    type Rejection = SyncError;

    async fn from_request(req: Request, _: &S) -> Result<Self, SyncError> {
        let json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.split(';').next())
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("application/json"));
        if !json {
            return Err(SyncError::unsupported_media_type());
        }
        let too_large = || SyncError::body_too_large(MAX_BODY_BYTES);
        let declared = req
            .headers()
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
        if declared.is_some_and(|n| n > MAX_BODY_BYTES) {
            return Err(too_large());
        }
        let bytes =
            axum::body::to_bytes(req.into_body(), MAX_BODY_BYTES).await.map_err(|_| too_large())?;
        let mut de = serde_json::Deserializer::from_slice(&bytes);
        let value = serde_path_to_error::deserialize(&mut de).map_err(json_error)?;
        de.end().map_err(|e| {
            SyncError::bad_request("invalid_json", format!("the body is not valid JSON: {e}"))
        })?;
        Ok(JsonBody(value))
    }
}

/// A body that is not what the endpoint takes: which field, and what is wrong.
fn json_error(e: serde_path_to_error::Error<serde_json::Error>) -> SyncError {
    let path = e.path().to_string();
    let inner = e.into_inner();
    let message = inner.to_string();
    let quoted = message.split('`').nth(1).map(str::to_owned);
    let at = |name: Option<String>| match (path.as_str(), name) {
        (".", Some(n)) | ("", Some(n)) => n,
        (p, Some(n)) => format!("{p}.{n}"),
        (p, None) => p.to_owned(),
    };
    if message.starts_with("unknown field") {
        // The path already ends with the unknown field's name.
        let field = if path.is_empty() || path == "." { quoted.unwrap_or_default() } else { path };
        SyncError::bad_request("unknown_field", format!("unknown field {field:?}")).field(field)
    } else if message.starts_with("missing field") {
        let field = at(quoted);
        SyncError::bad_request("missing_field", format!("the field {field:?} is required"))
            .field(field)
    } else if inner.is_data() {
        SyncError::bad_request("invalid_json", format!("{path}: {message}")).field(path)
    } else {
        SyncError::bad_request("invalid_json", format!("the body is not valid JSON: {message}"))
    }
}

/// A query parameter as a number in `min..=max`, or `default` when absent.
pub fn number_param(
    query: &std::collections::HashMap<String, String>,
    name: &str,
    default: u64,
    min: u64,
    max: u64,
) -> Result<u64, SyncError> {
    let Some(text) = query.get(name) else { return Ok(default) };
    text.parse::<u64>().ok().filter(|n| (min..=max).contains(n)).ok_or_else(|| {
        SyncError::bad_request(
            "invalid_parameter",
            format!("{name} must be a whole number from {min} to {max}"),
        )
        .field(name)
    })
}

/// A user id from a path or parameter: a UUID (400 otherwise).
pub fn user_id(text: &str, field: &str) -> Result<marktchat_shared::UserId, SyncError> {
    uuid::Uuid::parse_str(text)
        .map(|u| marktchat_shared::UserId(u.hyphenated().to_string()))
        .map_err(|_| {
            SyncError::bad_request("invalid_user_id", format!("{field} must be a user id (a UUID)"))
                .field(field)
        })
}
