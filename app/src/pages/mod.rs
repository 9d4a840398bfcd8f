//! One module per area of the site; each page is a component a route points at.

pub mod admin;
pub mod auth;
pub mod chat_delete;
#[cfg(feature = "ssr")]
pub mod chunks;
pub mod conversation;
pub mod email;
pub mod home;
pub mod inbox;
pub mod listings;
pub mod password;
pub mod profile;
pub mod search;
pub mod users;

use crate::app::set_http_status;
use crate::components::MessageCard;
use crate::components::PageTitle;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;

/// Any URL no route matches (answered with 404).
#[component]
pub fn NotFound() -> impl IntoView {
    let i18n = use_i18n();
    set_http_status(404);
    view! {
        <PageTitle text=i18n.t(Msg::NotFoundTitle) />
        <MessageCard title=Msg::NotFoundTitle text=Msg::NotFoundText />
    }
}
