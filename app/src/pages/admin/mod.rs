//! The admin area (`/admin`), admins only: contact rules.
//!
//! - this file: the page, the restrictions switch, the rule list;
//! - [`editor`]: the rule editor, which checks the condition as it is typed with the
//!   same parser the server uses (compiled to WASM), and previews what the edited
//!   rules would allow;
//! - [`people`]: "why can't A contact B", a person's tags, API clients and the audit
//!   log;
//! - [`bot`]: the help bot's statistics and stored transcripts (`/admin/bot`).

pub mod bot;
mod editor;
mod people;

use crate::api::admin::{
    get_rules_page, AdminRule, DeleteRule, RulesPage, SaveRule, SetRestrictions,
};
use crate::components::PageTitle;
use crate::components::{LoadFailed, Loading, Notice, RequireAdmin};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;

#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::AdminTitle) />
        <RequireAdmin>
            <RulesAdmin />
        </RequireAdmin>
    }
}

#[component]
fn RulesAdmin() -> impl IntoView {
    let i18n = use_i18n();
    let save = ServerAction::<SaveRule>::new();
    let delete = ServerAction::<DeleteRule>::new();
    let switch = ServerAction::<SetRestrictions>::new();
    let page = crate::resource::load(
        move || (save.version().get(), delete.version().get(), switch.version().get()),
        |_| get_rules_page(),
    );
    let query = use_query_map();
    view! {
        <section class="card admin-intro">
            <h1>{i18n.t(Msg::AdminTitle)}</h1>
            <p>{i18n.t(Msg::AdminEmpty)}</p>
            <p>
                <a href="/admin/bot">{i18n.t(Msg::BotAdminLink)}</a>
            </p>
            <Show when=move || query.read().get("saved").is_some()>
                <Notice>{i18n.t(Msg::RuleSaved)}</Notice>
            </Show>
        </section>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(p) => view! { <RulesSections page=p save delete switch /> }.into_any(),
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                }
            })}
        </Transition>
        <people::People />
        <people::ClientsAndAudit />
    }
    .into_any()
}

#[component]
fn RulesSections(
    page: RulesPage,
    save: ServerAction<SaveRule>,
    delete: ServerAction<DeleteRule>,
    switch: ServerAction<SetRestrictions>,
) -> impl IntoView {
    // The rule chosen for editing (`?edit=`), or the one a failed post without
    // JavaScript was editing (kept with what was typed, see `typed_rule`).
    let query = use_query_map();
    let failed =
        crate::app::failed_form_fields().into_iter().find_map(|(k, v)| (k == "edit").then_some(v));
    let editing: Option<AdminRule> = query
        .read_untracked()
        .get("edit")
        .or(failed)
        .and_then(|id| page.rules.iter().find(|r| r.id == id).cloned());
    view! {
        <Switch enabled=page.enabled switch />
        <RuleList rules=page.rules.clone() delete />
        <editor::RuleEditor page editing save />
    }
    .into_any()
}

#[component]
fn Switch(enabled: bool, switch: ServerAction<SetRestrictions>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card" aria-labelledby="switch-heading">
            <h2 id="switch-heading">{i18n.t(Msg::RulesSwitchHeading)}</h2>
            <p>{i18n.t(if enabled { Msg::RulesSwitchOn } else { Msg::RulesSwitchOff })}</p>
            <ActionForm action=switch attr:class="inline-form">
                <label class="check">
                    <input type="checkbox" name="on" value="1" checked=enabled />
                    " " {i18n.t(Msg::RulesSwitchLabel)}
                </label>
                <button type="submit" class="secondary">{i18n.t(Msg::RulesSwitchSave)}</button>
            </ActionForm>
            <p class="warning" role="note">{i18n.t(Msg::RulesSwitchWarning)}</p>
        </section>
    }
    .into_any()
}

#[component]
fn RuleList(rules: Vec<AdminRule>, delete: ServerAction<DeleteRule>) -> impl IntoView {
    let i18n = use_i18n();
    let empty = rules.is_empty();
    view! {
        <section class="card" aria-labelledby="rules-heading">
            <h2 id="rules-heading">{i18n.t(Msg::RulesHeading)}</h2>
            {empty.then(|| view! { <p class="meta">{i18n.t(Msg::RulesNone)}</p> })}
            <ol class="rule-list">
                {rules
                    .into_iter()
                    .map(|r| {
                        let id = r.id.clone();
                        view! {
                            <li class="rule">
                                <code class="condition">{r.condition.clone()}</code>
                                " → "
                                <span class="outcome">{r.outcome.join(", ")}</span>
                                {r.description.clone().map(|d| view! { <p class="meta">{d}</p> })}
                                <div class="rule-actions">
                                    <a href=format!("/admin?edit={}#editor", r.id) class="button secondary">
                                        {i18n.t(Msg::RuleEdit)}
                                    </a>
                                    <ActionForm action=delete attr:class="inline-form">
                                        <input type="hidden" name="id" value=id />
                                        <button type="submit" class="secondary">{i18n.t(Msg::RuleDelete)}</button>
                                    </ActionForm>
                                </div>
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
        </section>
    }
    .into_any()
}
