//! The admin area's contact rules: the switch, the rules, the tag-set groups the
//! browser previews against, explain, a user's tags, API clients, the audit log.
//! Admins only; everyone else gets "forbidden" (or "log in").

use crate::error::AppError;
use leptos::prelude::*;
#[cfg(feature = "ssr")]
use marktchat_shared::{Field, Invalid, Problems};
use serde::{Deserialize, Serialize};

/// A stored rule as the admin page shows and edits it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AdminRule {
    pub id: String,
    pub condition: String,
    pub outcome: Vec<String>,
    pub description: Option<String>,
}

/// Users who share one tag set: the preview's unit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct TagGroup {
    pub tags: Vec<String>,
    pub size: u64,
}

/// Everything the contact-rules page starts from.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct RulesPage {
    pub enabled: bool,
    pub rules: Vec<AdminRule>,
    pub groups: Vec<TagGroup>,
}

/// An API client as the admin sees it (never its token).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ClientRow {
    pub name: String,
    pub scopes: Vec<String>,
    pub revoked: bool,
}

#[cfg(feature = "ssr")]
pub(crate) fn require_admin() -> Result<marktchat_shared::CurrentUser, AppError> {
    let user = super::ctx::require_user()?;
    if user.is_admin() {
        Ok(user)
    } else {
        Err(AppError::Forbidden)
    }
}

#[cfg(feature = "ssr")]
fn actor(user: &marktchat_shared::CurrentUser) -> marktchat_services::audit::Actor {
    marktchat_services::audit::Actor::Admin(user.id.clone())
}

#[cfg(feature = "ssr")]
fn rules(
    services: &marktchat_services::Services,
) -> marktchat_services::contact_rules::ContactRules<'_> {
    marktchat_services::contact_rules::ContactRules::new(&services.db)
}

#[server(endpoint = "admin/rules")]
pub async fn get_rules_page() -> Result<RulesPage, AppError> {
    use super::ctx;
    require_admin()?;
    ctx::once_per_request("admin/rules".into(), move |services| async move {
        let rules = rules(&services);
        let stored = rules.rules().await?;
        let groups = rules.tag_groups().await?;
        Ok(RulesPage {
            enabled: rules.restrictions_enabled().await?,
            rules: stored
                .into_iter()
                .map(|r| AdminRule {
                    id: r.rule.id,
                    condition: r.condition_text,
                    outcome: r.rule.outcome.iter().map(|t| t.as_str().to_owned()).collect(),
                    description: r.description,
                })
                .collect(),
            groups: groups
                .into_iter()
                .map(|(g, _)| TagGroup {
                    tags: g.tags.iter().map(|t| t.as_str().to_owned()).collect(),
                    size: g.size,
                })
                .collect(),
        })
    })
    .await
}

#[server(endpoint = "admin/restrictions")]
pub async fn set_restrictions(on: Option<String>) -> Result<(), AppError> {
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    rules(&services).set_restrictions(&actor(&admin), on.is_some()).await?;
    leptos_axum::redirect("/admin");
    Ok(())
}

pub use marktchat_shared::rules::draft::split_tags;

/// Creates a rule (`id` empty) or replaces rule `id`.
#[server(endpoint = "admin/rules/save")]
pub async fn save_rule(
    id: String,
    condition: String,
    outcome: String,
    description: String,
) -> Result<(), AppError> {
    use leptos::server_fn::ServerFn;
    use marktchat_shared::rules::draft::RuleDraft;
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    let description = Some(description.trim()).filter(|d| !d.is_empty());
    let saved = async {
        let draft = RuleDraft::check_form(&condition, &split_tags(&outcome), description)
            .map_err(AppError::Invalid)?;
        let rules = rules(&services);
        if id.is_empty() {
            rules.create_rule(&actor(&admin), draft).await?;
        } else {
            rules.replace_rule(&actor(&admin), &id, draft).await?;
        }
        Ok::<_, AppError>(())
    };
    if let Err(error) = saved.await {
        // Without JavaScript the editor comes back with the rule as typed (in the
        // address: a rule is no personal data, and the server and the browser then
        // start the editor alike), and the parser's caret under the condition.
        let mut typed = vec![
            ("condition".to_owned(), condition.clone()),
            ("outcome".to_owned(), outcome.clone()),
            ("description".to_owned(), description.unwrap_or_default().to_owned()),
        ];
        if !id.is_empty() {
            typed.insert(0, ("edit".to_owned(), id.clone()));
        }
        super::ctx::back_to_form(SaveRule::PATH, &error, "/admin", &typed);
        return Err(error);
    }
    leptos_axum::redirect("/admin?saved=1");
    Ok(())
}

