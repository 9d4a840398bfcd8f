//! Connections open at once per key: a user's chat sockets, a visitor's help-bot
//! sockets. Each instance counts its own in memory; where limits count for all
//! instances (PostgreSQL), every open connection also holds a lease row in
//! `open_leases`, so the cap holds whichever instances the connections reach.
//!
//! A lease is taken in one statement that inserts only while fewer than the maximum
//! live leases exist for the key. Two instances taking the last place at the same
//! moment can both succeed: the cap may be passed by one connection per instance
//! connecting at that instant, never more. The instance renews all its leases in one
//! statement every [`RENEW_EVERY`]; the leases of an instance that died stop counting
//! when they expire ([`LEASE_FOR`]), and the hourly housekeeping deletes them.

use super::shared::SharedCounts;
use super::LimitKey;
use crate::clock::now;
use std::collections::HashMap;
use std::hash::Hash;
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// How long a lease counts unless its instance renews it.
pub const LEASE_FOR: Duration = Duration::from_secs(180);
/// How often an instance renews its leases.
pub const RENEW_EVERY: Duration = Duration::from_secs(60);

/// The database side: the leases of this instance.
#[derive(Clone)]
pub struct Leases {
    counts: SharedCounts,
    /// This process's name in `open_leases` (random per start).
    instance: Arc<str>,
}

impl Leases {
    pub fn new(counts: SharedCounts) -> Leases {
        Leases { counts, instance: uuid::Uuid::new_v4().to_string().into() }
    }

    fn expiry() -> i64 {
        now().millis().saturating_add(LEASE_FOR.as_millis() as i64)
    }

    /// Takes a lease for `key` under `name` if fewer than `max` live ones exist;
    /// returns its id.
    async fn take(&self, name: &str, key: &[u8], max: usize) -> crate::Result<Option<String>> {
        let id = uuid::Uuid::new_v4().to_string();
        let done = sqlx::query(
            "INSERT INTO open_leases (id, name, key, instance, expires_at)
             SELECT $1, $2, $3, $4, $5
             WHERE (SELECT COUNT(*) FROM open_leases
                    WHERE name = $2 AND key = $3 AND expires_at > $6) < $7",
        )
        .bind(&id)
        .bind(name)
        .bind(self.counts.hash(name, key))
        .bind(&*self.instance)
        .bind(Self::expiry())
        .bind(now().millis())
        .bind(i64::try_from(max).unwrap_or(i64::MAX))
        .execute(self.counts.db().pool())
        .await?;
        Ok((done.rows_affected() == 1).then_some(id))
    }

    /// Gives a lease back (its connection closed). A failure is logged: the lease
    /// expires by itself.
    async fn give_back(&self, id: &str) {
        let done = sqlx::query("DELETE FROM open_leases WHERE id = $1")
            .bind(id)
            .execute(self.counts.db().pool())
            .await;
        if let Err(e) = done {
            tracing::warn!(error = %crate::Error::from(e).report(), "cannot give a lease back");
        }
    }

    /// Gives a lease back in the background: only for a slot dropped without
    /// [`OpenSlot::release`] (its task ended abruptly).
    fn give_back_later(&self, id: String) {
        let Ok(runtime) = tokio::runtime::Handle::try_current() else { return };
        let leases = self.clone();
        runtime.spawn(async move { leases.give_back(&id).await });
    }

    /// Keeps every lease of this instance alive for another [`LEASE_FOR`].
    pub async fn renew(&self) -> crate::Result<u64> {
        let done = sqlx::query("UPDATE open_leases SET expires_at = $1 WHERE instance = $2")
            .bind(Self::expiry())
            .bind(&*self.instance)
            .execute(self.counts.db().pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Gives back every lease of this instance (it is stopping).
    pub async fn release_all(&self) -> crate::Result<u64> {
        let done = sqlx::query("DELETE FROM open_leases WHERE instance = $1")
            .bind(&*self.instance)
            .execute(self.counts.db().pool())
            .await?;
        Ok(done.rows_affected())
    }

    /// Deletes expired leases (of instances that died); returns how many.
    pub async fn purge(&self) -> crate::Result<u64> {
        let done = sqlx::query("DELETE FROM open_leases WHERE expires_at <= $1")
            .bind(now().millis())
            .execute(self.counts.db().pool())
            .await?;
        Ok(done.rows_affected())
    }
}

/// At most `max` connections open at once per key.
#[derive(Clone)]
pub struct OpenLimit<K> {
    name: &'static str,
    max: usize,
    local: Arc<Mutex<HashMap<K, usize>>>,
    shared: Option<Leases>,
}

/// One open connection, counted until dropped.
pub struct OpenSlot<K: Hash + Eq> {
    local: Arc<Mutex<HashMap<K, usize>>>,
    key: K,
    lease: Option<(Leases, String)>,
}

impl<K: Hash + Eq> Drop for OpenSlot<K> {
    fn drop(&mut self) {
        let mut map = self.local.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(n) = map.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                map.remove(&self.key);
            }
        }
        drop(map);
        if let Some((leases, id)) = self.lease.take() {
            leases.give_back_later(id);
        }
    }
}

