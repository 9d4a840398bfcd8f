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
pub mod navigation;
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

/// Entry point of the WASM bundle: attaches to the server-rendered page. Asynchronous,
/// because the page's own code is a lazy chunk ([`pages::lazy`]) that may still be
/// loading; `body[data-hydrated]` is set once the whole page is interactive.
#[cfg(feature = "hydrate")]
#[wasm_bindgen::prelude::wasm_bindgen]
pub fn hydrate() {
    console_error_panic_hook::set_once();
    // An Err only means the executor was set up already.
    let _ = any_spawner::Executor::init_wasm_bindgen();
    leptos::task::spawn_local(async {
        let Some(body) = web_sys::window().and_then(|w| w.document()).and_then(|d| d.body()) else {
            return;
        };
        leptos::mount::hydrate_from_async(body.clone(), App).await.forget();
        // A marker for people and tests: the page is interactive now.
        let _ = body.set_attribute("data-hydrated", "true");
    });
}
