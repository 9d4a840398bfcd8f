//! The browser side of exact delivery, as plain data (tested here, run in WASM):
//!
//! - [`Outbox`]: messages written but not yet acknowledged. It survives a reload
//!   (the client keeps it in local storage as JSON) and is sent again, whole, after
//!   every reconnect; the server stores a resend with the same client id only once.
//! - [`Timeline`]: a conversation's stored messages as the client holds them, ordered
//!   by sequence number, each once, however often the server sends it.
//! - [`Backoff`]: how long to wait before reconnecting, with jitter.

use crate::chat::{ChatMessage, ClientFrame, ClientMessageId, ConversationId, MessageText, Seq};
use crate::Timestamp;
use serde::{Deserialize, Serialize};

/// The most messages an outbox holds; writing more while offline is refused.
pub const OUTBOX_LIMIT: usize = 200;

/// A message waiting for the server's acknowledgement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    pub conversation: ConversationId,
    pub client_id: ClientMessageId,
    pub text: MessageText,
    pub written_at: Timestamp,
}

impl Pending {
    pub fn frame(&self) -> ClientFrame {
        ClientFrame::Send {
            conversation: self.conversation.clone(),
            client_id: self.client_id.clone(),
            text: self.text.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Outbox {
    items: Vec<Pending>,
}

/// The outbox is full: the message was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OutboxFull;

impl Outbox {
    /// Reads a stored outbox; anything unreadable counts as empty.
    pub fn from_json(text: &str) -> Outbox {
        serde_json::from_str(text).unwrap_or_default()
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }

    pub fn add(&mut self, pending: Pending) -> Result<(), OutboxFull> {
        if self.items.iter().any(|p| p.client_id == pending.client_id) {
            return Ok(());
        }
        if self.items.len() >= OUTBOX_LIMIT {
            return Err(OutboxFull);
        }
        self.items.push(pending);
        Ok(())
    }

    /// The server stored `client_id`: it leaves the outbox.
    pub fn acknowledge(&mut self, client_id: &ClientMessageId) -> Option<Pending> {
        let at = self.items.iter().position(|p| &p.client_id == client_id)?;
        Some(self.items.remove(at))
    }

    /// Everything waiting, oldest first.
    pub fn all(&self) -> &[Pending] {
        &self.items
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// What waits for one conversation, oldest first.
    pub fn for_conversation<'a>(
        &'a self,
        conversation: &'a ConversationId,
    ) -> impl Iterator<Item = &'a Pending> + 'a {
        self.items.iter().filter(move |p| &p.conversation == conversation)
    }
}

/// A conversation's stored messages: ordered by sequence number, each once.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Timeline {
    messages: Vec<ChatMessage>,
}

impl Timeline {
    pub fn new(mut messages: Vec<ChatMessage>) -> Timeline {
        messages.sort_by_key(|m| m.seq);
        messages.dedup_by_key(|m| m.seq);
        Timeline { messages }
    }

    /// Adds a message unless it is there already. Returns whether it was new.
    pub fn insert(&mut self, message: ChatMessage) -> bool {
        match self.messages.binary_search_by_key(&message.seq, |m| m.seq) {
            Ok(_) => false,
            Err(at) => {
                self.messages.insert(at, message);
                true
            }
        }
    }

    pub fn messages(&self) -> &[ChatMessage] {
        &self.messages
    }

    /// The newest sequence number held (0 for none): what to resume from.
    pub fn last_seq(&self) -> Seq {
        self.messages.last().map(|m| m.seq).unwrap_or_default()
    }

    /// The client id of the newest message held: with [`last_seq`](Self::last_seq),
    /// where the copy stands (`shared::chat`'s resume check).
    pub fn last_client_id(&self) -> Option<ClientMessageId> {
        self.messages.last().map(|m| m.client_id.clone())
    }

    /// Whether a message with this client id is stored (its outbox copy can go).
    pub fn has_client_id(&self, client_id: &ClientMessageId) -> bool {
        self.messages.iter().any(|m| &m.client_id == client_id)
    }
}

/// Reconnect delays: 0.5 s, 1 s, 2 s, … up to 30 s, each scaled by a random factor
/// between 0.5 and 1 so that many clients cut off together do not return together.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Backoff {
    attempt: u32,
}

impl Backoff {
    const FIRST_MS: u64 = 500;
    const MAX_MS: u64 = 30_000;

