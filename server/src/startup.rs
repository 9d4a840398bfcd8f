//! Building and running the server. Tests use [`spawn`] exactly as `main` does.

use crate::security::{self, ProxyTrust};
use crate::{http_api, session};
use axum::extract::FromRef;
use axum::Router;
use leptos::prelude::*;
use leptos_axum::{generate_route_list, LeptosRoutes};
use marktchat_app::error::AppError;
use marktchat_app::{shell, App};
use marktchat_services::rate_limit::LimitSettings;
use marktchat_services::{Database, Services, Settings};
use std::net::SocketAddr;
use tower_http::trace::TraceLayer;

/// Everything needed to start a server.
#[derive(Debug, Clone)]
pub struct Config {
    pub addr: SocketAddr,
    pub database_url: String,
    /// Uploaded files (listing images under `images/`).
    pub data_dir: std::path::PathBuf,
    /// Where the built front end lives (`pkg/` with the WASM bundle and CSS).
    pub site_root: String,
    pub public_url: Option<String>,
    /// Believe `X-Forwarded-For` and `X-Forwarded-Proto` (only behind a trusted proxy).
    pub trust_proxy: bool,
    /// How many trusted proxies stand in front of us: the client address is this many
    /// entries from the right of `X-Forwarded-For` (1: the entry our proxy added).
    pub trusted_hops: usize,
    /// New accounts per client address and hour.
    pub registrations_per_hour: usize,
    /// Chat messages per user and minute.
    pub messages_per_minute: usize,
    /// Sync API requests per API client and minute.
    pub sync_requests_per_minute: usize,
    /// Serve HTTPS with this certificate and key (tls.rs); `None`: plain HTTP.
    pub tls: Option<crate::tls::TlsFiles>,
    /// The help bot's knowledge base (TOML); `None`: the one built in.
    pub bot_knowledge: Option<std::path::PathBuf>,
    /// The help bot's sockets: idle timeout and limits.
    pub bot: crate::bot::BotSettings,
    /// Help-bot frames per visitor address and minute.
    pub bot_messages_per_address_minute: usize,
    /// Deletions by chat code one address may ask for in 15 minutes.
    pub bot_codes_per_address: usize,
    /// Carry live events between instances over NATS; `None`: in this process.
    pub nats: Option<NatsConfig>,
    /// The key of the hashes by which address limits count clients (the same on
    /// every instance). Needed with PostgreSQL.
    pub limit_secret: Option<String>,
    /// The most live sockets this instance keeps open.
    pub max_sockets: usize,
    /// Where uploaded files go (`s3://bucket[/prefix]`); `None`: under `data_dir`.
    pub storage_url: Option<String>,
    /// The SMTP server mails go through; `None`: the log.
    pub smtp_url: Option<String>,
    /// The sender of mails.
    pub mail_from: String,
}

/// Where live events travel between instances.
#[derive(Debug, Clone)]
pub struct NatsConfig {
    pub url: String,
    pub subject: String,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            addr: ([127, 0, 0, 1], 3000).into(),
            database_url: "sqlite://data/marktchat.db".into(),
            data_dir: "data".into(),
            site_root: "target/site".into(),
            public_url: None,
            trust_proxy: false,
            trusted_hops: 1,
            registrations_per_hour: LimitSettings::default().registrations_per_hour,
            messages_per_minute: LimitSettings::default().messages_per_minute,
            sync_requests_per_minute: LimitSettings::default().sync_requests_per_minute,
            tls: None,
            bot_knowledge: None,
            bot: crate::bot::BotSettings::default(),
            bot_messages_per_address_minute: LimitSettings::default()
                .bot_messages_per_address_minute,
            bot_codes_per_address: LimitSettings::default().bot_codes_per_address,
            nats: None,
            limit_secret: None,
            max_sockets: crate::ws::DEFAULT_MAX_SOCKETS,
            storage_url: None,
            smtp_url: None,
            mail_from: "marktchat <noreply@localhost>".into(),
        }
    }
}

