//! Interaction rules, the restrictions switch, explain and preview.

use super::error::{ErrorBody, SyncError};
use super::{user_id, Client, JsonBody};
use crate::startup::AppState;
use axum::extract::{Path, Query, State};
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
    /// Absent when the rule has none.
    #[serde(skip_serializing_if = "Option::is_none")]
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

/// Checks a submitted rule; `at` prefixes field names (`rules[3].` in a preview).
fn draft(rule: &RuleIn, at: &str) -> Result<RuleDraft, SyncError> {
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
fn rule_id(text: &str) -> Result<String, SyncError> {
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

#[utoipa::path(get, path = "/sync/interaction-rules", tag = "rules",
    responses((status = 200, body = RuleList), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn list(State(s): State<AppState>, client: Client) -> Result<Json<RuleList>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let rules = ContactRules::new(&s.services.db).rules().await?;
    Ok(Json(RuleList { rules: rules.into_iter().map(RuleOut::from).collect() }))
}

#[utoipa::path(post, path = "/sync/interaction-rules", tag = "rules", request_body = RuleIn,
    responses((status = 200, body = RuleOut), (status = "4XX", body = ErrorBody)),
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

#[utoipa::path(put, path = "/sync/interaction-rules/{rule_id}", tag = "rules",
    params(("rule_id" = String, Path, format = Uuid)), request_body = RuleIn,
    responses((status = 200, body = RuleOut), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn replace(
    State(s): State<AppState>,
    client: Client,
    Path(id): Path<String>,
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

#[utoipa::path(delete, path = "/sync/interaction-rules/{rule_id}", tag = "rules",
    params(("rule_id" = String, Path, format = Uuid)),
    responses((status = 204, description = "deleted"), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["TAG_RULE_WRITE"])))]
pub async fn delete(
    State(s): State<AppState>,
    client: Client,
    Path(id): Path<String>,
) -> Result<StatusCode, SyncError> {
    client.require(Scope::TagRuleWrite)?;
    let id = rule_id(&id)?;
    ContactRules::new(&s.services.db)
        .delete_rule(&client.actor(), &id)
        .await
        .map_err(not_found_rule)?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(get, path = "/sync/settings/interaction-restrictions", tag = "rules",
    responses((status = 200, body = Restrictions), (status = "4XX", body = ErrorBody)),
    security(("bearer" = ["TAG_RULE_READ"])))]
pub async fn switch(
    State(s): State<AppState>,
    client: Client,
) -> Result<Json<Restrictions>, SyncError> {
    client.require(Scope::TagRuleRead)?;
    let enabled = ContactRules::new(&s.services.db).restrictions_enabled().await?;
    Ok(Json(Restrictions { enabled }))
}

#[utoipa::path(put, path = "/sync/settings/interaction-restrictions", tag = "rules",
    request_body = Restrictions,
    responses((status = 200, body = Restrictions), (status = "4XX", body = ErrorBody)),
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

#[utoipa::path(get, path = "/sync/interaction-check", tag = "rules",
    params(("from" = String, Query, format = Uuid), ("to" = String, Query, format = Uuid)),
    responses((status = 200, body = Check), (status = "4XX", body = ErrorBody)),
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

#[utoipa::path(post, path = "/sync/interaction-rules/preview", tag = "rules",
    request_body = PreviewIn,
    responses((status = 200, body = PreviewOut), (status = "4XX", body = ErrorBody)),
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
