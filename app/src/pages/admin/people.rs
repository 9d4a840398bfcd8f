//! "Why can't A contact B?" and a person's tags, by e-mail address.

use crate::api::admin::{Explain, SetUserTags};
use crate::components::{
    action_error, done_after_success, typed_after_failure, FieldError, FormAlert, TextField,
};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos::server_fn::ServerFn;
use marktchat_shared::Field;

#[component]
pub fn People() -> impl IntoView {
    let i18n = use_i18n();
    let explain = ServerAction::<Explain>::new();
    let explain_errors = action_error(explain);
    let tags = ServerAction::<SetUserTags>::new();
    let tag_errors = action_error(tags);
    let none = move || i18n.t(Msg::PreviewNoTags)().to_owned();
    // Without JavaScript a form with problems comes back as it was typed.
    let mut typed = typed_after_failure(Explain::PATH);
    typed.extend(typed_after_failure(SetUserTags::PATH));
    let mut kept = move |name: &str| typed.remove(name).unwrap_or_default();
    let (from, to, email, tag_list) = (kept("from"), kept("to"), kept("email"), kept("tags"));
    // What the last post did (it led back here): whom to explain (the explanation is
    // made again here, from the rules as they are now), the tags saved.
    let mut done = done_after_success();
    let asked = done.remove("explain_from").zip(done.remove("explain_to"));
    let (from, to) = asked.clone().unwrap_or((from, to));
    let explained = crate::resource::load(
        move || asked.clone(),
        |asked| async move {
            match asked {
                Some((from, to)) => crate::api::admin::explain(from, to).await.map(Some),
                None => Ok(None),
            }
        },
    );
    let saved_tags = done.remove("tags_saved").map(|t| (done.remove("tags_for"), t));
    view! {
        <section class="card" id="explain" aria-labelledby="explain-heading">
            <h2 id="explain-heading">{i18n.t(Msg::ExplainHeading)}</h2>
            <ActionForm action=explain attr:class="explain-form" attr:novalidate=true>
                <FormAlert errors=explain_errors />
                <TextField field=Field::From id="explain-from" label=Msg::ExplainFrom kind="email" required=true value=from errors=explain_errors />
                <TextField field=Field::To id="explain-to" label=Msg::ExplainTo kind="email" required=true value=to errors=explain_errors />
                <button type="submit">{i18n.t(Msg::ExplainButton)}</button>
            </ActionForm>
            <div class="explanation" aria-live="polite">
                <Transition fallback=|| ()>
                {move || Suspend::new(async move { explained.await.ok().flatten().map(|e| {
                    let verdict = match e.reason.as_str() {
                        "rule" => view! { <p>{i18n.t(Msg::ExplainAllowedRule)} ": " <code>{e.rules.join(" · ")}</code></p> }.into_any(),
                        "restrictions_disabled" => view! { <p>{i18n.t(Msg::ExplainDisabled)}</p> }.into_any(),
                        "same_user" => view! { <p>{i18n.t(Msg::ExplainSameUser)}</p> }.into_any(),
                        _ => view! { <p>{i18n.t(Msg::ExplainNoRule)}</p> }.into_any(),
                    };
                    let show = |t: Vec<String>| if t.is_empty() { none() } else { t.join(", ") };
                    view! {
                        {verdict}
                        <p class="meta">
                            {i18n.t(Msg::ExplainTags)} " A: " {show(e.from_tags)} " · B: " {show(e.to_tags)}
                        </p>
                    }
                }) })}
                </Transition>
            </div>
        </section>
        <section class="card" id="tags" aria-labelledby="tags-heading">
            <h2 id="tags-heading">{i18n.t(Msg::TagsHeading)}</h2>
            <ActionForm action=tags attr:class="tags-form" attr:novalidate=true>
                <FormAlert errors=tag_errors />
                <TextField field=Field::Email id="tags-email" label=Msg::TagsEmail kind="email" required=true value=email errors=tag_errors />
                <TextField field=Field::Tags id="tags-list" label=Msg::TagsList autocomplete="off" value=tag_list errors=tag_errors />
                <button type="submit">{i18n.t(Msg::TagsSave)}</button>
            </ActionForm>
            {saved_tags.map(|(email, t)| {
                let who = email.map(|e| format!("{e}: ")).unwrap_or_default();
                view! {
                    <p class="notice tags-saved" role="status">
                        {i18n.t(Msg::TagsSaved)} " " {who} {if t.is_empty() { none() } else { t }}
                    </p>
                }
            })}
        </section>
    }
    .into_any()
}