#[server(endpoint = "admin/rules/delete")]
pub async fn delete_rule(id: String) -> Result<(), AppError> {
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    rules(&services).delete_rule(&actor(&admin), &id).await?;
    leptos_axum::redirect("/admin");
    Ok(())
}

/// Why A may or may not start a conversation with B, both named by e-mail address.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Explained {
    pub allowed: bool,
    /// `restrictions_disabled`, `rule`, `no_rule` or `same_user`
    pub reason: String,
    /// The conditions of the rules that allowed it.
    pub rules: Vec<String>,
    pub from_tags: Vec<String>,
    pub to_tags: Vec<String>,
}

#[server(endpoint = "admin/explain")]
pub async fn explain(from: String, to: String) -> Result<Explained, AppError> {
    require_admin()?;
    let services = super::ctx::services()?;
    let rules = rules(&services);
    let mut problems = Problems::default();
    let a = problems.check(Field::From, person(&rules, &from).await?);
    let b = problems.check(Field::To, person(&rules, &to).await?);
    let (a, b) = problems
        .result(a.zip(b))
        .map_err(AppError::Invalid)
        .inspect_err(|_| super::ctx::keep_typed(&[("from", &from), ("to", &to)]))?;
    let why = rules.explain(&a, &b).await?;
    let stored = rules.rules().await?;
    let tags =
        |t: Vec<marktchat_shared::rules::Tag>| t.iter().map(|t| t.as_str().to_owned()).collect();
    let explained = Explained {
        allowed: why.allowed,
        reason: why.reason.as_str().to_owned(),
        rules: stored
            .iter()
            .filter(|r| why.rule_ids.contains(&r.rule.id))
            .map(|r| r.condition_text.clone())
            .collect(),
        from_tags: tags(rules.user_tags(&a).await?),
        to_tags: tags(rules.user_tags(&b).await?),
    };
    // A form post: the admin page explains it (`pages::admin::people`).
    done_on_page(&[("explain_from", from.trim()), ("explain_to", to.trim())], "explain");
    Ok(explained)
}

/// After a plain form post that worked: keeps what the admin page is to show of it
/// ([`super::ctx::keep_done`]) and sends the browser back to its section.
#[cfg(feature = "ssr")]
fn done_on_page(fields: &[(&str, &str)], section: &str) {
    if super::ctx::is_plain_form_post() {
        super::ctx::keep_done(fields);
        leptos_axum::redirect(&format!("/admin#{section}"));
    }
}

/// The member with this e-mail address, or what is wrong with it (its form, or
/// nobody has it).
#[cfg(feature = "ssr")]
async fn person(
    rules: &marktchat_services::contact_rules::ContactRules<'_>,
    email: &str,
) -> Result<Result<marktchat_shared::UserId, Invalid>, AppError> {
    if let Err(problem) = marktchat_shared::Email::parse(email) {
        return Ok(Err(problem));
    }
    Ok(rules.user_by_email(email).await?.ok_or(Invalid::NoSuchPerson))
}

/// Replaces the tags of the user with this e-mail address.
#[server(endpoint = "admin/tags")]
pub async fn set_user_tags(email: String, tags: String) -> Result<Vec<String>, AppError> {
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    let rules = rules(&services);
    let mut problems = Problems::default();
    let user = problems.check(Field::Email, person(&rules, &email).await?);
    let parsed = problems.check(
        Field::Tags,
        marktchat_shared::rules::draft::tag_list(&split_tags(&tags)).map_err(|e| e.problem()),
    );
    let (user, parsed) = problems
        .result(user.zip(parsed))
        .map_err(AppError::Invalid)
        .inspect_err(|_| super::ctx::keep_typed(&[("email", &email), ("tags", &tags)]))?;
    rules.set_user_tags(&actor(&admin), &user, &parsed).await?;
    let saved: Vec<String> =
        rules.user_tags(&user).await?.iter().map(|t| t.as_str().to_owned()).collect();
    done_on_page(&[("tags_for", email.trim()), ("tags_saved", &saved.join(", "))], "tags");
    Ok(saved)
}

