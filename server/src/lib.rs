//! The `marktchat` server: configuration, the axum router around the Leptos app,
//! the session middleware, and plain HTTP endpoints (health, data export).
//! Later: the WebSocket hub, the Sync API and the bot live here too.

pub mod assets;
pub mod cli;
pub mod http_api;
pub mod security;
pub mod session;
pub mod startup;

pub use startup::{build_router, spawn, Config, Running};
