//! Limits counted in the database, for all instances together (PostgreSQL, where
//! several instances may serve one installation).
//!
//! Each limit keeps hits per key in buckets one window long (`limit_counts`). A
//! check adds the hits and reads the total back in one statement (an upsert with
//! `RETURNING`), so simultaneous attempts on different instances each see the others'
//! hits: a burst cannot all pass the check before any is counted. The window slides
//! by weighting the previous bucket by how much of it still lies in the window (the
//! estimate Cloudflare describes for its rate limiting): exact at bucket starts,
//! close in between, and two rows per key at most.
//!
//! Keys are stored as a keyed hash (SHA-256 of the configured secret, the limit's
//! name and the key), never as the e-mail address, client address or id counted.

use crate::clock::now;
use crate::db::Database;
use sha2::{Digest, Sha256};
use std::sync::Arc;
use std::time::Duration;

/// The database side of the shared limits, with the secret that keys the hashes.
#[derive(Clone)]
pub struct SharedCounts {
    db: Database,
    secret: Arc<[u8]>,
}

/// Hits counted for an attempt under way in the database.
pub(super) struct SharedHold {
    counts: SharedCounts,
    name: &'static str,
    key: String,
    bucket: i64,
    n: i64,
}

impl SharedCounts {
    pub fn new(db: Database, secret: &[u8]) -> SharedCounts {
        SharedCounts { db, secret: secret.into() }
    }

    pub(super) fn db(&self) -> &Database {
        &self.db
    }

    /// The stored form of `key` under the limit `name`.
    pub(super) fn hash(&self, name: &str, key: &[u8]) -> String {
        let mut h = Sha256::new();
        h.update((self.secret.len() as u64).to_be_bytes());
        h.update(&self.secret);
        h.update(name.as_bytes());
        h.update([0]);
        h.update(key);
        hex::encode(&h.finalize()[..16])
    }

    /// Counts `n` hits for `key` if they fit within `max` per `window`; otherwise
    /// counts nothing and says how long until they would fit.
    pub(super) async fn reserve(
        &self,
        name: &'static str,
        key: String,
        n: usize,
        window: Duration,
        max: usize,
    ) -> crate::Result<Result<SharedHold, Duration>> {
        let w = i64::try_from(window.as_millis()).unwrap_or(i64::MAX).max(1);
        let t = now().millis();
        let bucket = t / w;
        let n = i64::try_from(n).unwrap_or(i64::MAX);
        let (hits,): (i64,) = sqlx::query_as(
            "INSERT INTO limit_counts (name, key, bucket, hits, expires_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (name, key, bucket) DO UPDATE SET hits = limit_counts.hits + excluded.hits
             RETURNING hits",
        )
        .bind(name)
        .bind(&key)
        .bind(bucket)
        .bind(n)
        .bind((bucket + 2).saturating_mul(w))
        .fetch_one(self.db.pool())
        .await?;
        let previous: Option<(i64,)> = sqlx::query_as(
            "SELECT hits FROM limit_counts WHERE name = $1 AND key = $2 AND bucket = $3",
        )
        .bind(name)
        .bind(&key)
        .bind(bucket - 1)
        .fetch_optional(self.db.pool())
        .await?;
        let previous = previous.map_or(0, |(p,)| p.max(0));
        let hold = SharedHold { counts: self.clone(), name, key, bucket, n };
        let into_bucket = (t - bucket * w) as f64 / w as f64;
        let estimate = hits as f64 + previous as f64 * (1.0 - into_bucket);
        let max = max as f64;
        if estimate <= max {
            return Ok(Ok(hold));
        }
        // Not counted after all; room appears as the previous bucket slides out, or
        // with the next bucket if this one alone is full.
        let before = hits - n;
        hold.give_back().await?;
        let rest_of_bucket = (bucket + 1) * w - t;
        let wait_ms = if (before + n) as f64 <= max && previous > 0 {
            let needed = 1.0 - (max - (before + n) as f64) / previous as f64;
            (((needed - into_bucket) * w as f64).ceil() as i64).clamp(0, rest_of_bucket)
        } else {
            rest_of_bucket
        };
        Ok(Err(
            Duration::from_millis(u64::try_from(wait_ms).unwrap_or(0)).max(Duration::from_secs(1))
        ))
    }

    /// Forgets every hit of `key` under `name`.
    pub(super) async fn clear(&self, name: &str, key: &str) -> crate::Result<()> {
        sqlx::query("DELETE FROM limit_counts WHERE name = $1 AND key = $2")
            .bind(name)
            .bind(key)
            .execute(self.db.pool())
            .await?;
        Ok(())
    }

