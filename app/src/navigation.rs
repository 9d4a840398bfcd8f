//! What a browser does on every page load that client-side navigation has to do itself:
//!
//! - **Start reading at the new page.** After following a link, focus moves to the new
//!   page's heading (so keyboard and screen-reader users continue there, not on the
//!   link they left) and the page's title is announced.
//! - **Come back to where one was.** Back (and Forward) scroll to where the page was
//!   left, once its content is there again; the browser's own restoration runs before
//!   the page has rendered and lands at the top.
//!
//! Changes of the query only (a search filter, a gallery picture) are not new pages:
//! focus and scrolling stay where they are. Without JavaScript every navigation is a
//! page load and the browser does all of this.

use leptos::prelude::*;

/// The announcement of a new page, for screen readers; place once inside the router.
#[component]
pub fn PageChanges() -> impl IntoView {
    let announcement = RwSignal::new(String::new());
    #[cfg(feature = "hydrate")]
    browser::watch(announcement);
    view! {
        <div class="visually-hidden" role="status" aria-live="polite" aria-atomic="true">
            {move || announcement.get()}
        </div>
    }
}

#[cfg(feature = "hydrate")]
mod browser {
    use leptos::prelude::*;
    use leptos::wasm_bindgen::JsCast;
    use leptos::web_sys;
    use std::cell::RefCell;
    use std::collections::HashMap;

    thread_local! {
        /// Where each address was left, by path and query.
        static LEFT_AT: RefCell<HashMap<String, f64>> = RefCell::new(HashMap::new());
        /// The heading of the page being left, taken before the router renders the
        /// next one (which may happen before the effect below runs).
        static LEAVING: RefCell<Option<web_sys::Element>> = const { RefCell::new(None) };
    }

    fn heading() -> Option<web_sys::Element> {
        document().query_selector("main h1").ok().flatten()
    }

    /// Adds `handler` for `event` on `target` in the capture phase: before the
    /// router's own listeners (on the window, in the bubbling phase) act.
    fn capture(target: &web_sys::EventTarget, event: &str, handler: impl Fn() + 'static) {
        let closure =
            leptos::wasm_bindgen::closure::Closure::<dyn Fn(web_sys::Event)>::new(move |_| {
                handler()
            });
        let options = web_sys::AddEventListenerOptions::new();
        options.set_capture(true);
        let _ = target.add_event_listener_with_callback_and_add_event_listener_options(
            event,
            closure.as_ref().unchecked_ref(),
            &options,
        );
        // Listens for the whole life of the page.
        closure.forget();
    }

    /// How often, and how long, to look for the new page's content.
    const POLL_MS: i32 = 50;
    const POLL_TIMES: u32 = 60;

    fn here() -> String {
        let l = window().location();
        format!("{}{}", l.pathname().unwrap_or_default(), l.search().unwrap_or_default())
    }

    pub fn watch(announcement: RwSignal<String>) {
        // Leaving by a link or a form: remember where this page was, and its heading.
        let leave = || {
            let y = window().scroll_y().unwrap_or(0.0);
            LEFT_AT.with(|m| m.borrow_mut().insert(here(), y));
            LEAVING.with(|l| *l.borrow_mut() = heading());
        };
        capture(&document(), "click", leave);
        capture(&document(), "submit", leave);
        // Back or Forward: the address is already the one returned to. (The router may
        // have handled the event, and the effect below run, before this listener.)
        capture(&window(), "popstate", || {
            let y = LEFT_AT.with(|m| m.borrow().get(&here()).copied());
            scroll_when_tall_enough(y.unwrap_or(0.0), POLL_TIMES);
        });
        let location = leptos_router::hooks::use_location();
        Effect::new(move |before: Option<String>| {
            let path = location.pathname.get();
            // The first page, or only the query changed: not a new page.
            if before.is_some_and(|b| b != path) {
                let old_heading = LEAVING.with(|l| l.borrow_mut().take());
                settle(old_heading, announcement, POLL_TIMES);
            }
            path
        });
    }

    /// Waits for the new page's heading (a different element from `old`), then focuses
    /// it (without scrolling: Back restores the position) and announces the page.
    fn settle(old: Option<web_sys::Element>, announcement: RwSignal<String>, tries: u32) {
        match heading() {
            Some(h) if old.as_ref() != Some(&h) => {
                if let Some(h) = h.dyn_ref::<web_sys::HtmlElement>() {
                    if !h.has_attribute("tabindex") {
                        let _ = h.set_attribute("tabindex", "-1");
                    }
                    let options = web_sys::FocusOptions::new();
                    options.set_prevent_scroll(true);
                    let _ = h.focus_with_options(&options);
                }
                announcement.set(document().title());
            }
            _ if tries > 0 => {
                set_timeout(
                    move || settle(old, announcement, tries - 1),
                    std::time::Duration::from_millis(POLL_MS as u64),
                );
            }
            _ => {}
        }
    }

    /// Scrolls to `y` once the page is tall enough to get there (its lists and pictures
    /// may come after the heading), or as far as it goes when waiting is over.
    fn scroll_when_tall_enough(y: f64, tries: u32) {
        let w = window();
        let tall = document().document_element().map_or(0.0, |e| e.scroll_height() as f64);
        let view = w.inner_height().ok().and_then(|h| h.as_f64()).unwrap_or(0.0);
        if tall >= y + view || tries == 0 {
            w.scroll_to_with_x_and_y(0.0, y);
        } else {
            set_timeout(
                move || scroll_when_tall_enough(y, tries - 1),
                std::time::Duration::from_millis(POLL_MS as u64),
            );
        }
    }
}
