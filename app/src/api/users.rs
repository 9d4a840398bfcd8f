//! Other people: the directory and public profiles.

use crate::error::AppError;
use leptos::prelude::*;
use marktchat_shared::{DirectoryPage, PublicProfile};

/// One page of the member directory; for logged-in users.
#[server(endpoint = "users/list")]
pub async fn list_users(q: String, page: u32) -> Result<DirectoryPage, AppError> {
    use super::ctx;
    ctx::require_user()?;
    ctx::once_per_request(format!("users/list {page} {q}"), async {
        Ok(ctx::services()?.accounts().directory(&q, page).await?)
    })
    .await
}

/// A user's public profile; visible to everyone.
#[server(endpoint = "users/get")]
pub async fn get_user(id: String) -> Result<PublicProfile, AppError> {
    use super::ctx;
    ctx::once_per_request(format!("users/get {id}"), async {
        Ok(ctx::services()?.accounts().public_profile(&id).await?)
    })
    .await
}
