//! A forgotten password: asking for a link by mail, and setting a new password through
//! it. The link's token moves from the address bar into a short-lived cookie as soon
//! as the page opens ([`keep_reset_token`]), so it stays out of the browser's history,
//! `Referer` headers and access logs.

use crate::error::AppError;
use leptos::prelude::*;

/// The cookie holding a reset link's token while its page is open.
#[cfg(feature = "ssr")]
const RESET_COOKIE: &str = "marktchat_reset";

/// Sends a reset link if an account has the address; the answer is the same either way.
#[server(endpoint = "password/forgot")]
pub async fn request_password_reset(email: String) -> Result<(), AppError> {
    use super::ctx;
    let services = ctx::services()?;
    let address = ctx::session().client_addr;
    services
        .request_password_reset(&email, address)
        .await
        .inspect_err(|_| ctx::keep_typed(&[("email", &email)]))?;
    leptos_axum::redirect("/password/forgot?sent=1");
    Ok(())
}

/// The account (its address, masked) of the reset link this browser opened, if the
/// link still works.
#[server(endpoint = "password/link")]
pub async fn reset_link_account() -> Result<Option<String>, AppError> {
    use super::ctx;
    let services = ctx::services()?;
    let Some(token) = ctx::cookie(RESET_COOKIE) else { return Ok(None) };
    let account = services.reset_link_account(&token).await?;
    Ok(account.as_deref().map(marktchat_shared::account::mask_email))
}

/// Sets the new password through the link this browser opened; logs in (every other
/// session of the account ends).
#[server(endpoint = "password/reset")]
pub async fn reset_password(new_password: String) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::sessions::session_cookie;
    let services = ctx::services()?;
    let token = ctx::cookie(RESET_COOKIE).ok_or(AppError::LinkExpired)?;
    let (user, session) = services.reset_password(&token, &new_password).await?;
    ctx::set_cookie(&session_cookie(&session, ctx::secure_cookies()));
    ctx::forget_link_token(RESET_COOKIE);
    tracing::info!(user = %user.id, "password reset through a mailed link");
    leptos_axum::redirect("/profile?saved=password");
    Ok(())
}

/// Keeps a reset link's token for its page (an hour at most, this site only).
#[cfg(feature = "ssr")]
pub fn keep_reset_token(token: &str) {
    super::ctx::keep_link_token(RESET_COOKIE, token, 3600);
}
