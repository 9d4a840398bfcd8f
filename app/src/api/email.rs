//! A new e-mail address: asked for in the profile (with the password), confirmed
//! through the link mailed to it. As with reset links, the token moves from the
//! address bar into a short-lived cookie as soon as the page opens.

use crate::error::AppError;
use leptos::prelude::*;

#[cfg(feature = "ssr")]
const CONFIRM_COOKIE: &str = "marktchat_email";

/// Mails a confirmation link to `email`, the new address, (and a notice to the current address).
#[server(endpoint = "profile/email")]
pub async fn request_email_change(current_password: String, email: String) -> Result<(), AppError> {
    use super::ctx;
    let user = ctx::require_user()?;
    let services = ctx::services()?;
    services
        .request_email_change(&user.id, &current_password, &email)
        .await
        .inspect_err(|_| ctx::keep_typed(&[("email", &email)]))?;
    leptos_axum::redirect("/profile?saved=email");
    Ok(())
}

/// The address the link this browser opened would set, if the link still works.
#[server(endpoint = "email/pending")]
pub async fn pending_email_change() -> Result<Option<String>, AppError> {
    use super::ctx;
    let services = ctx::services()?;
    match ctx::cookie(CONFIRM_COOKIE) {
        Some(token) => Ok(services.email_change_pending(&token).await?),
        None => Ok(None),
    }
}

/// Confirms the new address of the link this browser opened (no login needed: the
/// link is the proof).
#[server(endpoint = "email/confirm")]
pub async fn confirm_email_change() -> Result<(), AppError> {
    use super::ctx;
    let services = ctx::services()?;
    let token = ctx::cookie(CONFIRM_COOKIE).ok_or(AppError::LinkExpired)?;
    let (user, _) = services.confirm_email_change(&token).await?;
    ctx::forget_link_token(CONFIRM_COOKIE);
    tracing::info!(user = %user, "e-mail address changed through a mailed link");
    leptos_axum::redirect("/email/confirm?done=1");
    Ok(())
}

/// Keeps a confirmation link's token for its page (a day at most, this site only).
#[cfg(feature = "ssr")]
pub fn keep_confirm_token(token: &str) {
    super::ctx::keep_link_token(CONFIRM_COOKIE, token, 24 * 3600);
}