impl<K: Hash + Eq> OpenSlot<K> {
    /// Ends the connection's place, giving its lease back in the caller's task: each
    /// connection waits for its own give-back, so closing connections never pile up
    /// work in the background.
    pub async fn release(mut self) {
        if let Some((leases, id)) = self.lease.take() {
            leases.give_back(&id).await;
        }
    }
}

impl<K: LimitKey> OpenLimit<K> {
    pub fn new(name: &'static str, max: usize, shared: Option<Leases>) -> OpenLimit<K> {
        OpenLimit { name, max, local: Default::default(), shared }
    }

    /// A place for one more connection of `key`, unless it has the most open already
    /// (here, or on all instances together). If the database cannot be reached, this
    /// instance's own count decides (and the fault is logged).
    pub async fn acquire(&self, key: K) -> Option<OpenSlot<K>> {
        {
            let mut map = self.local.lock().unwrap_or_else(|p| p.into_inner());
            let n = map.entry(key.clone()).or_default();
            if *n >= self.max {
                return None;
            }
            *n += 1;
        }
        let mut slot = OpenSlot { local: self.local.clone(), key, lease: None };
        if let Some(leases) = &self.shared {
            match leases.take(self.name, &slot.key.limit_bytes(), self.max).await {
                Ok(Some(id)) => slot.lease = Some((leases.clone(), id)),
                Ok(None) => return None,
                Err(e) => {
                    tracing::warn!(error = %e.report(), limit = self.name, "counting open connections in the database failed; counting here");
                }
            }
        }
        Some(slot)
    }

    /// How many connections of `key` this instance has open.
    pub fn open_here(&self, key: &K) -> usize {
        self.local.lock().unwrap_or_else(|p| p.into_inner()).get(key).copied().unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::db::Backend;
    use marktchat_test_macros::db_test;

    async fn live_leases(db: &crate::db::Database) -> i64 {
        let (n,): (i64,) = sqlx::query_as("SELECT COUNT(*) FROM open_leases WHERE expires_at > $1")
            .bind(now().millis())
            .fetch_one(db.pool())
            .await
            .unwrap();
        n
    }

    #[db_test]
    async fn the_cap_holds_across_instances_and_dead_instances_stop_counting(backend: Backend) {
        let (db, _dir) = crate::db::test_db(backend).await;
        let counts = SharedCounts::new(db.clone(), b"secret");
        // Two instances: each its own leases and counts, one database.
        let (la, lb) = (Leases::new(counts.clone()), Leases::new(counts.clone()));
        let a = OpenLimit::<String>::new("socket", 3, Some(la.clone()));
        let b = OpenLimit::<String>::new("socket", 3, Some(lb.clone()));
        let anna = || "anna".to_owned();
        let a1 = a.acquire(anna()).await.expect("1st");
        let _a2 = a.acquire(anna()).await.expect("2nd");
        let b1 = b.acquire(anna()).await.expect("3rd, on the other instance");
        assert!(b.acquire(anna()).await.is_none(), "the 4th is refused on B");
        assert!(a.acquire(anna()).await.is_none(), "and on A");
        assert_eq!(b.open_here(&anna()), 1, "a refused one is not counted here either");
        let bert = b.acquire("bert".to_owned()).await;
        assert!(bert.is_some(), "other keys are free");
        // A closed connection frees its place.
        a1.release().await;
        let mut again = None;
        for _ in 0..100 {
            again = b.acquire(anna()).await;
            if again.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        assert!(again.is_some(), "a place is free again after a close");
        // The database holds keyed hashes, not the user ids.
        let keys: Vec<(String,)> =
            sqlx::query_as("SELECT key FROM open_leases").fetch_all(db.pool()).await.unwrap();
        assert!(keys.iter().all(|(k,)| !k.contains("anna")), "{keys:?}");
        // Renewing keeps an instance's leases; an instance that dies stops renewing,
        // and once its leases expire they count no more.
        assert_eq!(la.renew().await.unwrap(), 1, "A holds one lease");
        sqlx::query("UPDATE open_leases SET expires_at = $1 WHERE instance = $2")
            .bind(now().millis() - 1)
            .bind(&*la.instance)
            .execute(db.pool())
            .await
            .unwrap();
        let c = OpenLimit::<String>::new("socket", 3, Some(Leases::new(counts.clone())));
        let _c1 = c.acquire(anna()).await.expect("A's expired lease no longer counts");
        assert_eq!(la.purge().await.unwrap(), 1, "the expired lease is purged");
        // An instance that stops gives all of its leases back.
        assert_eq!(lb.release_all().await.unwrap(), 3, "B's leases: b1, bert, again");
        drop((b1, bert, again));
        assert_eq!(live_leases(&db).await, 1, "only C's lease is left");
    }

    #[tokio::test]
    async fn without_a_database_the_count_is_this_instances() {
        let limit = OpenLimit::<String>::new("socket", 2, None);
        let one = limit.acquire("u".to_owned()).await.unwrap();
        let _two = limit.acquire("u".to_owned()).await.unwrap();
        assert!(limit.acquire("u".to_owned()).await.is_none());
        drop(one);
        assert!(limit.acquire("u".to_owned()).await.is_some());
    }
}
