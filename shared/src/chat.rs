//! Conversations on the wire: what a message may be, the ids and sequence numbers that
//! make delivery exact, and the WebSocket protocol (one tagged serde enum each way).
//!
//! Delivery, as both ends implement it:
//! - the client picks a [`ClientMessageId`] for every message it writes and keeps the
//!   message in its outbox until the server's [`ServerFrame::Ack`] names that id;
//!   sending the same id again stores nothing new (the server answers with the stored
//!   message's [`Seq`]);
//! - the server numbers the messages of each conversation 1, 2, 3, … ([`Seq`]);
//! - on (re)connecting, the client says in [`ClientFrame::Hello`] the last sequence it
//!   has of each conversation it shows, and receives everything after it;
//! - with the sequence, the client names the client id of the message it holds there
//!   (the epoch of its copy): if the server's message at that place is another one, or
//!   none (the database was restored from an older backup, or moved), the client's copy
//!   is not the server's history, and the server answers [`ServerFrame::Reset`] instead
//!   of sending anything after it: the client loads the conversation afresh. Without
//!   this, numbers given out again after a restore would be skipped silently.
//!
//! Versioned: `Hello` carries [`PROTOCOL_VERSION`]; a server that does not speak it
//! answers [`ServerFrame::Error`] with [`ErrorCode::UnsupportedVersion`].

use crate::validation::{char_len, has_control_chars};
use crate::{Invalid, Timestamp, UserId};
use serde::{Deserialize, Serialize};

/// The protocol version this crate speaks.
pub const PROTOCOL_VERSION: u16 = 1;
/// The most characters a message may have, after trimming.
pub const MAX_MESSAGE_CHARS: usize = 4000;
/// The largest frame either side accepts (a message at its limit, in UTF-8 and JSON
/// escaping, fits with room to spare).
pub const MAX_FRAME_BYTES: usize = 64 * 1024;
/// The most conversations a `Hello` may ask to resume.
pub const MAX_RESUME: usize = 500;

/// Why the server closed a socket, as WebSocket close codes, and what the client does
/// next: reconnect (and resume) or stop.
pub mod close {
    /// The server is going down or restarting: reconnect in a moment.
    pub const RESTART: u16 = 1012;
    /// The client was silent too long (or went away): reconnect.
    pub const GOING_AWAY: u16 = 1001;
    /// The protocol was not followed (no `Hello`, wrong version): reconnecting
    /// would fail the same way.
    pub const PROTOCOL: u16 = 1002;
    /// A frame over [`super::MAX_FRAME_BYTES`].
    pub const TOO_LARGE: u16 = 1009;
    /// The socket fell too far behind (it stopped reading, or the live-event bus
    /// dropped it): reconnect and resume from the database.
    pub const BEHIND: u16 = 4000;
    /// The session behind the socket ended (logout, password change, account
    /// deletion, expiry): the person must log in again; no reconnect.
    pub const SESSION_ENDED: u16 = 4001;
    /// The user has too many sockets open: try again later, slowly.
    pub const TOO_MANY: u16 = 4002;

    /// Whether a client should reconnect after the server closed with `code`.
    pub fn reconnect_after(code: u16) -> bool {
        !matches!(code, PROTOCOL | TOO_LARGE | SESSION_ENDED)
    }
}

/// A message's text: 1–4,000 characters after trimming; line breaks and tabs kept
/// (CRLF becomes LF), other control characters refused. It is shown as text, never
/// as HTML.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MessageText(String);

impl MessageText {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if has_control_chars(input, true) {
            return Err(Invalid::ControlCharacters);
        }
        let text = input.replace("\r\n", "\n");
        let text = text.trim();
        match char_len(text) {
            0 => Err(Invalid::Empty),
            n if n > MAX_MESSAGE_CHARS => Err(Invalid::TooLong { max: MAX_MESSAGE_CHARS }),
            _ => Ok(MessageText(text.to_owned())),
        }
    }
}

