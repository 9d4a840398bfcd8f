//! `/sync/openapi.json`: an OpenAPI 3.1 description of the Sync API, generated from the
//! handlers' annotations (their doc comments give each operation its summary and
//! description) and the request and response types, so it cannot drift from the code.
//! Served without a token: it describes, it grants nothing.
//!
//! What every operation can answer besides its own responses is added here once
//! ([`CommonErrors`]): 401, 403, 429 and 503, and 413 and 415 where a body is read.

use super::error::{ErrorBody, ErrorDetail, SyncError};
use super::{rules, users, MAX_BODY_BYTES};
use crate::startup::AppState;
use axum::extract::State;
use axum::response::IntoResponse;
use marktchat_services::api_clients::Scope;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::openapi::{
    ContentBuilder, HeaderBuilder, Object, Ref, Response, ResponseBuilder, ServerBuilder, Type,
};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "marktchat Sync API",
        description = "Keeps users' tags and the contact rules in step with an organisation's \
                       own systems. Every request carries `Authorization: Bearer <token>` of \
                       an API client that has the scopes the operation names. Every error is \
                       JSON: `{\"error\": {\"code\", \"message\", ...}}`.",
    ),
    tags(
        (name = "rules", description = "Interaction rules, the restrictions switch, explain \
                                        and preview."),
        (name = "users", description = "Users and their tags; whom a user may contact."),
    ),
    paths(
        rules::list, rules::create, rules::replace, rules::delete, rules::switch,
        rules::set_switch, rules::check, rules::preview,
        users::list, users::set_tags, users::set_many, users::contactable,
    ),
    components(schemas(
        ErrorBody, ErrorDetail,
        rules::RuleIn, rules::RuleOut, rules::RuleList, rules::Restrictions, rules::Check,
        rules::PreviewIn, rules::PreviewOut, rules::Pair,
        users::UserOut, users::UserPage, users::TagsIn, users::BatchEntry, users::BatchIn,
        users::BatchOut, users::Contact, users::ContactablePage,
    )),
    modifiers(&Bearer, &CommonErrors),
)]
pub struct SyncApi;

struct Bearer;

impl Modify for Bearer {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let components = openapi.components.get_or_insert_with(Default::default);
        components.add_security_scheme(
            "bearer",
            SecurityScheme::Http(HttpBuilder::new().scheme(HttpAuthScheme::Bearer).build()),
        );
    }
}

/// The responses every operation can give besides its own, with the bodies the
/// code makes: no or a bad token, a missing scope (the operation's first), the
/// client's rate limit, a server without capacity; and where a JSON body is read, a
/// wrong content type and a body too large.
struct CommonErrors;

impl Modify for CommonErrors {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        use std::time::Duration;
        for item in openapi.paths.paths.values_mut() {
            let operations = [&mut item.get, &mut item.put, &mut item.post, &mut item.delete];
            for operation in operations.into_iter().flatten() {
                let mut common = vec![
                    (
                        SyncError::unknown_token(),
                        "The token is missing, malformed, unknown or revoked.",
                    ),
                    (
                        SyncError::missing_scope(first_scope(operation)),
                        "The client lacks a scope this operation needs; `scope` names it.",
                    ),
                    (
                        SyncError::rate_limited(Duration::from_secs(12)),
                        "The client sent more requests this minute than it may: wait as many \
                         seconds as `Retry-After` says.",
                    ),
                    (
                        SyncError::busy(Duration::from_secs(1)),
                        "The server has no capacity for the request now: try again after \
                         `Retry-After` seconds.",
                    ),
                ];
                if operation.request_body.is_some() {
                    common.extend([
                        (SyncError::body_too_large(MAX_BODY_BYTES), "The body is too large."),
                        (
                            SyncError::unsupported_media_type(),
                            "The body is not sent as `Content-Type: application/json`.",
                        ),
                    ]);
                }
                for (error, description) in common {
                    let status = error.status.as_str().to_owned();
                    let description = format!("`{}`: {description}", error.detail.code);
                    operation
                        .responses
                        .responses
                        .insert(status, error_response(&description, &error).into());
                }
            }
        }
    }
}

/// The first scope of the operation's bearer requirement.
fn first_scope(operation: &utoipa::openapi::path::Operation) -> &'static str {
    let requirement = serde_json::to_value(&operation.security).unwrap_or_default();
    let named = requirement.pointer("/0/bearer/0").and_then(|s| s.as_str());
    Scope::ALL
        .iter()
        .map(|s| s.as_str())
        .find(|s| Some(*s) == named)
        .expect("every operation of the Sync API names its scope")
}

fn error_response(description: &str, error: &SyncError) -> Response {
    let content = ContentBuilder::new()
        .schema(Some(Ref::from_schema_name("ErrorBody")))
        .example(Some(error.body()))
        .build();
    let mut response =
        ResponseBuilder::new().description(description).content("application/json", content);
    if error.retry_after().is_some() {
        let seconds = HeaderBuilder::new()
            .schema(Some(Object::with_type(Type::Integer)))
            .description(Some("Seconds to wait before the next request."))
            .build();
        response = response.header("Retry-After", seconds);
    }
    response.build()
}

/// The description, with this installation's public URL as its server when one is
/// configured (else the server that serves it).
pub async fn serve(State(state): State<AppState>) -> axum::response::Response {
    static DOC: std::sync::OnceLock<utoipa::openapi::OpenApi> = std::sync::OnceLock::new();
    let mut doc = DOC.get_or_init(SyncApi::openapi).clone();
    let server = match &state.services.settings.public_url {
        Some(url) => ServerBuilder::new()
            .url(url.trim_end_matches('/'))
            .description(Some("This installation.")),
        None => ServerBuilder::new().url("/").description(Some("The server of this document.")),
    };
    doc.servers = Some(vec![server.build()]);
    let json = doc.to_json().expect("the description serialises");
    ([(axum::http::header::CONTENT_TYPE, "application/json")], json).into_response()
}
