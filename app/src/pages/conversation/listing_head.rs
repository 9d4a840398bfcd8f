//! The listing a conversation is about, at the top of the conversation: picture,
//! title, price and state, kept current while the page is open (the state comes live,
//! `ServerFrame::ListingChanged`). The title links to the listing only while anyone
//! can open it; a paused, sold or deleted one says so instead of leading to "not
//! found".

use crate::components::StatusBadge;
use crate::i18n::{price_text, status_text, use_i18n, Msg};
use leptos::prelude::*;
use marktchat_shared::conversation::ListingRef;
use marktchat_shared::listing::ListingStatus;

#[component]
pub fn ListingHead(listing: ListingRef, status: RwSignal<Option<ListingStatus>>) -> impl IntoView {
    let i18n = use_i18n();
    let ListingRef { id, title, cover, price, .. } = listing;
    let href = format!("/listings/{id}");
    let public = move || status.get().is_some_and(ListingStatus::is_public);
    let title_view = {
        let title = title.clone();
        move || {
            let title = title.clone();
            if public() {
                view! { <a href=href.clone() class="listing-title">{title}</a> }.into_any()
            } else {
                view! { <span class="listing-title">{title}</span> }.into_any()
            }
        }
    };
    view! {
        <section class="conversation-listing" aria-label=i18n.t(Msg::AboutListing)>
            {match cover {
                Some(img) => view! { <img src=img.thumb_url() alt="" width="64" height="64" /> }.into_any(),
                None => view! { <span class="no-image" aria-hidden="true"></span> }.into_any(),
            }}
            <div>
                <p>{title_view}</p>
                <div class="meta">
                    {price.map(|p| view! { <span class="price">{move || price_text(i18n.language(), p)}</span> })}
                    {move || match status.get() {
                        Some(ListingStatus::Active) => None,
                        Some(s) => Some(view! { <StatusBadge status=s /> }.into_any()),
                        None => Some(view! {
                            <span class=format!("badge status-{}", ListingStatus::Deleted.as_str())>
                                {move || status_text(i18n.language(), ListingStatus::Deleted)}
                            </span>
                        }.into_any()),
                    }}
                </div>
            </div>
        </section>
    }
}
