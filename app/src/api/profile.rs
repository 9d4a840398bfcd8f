//! One's own profile: settings, password, deletion.
// A server function takes one argument per field of its form (a plain form post
// without JavaScript); the settings form has eight, on both sides of the macro.
#![allow(clippy::too_many_arguments)]

use crate::error::AppError;
use leptos::prelude::*;
use marktchat_shared::Profile;

#[server(endpoint = "profile/me")]
pub async fn my_profile() -> Result<Profile, AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    ctx::once_per_request("profile/me".into(), move |services| async move {
        Ok(services.accounts().profile(&user.id).await?)
    })
    .await
}

/// Saves the settings form. `notify_messages` and the privacy settings are checkboxes:
/// present means on.
#[server(endpoint = "profile/update")]
pub async fn update_profile(
    display_name: String,
    location: String,
    bio: String,
    language: String,
    #[server(default)] time_zone: String,
    notify_messages: Option<String>,
    show_last_active: Option<String>,
    show_reply_time: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::accounts::ProfileUpdate;
    let user = ctx::require_user()?;
    let update = ProfileUpdate::parse(
        &display_name,
        &location,
        &bio,
        &language,
        &time_zone,
        notify_messages.is_some(),
        (show_last_active.is_some(), show_reply_time.is_some()),
    )?;
    ctx::services()?.accounts().update_profile(&user.id, update).await?;
    leptos_axum::redirect("/profile?saved=profile");
    Ok(())
}

#[server(endpoint = "profile/password")]
pub async fn change_password(
    current_password: String,
    new_password: String,
) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let services = ctx::services()?;
    use marktchat_services::sessions::session_cookie;
    services.accounts().change_password(&user.id, &current_password, &new_password).await?;
    // Every session ends; this browser continues with a new token.
    let token = services.sessions().restart_all(&user.id).await?;
    ctx::set_cookie(&session_cookie(&token, ctx::secure_cookies()));
    leptos_axum::redirect("/profile?saved=password");
    Ok(())
}

/// Deletes the account after the password and an explicit confirmation.
#[server(endpoint = "profile/delete")]
pub async fn delete_account(
    current_password: String,
    confirm: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::sessions::clear_session_cookie;
    use marktchat_shared::{Field, Invalid, Problems};
    let user = ctx::require_user()?;
    let mut problems = Problems::default();
    if current_password.is_empty() {
        problems.add(Field::CurrentPassword, Invalid::Empty);
    }
    if confirm.is_none() {
        problems.add(Field::Confirmation, Invalid::NotConfirmed);
    }
    if !problems.is_empty() {
        return Err(AppError::Invalid(problems));
    }
    let services = ctx::services()?;
    services.delete_account(&user.id, &current_password).await?;
    ctx::set_cookie(&clear_session_cookie(ctx::secure_cookies()));
    tracing::info!(user = %user.id, "account deleted");
    leptos_axum::redirect("/?deleted=1");
    Ok(())
}
