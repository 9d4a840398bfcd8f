//! The live-event seam: how a committed change reaches the open sockets of the people
//! it concerns.
//!
//! The database is the truth; events are an optimisation on top of it. A socket that
//! misses an event (it was not connected, or it fell behind) loses nothing: it reads
//! what it missed from the database, by sequence number, on resume. So a [`Bus`] may
//! drop a subscriber that cannot keep up, and it must say so ([`Subscription::recv`]
//! returns [`Lagged`]), never silently drop single events.
//!
//! [`InProcess`] is the bus of a single server. A bus across several servers (NATS)
//! implements the same trait; nothing that uses it may assume one process.

use marktchat_shared::chat::ServerFrame;
use marktchat_shared::UserId;
use std::collections::HashMap;
use std::hash::{BuildHasher, RandomState};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use tokio::sync::mpsc;

/// How many events may wait for one subscriber before it counts as lagging.
pub const SUBSCRIBER_QUEUE: usize = 256;

/// Something that happened, addressed to users.
#[derive(Debug, Clone, PartialEq)]
pub enum Event {
    /// A frame to pass on as it is.
    Frame(ServerFrame),
    /// The user's unread total may have changed (they read something in another tab,
    /// or a message arrived): the socket works the new total out itself.
    UnreadChanged,
}

/// An event with its frame already encoded: encoded once, sent to every socket.
#[derive(Debug)]
pub struct Published {
    pub event: Event,
    /// The JSON text of [`Event::Frame`].
    pub encoded: Option<String>,
}

impl Published {
    pub fn new(event: Event) -> Arc<Published> {
        let encoded = match &event {
            Event::Frame(f) => Some(f.encode()),
            Event::UnreadChanged => None,
        };
        Arc::new(Published { event, encoded })
    }
}

/// The subscriber fell too far behind and was dropped: read from the database.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lagged;

/// Delivers events to the subscribers of the users they are addressed to.
pub trait Bus: Send + Sync + 'static {
    /// Passes `event` to every current subscriber of every user in `to`. Never waits:
    /// a subscriber whose queue is full is dropped (and learns it is lagging).
    fn publish(&self, to: &[UserId], event: Event);

    /// Starts receiving the events addressed to `user`. Events published before this
    /// returns are not received: subscribe first, then read the database.
    fn subscribe(&self, user: &UserId) -> Subscription;
}

/// One subscriber's events, in the order they were published.
pub struct Subscription {
    rx: mpsc::Receiver<Arc<Published>>,
    lagged: Arc<AtomicBool>,
    /// Unsubscribes when dropped.
    _guard: Box<dyn Send + Sync>,
}

impl Subscription {
    /// Builds a subscription (for [`Bus`] implementations).
    pub fn new(
        rx: mpsc::Receiver<Arc<Published>>,
        lagged: Arc<AtomicBool>,
        guard: Box<dyn Send + Sync>,
    ) -> Subscription {
        Subscription { rx, lagged, _guard: guard }
    }

    /// The next event. `Err(Lagged)` once the bus dropped this subscriber; `Ok(None)`
    /// when the bus is shutting down.
    pub async fn recv(&mut self) -> Result<Option<Arc<Published>>, Lagged> {
        match self.rx.recv().await {
            Some(e) => Ok(Some(e)),
            None if self.lagged.load(Ordering::Acquire) => Err(Lagged),
            None => Ok(None),
        }
    }
}

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
}
