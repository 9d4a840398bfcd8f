//! Interaction rules, the restrictions switch, explain and preview.

use super::error::{ErrorBody, SyncError};
use super::examples;
use super::{user_id, Client, JsonBody, PathParam};
use crate::startup::AppState;
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::Json;
use marktchat_services::api_clients::Scope;
use marktchat_services::contact_rules::{ContactRules, DraftError, RuleDraft, StoredRule};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;
use utoipa::ToSchema;

/// A rule as a client sends it.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleIn {
    /// e.g. `any(hasTag(Berlin), hasTag(Munich))`
    pub condition: String,
    /// 1 to 100 tags
    pub outcome: Vec<String>,
    /// At most 500 characters; left out, the rule has none.
    #[serde(default)]
    pub description: Option<String>,
}

/// A stored rule.
#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleOut {
    /// Exactly as sent.
    pub condition: String,
    /// Absent when the rule has none (never null).
    #[serde(skip_serializing_if = "Option::is_none")]
    #[schema(nullable = false)]
    pub description: Option<String>,
    pub outcome: Vec<String>,
    #[schema(format = Uuid)]
    pub rule_id: String,
}

impl From<StoredRule> for RuleOut {
    fn from(r: StoredRule) -> Self {
        RuleOut {
            condition: r.condition_text,
            description: r.description,
            outcome: r.rule.outcome.iter().map(|t| t.as_str().to_owned()).collect(),
            rule_id: r.rule.id,
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RuleList {
    /// In the order the rules were created.
    pub rules: Vec<RuleOut>,
}

#[derive(Debug, Serialize, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Restrictions {
    pub enabled: bool,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Check {
    pub allowed: bool,
    /// `restrictions_disabled`, `rule`, `no_rule` or `same_user`
    pub reason: &'static str,
    /// The rules that allowed it.
    pub rule_ids: Vec<String>,
}

#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewIn {
    /// The candidate rule set, replacing the current one for the preview only.
    pub rules: Vec<RuleIn>,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct Pair {
    pub from: String,
    pub to: String,
}

#[derive(Debug, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PreviewOut {
    pub allowed_pairs_before: u64,
    pub allowed_pairs_after: u64,
    /// At most 100.
    pub gained: Vec<Pair>,
    /// At most 100.
    pub lost: Vec<Pair>,
}

/// The 400 of creating a rule.
const BAD_RULE: &str = "The rule is not valid: `invalid_condition` (with `position`, the byte \
    offset, and `column`), `invalid_tag`, `invalid_outcome` or `invalid_description`; or the \
    body is not a rule: `invalid_json`, `unknown_field` or `missing_field`. `field` names the \
    field at fault.";

/// Checks a submitted rule; `at` prefixes field names (`rules[3].` in a preview).
pub(super) fn draft(rule: &RuleIn, at: &str) -> Result<RuleDraft, SyncError> {
    RuleDraft::check(&rule.condition, &rule.outcome, rule.description.as_deref()).map_err(|e| {
        match &e {
            DraftError::Condition(p) => SyncError::condition(&format!("{at}condition"), p),
            DraftError::OutcomeTag { index, .. } => {
                SyncError::bad_request("invalid_tag", e.to_string())
                    .field(format!("{at}outcome[{index}]"))
            }
            DraftError::OutcomeEmpty
            | DraftError::OutcomeTooLong
            | DraftError::OutcomeDuplicate { .. } => {
                SyncError::bad_request("invalid_outcome", e.to_string())
                    .field(format!("{at}outcome"))
            }
            DraftError::DescriptionTooLong => {
                SyncError::bad_request("invalid_description", e.to_string())
                    .field(format!("{at}description"))
            }
        }
    })
}

/// A rule id from the path: a UUID (400 otherwise).
pub(super) fn rule_id(text: &str) -> Result<String, SyncError> {
    uuid::Uuid::parse_str(text).map(|u| u.hyphenated().to_string()).map_err(|_| {
        SyncError::bad_request("invalid_rule_id", "rule_id must be a UUID").field("rule_id")
    })
}

fn not_found_rule(e: marktchat_services::Error) -> SyncError {
    match e {
        marktchat_services::Error::NotFound => SyncError::not_found("rule"),
        other => other.into(),
    }
}

/// List the interaction rules
///
/// Every rule, in the order the rules were created. With interaction restrictions on,
/// a user may start a conversation with another only if one of these rules allows it.
#[utoipa::path(get, path = "/sync/interaction-rules", tag = "rules", operation_id = "list_rules",
    responses((status = 200, description = "The rules, oldest first.", body = RuleList,
        example = json!(examples::rule_list()))),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn list(State(s): State<AppState>, client: Client) -> Result<Json<RuleList>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let rules = ContactRules::new(&s.services.db).rules().await?;
    Ok(Json(RuleList { rules: rules.into_iter().map(RuleOut::from).collect() }))
}

/// Create an interaction rule
///
/// Users for whom `condition` holds may start conversations with the users who carry
/// at least one of the `outcome` tags. The condition is stored exactly as sent. The
/// change is written to the audit log.
#[utoipa::path(post, path = "/sync/interaction-rules", tag = "rules", operation_id = "create_rule",
    request_body(content = RuleIn, description = "The rule; `description` may be left out.",
        example = json!(examples::rule())),
    responses(
        (status = 200, description = "The stored rule, now with its id.", body = RuleOut,
            example = json!(examples::stored_rule())),
        (status = 400, description = BAD_RULE, body = ErrorBody,
            example = json!(examples::bad_condition())),
        (status = 409, description = "There are as many rules as there may be (5,000): \
            `refused`.", body = ErrorBody, example = json!(examples::too_many_rules())),
    ),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn create(
    State(s): State<AppState>,
    client: Client,
    JsonBody(rule): JsonBody<RuleIn>,
) -> Result<Json<RuleOut>, SyncError> {
    client.require(Scope::TagRuleWrite)?;
    let draft = draft(&rule, "")?;
    let stored = ContactRules::new(&s.services.db).create_rule(&client.actor(), draft).await?;
    Ok(Json(stored.into()))
}

/// Replace an interaction rule
///
/// Replaces the whole rule and keeps its id: `condition` and `outcome` are required,
/// and a rule sent without `description` has none afterwards. The change is written
/// to the audit log.
#[utoipa::path(put, path = "/sync/interaction-rules/{rule_id}", tag = "rules",
    operation_id = "replace_rule",
    params(("rule_id" = String, Path, format = Uuid, description = "The rule's id.")),
    request_body(content = RuleIn, description = "The whole rule.",
        example = json!(examples::rule())),
    responses(
        (status = 200, description = "The stored rule.", body = RuleOut,
            example = json!(examples::stored_rule())),
        (status = 400, description = "`rule_id` is not a UUID (`invalid_rule_id`), or the \
            body is not a valid rule (the codes of creating one).", body = ErrorBody,
            example = json!(examples::bad_rule_id())),
        (status = 404, description = "No rule has this id (`not_found`).", body = ErrorBody,
            example = json!(examples::not_found("rule"))),
    ),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn replace(
    State(s): State<AppState>,
    client: Client,
    PathParam(id): PathParam,
    JsonBody(rule): JsonBody<RuleIn>,
) -> Result<Json<RuleOut>, SyncError> {
    client.require(Scope::TagRuleWrite)?;
    let id = rule_id(&id)?;
    let draft = draft(&rule, "")?;
    let stored = ContactRules::new(&s.services.db)
        .replace_rule(&client.actor(), &id, draft)
        .await
        .map_err(not_found_rule)?;
    Ok(Json(stored.into()))
}

/// Delete an interaction rule
///
/// What the rule allowed is no longer allowed for new conversations, at once;
/// conversations that exist go on. The change is written to the audit log.
#[utoipa::path(delete, path = "/sync/interaction-rules/{rule_id}", tag = "rules",
    operation_id = "delete_rule",
    params(("rule_id" = String, Path, format = Uuid, description = "The rule's id.")),
    responses(
        (status = 204, description = "The rule is deleted."),
        (status = 400, description = "`rule_id` is not a UUID (`invalid_rule_id`).",
            body = ErrorBody, example = json!(examples::bad_rule_id())),
        (status = 404, description = "No rule has this id (`not_found`).", body = ErrorBody,
            example = json!(examples::not_found("rule"))),
    ),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn delete(
    State(s): State<AppState>,
    client: Client,
    PathParam(id): PathParam,
) -> Result<StatusCode, SyncError> {
    client.require(Scope::TagRuleWrite)?;
    let id = rule_id(&id)?;
    ContactRules::new(&s.services.db)
        .delete_rule(&client.actor(), &id)
        .await
        .map_err(not_found_rule)?;
    Ok(StatusCode::NO_CONTENT)
}

/// Read the interaction restrictions switch
///
/// Off (the default): anyone may start a conversation with anyone. On: nobody may,
/// unless a rule allows it.
#[utoipa::path(get, path = "/sync/settings/interaction-restrictions", tag = "rules",
    operation_id = "get_restrictions",
    responses((status = 200, description = "Whether restrictions are on.", body = Restrictions,
        example = json!({"enabled": true}))),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn switch(
    State(s): State<AppState>,
    client: Client,
) -> Result<Json<Restrictions>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let enabled = ContactRules::new(&s.services.db).restrictions_enabled().await?;
    Ok(Json(Restrictions { enabled }))
}

