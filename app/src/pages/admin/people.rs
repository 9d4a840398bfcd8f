//! "Why can't A contact B?" and a person's tags, by e-mail address.

use crate::api::admin::{Explain, SetUserTags};
use crate::components::{action_error, FormAlert};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

#[component]
pub fn People() -> impl IntoView {
    let i18n = use_i18n();
    let explain = ServerAction::<Explain>::new();
    let explain_errors = action_error(explain);
    let tags = ServerAction::<SetUserTags>::new();
    let tag_errors = action_error(tags);
    let none = move || i18n.t(Msg::PreviewNoTags)().to_owned();
    view! {
        <section class="card" aria-labelledby="explain-heading">
            <h2 id="explain-heading">{i18n.t(Msg::ExplainHeading)}</h2>
            <ActionForm action=explain attr:class="explain-form">
                <FormAlert errors=explain_errors />
                <label for="explain-from">{i18n.t(Msg::ExplainFrom)}</label>
                <input id="explain-from" name="from" type="email" required />
                <label for="explain-to">{i18n.t(Msg::ExplainTo)}</label>
                <input id="explain-to" name="to" type="email" required />
                <button type="submit">{i18n.t(Msg::ExplainButton)}</button>
            </ActionForm>
            <div class="explanation" aria-live="polite">
                {move || explain.value().get().and_then(Result::ok).map(|e| {
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
                })}
            </div>
        </section>
        <section class="card" aria-labelledby="tags-heading">
            <h2 id="tags-heading">{i18n.t(Msg::TagsHeading)}</h2>
            <ActionForm action=tags attr:class="tags-form">
                <FormAlert errors=tag_errors />
                <label for="tags-email">{i18n.t(Msg::TagsEmail)}</label>
                <input id="tags-email" name="email" type="email" required />
                <label for="tags-list">{i18n.t(Msg::TagsList)}</label>
                <input id="tags-list" name="tags" type="text" autocomplete="off" />
                <button type="submit">{i18n.t(Msg::TagsSave)}</button>
            </ActionForm>
            {move || tags.value().get().and_then(Result::ok).map(|t| {
                view! { <p class="notice">{i18n.t(Msg::TagsSaved)} " " {if t.is_empty() { none() } else { t.join(", ") }}</p> }
            })}
        </section>
    }
    .into_any()
}
