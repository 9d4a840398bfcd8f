//! The site's areas are lazy routes: each area's code is a WASM chunk of its own, fetched
//! when one of its pages is first shown (and preloaded by the server-rendered HTML of that
//! page), so the start page does not carry the admin rules editor, the chat or the
//! listing form. The start page and "not found" stay in the main module.
//!
//! `cargo xtask build` cuts the chunks at the areas' `#[lazy]` functions (wasm-split);
//! the server renders the same pages directly. An area is one cut, not one per page:
//! code shared by several cuts becomes a chunk per combination of cuts, so a cut per page
//! meant a hundred small requests for one page. Data loading stays inside each page's
//! component: its resources come with the server-rendered HTML, so hydration fetches
//! nothing again.

use leptos::prelude::*;
use leptos_router::LazyRoute;

/// Declares an area: the enum of its pages, the lazy function that renders one of them
/// (the cut), and for each page a route type whose view awaits that function.
/// `$preload` names the function `#[lazy]` generates (in the browser) to load the chunk:
/// `__preload_` and the area's name.
macro_rules! lazy_area {
    ($(#[$doc:meta])* $area:ident / $preload:ident: $pages:ident { $($(#[$page_doc:meta])* $route:ident => $component:path,)* }) => {
        $(#[$doc])*
        #[derive(Clone, Copy, Debug)]
        pub enum $pages {
            $($(#[$page_doc])* $route,)*
        }

        #[leptos::lazy]
        fn $area(page: $pages) -> AnyView {
            match page {
                $($pages::$route => $component().into_any(),)*
            }
        }

        $(
            $(#[$page_doc])*
            pub struct $route;

            impl LazyRoute for $route {
                fn data() -> Self {
                    $route
                }

                async fn view(_this: Self) -> AnyView {
                    #[cfg(feature = "ssr")]
                    super::chunks::preload_area(stringify!($area));
                    $area($pages::$route).await
                }

                /// Loads the area's chunk. The router awaits this before it hydrates
                /// or shows the page, so the view is ready when it is rendered.
                async fn preload() {
                    #[cfg(target_arch = "wasm32")]
                    $preload().await;
                }
            }
        )*
    };
}

lazy_area! {
    /// Finding things: search, categories, a listing, the member directory.
    browse / __preload_browse: BrowsePages {
        /// `/search`
        Search => super::search::SearchPage,
        /// `/c/:top` and `/c/:top/:sub`
        Category => super::search::CategoryPage,
        /// `/listings/:id`
        Listing => super::listings::ListingPage,
        /// `/users`
        Directory => super::users::DirectoryPage,
        /// `/users/:id`
        PublicProfile => super::users::PublicProfilePage,
    }
}

lazy_area! {
    /// The own account: logging in, registering, the profile, deleting help-chat transcripts.
    account / __preload_account: AccountPages {
        /// `/login`
        Login => super::auth::LoginPage,
        /// `/register`
        Register => super::auth::RegisterPage,
        /// `/profile`
        Profile => super::profile::ProfilePage,
        /// `/chat/delete`
        ChatDelete => super::chat_delete::ChatDeletePage,
    }
}

lazy_area! {
    /// Writing listings: the form for a new one, editing, deleting.
    editor / __preload_editor: EditorPages {
        /// `/listings/new`
        NewListing => super::listings::NewListingPage,
        /// `/listings/:id/edit`
        EditListing => super::listings::EditListingPage,
        /// `/listings/:id/delete`
        DeleteListing => super::listings::DeleteListingPage,
    }
}

lazy_area! {
    /// The messages: the inbox and a conversation.
    chat / __preload_chat: ChatPages {
        /// `/messages`
        Inbox => super::inbox::InboxPage,
        /// `/messages/:id`
        Conversation => super::conversation::ConversationPage,
    }
}

lazy_area! {
    /// Administration: people, tags and contact rules; the help bot; a transcript.
    admin / __preload_admin: AdminPages {
        /// `/admin`
        Admin => super::admin::AdminPage,
        /// `/admin/bot`
        BotAdmin => super::admin::bot::BotAdminPage,
        /// `/admin/bot/chats/:id`
        Transcript => super::admin::bot::TranscriptPage,
    }
}
