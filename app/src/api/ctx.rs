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

/// After a plain form post (no JavaScript) failed: sends the browser back to the form
/// at `page` (a path of ours) with the error, as server_fn does, and `pairs` as query
/// parameters (what was typed, so the form can show it again). Earlier attempts'
/// parameters are not carried along.
pub fn back_to_form(fn_path: &str, error: &AppError, page: &str, pairs: &[(String, String)]) {
    use leptos::server_fn::error::ServerFnUrlError;
    let Some(parts) = parts() else { return };
    let accepts_html = parts
        .headers
        .get(http::header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"));
    if !accepts_html {
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
pub async fn once_per_request<T, F>(key: String, load: F) -> Result<T, AppError>
where
    T: Clone + Send + Sync + 'static,
    F: std::future::Future<Output = Result<T, AppError>>,
{
    type Cell<T> = tokio::sync::OnceCell<Result<T, AppError>>;
    let Some(cache) = use_context::<RequestCache>() else {
        return load.await;
    };
    let cell = {
        let mut map = cache.0.lock().unwrap_or_else(|p| p.into_inner());
        let entry = map
            .entry((std::any::TypeId::of::<T>(), key))
            .or_insert_with(|| std::sync::Arc::new(Cell::<T>::new()))
            .clone();
        entry.downcast::<Cell<T>>().map_err(|_| AppError::Internal)?
    };
    cell.get_or_init(|| load).await.clone()
}
