//! Server-side domain services over the database: what server functions (in `app`,
//! feature `ssr`) and the `marktchat` binary call. Knows nothing of HTTP or Leptos.
//!
//! - [`db`]: connecting (SQLite or PostgreSQL, one code path via `sqlx::Any`), migrations.
//! - [`accounts`]: registration, login, profiles, the directory, deletion, export.
//! - [`api_clients`]: Sync API clients: scopes and hashed bearer tokens.
//! - [`audit`]: who changed which tags, rules, switch or client, and how.
//! - [`sessions`]: server-side sessions behind an opaque cookie token.
//! - [`listings`]: classified ads, their status and images, search, favourites.
//! - [`contact_rules`]: the interaction-restrictions switch, tags per user and the
//!   contact rules, as stored; decisions, whom a user may contact and previews, from
//!   `shared::rules` compiled once per rules version.
//! - [`conversations`]: conversations about listings and direct ones, messages with
//!   their sequence numbers, read marks, archive, blocks.
//! - [`events`]: the live-event seam ([`events::Bus`]) between committed changes and
//!   open sockets.
//! - [`images`]: decoding, re-encoding and storing uploaded pictures.
//! - [`storage`]: the file storage seam (a local folder or an S3-compatible store).
//! - [`transfer`]: export and import of a whole installation.
//! - [`seed`]: realistic demo data for a first look and for benchmarks.
//! - [`rate_limit`]: attempt limits (logins, registrations, uploads, messages, the Sync
//!   API, the help bot), in memory on SQLite, in the database on PostgreSQL.
//! - [`jobs`]: periodic jobs that one instance runs for all.
//! - [`error`]: the one error type of this layer.
//! - `testing` (feature `test-support`): fresh test databases on SQLite or PostgreSQL.

pub mod accounts;
pub mod api_clients;
pub mod audit;
pub mod bot;
pub mod clock;
pub mod contact_rules;
pub mod conversations;
pub mod db;
pub mod error;
pub mod events;
pub mod flash;
pub mod images;
pub mod jobs;
pub mod listings;
pub mod mail;
mod mailing;
mod messaging;
pub mod passwords;
pub mod rate_limit;
pub mod seed;
pub mod sessions;
pub mod storage;
#[cfg(any(test, feature = "test-support"))]
pub mod testing;
pub mod transfer;
pub mod zones;

pub use db::Database;
pub use error::{Error, Result};
pub use marktchat_shared::CurrentUser;
pub use sessions::RequestSession;

use std::sync::Arc;

/// Everything a request handler needs, cheap to clone.
#[derive(Clone)]
pub struct Services {
    pub db: Database,
    /// Attempt limits (logins, registrations, uploads, …).
    pub limits: Arc<rate_limit::Limits>,
    /// The gate every password hash goes through.
    pub hasher: passwords::Hasher,
    pub settings: Arc<Settings>,
    pub images: images::ImageStore,
    /// Live events to open sockets (in-process, or across servers).
    pub events: Arc<dyn events::Bus>,
    /// Limits how many uploads are decoded at the same time.
    image_work: Arc<tokio::sync::Semaphore>,
    /// The group-commit writer for messages, started on first use (it needs the
    /// runtime, which `new` may not have).
    appender: Arc<std::sync::OnceLock<conversations::append::Appender>>,
    /// Wakes this instance's mail sender when a mail was queued.
    mail_queued: Arc<tokio::sync::Notify>,
}

/// Settings that change behaviour at run time.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The public base URL (e.g. `https://markt.example.org`), when known. An `https`
    /// URL makes session cookies `Secure` regardless of proxy headers.
    pub public_url: Option<String>,
    /// Where uploaded files are stored (images under `images/`).
    pub data_dir: std::path::PathBuf,
    /// How many attempts of each kind are allowed.
    pub limits: rate_limit::LimitSettings,
    /// The key of the hashes by which limits count addresses and visitors, the same on
    /// every instance. On PostgreSQL, where limits count in the database for all
    /// instances, a missing one is a random key (this process only: fine for tests).
    pub limit_secret: Option<String>,
    /// How mail is sent, and what links in mails start with.
    pub mail: mail::MailSettings,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            public_url: None,
            data_dir: "data".into(),
            limits: rate_limit::LimitSettings::default(),
            limit_secret: None,
            mail: mail::MailSettings::default(),
        }
    }
}

impl Services {
    pub fn new(db: Database, settings: Settings) -> Self {
        Services {
            images: images::ImageStore::in_data_dir(&settings.data_dir),
            image_work: Arc::new(tokio::sync::Semaphore::new(2)),
            events: Arc::new(events::InProcess::new()),
            appender: Arc::new(std::sync::OnceLock::new()),
            mail_queued: Arc::new(tokio::sync::Notify::new()),
            limits: Arc::new(Self::limits_for(&db, &settings)),
            db,
            hasher: passwords::Hasher::for_this_machine(),
            settings: Arc::new(settings),
        }
    }