    /// The wait before the next attempt; `random` is in `0.0..1.0`.
    pub fn next_delay_ms(&mut self, random: f64) -> u64 {
        let base = (Self::FIRST_MS << self.attempt.min(16)).min(Self::MAX_MS);
        self.attempt = self.attempt.saturating_add(1);
        let factor = 0.5 + random.clamp(0.0, 1.0) / 2.0;
        (base as f64 * factor) as u64
    }

    /// A connection worked: start again from the shortest wait.
    pub fn reset(&mut self) {
        self.attempt = 0;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::UserId;

    fn pending(conv: &str, id: &str) -> Pending {
        Pending {
            conversation: ConversationId(conv.into()),
            client_id: ClientMessageId::parse(id).unwrap(),
            text: MessageText::parse("hallo").unwrap(),
            written_at: Timestamp(1),
        }
    }

    fn message(seq: u64, id: &str) -> ChatMessage {
        ChatMessage {
            conversation: ConversationId("c".into()),
            seq: Seq(seq),
            client_id: ClientMessageId::parse(id).unwrap(),
            sender: Some(UserId("u".into())),
            text: MessageText::parse("x").unwrap(),
            sent_at: Timestamp(0),
            kind: Default::default(),
        }
    }

    #[test]
    fn the_outbox_keeps_messages_until_acknowledged_and_survives_a_reload() {
        let mut outbox = Outbox::default();
        outbox.add(pending("c", "a")).unwrap();
        outbox.add(pending("d", "b")).unwrap();
        outbox.add(pending("c", "a")).unwrap();
        assert_eq!(outbox.all().len(), 2, "the same id is taken once");
        let reloaded = Outbox::from_json(&outbox.to_json());
        assert_eq!(reloaded, outbox);
        let c = ConversationId("c".into());
        assert_eq!(outbox.for_conversation(&c).count(), 1);
        let acked = outbox.acknowledge(&ClientMessageId::parse("a").unwrap()).unwrap();
        assert_eq!(acked.frame(), pending("c", "a").frame());
        assert!(outbox.acknowledge(&ClientMessageId::parse("a").unwrap()).is_none());
        assert_eq!(outbox.all().len(), 1);
        assert_eq!(Outbox::from_json("not json"), Outbox::default());
    }

    #[test]
    fn a_full_outbox_refuses_more() {
        let mut outbox = Outbox::default();
        for i in 0..OUTBOX_LIMIT {
            outbox.add(pending("c", &format!("m{i}"))).unwrap();
        }
        assert_eq!(outbox.add(pending("c", "one-more")), Err(OutboxFull));
    }

    #[test]
    fn the_timeline_holds_each_message_once_in_order() {
        let mut t = Timeline::new(vec![message(2, "b"), message(1, "a"), message(2, "b")]);
        assert_eq!(t.messages().len(), 2);
        assert!(t.insert(message(4, "d")));
        assert!(t.insert(message(3, "c")));
        assert!(!t.insert(message(3, "c")));
        assert_eq!(t.messages().iter().map(|m| m.seq.0).collect::<Vec<_>>(), [1, 2, 3, 4]);
        assert_eq!(t.last_seq(), Seq(4));
        assert!(t.has_client_id(&ClientMessageId::parse("c").unwrap()));
        assert_eq!(Timeline::default().last_seq(), Seq(0));
    }

    #[test]
    fn reconnect_delays_grow_with_jitter_up_to_a_ceiling() {
        let mut b = Backoff::default();
        assert_eq!(b.next_delay_ms(1.0), 500);
        assert_eq!(b.next_delay_ms(0.0), 500);
        assert_eq!(b.next_delay_ms(1.0), 2000);
        for _ in 0..20 {
            assert!(b.next_delay_ms(1.0) <= 30_000);
        }
        assert_eq!(b.next_delay_ms(0.0), 15_000);
        b.reset();
        assert_eq!(b.next_delay_ms(1.0), 500);
    }
}
