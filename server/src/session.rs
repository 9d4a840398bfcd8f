//! Resolves the session cookie once per request and hands the result to everything
//! downstream (server functions, pages, endpoints) as a `RequestSession` extension.

use crate::startup::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::Response;
use marktchat_services::sessions::token_from_cookie_header;
use marktchat_services::RequestSession;
use std::net::{IpAddr, SocketAddr};

pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    // Static assets never need a session.
    if req.uri().path().starts_with("/pkg/") {
        return next.run(req).await;
    }
    let headers = req.headers();
    let https = headers
        .get("x-forwarded-proto")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("https"));
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let forwarded = state
        .trust_proxy
        .then(|| {
            headers
                .get("x-forwarded-for")
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split(',').next())
                .and_then(|ip| ip.trim().parse::<IpAddr>().ok())
        })
        .flatten();
    let mut session =
        RequestSession { client_addr: forwarded.or(peer), https, ..RequestSession::default() };
    let token = headers
        .get_all(http::header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .find_map(|h| token_from_cookie_header(h).map(str::to_owned));
    if let Some(token) = token {
        match state.services.sessions().resolve(&token).await {
            Ok(Some(found)) => {
                session.user = found.user;
                session.token_hash = found.token_hash;
            }
            Ok(None) => {}
            Err(e) => tracing::error!(error = %e, "session lookup failed"),
        }
    }
    req.extensions_mut().insert(session);
    next.run(req).await
}
