//! The bus inside one server process.

use super::{Bus, Event, Published, Subscription, SUBSCRIBER_QUEUE};
use marktchat_shared::UserId;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// The bus inside one server process: subscribers in shards, each behind its own
/// short lock, so publishers to different users rarely meet, and no publisher ever
/// waits for a subscriber.
#[derive(Clone, Default)]
pub struct InProcess {
    inner: Arc<Shards>,
}

/// The subscribers of the users whose ids hash to one shard.
type Shard = Mutex<HashMap<String, Vec<Subscriber>>>;

struct Shards {
    shards: Box<[Shard]>,
    hasher: RandomState,
    next_id: AtomicU64,
}

struct Subscriber {
    id: u64,
    tx: mpsc::Sender<Arc<Published>>,
    lagged: Arc<AtomicBool>,
}

const SHARDS: usize = 64;

impl Default for Shards {
    fn default() -> Self {
        Shards {
            shards: (0..SHARDS).map(|_| Mutex::new(HashMap::new())).collect(),
            hasher: RandomState::new(),
            next_id: AtomicU64::new(1),
        }
    }
}

impl InProcess {
    pub fn new() -> InProcess {
        InProcess::default()
    }

    /// Drops every subscriber, telling each it lagged: events may have been lost
    /// for all of them (the bus across servers lost its connection), so every
    /// socket resumes from the database.
    pub fn lag_all(&self) -> usize {
        let mut dropped = 0;
        for shard in self.inner.shards.iter() {
            let mut shard = shard.lock().unwrap_or_else(|p| p.into_inner());
            for subscribers in shard.values() {
                for s in subscribers {
                    s.lagged.store(true, Ordering::Release);
                }
                dropped += subscribers.len();
            }
            // Dropping the senders ends each subscription's stream: `recv` then
            // reports the lag.
            shard.clear();
        }
        dropped
    }

    /// How many subscriptions are open (for tests and metrics).
    pub fn subscribers(&self) -> usize {
        self.inner
            .shards
            .iter()
            .map(|s| {
                s.lock().unwrap_or_else(|p| p.into_inner()).values().map(Vec::len).sum::<usize>()
            })
            .sum()
    }
}

impl Shards {
    fn shard(&self, user: &str) -> &Shard {
        &self.shards[self.hasher.hash_one(user) as usize % SHARDS]
    }
}

impl Bus for InProcess {
    fn publish(&self, to: &[UserId], event: Event) {
        let published = Published::new(event);
        for user in to {
            let mut shard = self.inner.shard(&user.0).lock().unwrap_or_else(|p| p.into_inner());
            let Some(subscribers) = shard.get_mut(&user.0) else { continue };
            subscribers.retain(|s| match s.tx.try_send(published.clone()) {
                Ok(()) => true,
                Err(mpsc::error::TrySendError::Full(_)) => {
                    s.lagged.store(true, Ordering::Release);
                    false
                }
                Err(mpsc::error::TrySendError::Closed(_)) => false,
            });
            if subscribers.is_empty() {
                shard.remove(&user.0);
            }
        }
    }

    fn subscribe(&self, user: &UserId) -> Subscription {
        let (tx, rx) = mpsc::channel(SUBSCRIBER_QUEUE);
        let lagged = Arc::new(AtomicBool::new(false));
        let id = self.inner.next_id.fetch_add(1, Ordering::Relaxed);
        self.inner
            .shard(&user.0)
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .entry(user.0.clone())
            .or_default()
            .push(Subscriber { id, tx, lagged: lagged.clone() });
        let guard = Unsubscribe { bus: self.inner.clone(), user: user.0.clone(), id };
        Subscription::new(rx, lagged, Box::new(guard))
    }
}

struct Unsubscribe {
    bus: Arc<Shards>,
    user: String,
    id: u64,
}

impl Drop for Unsubscribe {
    fn drop(&mut self) {
        let mut shard = self.bus.shard(&self.user).lock().unwrap_or_else(|p| p.into_inner());
        if let Some(subscribers) = shard.get_mut(&self.user) {
            subscribers.retain(|s| s.id != self.id);
            if subscribers.is_empty() {
                shard.remove(&self.user);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::events::Lagged;
    use marktchat_shared::chat::ServerFrame;

    fn user(id: &str) -> UserId {
        UserId(id.into())
    }

    #[tokio::test]
    async fn events_reach_every_subscriber_of_the_addressed_users_only() {
        let bus = InProcess::new();
        let mut a1 = bus.subscribe(&user("a"));
        let mut a2 = bus.subscribe(&user("a"));
        let mut b = bus.subscribe(&user("b"));
        bus.publish(&[user("a")], Event::Frame(ServerFrame::Pong));
        bus.publish(&[user("a"), user("b")], Event::UnreadChanged);
        for s in [&mut a1, &mut a2] {
            let first = s.recv().await.unwrap().unwrap();
            assert_eq!(first.event, Event::Frame(ServerFrame::Pong));
            assert_eq!(first.encoded.as_deref(), Some(r#"{"type":"pong"}"#));
            assert_eq!(s.recv().await.unwrap().unwrap().event, Event::UnreadChanged);
        }
        assert_eq!(b.recv().await.unwrap().unwrap().event, Event::UnreadChanged);
        assert_eq!(bus.subscribers(), 3);
        drop(a1);
        drop(b);
        assert_eq!(bus.subscribers(), 1);
    }

    #[tokio::test]
    async fn a_subscriber_that_falls_behind_is_dropped_and_told_so() {
        let bus = InProcess::new();
        let mut slow = bus.subscribe(&user("a"));
        let mut fast = bus.subscribe(&user("a"));
        for _ in 0..SUBSCRIBER_QUEUE {
            bus.publish(&[user("a")], Event::UnreadChanged);
            fast.recv().await.unwrap().unwrap();
        }
        // One more than fits: the slow one is dropped, the fast one goes on.
        bus.publish(&[user("a")], Event::UnreadChanged);
        fast.recv().await.unwrap().unwrap();
        for _ in 0..SUBSCRIBER_QUEUE {
            slow.recv().await.unwrap().unwrap();
        }
        assert_eq!(slow.recv().await.unwrap_err(), Lagged);
        assert_eq!(bus.subscribers(), 1);
    }

    #[tokio::test]
    async fn lagging_everyone_drops_every_subscriber_after_what_it_had() {
        let bus = InProcess::new();
        let mut a = bus.subscribe(&user("a"));
        let mut b = bus.subscribe(&user("b"));
        bus.publish(&[user("a")], Event::UnreadChanged);
        assert_eq!(bus.lag_all(), 2);
        assert_eq!(a.recv().await.unwrap().unwrap().event, Event::UnreadChanged);
        assert_eq!(a.recv().await.unwrap_err(), Lagged);
        assert_eq!(b.recv().await.unwrap_err(), Lagged);
        assert_eq!(bus.subscribers(), 0);
        // A new subscription after that works as before.
        let mut again = bus.subscribe(&user("a"));
        bus.publish(&[user("a")], Event::SessionsEnded);
        assert_eq!(again.recv().await.unwrap().unwrap().event, Event::SessionsEnded);
    }
}
