//! Session, registration, login, logout.

use crate::error::AppError;
use leptos::prelude::*;
use marktchat_shared::{CurrentUser, Language};
use serde::{Deserialize, Serialize};

/// Who is looking at the page, and in which language to talk to them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SessionInfo {
    pub user: Option<CurrentUser>,
    pub language: Language,
    /// Where times are shown: the profile's time zone, else the browser's (sent by the
    /// page's script in a cookie), else `Europe/Berlin`.
    pub zone: marktchat_shared::Zone,
    /// Browser notifications for new messages (the profile setting).
    pub notify_messages: bool,
}

/// Only local paths are allowed as `next`, so a link cannot send people elsewhere:
/// no `//host`, no backslashes, no control characters (browsers drop tabs and line
/// breaks from URLs, which would turn `/\t/host` into `//host`).
pub fn safe_next(next: Option<&str>, default: &str) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && !n.contains('\\')
                && !n.chars().any(char::is_control) =>
        {
            n.to_owned()
        }
        _ => default.to_owned(),
    }
}

#[server(endpoint = "session")]
pub async fn get_session() -> Result<SessionInfo, AppError> {
    use super::ctx;
    let session = ctx::session();
    let language = match &session.user {
        Some(u) => u.language,
        None => ctx::visitor_language(),
    };
    let zone = session
        .user
        .as_ref()
        .and_then(|u| u.time_zone)
        .or_else(ctx::browser_zone)
        .unwrap_or_default();
    Ok(SessionInfo { user: session.user, language, zone, notify_messages: session.notify_messages })
}

#[server(endpoint = "register")]
pub async fn register(
    email: String,
    display_name: String,
    password: String,
    next: Option<String>,
) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::accounts::NewAccount;
    use marktchat_services::sessions::session_cookie;
    let services = ctx::services()?;
    let language = ctx::visitor_language();
    let session = ctx::session();
    let registered = async {
        let new = NewAccount::parse(&email, &display_name, &password, language)?;
        Ok::<_, AppError>(services.accounts().register(new, session.client_addr).await?)
    };
    let profile = registered.await.inspect_err(|_| {
        ctx::keep_typed(&[("email", &email), ("display_name", &display_name)]);
    })?;
    let token = services.sessions().create(&profile.id, session.token_hash.as_deref()).await?;
    ctx::set_cookie(&session_cookie(&token, ctx::secure_cookies()));
    tracing::info!(user = %profile.id, "registered");
    leptos_axum::redirect(&safe_next(next.as_deref(), "/profile"));
    Ok(())
}

#[server(endpoint = "login")]
pub async fn login(email: String, password: String, next: Option<String>) -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::sessions::session_cookie;
    let services = ctx::services()?;
    let session = ctx::session();
    let user = services
        .accounts()
        .login(&email, &password, session.client_addr)
        .await
        .inspect_err(|_| ctx::keep_typed(&[("email", &email)]))?;
    // A new token, always: the browser's earlier session (anyone's) ends here.
    let token = services.sessions().create(&user.id, session.token_hash.as_deref()).await?;
    ctx::set_cookie(&session_cookie(&token, ctx::secure_cookies()));
    leptos_axum::redirect(&safe_next(next.as_deref(), "/"));
    Ok(())
}

#[server(endpoint = "logout")]
pub async fn logout() -> Result<(), AppError> {
    use super::ctx;
    use marktchat_services::sessions::clear_session_cookie;
    let services = ctx::services()?;
    if let Some(hash) = ctx::session().token_hash {
        services.sessions().revoke(&hash).await?;
    }
    ctx::set_cookie(&clear_session_cookie(ctx::secure_cookies()));
    leptos_axum::redirect("/?logged_out=1");
    Ok(())
}

/// Switches the language for someone without an account (a year-long cookie) and goes
/// back to the page at `back`. A plain form post, so it works without JavaScript; the
/// page is then loaded anew in the chosen language.
#[server(endpoint = "language")]
pub async fn set_language(language: String, back: Option<String>) -> Result<(), AppError> {
    use super::ctx;
    let language = Language::parse(&language)
        .map_err(|problem| AppError::invalid(marktchat_shared::Field::Language, problem))?;
    let secure = if ctx::secure_cookies() { "; Secure" } else { "" };
    ctx::set_cookie(&format!(
        "{}={}; Path=/; Max-Age=31536000; SameSite=Lax; HttpOnly{secure}",
        ctx::LANGUAGE_COOKIE,
        language.code()
    ));
    leptos_axum::redirect(&safe_next(back.as_deref(), "/"));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_must_be_local() {
        assert_eq!(safe_next(Some("/profile?x=1"), "/"), "/profile?x=1");
        assert_eq!(safe_next(Some("//evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("https://evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("/\\evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("/\t/evil.example"), "/"), "/");
        assert_eq!(safe_next(Some("/\n"), "/"), "/");
        assert_eq!(safe_next(None, "/home"), "/home");
    }
}
