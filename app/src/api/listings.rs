//! Listings: reading, searching, posting and editing (with image uploads), status
//! changes and the watch list.

use crate::error::AppError;
use leptos::prelude::*;
use leptos::server_fn::codec::{MultipartData, MultipartFormData};
use marktchat_shared::listing::{ImageRef, Listing, ListingText, SellerPage, WatchList};
use marktchat_shared::search::{SearchPage, SearchParams};
use serde::{Deserialize, Serialize};

/// A listing with what the viewer may do with it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ListingView {
    pub listing: Listing,
    /// The viewer is the seller (or an admin): show the management tools.
    pub can_manage: bool,
    /// The viewer is the seller: no "contact" or watch-list controls.
    pub is_seller: bool,
    /// `None` when nobody is logged in; otherwise whether it is on their watch list.
    pub favourite: Option<bool>,
    /// The viewer's conversation about this listing, if they have one.
    pub conversation: Option<String>,
    /// A fresh client message id for the "contact seller" form.
    pub client_id: String,
    /// Why the viewer may not contact the seller now, if not.
    pub refused: Option<super::conversations::Refusal>,
    /// For the management tools: who wrote about the listing (it can be sold to one
    /// of them).
    pub buyers: Vec<marktchat_shared::conversation::Person>,
}

/// What was typed into the listing form, handed back to it after a post without
/// JavaScript failed: the browser then shows the form page again, which would otherwise
/// start empty. It travels as query parameters (`typed_*`) next to the error, which the
/// server keeps out of the address (`marktchat-server`'s `flash`).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TypedListing {
    pub text: ListingText,
    /// Pictures were chosen; a browser cannot be handed files back, so the form asks
    /// for them again.
    pub had_images: bool,
    /// Current images marked for removal (editing).
    pub remove_images: Vec<String>,
}

impl TypedListing {
    const PREFIX: &'static str = "typed_";

    /// The query parameters carrying it.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut pairs: Vec<(String, String)> = [
            ("title", &self.text.title),
            ("description", &self.text.description),
            ("price_kind", &self.text.price_kind),
            ("price", &self.text.price_amount),
            ("category", &self.text.category),
            ("postal_code", &self.text.postal_code),
            ("city", &self.text.city),
        ]
        .into_iter()
        .map(|(k, v)| (format!("{}{k}", Self::PREFIX), v.clone()))
        .collect();
        for hash in self.remove_images.iter().filter(|h| ImageRef::is_hash(h)) {
            pairs.push((format!("{}remove", Self::PREFIX), hash.clone()));
        }
        if self.had_images {
            pairs.push((format!("{}images", Self::PREFIX), "1".into()));
        }
        pairs
    }

    /// Reads it back from a query (`get_all` gives a parameter's values); `None` when
    /// the query carries none.
    pub fn from_query(get_all: impl Fn(&str) -> Vec<String>) -> Option<Self> {
        let all = |k: &str| get_all(&format!("{}{k}", Self::PREFIX));
        let field = |k: &str| all(k).into_iter().next();
        Some(TypedListing {
            text: ListingText {
                title: field("title")?,
                description: field("description").unwrap_or_default(),
                price_kind: field("price_kind").unwrap_or_default(),
                price_amount: field("price").unwrap_or_default(),
                category: field("category").unwrap_or_default(),
                postal_code: field("postal_code").unwrap_or_default(),
                city: field("city").unwrap_or_default(),
            },
            had_images: field("images").is_some(),
            remove_images: all("remove"),
        })
    }
}

#[server(endpoint = "listings/get")]
pub async fn get_listing(id: String) -> Result<ListingView, AppError> {
    use super::ctx;
    known_id(&id)?;
    let user = ctx::session().user;
    ctx::once_per_request(format!("listings/get {id}"), move |services| async move {
        let listings = services.listings();
        let listing = listings.get(&id, user.as_ref()).await?;
        let is_seller = user.as_ref().is_some_and(|u| u.id == listing.seller_id);
        let can_manage = is_seller || user.as_ref().is_some_and(|u| u.is_admin());
        let favourite = match &user {
            Some(u) => Some(listings.is_favourite(&u.id, &id).await?),
            None => None,
        };
        let conversation = match &user {
            Some(u) if !is_seller => {
                let about = marktchat_services::conversations::About::Listing(id.clone());
                services.conversations().existing(&u.id, &about).await?.map(|c| c.0)
            }
            _ => None,
        };
        let client_id = super::conversations::new_client_id();
        let refused = match &user {
            Some(u) if !is_seller && conversation.is_none() => {
                super::conversations::refusal(&services, &u.id, &listing.seller_id).await?
            }
            _ => None,
        };
        let buyers =
            if can_manage { services.conversations().buyers(&id).await? } else { Vec::new() };
        Ok(ListingView {
            listing,
            can_manage,
            is_seller,
            favourite,
            conversation,
            client_id,
            refused,
            buyers,
        })
    })
    .await
}

