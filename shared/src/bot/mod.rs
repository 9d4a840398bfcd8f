//! The help bot's pure parts, used by the server and the widget alike.
//!
//! - [`code`]: chat codes, the short form of a chat's id a visitor uses to delete
//!   its transcript later;
//! - [`dialog`]: the "find a listing" dialog, whose state travels with each message.

pub mod code;
pub mod dialog;

pub use code::{ChatCode, CodeError};
pub use dialog::{FindListing, Next, Step};
