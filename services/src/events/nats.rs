//! The bus across servers: events travel over core NATS to every instance, and each
//! instance hands them to the sockets of its own process through an [`InProcess`] bus.
//!
//! - One subject for the installation ([`Nats::connect`]'s `subject`), one
//!   subscription per process, always active: a socket that subscribes locally cannot
//!   miss an event that another instance publishes after that (the bus contract).
//!   Every instance receives every event and passes on those for its own sockets; at
//!   a handful of instances that costs less than a NATS subscription per user (see
//!   docs/scaling.md).
//! - Events for the publisher's own sockets go straight to them, not round the broker:
//!   a single instance with NATS behaves as one without, and NATS adds its hop only
//!   between instances. Envelopes carry the publishing process's id, so each process
//!   skips its own.
//! - Core NATS loses messages silently on a reconnect and drops them for a slow
//!   consumer. So every such moment lags every local subscriber ([`InProcess::lag_all`]):
//!   their sockets close with "behind", and the clients reconnect and resume from the
//!   database, which is the truth. The same happens when this process could not hand an
//!   event to NATS in time: it tells every instance so (an envelope without an event),
//!   and they lag their subscribers.
//! - Publishing never waits: events go through a bounded queue to one task that sends
//!   them in order.

use super::{Bus, Event, InProcess, Subscription};
use futures_util::StreamExt;
use marktchat_shared::UserId;
use serde::{Deserialize, Serialize};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Arc;
use tokio::sync::mpsc;

/// The subject an installation's events travel on, unless configured otherwise.
pub const DEFAULT_SUBJECT: &str = "marktchat.events";
/// Events waiting to be handed to NATS; past this they are dropped, and every
/// instance is told to lag its subscribers.
const OUTBOUND_QUEUE: usize = 16 * 1024;

/// What travels on the subject.
#[derive(Debug, Serialize, Deserialize)]
struct Envelope {
    /// The publishing process.
    origin: String,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    to: Vec<UserId>,
    /// `None`: the publisher lost events; every subscriber everywhere resumes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    event: Option<Event>,
}

/// Why the bus could not start.
#[derive(Debug, thiserror::Error)]
pub enum NatsError {
    #[error("cannot connect to NATS: {0}")]
    Connect(#[from] async_nats::ConnectError),
    #[error("cannot subscribe to {subject}: {source}")]
    Subscribe { subject: String, source: async_nats::SubscribeError },
}

/// The live-event bus over NATS. Cheap to clone.
#[derive(Clone)]
pub struct Nats {
    local: InProcess,
    origin: Arc<str>,
    outbound: mpsc::Sender<Vec<u8>>,
    /// Events were dropped on the way out: the sender announces it once the queue
    /// has room again.
    dropped: Arc<AtomicBool>,
    stats: Arc<Stats>,
}

/// Counts for logs and tests.
#[derive(Debug, Default)]
pub struct Stats {
    /// Times every local subscriber was lagged (reconnects, slow consumer, losses).
    pub lagged_all: AtomicU64,
    /// Envelopes from other instances handed to local subscribers.
    pub received: AtomicU64,
}

impl Nats {
    /// Connects to the NATS server(s) at `url` (`nats://host:4222`, or several
    /// separated by commas), subscribes to `subject` and starts the sending task.
    /// Fails if no server answers now; afterwards it reconnects by itself, for as long
    /// as it takes, and logs each loss and return.
    pub async fn connect(url: &str, subject: &str) -> Result<Nats, NatsError> {
        let local = InProcess::new();
        let stats = Arc::new(Stats::default());
        // The first connection's `Connected` (reported late, maybe after sockets have
        // subscribed) loses nothing; only one after a loss does.
        let lost = Arc::new(AtomicBool::new(false));
        let on_event = {
            let local = local.clone();
            let stats = stats.clone();
            move |event: async_nats::Event| {
                let local = local.clone();
                let stats = stats.clone();
                let lost = lost.clone();
                async move {
                    use async_nats::Event as E;
                    let lag = match &event {
                        E::Disconnected => {
                            tracing::warn!("lost the connection to NATS; reconnecting");
                            lost.store(true, Ordering::Release);
                            true
                        }
                        E::Connected => {
                            let again = lost.swap(false, Ordering::AcqRel);
                            if again {
                                tracing::info!("connected to NATS again");
                            }
                            again
                        }
                        E::SlowConsumer(_) => {
                            tracing::warn!("NATS dropped events for this instance (slow consumer)");
                            true
                        }
                        other => {
                            tracing::warn!(event = %other, "NATS");
                            false
                        }
                    };
                    if lag {
                        let n = local.lag_all();
                        stats.lagged_all.fetch_add(1, Ordering::Relaxed);
                        if n > 0 {
                            tracing::info!(sockets = n, "live sockets resume from the database");
                        }
                    }
                }
            }
        };
        let client = async_nats::ConnectOptions::new()
            .name("marktchat")
            .max_reconnects(None)
            .subscription_capacity(64 * 1024)
            .event_callback(on_event)
            .connect(url)
            .await?;
        let subscriber = client
            .subscribe(subject.to_owned())
            .await
            .map_err(|source| NatsError::Subscribe { subject: subject.to_owned(), source })?;
        let origin: Arc<str> = uuid::Uuid::new_v4().to_string().into();
        let (outbound, rx) = mpsc::channel(OUTBOUND_QUEUE);
        let bus = Nats { local, origin, outbound, dropped: Arc::default(), stats };
        tokio::spawn(bus.clone().receive(subscriber));
        tokio::spawn(bus.clone().send(client, subject.to_owned(), rx));
        Ok(bus)
    }

