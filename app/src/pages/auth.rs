//! Log in and register.

use crate::app::use_auth;
use crate::components::PageTitle;
use crate::components::{
    action_error, typed_after_failure, FormAlert, NewPasswordField, TextField,
};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_query_map;
use marktchat_shared::Field;

/// The `next` query parameter: where to go after logging in.
fn use_next() -> Signal<Option<String>> {
    let query = use_query_map();
    Signal::derive(move || query.read().get("next"))
}

/// Link to the other auth page, keeping `next`.
fn with_next(path: &'static str, next: Option<String>) -> String {
    match next {
        Some(n) => {
            let n: String = form_urlencoded::byte_serialize(n.as_bytes()).collect();
            format!("{path}?next={n}")
        }
        None => path.to_owned(),
    }
}

/// The login and registration forms are of no use to someone logged in: they go on to
/// where they were headed (`next`), or to `default` — where the form itself would have
/// sent them.
#[component]
fn SendOnIfLoggedIn(default: &'static str) -> impl IntoView {
    let auth = use_auth();
    let next = use_next();
    move || {
        (auth.logged_in() == Some(true)).then(|| {
            view! { <Redirect path=crate::api::auth::safe_next(next.get().as_deref(), default) /> }
        })
    }
}

#[component]
pub fn LoginPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let next = use_next();
    let errors = action_error(auth.login);
    let typed = typed_after_failure(<crate::api::auth::Login as leptos::server_fn::ServerFn>::PATH);
    view! {
        <PageTitle text=i18n.t(Msg::LoginTitle) />
        <SendOnIfLoggedIn default="/" />
        <section class="card narrow">
            <h1>{i18n.t(Msg::LoginTitle)}</h1>
            <Show when=move || next.get().is_some() && errors.get().is_none()>
                <p class="alert info">{i18n.t(Msg::LoginRequired)}</p>
            </Show>
            <ActionForm action=auth.login>
                <FormAlert errors />
                <input type="hidden" name="next" value=move || next.get().unwrap_or_default() />
                <TextField
                    field=Field::Email
                    label=Msg::Email
                    kind="email"
                    value=typed.get("email").cloned().unwrap_or_default()
                    autocomplete="username"
                    required=true
                    errors
                />
                <TextField
                    field=Field::Password
                    label=Msg::Password
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors
                />
                <button type="submit" disabled=move || auth.login.pending().get()>
                    {i18n.t(Msg::LoginSubmit)}
                </button>
            </ActionForm>
            <p class="aside">
                <A href="/password/forgot">{i18n.t(Msg::ForgotPassword)}</A>
            </p>
            <p class="aside">
                {i18n.t(Msg::LoginNoAccount)} " "
                <A href=move || with_next("/register", next.get())>{i18n.t(Msg::NavRegister)}</A>
            </p>
        </section>
    }
}

#[component]
pub fn RegisterPage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let next = use_next();
    let errors = action_error(auth.register);
    let typed =
        typed_after_failure(<crate::api::auth::Register as leptos::server_fn::ServerFn>::PATH);
    view! {
        <PageTitle text=i18n.t(Msg::RegisterTitle) />
        <SendOnIfLoggedIn default="/profile" />
        <section class="card narrow">
            <h1>{i18n.t(Msg::RegisterTitle)}</h1>
            <ActionForm action=auth.register attr:novalidate=true>
                <FormAlert errors />
                <input type="hidden" name="next" value=move || next.get().unwrap_or_default() />
                <TextField
                    field=Field::Email
                    label=Msg::Email
                    kind="email"
                    value=typed.get("email").cloned().unwrap_or_default()
                    autocomplete="email"
                    required=true
                    errors
                />
                <TextField
                    field=Field::DisplayName
                    label=Msg::DisplayName
                    hint=Msg::DisplayNameHint
                    value=typed.get("display_name").cloned().unwrap_or_default()
                    autocomplete="nickname"
                    maxlength=50
                    required=true
                    errors
                />
                <NewPasswordField field=Field::Password label=Msg::Password errors />
                <button type="submit" disabled=move || auth.register.pending().get()>
                    {i18n.t(Msg::RegisterSubmit)}
                </button>
            </ActionForm>
            <p class="aside">
                {i18n.t(Msg::RegisterHaveAccount)} " "
                <A href=move || with_next("/login", next.get())>{i18n.t(Msg::NavLogin)}</A>
            </p>
        </section>
    }
}