/// The state every handler can reach.
#[derive(Clone, FromRef)]
pub struct AppState {
    pub leptos_options: LeptosOptions,
    pub services: Services,
    pub proxy: ProxyTrust,
    /// The public URL is `https://`, or we serve TLS ourselves: every client is on
    /// HTTPS.
    pub public_https: bool,
    /// Tells open WebSockets the server is going down.
    pub closing: crate::ws::Closing,
    /// The help bot and its sockets.
    pub bot: crate::bot::BotHub,
}

fn leptos_options(config: &Config) -> LeptosOptions {
    LeptosOptions::builder()
        .output_name("marktchat")
        .site_root(config.site_root.as_str())
        .site_pkg_dir("pkg")
        .site_addr(config.addr)
        .build()
}

/// The whole HTTP application: Leptos pages and server functions, static files,
/// health and export endpoints, with sessions resolved for every request.
pub fn build_router(
    services: Services,
    config: &Config,
    closing: crate::ws::Closing,
    bot: crate::bot::BotHub,
) -> Router {
    let state = AppState {
        closing,
        bot,
        leptos_options: leptos_options(config),
        services: services.clone(),
        proxy: ProxyTrust { enabled: config.trust_proxy, hops: config.trusted_hops },
        public_https: config.tls.is_some()
            || config.public_url.as_deref().is_some_and(|u| u.starts_with("https://")),
    };
    let routes = route_list();
    let chunks =
        crate::assets::split_manifest(&std::path::Path::new(&config.site_root).join("pkg"), "/pkg");
    let context = {
        let services = services.clone();
        move || {
            provide_context(services.clone());
            // Which WASM chunks a lazy page preloads (app/src/pages/chunks.rs).
            provide_context(chunks.for_request());
            // Each query once per request, however often rendering asks (ctx.rs).
            provide_context(marktchat_app::api::ctx::RequestCache::default());
            marktchat_app::app::provide_page_redirects();
            // The nonce the response's Content-Security-Policy names (security.rs).
            if let Some(nonce) = use_context::<http::request::Parts>()
                .and_then(|p| p.extensions.get::<security::CspNonce>().cloned())
            {
                provide_context(leptos::nonce::Nonce::from_value(nonce.0));
            }
        }
    };
    let pkg = std::path::Path::new(&config.site_root).join("pkg");
    let pkg_files = tower::ServiceBuilder::new()
        .layer(tower_http::set_header::SetResponseHeaderLayer::overriding(
            http::header::CACHE_CONTROL,
            http::HeaderValue::from_static("public, no-cache"),
        ))
        .service(tower_http::services::ServeDir::new(pkg).precompressed_br().precompressed_gzip());
    let site = Router::new()
        .merge(http_api::router())
        .route("/ws", axum::routing::get(crate::ws::upgrade))
        .nest_service("/pkg", pkg_files)
        .leptos_routes_with_context(&state, routes, context.clone(), {
            let options = state.leptos_options.clone();
            move || shell(options.clone())
        })
        .fallback(leptos_axum::file_and_error_handler_with_context::<AppState, _>(context, shell))
        // Inside the session's layer: it needs to know whether cookies are `Secure`.
        .layer(axum::middleware::from_fn_with_state(state.clone(), crate::flash::carry))
        .layer(axum::middleware::from_fn_with_state(state.clone(), session::resolve))
        .layer(axum::middleware::from_fn(server_fn_status))
        .layer(axum::middleware::from_fn(drop_empty_search_fields))
        .layer(axum::middleware::from_fn(drop_trailing_slash))
        .layer(axum::middleware::from_fn(limit_body))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::check_origin));
    Router::new()
        // The machine API: bearer tokens, its own body limit and JSON errors; outside
        // the session, body-limit and cross-site layers above, which are the site's.
        .nest("/sync", crate::sync::router(&state))
        // The help bot's socket and the widget: anonymous, for any website, no
        // session and no cookie.
        .merge(crate::bot::router())
        .merge(site)
        // A bug that panics costs its request a 500 (logged, with the security headers
        // below), not the connection.
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .layer(axum::middleware::from_fn_with_state(state.clone(), security::security_headers))
        // Pages and JSON by Accept-Encoding; /pkg comes precompressed (assets.rs).
        .layer(tower_http::compression::CompressionLayer::new())
        // The path only: a query may hold a token from a mail or what someone typed.
        .layer(TraceLayer::new_for_http().make_span_with(|req: &http::Request<_>| {
            tracing::debug_span!("request", method = %req.method(), path = %req.uri().path())
        }))
        .with_state(state)
}

