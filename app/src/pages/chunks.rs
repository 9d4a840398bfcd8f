//! Preload links for the front end, added by the server to the `<head>` of a page
//! that has islands: the main module ([`preload_front_end`]) and, for a lazy island,
//! its chunks ([`preload_chunks`]), so the browser fetches them while it reads the page
//! instead of one after the other. A page without islands links nothing: it loads no
//! WebAssembly. Every link holds only where scripts run (`media="(scripting: enabled)"`,
//! [`SCRIPTING`]): a browser without JavaScript would download what it never runs.
//!
//! `cargo xtask build` writes which chunks each lazy function needs to `pkg/split-manifest.json`
//! ([`SplitManifest::FILE`]); the server reads it at startup and provides it as a
//! context. Leptos has this built in (from `__wasm_split_manifest.json`), but it looks
//! the manifest up outside the request's reactive owner, so whether a response gets the
//! links depends on which thread renders it (leptos_integration_utils 0.8.9,
//! `ExtendResponse::from_app`). The file has another name so that lookup finds nothing
//! and only these links, always present, are written.

use leptos::prelude::*;
use std::collections::HashMap;

/// The media query of every preload link: a browser preloads only where it matches.
pub const SCRIPTING: &str = "(scripting: enabled)";
use std::sync::{Arc, Mutex};

/// Which chunks each lazy function needs, and the loader that fetches them; per request,
/// which files' links were added already (a page's view may be built more than once
/// while it renders, and two lazy islands on one page may share chunks and always share the
/// loader).
#[derive(Clone, Debug, Default)]
pub struct SplitManifest(Arc<Manifest>, Arc<Mutex<Vec<String>>>);

#[derive(Debug, Default, serde::Deserialize)]
struct Manifest {
    /// Where the files are served, e.g. `/pkg` (set by the server, not in the file).
    #[serde(skip)]
    pkg_url: String,
    /// The chunk loader module (`__wasm_split…js`).
    loader: String,
    /// Chunk names (without `.wasm`) by split point, as wasm-split names them: the
    /// lazy function's name, `_`, and a hash of where the macro stands.
    chunks: HashMap<String, Vec<String>>,
}

impl SplitManifest {
    /// The manifest's file name in the `pkg` folder.
    pub const FILE: &str = "split-manifest.json";

    /// Reads the manifest's JSON; the files are served under `pkg_url`.
    pub fn parse(json: &str, pkg_url: &str) -> Result<Self, serde_json::Error> {
        let mut manifest: Manifest = serde_json::from_str(json)?;
        manifest.pkg_url = pkg_url.trim_end_matches('/').to_owned();
        Ok(Self(Arc::new(manifest), Arc::default()))
    }

    /// The same manifest for a new request: no links added yet.
    pub fn for_request(&self) -> Self {
        Self(self.0.clone(), Arc::default())
    }

    /// Whether the link to `file` is still to be added to this request's page (then it
    /// counts as added).
    fn first_time(&self, file: &str) -> bool {
        let mut done = self.1.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        if done.iter().any(|f| f == file) {
            return false;
        }
        done.push(file.to_owned());
        true
    }

    /// What the lazy function `area` needs that this request's page does not link yet: chunks, and the
    /// loader if any chunk is needed (then they count as linked).
    fn new_links(&self, area: &str) -> (Vec<String>, Option<String>) {
        let chunks = self.chunks(area);
        if chunks.is_empty() {
            return (Vec::new(), None);
        }
        let new = chunks.iter().filter(|c| self.first_time(c)).cloned().collect();
        (new, self.first_time(&self.0.loader).then(|| self.0.loader.clone()))
    }

    /// The chunks the `#[lazy]` function called `area` needs; empty when
    /// the build did not split it.
    pub fn chunks(&self, area: &str) -> &[String] {
        self.0
            .chunks
            .iter()
            .find(|(name, _)| name.rsplit_once('_').is_some_and(|(fun, _)| fun == area))
            .map(|(_, chunks)| chunks.as_slice())
            .unwrap_or_default()
    }
}

