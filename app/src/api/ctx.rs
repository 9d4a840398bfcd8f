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
        // The path only: a query may hold what someone typed.
        let path = parts().map(|p| p.uri.path().to_owned());
        tracing::error!(?path, "Services missing from the Leptos context");
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

/// Whether cookies must be `Secure`: the request came over HTTPS (the server's
/// `ClientInfo`, which also counts an `https://` public URL).
pub fn secure_cookies() -> bool {
    session().https
}

/// The `Accept-Language` header, if any.
pub fn accept_language() -> Option<String> {
    parts().and_then(|p| {
        p.headers.get(http::header::ACCEPT_LANGUAGE)?.to_str().ok().map(str::to_owned)
    })
}

/// The cookie holding a visitor's chosen language (no account needed).
pub const LANGUAGE_COOKIE: &str = "marktchat_lang";

/// The language for someone not logged in: the one they chose (cookie), else the
/// browser's (`Accept-Language`), else German.
pub fn visitor_language() -> marktchat_shared::Language {
    use marktchat_shared::Language;
    cookie(LANGUAGE_COOKIE)
        .and_then(|value| Language::parse(&value).ok())
        .or_else(|| accept_language().map(|h| Language::negotiate(&h)))
        .unwrap_or_default()
}

/// The browser's time zone, if its script told it and the server knows that zone.
pub fn browser_zone() -> Option<marktchat_shared::Zone> {
    let value = cookie(crate::i18n::ZONE_COOKIE)?;
    let name = form_urlencoded::parse(format!("z={value}").as_bytes()).next()?.1.into_owned();
    marktchat_services::zones::known(&name)
}

/// Keeps the token of a link from a mail (password reset, address confirmation) in
/// the HttpOnly cookie `name` for `max_age_secs`, so that its page can drop it from the
/// address bar (history, `Referer`, access logs). A token is hex; anything else is no
/// token of ours and never reaches a header.
pub fn keep_link_token(name: &str, token: &str, max_age_secs: u32) {
    let token: String = token.chars().filter(char::is_ascii_hexdigit).take(128).collect();
    set_cookie(&link_token_cookie(name, &token, max_age_secs));
}

/// Forgets the link token in the cookie `name` (the link was used).
pub fn forget_link_token(name: &str) {
    set_cookie(&link_token_cookie(name, "", 0));
}

fn link_token_cookie(name: &str, value: &str, max_age_secs: u32) -> String {
    let secure = if secure_cookies() { "; Secure" } else { "" };
    format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax; Max-Age={max_age_secs}{secure}")
}

/// After a plain form post (no JavaScript) failed: sends the browser back to the form
/// at `page` (a path of ours) with the error, as server_fn does, and `pairs` as query
/// parameters (what was typed, so the form can show it again). Earlier attempts'
/// parameters are not carried along.
pub fn back_to_form(fn_path: &str, error: &AppError, page: &str, pairs: &[(String, String)]) {
    use leptos::server_fn::error::ServerFnUrlError;
    if !is_plain_form_post() {
        return;
    }
    let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(pairs).finish();
    let base = format!("http://page{page}?{query}");
    if let Ok(url) = ServerFnUrlError::new(fn_path, error.clone()).to_url(&base) {
        let target = match url.query() {
            Some(q) => format!("{}?{q}", url.path()),
            None => url.path().to_owned(),
        };
        leptos_axum::redirect(&target);
    }
}

/// Whether the request is a browser's plain form post (no JavaScript): it wants HTML
/// back, not the server function's JSON.
pub fn is_plain_form_post() -> bool {
    parts().is_some_and(|p| {
        p.method == http::Method::POST
            && p.headers
                .get(http::header::ACCEPT)
                .and_then(|v| v.to_str().ok())
                .is_some_and(|a| a.contains("text/html"))
    })
}

/// The cookie that carries a form's non-secret fields back to it after a failed post
/// without JavaScript.
const TYPED_COOKIE: &str = "marktchat_typed";
/// The most that cookie carries (browsers keep cookies of up to about 4 KB).
const MAX_TYPED_BYTES: usize = 3 * 1024;

/// After a failed plain form post: keeps what was typed into `fields` (never a password)
/// for five minutes in an HttpOnly cookie, so that the form page can show it again.
/// Not in the URL: e-mail addresses and names are personal data, and URLs end up in
/// logs and histories. Only for a browser's form post (a JSON caller keeps its own).
pub fn keep_typed(fields: &[(&str, &str)]) {
    keep(TYPED_COOKIE, "/", fields);
}

/// What [`keep_typed`] kept, taken once: the cookie is cleared with this response.
pub fn take_typed() -> Vec<(String, String)> {
    take(TYPED_COOKIE, "/")
}

/// The cookie carrying what an admin's form post did, for the page it leads to
/// ([`keep_done`]); sent to the admin pages only.
const DONE_COOKIE: (&str, &str) = ("marktchat_done", "/admin");

/// After an admin's plain form post that worked, and whose result the admin page shows
/// (a new API client's token, shown this once; the tags saved; whom to explain): keeps
/// `fields` in a five-minute HttpOnly cookie, as [`keep_typed`] does, for that page to
/// take. The page that takes it is not stored by the browser (`no-store`): Back does
/// not show a token again.
pub fn keep_done(fields: &[(&str, &str)]) {
    keep(DONE_COOKIE.0, DONE_COOKIE.1, fields);
}