/// The answer to a request whose handling panicked: 500, and the panic in the log.
fn panicked(panic: Box<dyn std::any::Any + Send + 'static>) -> axum::response::Response {
    use axum::response::IntoResponse;
    let what = panic
        .downcast_ref::<String>()
        .map(String::as_str)
        .or_else(|| panic.downcast_ref::<&str>().copied())
        .unwrap_or("(no message)");
    tracing::error!(panic = what, "a request's handling panicked");
    (http::StatusCode::INTERNAL_SERVER_ERROR, "Internal error; it has been logged.\n")
        .into_response()
}

/// The app's routes, generated once per process. Generating runs the whole app with
/// resource loading suppressed by a *process-wide* flag in leptos_server, so a page
/// rendered by another server in the same process at that moment (integration tests
/// start many) would wait forever for its resources (leptos-rs/leptos#4773).
fn route_list() -> Vec<leptos_axum::AxumRouteListing> {
    static ROUTES: std::sync::OnceLock<Vec<leptos_axum::AxumRouteListing>> =
        std::sync::OnceLock::new();
    ROUTES.get_or_init(|| generate_route_list(App)).clone()
}

/// The paths of the app's pages as the router declares them (`/users/{id}`), each once.
pub fn page_paths() -> Vec<String> {
    let mut paths: Vec<String> = route_list().iter().map(|r| r.path().to_owned()).collect();
    paths.sort();
    paths.dedup();
    paths
}

/// How much of a listing form the server reads: twice the largest it accepts (every
/// image at its limit, plus the text fields). Someone who picked more or larger photos
/// than allowed gets the form back with the message, not a connection closed while the
/// browser was still sending. Reading costs time, not memory: the form reader keeps at
/// most `MAX_IMAGES` pictures of at most `MAX_IMAGE_BYTES` (app `read_listing_form`).
const MAX_UPLOAD_BYTES: usize = 2
    * (marktchat_shared::listing::MAX_IMAGES * marktchat_shared::listing::MAX_IMAGE_BYTES
        + 1024 * 1024);
/// Every other request body (forms, server-function calls).
const MAX_BODY_BYTES: usize = 1024 * 1024;
/// The one route that takes uploads.
const UPLOAD_PATH: &str = "/api/listings/save";

/// Caps request bodies: 1 MB, or [`MAX_UPLOAD_BYTES`] on the listing form. A declared
/// length over the limit is answered 413 before anything is read; a body without one
/// (chunked) is cut off at the limit while it is read, which fails the request with 400.
/// The upload route also needs a `Content-Type` from which multer, the parser
/// server_fn uses, reads a boundary: server_fn panics on any it cannot read.
async fn limit_body(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let upload = req.uri().path() == UPLOAD_PATH;
    let limit = if upload { MAX_UPLOAD_BYTES } else { MAX_BODY_BYTES };
    let declared = req
        .headers()
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok()?.parse::<usize>().ok());
    if declared.is_some_and(|n| n > limit) {
        return (http::StatusCode::PAYLOAD_TOO_LARGE, "request too large\n").into_response();
    }
    if upload && !has_multipart_boundary(req.headers()) {
        return (http::StatusCode::BAD_REQUEST, "expected a multipart/form-data body\n")
            .into_response();
    }
    let req = req.map(|body| axum::body::Body::new(http_body_util::Limited::new(body, limit)));
    next.run(req).await
}

/// Whether the body is `multipart/form-data` with a boundary, read exactly as
/// server_fn will read it (`multer::parse_boundary`), and the boundary is usable.
fn has_multipart_boundary(headers: &http::HeaderMap) -> bool {
    headers
        .get(http::header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|ct| multer::parse_boundary(ct).ok())
        .is_some_and(|b| !b.is_empty() && b.len() <= 70)
}

