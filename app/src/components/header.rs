//! The site's header: the brand, the main navigation and the member's live unread
//! count. On phones it takes two rows: the brand with the main action, then the links,
//! the rarer ones in a menu (`<details>`, so it opens without JavaScript too); wide
//! screens show everything in one row, the menu always open (`style/main.css`).

use crate::api::auth::Logout;
use crate::app::use_auth;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;

#[component]
pub fn Header() -> impl IntoView {
    let auth = use_auth();
    let i18n = use_i18n();
    let user = Memo::new(move |_| auth.user());
    let notify = move || {
        auth.session.get_untracked().and_then(Result::ok).is_some_and(|s| s.notify_messages)
    };
    let logout_url = <Logout as leptos::server_fn::ServerFn>::url();
    view! {
        <header class="site-header">
            <nav aria-label=i18n.t(Msg::MainNavigation)>
                <A href="/" attr:class="brand">
                    "marktchat"
                </A>
                {move || match user.get() {
                    Some(u) => {
                        let user_id = u.id.0.clone();
                        view! {
                            <A href="/listings/new" attr:class="button nav-main">
                                {i18n.t(Msg::NavNewListing)}
                            </A>
                            <div class="nav-links">
                                <A href="/search">{i18n.t(Msg::NavSearch)}</A>
                                <A href="/messages">
                                    {i18n.t(Msg::NavMessages)}
                                    <UnreadBadge user=user_id notify=notify() />
                                </A>
                                <details class="nav-more">
                                    <summary>{i18n.t(Msg::NavMenu)}</summary>
                                    <div class="nav-more-links">
                                        <A href="/users">{i18n.t(Msg::NavUsers)}</A>
                                        {u
                                            .is_admin()
                                            .then(|| {
                                                view! { <A href="/admin">{i18n.t(Msg::NavAdmin)}</A> }
                                            })}
                                        <A href="/profile">
                                            <span class="visually-hidden">
                                                {i18n.t(Msg::NavProfile)} ": "
                                            </span>
                                            {u.display_name.clone()}
                                        </A>
                                        <form method="post" action=logout_url class="inline-form">
                                            <button type="submit" class="link-button">
                                                {i18n.t(Msg::LogOut)}
                                            </button>
                                        </form>
                                    </div>
                                </details>
                            </div>
                        }
                            .into_any()
                    }
                    None => {
                        view! {
                            <div class="nav-links">
                                <A href="/search">{i18n.t(Msg::NavSearch)}</A>
                                <A href="/login">{i18n.t(Msg::NavLogin)}</A>
                                <A href="/register" attr:class="button">
                                    {i18n.t(Msg::NavRegister)}
                                </A>
                            </div>
                        }
                            .into_any()
                    }
                }}
            </nav>
        </header>
    }
}

/// The number of unread messages next to "Messages" (nothing when there are none), as
/// the page was rendered; [`LiveHeader`] keeps it current.
#[component]
fn UnreadBadge(user: String, notify: bool) -> impl IntoView {
    let i18n = use_i18n();
    let unread = crate::resource::load(|| (), |_| crate::api::conversations::unread_total());
    view! {
        <Transition fallback=|| ()>
            {move || {
                let user = user.clone();
                Suspend::new(async move {
                    view! {
                        <LiveHeader
                            locale=i18n.locale_untracked()
                            user
                            notify
                            unread=unread.await.unwrap_or(0)
                        />
                    }
                })
            }}
        </Transition>
    }
}

/// The logged-in member's live connection, on every page: it runs the tab's socket
/// ([`crate::live`]) and shows the unread count, in the badge and before the tab's
/// title. The one island on every member's page, so it is small: the socket's client
/// is a chunk of its own.
#[island]
fn LiveHeader(
    locale: crate::i18n::Locale,
    user: String,
    notify: bool,
    unread: u64,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::pages::chunks::preload_front_end();
    let i18n = crate::i18n::provide_locale(locale);
    let live = crate::live::use_live();
    live.notify.set(notify);
    Effect::new(move |_| live.run_for(Some(user.clone())));
    let count = move || live.unread.get().unwrap_or(unread);
    #[cfg(feature = "hydrate")]
    {
        // The title as the server wrote it, with the count before it while there is one.
        let title = leptos::prelude::document().title();
        Effect::new(move |_| {
            leptos::prelude::document().set_title(&match count() {
                0 => title.clone(),
                n => format!("({n}) {title}"),
            });
        });
    }
    view! {
        <span class="unread">
            {move || match count() {
                0 => None,
                n => Some(view! {
                    " "
                    <span class="badge unread-total">
                        {n}
                        <span class="visually-hidden">" " {i18n.t(Msg::Unread)}</span>
                    </span>
                }),
            }}
        </span>
    }
}
