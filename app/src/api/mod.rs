//! Server functions, one module per area. Each is callable from components (and, at
//! its fixed `/api/...` URL, from plain HTML forms without JavaScript). Bodies run on
//! the server only; they call `marktchat_services` and never touch SQL themselves.

pub mod admin;
pub mod auth;
pub mod bot;
pub mod conversations;
pub mod email;
pub mod listings;
pub mod password;
pub mod profile;
pub mod users;

#[cfg(feature = "ssr")]
pub mod ctx;