/// `/search/` → `/search` (308, query kept): page paths have no trailing slash, and a
/// link or a typed address with one should not be a "not found".
/// `/search?q=sofa&category=&min=` → `/search?q=sofa` (302): a search form sent
/// without JavaScript names every field, also those left empty; the address to share
/// or bookmark names only what was searched for. Search and category pages only.
async fn drop_empty_search_fields(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    let searchable = path == "/search" || path.starts_with("/c/");
    if let (true, &http::Method::GET, Some(query)) = (searchable, req.method(), req.uri().query()) {
        let pairs: Vec<(String, String)> =
            form_urlencoded::parse(query.as_bytes()).into_owned().collect();
        if pairs.iter().any(|(_, v)| v.trim().is_empty()) {
            let kept = pairs.iter().filter(|(_, v)| !v.trim().is_empty());
            let query = form_urlencoded::Serializer::new(String::new()).extend_pairs(kept).finish();
            let target = if query.is_empty() { path.to_owned() } else { format!("{path}?{query}") };
            return axum::response::Redirect::to(&target).into_response();
        }
    }
    next.run(req).await
}

async fn drop_trailing_slash(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    let path = req.uri().path();
    if path.len() > 1 && path.ends_with('/') && !path.starts_with("//") {
        let mut target = path.trim_end_matches('/').to_owned();
        if target.is_empty() {
            target.push('/');
        }
        if let Some(query) = req.uri().query() {
            target = format!("{target}?{query}");
        }
        return axum::response::Redirect::permanent(&target).into_response();
    }
    next.run(req).await
}

/// Gives a failed server-function call the status its [`AppError`] names
/// ([`AppError::status_code`], the one mapping from errors to HTTP). server_fn answers
/// every error with 500, including arguments it could not decode before the function
/// ran; plain form posts are redirected back to the form instead and pass unchanged.
async fn server_fn_status(
    req: axum::extract::Request,
    next: axum::middleware::Next,
) -> axum::response::Response {
    use axum::response::IntoResponse;
    use leptos::server_fn::error::SERVER_FN_ERROR_HEADER;
    let res = next.run(req).await;
    if res.status() != http::StatusCode::INTERNAL_SERVER_ERROR
        || !res.headers().contains_key(SERVER_FN_ERROR_HEADER)
    {
        return res;
    }
    let (mut parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, 64 * 1024).await {
        Ok(bytes) => bytes,
        Err(e) => {
            tracing::error!(error = %e, "unreadable server function error");
            return (parts, axum::body::Body::empty()).into_response();
        }
    };
    if let Ok(error) = serde_json::from_slice::<AppError>(&bytes) {
        if let Ok(status) = http::StatusCode::from_u16(error.status_code()) {
            parts.status = status;
        }
        if let Some(secs) = error.retry_after_secs() {
            parts.headers.insert(http::header::RETRY_AFTER, secs.into());
        }
    }
    axum::response::Response::from_parts(parts, axum::body::Body::from(bytes))
}