string_newtype!(MessageText, serde);

/// The id the sender's client gives a message: 1–64 characters of `A–Z a–z 0–9 - _`
/// (a UUID fits). Unique per sender; a resend with the same id is the same message.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct ClientMessageId(String);

impl ClientMessageId {
    pub fn parse(input: &str) -> Result<Self, Invalid> {
        if input.is_empty() {
            return Err(Invalid::Empty);
        }
        if input.len() > 64 {
            return Err(Invalid::TooLong { max: 64 });
        }
        if !input.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_') {
            return Err(Invalid::ControlCharacters);
        }
        Ok(ClientMessageId(input.to_owned()))
    }
}

string_newtype!(ClientMessageId, serde);

/// A conversation's id (a UUID in text form).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ConversationId(pub String);

/// A message's place in its conversation: 1 for the first, then one more for each.
/// `Seq(0)` means "nothing yet" (resume from the start).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default, Serialize, Deserialize,
)]
pub struct Seq(pub u64);

impl Seq {
    pub fn next(self) -> Seq {
        Seq(self.0 + 1)
    }
}

/// A stored message as participants see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub conversation: ConversationId,
    pub seq: Seq,
    pub client_id: ClientMessageId,
    /// `None` for a deleted account's messages ("a deleted user").
    pub sender: Option<UserId>,
    /// For a [`MessageKind::Text`] the message itself; for a notice, a plain fallback
    /// for clients that do not know the kind (notifications, older pages).
    pub text: MessageText,
    pub sent_at: Timestamp,
    /// What the message is: something a person wrote, or a line about the conversation
    /// itself (who joined, who left). Absent on the wire for text.
    #[serde(default, skip_serializing_if = "MessageKind::is_text")]
    pub kind: MessageKind,
}

/// What a stored message is. A notice takes its place in the conversation's sequence
/// like any message (so resume and read marks cover it), everyone in the conversation
/// sees it, and nobody can write one: the server adds it when what it tells happens.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum MessageKind {
    /// Written by its sender.
    #[default]
    Text,
    /// `person` was added to the conversation by the message's sender.
    Joined { person: UserId },
    /// The message's sender left the conversation (or their account was deleted).
    Left,
}

impl MessageKind {
    pub fn is_text(&self) -> bool {
        matches!(self, MessageKind::Text)
    }

    /// The stored form: the `kind` column, and the person it names besides the sender.
    pub fn to_row(&self) -> (&'static str, Option<&UserId>) {
        match self {
            MessageKind::Text => ("text", None),
            MessageKind::Joined { person } => ("joined", Some(person)),
            MessageKind::Left => ("left", None),
        }
    }

    /// Back from [`to_row`](Self::to_row); `None` for a kind this version does not know
    /// or a notice without the person it needs.
    pub fn from_row(kind: &str, subject: Option<String>) -> Option<MessageKind> {
        match (kind, subject) {
            ("text", _) => Some(MessageKind::Text),
            ("joined", Some(person)) => Some(MessageKind::Joined { person: UserId(person) }),
            ("left", _) => Some(MessageKind::Left),
            _ => None,
        }
    }

    /// The plain text stored with a notice (see [`ChatMessage::text`]).
    pub fn fallback_text(&self) -> &'static str {
        match self {
            MessageKind::Text => "",
            MessageKind::Joined { .. } => "joined the conversation",
            MessageKind::Left => "left the conversation",
        }
    }
}

/// Where a client's copy of a conversation ends: it has everything up to `after`, and
/// the message it holds at `after` has the client id `last` (see the module
/// documentation; `None` from older clients, checked by `after` alone).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ResumeFrom {
    pub conversation: ConversationId,
    pub after: Seq,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last: Option<ClientMessageId>,
}