/// API clients (made with their scopes, the token shown once; revoked) and the audit
/// log of every change.
#[component]
pub fn ClientsAndAudit() -> impl IntoView {
    use crate::api::admin::{get_audit, get_clients, CreateClient, RevokeClient, SCOPES};
    let i18n = use_i18n();
    let create = ServerAction::<CreateClient>::new();
    let create_errors = action_error(create);
    let name = typed_after_failure(CreateClient::PATH).remove("name");
    let revoke = ServerAction::<RevokeClient>::new();
    let clients = crate::resource::load(
        move || (create.version().get(), revoke.version().get()),
        |_| get_clients(),
    );
    let query = leptos_router::hooks::use_query_map();
    let before = Memo::new(move |_| query.read().get("audit_before"));
    let audit = crate::resource::load(
        move || (create.version().get(), revoke.version().get(), before.get()),
        |(_, _, before)| get_audit(before),
    );
    view! {
        <section class="card" id="clients" aria-labelledby="clients-heading">
            <h2 id="clients-heading">{i18n.t(Msg::ClientsHeading)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let rows = clients.await.unwrap_or_default();
                    view! {
                        <ul class="client-list">
                            {rows.into_iter().map(|c| {
                                let name = c.name.clone();
                                view! {
                                    <li>
                                        <strong>{c.name.clone()}</strong> " · " <code>{c.scopes.join(", ")}</code>
                                        {if c.revoked {
                                            view! { " · " <span class="meta">{i18n.t(Msg::ClientRevoked)}</span> }.into_any()
                                        } else {
                                            view! {
                                                <ActionForm action=revoke attr:class="inline-form">
                                                    <input type="hidden" name="name" value=name />
                                                    <button type="submit" class="secondary">{i18n.t(Msg::ClientRevoke)}</button>
                                                </ActionForm>
                                            }.into_any()
                                        }}
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
            <ActionForm action=create attr:class="client-form" attr:novalidate=true>
                <FormAlert errors=create_errors />
                <TextField field=Field::ClientName id="client-name" label=Msg::ClientName required=true maxlength=100 value=name.unwrap_or_default() errors=create_errors />
                <fieldset class="field">
                    <legend>{i18n.t(Msg::ClientScopes)}</legend>
                    {SCOPES.iter().map(|s| view! {
                        <label class="check"><input type="checkbox" name=s.to_lowercase() value="1" /> " " <code>{*s}</code></label>
                    }).collect_view()}
                    <FieldError field=Field::Scopes errors=create_errors />
                </fieldset>
                <button type="submit">{i18n.t(Msg::ClientCreate)}</button>
            </ActionForm>
            {done_after_success().remove("client_token").map(|token| view! {
                <div class="notice client-token" role="status">
                    <p>{i18n.t(Msg::ClientTokenOnce)}</p>
                    <code class="token">{token}</code>
                </div>
            })}
        </section>
        <section class="card" aria-labelledby="audit-heading">
            <h2 id="audit-heading">{i18n.t(Msg::AuditHeading)}</h2>
            <Transition fallback=|| ()>
                {move || Suspend::new(async move {
                    let page = audit.await.unwrap_or_default();
                    let (rows, older) = (page.rows, page.older);
                    let paged = before.get_untracked().is_some();
                    view! {
                        {rows.is_empty().then(|| view! { <p class="meta">{i18n.t(Msg::AuditEmpty)}</p> })}
                        <div class="table-scroll">
                            <table class="audit">
                                <thead><tr>
                                    <th scope="col">{i18n.t(Msg::AuditWhen)}</th>
                                    <th scope="col">{i18n.t(Msg::AuditWho)}</th>
                                    <th scope="col">{i18n.t(Msg::AuditWhat)}</th>
                                    <th scope="col">{i18n.t(Msg::AuditBefore)}</th>
                                    <th scope="col">{i18n.t(Msg::AuditAfter)}</th>
                                </tr></thead>
                                <tbody>
                                    {rows.into_iter().map(|r| {
                                        let at = r.at;
                                        let subject = match (r.subject, r.subject_name) {
                                            (Some(id), Some(name)) => view! {
                                                <a href=format!("/users/{id}")>{name}</a>
                                            }.into_any(),
                                            (subject, _) => subject.unwrap_or_default().into_any(),
                                        };
                                        view! {
                                            <tr>
                                                <td>
                                                    <time datetime=at.iso_minute_utc()>
                                                        {move || i18n.locale().date_time(at)}
                                                    </time>
                                                </td>
                                                <td>{r.actor}</td>
                                                <td><code>{r.action}</code> " " {subject}</td>
                                                <td><code>{r.before.unwrap_or_default()}</code></td>
                                                <td><code>{r.after.unwrap_or_default()}</code></td>
                                            </tr>
                                        }
                                    }).collect_view()}
                                </tbody>
                            </table>
                        </div>
                        <nav class="pagination" aria-label=i18n.t(Msg::AuditPages)>
                            {paged.then(|| view! {
                                <a href="/admin#audit-heading">{i18n.t(Msg::AuditNewest)}</a>
                            })}
                            {older.map(|id| view! {
                                <a href=format!("/admin?audit_before={id}#audit-heading") rel="next">
                                    {i18n.t(Msg::AuditOlder)}
                                </a>
                            })}
                        </nav>
                    }
                })}
            </Transition>
        </section>
    }
    .into_any()
}
