//! The start page: a search box, the categories and the latest listings.

use crate::api::listings::search_listings;
use crate::app::use_auth;
use crate::components::PageTitle;
use crate::components::{ListingGrid, LoadFailed, Loading, Notice};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use marktchat_shared::listing::Category;
use marktchat_shared::search::SearchParams;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let user = Memo::new(move |_| auth.user());
    let flag = move |name: &str| query.read().get(name).is_some();
    let latest = crate::resource::load(|| (), |_| search_listings(SearchParams::default(), false));
    view! {
        <PageTitle text="" />
        <Show when=move || flag("deleted")>
            <Notice>{i18n.t(Msg::AccountDeletedNotice)}</Notice>
        </Show>
        <Show when=move || flag("logged_out") && user.get().is_none()>
            <Notice>{i18n.t(Msg::LoggedOutNotice)}</Notice>
        </Show>
        <section class="hero">
            <h1>{i18n.t(Msg::HomeTitle)}</h1>
            <p class="lead">{i18n.t(Msg::HomeIntro)}</p>
            <form method="get" action="/search" class="search-form" role="search">
                <label for="home-q">{i18n.t(Msg::SearchWords)}</label>
                <div class="search-row">
                    <input type="search" id="home-q" name="q" placeholder=i18n.t(Msg::SearchPlaceholder) />
                    <button type="submit">{i18n.t(Msg::Search)}</button>
                </div>
            </form>
            {move || match user.get() {
                Some(u) => {
                    view! {
                        <p>{i18n.t(Msg::HomeHello)} ", " {u.display_name.clone()} "! "
                            {i18n.t(Msg::HomeLoggedInHint)}</p>
                        <p class="actions">
                            <A href="/listings/new" attr:class="button">{i18n.t(Msg::NewListing)}</A>
                            <A href="/profile" attr:class="button secondary">{i18n.t(Msg::NavProfile)}</A>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="actions">
                            <A href="/register" attr:class="button">
                                {i18n.t(Msg::HomeGetStarted)}
                            </A>
                            <span>
                                {i18n.t(Msg::HomeHaveAccount)} " "
                                <A href="/login">{i18n.t(Msg::NavLogin)}</A>
                            </span>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
        <section aria-labelledby="categories-heading">
            <h2 id="categories-heading">{i18n.t(Msg::Categories)}</h2>
            <ul class="chips">
                {Category::tops()
                    .map(|c| {
                        view! {
                            <li>
                                <A href=format!("/c/{}", c.slug)>{move || c.name(i18n.language())}</A>
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
        </section>
        <section aria-labelledby="latest-heading">
            <h2 id="latest-heading">{i18n.t(Msg::LatestListings)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match latest.await {
                        Ok(page) => view! {
                            <ListingGrid listings=page.listings empty=Msg::NoListingsYet />
                            <p><A href="/search">{i18n.t(Msg::AllListings)} " →"</A></p>
                        }
                        .into_any(),
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}
