//! Server-side domain services over the database: what server functions (in `app`,
//! feature `ssr`) and the `marktchat` binary call. Knows nothing of HTTP or Leptos.
//!
//! - [`db`]: connecting (SQLite or PostgreSQL, one code path via `sqlx::Any`), migrations.
//! - [`accounts`]: registration, login, profiles, the directory, deletion, export.
//! - [`sessions`]: server-side sessions behind an opaque cookie token.
//! - [`listings`]: classified ads and their status (images, search, favourites to come).
//! - [`rate_limit`]: login attempt limits per account and per address.
//! - [`error`]: the one error type of this layer.

pub mod accounts;
pub mod clock;
pub mod db;
pub mod error;
pub mod listings;
pub mod rate_limit;
pub mod sessions;

pub use db::Database;
pub use error::{Error, Result};
pub use marktchat_shared::CurrentUser;
pub use sessions::RequestSession;

use std::sync::Arc;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub db: Database,
    pub login_limiter: Arc<rate_limit::LoginLimiter>,
    pub settings: Arc<Settings>,
}

/// Settings that change behaviour at run time.
#[derive(Debug, Clone, Default)]
pub struct Settings {
    /// The public base URL (e.g. `https://markt.example.org`), when known. An `https`
    /// URL makes session cookies `Secure` regardless of proxy headers.
    pub public_url: Option<String>,
}

impl Services {
    pub fn new(db: Database, settings: Settings) -> Self {
        Services {
            db,
            login_limiter: Arc::new(rate_limit::LoginLimiter::default()),
            settings: Arc::new(settings),
        }
    }

    pub fn accounts(&self) -> accounts::Accounts<'_> {
        accounts::Accounts::new(&self.db)
    }

    pub fn listings(&self) -> listings::Listings<'_> {
        listings::Listings::new(&self.db)
    }

    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions::new(&self.db)
    }
}
