//! The help bot's socket protocol: one tagged JSON enum each way, versioned in
//! `Start`. The socket is anonymous and separate from the marketplace's `/ws`; the
//! widget opens it only when the visitor sends a first message or presses Start.

use super::code::ChatCode;
use super::dialog::{FindListing, Step};
use crate::language::Language;
use serde::{Deserialize, Serialize};

/// The protocol version a widget speaks.
pub const BOT_PROTOCOL_VERSION: u16 = 1;
/// The largest frame either side sends.
pub const MAX_BOT_FRAME_BYTES: usize = 8 * 1024;
/// The longest message a visitor may send, in characters.
pub const MAX_VISITOR_TEXT: usize = 1_000;
/// The most earlier chat codes one request deletes.
pub const MAX_CODES: usize = 50;

/// Whether the transcript is kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum StorageMode {
    /// Kept, so the operator can improve the answers; deletable by its code.
    #[default]
    Stored,
    /// Used only to answer, then dropped: nothing of it is written anywhere.
    Private,
}

/// What the widget sends.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum BotClientFrame {
    /// Starts a chat (first frame, and again after `Forget`).
    Start {
        version: u16,
        /// `de` or `en`.
        #[serde(with = "language_code")]
        language: Language,
        mode: StorageMode,
    },
    /// The visitor wrote something. `dialog` is the find-a-listing state so far, as
    /// the last reply handed it over.
    Say {
        text: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dialog: Option<FindListing>,
    },
    /// The visitor pressed a quick reply (an intent's id).
    Choose {
        intent: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dialog: Option<FindListing>,
    },
    /// Keep or stop keeping this chat from now on.
    SetMode { mode: StorageMode },
    /// The one button: end this chat, delete its transcript, start a new private one.
    Forget,
    /// Delete the transcripts of these earlier chats (this browser's codes, or one
    /// typed in). The answer is the same whether they existed or not.
    DeleteCodes { codes: Vec<String> },
    /// The visitor ends the chat.
    End,
}

/// A quick-reply button.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuickReply {
    pub intent: String,
    pub label: String,
}

/// A listing found by the dialog.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResultLink {
    pub title: String,
    /// A path on the marketplace (`/listings/…`); the widget makes it absolute.
    pub path: String,
    /// The price as shown ("25 €", "zu verschenken").
    pub price: String,
}

/// Why a chat ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EndReason {
    Visitor,
    Idle,
    ServerStopping,
}

/// What went wrong with a frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BotErrorCode {
    BadFrame,
    UnsupportedVersion,
    NotStarted,
    TooLong,
    /// Too many messages or code attempts: wait `retry_after_secs`.
    RateLimited,
    Unavailable,
}

/// What the server sends.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BotServerFrame {
    /// The chat runs: its code (to note for deleting it later) and mode.
    Started {
        code: ChatCode,
        mode: StorageMode,
    },
    /// The bot's answer.
    Reply {
        text: String,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        quick_replies: Vec<QuickReply>,
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        links: Vec<ResultLink>,
        /// The dialog's state to send back with the next message, while one runs.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        dialog: Option<FindListing>,
        /// What the dialog asks now.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        asks: Option<Step>,
        /// A link to the full search for what the dialog found.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        more: Option<String>,
    },
    ModeSet {
        mode: StorageMode,
    },
    /// The transcripts asked for are gone (or never were: the answer is the same).
    Deleted,
    Ended {
        reason: EndReason,
    },
    Error {
        code: BotErrorCode,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        retry_after_secs: Option<u64>,
    },
}

/// A language as its code (`de`, `en`), as the widget's `data-language` has it.
mod language_code {
    use crate::language::Language;
    use serde::{Deserialize, Deserializer, Serializer};

    pub fn serialize<S: Serializer>(language: &Language, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(language.code())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Language, D::Error> {
        let code = String::deserialize(d)?;
        Language::parse(&code).map_err(serde::de::Error::custom)
    }
}

/// Why a frame was not read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BotFrameError {
    #[error("frame larger than {MAX_BOT_FRAME_BYTES} bytes")]
    TooLarge,
    #[error("unreadable frame: {0}")]
    Unreadable(String),
    #[error("more than {MAX_CODES} codes")]
    TooManyCodes,
    #[error("a message longer than {MAX_VISITOR_TEXT} characters")]
    TooLong,
}

