//! Failed forms on their way back, out of the address: when a form posted without
//! JavaScript fails, the server function sends the browser back to the form with the
//! error and what was typed in the redirect's query (`__path`, `__err`, the fields).
//! Here that query leaves the `Location` for the database
//! ([`marktchat_services::flash`]); the browser gets only a random id in an HttpOnly
//! cookie, and the form's page finds the query in its request's extensions
//! ([`FormFlash`]), read once. So nothing a person typed ends up in a URL, a browser's
//! history or an access log.

use crate::startup::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use http::header::{ACCEPT, COOKIE, LOCATION, SET_COOKIE};
use http::HeaderValue;
use marktchat_services::flash::{FlashCookie, Flashes, FormFlash, FLASH_COOKIE};
use marktchat_services::sessions::cookie_value;
use marktchat_services::RequestSession;

/// The middleware: hands a kept form to the page that asks for it, and keeps the form
/// of a failed post instead of sending it along in the address.
pub async fn carry(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let https = req.extensions().get::<RequestSession>().is_some_and(|s| s.https);
    let flashes = Flashes::new(&state.services.db);
    // A page (not a script, a picture or a server function) takes what waits for it.
    let wants_page = req.method() == http::Method::GET
        && req
            .headers()
            .get(ACCEPT)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|a| a.contains("text/html"));
    let waiting = wants_page
        .then(|| {
            req.headers()
                .get_all(COOKIE)
                .iter()
                .filter_map(|v| v.to_str().ok())
                .find_map(|header| cookie_value(header, FLASH_COOKIE))
                .map(str::to_owned)
        })
        .flatten();
    if let Some(id) = &waiting {
        match flashes.take(id).await {
            Ok(Some(query)) => {
                req.extensions_mut().insert(FormFlash(query));
            }
            Ok(None) => {}
            Err(e) => tracing::warn!(error = %e.report(), "cannot read a failed form back"),
        }
    }
    let posted = req.method() == http::Method::POST;
    let mut res = next.run(req).await;
    if waiting.is_some() {
        append_cookie(&mut res, &FlashCookie::cleared(https));
    }
    if posted && res.status().is_redirection() {
        keep_failed_form(&flashes, &mut res, https).await;
    }
    res
}

/// Moves the query of a redirect back to a failed form into the database.
async fn keep_failed_form(flashes: &Flashes<'_>, res: &mut Response, https: bool) {
    let Some(location) = res.headers().get(LOCATION).and_then(|v| v.to_str().ok()) else {
        return;
    };
    let Some((path, query)) = location.split_once('?') else { return };
    let failed = form_urlencoded::parse(query.as_bytes()).any(|(k, _)| k == "__err");
    if !failed {
        return;
    }
    let (path, query) = (path.to_owned(), query.to_owned());
    let Ok(bare) = HeaderValue::from_str(&path) else { return };
    match flashes.keep(&query).await {
        Ok(id) => append_cookie(res, &FlashCookie::new(&id, https)),
        // The page then shows the form empty; the address still carries nothing.
        Err(e) => tracing::warn!(error = %e.report(), "cannot keep a failed form"),
    }
    res.headers_mut().insert(LOCATION, bare);
}

fn append_cookie(res: &mut Response, cookie: &FlashCookie) {
    if let Ok(value) = HeaderValue::from_str(&cookie.0) {
        res.headers_mut().append(SET_COOKIE, value);
    }
}
