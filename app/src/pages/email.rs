//! Confirming a new e-mail address through the link mailed to it (`/email/confirm`).
//! Opening the link changes nothing by itself (mail scanners open links too): the
//! page asks, and a button confirms.

use crate::api::email::{pending_email_change, ConfirmEmailChange};
use crate::components::PageTitle;
use crate::components::{action_error, FormAlert, LoadFailed, Loading, Notice};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;

#[component]
pub fn ConfirmEmailPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    // Opened from the mail: the token goes into a cookie and out of the address bar.
    let token = query.read_untracked().get("token");
    if let Some(token) = token {
        #[cfg(feature = "ssr")]
        crate::api::email::keep_confirm_token(&token);
        let _ = token;
        return view! { <Redirect path="/email/confirm" /> }.into_any();
    }
    let done = query.read_untracked().get("done").is_some();
    let pending = crate::resource::load(|| (), |_| pending_email_change());
    view! {
        <PageTitle text=i18n.t(Msg::ConfirmEmailTitle) />
        <section class="card narrow">
            <h1>{i18n.t(Msg::ConfirmEmailTitle)}</h1>
            {if done {
                view! {
                    <Notice>{i18n.t(Msg::EmailConfirmed)}</Notice>
                    <p><A href="/profile">{i18n.t(Msg::ProfileTitle)}</A></p>
                }
                    .into_any()
            } else {
                view! {
                    <Suspense fallback=|| view! { <Loading /> }>
                        {move || Suspend::new(async move {
                            match pending.await {
                                Ok(Some(address)) => view! { <ConfirmForm address /> }.into_any(),
                                Ok(None) => view! { <Expired /> }.into_any(),
                                Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                            }
                        })}
                    </Suspense>
                }
                    .into_any()
            }}
        </section>
    }
    .into_any()
}

#[component]
fn ConfirmForm(address: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ConfirmEmailChange>::new();
    let errors = action_error(action);
    view! {
        <p>{i18n.t(Msg::ConfirmEmailText)} " " <strong>{address}</strong></p>
        <ActionForm action>
            <FormAlert errors />
            <button type="submit" disabled=move || action.pending().get()>
                {i18n.t(Msg::ConfirmEmailSubmit)}
            </button>
        </ActionForm>
    }
}

#[component]
fn Expired() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="alert error" role="alert">{i18n.t(Msg::ErrLinkExpired)}</p>
        <p><A href="/profile">{i18n.t(Msg::ProfileTitle)}</A></p>
    }
}
