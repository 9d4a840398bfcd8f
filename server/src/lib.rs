//! The `marktchat` server: configuration, the axum router around the Leptos app,
//! the session middleware, and plain HTTP endpoints (health, data export).
//! - [`ws`]: `/ws`, the live side of conversations.
//! - [`sync`]: `/sync/*`, the Sync API for tags and contact rules (bearer tokens).
//! - [`bot`]: `/bot/ws`, the help bot's anonymous socket, and the widget's files.
//! - [`transfer`]: the `export` and `import` commands (progress bars around
//!   `services::transfer`).

pub mod assets;
pub mod bot;
pub mod cli;
pub mod flash;
pub mod http_api;
pub mod security;
pub mod session;
pub mod socket_close;
pub mod startup;
pub mod sync;
pub mod tls;
pub mod transfer;
pub mod ws;

pub use startup::{build_router, spawn, Config, Running};