/// Adds `<link rel="modulepreload">` for the JS glue and `<link rel="preload">` for the
/// main WASM module to the `<head>` of the page being rendered (once per page). Every
/// island calls it while it renders on the server. Without a manifest in the context
/// (a test server), nothing.
pub fn preload_front_end() {
    use leptos_meta::Link;
    let Some(manifest) = use_context::<SplitManifest>() else { return };
    let name = option_env!("LEPTOS_OUTPUT_NAME").unwrap_or("marktchat");
    let pkg = &manifest.0.pkg_url;
    if manifest.first_time("main module") {
        let _ =
            view! { <Link rel="modulepreload" href=format!("{pkg}/{name}.js") media=SCRIPTING /> }
                .to_html();
        preload_wasm(&format!("{pkg}/{name}.wasm"));
    }
}

/// `<link rel="preload">` for a WASM file, as the loaders fetch it, into the page's head
/// (`to_html` on a meta component registers it there).
fn preload_wasm(href: &str) {
    use leptos_meta::Link;
    let _ = view! {
        <Link
            rel="preload"
            href=href.to_owned()
            as_="fetch"
            type_="application/wasm"
            crossorigin="anonymous"
            media=SCRIPTING
        />
    }
    .to_html();
}

/// Adds, besides [`preload_front_end`], `<link rel="preload">` for the chunks of a lazy
/// island, named by its loader (`#[island(lazy)]` makes a `#[lazy]` function called
/// the island's name in snake case and `_loader`), and `<link rel="modulepreload">` for
/// the chunk loader to the `<head>` of the page being rendered. Without a manifest in
/// the context (a build without split, or a test server), nothing.
pub fn preload_chunks(area: &'static str) {
    use leptos_meta::Link;
    preload_front_end();
    let Some(manifest) = use_context::<SplitManifest>() else { return };
    let (chunks, loader) = manifest.new_links(area);
    let pkg = &manifest.0.pkg_url;
    for chunk in chunks {
        preload_wasm(&format!("{pkg}/{chunk}.wasm"));
    }
    if let Some(loader) = loader {
        let _ =
            view! { <Link rel="modulepreload" href=format!("{pkg}/{loader}") media=SCRIPTING /> }
                .to_html();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const JSON: &str = r#"{
        "loader": "__wasm_split.js",
        "chunks": {
            "browse_137": ["chunk_7", "split_browse_137"],
            "chat_137": ["split_chat_137"]
        }
    }"#;

    #[test]
    fn an_area_finds_its_chunks_by_function_name() {
        let manifest = SplitManifest::parse(JSON, "/pkg/").unwrap();
        assert_eq!(manifest.chunks("browse"), ["chunk_7", "split_browse_137"]);
        assert_eq!(manifest.chunks("chat"), ["split_chat_137"]);
        assert!(manifest.chunks("brow").is_empty());
        assert!(manifest.chunks("admin").is_empty());
        assert_eq!(manifest.0.pkg_url, "/pkg");
    }

    #[test]
    fn each_request_links_each_file_once() {
        let manifest = SplitManifest::parse(JSON, "/pkg").unwrap();
        let request = manifest.for_request();
        assert!(request.first_time("chunk_7"));
        assert!(!request.first_time("chunk_7"));
        assert!(request.first_time("split_chat_137"));
        assert!(manifest.for_request().first_time("chunk_7"));
    }

    /// Two lazy functions on one page: a chunk they share, and the loader, are linked once.
    #[test]
    fn two_areas_on_one_page_link_shared_files_once() {
        const SHARED: &str = r#"{
            "loader": "__wasm_split.js",
            "chunks": { "browse_1": ["chunk_7", "split_browse_1"], "chat_2": ["chunk_7", "split_chat_2"] }
        }"#;
        let request = SplitManifest::parse(SHARED, "/pkg").unwrap().for_request();
        let (chunks, loader) = request.new_links("browse");
        assert_eq!(chunks, ["chunk_7", "split_browse_1"]);
        assert_eq!(loader.as_deref(), Some("__wasm_split.js"));
        let (chunks, loader) = request.new_links("chat");
        assert_eq!(chunks, ["split_chat_2"], "the shared chunk is linked already");
        assert_eq!(loader, None);
        assert_eq!(request.new_links("browse"), (vec![], None), "built again: nothing new");
        assert_eq!(request.new_links("admin"), (vec![], None), "not split: nothing");
    }

    #[test]
    fn a_manifest_in_another_shape_is_an_error() {
        assert!(SplitManifest::parse(r#"{"browse_1": ["chunk_1"]}"#, "/pkg").is_err());
    }
}
