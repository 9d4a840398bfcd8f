//! The live-event seam: how a committed change reaches the open sockets of the people
//! it concerns.
//!
//! The database is the truth; events are an optimisation on top of it. A socket that
//! misses an event (it was not connected, or it fell behind) loses nothing: it reads
//! what it missed from the database, by sequence number, on resume. So a [`Bus`] may
//! drop a subscriber that cannot keep up, and it must say so ([`Subscription::recv`]
//! returns [`Lagged`]), never silently drop single events.
//!
//! [`InProcess`] is the bus of a single server; [`Nats`] the bus across several
//! servers (`--nats-url`), built on an `InProcess` for the sockets of its own process.
//! Nothing that uses a bus may assume one process.

mod in_process;
mod nats;

pub use in_process::InProcess;
pub use nats::{Nats, NatsError, DEFAULT_SUBJECT as DEFAULT_NATS_SUBJECT};

use marktchat_shared::chat::ServerFrame;
use marktchat_shared::UserId;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// How many events may wait for one subscriber before it counts as lagging.
pub const SUBSCRIBER_QUEUE: usize = 256;

/// Something that happened, addressed to users. Serialisable: a bus across servers
/// carries it as JSON.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Event {
    /// A frame to pass on as it is.
    Frame(ServerFrame),
    /// The user's unread total may have changed (they read something in another tab,
    /// or a message arrived): the socket works the new total out itself.
    UnreadChanged,
    /// Some of the user's sessions ended (logout, password change, account deletion,
    /// "log out everywhere"): each socket checks whether its own session is still
    /// there, and closes if not.
    SessionsEnded,
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
            Event::UnreadChanged | Event::SessionsEnded => None,
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
