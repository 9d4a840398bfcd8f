//! Building blocks used across pages: the header, accessible form fields, error boxes,
//! and the guards for pages that need a login or the admin role.

use crate::app::{set_http_status, use_auth};
use crate::error::AppError;
use crate::i18n::{error_text, invalid_text, use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::{Redirect, A};
use leptos_router::hooks::use_location;

mod activity;
mod header;
mod lists;
pub use activity::ActivityLine;
pub use header::Header;
pub use lists::{ListingCard, ListingGrid, ListingRows, PageLinks, StatusBadge};
use marktchat_shared::Field;

/// A labelled input with its hint and its validation message. `errors` is the last
/// error of the form's action; the message shows when it concerns this field.
/// Amounts and postal codes bring up the phone's number keyboard ([`input_mode`]).
#[component]
pub fn TextField(
    field: Field,
    label: Msg,
    /// The element id; defaults to the field's name (set it when a page has two forms
    /// with the same field).
    #[prop(optional)]
    id: Option<&'static str>,
    #[prop(default = "text")] kind: &'static str,
    #[prop(optional)] hint: Option<Msg>,
    #[prop(optional, into)] value: Option<String>,
    #[prop(optional)] autocomplete: Option<&'static str>,
    #[prop(optional)] required: bool,
    #[prop(optional)] multiline: bool,
    #[prop(optional)] maxlength: Option<usize>,
    #[prop(into)] errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = id.unwrap_or(field.name());
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let problem = Memo::new(move |_| errors.get().and_then(|e| e.problem_for(field)));
    let describedby = {
        let (hint_id, error_id) = (hint_id.clone(), error_id.clone());
        move || {
            let mut ids = Vec::new();
            if hint.is_some() {
                ids.push(hint_id.clone());
            }
            if problem.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let invalid = move || problem.get().is_some().then_some("true");
    let control = if multiline {
        view! {
            <textarea
                id=id
                name=field.name()
                rows="5"
                maxlength=maxlength
                required=required
                aria-invalid=invalid
                aria-describedby=describedby
            >
                {textarea_text(value.clone().unwrap_or_default())}
            </textarea>
        }
        .into_any()
    } else {
        view! {
            <input
                id=id
                name=field.name()
                type=kind
                inputmode=input_mode(field)
                value=value.clone()
                autocomplete=autocomplete
                maxlength=maxlength
                required=required
                aria-invalid=invalid
                aria-describedby=describedby
            />
        }
        .into_any()
    };
    view! {
        <div class="field" class:has-error=move || problem.get().is_some()>
            <label for=id>{i18n.t(label)}</label>
            {control}
            {hint.map(|h| view! { <p class="hint" id=hint_id>{i18n.t(h)}</p> })}
            {move || {
                problem
                    .get()
                    .map(|p| {
                        view! {
                            <p class="field-error" id=error_id.clone()>
                                {invalid_text(i18n.language(), field, p)}
                            </p>
                        }
                    })
            }}
        </div>
    }
}

/// A new password's field ([`TextField`]) that says while the person types whether the
/// password would be accepted, and if not why ([`PasswordVerdict`]). Without
/// JavaScript the server's answer says it after sending.
#[component]
pub fn NewPasswordField(
    field: Field,
    label: Msg,
    #[prop(into)] errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="password-check">
            <TextField
                field
                label
                hint=Msg::PasswordHint
                kind="password"
                autocomplete="new-password"
                required=true
                errors
            />
            <PasswordVerdict locale=i18n.locale_untracked() input=field.name().to_owned() />
        </div>
    }
}

/// The verdict on the password typed into the field with the id `input`: the same
/// check the server makes (`Password::parse`, with the address typed into the form's
/// `email` field, if any), in the browser as the person types. A chunk of its own: the
/// estimator's word list is loaded only where a password is chosen.
#[island(lazy)]
fn PasswordVerdict(locale: crate::i18n::Locale, input: String) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::pages::chunks::preload_chunks("password_verdict_loader");
    let i18n = crate::i18n::provide_locale(locale);
    let verdict = RwSignal::new(None::<Result<(), marktchat_shared::Invalid>>);
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        use leptos::web_sys::HtmlInputElement;
        use marktchat_shared::{Email, Password};
        let handle = window_event_listener(leptos::ev::input, move |ev| {
            let Some(field) = ev.target().and_then(|t| t.dyn_into::<HtmlInputElement>().ok())
            else {
                return;
            };
            if field.id() != input {
                return;
            }
            if field.value().is_empty() {
                verdict.set(None);
                return;
            }
            let email = field
                .form()
                .and_then(|f| f.query_selector("input[name=email]").ok().flatten())
                .and_then(|e| e.dyn_into::<HtmlInputElement>().ok())
                .and_then(|e| Email::parse(&e.value()).ok());
            verdict.set(Some(Password::parse(&field.value(), email.as_ref()).map(|_| ())));
        });
        on_cleanup(move || handle.remove());
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = input;
    view! {
        <p class="hint password-verdict" aria-live="polite">
            {move || match verdict.get() {
                None => None,
                Some(Ok(())) => Some(i18n.tr(Msg::PasswordStrong).to_string()),
                Some(Err(problem)) => Some(invalid_text(i18n.language(), Field::Password, problem)),
            }}
        </p>
    }
}

/// The keyboard a phone shows for a field: digits with a decimal separator for amounts
/// (people type "12,50"), digits only for postal codes.
fn input_mode(field: Field) -> Option<&'static str> {
    match field {
        Field::Price | Field::MinPrice | Field::MaxPrice => Some("decimal"),
        Field::PostalCode => Some("numeric"),
        _ => None,
    }
}