/// A started server.
pub struct Running {
    pub addr: SocketAddr,
    pub services: Services,
    pub handle: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Connects and migrates the database, binds `config.addr` (port 0 picks a free one)
/// and serves in the background until `shutdown` resolves.
pub async fn spawn(
    config: Config,
    shutdown: impl std::future::Future<Output = ()> + Send + 'static,
) -> anyhow::Result<Running> {
    // An unusable certificate stops the start before anything else happens.
    let tls = config.tls.as_ref().map(crate::tls::server_config).transpose()?;
    check_limit_secret(&config)?;
    check_public_url(&config)?;
    let listener = tokio::net::TcpListener::bind(config.addr)
        .await
        .map_err(|e| anyhow::anyhow!("cannot listen on {}: {e}", config.addr))?;
    let addr = listener.local_addr()?;
    let mail = mail_settings(&config, addr)?;
    let db = Database::connect(&config.database_url).await.map_err(|e| {
        anyhow::anyhow!("cannot open the database {}: {}", redact(&config.database_url), e.report())
    })?;
    db.migrate()
        .await
        .map_err(|e| anyhow::anyhow!("cannot migrate the database: {}", e.report()))?;
    let services = Services::new(
        db,
        Settings {
            public_url: config.public_url.clone(),
            data_dir: config.data_dir.clone(),
            limits: LimitSettings {
                registrations_per_hour: config.registrations_per_hour,
                messages_per_minute: config.messages_per_minute,
                sync_requests_per_minute: config.sync_requests_per_minute,
                bot_messages_per_address_minute: config.bot_messages_per_address_minute,
                bot_codes_per_address: config.bot_codes_per_address,
                ..LimitSettings::default()
            },
            limit_secret: config.limit_secret.clone(),
            mail,
        },
    );
    let storage =
        marktchat_services::storage::Storage::open(config.storage_url.as_deref(), &config.data_dir)
            .map_err(|e| anyhow::anyhow!("--storage-url: {e}"))?;
    storage
        .check()
        .await
        .map_err(|e| anyhow::anyhow!("cannot store files in {}: {e}", storage.describe()))?;
    tracing::info!(storage = %storage.describe(), "uploaded files are stored here");
    let services = services.with_images(marktchat_services::images::ImageStore::new(storage));
    let services = match &config.nats {
        None => services,
        Some(nats) => {
            let bus = marktchat_services::events::Nats::connect(&nats.url, &nats.subject)
                .await
                .map_err(|e| anyhow::anyhow!("--nats-url {}: {e}", redact(&nats.url)))?;
            tracing::info!(subject = %nats.subject, "live events travel over NATS");
            services.with_events(std::sync::Arc::new(bus))
        }
    };
    let purged = services.sessions().purge_expired().await?;
    tracing::debug!(purged, "expired sessions removed");
    spawn_housekeeping(services.clone());
    spawn_lease_renewal(services.clone());
    tokio::spawn(services.clone().run_mail_sender());
    let pkg = std::path::Path::new(&config.site_root).join("pkg");
    let compressed = tokio::task::spawn_blocking(move || crate::assets::precompress(&pkg)).await?;
    if compressed > 0 {
        tracing::info!(files = compressed, "compressed copies of the front end written");
    }

    let knowledge = marktchat_services::bot::load_knowledge(config.bot_knowledge.as_deref())
        .await
        .map_err(|e| anyhow::anyhow!("cannot use the help bot's knowledge base: {e}"))?;
    let bot = crate::bot::BotHub::new(
        marktchat_services::bot::Bot::new(knowledge, services.clone()),
        config.bot.clone(),
        &services.limits,
    );
    let closing = crate::ws::Closing::new(config.max_sockets, &services.limits);
    let app = build_router(services.clone(), &config, closing.clone(), bot);
    let limits = services.limits.clone();
    let handle = tokio::spawn(async move {
        let sockets = closing.clone();
        let shutdown = async move {
            shutdown.await;
            sockets.close_all();
        };
        let app = app.into_make_service_with_connect_info::<SocketAddr>();
        let served = match tls {
            // Connections pass a TLS handshake first (tls.rs); serving is the same.
            Some(tls) => {
                let listener = crate::tls::TlsListener::bind(listener, tls).serving();
                axum::serve(listener, app).with_graceful_shutdown(shutdown).await
            }
            None => axum::serve(listener, app).with_graceful_shutdown(shutdown).await,
        };
        // WebSockets are no longer HTTP connections, so serving does not wait for them:
        // give them a moment to send their close frames and hear the clients' answers.
        // (Every acknowledged message is stored already; an ack is only sent after the
        // commit.)
        let open = closing.open_sockets();
        if open > 0 {
            tracing::info!(sockets = open, "closing the open WebSockets");
        }
        let deadline = tokio::time::Instant::now() + SOCKETS_CLOSE_WITHIN;
        while closing.open_sockets() > 0 && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        let open = closing.open_sockets();
        if open > 0 {
            tracing::warn!(sockets = open, "WebSockets still open at exit: they are cut off");
        }
        // Its sockets are closed: they no longer count against their users elsewhere.
        if let Err(e) = limits.release_leases().await {
            tracing::warn!(error = %e.report(), "cannot give back the open sockets' leases (they expire)");
        }
        served
    });
    Ok(Running { addr, services, handle })
}

/// How long shutting down waits for open WebSockets to close (each takes at most two
/// close waits of [`crate::ws`]; this is more, for a busy machine).
const SOCKETS_CLOSE_WITHIN: std::time::Duration = std::time::Duration::from_secs(10);

/// Hourly, on one instance for all (`jobs::claim`; every instance asks every few
/// minutes, so another takes over when the one that ran it stops): drop expired
/// sessions and limit counts, delete image files no listing shows any more (untouched
/// for an hour, so uploads being saved are safe), and flush SQLite's write-ahead log
/// once more (a deletion's flush that found it busy; see `Database::flush_deleted`).
fn spawn_housekeeping(services: Services) {
    const HOUR: std::time::Duration = std::time::Duration::from_secs(3600);
    const ASK_EVERY: std::time::Duration = std::time::Duration::from_secs(5 * 60);
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(ASK_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            match marktchat_services::jobs::claim(&services.db, "housekeeping", HOUR).await {
                Ok(true) => {}
                Ok(false) => continue,
                Err(e) => {
                    tracing::warn!(error = %e.report(), "cannot claim the hourly housekeeping");
                    continue;
                }
            }
            if let Err(e) = services.limits.purge().await {
                tracing::warn!(error = %e.report(), "purging old limit counts failed");
            }
            if let Err(e) = services.sessions().purge_expired().await {
                tracing::warn!(error = %e.report(), "purging expired sessions failed");
            }
            let flashes = marktchat_services::flash::Flashes::new(&services.db);
            if let Err(e) = flashes.purge().await {
                tracing::warn!(error = %e.report(), "purging old failed forms failed");
            }
            match services.prune_images(HOUR).await {
                Ok(0) => {}
                Ok(removed) => tracing::info!(removed, "unused images deleted"),
                Err(e) => tracing::warn!(error = %e.report(), "deleting unused images failed"),
            }
            if let Err(e) = marktchat_services::mail::queue::purge(&services.db).await {
                tracing::warn!(error = %e.report(), "purging old sent mails failed");
            }
            if let Err(e) = services.purge_reset_links().await {
                tracing::warn!(error = %e.report(), "purging expired reset links failed");
            }
            if let Err(e) = services.purge_email_changes().await {
                tracing::warn!(error = %e.report(), "purging expired address confirmations failed");
            }
            if let Err(e) = services.db.flush_deleted().await {
                tracing::warn!(error = %e.report(), "flushing the write-ahead log failed");
            }
        }
    });
}

