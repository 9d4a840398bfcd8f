//! A forgotten password: asking for a link (`/password/forgot`) and choosing a new
//! password through it (`/password/reset`).

use crate::api::password::{reset_link_account, RequestPasswordReset, ResetPassword};
use crate::components::PageTitle;
use crate::components::{
    action_error, typed_after_failure, FormAlert, LoadFailed, Loading, NewPasswordField, Notice,
    TextField,
};
use crate::i18n::{fill, use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;
use marktchat_shared::Field;

#[component]
pub fn ForgotPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let sent = move || query.read().get("sent").is_some();
    let action = ServerAction::<RequestPasswordReset>::new();
    let errors = action_error(action);
    let typed = typed_after_failure(<RequestPasswordReset as leptos::server_fn::ServerFn>::PATH);
    view! {
        <PageTitle text=i18n.t(Msg::ForgotTitle) />
        <section class="card narrow">
            <h1>{i18n.t(Msg::ForgotTitle)}</h1>
            <Show when=move || sent() && errors.get().is_none()>
                <Notice>{i18n.t(Msg::ForgotSent)}</Notice>
            </Show>
            <p>{i18n.t(Msg::ForgotText)}</p>
            <ActionForm action attr:novalidate=true>
                <FormAlert errors />
                <TextField
                    field=Field::Email
                    label=Msg::Email
                    kind="email"
                    value=typed.get("email").cloned().unwrap_or_default()
                    autocomplete="email"
                    required=true
                    errors
                />
                <button type="submit" disabled=move || action.pending().get()>
                    {i18n.t(Msg::ForgotSubmit)}
                </button>
            </ActionForm>
            <p class="aside">
                <A href="/login">{i18n.t(Msg::NavLogin)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn ResetPasswordPage() -> impl IntoView {
    let i18n = use_i18n();
    // Opened from the mail: the token goes into a cookie and out of the address bar.
    let token = use_query_map().read_untracked().get("token");
    if let Some(token) = token {
        #[cfg(feature = "ssr")]
        crate::api::password::keep_reset_token(&token);
        let _ = token;
        return view! { <Redirect path="/password/reset" /> }.into_any();
    }
    let account = crate::resource::load(|| (), |_| reset_link_account());
    view! {
        <PageTitle text=i18n.t(Msg::ResetTitle) />
        <section class="card narrow">
            <h1>{i18n.t(Msg::ResetTitle)}</h1>
            <Suspense fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match account.await {
                        Ok(Some(account)) => view! { <ResetForm account /> }.into_any(),
                        Ok(None) => view! { <Expired /> }.into_any(),
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
    .into_any()
}

#[component]
fn ResetForm(account: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ResetPassword>::new();
    let errors = action_error(action);
    let expired = move || matches!(errors.get(), Some(crate::error::AppError::LinkExpired));
    let account_line =
        Signal::derive(move || fill(i18n.tr(Msg::ResetFor), &[("account", &account)]));
    view! {
        <Show when=move || !expired() fallback=|| view! { <Expired /> }>
            <p>{account_line}</p>
            <ActionForm action attr:novalidate=true>
                <FormAlert errors />
                <NewPasswordField field=Field::NewPassword label=Msg::NewPassword errors />
                <button type="submit" disabled=move || action.pending().get()>
                    {i18n.t(Msg::ResetSubmit)}
                </button>
            </ActionForm>
        </Show>
    }
}

#[component]
fn Expired() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <p class="alert error" role="alert">{i18n.t(Msg::ResetExpired)}</p>
        <p>
            <A href="/password/forgot" attr:class="button">{i18n.t(Msg::ResetAskAgain)}</A>
        </p>
    }
}