    /// The bus of this process's own sockets.
    pub fn local(&self) -> &InProcess {
        &self.local
    }

    pub fn stats(&self) -> &Stats {
        &self.stats
    }

    /// Hands other instances' events to the local subscribers.
    async fn receive(self, mut subscriber: async_nats::Subscriber) {
        while let Some(message) = subscriber.next().await {
            let envelope: Envelope = match serde_json::from_slice(&message.payload) {
                Ok(e) => e,
                Err(e) => {
                    tracing::warn!(error = %e, "unreadable event from NATS skipped");
                    continue;
                }
            };
            if *envelope.origin == *self.origin {
                continue;
            }
            match envelope.event {
                Some(event) => {
                    self.stats.received.fetch_add(1, Ordering::Relaxed);
                    self.local.publish(&envelope.to, event);
                }
                None => {
                    tracing::warn!("another instance lost events; live sockets resume");
                    self.stats.lagged_all.fetch_add(1, Ordering::Relaxed);
                    self.local.lag_all();
                }
            }
        }
        tracing::error!("the NATS subscription ended: no more events from other instances");
    }

    /// Hands this process's events to NATS, in order.
    async fn send(
        self,
        client: async_nats::Client,
        subject: String,
        mut rx: mpsc::Receiver<Vec<u8>>,
    ) {
        while let Some(payload) = rx.recv().await {
            // The client queues while it reconnects; an error means it gave up.
            if let Err(e) = client.publish(subject.clone(), payload.into()).await {
                tracing::warn!(error = %e, "an event could not be handed to NATS");
                self.dropped.store(true, Ordering::Release);
            }
            if rx.is_empty() && self.dropped.swap(false, Ordering::AcqRel) {
                let lost = Envelope { origin: self.origin.to_string(), to: vec![], event: None };
                let payload = serde_json::to_vec(&lost).unwrap_or_default();
                if client.publish(subject.clone(), payload.into()).await.is_err() {
                    self.dropped.store(true, Ordering::Release);
                }
            }
        }
    }
}

impl Bus for Nats {
    fn publish(&self, to: &[UserId], event: Event) {
        let envelope =
            Envelope { origin: self.origin.to_string(), to: to.to_vec(), event: Some(event) };
        match serde_json::to_vec(&envelope) {
            Ok(payload) => {
                if self.outbound.try_send(payload).is_err()
                    && !self.dropped.swap(true, Ordering::AcqRel)
                {
                    tracing::warn!("events for other instances are piling up; dropping");
                }
            }
            Err(e) => tracing::error!(error = %e, "an event could not be encoded"),
        }
        if let Some(event) = envelope.event {
            self.local.publish(to, event);
        }
    }

    fn subscribe(&self, user: &UserId) -> Subscription {
        self.local.subscribe(user)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use marktchat_shared::chat::ServerFrame;

    #[test]
    fn envelopes_round_trip_and_an_empty_one_means_lost() {
        let e = Envelope {
            origin: "p1".into(),
            to: vec![UserId("u1".into())],
            event: Some(Event::Frame(ServerFrame::Unread { total: 3 })),
        };
        let text = serde_json::to_string(&e).unwrap();
        let back: Envelope = serde_json::from_str(&text).unwrap();
        assert_eq!(back.to, e.to);
        assert_eq!(back.event, e.event);
        for event in [Event::UnreadChanged, Event::SessionsEnded] {
            let text = serde_json::to_string(&Envelope {
                origin: "p".into(),
                to: vec![],
                event: Some(event.clone()),
            })
            .unwrap();
            assert_eq!(serde_json::from_str::<Envelope>(&text).unwrap().event, Some(event));
        }
        let lost: Envelope = serde_json::from_str(r#"{"origin":"p2"}"#).unwrap();
        assert!(lost.event.is_none() && lost.to.is_empty());
    }
}