    /// Deletes the rows that no longer count; returns how many.
    pub async fn purge(&self) -> crate::Result<u64> {
        let done = sqlx::query("DELETE FROM limit_counts WHERE expires_at <= $1")
            .bind(now().millis())
            .execute(self.db.pool())
            .await?;
        Ok(done.rows_affected())
    }
}

impl SharedHold {
    async fn give_back(&self) -> crate::Result<()> {
        sqlx::query(
            "UPDATE limit_counts SET hits = hits - $4 WHERE name = $1 AND key = $2 AND bucket = $3",
        )
        .bind(self.name)
        .bind(&self.key)
        .bind(self.bucket)
        .bind(self.n)
        .execute(self.counts.db.pool())
        .await?;
        Ok(())
    }

    /// Gives the hits back in the background (a reservation dropped unkept).
    pub(super) fn give_back_later(self) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        runtime.spawn(async move {
            if let Err(e) = self.give_back().await {
                tracing::warn!(error = %e.report(), limit = self.name, "cannot give hits back");
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Limit, LimitKey};
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    #[db_test]
    async fn instances_count_together_in_the_database(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let window = Duration::from_secs(15 * 60);
        // Two instances: each its own limit object, one database, one secret.
        let a = Limit::<String>::new("login", window, 5, Some(SharedCounts::new(db.clone(), b"s")));
        let b = Limit::<String>::new("login", window, 5, Some(SharedCounts::new(db.clone(), b"s")));
        for i in 0..5 {
            let on = if i % 2 == 0 { &a } else { &b };
            on.reserve("anna@example.de".to_owned()).await.expect("within the limit").keep();
        }
        let wait = a.reserve("anna@example.de".to_owned()).await.err().expect("the 6th is refused");
        assert!(wait >= Duration::from_secs(1) && wait <= window, "{wait:?}");
        assert!(b.reserve("anna@example.de".to_owned()).await.is_err(), "on either instance");
        assert!(b.reserve("bert@example.de".to_owned()).await.is_ok(), "other keys are free");
        // The refused attempts counted nothing: clearing frees the key at once.
        a.clear(&"anna@example.de".to_owned()).await;
        b.reserve("anna@example.de".to_owned()).await.expect("cleared").keep();
        // The database holds keyed hashes, never the e-mail address.
        let keys: Vec<(String,)> =
            sqlx::query_as("SELECT key FROM limit_counts").fetch_all(db.pool()).await.unwrap();
        assert!(!keys.is_empty() && keys.iter().all(|(k,)| !k.contains("example")), "{keys:?}");
        assert_eq!(
            SharedCounts::new(db.clone(), b"s").hash("login", &"x".to_owned().limit_bytes()),
            SharedCounts::new(db.clone(), b"s").hash("login", b"x"),
        );
        assert_ne!(
            SharedCounts::new(db.clone(), b"s").hash("login", b"x"),
            SharedCounts::new(db.clone(), b"t").hash("login", b"x"),
            "another secret, another key"
        );
    }

    #[db_test]
    async fn unkept_reservations_are_given_back_and_old_buckets_purged(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let counts = SharedCounts::new(db.clone(), b"secret");
        let limit =
            Limit::<String>::new("upload", Duration::from_secs(3600), 3, Some(counts.clone()));
        assert!(limit.reserve_n("u".to_owned(), 4).await.is_err(), "more than the limit at once");
        limit.reserve_n("u".to_owned(), 2).await.unwrap().keep();
        drop(limit.reserve("u".to_owned()).await.unwrap()); // not judged: given back
                                                            // The give-back runs in the background.
        let mut free = false;
        for _ in 0..50 {
            if let Ok(r) = limit.reserve("u".to_owned()).await {
                drop(r);
                free = true;
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(free, "the dropped reservation was given back");
        tokio::time::sleep(Duration::from_millis(100)).await;
        limit.reserve("u".to_owned()).await.unwrap().keep();
        assert!(limit.reserve("u".to_owned()).await.is_err(), "2 kept + 1 kept = 3");
        assert_eq!(counts.purge().await.unwrap(), 0, "nothing expired yet");
        sqlx::query("UPDATE limit_counts SET expires_at = 0").execute(db.pool()).await.unwrap();
        assert_eq!(counts.purge().await.unwrap(), 1);
        assert!(limit.reserve("u".to_owned()).await.is_ok());
    }
}
