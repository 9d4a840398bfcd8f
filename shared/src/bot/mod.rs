//! The help bot's pure parts, used by the server and the widget alike.
//!
//! - [`code`]: chat codes, the short form of a chat's id a visitor uses to delete
//!   its transcript later;
//! - [`dialog`]: the "find a listing" dialog, whose state travels with each message
//!   (`phrases` reads its messages);
//! - [`knowledge`]: the knowledge base (intents with examples and answers in both
//!   languages) and the deterministic matcher that finds a question's intent;
//! - [`language_guess`]: which language a message is written in, so the bot answers
//!   in it;
//! - [`protocol`]: the bot socket's frames, one tagged JSON enum each way.

pub mod code;
pub mod dialog;
#[cfg(test)]
mod dialog_sentences;
pub mod knowledge;
pub mod language_guess;
mod phrases;
pub mod protocol;

pub use code::{ChatCode, CodeError};
pub use dialog::{FindListing, Next, Step};
pub use knowledge::{Found, Intent, KnowledgeBase, KnowledgeError, Localized, Matcher};
pub use language_guess::guess_language;
pub use protocol::{BotClientFrame, BotServerFrame, StorageMode};
