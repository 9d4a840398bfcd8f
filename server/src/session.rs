//! Resolves the session cookie once per request and hands the result to everything
//! downstream (server functions, pages, endpoints) as a `RequestSession` extension.

use crate::security::client_of;
use crate::startup::AppState;
use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::Response;
use marktchat_services::sessions::token_from_cookie_header;
use marktchat_services::RequestSession;

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Static assets never need a session.
    if req.uri().path().starts_with("/pkg/") {
        return next.run(req).await;
    }
    let client = client_of(&req, &state);
    let mut session = RequestSession {
        client_addr: client.addr,
        https: client.https,
        ..RequestSession::default()
    };
    let token = req
        .headers()
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| token_from_cookie_header(h).map(str::to_owned));
    if let Some(token) = token {
        match state.services.sessions().resolve(&token).await {
            Ok(Some(found)) => {
                session.user = found.user;
                session.token_hash = found.token_hash;
                session.notify_messages = found.notify_messages;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e.report(), "session lookup failed"),
        }
    }
    req.extensions_mut().insert(session);
    next.run(req).await
}
