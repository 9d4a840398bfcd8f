//! Listings in lists: cards in a grid (browsing), compact rows (one's own), and the
//! links between pages of a list.

use crate::i18n::{price_text, status_text, use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use marktchat_shared::listing::{ListingStatus, ListingSummary};

/// A listing in a list: cover, title, price, place, date and (if not active) status.
#[component]
pub fn ListingCard(listing: ListingSummary) -> impl IntoView {
    let i18n = use_i18n();
    let ListingSummary { id, title, price, postal_code, city, status, created_at, cover, .. } =
        listing;
    view! {
        <li class="listing-card">
            <A href=format!("/listings/{id}")>
                {match cover {
                    Some(img) => view! {
                        <img src=img.thumb_url() alt="" loading="lazy" width=img.width.min(480) />
                    }
                    .into_any(),
                    None => view! { <span class="no-image" aria-hidden="true"></span> }.into_any(),
                }}
                <span class="card-title">{title}</span>
            </A>
            <p class="price">{move || price_text(i18n.language(), price)}</p>
            <p class="meta">
                {format!("{postal_code} {city}")} " · " {move || i18n.locale().short_date(created_at)}
            </p>
            <StatusBadge status />
        </li>
    }
}

/// A listing's status as a badge; nothing for an active listing.
#[component]
pub fn StatusBadge(status: ListingStatus) -> impl IntoView {
    let i18n = use_i18n();
    (status != ListingStatus::Active).then(|| {
        view! {
            <p class=format!("badge status-{}", status.as_str())>
                {move || status_text(i18n.language(), status)}
            </p>
        }
    })
}

/// Listings as a grid of cards, or `empty` when there are none.
#[component]
pub fn ListingGrid(listings: Vec<ListingSummary>, empty: Msg) -> impl IntoView {
    let i18n = use_i18n();
    if listings.is_empty() {
        return view! { <p class="empty">{i18n.t(empty)}</p> }.into_any();
    }
    view! {
        <ul class="listing-grid">
            {listings.into_iter().map(|l| view! { <ListingCard listing=l /> }).collect_view()}
        </ul>
    }
    .into_any()
}

/// One's own listings as compact rows: a small picture, the title, price, status and
/// date on one or two lines (a seller with dozens of listings scans them quickly).
#[component]
pub fn ListingRows(listings: Vec<ListingSummary>, empty: Msg) -> impl IntoView {
    let i18n = use_i18n();
    if listings.is_empty() {
        return view! { <p class="empty">{i18n.t(empty)}</p> }.into_any();
    }
    view! {
        <ul class="listing-rows">
            {listings
                .into_iter()
                .map(|l| {
                    let ListingSummary { id, title, price, status, created_at, cover, .. } = l;
                    view! {
                        <li class="listing-row">
                            {match cover {
                                Some(img) => view! { <img src=img.thumb_url() alt="" loading="lazy" /> }.into_any(),
                                None => view! { <span class="no-image" aria-hidden="true"></span> }.into_any(),
                            }}
                            <A href=format!("/listings/{id}") attr:class="row-title">{title}</A>
                            <span class="price">{move || price_text(i18n.language(), price)}</span>
                            <span class="meta">
                                {move || i18n.locale().short_date(created_at)}
                                {(status != ListingStatus::Active)
                                    .then(|| view! { " · " {move || status_text(i18n.language(), status)} })}
                            </span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
    .into_any()
}

/// "Previous · Page 2 of 5 · Next" under a list; `link(n)` is page `n`'s address.
/// Nothing when everything fits on one page.
#[component]
pub fn PageLinks(current: u32, count: u32, link: impl Fn(u32) -> String) -> impl IntoView {
    let i18n = use_i18n();
    (count > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=i18n.t(Msg::Pagination)>
                {(current > 1)
                    .then(|| {
                        view! {
                            <A href=link(current - 1) attr:rel="prev">
                                {i18n.t(Msg::PreviousPage)}
                            </A>
                        }
                    })}
                <span>{i18n.t(Msg::Page)} " " {current} " " {i18n.t(Msg::Of)} " " {count}</span>
                {(current < count)
                    .then(|| {
                        view! {
                            <A href=link(current + 1) attr:rel="next">
                                {i18n.t(Msg::NextPage)}
                            </A>
                        }
                    })}
            </nav>
        }
    })
}