/// The API clients, newest first.
#[server(endpoint = "admin/clients")]
pub async fn get_clients() -> Result<Vec<ClientRow>, AppError> {
    use marktchat_services::api_clients::ApiClients;
    require_admin()?;
    let services = super::ctx::services()?;
    Ok(ApiClients::new(&services.db)
        .list()
        .await?
        .into_iter()
        .map(|(name, scopes, revoked)| ClientRow {
            name,
            scopes: scopes.iter().map(|s| s.as_str().to_owned()).collect(),
            revoked,
        })
        .collect())
}

/// Creates an API client; returns its token, which is shown this once.
/// The scopes a client may get, as the form's checkbox names (lower case) say them.
pub const SCOPES: [&str; 4] = ["TAG_RULE_READ", "TAG_RULE_WRITE", "USER_READ", "USER_WRITE"];

#[server(endpoint = "admin/clients/create")]
pub async fn create_client(
    name: String,
    tag_rule_read: Option<String>,
    tag_rule_write: Option<String>,
    user_read: Option<String>,
    user_write: Option<String>,
) -> Result<String, AppError> {
    use marktchat_services::api_clients::{ApiClients, Scope};
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    let ticked = [tag_rule_read, tag_rule_write, user_read, user_write];
    let scopes: Vec<Scope> = SCOPES
        .iter()
        .zip(ticked)
        .filter(|(_, on)| on.is_some())
        .filter_map(|(s, _)| Scope::parse(s))
        .collect();
    let token = ApiClients::new(&services.db)
        .create(&name, &scopes)
        .await
        .inspect_err(|_| super::ctx::keep_typed(&[("name", &name)]))?;
    marktchat_services::audit::record_now(
        &services.db,
        &actor(&admin),
        "client.create",
        Some(name.trim()),
        serde_json::json!({ "scopes": scopes.iter().map(|s| s.as_str()).collect::<Vec<_>>() }),
    )
    .await?;
    // Shown this once, on the page the form post leads to.
    done_on_page(&[("client_token", &token)], "clients");
    Ok(token)
}

#[server(endpoint = "admin/clients/revoke")]
pub async fn revoke_client(name: String) -> Result<(), AppError> {
    use marktchat_services::api_clients::ApiClients;
    let admin = require_admin()?;
    let services = super::ctx::services()?;
    ApiClients::new(&services.db).revoke(&name).await?;
    marktchat_services::audit::record_now(
        &services.db,
        &actor(&admin),
        "client.revoke",
        Some(name.trim()),
        serde_json::json!({ "revoked": true }),
    )
    .await?;
    if super::ctx::is_plain_form_post() {
        leptos_axum::redirect("/admin#clients");
    }
    Ok(())
}

/// One audit entry as the admin reads it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct AuditRow {
    pub at: marktchat_shared::Timestamp,
    pub actor: String,
    pub action: String,
    pub subject: Option<String>,
    /// The member the subject names, if it names one.
    pub subject_name: Option<String>,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// One page of the audit log, newest first, and where the next (older) one starts.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct AuditPage {
    pub rows: Vec<AuditRow>,
    /// The entry to continue after ("older changes"), when there are more.
    pub older: Option<String>,
}

/// How many changes one audit page shows.
pub const AUDIT_PAGE: u32 = 50;

/// The newest changes, or those older than the entry `before` (an id from a previous
/// page's `older`; an unknown one gives the first page).
#[server(endpoint = "admin/audit")]
pub async fn get_audit(before: Option<String>) -> Result<AuditPage, AppError> {
    require_admin()?;
    let services = super::ctx::services()?;
    let before = before.filter(|b| !b.is_empty() && b.len() <= 64);
    let newest = |before: Option<String>| {
        let db = services.db.clone();
        async move { marktchat_services::audit::newest(&db, AUDIT_PAGE + 1, before.as_deref()).await }
    };
    let mut entries = newest(before.clone()).await?;
    if entries.is_empty() && before.is_some() {
        // A page link always names an entry with older ones: this names none.
        entries = newest(None).await?;
    }
    let older = if entries.len() > AUDIT_PAGE as usize {
        entries.truncate(AUDIT_PAGE as usize);
        entries.last().map(|e| e.id.clone())
    } else {
        None
    };
    let rows = entries
        .into_iter()
        .map(|e| AuditRow {
            at: marktchat_shared::Timestamp(e.at),
            actor: e.actor,
            action: e.action,
            subject: e.subject,
            subject_name: e.subject_name,
            before: e.before.map(|v| v.to_string()),
            after: e.after.map(|v| v.to_string()),
        })
        .collect();
    Ok(AuditPage { rows, older })
}
