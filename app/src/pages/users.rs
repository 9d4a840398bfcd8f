//! The member directory and public profiles.

use crate::api::conversations::Refusal;
use crate::api::conversations::{get_contact_info, Contact, ContactInfo, SetBlocked};
use crate::api::listings::seller_listings;
use crate::api::users::{get_user, list_users, Directory, WriteTo};
use crate::app::set_http_status;
use crate::components::{
    action_error, FieldError, FormAlert, ListingGrid, LoadFailed, Loading, PageLinks, RequireUser,
};
use crate::components::{ActivityLine, PageTitle};
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};
use crate::pages::listings::ContactRefused;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use marktchat_shared::listing::SellerPage;
use marktchat_shared::{Field, PublicProfile};

#[component]
pub fn DirectoryPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::UsersTitle) />
        <RequireUser>
            <Directory />
        </RequireUser>
    }
}

fn page_link(q: &str, page: u32) -> String {
    let q: String = form_urlencoded::byte_serialize(q.as_bytes()).collect();
    if q.is_empty() {
        format!("/users?page={page}")
    } else {
        format!("/users?q={q}&page={page}")
    }
}

#[component]
fn Directory() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let page = Memo::new(move |_| {
        query.read().get("page").and_then(|p| p.parse::<u32>().ok()).unwrap_or(1).max(1)
    });
    let results = crate::resource::load(move || (q.get(), page.get()), |(q, p)| list_users(q, p));
    view! {
        <h1>{i18n.t(Msg::UsersTitle)}</h1>
        <form method="get" action="/users" class="search-form" role="search">
            <label for="q">{i18n.t(Msg::UsersSearchLabel)}</label>
            <div class="search-row">
                <input type="search" id="q" name="q" value=move || q.get() />
                <button type="submit">{i18n.t(Msg::Search)}</button>
            </div>
        </form>
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(directory) => view! { <DirectoryResults directory q=q.get_untracked() /> }.into_any(),
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn DirectoryResults(directory: Directory, q: String) -> impl IntoView {
    let i18n = use_i18n();
    let Directory { page, write } = directory;
    if page.users.is_empty() {
        return view! { <p class="empty">{i18n.t(Msg::UsersNone)}</p> }.into_any();
    }
    let (current, count, total) = (page.page, page.page_count(), page.total);
    view! {
            <p class="meta" aria-live="polite">{i18n.t(Msg::UsersFound)} ": " {total}</p>
            <ul class="user-list">
                {page
                    .users
                    .into_iter()
                    .zip(write)
                    .map(|(u, write)| {
                        let (name, location) = (u.display_name.clone(), u.location.clone());
                        view! {
                            <li>
                                <span class="person">
                                    <A href=format!("/users/{}", u.id)>{name}</A>
                                    {location.map(|l| view! { <span class="meta">{l}</span> })}
                                </span>
                                <MessageButton user=u write />
                            </li>
                        }
                    })
                    .collect_view()}
            </ul>
    <PageLinks current count link=move |n| page_link(&q, n) />
        }
    .into_any()
}

/// A directory row's "Message": to the conversation there is, to the person's profile
/// to write the first message, or disabled with a short reason. Named with the person
/// for screen readers ("Message: Selma"), which list the buttons without their rows;
/// the name begins with the visible words, for voice control.
#[component]
fn MessageButton(user: PublicProfile, write: WriteTo) -> impl IntoView {
    let i18n = use_i18n();
    let name = user.display_name.clone();
    let named = move |label: Msg| {
        let name = name.clone();
        move || format!("{}: {name}", i18n.t(label)())
    };
    match write {
        WriteTo::Oneself => ().into_any(),
        WriteTo::Open(id) => view! {
            <A
                href=format!("/messages/{id}")
                attr:class="button secondary small"
                attr:aria-label=named(Msg::OpenConversation)
            >
                {i18n.t(Msg::OpenConversation)}
            </A>
        }
        .into_any(),
        WriteTo::Start => view! {
            <A
                href=format!("/users/{}#contact-text", user.id)
                attr:class="button small"
                attr:aria-label=named(Msg::MessagePerson)
            >
                {i18n.t(Msg::MessagePerson)}
            </A>
        }
        .into_any(),
        WriteTo::Refused(refused) => {
            let reason_id = format!("message-{}-refused", user.id);
            let reason = match refused {
                Refusal::Rules => Msg::RefusedByRulesShort,
                Refusal::Blocked => Msg::RefusedShort,
            };
            view! {
                <span class="contact-refused inline">
                    <button
                        type="button"
                        class="small"
                        disabled
                        aria-label=named(Msg::MessagePerson)
                        aria-describedby=reason_id.clone()
                    >
                        {i18n.t(Msg::MessagePerson)}
                    </button>
                    <span id=reason_id class="meta">{i18n.t(reason)}</span>
                </span>
            }
            .into_any()
        }
    }
}

/// A member's public profile and listings. Both resources are created here, once,
/// outside any `Suspend`: a resource created inside a `Suspend` (as the listings once
/// were, within the profile's view) is created at another point in the browser than
/// on the server, so hydration finds nodes it does not expect and panics.
#[component]
pub fn PublicProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let user = crate::resource::load(move || id.get(), get_user);
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<u32>().ok()));
    let listings = crate::resource::load(
        move || (id.get(), page.get()),
        |(id, page)| seller_listings(id, page),
    );
    let contact = crate::resource::load(move || id.get(), get_contact_info);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match user.await {
                    Ok(u) => view! { <PublicProfileView user=u listings contact /> }.into_any(),
                    Err(AppError::NotFound) => {
                        set_http_status(404);
                        view! {
                            <PageTitle text=i18n.t(Msg::NotFoundTitle) />
                            <section class="card">
                                <h1>{i18n.t(Msg::NotFoundTitle)}</h1>
                                <p>{i18n.t(Msg::UserNotFound)}</p>
                            </section>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

#[component]
fn PublicProfileView(
    user: PublicProfile,
    listings: crate::resource::Data<Result<SellerPage, AppError>>,
    contact: crate::resource::Data<Result<ContactInfo, AppError>>,
) -> impl IntoView {
    let user_id = user.id.0.clone();
    let user_id_for_pages = StoredValue::new(user.id.0.clone());
    let i18n = use_i18n();
    let since = user.member_since;
    let title = user.display_name.clone();
    view! {
        <PageTitle text=title />
        <section class="card profile-card">
            <h1>{user.display_name.clone()}</h1>
            <p class="meta">
                {i18n.t(Msg::MemberSince)} " " {move || i18n.locale().long_date(since)}
                {user.location.clone().map(|l| view! { " · " {l} })}
            </p>
            <ActivityLine activity=user.activity />
            {user.bio.clone().map(|b| view! { <p class="bio">{b}</p> })}
            <Transition fallback=|| ()>
                {move || {
                    let user_id = user_id.clone();
                    Suspend::new(async move {
                        contact
                            .await
                            .ok()
                            .filter(|c| c.can_contact)
                            .map(|c| view! { <ContactPerson user=user_id info=c /> })
                    })
                }}
            </Transition>
        </section>
        <section aria-labelledby="their-listings">
            <h2 id="their-listings">{i18n.t(Msg::TheirListings)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match listings.await {
                        Ok(l) => {
                            let (current, count) = (l.page, l.page_count());
                            let user_id = user_id_for_pages.get_value();
                            view! {
                                <ListingGrid listings=l.listings empty=Msg::NoTheirListings />
                                <PageLinks
                                    current
                                    count
                                    link=move |n| format!("/users/{user_id}?page={n}")
                                />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// On someone else's profile: write to them (or open the conversation there is), and
/// block or unblock them.
#[component]
fn ContactPerson(user: String, info: ContactInfo) -> impl IntoView {
    let i18n = use_i18n();
    let contact = ServerAction::<Contact>::new();
    let errors = action_error(contact);
    let block = ServerAction::<SetBlocked>::new();
    let back = format!("/users/{user}");
    let form_user = user.clone();
    let write = match (info.existing, info.blocked) {
        (Some(id), _) => view! {
            <p><A href=format!("/messages/{id}") attr:class="button">{i18n.t(Msg::OpenConversation)}</A></p>
        }
        .into_any(),
        (None, true) => ().into_any(),
        (None, false) if info.refused.is_some() => {
            let refused = info.refused.unwrap_or(crate::api::conversations::Refusal::Rules);
            view! { <ContactRefused id="contact" label=Msg::MessagePerson refused /> }.into_any()
        }
        (None, false) => view! {
            <ActionForm action=contact attr:class="contact-form">
                <FormAlert errors />
                <input type="hidden" name="user" value=form_user />
                <input type="hidden" name="client_id" value=info.client_id />
                <label for="contact-text">{i18n.t(Msg::SendDirectMessage)}</label>
                <textarea id="contact-text" name="text" rows="3" maxlength="4000" required></textarea>
                <FieldError field=Field::Message errors />
                <button type="submit">{i18n.t(Msg::SendMessage)}</button>
            </ActionForm>
        }
        .into_any(),
    };
    view! {
        <div class="profile-contact">
            {write}
            <ActionForm action=block attr:class="inline-form">
                <input type="hidden" name="user" value=user />
                <input type="hidden" name="next" value=back />
                {(!info.blocked).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                <button type="submit" class="secondary">
                    {i18n.t(if info.blocked { Msg::Unblock } else { Msg::Block })}
                </button>
            </ActionForm>
        </div>
    }
}
