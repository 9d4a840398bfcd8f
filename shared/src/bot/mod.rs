//! The help bot's pure parts, used by the server and the widget alike.
//!
//! - [`code`]: chat codes, the short form of a chat's id a visitor uses to delete
//!   its transcript later.

pub mod code;

pub use code::{ChatCode, CodeError};