/// Keeps this instance's open connections counted for all instances (leases of
/// sockets per user and per visitor; `rate_limit::OpenLimit`). This is the instance's
/// own state, so every instance renews its own.
fn spawn_lease_renewal(services: Services) {
    if !services.limits.shared() {
        return;
    }
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(marktchat_services::rate_limit::RENEW_EVERY);
        tick.tick().await;
        loop {
            tick.tick().await;
            if let Err(e) = services.limits.renew_leases().await {
                tracing::warn!(error = %e.report(), "cannot renew the leases of open sockets");
            }
        }
    });
}

/// Behind a proxy (or a load balancer) the `Host` a request arrives with may be the
/// proxy's idea of the backend, not the site's address: the Origin check then needs
/// the public URL to know which origin is this site's.
/// How mail goes out, and what links in mails start with: the public URL, else the
/// address this server listens on (said in the log when no browser elsewhere could
/// open it).
fn mail_settings(
    config: &Config,
    addr: SocketAddr,
) -> anyhow::Result<marktchat_services::mail::MailSettings> {
    let site_url = match &config.public_url {
        Some(url) => url.clone(),
        None => {
            let scheme = if config.tls.is_some() { "https" } else { "http" };
            if addr.ip().is_unspecified() {
                tracing::warn!(%addr, "links in mails name an address no browser can open: set --public-url");
            }
            format!("{scheme}://{addr}")
        }
    };
    let mail = marktchat_services::mail::MailSettings::new(
        config.smtp_url.as_deref(),
        &config.mail_from,
        &site_url,
    )?;
    match &config.smtp_url {
        Some(url) => tracing::info!(server = %redact_user(url), "mail goes out over SMTP"),
        None => tracing::info!("no SMTP server set (--smtp-url): mails are written to the log"),
    }
    Ok(mail)
}

