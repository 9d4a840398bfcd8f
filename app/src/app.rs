//! The document shell, the router and the app-wide state (session, language).

use crate::api::auth::{get_session, Login, Logout, Register, SessionInfo};
use crate::api::profile::{DeleteAccount, UpdateProfile};
use crate::components::Header;
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages::{self, lazy};
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, Lazy, SsrMode};
use marktchat_shared::{CurrentUser, Language};

/// The HTML document around the app (server side only).
pub fn shell(options: LeptosOptions) -> impl IntoView {
    view! {
        <!DOCTYPE html>
        <html>
            <head>
                <meta charset="utf-8" />
                <meta name="viewport" content="width=device-width, initial-scale=1" />
                <AutoReload options=options.clone() />
                <HydrationScripts options />
                <MetaTags />
                // The help chat: the same widget other sites embed. It connects only
                // when a visitor starts a chat.
                <script src="/widget.js" async></script>
            </head>
            <body>
                <App />
            </body>
        </html>
    }
}

/// The session and the actions that change it, shared by every page.
#[derive(Clone, Copy)]
pub struct Auth {
    pub session: crate::resource::Data<Result<SessionInfo, AppError>>,
    pub login: ServerAction<Login>,
    pub register: ServerAction<Register>,
    pub logout: ServerAction<Logout>,
    pub update_profile: ServerAction<UpdateProfile>,
    pub delete_account: ServerAction<DeleteAccount>,
}

impl Auth {
    fn new() -> Self {
        let login = ServerAction::<Login>::new();
        let register = ServerAction::<Register>::new();
        let logout = ServerAction::<Logout>::new();
        let update_profile = ServerAction::<UpdateProfile>::new();
        let delete_account = ServerAction::<DeleteAccount>::new();
        let session = crate::resource::load(|| (), |_| get_session());
        // Refetch only after a *successful* change: a failed attempt changes nothing,
        // and refetching then would re-render (and reset) the form showing the error.
        on_success(login, move || session.refetch());
        on_success(register, move || session.refetch());
        on_success(logout, move || session.refetch());
        on_success(update_profile, move || session.refetch());
        on_success(delete_account, move || session.refetch());
        Auth { session, login, register, logout, update_profile, delete_account }
    }

    /// The logged-in user (read inside the app's `Transition`).
    pub fn user(&self) -> Option<CurrentUser> {
        self.session.get().and_then(Result::ok).and_then(|s| s.user)
    }

    /// `None` while the session is loading, then whether someone is logged in.
    pub fn logged_in(&self) -> Option<bool> {
        self.session.get().map(|r| r.ok().and_then(|s| s.user).is_some())
    }
}

