//! `/sync/openapi.json`: an OpenAPI 3 description of the Sync API, generated from the
//! handlers' annotations and the request and response types, so it cannot drift
//! from the code. Served without a token: it describes, it grants nothing.

use super::error::{ErrorBody, ErrorDetail};
use super::{rules, users};
use axum::response::IntoResponse;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa::{Modify, OpenApi};

#[derive(OpenApi)]
#[openapi(
    info(
        title = "marktchat Sync API",
        description = "Keeps users' tags and the contact rules in step with an organisation's \
                       own systems. Every request carries `Authorization: Bearer <token>`.",
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
    modifiers(&Bearer),
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

pub async fn serve() -> axum::response::Response {
    static DOC: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    let doc = DOC.get_or_init(|| SyncApi::openapi().to_json().expect("the description serialises"));
    ([(axum::http::header::CONTENT_TYPE, "application/json")], doc.as_str()).into_response()
}