fn check_public_url(config: &Config) -> anyhow::Result<()> {
    if config.trust_proxy && config.public_url.is_none() {
        anyhow::bail!(
            "--trust-proxy needs --public-url (MARKTCHAT_PUBLIC_URL), e.g. \
             --public-url https://markt.example.org: behind a proxy or load balancer that \
             rewrites Host, the check that state-changing requests come from this site \
             compares their Origin with it"
        );
    }
    if let Some(url) = &config.public_url {
        let ok = (url.starts_with("https://") || url.starts_with("http://"))
            && !url.trim_end_matches('/').contains(['?', '#'])
            && url
                .split("://")
                .nth(1)
                .is_some_and(|rest| !rest.trim_end_matches('/').contains('/'));
        if !ok {
            anyhow::bail!(
                "--public-url {url:?}: give the site's origin, scheme and host (and port), \
                 e.g. https://markt.example.org"
            );
        }
    }
    Ok(())
}

/// The shortest `--limit-secret` accepted.
const MIN_LIMIT_SECRET: usize = 32;

/// Several instances (NATS) need one limit secret for all: with a key random per
/// process, each instance would count client addresses apart.
fn check_limit_secret(config: &Config) -> anyhow::Result<()> {
    match (&config.limit_secret, &config.nats) {
        (Some(secret), _) if secret.chars().count() < MIN_LIMIT_SECRET => anyhow::bail!(
            "--limit-secret (MARKTCHAT_LIMIT_SECRET) must have at least {MIN_LIMIT_SECRET} \
             characters; e.g. `openssl rand -hex 32`"
        ),
        (None, Some(_)) => anyhow::bail!(
            "--nats-url runs several instances: give every one the same --limit-secret \
             (MARKTCHAT_LIMIT_SECRET, at least {MIN_LIMIT_SECRET} characters, e.g. \
             `openssl rand -hex 32`), so that their limits count client addresses alike"
        ),
        (None, None) if config.database_url.starts_with("postgres") => {
            tracing::warn!(
                "no --limit-secret: limits by client address count in this instance only; \
                 set one (the same on every instance) before running several"
            );
            Ok(())
        }
        _ => Ok(()),
    }
}

/// A database URL without its password, for messages.
/// `url` with whatever stands before the `@` masked (an SMTP URL's user part may be a
/// token on its own).
fn redact_user(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => format!("{}***{}", &url[..s + 3], &url[at..]),
        _ => url.to_owned(),
    }
}

pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_owned(),
            }
        }
        _ => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn several_instances_need_one_long_enough_limit_secret() {
        use super::{check_limit_secret, Config, NatsConfig};
        let nats = Some(NatsConfig { url: "nats://127.0.0.1:4222".into(), subject: "s".into() });
        let long = Some("x".repeat(32));
        let ok = |c: Config| check_limit_secret(&c).is_ok();
        assert!(ok(Config::default()), "one instance on SQLite needs none");
        assert!(ok(Config { database_url: "postgres://h/db".into(), ..Config::default() }));
        assert!(!ok(Config { nats: nats.clone(), ..Config::default() }), "NATS without one");
        assert!(ok(Config { nats: nats.clone(), limit_secret: long, ..Config::default() }));
        let short = Some("too short".to_owned());
        assert!(!ok(Config { limit_secret: short, ..Config::default() }));
    }

    #[test]
    fn behind_a_proxy_the_public_url_is_needed_and_must_be_an_origin() {
        use super::{check_public_url, Config};
        let with = |trust_proxy: bool, url: Option<&str>| {
            check_public_url(&Config {
                trust_proxy,
                public_url: url.map(str::to_owned),
                ..Config::default()
            })
            .is_ok()
        };
        assert!(with(false, None));
        assert!(!with(true, None), "--trust-proxy alone is refused");
        assert!(with(true, Some("https://markt.example.org")));
        assert!(with(true, Some("https://markt.example.org:8443/")));
        assert!(!with(false, Some("markt.example.org")));
        assert!(!with(false, Some("https://markt.example.org/shop")));
    }

    #[test]
    fn smtp_urls_are_logged_without_their_user_part() {
        use super::redact_user;
        assert_eq!(redact_user("smtps://TOKEN@mail.example"), "smtps://***@mail.example");
        assert_eq!(redact_user("smtp://u:p@mail.example:587"), "smtp://***@mail.example:587");
        assert_eq!(redact_user("smtp://mail.example:25"), "smtp://mail.example:25");
    }

    #[test]
    fn redacts_passwords() {
        assert_eq!(super::redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(super::redact("sqlite://data/x.db"), "sqlite://data/x.db");
    }
}
