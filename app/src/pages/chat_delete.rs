//! `/chat/delete`: deleting a help-bot transcript by its chat code, without an account
//! and without JavaScript. The answer is the same whether the code named a
//! transcript or not.

use crate::api::bot::DeleteChatByCode;
use crate::components::PageTitle;
use crate::components::{action_error, FieldError, FormAlert, Notice};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use marktchat_shared::Field;

#[component]
pub fn ChatDeletePage() -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<DeleteChatByCode>::new();
    let errors = action_error(action);
    let query = use_query_map();
    // Done: after a plain form post the server redirects here with `done`; with
    // JavaScript the action's value says so.
    let done =
        move || query.read().get("done").is_some() || matches!(action.value().get(), Some(Ok(())));
    view! {
        <PageTitle text=i18n.t(Msg::ChatDeleteTitle) />
        <section class="card narrow">
            <h1>{i18n.t(Msg::ChatDeleteTitle)}</h1>
            <p>{i18n.t(Msg::ChatDeleteIntro)}</p>
            <Show when=done>
                <Notice>{i18n.t(Msg::ChatDeleteDone)}</Notice>
            </Show>
            <ActionForm action>
                <FormAlert errors />
                <div class="field">
                    <label for="code">{i18n.t(Msg::ChatCodeLabel)}</label>
                    <input
                        id="code"
                        name="code"
                        type="text"
                        required=true
                        maxlength="64"
                        autocomplete="off"
                        autocapitalize="characters"
                        spellcheck="false"
                        placeholder="K7QM-4XPA-92TD"
                        class="code-input"
                    />
                    <FieldError field=Field::ChatCode errors />
                </div>
                <p class="actions">
                    <button type="submit" class="danger" disabled=move || action.pending().get()>
                        {i18n.t(Msg::ChatDeleteSubmit)}
                    </button>
                </p>
            </ActionForm>
            <p class="meta">{i18n.t(Msg::ChatDeletePrivate)}</p>
            <p class="meta">{i18n.t(Msg::ChatDeleteWidgetHint)}</p>
        </section>
    }
}
