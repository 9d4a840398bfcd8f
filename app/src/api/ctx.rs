//! What a server function needs from its request: the services, the session, and a way
//! to shape the response (cookies, redirects). An error's HTTP status is set in one
//! place, by the server (`AppError::status_code`, applied in `marktchat-server`'s
//! `server_fn_status`).

use crate::error::AppError;
use leptos::prelude::*;
use leptos_axum::ResponseOptions;
use marktchat_services::{RequestSession, Services};
use marktchat_shared::CurrentUser;

pub fn services() -> Result<Services, AppError> {
    use_context::<Services>().ok_or_else(|| {
        tracing::error!("Services missing from the Leptos context");
        AppError::Internal
    })
}

pub fn parts() -> Option<http::request::Parts> {
    use_context::<http::request::Parts>()
}

/// The session the server's middleware resolved for this request.
pub fn session() -> RequestSession {
    parts().and_then(|p| p.extensions.get::<RequestSession>().cloned()).unwrap_or_default()
}

pub fn require_user() -> Result<CurrentUser, AppError> {
    session().user.ok_or(AppError::NotLoggedIn)
}

pub fn set_cookie(value: &str) {
    if let (Some(res), Ok(v)) =
        (use_context::<ResponseOptions>(), http::HeaderValue::from_str(value))
    {
        res.append_header(http::header::SET_COOKIE, v);
    }
}

/// Whether cookies must be `Secure`: the request came over HTTPS, or the public URL is.
pub fn secure_cookies(services: &Services) -> bool {
    session().https
        || services.settings.public_url.as_deref().is_some_and(|u| u.starts_with("https://"))
}

/// The `Accept-Language` header, if any.
pub fn accept_language() -> Option<String> {
    parts().and_then(|p| {
        p.headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok().map(str::to_owned)
    })
}

/// After a plain form post (no JavaScript) failed: sends the browser back to the form
/// page with the error, as server_fn does, plus `extra` query parameters (what was
/// typed, so the form can show it again). Parameters of an earlier attempt (`replaces`,
/// and the error's own) are dropped first. Only the page's path and query are kept.
pub fn back_to_form(
    fn_path: &str,
    error: &AppError,
    extra: &[(String, String)],
    replaces: impl Fn(&str) -> bool,
) {
    use leptos::server_fn::error::ServerFnUrlError;
    let Some(parts) = parts() else { return };
    let header = |name| parts.headers.get(name).and_then(|v| v.to_str().ok());
    if !header(http::header::ACCEPT).is_some_and(|a| a.contains("text/html")) {
        return;
    }
    let Some(referer) = header(http::header::REFERER) else { return };
    // The page's path, from an absolute or relative referer.
    let after_host = referer
        .split_once("://")
        .map_or(referer, |(_, rest)| rest.find('/').map_or("/", |i| &rest[i..]));
    let (path, query) = after_host.split_once('?').unwrap_or((after_host, ""));
    // never towards another host ("//host/…")
    let path = if path.starts_with('/') && !path.starts_with("//") { path } else { "/" };
    let mut pairs = form_urlencoded::Serializer::new(String::new());
    for (k, v) in form_urlencoded::parse(query.as_bytes()) {
        if k != "__path" && k != "__err" && !replaces(&k) {
            pairs.append_pair(&k, &v);
        }
    }
    for (k, v) in extra {
        pairs.append_pair(k, v);
    }
    let base = format!("http://page{path}?{}", pairs.finish());
    if let Ok(url) = ServerFnUrlError::new(fn_path, error.clone()).to_url(&base) {
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        leptos_axum::redirect(&target);
    }
}