/// Switch interaction restrictions on or off
///
/// Takes effect at once for every conversation started afterwards. With restrictions on
/// and no rules, nobody can start a conversation with anybody. The change is written
/// to the audit log.
#[utoipa::path(put, path = "/sync/settings/interaction-restrictions", tag = "rules",
    operation_id = "set_restrictions",
    request_body(content = Restrictions, description = "The new state of the switch.",
        example = json!({"enabled": true})),
    responses(
        (status = 200, description = "The switch as it is now.", body = Restrictions,
            example = json!({"enabled": true})),
        (status = 400, description = "The body is not `{\"enabled\": true|false}` \
            (`invalid_json`, `unknown_field`, `missing_field`).", body = ErrorBody,
            example = json!(examples::missing_enabled())),
    ),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn set_switch(
    State(s): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<Restrictions>,
) -> Result<Json<Restrictions>, SyncError> {
    client.require(Scope::TagRuleWrite)?;
    ContactRules::new(&s.services.db).set_restrictions(&client.actor(), body.enabled).await?;
    Ok(Json(body))
}

/// Explain whether one user may start a conversation with another
///
/// Decided now, from the current tags, rules and switch: `reason` is `rule` (allowed;
/// `rule_ids` names the rules that allow it), `no_rule`, `restrictions_disabled`
/// (allowed) or `same_user` (not allowed). The direction matters.
#[utoipa::path(get, path = "/sync/interaction-check", tag = "rules",
    operation_id = "check_interaction",
    params(
        ("from" = String, Query, format = Uuid, description = "The user who would start it."),
        ("to" = String, Query, format = Uuid, description = "The user they would write to."),
    ),
    responses(
        (status = 200, description = "The decision and why.", body = Check,
            example = json!(examples::check())),
        (status = 400, description = "`from` or `to` is missing (`invalid_parameter`) or \
            not a UUID (`invalid_user_id`); `field` names it.", body = ErrorBody,
            example = json!(examples::bad_user_id("to"))),
        (status = 404, description = "No user has one of these ids (`not_found`).",
            body = ErrorBody, example = json!(examples::not_found("user"))),
    ),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn check(
    State(s): State<AppState>,
    client: Client,
    Query(query): Query<HashMap<String, String>>,
) -> Result<Json<Check>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let param = |name: &str| {
        query.get(name).ok_or_else(|| {
            SyncError::bad_request("invalid_parameter", format!("{name} is required")).field(name)
        })
    };
    let from = user_id(param("from")?, "from")?;
    let to = user_id(param("to")?, "to")?;
    let why = ContactRules::new(&s.services.db).explain(&from, &to).await.map_err(|e| match e {
        marktchat_services::Error::NotFound => SyncError::not_found("user"),
        other => other.into(),
    })?;
    Ok(Json(Check { allowed: why.allowed, reason: why.reason.as_str(), rule_ids: why.rule_ids }))
}

