//! The document shell, the router and the app-wide state (session, language).

use crate::api::auth::{get_session, Login, Logout, Register, SessionInfo};
use crate::api::profile::{DeleteAccount, UpdateProfile};
use crate::components::Header;
use crate::error::AppError;
use crate::i18n::{use_i18n, I18n, Msg};
use crate::pages;
use leptos::prelude::*;
use leptos::server::ServerActionError;
use leptos_meta::{provide_meta_context, Html, Link, Meta, MetaTags, Stylesheet, Title};
use leptos_router::components::{Outlet, ParentRoute, Route, Router, Routes};
use leptos_router::{path, SsrMode};
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
                <IslandScripts options />
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

/// Loads the front end where a page has something interactive. Pages are
/// server-rendered HTML that works without JavaScript; only islands (`#[island]`
/// components: the live header, the conversation, the rule editor, the password check,
/// …) are made interactive, each from the props the server wrote into the page. A page
/// without an island loads no WebAssembly at all. `body[data-hydrated]` marks the end,
/// for people and tests. (Leptos's own `HydrationScripts islands=true` does not say when
/// the islands are done.) The script carries the request's CSP nonce. On every page it
/// also keeps the browser's time zone in a cookie (see `api::ctx::browser_zone`), so
/// the pages after it show times on the reader's clock.
#[component]
fn IslandScripts(options: LeptosOptions) -> impl IntoView {
    // Only islands hydrate: what the rest of the page loaded (its resources) does not
    // travel with the page. (Leptos's own script component does the same.)
    if let Some(context) = Owner::current_shared_context() {
        context.set_is_hydrating(false);
    }
    // A JSON string is a JavaScript string literal.
    let pkg = serde_json::to_string(&format!("/{}/{}", options.site_pkg_dir, options.output_name))
        .unwrap_or_default();
    let zone_cookie = serde_json::to_string(crate::i18n::ZONE_COOKIE).unwrap_or_default();
    let script = format!(
        r#"((name) => {{
  try {{
    const kept = name + "=" + encodeURIComponent(Intl.DateTimeFormat().resolvedOptions().timeZone || "");
    if (kept !== name + "=" && !document.cookie.split("; ").includes(kept)) {{
      const secure = location.protocol === "https:" ? "; secure" : "";
      document.cookie = kept + "; path=/; max-age=31536000; samesite=lax" + secure;
    }}
  }} catch (e) {{}}
}})({zone_cookie});
(async (pkg) => {{
  const islands = document.querySelectorAll("leptos-island");
  try {{
    if (!islands.length) return;
    const mod = await import(pkg + ".js");
    await mod.default({{ module_or_path: pkg + ".wasm" }});
    mod.hydrate();
    for (const el of islands) {{
      const start = mod[el.dataset.component];
      if (!start) console.error("no code for the island " + el.dataset.component);
      else await Promise.resolve(start(el)).catch((e) => console.error(e));
    }}
  }} catch (e) {{
    console.error(e);
  }} finally {{
    document.body.dataset.hydrated = "true";
  }}
}})({pkg});"#
    );
    view! { <script type="module" nonce=leptos::nonce::use_nonce()>{script}</script> }
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

    view! {
        <Stylesheet id="leptos" href="/pkg/marktchat.css" />
        <Link rel="icon" href="/favicon.svg" type_="image/svg+xml" />
        <Router>
            <Routes fallback=|| view! { <Frame><pages::NotFound /></Frame> }>
                <ParentRoute path=path!("") view=|| view! { <Frame><Outlet /></Frame> } ssr=SsrMode::Async>
                    <Route path=path!("") view=pages::home::HomePage ssr=SsrMode::Async />
                    <Route path=path!("login") view=pages::auth::LoginPage ssr=SsrMode::Async />
                    <Route path=path!("register") view=pages::auth::RegisterPage ssr=SsrMode::Async />
                    <Route path=path!("password/forgot") view=pages::password::ForgotPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("password/reset") view=pages::password::ResetPasswordPage ssr=SsrMode::Async />
                    <Route path=path!("email/confirm") view=pages::email::ConfirmEmailPage ssr=SsrMode::Async />
                    <Route path=path!("profile") view=pages::profile::ProfilePage ssr=SsrMode::Async />
                    <Route path=path!("users") view=pages::users::DirectoryPage ssr=SsrMode::Async />
                    <Route path=path!("users/:id") view=pages::users::PublicProfilePage ssr=SsrMode::Async />
                    <Route path=path!("admin") view=pages::admin::AdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/bot") view=pages::admin::bot::BotAdminPage ssr=SsrMode::Async />
                    <Route path=path!("admin/bot/chats/:id") view=pages::admin::bot::TranscriptPage ssr=SsrMode::Async />
                    <Route path=path!("chat/delete") view=pages::chat_delete::ChatDeletePage ssr=SsrMode::Async />
                    <Route path=path!("messages") view=pages::inbox::InboxPage ssr=SsrMode::Async />
                    <Route path=path!("messages/:id") view=pages::conversation::ConversationPage ssr=SsrMode::Async />
                    <Route path=path!("search") view=pages::search::SearchPage ssr=SsrMode::Async />
                    <Route path=path!("c/:top") view=pages::search::CategoryPage ssr=SsrMode::Async />
                    <Route path=path!("c/:top/:sub") view=pages::search::CategoryPage ssr=SsrMode::Async />
                    <Route path=path!("listings/new") view=pages::listings::NewListingPage ssr=SsrMode::Async />
                    <Route path=path!("listings/:id") view=pages::listings::ListingPage ssr=SsrMode::Async />
                    <Route path=path!("listings/:id/edit") view=pages::listings::EditListingPage ssr=SsrMode::Async />
                    <Route path=path!("listings/:id/delete") view=pages::listings::DeleteListingPage ssr=SsrMode::Async />
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

/// Provides the UI language and time zone ([`I18n`]) to everything inside. Created
/// within the frame's `Transition`, so reading the session resource belongs to that
/// boundary (also when leptos_meta evaluates the title and `<html lang>` for the head).
#[component]
fn LanguageScope(children: Children) -> impl IntoView {
    let auth = use_auth();
    let session = move || auth.session.get().and_then(Result::ok);
    let language = Memo::new(move |_| session().map(|s| s.language).unwrap_or_default());
    let zone = Memo::new(move |_| session().map(|s| s.zone).unwrap_or_default());
    provide_context(I18n::from_session(language.into(), zone.into()));
    children()
}

#[component]
fn FrameContent() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Html attr:lang=move || i18n.language().code() />
        // The unread count is put before it in the browser (`components::LiveHeader`).
        <Title formatter=|text: String| {
            if text.is_empty() { "marktchat".to_owned() } else { format!("{text} · marktchat") }
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

/// After a form was posted without JavaScript and failed, the server function sends
/// the browser back with the error in `__path`/`__err` and what was typed; the server
/// keeps that query out of the address (`marktchat-server`'s `flash`) and hands it to
/// this page alone. Handing it to the server actions shows the error next to the form.
/// Islands get what they need of it as props.
fn provide_form_error_from_url() {
    let Some(query) = failed_form() else { return };
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

/// What the failed form post that led here left for this page, as a query string
/// (`__path`, `__err` and the fields as typed); only while the server renders it.
pub fn failed_form() -> Option<String> {
    #[cfg(feature = "ssr")]
    {
        use marktchat_services::flash::FormFlash;
        use_context::<http::request::Parts>()
            .and_then(|p| p.extensions.get::<FormFlash>().map(|f| f.0.clone()))
    }
    #[cfg(not(feature = "ssr"))]
    None
}

/// The fields of [`failed_form`], by name (a name may repeat).
pub fn failed_form_fields() -> Vec<(String, String)> {
    failed_form()
        .map(|q| form_urlencoded::parse(q.as_bytes()).into_owned().collect())
        .unwrap_or_default()
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