/// What the browser sends over `/ws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientFrame {
    /// First frame of every connection.
    Hello {
        version: u16,
        resume: Vec<ResumeFrom>,
    },
    /// A new message (or a resend from the outbox: same `client_id`).
    Send {
        conversation: ConversationId,
        client_id: ClientMessageId,
        text: MessageText,
    },
    /// The client now shows this conversation and has everything up to `after` (the
    /// message there being `last`, as in [`ResumeFrom`]): the server sends what came
    /// after, and keeps it complete from then on.
    Resume {
        conversation: ConversationId,
        after: Seq,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        last: Option<ClientMessageId>,
    },
    /// The user is typing (clients send it at most every few seconds).
    Typing {
        conversation: ConversationId,
    },
    /// The user has read everything up to `up_to`.
    Read {
        conversation: ConversationId,
        up_to: Seq,
    },
    Ping,
}

/// Why a conversation no longer takes messages.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ClosedReason {
    ListingDeactivated,
    ListingSold,
    ListingDeleted,
}

impl ClosedReason {
    pub fn as_str(self) -> &'static str {
        match self {
            ClosedReason::ListingDeactivated => "listing_deactivated",
            ClosedReason::ListingSold => "listing_sold",
            ClosedReason::ListingDeleted => "listing_deleted",
        }
    }

    pub fn parse(s: &str) -> Option<ClosedReason> {
        [ClosedReason::ListingDeactivated, ClosedReason::ListingSold, ClosedReason::ListingDeleted]
            .into_iter()
            .find(|r| r.as_str() == s)
    }

    /// Why a listing in `status` closes its conversations (`None`: it does not).
    pub fn for_listing(status: crate::listing::ListingStatus) -> Option<ClosedReason> {
        use crate::listing::ListingStatus::*;
        match status {
            Active | Reserved => None,
            Sold => Some(ClosedReason::ListingSold),
            Inactive => Some(ClosedReason::ListingDeactivated),
            Deleted => Some(ClosedReason::ListingDeleted),
        }
    }
}

/// What a refused frame was refused for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ErrorCode {
    UnsupportedVersion,
    /// Not JSON, not a known frame, a field out of its limits, or too large.
    BadFrame,
    /// No such conversation, or not one of the user's: the same answer for both.
    NotFound,
    /// The conversation is read-only, or the user may not write to this person.
    CannotSend,
    /// Too many messages in a short time; the message was not stored.
    RateLimited,
    /// The server could not store it now (busy, or a fault): keep it and try again.
    Unavailable,
}

/// What the server sends over `/ws`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerFrame {
    Welcome {
        version: u16,
    },
    /// A message, new or missed while away.
    Message {
        message: ChatMessage,
    },
    /// The message with `client_id` is stored as `seq`.
    Ack {
        conversation: ConversationId,
        client_id: ClientMessageId,
        seq: Seq,
    },
    Typing {
        conversation: ConversationId,
        user: UserId,
    },
    Read {
        conversation: ConversationId,
        user: UserId,
        up_to: Seq,
    },
    /// The conversation's listing went; it is archived and read-only now.
    Closed {
        conversation: ConversationId,
        reason: ClosedReason,
    },
    /// The listing is on offer again: the conversation takes messages again.
    Reopened {
        conversation: ConversationId,
    },
    /// The conversation's listing changed its state (reserved, sold, paused, on offer
    /// again): the page's header shows it.
    ListingChanged {
        conversation: ConversationId,
        status: crate::listing::ListingStatus,
    },
    /// Something else about the conversation changed for this user (archived, muted or
    /// deleted in another tab, a block): reload its state.
    Changed {
        conversation: ConversationId,
    },
    ParticipantAdded {
        conversation: ConversationId,
        user: UserId,
    },
    /// The client's copy of the conversation is not the server's history (it resumed
    /// from a message the server does not have there: the database was restored or
    /// moved). Nothing was sent after it: drop the copy and load the conversation again.
    Reset {
        conversation: ConversationId,
    },
    ParticipantLeft {
        conversation: ConversationId,
        user: UserId,
    },
    /// Unread messages over all the user's conversations (the header badge).
    Unread {
        total: u64,
    },
    /// A frame was refused; `client_id` names the message when it was a `Send`.
    Error {
        code: ErrorCode,
        client_id: Option<ClientMessageId>,
        /// For `RateLimited` and `Unavailable`: in how many seconds the message may be
        /// sent again (the client waits that long, and says so).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_secs: Option<u64>,
    },
    Pong,
}