/// The page's `<title>`. On the server its text is fixed here, while the page is built:
/// leptos_meta reads titles after rendering, outside the request's reactive arena
/// (`sandboxed-arenas`), where reading any signal panics (under concurrent load, about
/// once in a thousand page loads before this). And it is escaped here: leptos_meta
/// writes the title into the `<head>` as it is (0.8.7), and titles hold what people
/// typed (a listing's title, a member's name). In the browser it follows the language
/// and is set as text.
#[component]
pub fn PageTitle(#[prop(into)] text: leptos::text_prop::TextProp) -> impl IntoView {
    #[cfg(feature = "ssr")]
    let text = leptos::text_prop::TextProp::from(escape_html(&text.get()));
    view! { <leptos_meta::Title text /> }
}

/// `&`, `<` and `>` as entities: text that the server writes into HTML itself.
#[cfg(feature = "ssr")]
fn escape_html(text: &str) -> String {
    if text.contains(['&', '<', '>']) {
        text.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
    } else {
        text.to_owned()
    }
}

/// The validation message for a field that is not a [`TextField`] (a select, a
/// checkbox, a file input), shown when `errors` concerns it.
#[component]
pub fn FieldError(field: Field, #[prop(into)] errors: Signal<Option<AppError>>) -> impl IntoView {
    let i18n = use_i18n();
    move || {
        errors.get().and_then(|e| e.problem_for(field)).map(|p| {
            view! {
                <p class="field-error" id=format!("{}-error", field.name())>
                    {invalid_text(i18n.language(), field, p)}
                </p>
            }
        })
    }
}

/// The form-level message for an error (field errors get a short summary; the detail
/// is next to the field).
#[component]
pub fn FormAlert(#[prop(into)] errors: Signal<Option<AppError>>) -> impl IntoView {
    move || errors.get().map(|error| view! { <ErrorAlert error /> })
}

/// An error that replaces content that could not be loaded.
#[component]
pub fn ErrorAlert(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <div class="alert error" role="alert">
            {move || error_text(i18n.language(), &error)}
        </div>
    }
}

/// The text inside a `<textarea>`. tachys writes a textarea's children unescaped on the
/// server (as for `<script>`), so a description holding `</textarea><script>` would
/// become markup: on the server the text is escaped here. In the browser it is a text
/// node already and must stay as it is. (Fixed upstream by leptos-rs/leptos#4821; once a
/// tachys with it is used, drop this: `server/tests/listings.rs` fails on double escaping.)
pub fn textarea_text(text: String) -> String {
    #[cfg(feature = "ssr")]
    return escape_html(&text);
    #[cfg(not(feature = "ssr"))]
    text
}

/// What a page shows in place of data it could not load; on the server it also gives
/// the page the error's HTTP status.
#[component]
pub fn LoadFailed(error: AppError) -> impl IntoView {
    set_http_status(error.status_code());
    #[cfg(feature = "ssr")]
    if let (Some(res), Some(secs)) =
        (use_context::<leptos_axum::ResponseOptions>(), error.retry_after_secs())
    {
        res.insert_header(http::header::RETRY_AFTER, secs.into());
    }
    view! { <ErrorAlert error /> }
}