impl BotClientFrame {
    /// Reads a frame from the widget, within the limits.
    pub fn decode(text: &str) -> Result<BotClientFrame, BotFrameError> {
        if text.len() > MAX_BOT_FRAME_BYTES {
            return Err(BotFrameError::TooLarge);
        }
        let frame: BotClientFrame =
            serde_json::from_str(text).map_err(|e| BotFrameError::Unreadable(e.to_string()))?;
        match &frame {
            BotClientFrame::DeleteCodes { codes } if codes.len() > MAX_CODES => {
                Err(BotFrameError::TooManyCodes)
            }
            BotClientFrame::Say { text, .. } if text.chars().count() > MAX_VISITOR_TEXT => {
                Err(BotFrameError::TooLong)
            }
            _ => Ok(frame),
        }
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl BotServerFrame {
    pub fn decode(text: &str) -> Result<BotServerFrame, BotFrameError> {
        if text.len() > MAX_BOT_FRAME_BYTES {
            return Err(BotFrameError::TooLarge);
        }
        serde_json::from_str(text).map_err(|e| BotFrameError::Unreadable(e.to_string()))
    }

    pub fn encode(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_are_tagged_json() {
        let start = BotClientFrame::Start {
            version: BOT_PROTOCOL_VERSION,
            language: Language::En,
            mode: StorageMode::Private,
        };
        assert_eq!(
            start.encode(),
            r#"{"type":"start","version":1,"language":"en","mode":"private"}"#
        );
        let say =
            BotClientFrame::decode(r#"{"type":"say","text":"Hallo","dialog":{"what":"Rad"}}"#)
                .unwrap();
        let dialog = FindListing { what: Some("Rad".into()), ..FindListing::default() };
        assert_eq!(say, BotClientFrame::Say { text: "Hallo".into(), dialog: Some(dialog) });
        let started = BotServerFrame::Started {
            code: ChatCode::parse("K7QM-4XPA-92TD").unwrap(),
            mode: StorageMode::Stored,
        };
        assert_eq!(
            started.encode(),
            r#"{"type":"started","code":"K7QM-4XPA-92TD","mode":"stored"}"#
        );
        assert_eq!(BotServerFrame::decode(&started.encode()).unwrap(), started);
        let reply = BotServerFrame::Reply {
            text: "Hi".into(),
            quick_replies: vec![],
            links: vec![],
            dialog: None,
            asks: None,
            more: None,
        };
        assert_eq!(reply.encode(), r#"{"type":"reply","text":"Hi"}"#, "empty parts are left out");
    }

    #[test]
    fn limits_hold() {
        let long = format!(r#"{{"type":"say","text":"{}"}}"#, "a".repeat(MAX_VISITOR_TEXT + 1));
        assert_eq!(BotClientFrame::decode(&long), Err(BotFrameError::TooLong));
        let huge = format!(r#"{{"type":"say","text":"{}"}}"#, "a".repeat(MAX_BOT_FRAME_BYTES));
        assert_eq!(BotClientFrame::decode(&huge), Err(BotFrameError::TooLarge));
        let codes: Vec<String> = (0..=MAX_CODES).map(|_| "K7QM-4XPA-92TD".to_owned()).collect();
        let many = BotClientFrame::DeleteCodes { codes }.encode();
        assert_eq!(BotClientFrame::decode(&many), Err(BotFrameError::TooManyCodes));
        assert!(matches!(
            BotClientFrame::decode(r#"{"type":"say","text":"x","extra":1}"#),
            Err(BotFrameError::Unreadable(_))
        ));
        assert!(matches!(BotClientFrame::decode("{"), Err(BotFrameError::Unreadable(_))));
        assert!(matches!(
            BotClientFrame::decode(
                r#"{"type":"start","version":1,"language":"fr","mode":"stored"}"#
            ),
            Err(BotFrameError::Unreadable(_))
        ));
    }
}