    /// On PostgreSQL limits count in the database, for all instances together; on
    /// SQLite (one process) in memory.
    fn limits_for(db: &Database, settings: &Settings) -> rate_limit::Limits {
        let secret = settings.limit_secret.as_ref().map(|s| s.as_bytes().to_vec());
        match db.backend() {
            db::Backend::Sqlite => {
                rate_limit::Limits::counting(&settings.limits, None, secret.as_deref())
            }
            db::Backend::Postgres => {
                let secret = secret.unwrap_or_else(|| {
                    let mut random = vec![0u8; 32];
                    rand::RngCore::fill_bytes(&mut rand::thread_rng(), &mut random);
                    random
                });
                let shared = rate_limit::SharedCounts::new(db.clone(), &secret);
                rate_limit::Limits::counting(&settings.limits, Some(shared), Some(&secret))
            }
        }
    }

    pub fn accounts(&self) -> accounts::Accounts<'_> {
        accounts::Accounts::new(&self.db, &self.hasher, &self.limits)
    }

    pub fn listings(&self) -> listings::Listings<'_> {
        listings::Listings::new(&self.db)
    }

    /// Deletes the image files no listing shows any more: images taken off a listing,
    /// those of deleted listings and of deleted accounts. Files younger than `grace` stay
    /// (a listing being saved writes its files first). Returns how many were removed.
    pub async fn prune_images(&self, grace: std::time::Duration) -> Result<usize> {
        let in_use = self.listings().image_hashes_in_use().await?;
        self.images
            .prune(in_use, grace)
            .await
            .map_err(|e| Error::internal("cannot delete unused image files", e))
    }

    /// Creates (no `form.id`) or edits a listing from its submitted form. The fields
    /// are checked first, then every upload is decoded and re-encoded; only when all
    /// of that succeeded are images written and the listing saved.
    pub async fn save_listing(
        &self,
        actor: &CurrentUser,
        form: listings::ListingForm,
    ) -> Result<marktchat_shared::listing::Listing> {
        use marktchat_shared::listing::check_image_count;
        use marktchat_shared::Field;
        // Every problem of the text and of the number of pictures at once.
        let draft = match (form.draft(), check_image_count(0, form.uploads.len())) {
            (Ok(draft), Ok(())) => draft,
            (draft, count) => {
                let mut problems = draft.err().unwrap_or_default();
                problems.check(Field::Images, count);
                return Err(Error::Invalid(problems));
            }
        };
        let listings = self.listings();
        // Ownership and the image count before any work on the uploads.
        let kept = match &form.id {
            Some(id) => {
                let current = listings.managed(actor, id).await?;
                current.images.iter().filter(|i| !form.remove_images.contains(&i.hash)).count()
            }
            None => 0,
        };
        check_image_count(kept, form.uploads.len()).map_err(Error::invalid(Field::Images))?;
        // Every decoded upload counts against the user's hourly allowance.
        let allowance = match form.uploads.len() {
            0 => None,
            n => Some(
                self.limits
                    .uploads
                    .reserve_n(actor.id.0.clone(), n)
                    .await
                    .map_err(|retry_after| Error::RateLimited { retry_after })?,
            ),
        };
        // Decoding is memory-hungry: at most two uploads at a time, server-wide.
        let _permit = self
            .image_work
            .acquire()
            .await
            .map_err(|e| Error::internal("the image queue is closed", e))?;
        if let Some(a) = allowance {
            a.keep();
        }
        let processed = tokio::task::spawn_blocking(move || {
            form.uploads.iter().map(|bytes| images::process(bytes)).collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| Error::internal("image processing stopped", e))?
        .map_err(Error::invalid(Field::Images))?;
        drop(_permit);
        let mut added = Vec::with_capacity(processed.len());
        for p in &processed {
            added.push(
                self.images.save(p).await.map_err(|e| {
                    Error::internal("cannot write an image to the data directory", e)
                })?,
            );
        }
        match form.id {
            None => listings.create(actor, draft, added).await,
            Some(id) => {
                let changes = listings::ImageChanges { remove: form.remove_images, add: added };
                listings.update(actor, &id, draft, changes).await
            }
        }
    }

    /// Sessions; every one that ends is announced, so its open sockets close.
    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions::new(&self.db).announcing(&*self.events)
    }

    /// The same services with another place for pictures (e.g. an object store).
    pub fn with_images(mut self, images: images::ImageStore) -> Self {
        self.images = images;
        self
    }

    /// The same services with another live-event bus (e.g. [`events::Nats`]).
    pub fn with_events(mut self, events: Arc<dyn events::Bus>) -> Self {
        self.events = events;
        self
    }
}
