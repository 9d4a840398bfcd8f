//! A listing's page, the form to post or edit one (with images), and the confirmation
//! before deleting.

use super::conversation::QuickReplies;
use crate::api::conversations::Refusal;
use crate::api::listings::{
    get_listing, ListingView, SaveListing, SetFavourite, SetListingStatus, TypedListing,
};
use crate::app::set_http_status;
use crate::components::PageTitle;
use crate::components::{
    action_error, FieldError, FormAlert, LoadFailed, Loading, MessageCard, Notice, RequireUser,
    StatusBadge, TextField,
};
use crate::error::AppError;
use crate::i18n::{
    amount_text, category_path, price_text, status_action, status_text, use_i18n, Msg,
};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use marktchat_shared::conversation::{Person, QuickReply};
use marktchat_shared::listing::{
    Category, City, Description, Listing, ListingStatus, ListingText, ListingTitle, PriceKind,
    MAX_IMAGES, MAX_IMAGE_BYTES,
};
use marktchat_shared::Field;

/// The listing id from the route (`/listings/:id…`).
fn listing_id() -> Memo<String> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").unwrap_or_default())
}

/// Loads the listing of the route and renders `view` with it; "not found" (404) and
/// other errors otherwise.
#[component]
fn WithListing(view: fn(ListingView) -> AnyView) -> impl IntoView {
    let id = listing_id();
    // Refetch after a status change or an edit: those redirect here with `status=` or
    // `saved=` in the query. (Choosing a picture, `image=`, needs no refetch.)
    let query = use_query_map();
    let changed = Memo::new(move |_| {
        let q = query.read();
        (q.get("status"), q.get("saved"))
    });
    let listing =
        crate::resource::load(move || (id.get(), changed.get()), |(id, _)| get_listing(id));
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(l) => view(l),
                    Err(AppError::NotFound) => {
                        set_http_status(404);
                        view! {
                            <PageTitle text=use_i18n().t(Msg::ListingNotFoundTitle) />
                            <MessageCard title=Msg::ListingNotFoundTitle text=Msg::ListingNotFoundText />
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
pub fn ListingPage() -> impl IntoView {
    view! { <WithListing view=|v| view! { <ListingDetails view=v /> }.into_any() /> }
}

#[component]
fn ListingDetails(view: ListingView) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let ListingView {
        listing,
        can_manage,
        is_seller,
        favourite,
        conversation,
        client_id,
        refused,
        buyers,
    } = view;
    let l = StoredValue::new(listing.clone());
    let flag = move |name: &str| query.read().get(name).is_some();
    let status = listing.status;
    let since = listing.seller_since;
    let created = listing.created_at;
    let seller_link = format!("/users/{}", listing.seller_id);
    let seller_name = listing.seller_name.clone();
    let place = format!("{} {}", listing.postal_code, listing.city);
    let manage = can_manage.then(|| listing.clone());
    let listing_id = listing.id.clone();
    view! {
        <PageTitle text=listing.title.clone() />
        <article class="listing-page">
            <nav class="breadcrumb" aria-label=i18n.t(Msg::Breadcrumb)>
                <A href="/search">{i18n.t(Msg::AllListings)}</A>
                {move || {
                    Category::find(&l.read_value().category)
                        .map(|c| {
                            let top = c.top();
                            view! {
                                " › " <A href=format!("/c/{}", top.slug)>{top.name(i18n.language())}</A>
                                " › " <A href=format!("/c/{}", c.slug)>{c.name(i18n.language())}</A>
                            }
                        })
                }}
            </nav>
            <Show when=move || flag("saved")>
                <Notice>{i18n.t(Msg::ListingSaved)}</Notice>
            </Show>
            <Show when=move || query.read().get("status").is_some()>
                <Notice>{move || status_text(i18n.language(), status)}</Notice>
            </Show>
            <header class="listing-head">
                <h1>{listing.title.clone()}</h1>
                <p class="price">{move || price_text(i18n.language(), l.read_value().price)}</p>
                <StatusBadge status />
            </header>
            <Gallery
                images=listing.images.clone()
                title=listing.title.clone()
                path=format!("/listings/{}", listing.id)
            />
            <div class="listing-columns">
                <section class="card listing-details" aria-labelledby="details-heading">
                    <h2 id="details-heading">{i18n.t(Msg::Description)}</h2>
                    <p class="description">{listing.description.clone()}</p>
                    <dl class="facts">
                        <dt>{i18n.t(Msg::Category)}</dt>
                        <dd>{move || category_path(i18n.language(), &l.read_value().category)}</dd>
                        <dt>{i18n.t(Msg::Place)}</dt>
                        <dd>{place}</dd>
                        <dt>{i18n.t(Msg::PostedOn)}</dt>
                        <dd>{move || i18n.locale().long_date(created)}</dd>
                    </dl>
                </section>
                <aside class="card seller-card" aria-labelledby="seller-heading">
                    <h2 id="seller-heading">{i18n.t(Msg::Seller)}</h2>
                    <p class="seller-name">
                        <A href=seller_link>{seller_name}</A>
                    </p>
                    <p class="meta">
                        {i18n.t(Msg::MemberSince)} " " {move || i18n.locale().long_date(since)}
                    </p>
                    {(!is_seller && status.is_public())
                        .then(|| {
                            view! {
                                <ContactSeller
                                    listing=listing_id.clone()
                                    logged_in=favourite.is_some()
                                    conversation=conversation.clone()
                                    client_id=client_id.clone()
                                    refused
                                />
                            }
                        })}
                    <FavouriteControl id=listing_id favourite is_seller />
                </aside>
            </div>
            {manage.map(|listing| view! { <ManageListing listing buyers /> })}
        </article>
    }
}

/// The images: the chosen one large (`?image=N`), all of them as thumbnails linking to
/// their choice. Works the same without JavaScript ([`GalleryPictures`] adds the rest).
#[component]
fn Gallery(
    images: Vec<marktchat_shared::listing::ImageRef>,
    title: String,
    /// The listing's path; thumbnails link to `path?image=N`.
    path: String,
) -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    if images.is_empty() {
        return view! { <p class="gallery-empty">{i18n.t(Msg::NoImages)}</p> }.into_any();
    }
    let chosen = query.with_untracked(|q| q.get("image").and_then(|i| i.parse::<usize>().ok()));
    let chosen = chosen.unwrap_or(0).min(images.len() - 1);
    view! { <GalleryPictures locale=i18n.locale_untracked() images title path chosen /> }.into_any()
}

/// The gallery itself. Hydrated, choosing a picture replaces the address instead of
/// adding to the history (Back leaves the listing) and keeps the page where it is.
#[island(lazy)]
fn GalleryPictures(
    locale: crate::i18n::Locale,
    images: Vec<marktchat_shared::listing::ImageRef>,
    title: String,
    path: String,
    chosen: usize,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::chunks::preload_chunks("gallery_pictures_loader");
    let i18n = crate::i18n::provide_locale(locale);
    let count = images.len();
    let images = StoredValue::new(images);
    let chosen = RwSignal::new(chosen);
    let title = StoredValue::new(title);
    let choose_in_place = move |n: usize, ev: leptos::ev::MouseEvent| {
        #[cfg(feature = "hydrate")]
        {
            let plain_click = ev.button() == 0
                && !(ev.ctrl_key() || ev.meta_key() || ev.shift_key() || ev.alt_key());
            let href =
                leptos::wasm_bindgen::JsCast::dyn_into::<leptos::web_sys::HtmlAnchorElement>(
                    ev.current_target().expect("a link"),
                )
                .ok()
                .and_then(|a| a.get_attribute("href"));
            let history = window().history().ok();
            if let (true, Some(href), Some(history)) = (plain_click, href, history) {
                ev.prevent_default();
                if history
                    .replace_state_with_url(&leptos::wasm_bindgen::JsValue::NULL, "", Some(&href))
                    .is_ok()
                {
                    chosen.set(n);
                }
            }
        }
        #[cfg(not(feature = "hydrate"))]
        let _ = (n, ev);
    };
    view! {
        <section class="gallery" aria-label=i18n.t(Msg::Images)>
            {move || {
                let img = images.read_value()[chosen.get()].clone();
                view! {
                    <figure class="gallery-main">
                        <a href=img.url()>
                            <img
                                src=img.url()
                                width=img.width
                                height=img.height
                                alt=format!("{} ({}/{count})", title.read_value(), chosen.get() + 1)
                            />
                        </a>
                    </figure>
                }
            }}
            {(count > 1)
                .then(|| {
                    view! {
                        <ul class="gallery-thumbs">
                            {images
                                .get_value()
                                .into_iter()
                                .enumerate()
                                .map(|(n, img)| {
                                    view! {
                                        <li>
                                            <a
                                                href=format!("{path}?image={n}")
                                                aria-current=move || {
                                                    (chosen.get() == n).then_some("true")
                                                }
                                                on:click=move |ev| choose_in_place(n, ev)
                                            >
                                                <img
                                                    src=img.thumb_url()
                                                    alt=format!("{} {}", i18n.tr(Msg::Image), n + 1)
                                                    loading="lazy"
                                                />
                                            </a>
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                })}
        </section>
    }
}

/// "Save to watch list" / "Remove from watch list"; a login link for visitors.
#[component]
fn FavouriteControl(id: String, favourite: Option<bool>, is_seller: bool) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetFavourite>::new();
    let errors = action_error(action);
    if is_seller {
        return ().into_any();
    }
    match favourite {
        None => view! {
            <p class="meta">
                <A href=format!("/login?next=/listings/{id}")>{i18n.t(Msg::LoginToWatch)}</A>
            </p>
        }
        .into_any(),
        Some(initial) => {
            // The post comes back to this same page, rendered with the new state.
            let on = RwSignal::new(initial);
            view! {
                <ActionForm action attr:class="favourite-form">
                    <FormAlert errors />
                    <input type="hidden" name="id" value=id />
                    {move || (!on.get()).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                    <button
                        type="submit"
                        class=move || if on.get() { "secondary" } else { "" }
                        disabled=move || action.pending().get()
                    >
                        {move || i18n.tr(if on.get() { Msg::Unwatch } else { Msg::Watch })}
                    </button>
                </ActionForm>
            }
            .into_any()
        }
    }
}

/// "Contact seller": the first message is typed right here; with a conversation
/// already there, a link to it instead.
#[component]
fn ContactSeller(
    listing: String,
    logged_in: bool,
    conversation: Option<String>,
    client_id: String,
    refused: Option<Refusal>,
) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<crate::api::conversations::Contact>::new();
    let errors = action_error(action);
    if !logged_in {
        return view! {
            <p id="contact" class="meta">
                <A href=format!("/login?next=/listings/{listing}")>{i18n.t(Msg::LoginToContact)}</A>
            </p>
        }
        .into_any();
    }
    if let Some(id) = conversation {
        return view! {
            <p id="contact">
                <A href=format!("/messages/{id}") attr:class="button">{i18n.t(Msg::OpenConversation)}</A>
            </p>
        }
        .into_any();
    }
    if let Some(refused) = refused {
        return view! { <ContactRefused id="contact" label=Msg::ContactSeller refused /> }
            .into_any();
    }
    view! {
        <ActionForm action attr:id="contact" attr:class="contact-form">
            <h3>{i18n.t(Msg::ContactSeller)}</h3>
            <FormAlert errors />
            <input type="hidden" name="listing" value=listing />
            <input type="hidden" name="client_id" value=client_id />
            <QuickReplies quick=Signal::stored(&[QuickReply::StillThere][..]) />
            <label for="contact-text">{i18n.t(Msg::ContactFirstMessage)}</label>
            <textarea id="contact-text" name="text" rows="3" maxlength="4000" required></textarea>
            <FieldError field=Field::Message errors />
            <button type="submit" disabled=move || action.pending().get()>
                {i18n.t(Msg::SendMessage)}
            </button>
        </ActionForm>
    }
    .into_any()
}

/// A contact button that cannot be used, and why (in words that reveal nobody's
/// tags, nor who blocked whom).
#[component]
pub fn ContactRefused(id: &'static str, label: Msg, refused: Refusal) -> impl IntoView {
    let i18n = use_i18n();
    let reason = match refused {
        Refusal::Rules => Msg::ContactNotAllowedByRules,
        Refusal::Blocked => Msg::CannotMessageNotice,
    };
    let reason_id = format!("{id}-refused");
    view! {
        <div id=id class="contact-refused">
            <button type="button" disabled aria-describedby=reason_id.clone()>{i18n.t(label)}</button>
            <p id=reason_id class="meta">{i18n.t(reason)}</p>
        </div>
    }
}

/// The seller's tools: edit, the status changes allowed now, delete. "Sold" asks to
/// whom, among the people who wrote about it: their conversation stays open.
#[component]
fn ManageListing(listing: Listing, buyers: Vec<Person>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetListingStatus>::new();
    let errors = action_error(action);
    let current = listing.status;
    let id = listing.id.clone();
    let targets = [
        ListingStatus::Reserved,
        ListingStatus::Sold,
        ListingStatus::Inactive,
        ListingStatus::Active,
    ];
    view! {
        <section class="card manage" aria-labelledby="manage-heading">
            <h2 id="manage-heading">{i18n.t(Msg::ManageListing)}</h2>
            <p class="meta">
                {i18n.t(Msg::StatusNow)} ": " <strong>{move || status_text(i18n.language(), current)}</strong>
            </p>
            <FormAlert errors />
            <div class="manage-actions">
                <A href=format!("/listings/{id}/edit") attr:class="button">{i18n.t(Msg::Edit)}</A>
                {targets
                    .into_iter()
                    .filter(|t| current.can_change_to(*t))
                    .map(|target| {
                        let id = id.clone();
                        // Sold to whom: one of the people who wrote, or someone else.
                        let to_whom = (target == ListingStatus::Sold && !buyers.is_empty()).then(|| {
                            let people = buyers.clone();
                            view! {
                                <label for="buyer" class="inline-label">{i18n.t(Msg::SoldTo)}</label>
                                <select id="buyer" name="buyer" class="sold-to" aria-describedby="buyer-hint">
                                    {people
                                        .into_iter()
                                        .map(|p| {
                                            let name = p.name.clone().unwrap_or_default();
                                            view! { <option value=p.id.0.clone()>{name}</option> }
                                        })
                                        .collect_view()}
                                    <option value="">{i18n.t(Msg::SoldToSomeoneElse)}</option>
                                </select>
                            }
                        });
                        view! {
                            <ActionForm action attr:class="inline-form">
                                <input type="hidden" name="id" value=id />
                                <input type="hidden" name="status" value=target.as_str() />
                                {to_whom}
                                <button type="submit" class="secondary" disabled=move || action.pending().get()>
                                    {move || status_action(i18n.language(), current, target)}
                                </button>
                            </ActionForm>
                        }
                    })
                    .collect_view()}
                <A href=format!("/listings/{id}/delete") attr:class="button danger">
                    {i18n.t(Msg::Delete)}
                </A>
            </div>
            {(!buyers.is_empty() && current.can_change_to(ListingStatus::Sold)).then(|| view! {
                <p class="hint" id="buyer-hint">{i18n.t(Msg::SoldToHint)}</p>
            })}
            <FieldError field=Field::Buyer errors />
        </section>
    }
}

/// `/listings/:id/delete`: asks before deleting.
#[component]
pub fn DeleteListingPage() -> impl IntoView {
    view! {
        <RequireUser>
            <WithListing view=|v| view! { <DeleteListing view=v /> }.into_any() />
        </RequireUser>
    }
}

#[component]
fn DeleteListing(view: ListingView) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SetListingStatus>::new();
    let errors = action_error(action);
    let listing = view.listing;
    if !view.can_manage {
        set_http_status(403);
        return view! { <MessageCard title=Msg::ForbiddenTitle text=Msg::NotYourListing /> }
            .into_any();
    }
    view! {
        <PageTitle text=i18n.t(Msg::DeleteListing) />
        <section class="card danger-zone">
            <h1>{i18n.t(Msg::DeleteListing)}</h1>
            <p>
                <strong>{listing.title.clone()}</strong>
            </p>
            <p>{i18n.t(Msg::DeleteListingText)}</p>
            <ActionForm action>
                <FormAlert errors />
                <input type="hidden" name="id" value=listing.id.clone() />
                <input type="hidden" name="status" value=ListingStatus::Deleted.as_str() />
                <div class="field">
                    <label class="checkbox">
                        <input type="checkbox" name="confirm" value="yes" required=true />
                        {i18n.t(Msg::DeleteListingConfirm)}
                    </label>
                    <FieldError field=Field::Confirmation errors />
                </div>
                <p class="actions">
                    <button type="submit" class="danger" disabled=move || action.pending().get()>
                        {i18n.t(Msg::DeleteListing)}
                    </button>
                    <a href=format!("/listings/{}", listing.id)>{i18n.t(Msg::Cancel)}</a>
                </p>
            </ActionForm>
        </section>
    }
    .into_any()
}

/// `/listings/new`.
#[component]
pub fn NewListingPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::NewListing) />
        <RequireUser>
            <h1>{i18n.t(Msg::NewListing)}</h1>
            <ListingForm existing=None />
        </RequireUser>
    }
}

/// `/listings/:id/edit`.
#[component]
pub fn EditListingPage() -> impl IntoView {
    view! {
        <RequireUser>
            <WithListing view=|v| {
                if v.can_manage {
                    view! {
                        <PageTitle text=use_i18n().t(Msg::EditListing) />
                        <h1>{use_i18n().t(Msg::EditListing)}</h1>
                        <ListingForm existing=Some(v.listing) />
                    }
                        .into_any()
                } else {
                    set_http_status(403);
                    view! { <MessageCard title=Msg::ForbiddenTitle text=Msg::NotYourListing /> }
                        .into_any()
                }
            } />
        </RequireUser>
    }
}

/// What was typed into the listing form before a failed post without JavaScript.
fn typed_from_url() -> Option<TypedListing> {
    form_error_from_url()?;
    let fields = crate::app::failed_form_fields();
    TypedListing::from_query(|k| {
        fields.iter().filter(|(name, _)| name == k).map(|(_, v)| v.clone()).collect()
    })
}

/// The error of a failed no-JavaScript post of the listing form, from the URL.
fn form_error_from_url() -> Option<AppError> {
    use leptos::server::ServerActionError;
    use leptos::server_fn::error::ServerFnUrlError;
    use leptos::server_fn::ServerFn;
    let e = use_context::<ServerActionError>()?;
    (e.path() == SaveListing::PATH).then(|| ServerFnUrlError::<AppError>::decode_err(e.err()))
}

/// Checks the chosen pictures when the listing form is sent, before a single byte is
/// uploaded: the same limits the server applies ([`check_chosen_images`]). When they
/// are exceeded the form is not sent, and the reason shows here.
#[island]
fn ImageCheck(lang: marktchat_shared::Language, current: usize) -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::chunks::preload_front_end();
    let problem = RwSignal::new(None::<marktchat_shared::Invalid>);
    #[cfg(feature = "hydrate")]
    {
        use leptos::wasm_bindgen::JsCast;
        let handle = window_event_listener(leptos::ev::submit, move |ev| {
            let Some(form) =
                ev.target().and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
            else {
                return;
            };
            if !form.class_list().contains("listing-form") {
                return;
            }
            let checked = check_chosen_images(&form, current).err();
            if checked.is_some() {
                ev.prevent_default();
            } else {
                // Sent: a second click while the pictures upload would post it twice.
                set_sending(&form, true);
            }
            problem.set(checked);
        });
        // Back to a page whose form was sent (the browser keeps it as it was left).
        let shown = window_event_listener(leptos::ev::pageshow, move |_| {
            if let Some(form) = document()
                .query_selector("form.listing-form")
                .ok()
                .flatten()
                .and_then(|f| f.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
            {
                set_sending(&form, false);
            }
        });
        on_cleanup(move || {
            handle.remove();
            shown.remove();
        });
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = current;
    move || {
        problem.get().map(|p| {
            view! {
                <p class="field-error" role="alert">
                    {crate::i18n::invalid_text(lang, Field::Images, p)}
                </p>
            }
        })
    }
}

/// Disables (or enables again) the listing form's submit button.
#[cfg(feature = "hydrate")]
fn set_sending(form: &leptos::web_sys::HtmlFormElement, sending: bool) {
    use leptos::wasm_bindgen::JsCast;
    if let Some(button) = form
        .query_selector("button[type=submit]")
        .ok()
        .flatten()
        .and_then(|b| b.dyn_into::<leptos::web_sys::HtmlButtonElement>().ok())
    {
        button.set_disabled(sending);
    }
}

/// The same image limits the server applies, checked in the browser: the size of each
/// chosen file, and how many images the listing would have (`current` ones minus those
/// marked for removal, plus the chosen files).
#[cfg(feature = "hydrate")]
fn check_chosen_images(
    form: &leptos::web_sys::HtmlFormElement,
    current: usize,
) -> Result<(), marktchat_shared::Invalid> {
    use leptos::wasm_bindgen::JsCast;
    use marktchat_shared::listing::{check_image_count, check_image_size};
    let files = form
        .query_selector("input[name=images]")
        .ok()
        .flatten()
        .and_then(|e| e.dyn_into::<leptos::web_sys::HtmlInputElement>().ok())
        .and_then(|input| input.files());
    let chosen = files.as_ref().map_or(0, |f| f.length() as usize);
    for file in (0..chosen).filter_map(|i| files.as_ref()?.item(i as u32)) {
        check_image_size(file.size() as usize)?;
    }
    let removed = form
        .query_selector_all("input[name=remove_image]:checked")
        .map_or(0, |l| l.length() as usize);
    check_image_count(current.saturating_sub(removed), chosen)
}

/// Posting and editing: text fields, price, category, place and images, as one
/// multipart form. The browser posts it and the server redirects (back here with every
/// problem, or to the listing); [`ImageCheck`] refuses too many or too large pictures
/// before they are uploaded.
#[component]
fn ListingForm(existing: Option<Listing>) -> impl IntoView {
    let i18n = use_i18n();
    let errors = Signal::stored(form_error_from_url());
    let current_images = existing.as_ref().map_or(0, |l| l.images.len());
    // What the form starts with: what was typed before a failed post without JavaScript,
    // else the listing being edited, else nothing.
    let typed = typed_from_url().or_else(|| {
        existing.as_ref().map(|l| TypedListing {
            text: ListingText {
                title: l.title.clone(),
                description: l.description.clone(),
                price_kind: l.price.kind().as_str().to_owned(),
                price_amount: l
                    .price
                    .cents()
                    .map(|c| amount_text(i18n.language_untracked(), c))
                    .unwrap_or_default(),
                category: l.category.clone(),
                postal_code: l.postal_code.clone(),
                city: l.city.clone(),
            },
            had_images: false,
            remove_images: Vec::new(),
        })
    });
    let typed = typed.unwrap_or_default();
    let kind = PriceKind::parse(&typed.text.price_kind).unwrap_or(PriceKind::Fixed);
    let category = typed.text.category.clone();
    let images = existing.as_ref().map(|l| l.images.clone()).unwrap_or_default();
    let id = existing.as_ref().map(|l| l.id.clone());
    let cancel =
        id.as_ref().map(|id| format!("/listings/{id}")).unwrap_or_else(|| "/profile".into());
    view! {
        <form
            class="card listing-form"
            method="post"
            action="/api/listings/save"
            enctype="multipart/form-data"
            novalidate=true
        >
            <FormAlert errors />
            {id.map(|id| view! { <input type="hidden" name="id" value=id /> })}
            <TextField
                field=Field::Title
                label=Msg::Title
                hint=Msg::TitleHint
                value=typed.text.title.clone()
                maxlength=ListingTitle::MAX_LEN
                required=true
                errors
            />
            <TextField
                field=Field::Description
                label=Msg::Description
                hint=Msg::DescriptionHint
                value=typed.text.description.clone()
                multiline=true
                maxlength=Description::MAX_LEN
                errors
            />
            <fieldset class="field price-field">
                <legend>{i18n.t(Msg::Price)}</legend>
                <div class="radio-row">
                    {[
                        (PriceKind::Fixed, Msg::PriceFixed),
                        (PriceKind::Negotiable, Msg::PriceNegotiable),
                        (PriceKind::Free, Msg::PriceFree),
                    ]
                        .into_iter()
                        .map(|(k, label)| {
                            view! {
                                <label class="radio">
                                    <input type="radio" name="price_kind" value=k.as_str() checked=k == kind />
                                    {i18n.t(label)}
                                </label>
                            }
                        })
                        .collect_view()}
                </div>
                <TextField
                    field=Field::Price
                    label=Msg::PriceAmount
                    hint=Msg::PriceAmountHint
                    value=typed.text.price_amount.clone()
                    errors
                />
            </fieldset>
            <div class="field" class:has-error=move || errors.get().and_then(|e| e.problem_for(Field::Category)).is_some()>
                <label for="category">{i18n.t(Msg::Category)}</label>
                <select id="category" name="category" required=true>
                    <option value="" selected=category.is_empty()>{i18n.t(Msg::ChooseCategory)}</option>
                    {Category::tops()
                        .map(|top| {
                            let category = category.clone();
                            view! {
                                <optgroup label=move || top.name(i18n.language())>
                                    {top
                                        .children()
                                        .iter()
                                        .map(|c| {
                                            view! {
                                                <option value=c.slug selected=c.slug == category>
                                                    {move || c.name(i18n.language())}
                                                </option>
                                            }
                                        })
                                        .collect_view()}
                                </optgroup>
                            }
                        })
                        .collect_view()}
                </select>
                <FieldError field=Field::Category errors />
            </div>
            <div class="field-row">
                <TextField
                    field=Field::PostalCode
                    label=Msg::PostalCode
                    value=typed.text.postal_code.clone()
                    autocomplete="postal-code"
                    maxlength=5
                    required=true
                    errors
                />
                <TextField
                    field=Field::City
                    label=Msg::City
                    value=typed.text.city.clone()
                    autocomplete="address-level2"
                    maxlength=City::MAX_LEN
                    required=true
                    errors
                />
            </div>
            <fieldset class="field images-field" class:has-error=move || errors.get().and_then(|e| e.problem_for(Field::Images)).is_some()>
                <legend>{i18n.t(Msg::Images)}</legend>
                {(!images.is_empty())
                    .then(|| {
                        view! {
                            <ul class="image-choices">
                                {images
                                    .iter()
                                    .enumerate()
                                    .map(|(n, img)| {
                                        view! {
                                            <li>
                                                <img src=img.thumb_url() alt=format!("{} {}", i18n.tr(Msg::Image), n + 1) />
                                                <label class="checkbox">
                                                    <input
                                                        type="checkbox"
                                                        name="remove_image"
                                                        value=img.hash.clone()
                                                        checked=typed.remove_images.contains(&img.hash)
                                                    />
                                                    {i18n.t(Msg::RemoveImage)}
                                                </label>
                                            </li>
                                        }
                                    })
                                    .collect_view()}
                            </ul>
                        }
                    })}
                <label for="images">{i18n.t(Msg::AddImages)}</label>
                <input
                    type="file"
                    id="images"
                    name="images"
                    multiple=true
                    accept="image/jpeg,image/png,image/webp"
                    aria-describedby="images-hint"
                />
                <p class="hint" id="images-hint">
                    {move || {
                        i18n.tr(Msg::ImagesHint)
                            .replace("{max}", &MAX_IMAGES.to_string())
                            .replace("{mb}", &(MAX_IMAGE_BYTES / (1024 * 1024)).to_string())
                    }}
                </p>
                {typed
                    .had_images
                    .then(|| view! { <p class="hint">{i18n.t(Msg::ChooseImagesAgain)}</p> })}
                <FieldError field=Field::Images errors />
                <ImageCheck lang=i18n.language_untracked() current=current_images />
            </fieldset>
            <p class="actions">
                <button type="submit">{i18n.t(Msg::SaveListing)}</button>
                <a href=cancel>{i18n.t(Msg::Cancel)}</a>
            </p>
        </form>
    }
}