/// One page of a search (also the start page's "latest" and category pages), with
/// the number of results on all pages when `count` is set (the search and category
/// pages show it; the start page does not).
#[server(endpoint = "listings/search")]
pub async fn search_listings(
    #[server(default)] params: SearchParams,
    #[server(default)] count: bool,
) -> Result<SearchPage, AppError> {
    use super::ctx;
    use marktchat_shared::search::{Search, PAGE_SIZE};
    let search = Search::parse(&params).map_err(AppError::Invalid)?;
    // Keyed by the parameters as given (hashed: formatting them showed in profiles).
    let key = format!("listings/search {count} {:x}", ctx::hash_of(&params));
    ctx::once_per_request(key, move |services| async move {
        let listings = services.listings();
        Ok(if count {
            listings.search_counted(&search, PAGE_SIZE).await?
        } else {
            listings.search(&search, PAGE_SIZE).await?
        })
    })
    .await
}

/// A page of the logged-in user's own listings, every status but deleted.
#[server(endpoint = "listings/mine")]
pub async fn my_listings(#[server(default)] page: Option<u32>) -> Result<SellerPage, AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let page = page.unwrap_or(1);
    ctx::once_per_request(format!("listings/mine {page}"), move |services| async move {
        Ok(services.listings().by_seller(&user.id, false, page).await?)
    })
    .await
}

/// What others see of a member's listings: a page of the public ones.
#[server(endpoint = "listings/by-seller")]
pub async fn seller_listings(
    user_id: String,
    #[server(default)] page: Option<u32>,
) -> Result<SellerPage, AppError> {
    use super::ctx;
    let page = page.unwrap_or(1);
    ctx::once_per_request(
        format!("listings/by-seller {user_id} {page}"),
        move |services| async move {
            let id = marktchat_shared::UserId(user_id.clone());
            Ok(services.listings().by_seller(&id, true, page).await?)
        },
    )
    .await
}

/// Reserve, mark sold, deactivate, reactivate or delete. Deleting needs `confirm`;
/// "sold" takes `buyer`, one of the people who wrote about it (empty: someone else).
#[server(endpoint = "listings/status")]
pub async fn set_listing_status(
    id: String,
    status: String,
    confirm: Option<String>,
    #[server(default)] buyer: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_shared::listing::ListingStatus;
    use marktchat_shared::{Field, Invalid};
    let user = ctx::require_user()?;
    known_id(&id)?;
    let next = ListingStatus::parse(&status)
        .ok_or(AppError::invalid(Field::Status, Invalid::StatusChange))?;
    if next == ListingStatus::Deleted && confirm.is_none() {
        return Err(AppError::invalid(Field::Confirmation, Invalid::NotConfirmed));
    }
    let services = ctx::services()?;
    match buyer.as_deref().map(str::trim).filter(|b| !b.is_empty()) {
        Some(_) if next != ListingStatus::Sold => {
            return Err(AppError::invalid(Field::Buyer, Invalid::NotABuyer))
        }
        Some(buyer) => {
            let buyer = marktchat_shared::UserId(buyer.to_owned());
            services.mark_sold(&user, &id, Some(&buyer)).await?;
        }
        None => {
            services.set_listing_status(&user, &id, next).await?;
        }
    }
    if next == ListingStatus::Deleted {
        leptos_axum::redirect("/profile?section=listings&listing_deleted=1");
    } else {
        leptos_axum::redirect(&format!("/listings/{id}?status={}", next.as_str()));
    }
    Ok(())
}

/// Puts a listing on the watch list (`on` present) or takes it off, then goes back to
/// the listing (or to `next`, a path on this site).
#[server(endpoint = "listings/favourite")]
pub async fn set_favourite(
    id: String,
    on: Option<String>,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    known_id(&id)?;
    ctx::services()?.listings().set_favourite(&user, &id, on.is_some()).await?;
    let back = format!("/listings/{id}");
    leptos_axum::redirect(&super::auth::safe_next(next.as_deref(), &back));
    Ok(())
}

#[server(endpoint = "listings/watch-list")]
pub async fn get_watch_list() -> Result<WatchList, AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    ctx::once_per_request("listings/watch-list".into(), move |services| async move {
        Ok(services.listings().watch_list(&user.id).await?)
    })
    .await
}

