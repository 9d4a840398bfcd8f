//! Other people: the directory and public profiles.

use crate::api::conversations::Refusal;
use crate::error::AppError;
use leptos::prelude::*;
use marktchat_shared::{DirectoryPage, PublicProfile};
use serde::{Deserialize, Serialize};

/// A directory page with what its "Message" buttons show, one per person, in order.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Directory {
    pub page: DirectoryPage,
    pub write: Vec<WriteTo>,
}

/// What the viewer can do about writing to one person of the directory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum WriteTo {
    /// It is the viewer: no button.
    Oneself,
    /// The conversation the two already have.
    Open(String),
    /// A new conversation may start (from the person's profile).
    Start,
    /// Not now, and why.
    Refused(Refusal),
}

/// One page of the member directory; for logged-in users.
#[server(endpoint = "users/list")]
pub async fn list_users(q: String, page: u32) -> Result<Directory, AppError> {
    use super::ctx;
    use marktchat_services::conversations::Refusal as R;
    let me = ctx::require_user()?;
    ctx::once_per_request(format!("users/list {page} {q}"), move |services| async move {
        let page = services.accounts().directory(&q, page).await?;
        let people: Vec<_> = page.users.iter().map(|u| u.id.clone()).collect();
        let options = services.conversations().write_options(&me.id, &people).await?;
        let write = options
            .into_iter()
            .map(|o| match (o.existing, o.refused) {
                (_, Some(R::Oneself)) => WriteTo::Oneself,
                (Some(c), _) => WriteTo::Open(c.0),
                (None, None) => WriteTo::Start,
                (None, Some(r)) => WriteTo::Refused(r.into()),
            })
            .collect();
        Ok(Directory { page, write })
    })
    .await
}

/// A user's public profile; visible to everyone.
#[server(endpoint = "users/get")]
pub async fn get_user(id: String) -> Result<PublicProfile, AppError> {
    use super::ctx;
    ctx::once_per_request(format!("users/get {id}"), move |services| async move {
        Ok(services.accounts().public_profile(&id).await?)
    })
    .await
}
