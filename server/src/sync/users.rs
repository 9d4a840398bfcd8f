//! Users and their tags; whom a user may contact.

use super::error::{ErrorBody, SyncError};
use super::examples;
use super::{number_param, user_id, Client, JsonBody, PathParam};
use crate::startup::AppState;
use axum::extract::{Query, State};
use axum::Json;
use marktchat_services::api_clients::Scope;
use marktchat_services::contact_rules::users::{TaggedUser, UserRef, MAX_BATCH, MAX_PAGE};
use marktchat_services::contact_rules::ContactRules;
use marktchat_shared::rules::draft::{tag_list, TagListError};
use marktchat_shared::rules::Tag;
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserOut {
    #[schema(format = Uuid)]
    pub user_id: String,
    pub email: String,
    pub display_name: String,
    pub tags: Vec<String>,
}

impl From<TaggedUser> for UserOut {
    fn from(u: TaggedUser) -> Self {
        UserOut {
            user_id: u.id.0,
            email: u.email,
            display_name: u.display_name,
            tags: u.tags.iter().map(|t| t.as_str().to_owned()).collect(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UserPage {
    /// Oldest account first.
    pub users: Vec<UserOut>,
    pub page: u64,
    pub page_size: u64,
    pub total: u64,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TagsIn {
    /// The user's whole tag set (0 to 100 tags).
    pub tags: Vec<String>,
}

/// One user's tags in a batch: the user named by `user_id` or by `email`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchEntry {
    #[serde(default)]
    #[schema(format = Uuid)]
    pub user_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    pub tags: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchIn {
    /// Up to 1,000 entries; all are applied or none.
    pub users: Vec<BatchEntry>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BatchOut {
    pub updated: usize,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Contact {
    #[schema(format = Uuid)]
    pub user_id: String,
    pub display_name: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ContactablePage {
    /// Ascending by user id.
    pub users: Vec<Contact>,
    /// Pass as `cursor` for the next page; null on the last.
    pub next_cursor: Option<String>,
}

/// Tags as sent, checked (`shared::rules::draft::tag_list`): the error names the field
/// and the offending tag.
pub(super) fn tags(list: &[String], field: &str) -> Result<Vec<Tag>, SyncError> {
    tag_list(list).map_err(|e| {
        let code =
            if matches!(e, TagListError::Invalid { .. }) { "invalid_tag" } else { "invalid_tags" };
        let at = e.index().map_or(field.to_owned(), |i| format!("{field}[{i}]"));
        SyncError::bad_request(code, e.to_string()).field(at)
    })
}

fn unknown_user(e: marktchat_services::Error) -> SyncError {
    match e {
        marktchat_services::Error::NotFound => SyncError::not_found("user"),
        other => other.into(),
    }
}

/// List users and their tags
///
/// One page of every account, oldest first, with the tags the rules read.
#[utoipa::path(get, path = "/sync/users", tag = "users", operation_id = "list_users",
    params(
        ("page" = Option<u64>, Query, description = "The page, from 0 (default 0)."),
        ("page_size" = Option<u64>, Query, minimum = 1, maximum = 1000,
            description = "Users per page (default 100)."),
    ),
    responses(
        (status = 200, description = "The page and how many users there are.", body = UserPage,
            example = json!(examples::user_page())),
        (status = 400, description = "`page` or `page_size` is not a whole number in its \
            range (`invalid_parameter`).", body = ErrorBody,
            example = json!(examples::bad_page_size())),
    ),
    security(("bearer" = ["USER_READ"])))]
pub async fn list(
    State(s): State<AppState>,
    client: Client,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<UserPage>, SyncError> {
    client.require(Scope::UserRead)?;
    let page = number_param(&query, "page", 0, 0, u32::MAX as u64)?;
    let page_size = number_param(&query, "page_size", 100, 1, MAX_PAGE as u64)?;
    let (users, total) =
        ContactRules::new(&s.services.db).tagged_users(page, page_size as usize).await?;
    Ok(Json(UserPage {
        users: users.into_iter().map(UserOut::from).collect(),
        page,
        page_size,
        total,
    }))
}

/// Replace a user's tags
///
/// The tags sent become the user's whole tag set (0 to 100 tags, none twice). The
/// decisions that depend on them change at once; the change is written to the audit log.
#[utoipa::path(put, path = "/sync/users/{user_id}/tags", tag = "users",
    operation_id = "set_user_tags",
    params(("user_id" = String, Path, format = Uuid, description = "The user's id.")),
    request_body(content = TagsIn, description = "The user's whole tag set.",
        example = json!(examples::tags())),
    responses(
        (status = 200, description = "The user with the new tags.", body = UserOut,
            example = json!(examples::user())),
        (status = 400, description = "`user_id` is not a UUID (`invalid_user_id`), a tag is \
            not valid (`invalid_tag`; `field` is `tags[i]`), there are too many or one is given \
            twice (`invalid_tags`), or the body is not `{\"tags\": [...]}` (`invalid_json`, \
            `unknown_field`, `missing_field`).", body = ErrorBody,
            example = json!(examples::bad_tag())),
        (status = 404, description = "No user has this id (`not_found`).", body = ErrorBody,
            example = json!(examples::not_found("user"))),
    ),
    security(("bearer" = ["USER_WRITE"])))]
pub async fn set_tags(
    State(s): State<AppState>,
    client: Client,
    PathParam(id): PathParam,
    JsonBody(body): JsonBody<TagsIn>,
) -> Result<Json<UserOut>, SyncError> {
    client.require(Scope::UserWrite)?;
    let id = user_id(&id, "user_id")?;
    let tags = tags(&body.tags, "tags")?;
    let rules = ContactRules::new(&s.services.db);
    rules.set_user_tags(&client.actor(), &id, &tags).await.map_err(unknown_user)?;
    Ok(Json(rules.tagged_user(&id).await.map_err(unknown_user)?.into()))
}

/// Replace the tags of many users at once
///
/// Each entry names a user by `user_id` or by `email` and gives that user's whole tag
/// set. Up to 1,000 entries, checked as a whole: if any is invalid, nothing changes and
/// the error names the entry's `index`. Each change is written to the audit log.
#[utoipa::path(post, path = "/sync/users/tags", tag = "users", operation_id = "set_tags_many",
    request_body(content = BatchIn, description = "The users and their tags.",
        example = json!(examples::batch())),
    responses(
        (status = 200, description = "Every entry was applied.", body = BatchOut,
            example = json!(examples::batch_result())),
        (status = 400, description = "Nothing was changed: an entry names no user \
            (`unknown_user`), the same user as another (`duplicate_user`), both or neither \
            of `user_id` and `email` (`invalid_entry`), a malformed id (`invalid_user_id`) or \
            invalid tags (`invalid_tag`, `invalid_tags`), with its `index`; or there are more \
            than 1,000 entries (`too_many_entries`), or the body is not `{\"users\": [...]}` \
            (`invalid_json`, `unknown_field`, `missing_field`).", body = ErrorBody,
            example = json!(examples::unknown_user_in_batch())),
    ),
    security(("bearer" = ["USER_WRITE"])))]
pub async fn set_many(
    State(s): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<BatchIn>,
) -> Result<Json<BatchOut>, SyncError> {
    client.require(Scope::UserWrite)?;
    if body.users.len() > MAX_BATCH {
        return Err(SyncError::bad_request(
            "too_many_entries",
            format!("a batch holds at most {MAX_BATCH} entries; send the rest in another"),
        )
        .field("users"));
    }
    let mut entries = Vec::with_capacity(body.users.len());
    for (i, entry) in body.users.iter().enumerate() {
        let at = |e: SyncError| e.index(i);
        let user = match (&entry.user_id, &entry.email) {
            (Some(id), None) => {
                UserRef::Id(user_id(id, &format!("users[{i}].user_id")).map_err(at)?)
            }
            (None, Some(email)) => UserRef::Email(email.clone()),
            _ => {
                return Err(SyncError::bad_request(
                    "invalid_entry",
                    format!("users[{i}]: name the user by user_id or by email (one of them)"),
                )
                .field(format!("users[{i}]"))
                .index(i))
            }
        };
        entries.push((user, tags(&entry.tags, &format!("users[{i}].tags")).map_err(at)?));
    }
    let updated =
        ContactRules::new(&s.services.db).set_tags_many(&client.actor(), &entries).await?;
    Ok(Json(BatchOut { updated }))
}

/// List whom a user may start a conversation with
///
/// The users this user may start a conversation with now, ascending by `user_id`, a
/// page at a time: pass `next_cursor` as `cursor` for the next page until it is null.
/// Needs both `TAG_RULE_READ` and `USER_READ`.
#[utoipa::path(get, path = "/sync/users/{user_id}/contactable", tag = "users",
    operation_id = "list_contactable",
    params(
        ("user_id" = String, Path, format = Uuid, description = "The user who would write."),
        ("limit" = Option<u64>, Query, minimum = 1, maximum = 1000,
            description = "Users per page (default 50)."),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the page \
            before; left out or empty for the first page."),
    ),
    responses(
        (status = 200, description = "One page of users.", body = ContactablePage,
            example = json!(examples::contactable())),
        (status = 400, description = "`user_id` is not a UUID (`invalid_user_id`), `limit` \
            is not a whole number from 1 to 1000 (`invalid_parameter`), or `cursor` is not a \
            `next_cursor` (`invalid_cursor`).", body = ErrorBody,
            example = json!(examples::bad_user_id("user_id"))),
        (status = 404, description = "No user has this id (`not_found`).", body = ErrorBody,
            example = json!(examples::not_found("user"))),
    ),
    security(("bearer" = ["TAG_RULE_READ", "USER_READ"])))]
pub async fn contactable(
    State(s): State<AppState>,
    client: Client,
    PathParam(id): PathParam,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<ContactablePage>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    client.require(Scope::UserRead)?;
    let id = user_id(&id, "user_id")?;
    let limit = number_param(&query, "limit", 50, 1, 1000)?;
    let cursor = match query.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => Some(user_id(c, "cursor").map_err(|_| {
            SyncError::bad_request("invalid_cursor", "cursor must be a next_cursor from a page")
                .field("cursor")
        })?),
        None => None,
    };
    let (users, next) = ContactRules::new(&s.services.db)
        .contactable(&id, limit as usize, cursor.as_ref())
        .await
        .map_err(unknown_user)?;
    Ok(Json(ContactablePage {
        users: users
            .into_iter()
            .map(|(id, display_name)| Contact { user_id: id.0, display_name })
            .collect(),
        next_cursor: next.map(|n| n.0),
    }))
}
