//! Server-side domain services over the database: what server functions (in `app`,
//! feature `ssr`) and the `marktchat` binary call. Knows nothing of HTTP or Leptos.
//!
//! - [`db`]: connecting (SQLite or PostgreSQL, one code path via `sqlx::Any`), migrations.
//! - [`accounts`]: registration, login, profiles, the directory, deletion, export.
//! - [`sessions`]: server-side sessions behind an opaque cookie token.
//! - [`listings`]: classified ads, their status and images, search, favourites.
//! - [`images`]: decoding, re-encoding and storing uploaded pictures.
//! - [`seed`]: realistic demo data for a first look and for benchmarks.
//! - [`rate_limit`]: login attempt limits per account and per address.
//! - [`error`]: the one error type of this layer.

pub mod accounts;
pub mod clock;
pub mod db;
pub mod error;
pub mod images;
pub mod listings;
pub mod rate_limit;
pub mod seed;
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
    pub images: images::ImageStore,
    /// Limits how many uploads are decoded at the same time.
    image_work: Arc<tokio::sync::Semaphore>,
}

/// Settings that change behaviour at run time.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The public base URL (e.g. `https://markt.example.org`), when known. An `https`
    /// URL makes session cookies `Secure` regardless of proxy headers.
    pub public_url: Option<String>,
    /// Where uploaded files are stored (images under `images/`).
    pub data_dir: std::path::PathBuf,
}

impl Services {
    pub fn new(db: Database, settings: Settings) -> Self {
        Services {
            images: images::ImageStore::in_data_dir(&settings.data_dir),
            image_work: Arc::new(tokio::sync::Semaphore::new(2)),
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

    /// Deletes the image files no listing shows any more: images taken off a listing,
    /// those of deleted listings and of deleted accounts. Files younger than `grace` stay
    /// (a listing being saved writes its files first). Returns how many were removed.
    pub async fn prune_images(&self, grace: std::time::Duration) -> Result<usize> {
        let in_use = self.listings().image_hashes_in_use().await?;
        self.images
            .prune(in_use, grace)
            .await
            .map_err(|e| Error::Internal(format!("pruning image files: {e}")))
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
        let draft = form.draft()?;
        check_image_count(0, form.uploads.len()).map_err(Error::invalid(Field::Images))?;
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
        // Decoding is memory-hungry: at most two uploads at a time, server-wide.
        let _permit = self
            .image_work
            .acquire()
            .await
            .map_err(|e| Error::Internal(format!("image queue closed: {e}")))?;
        let processed = tokio::task::spawn_blocking(move || {
            form.uploads.iter().map(|bytes| images::process(bytes)).collect::<Result<Vec<_>, _>>()
        })
        .await
        .map_err(|e| Error::Internal(format!("image processing stopped: {e}")))?
        .map_err(Error::invalid(Field::Images))?;
        drop(_permit);
        let mut added = Vec::with_capacity(processed.len());
        for p in &processed {
            added.push(self.images.save(p).await.map_err(|e| {
                Error::Internal(format!("cannot write an image to the data directory: {e}"))
            })?);
        }
        match form.id {
            None => listings.create(actor, draft, added).await,
            Some(id) => {
                let changes = listings::ImageChanges { remove: form.remove_images, add: added };
                listings.update(actor, &id, draft, changes).await
            }
        }
    }

    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions::new(&self.db)
    }
}