/// Preview a candidate rule set
///
/// What would change if `rules` replaced the current rules: the ordered pairs of users
/// (from, to; from ≠ to) allowed before and after, counted as if restrictions were on,
/// and up to 100 pairs that would gain and 100 that would lose contact. Nothing is saved.
#[utoipa::path(post, path = "/sync/interaction-rules/preview", tag = "rules",
    operation_id = "preview_rules",
    request_body(content = PreviewIn, description = "The candidate rules (at most 5,000).",
        example = json!(examples::preview())),
    responses(
        (status = 200, description = "Pairs before and after, and which change.",
            body = PreviewOut, example = json!(examples::preview_result())),
        (status = 400, description = "A candidate rule is not valid (the codes of creating \
            one; `field` starts with `rules[i].`), there are more than 5,000 \
            (`too_many_rules`), or the body is not `{\"rules\": [...]}`.", body = ErrorBody,
            example = json!(examples::bad_candidate())),
    ),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn preview(
    State(s): State<AppState>,
    client: Client,
    JsonBody(body): JsonBody<PreviewIn>,
) -> Result<Json<PreviewOut>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let max = marktchat_services::contact_rules::MAX_RULES;
    if body.rules.len() > max {
        return Err(
            SyncError::bad_request("too_many_rules", format!("at most {max} rules")).field("rules")
        );
    }
    let mut candidate = Vec::with_capacity(body.rules.len());
    for (i, rule) in body.rules.iter().enumerate() {
        let d = draft(rule, &format!("rules[{i}]."))?.into_rule(format!("candidate-{i}"));
        candidate.push(d);
    }
    let p = ContactRules::new(&s.services.db).preview(&candidate).await?;
    let pairs = |v: Vec<(marktchat_shared::UserId, marktchat_shared::UserId)>| {
        v.into_iter().map(|(a, b)| Pair { from: a.0, to: b.0 }).collect()
    };
    Ok(Json(PreviewOut {
        allowed_pairs_before: p.allowed_pairs_before,
        allowed_pairs_after: p.allowed_pairs_after,
        gained: pairs(p.gained),
        lost: pairs(p.lost),
    }))
}