/// The placeholder while a page's data loads.
#[component]
pub fn Loading() -> impl IntoView {
    let i18n = use_i18n();
    view! { <p class="loading">{i18n.t(Msg::Loading)}</p> }
}

/// A whole-page message (not found, no access) with a way back home.
#[component]
pub fn MessageCard(title: Msg, text: Msg) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <section class="card">
            <h1>{i18n.t(title)}</h1>
            <p>{i18n.t(text)}</p>
            <p>
                <A href="/">{i18n.t(Msg::BackHome)}</A>
            </p>
        </section>
    }
}

/// A green confirmation, e.g. "Saved."
#[component]
pub fn Notice(children: Children) -> impl IntoView {
    view! {
        <div class="alert success" role="status">
            {children()}
        </div>
    }
}

/// After a failed post of the form served by `fn_path` without JavaScript: what was
/// typed into its non-secret fields (kept by the server in a short-lived cookie,
/// `ctx::keep_typed`), by field name. Empty otherwise, and always in the browser (with
/// JavaScript the form never left the page).
pub fn typed_after_failure(fn_path: &str) -> std::collections::HashMap<String, String> {
    #[cfg(feature = "ssr")]
    {
        use leptos::server::ServerActionError;
        if use_context::<ServerActionError>().is_some_and(|e| e.path() == fn_path) {
            return crate::api::ctx::take_typed().into_iter().collect();
        }
    }
    let _ = fn_path;
    Default::default()
}

/// What the form post that led to this page did, as its server function kept it
/// (`api::ctx::keep_done`): taken once, so a reload does not show it again.
pub fn done_after_success() -> std::collections::HashMap<String, String> {
    #[cfg(feature = "ssr")]
    return crate::api::ctx::take_done().into_iter().collect();
    #[cfg(not(feature = "ssr"))]
    Default::default()
}

/// The last error of a server action, as a signal for the form components.
pub fn action_error<I, O>(action: ServerAction<I>) -> Signal<Option<AppError>>
where
    I: leptos::server_fn::ServerFn<Output = O, Error = AppError> + Clone + Send + Sync + 'static,
    O: Clone + Send + Sync + 'static,
{
    Signal::derive(move || action.value().get().and_then(|r| r.err()))
}

/// `/login?next=<this page>`.
fn login_redirect() -> String {
    let here = current_address(use_location(), false);
    let next: String = form_urlencoded::byte_serialize(here.as_bytes()).collect();
    format!("/login?next={next}")
}

/// The page's path and query (`/search?q=sofa`), to come back to; `tracked` for a
/// value that follows navigation.
pub fn current_address(location: leptos_router::location::Location, tracked: bool) -> String {
    let (path, search) = if tracked {
        (location.pathname.get(), location.search.get())
    } else {
        (location.pathname.get_untracked(), location.search.get_untracked())
    };
    match search.trim_start_matches('?') {
        "" => path,
        search => format!("{path}?{search}"),
    }
}

/// What a guard shows to someone not logged in: the way to the login page.
#[component]
fn SendToLogin() -> impl IntoView {
    view! { <Redirect path=login_redirect() /> }
}

/// Renders `children` for logged-in users; sends everyone else to the login page
/// (with a way back here). Re-renders only when the login state changes.
#[component]
pub fn RequireUser(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let state = Memo::new(move |_| auth.logged_in());
    move || match state.get() {
        None => ().into_any(),
        Some(true) => children().into_any(),
        Some(false) => view! { <SendToLogin /> }.into_any(),
    }
}

/// Renders `children` for admins; other users see "no access" (403), anonymous
/// visitors are sent to log in.
#[component]
pub fn RequireAdmin(children: ChildrenFn) -> impl IntoView {
    let auth = use_auth();
    let state = Memo::new(move |_| {
        auth.session.get().map(|r| {
            let user = r.ok().and_then(|s| s.user);
            (user.is_some(), user.is_some_and(|u| u.is_admin()))
        })
    });
    move || match state.get() {
        None => ().into_any(),
        Some((_, true)) => children().into_any(),
        Some((true, false)) => {
            set_http_status(403);
            view! { <MessageCard title=Msg::ForbiddenTitle text=Msg::ForbiddenText /> }.into_any()
        }
        Some((false, _)) => view! { <SendToLogin /> }.into_any(),
    }
}
