//! What every request passes before the app sees it, and what every response carries:
//!
//! - [`client_info`]: who is asking (address, HTTPS) — from the connection, or from a
//!   trusted proxy's `X-Forwarded-For` / `X-Forwarded-Proto` when `--trust-proxy` says
//!   there is one. Worked out once per request by [`security_headers`], the outermost
//!   of these layers, and left in the request's extensions for the others.
//! - [`check_origin`]: state-changing requests must come from the site itself
//!   (cross-site request forgery, login CSRF, forced logout).
//! - [`security_headers`]: Content-Security-Policy with a per-response nonce for the
//!   inline hydration script, `nosniff`, a referrer policy, no framing, HSTS on HTTPS.

use crate::startup::AppState;
use axum::extract::{ConnectInfo, Request, State};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http::{header, HeaderMap, HeaderName, HeaderValue, Method, StatusCode};
use std::net::{IpAddr, SocketAddr};

/// Who sent a request, as far as we can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientInfo {
    pub addr: Option<IpAddr>,
    /// The browser reached us over HTTPS (a trusted proxy says so, the public URL is
    /// `https://`, or we serve TLS ourselves): cookies are `Secure`, HSTS is sent,
    /// origins must be `https`.
    pub https: bool,
}

/// How far proxy headers are believed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProxyTrust {
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` at all.
    pub enabled: bool,
    /// How many proxies of ours stand in front: the client is this many entries from
    /// the right of `X-Forwarded-For` (each proxy appends the address it saw).
    pub hops: usize,
}

/// The client's address and scheme. Without proxy trust, the connection's peer and
/// plain HTTP (headers are ignored: any client can write them). With it, the entry
/// our outermost trusted proxy wrote: the `hops`-th from the right. The leftmost
/// entries are whatever the client sent and are never used.
pub fn client_info(headers: &HeaderMap, peer: Option<IpAddr>, trust: ProxyTrust) -> ClientInfo {
    if !trust.enabled {
        return ClientInfo { addr: peer, https: false };
    }
    let forwarded: Vec<&str> = headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(str::trim)
        .collect();
    let addr = match forwarded.len() {
        0 => peer,
        n => forwarded[n.saturating_sub(trust.hops.max(1))].parse::<IpAddr>().ok().or(peer),
    };
    // A chain of proxies appends too: the last value is our own proxy's.
    let https = headers
        .get_all("x-forwarded-proto")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .next_back()
        .is_some_and(|p| p.trim().eq_ignore_ascii_case("https"));
    ClientInfo { addr, https }
}

/// The client of `req`: as [`security_headers`] found it, or worked out now.
pub fn client_of(req: &Request, state: &AppState) -> ClientInfo {
    if let Some(found) = req.extensions().get::<ClientInfo>() {
        return *found;
    }
    let peer = req.extensions().get::<ConnectInfo<SocketAddr>>().map(|c| c.0.ip());
    let mut client = client_info(req.headers(), peer, state.proxy);
    client.https |= state.public_https;
    client
}

/// Refuses state-changing requests (anything but GET, HEAD, OPTIONS) that do not come
/// from this site: their `Origin` must be this site's, or, when a browser sends no
/// `Origin`, `Sec-Fetch-Site` must say `same-origin` or `none` (typed by the user).
/// Everything else gets 403 before anything is read or changed.
pub async fn check_origin(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let https = client_of(&req, &state).https;
    if from_this_site(req.headers(), https, state.services.settings.public_url.as_deref()) {
        return next.run(req).await;
    }
    tracing::warn!(
        method = %req.method(),
        path = %req.uri().path(),
        origin = ?req.headers().get(header::ORIGIN),
        "cross-site request refused"
    );
    (StatusCode::FORBIDDEN, "cross-site requests are not allowed\n").into_response()
}

/// Whether the request's `Origin` (or, without one, `Sec-Fetch-Site`) says it comes
/// from this site. "This site" is the `Host` the request was sent to, over HTTPS when
/// we know the browser uses it (either scheme otherwise), or the public URL.
pub(crate) fn from_this_site(headers: &HeaderMap, https: bool, public_url: Option<&str>) -> bool {
    let text = |name| headers.get(name).and_then(|v: &HeaderValue| v.to_str().ok());
    let Some(origin) = text(header::ORIGIN) else {
        return text(HeaderName::from_static("sec-fetch-site")).is_some_and(|s| {
            s.eq_ignore_ascii_case("same-origin") || s.eq_ignore_ascii_case("none")
        });
    };
    if let Some(public) = public_url.map(|u| u.trim_end_matches('/')) {
        if origin.eq_ignore_ascii_case(public) {
            return true;
        }
    }
    let Some(host) = text(header::HOST) else { return false };
    let Some((scheme, authority)) = origin.split_once("://") else { return false };
    let scheme_ok = match scheme.to_ascii_lowercase().as_str() {
        "https" => true,
        "http" => !https,
        _ => false,
    };
    scheme_ok && authority.eq_ignore_ascii_case(host)
}

/// A fresh nonce for one response's Content-Security-Policy, put into the request's
/// extensions so the page renderer gives it to the inline hydration script.
#[derive(Debug, Clone)]
pub struct CspNonce(pub String);

/// Sets the security headers on every response (pages, server functions, files,
/// errors). The page's CSP allows only our own scripts, plus the one inline
/// hydration script by its nonce, and WebAssembly compilation.
pub async fn security_headers(
    State(state): State<AppState>,
    mut req: Request,
    next: Next,
) -> Response {
    let nonce = CspNonce(new_nonce());
    let client = client_of(&req, &state);
    let https = client.https;
    req.extensions_mut().insert(client);
    req.extensions_mut().insert(nonce.clone());
    let mut res = next.run(req).await;
    let h = res.headers_mut();
    let csp = format!(
        "default-src 'self'; script-src 'self' 'nonce-{}' 'wasm-unsafe-eval'; \
         style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; \
         font-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'",
        nonce.0
    );
    if let Ok(v) = HeaderValue::from_str(&csp) {
        h.insert(header::CONTENT_SECURITY_POLICY, v);
    }
    h.insert(header::X_CONTENT_TYPE_OPTIONS, HeaderValue::from_static("nosniff"));
    h.insert(header::REFERRER_POLICY, HeaderValue::from_static("strict-origin-when-cross-origin"));
    h.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
    h.insert(
        HeaderName::from_static("cross-origin-opener-policy"),
        HeaderValue::from_static("same-origin"),
    );
    if https {
        h.insert(
            header::STRICT_TRANSPORT_SECURITY,
            HeaderValue::from_static("max-age=31536000; includeSubDomains"),
        );
    }
    res
}

/// 16 random bytes, base64 (URL alphabet, no padding): what CSP nonces are made of.
fn new_nonce() -> String {
    use rand::RngCore;
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
    let mut bytes = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut bytes);
    // 16 bytes → 22 characters of 6 bits each (the last holds 2 bits).
    let mut bits: u128 = u128::from_be_bytes(bytes);
    (0..22)
        .map(|_| {
            let c = ALPHABET[(bits & 63) as usize] as char;
            bits >>= 6;
            c
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.append(*k, HeaderValue::from_str(v).unwrap());
        }
        h
    }

    #[test]
    fn proxy_headers_count_only_when_trusted_and_from_the_right() {
        let peer = Some("10.0.0.9".parse().unwrap());
        let h = headers(&[
            ("x-forwarded-for", "203.0.113.66, 198.51.100.7"),
            ("x-forwarded-proto", "https"),
        ]);
        let off = ProxyTrust { enabled: false, hops: 1 };
        assert_eq!(client_info(&h, peer, off), ClientInfo { addr: peer, https: false });
        let one = ProxyTrust { enabled: true, hops: 1 };
        let info = client_info(&h, peer, one);
        assert_eq!(info.addr, Some("198.51.100.7".parse().unwrap()), "not the spoofed leftmost");
        assert!(info.https);
        let two = ProxyTrust { enabled: true, hops: 2 };
        assert_eq!(client_info(&h, peer, two).addr, Some("203.0.113.66".parse().unwrap()));
        let five = ProxyTrust { enabled: true, hops: 5 };
        assert_eq!(client_info(&h, peer, five).addr, Some("203.0.113.66".parse().unwrap()));
        // in two header lines, as some proxies send it
        let h = headers(&[("x-forwarded-for", "1.2.3.4"), ("x-forwarded-for", "5.6.7.8")]);
        assert_eq!(client_info(&h, peer, one).addr, Some("5.6.7.8".parse().unwrap()));
        // garbage falls back to the peer
        let h = headers(&[("x-forwarded-for", "not an address")]);
        assert_eq!(client_info(&h, peer, one).addr, peer);
        assert_eq!(client_info(&HeaderMap::new(), peer, one).addr, peer);
    }

    #[test]
    fn only_this_sites_origin_may_change_things() {
        let site = |pairs: &[(&'static str, &str)], https| {
            from_this_site(&headers(pairs), https, Some("https://markt.example.org/"))
        };
        let host = ("host", "127.0.0.1:3000");
        assert!(site(&[host, ("origin", "http://127.0.0.1:3000")], false));
        assert!(!site(&[host, ("origin", "http://127.0.0.1:3000")], true), "http on an https site");
        assert!(site(&[host, ("origin", "https://127.0.0.1:3000")], true));
        assert!(site(&[host, ("origin", "https://markt.example.org")], false), "the public URL");
        assert!(!site(&[host, ("origin", "http://evil.example")], false));
        assert!(!site(&[host, ("origin", "http://127.0.0.1:3001")], false));
        assert!(!site(&[host, ("origin", "null")], false));
        assert!(!site(&[("origin", "http://127.0.0.1:3000")], false), "no Host");
        assert!(site(&[host, ("sec-fetch-site", "same-origin")], false));
        assert!(site(&[host, ("sec-fetch-site", "none")], false));
        assert!(!site(&[host, ("sec-fetch-site", "cross-site")], false));
        assert!(!site(&[host, ("sec-fetch-site", "same-site")], false));
        assert!(!site(&[host], false), "neither header");
        // Origin wins over Sec-Fetch-Site
        assert!(!site(
            &[host, ("origin", "http://evil.example"), ("sec-fetch-site", "same-origin")],
            false
        ));
    }

    #[test]
    fn nonces_are_fresh_and_header_safe() {
        let a = new_nonce();
        assert_eq!(a.len(), 22);
        assert!(a.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'));
        assert_ne!(a, new_nonce());
    }
}