/// Creates a listing (no `id` field) or edits one, from the listing form: the text
/// fields, new image files (`images`, several) and, when editing, `remove_image`
/// hashes. Everything is checked before anything is stored; on success the browser
/// goes to the listing's page. Returns the listing's id.
#[server(endpoint = "listings/save", input = MultipartFormData)]
pub async fn save_listing(data: MultipartData) -> Result<String, AppError> {
    use super::ctx;
    use leptos::server_fn::ServerFn;
    let user = ctx::require_user()?;
    let mut form = marktchat_services::listings::ListingForm::default();
    let read = read_listing_form(data, &mut form).await;
    let typed = TypedListing {
        text: form.text.clone(),
        remove_images: form.remove_images.clone(),
        had_images: !form.uploads.is_empty()
            || read.as_ref().is_ok_and(|problems| !problems.is_empty()),
    };
    let form_page = match &form.id {
        None => Some("/listings/new".to_owned()),
        Some(id) => known_id(id).ok().map(|()| format!("/listings/{id}/edit")),
    };
    let saved = async {
        let picture_problems = read?;
        if let Some(id) = &form.id {
            known_id(id)?;
        }
        if !picture_problems.is_empty() {
            // With the text's problems, so that one round fixes everything.
            let mut problems = form.draft().err().unwrap_or_default();
            problems.extend(picture_problems);
            return Err(AppError::Invalid(problems));
        }
        Ok(ctx::services()?.save_listing(&user, form).await?)
    }
    .await;
    match saved {
        Ok(listing) => {
            leptos_axum::redirect(&format!("/listings/{}?saved=1", listing.id));
            Ok(listing.id)
        }
        Err(error) => {
            if let Some(page) = form_page {
                ctx::back_to_form(SaveListing::PATH, &error, &page, &typed.pairs());
            }
            Err(error)
        }
    }
}

/// Reads the multipart form into `form`, and returns what is wrong with the pictures.
/// A picture over the size limit, or one too many, is read to its end and dropped, so
/// that the browser gets its answer (the form again, with every problem) instead of a
/// connection closed while it was still sending; the body as a whole is capped by the
/// server's upload limit. Text fields are capped at 64 KiB (more than any field may
/// hold).
#[cfg(feature = "ssr")]
async fn read_listing_form(
    data: MultipartData,
    form: &mut marktchat_services::listings::ListingForm,
) -> Result<marktchat_shared::Problems, AppError> {
    use marktchat_shared::listing::{check_image_count, check_image_size, MAX_IMAGES};
    use marktchat_shared::{Field, Problems};
    const MAX_TEXT: usize = 64 * 1024;
    let bad_request = |e: String| AppError::Request(e);
    let mut problems = Problems::default();
    let mut multipart = data.into_inner().ok_or(AppError::Internal)?;
    while let Some(mut field) =
        multipart.next_field().await.map_err(|e| bad_request(e.to_string()))?
    {
        let name = field.name().unwrap_or_default().to_owned();
        let is_file = field.file_name().is_some();
        let mut bytes = Vec::new();
        let mut size = 0;
        while let Some(chunk) = field.chunk().await.map_err(|e| bad_request(e.to_string()))? {
            size += chunk.len();
            if is_file {
                match check_image_size(size) {
                    Ok(()) => bytes.extend_from_slice(&chunk),
                    Err(problem) => {
                        // Read on without keeping it.
                        problems.add(Field::Images, problem);
                        bytes = Vec::new();
                    }
                }
            } else if size > MAX_TEXT {
                return Err(AppError::Request(format!("field {name} is too long")));
            } else {
                bytes.extend_from_slice(&chunk);
            }
        }
        if is_file {
            // An empty file input still sends a part, without a file name or content.
            if name == "images" && size > 0 && check_image_size(size).is_ok() {
                match check_image_count(0, form.uploads.len() + 1) {
                    Ok(()) => form.uploads.push(bytes),
                    Err(problem) => problems.add(Field::Images, problem),
                }
            }
            continue;
        }
        let text =
            String::from_utf8(bytes).map_err(|_| bad_request(format!("{name} is not UTF-8")))?;
        match name.as_str() {
            "id" => form.id = Some(text).filter(|t| !t.is_empty()),
            "title" => form.text.title = text,
            "description" => form.text.description = text,
            "price_kind" => form.text.price_kind = text,
            "price" => form.text.price_amount = text,
            "category" => form.text.category = text,
            "postal_code" => form.text.postal_code = text,
            "city" => form.text.city = text,
            // A listing has at most MAX_IMAGES pictures to remove.
            "remove_image" if form.remove_images.len() < MAX_IMAGES => {
                form.remove_images.push(text)
            }
            _ => {}
        }
    }
    Ok(problems)
}

/// Listing ids are UUIDs; anything else cannot name a listing (and must not reach a
/// redirect header).
#[cfg(feature = "ssr")]
fn known_id(id: &str) -> Result<(), AppError> {
    if marktchat_shared::listing::is_listing_id(id) {
        Ok(())
    } else {
        Err(AppError::NotFound)
    }
}
