//! The marktchat user interface: Leptos components, routes and server functions.
//!
//! Built twice: with feature `ssr` into the server (rendering pages, running server
//! functions against `marktchat_services`), and with feature `hydrate` into the WASM
//! bundle that makes the server-rendered pages interactive.
// Deeply nested views (the admin rule editor) have deep types.
#![recursion_limit = "256"]

pub mod api;
pub mod app;
pub mod components;
pub mod error;
pub mod i18n;
pub mod live;
pub mod pages;
pub mod resource;

pub use app::{shell, App};

// The server and the WASM bundle must both be built with type-erased views, or the
// pages do not hydrate. `.cargo/config.toml` sets it; a RUSTFLAGS in the environment
// replaces that setting, so say so instead of building a site that breaks.
#[cfg(not(erase_components))]
compile_error!(
    "build with `--cfg erase_components` (.cargo/config.toml sets it, but a RUSTFLAGS \
     in the environment replaces it: add `--cfg erase_components` to it, or use \
     `cargo xtask build`, which always does)"
);

/// Entry point of the WASM bundle, called by the page's script (`app::IslandScripts`)
/// before it hydrates the page's islands one by one.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    leptos::mount::hydrate_islands();
}