/// What [`keep_done`] kept, taken once: the cookie is cleared with this response.
pub fn take_done() -> Vec<(String, String)> {
    let done = take(DONE_COOKIE.0, DONE_COOKIE.1);
    if !done.is_empty() {
        if let Some(res) = use_context::<ResponseOptions>() {
            res.insert_header(
                http::header::CACHE_CONTROL,
                http::HeaderValue::from_static("no-store"),
            );
        }
    }
    done
}

fn keep(cookie: &str, path: &str, fields: &[(&str, &str)]) {
    if !is_plain_form_post() {
        return;
    }
    let value = form_urlencoded::Serializer::new(String::new()).extend_pairs(fields).finish();
    if value.len() > MAX_TYPED_BYTES {
        // A browser drops a larger cookie silently; the page then shows nothing.
        return;
    }
    let secure = if secure_cookies() { "; Secure" } else { "" };
    set_cookie(&format!(
        "{cookie}={value}; Path={path}; Max-Age=300; SameSite=Lax; HttpOnly{secure}"
    ));
}

fn take(name: &str, path: &str) -> Vec<(String, String)> {
    let Some(value) = cookie(name) else { return Vec::new() };
    set_cookie(&format!("{name}=; Path={path}; Max-Age=0; SameSite=Lax; HttpOnly"));
    form_urlencoded::parse(value.as_bytes()).into_owned().collect()
}

/// The value of the request's cookie `name`.
pub fn cookie(name: &str) -> Option<String> {
    let parts = parts()?;
    parts
        .headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|header| marktchat_services::sessions::cookie_value(header, name))
        .map(str::to_owned)
}

/// What one request has already loaded, by query. Provided fresh for every request by
/// the server (`RequestCache::default()` in the Leptos context).
///
/// Server-side rendering builds a page's components more than once (the frame's
/// `Transition` renders its children again once the session has loaded), and each build
/// creates its resources anew; without this, every query of a page ran three times.
#[derive(Clone, Default)]
pub struct RequestCache(std::sync::Arc<std::sync::Mutex<CacheMap>>);

/// Per (result type, key): a `OnceCell` holding the result, type-erased.
type CacheMap = std::collections::HashMap<
    (std::any::TypeId, String),
    std::sync::Arc<dyn std::any::Any + Send + Sync>,
>;

/// A 64-bit hash of `value`, for a short cache key.
pub fn hash_of(value: &impl std::hash::Hash) -> u64 {
    use std::hash::{BuildHasher, BuildHasherDefault, DefaultHasher};
    BuildHasherDefault::<DefaultHasher>::default().hash_one(value)
}

/// Runs `load` once per request for `key` (the server function and its arguments):
/// later and concurrent calls with the same key get the first call's result. Outside
/// a request (no cache in the context) it simply runs `load`.
///
/// `load` gets the services, and must take everything else it needs from the request
/// before it is called: it may run long after this call, on another task, when the
/// first caller with the same key was dropped. Leptos renders parts of a page twice on
/// the server (once to start their resources), and a resource of the dropped pass can
/// no longer reach the request's context; what it then cached would be every later
/// caller's answer (a page that failed for no reason, seen under load).
pub async fn once_per_request<T, F, Fut>(key: String, load: F) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: FnOnce(Services) -> Fut,
    Fut: std::future::Future<Output = Result<T, AppError>>,
{
    type Cell<T> = tokio::sync::OnceCell<Result<T, AppError>>;
    let services = services()?;
    let Some(cache) = use_context::<RequestCache>() else {
        return load(services).await;
    };
    let cell = {
        let mut map = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map
            .entry((std::any::TypeId::of::<T>(), key))
            .or_insert_with(|| std::sync::Arc::new(Cell::<T>::new()))
            .clone();
        entry.downcast::<Cell<T>>().map_err(|_| AppError::Internal)?
    };
    cell.get_or_init(|| load(services)).await.clone()
}

#[cfg(test)]
mod tests {
    use super::*;
    use marktchat_services::db::Backend;
    use marktchat_services::testing::TestDatabase;
    use std::future::Future;
    use std::task::{Context, Waker};

    /// The first caller of a key is dropped before its load finished (Leptos drops the
    /// first of two renders of a page part); the second caller then runs its own load,
    /// polled where the request's context is gone. It must still have the services,
    /// not cache an error for the rest of the page.
    #[tokio::test]
    async fn a_load_that_runs_after_its_context_is_gone_still_has_the_services() {
        let (db, _guard) = TestDatabase::migrated(Backend::Sqlite).await;
        let owner = Owner::new();
        let mut cx = Context::from_waker(Waker::noop());
        let (first, second) = owner.with(|| {
            provide_context(Services::new(db, Default::default()));
            provide_context(RequestCache::default());
            let mut first = Box::pin(once_per_request("k".into(), |_| {
                std::future::pending::<Result<u32, AppError>>()
            }));
            let mut second = Box::pin(once_per_request("k".into(), |s: Services| async move {
                s.accounts().profile(&marktchat_shared::UserId("nobody".into())).await.ok();
                Ok(7u32)
            }));
            // The first now holds the key; the second waits for it.
            assert!(first.as_mut().poll(&mut cx).is_pending());
            assert!(second.as_mut().poll(&mut cx).is_pending());
            (first, second)
        });
        drop(first);
        drop(owner);
        assert!(use_context::<Services>().is_none());
        assert_eq!(second.await, Ok(7));
    }
}
