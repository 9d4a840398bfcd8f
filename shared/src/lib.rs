//! Pure domain code shared by the browser (WASM) and the server.
//!
//! Invariant: nothing in here does I/O. It must build for `wasm32-unknown-unknown`
//! without tokio, sqlx or mio in its dependency tree (the test command checks this).
//!
//! - [`account`]: the validated pieces of an account (e-mail, display name, password
//!   policy, profile fields, roles) — "parse, don't validate": a value of these types
//!   is valid by construction.
//! - [`bot`]: the help bot's pure parts: chat codes, the "find a listing" dialog,
//!   the knowledge base and its deterministic matcher, the bot socket's frames.
//! - [`chat`]: conversations on the wire: message limits, ids, sequence numbers and
//!   the WebSocket protocol (one tagged enum each way).
//! - [`conversation`]: what the inbox and a conversation page show, and the rules
//!   behind it (grouping by listing, delivery states, links in message text).
//! - [`language`]: the UI languages and `Accept-Language` negotiation.
//! - [`listing`]: the fields of a classified ad (title, description, price, postal code,
//!   city) and the fixed two-level category tree.
//! - [`outbox`]: the browser's side of exact delivery: the outbox of unacknowledged
//!   messages, a conversation's timeline without duplicates, reconnect backoff.
//! - [`rules`]: contact rules: tags, the condition language (parser, printer) and the
//!   compiled rule set that decides who may start a conversation with whom.
//! - [`search`]: a listing search as it stands in the URL, its validation, query
//!   words and the keyset-pagination cursor.
//! - [`time`]: timestamps as portable integers and their calendar dates.
//! - [`validation`]: the machine-readable reasons a value is rejected; the UI
//!   translates them, the server returns them.

#[macro_use]
mod macros;

pub mod account;
pub mod bot;
pub mod chat;
pub mod conversation;
pub mod language;
pub mod listing;
pub mod outbox;
pub mod password_strength;
pub mod rules;
pub mod safety;
pub mod search;
pub mod time;
pub mod validation;

pub use account::{
    Activity, Bio, CurrentUser, DirectoryPage, DisplayName, Email, LastActive, Location, Password,
    Profile, PublicProfile, ReplyTime, Role, UserId,
};
pub use language::Language;
pub use time::{Timestamp, Zone};
pub use validation::{Field, FieldProblem, Invalid, Problems};
