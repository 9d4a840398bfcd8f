//! Quick replies: ready-made messages sent with one tap ("Ist der Artikel noch da?",
//! "Ja, noch da."), in the sender's language. Which ones a page offers is the shared
//! rule `marktchat_shared::conversation::quick_replies`.

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use marktchat_shared::conversation::QuickReply;

/// The text of the quick reply whose button submitted the form, if it was one.
pub fn quick_reply_tapped(ev: &leptos::ev::SubmitEvent) -> Option<String> {
    #[cfg(feature = "hydrate")]
    {
        use wasm_bindgen::JsCast;
        let button = ev.submitter()?.dyn_into::<web_sys::HtmlButtonElement>().ok()?;
        (button.name() == "quick").then(|| button.value())
    }
    #[cfg(not(feature = "hydrate"))]
    {
        let _ = ev;
        None
    }
}

/// What a quick reply says, in the reader's language.
fn quick_reply_text(reply: QuickReply) -> Msg {
    match reply {
        QuickReply::StillThere => Msg::QuickStillThere,
        QuickReply::YesStillThere => Msg::QuickYesStillThere,
        QuickReply::SorryGone => Msg::QuickSorryGone,
    }
}

/// Quick replies as submit buttons of the form they are in: each sends its own text
/// (`quick`), without JavaScript too; `formnovalidate`, since the text box may be empty.
#[component]
pub fn QuickReplies(#[prop(into)] quick: Signal<&'static [QuickReply]>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Show when=move || !quick.get().is_empty()>
            <div class="quick-replies" role="group" aria-label=move || i18n.tr(Msg::QuickRepliesLabel)>
                {move || {
                    quick
                        .get()
                        .iter()
                        .map(|reply| {
                            let text = i18n.tr(quick_reply_text(*reply));
                            view! {
                                <button type="submit" name="quick" value=text formnovalidate class="chip">
                                    {text}
                                </button>
                            }
                        })
                        .collect_view()
                }}
            </div>
        </Show>
    }
}
