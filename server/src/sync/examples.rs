//! The examples of `/sync/openapi.json`: bodies in the shapes of `sync-api.md`, and
//! errors made by the code that answers them, so that neither can drift from the API.

use super::error::SyncError;
use super::rules::{draft, rule_id, Restrictions, RuleIn};
use super::{number_param, user_id};
use marktchat_services::error::EntryProblem;
use serde_json::{json, Value};

/// The rule id of `sync-api.md`'s example.
const RULE_ID: &str = "728c1541-d6d1-4290-9a53-cdf01dd32d60";
const ANNA: &str = "5f0c2a1e-8d3b-4c7a-9e61-2b4d8f0a7c35";
const BEN: &str = "9a7e4c12-3f6b-4d85-b1c0-6e2f9d8a4b17";

/// The rule of `sync-api.md`, as a client sends it.
pub fn rule() -> Value {
    json!({
        "condition": "any(hasTag(Berlin), hasTag(Munich))",
        "description": "Users from Berlin and Munich can interact with the users from Stuttgart.",
        "outcome": ["Stuttgart"]
    })
}

/// The same rule as stored, with its id.
pub fn stored_rule() -> Value {
    let mut rule = rule();
    rule["rule_id"] = RULE_ID.into();
    rule
}

pub fn rule_list() -> Value {
    json!({ "rules": [stored_rule()] })
}

pub fn check() -> Value {
    json!({ "allowed": true, "reason": "rule", "rule_ids": [RULE_ID] })
}

pub fn preview() -> Value {
    json!({ "rules": [rule()] })
}

pub fn preview_result() -> Value {
    json!({
        "allowed_pairs_before": 16,
        "allowed_pairs_after": 17,
        "gained": [{ "from": ANNA, "to": BEN }],
        "lost": []
    })
}

pub fn tags() -> Value {
    json!({ "tags": ["Berlin", "Sales"] })
}

pub fn user() -> Value {
    json!({
        "user_id": ANNA,
        "email": "anna@example.org",
        "display_name": "Anna Schmidt",
        "tags": ["Berlin", "Sales"]
    })
}

pub fn user_page() -> Value {
    json!({ "users": [user()], "page": 0, "page_size": 100, "total": 1 })
}

pub fn batch() -> Value {
    json!({ "users": [
        { "user_id": ANNA, "tags": ["Berlin", "Sales"] },
        { "email": "ben@example.org", "tags": ["Munich"] }
    ] })
}

pub fn batch_result() -> Value {
    json!({ "updated": 2 })
}

pub fn contactable() -> Value {
    json!({ "users": [{ "user_id": BEN, "display_name": "Ben Weber" }], "next_cursor": BEN })
}

// Errors, as the handlers make them.

fn error(result: Result<impl Sized, SyncError>) -> Value {
    result.err().expect("the example is an error").body()
}

/// A condition that does not parse.
pub fn bad_condition() -> Value {
    let rule = RuleIn {
        condition: "any(hasTag(Berlin) hasTag(Munich))".into(),
        outcome: vec!["Stuttgart".into()],
        description: None,
    };
    error(draft(&rule, ""))
}

/// A candidate of a preview without an outcome.
pub fn bad_candidate() -> Value {
    let rule = RuleIn { condition: "hasTag(Berlin)".into(), outcome: vec![], description: None };
    error(draft(&rule, "rules[0]."))
}

/// A body without a required field.
pub fn missing_enabled() -> Value {
    let mut body = serde_json::Deserializer::from_str("{}");
    error(serde_path_to_error::deserialize::<_, Restrictions>(&mut body).map_err(super::json_error))
}

pub fn bad_rule_id() -> Value {
    error(rule_id("42"))
}

pub fn bad_user_id(field: &str) -> Value {
    error(user_id("42", field))
}

pub fn bad_page_size() -> Value {
    let query = [("page_size".to_owned(), "5000".to_owned())].into();
    error(number_param(&query, "page_size", 100, 1, 1000))
}

pub fn bad_tag() -> Value {
    error(super::users::tags(&["Berlin".into(), "Ber lin".into()], "tags"))
}

pub fn unknown_user_in_batch() -> Value {
    let problem = EntryProblem::NoSuchUser;
    SyncError::from(marktchat_services::Error::BadEntry { index: 1, problem }).body()
}

pub fn not_found(what: &str) -> Value {
    SyncError::not_found(what).body()
}

pub fn too_many_rules() -> Value {
    let max = marktchat_services::contact_rules::MAX_RULES;
    let message = format!("there are already {max} rules, the most");
    SyncError::from(marktchat_services::Error::Refused(message)).body()
}