/// Why a frame could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum FrameError {
    #[error("frame larger than {MAX_FRAME_BYTES} bytes")]
    TooLarge,
    #[error("unreadable frame: {0}")]
    Unreadable(String),
    #[error("more than {MAX_RESUME} conversations to resume")]
    TooManyResumes,
}

impl ClientFrame {
    /// Reads a frame from the browser, within the limits ([`MAX_FRAME_BYTES`],
    /// [`MAX_RESUME`], and every field's own rules).
    pub fn decode(text: &str) -> Result<ClientFrame, FrameError> {
        if text.len() > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge);
        }
        let frame: ClientFrame =
            serde_json::from_str(text).map_err(|e| FrameError::Unreadable(e.to_string()))?;
        if let ClientFrame::Hello { resume, .. } = &frame {
            if resume.len() > MAX_RESUME {
                return Err(FrameError::TooManyResumes);
            }
        }
        Ok(frame)
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ServerFrame {
    pub fn decode(text: &str) -> Result<ServerFrame, FrameError> {
        if text.len() > MAX_FRAME_BYTES {
            return Err(FrameError::TooLarge);
        }
        serde_json::from_str(text).map_err(|e| FrameError::Unreadable(e.to_string()))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clients_stop_after_an_ended_session_or_a_protocol_fault_only() {
        for code in [close::RESTART, close::GOING_AWAY, close::BEHIND, close::TOO_MANY, 1006] {
            assert!(close::reconnect_after(code), "{code}");
        }
        for code in [close::PROTOCOL, close::TOO_LARGE, close::SESSION_ENDED] {
            assert!(!close::reconnect_after(code), "{code}");
        }
    }

    #[test]
    fn message_text_is_trimmed_and_limited() {
        assert_eq!(
            MessageText::parse("  Hallo!\r\nNoch da?  ").unwrap().as_str(),
            "Hallo!\nNoch da?"
        );
        assert_eq!(MessageText::parse(" \n\t ").unwrap_err(), Invalid::Empty);
        assert_eq!(MessageText::parse("a\u{7}b").unwrap_err(), Invalid::ControlCharacters);
        let max = "ä".repeat(MAX_MESSAGE_CHARS);
        assert!(MessageText::parse(&format!("  {max}  ")).is_ok(), "4,000 characters, not bytes");
        assert_eq!(
            MessageText::parse(&format!("{max}x")).unwrap_err(),
            Invalid::TooLong { max: MAX_MESSAGE_CHARS }
        );
        assert_eq!(
            MessageText::parse("<b>fett</b>").unwrap().as_str(),
            "<b>fett</b>",
            "text as typed"
        );
    }

    #[test]
    fn client_ids_are_short_and_plain() {
        assert!(ClientMessageId::parse("5f0c1c2e-8d5e-4c5e-9f3a-1b2c3d4e5f60").is_ok());
        assert!(ClientMessageId::parse("a_B-9").is_ok());
        assert_eq!(ClientMessageId::parse("").unwrap_err(), Invalid::Empty);
        assert!(ClientMessageId::parse(&"x".repeat(65)).is_err());
        assert!(ClientMessageId::parse("a b").is_err());
        assert!(ClientMessageId::parse("ä").is_err());
    }

    #[test]
    fn frames_are_tagged_json_both_ways() {
        let send = ClientFrame::Send {
            conversation: ConversationId("c1".into()),
            client_id: ClientMessageId::parse("m1").unwrap(),
            text: MessageText::parse("Ist der Stuhl noch da?").unwrap(),
        };
        let json = send.encode();
        assert_eq!(
            json,
            r#"{"type":"send","conversation":"c1","client_id":"m1","text":"Ist der Stuhl noch da?"}"#
        );
        assert_eq!(ClientFrame::decode(&json).unwrap(), send);
        let hello = r#"{"type":"hello","version":1,"resume":[{"conversation":"c1","after":41}]}"#;
        assert_eq!(
            ClientFrame::decode(hello).unwrap(),
            ClientFrame::Hello {
                version: PROTOCOL_VERSION,
                resume: vec![ResumeFrom {
                    conversation: ConversationId("c1".into()),
                    after: Seq(41),
                    last: None,
                }],
            }
        );
        // The id of the message held last travels with the sequence when known.
        let resume = ClientFrame::Resume {
            conversation: ConversationId("c1".into()),
            after: Seq(41),
            last: Some(ClientMessageId::parse("m41").unwrap()),
        };
        assert_eq!(
            resume.encode(),
            r#"{"type":"resume","conversation":"c1","after":41,"last":"m41"}"#
        );
        assert_eq!(ClientFrame::decode(&resume.encode()).unwrap(), resume);
        let reset = ServerFrame::Reset { conversation: ConversationId("c1".into()) };
        assert_eq!(reset.encode(), r#"{"type":"reset","conversation":"c1"}"#);
        let ack = ServerFrame::Ack {
            conversation: ConversationId("c1".into()),
            client_id: ClientMessageId::parse("m1").unwrap(),
            seq: Seq(42),
        };
        assert_eq!(ServerFrame::decode(&ack.encode()).unwrap(), ack);
        assert_eq!(ServerFrame::Pong.encode(), r#"{"type":"pong"}"#);
        let error = ServerFrame::Error {
            code: ErrorCode::NotFound,
            client_id: None,
            retry_after_secs: None,
        };
        assert_eq!(error.encode(), r#"{"type":"error","code":"not_found","client_id":null}"#);
    }

    #[test]
    fn bad_frames_are_refused_not_trusted() {
        let bad = |text: &str| ClientFrame::decode(text).unwrap_err();
        assert!(matches!(bad("not json"), FrameError::Unreadable(_)));
        assert!(matches!(bad(r#"{"type":"shout"}"#), FrameError::Unreadable(_)));
        let extra = r#"{"type":"typing","conversation":"c","extra":1}"#;
        assert!(matches!(bad(extra), FrameError::Unreadable(_)), "unknown fields");
        // field rules hold inside frames too
        let empty = r#"{"type":"send","conversation":"c","client_id":"m","text":"   "}"#;
        assert!(matches!(bad(empty), FrameError::Unreadable(_)));
        let id = r#"{"type":"send","conversation":"c","client_id":"a b","text":"hi"}"#;
        assert!(matches!(bad(id), FrameError::Unreadable(_)));
        assert_eq!(bad(&" ".repeat(MAX_FRAME_BYTES + 1)), FrameError::TooLarge);
        let many: Vec<String> =
            (0..=MAX_RESUME).map(|i| format!(r#"{{"conversation":"c{i}","after":0}}"#)).collect();
        let hello = format!(r#"{{"type":"hello","version":1,"resume":[{}]}}"#, many.join(","));
        assert_eq!(bad(&hello), FrameError::TooManyResumes);
        // a message at its limit fits in a frame, even when every character needs escaping
        let max = ClientFrame::Send {
            conversation: ConversationId("c".repeat(36)),
            client_id: ClientMessageId::parse(&"m".repeat(64)).unwrap(),
            text: MessageText::parse(&"\"".repeat(MAX_MESSAGE_CHARS)).unwrap(),
        };
        assert!(ClientFrame::decode(&max.encode()).is_ok());
    }

    #[test]
    fn sequences_count_from_one() {
        assert_eq!(Seq::default().next(), Seq(1));
        assert!(Seq(2) > Seq(1));
    }
}