/// Runs `f` (in the browser) each time `action` completes successfully.
pub fn on_success<S>(action: ServerAction<S>, f: impl Fn() + 'static)
where
    S: leptos::server_fn::ServerFn + Clone + Send + Sync + 'static,
    S::Output: Clone + Send + Sync + 'static,
    S::Error: Clone + Send + Sync + 'static,
{
    Effect::new(move |_| {
        if action.value().with(|v| matches!(v, Some(Ok(_)))) {
            f();
        }
    });
}

pub fn use_auth() -> Auth {
    expect_context::<Auth>()
}

#[component]
pub fn App() -> impl IntoView {
    provide_meta_context();
    // Must come before any ServerAction is created: it carries a no-JS form's error.
    provide_form_error_from_url();
    let auth = Auth::new();
    provide_context(auth);
    // The live connection follows the session: open while someone is logged in.
    let live = crate::live::Live::provide();
    Effect::new(move |_| live.run_for(auth.user().map(|u| u.id.0)));
    Effect::new(move |_| {
        let notify = auth.session.get().and_then(Result::ok).is_some_and(|s| s.notify_messages);
        live.notify.set(notify);
    });

    view! {
        <Stylesheet id="leptos" href="/pkg/marktchat.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <crate::navigation::PageChanges />
            <Routes fallback=|| view! { <Frame><pages::NotFound /></Frame> }>
                <ParentRoute path=path!("") view=|| view! { <Frame><Outlet /></Frame> } ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("login") view={Lazy::<lazy::Login>::new()} ssr=SsrMode::Async />
                    <Route path=path!("register") view={Lazy::<lazy::Register>::new()} ssr=SsrMode::Async />
                    <Route path=path!("profile") view={Lazy::<lazy::Profile>::new()} ssr=SsrMode::Async />
                    <Route path=path!("users") view={Lazy::<lazy::Directory>::new()} ssr=SsrMode::Async />
                    <Route path=path!("users/:id") view={Lazy::<lazy::PublicProfile>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin") view={Lazy::<lazy::Admin>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/bot") view={Lazy::<lazy::BotAdmin>::new()} ssr=SsrMode::Async />
                    <Route path=path!("admin/bot/chats/:id") view={Lazy::<lazy::Transcript>::new()} ssr=SsrMode::Async />
                    <Route path=path!("chat/delete") view={Lazy::<lazy::ChatDelete>::new()} ssr=SsrMode::Async />
                    <Route path=path!("messages") view={Lazy::<lazy::Inbox>::new()} ssr=SsrMode::Async />
                    <Route path=path!("messages/:id") view={Lazy::<lazy::Conversation>::new()} ssr=SsrMode::Async />
                    <Route path=path!("search") view={Lazy::<lazy::Search>::new()} ssr=SsrMode::Async />
                    <Route path=path!("c/:top") view={Lazy::<lazy::Category>::new()} ssr=SsrMode::Async />
                    <Route path=path!("c/:top/:sub") view={Lazy::<lazy::Category>::new()} ssr=SsrMode::Async />
                    <Route path=path!("listings/new") view={Lazy::<lazy::NewListing>::new()} ssr=SsrMode::Async />
                    <Route path=path!("listings/:id") view={Lazy::<lazy::Listing>::new()} ssr=SsrMode::Async />
                    <Route path=path!("listings/:id/edit") view={Lazy::<lazy::EditListing>::new()} ssr=SsrMode::Async />
                    <Route path=path!("listings/:id/delete") view={Lazy::<lazy::DeleteListing>::new()} ssr=SsrMode::Async />
                </ParentRoute>
            </Routes>
        </Router>
    }
}

/// The frame around every page: document language and title, header, footer. It
/// depends on the session, so it renders inside a `Transition` that waits for it (and
/// keeps showing the old page while the session is refetched).
#[component]
fn Frame(children: Children) -> impl IntoView {
    view! {
        <Transition fallback=|| view! { <p class="loading">"…"</p> }>
            <LanguageScope>
                <FrameContent />
                <main id="main">{children()}</main>
                <SiteFooter />
            </LanguageScope>
        </Transition>
    }
}

/// Provides the UI language ([`I18n`]) to everything inside. Created within the
/// frame's `Transition`, so reading the session resource belongs to that boundary
/// (also when leptos_meta evaluates the title and `<html lang>` for the head).
#[component]
fn LanguageScope(children: Children) -> impl IntoView {
    let auth = use_auth();
    let lang = Memo::new(move |_| {
        auth.session.get().and_then(Result::ok).map(|s| s.language).unwrap_or_default()
    });
    provide_context(I18n { lang: lang.into() });
    children()
}

#[component]
fn FrameContent() -> impl IntoView {
    let i18n = use_i18n();
    let live = crate::live::use_live();
    view! {
        <Html attr:lang=move || i18n.language().code() />
        <Title formatter=move |text: String| {
            let title = if text.is_empty() { "marktchat".to_owned() } else { format!("{text} · marktchat") };
            // The unread count leads the tab's title, live, in the browser. On the server
            // there is none yet, and leptos_meta calls this after rendering, outside the
            // request's reactive arena, where reading a signal panics (see PageTitle).
            #[cfg(not(feature = "ssr"))]
            let unread = live.unread.try_get().flatten();
            #[cfg(feature = "ssr")]
            let unread: Option<u64> = {
                let _ = live;
                None
            };
            match unread {
                Some(n) if n > 0 => format!("({n}) {title}"),
                _ => title,
            }
        } />
        <Meta name="description" content=i18n.t(Msg::AppTagline) />
        <a class="skip-link" href="#main">{i18n.t(Msg::SkipToContent)}</a>
        <Header />
    }
}

#[component]
fn SiteFooter() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    view! {
        <footer class="site-footer">
            <p>{i18n.t(Msg::FooterText)}</p>
            <p>
                <a href="/chat/delete">{i18n.t(Msg::ChatDeleteTitle)}</a>
            </p>
            // Members choose their language in their profile.
            <Show when=move || auth.logged_in() == Some(false)>
                <LanguageSwitch />
            </Show>
        </footer>
    }
}

/// "English" on German pages, "Deutsch" on English ones: a plain form post (works
/// without JavaScript), after which the same page comes back in the other language.
#[component]
fn LanguageSwitch() -> impl IntoView {
    let i18n = use_i18n();
    let location = leptos_router::hooks::use_location();
    let back = move || crate::components::current_address(location.clone(), true);
    let other = move || match i18n.language() {
        Language::De => Language::En,
        Language::En => Language::De,
    };
    view! {
        <form class="language-switch" method="post" action="/api/language">
            <input type="hidden" name="back" value=back />
            <button
                type="submit"
                class="link-button"
                name="language"
                value=move || other().code()
                lang=move || other().code()
            >
                {move || match other() {
                    Language::De => "Deutsch",
                    Language::En => "English",
                }}
            </button>
        </form>
    }
}

/// After a form was posted without JavaScript and failed, the server redirects back
/// with the error in `__path`/`__err` query parameters. Handing it to the server actions
/// (on the server and, identically, when hydrating) shows it next to the form.
fn provide_form_error_from_url() {
    let Some(query) = current_query() else { return };
    let mut path = None;
    let mut err = None;
    for (key, value) in form_urlencoded::parse(query.as_bytes()) {
        match &*key {
            "__path" => path = Some(value.into_owned()),
            "__err" => err = Some(value.into_owned()),
            _ => {}
        }
    }
    if let (Some(path), Some(err)) = (path, err) {
        provide_context(ServerActionError::new(&path, &err));
    }
}

#[cfg(feature = "ssr")]
fn current_query() -> Option<String> {
    use_context::<http::request::Parts>().and_then(|p| p.uri.query().map(str::to_owned))
}

#[cfg(all(feature = "hydrate", not(feature = "ssr")))]
fn current_query() -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    Some(search.trim_start_matches('?').to_owned())
}

#[cfg(not(any(feature = "ssr", feature = "hydrate")))]
fn current_query() -> Option<String> {
    None
}

/// Sets the HTTP status of the page being rendered on the server (no-op in the browser).
pub fn set_http_status(code: u16) {
    #[cfg(feature = "ssr")]
    if let (Some(res), Ok(code)) =
        (use_context::<leptos_axum::ResponseOptions>(), http::StatusCode::from_u16(code))
    {
        res.set_status(code);
    }
    #[cfg(not(feature = "ssr"))]
    let _ = code;
}

/// Server side: makes `<Redirect>` during page rendering a real `302 Found` for every
/// client. (leptos_axum's default only does so when `Accept` names `text/html`, and
/// otherwise leaves a 200 with a `Location` header.) Call it in the context closure
/// given to `leptos_routes_with_context`.
#[cfg(feature = "ssr")]
pub fn provide_page_redirects() {
    let response = use_context::<leptos_axum::ResponseOptions>();
    leptos_router::components::provide_server_redirect(move |path: &str| {
        if let (Some(res), Ok(location)) = (&response, http::HeaderValue::from_str(path)) {
            res.set_status(http::StatusCode::FOUND);
            res.insert_header(http::header::LOCATION, location);
        }
    });
}
