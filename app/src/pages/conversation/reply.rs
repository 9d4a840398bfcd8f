//! The reply box, with its quick replies.

use super::quick::{quick_reply_tapped, QuickReplies};
use super::scroll;
use crate::api::conversations::SendMessage;
use crate::components::{FieldError, FormAlert};
use crate::error::AppError;
use crate::i18n::{use_i18n, Msg};
use crate::live::use_live;
use leptos::prelude::*;
use marktchat_shared::chat::{ConversationId, MessageText};
use marktchat_shared::conversation::QuickReply;
use marktchat_shared::Field;

/// The reply box. Without JavaScript it posts the form (and the page comes back with
/// the message); hydrated, the message goes into the outbox and over the socket, and
/// shows at once as "sending".
#[component]
pub(super) fn ReplyForm(
    conversation: ConversationId,
    client_id: String,
    refused: RwSignal<Option<AppError>>,
    /// The error of a reply posted without JavaScript.
    posted: Option<AppError>,
    /// Ready-made messages, sent with one tap.
    quick: Memo<&'static [QuickReply]>,
) -> impl IntoView {
    let i18n = use_i18n();
    let live = use_live();
    let errors = Signal::derive(move || refused.get().or_else(|| posted.clone()));
    let text_ref = NodeRef::<leptos::html::Textarea>::new();
    let form_ref = NodeRef::<leptos::html::Form>::new();
    let submit_conversation = conversation.clone();
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        let Some(area) = text_ref.get() else { return };
        ev.prevent_default();
        // A quick reply's button sends its own text; the typed text stays.
        let tapped = quick_reply_tapped(&ev);
        let typed = tapped.is_none();
        match MessageText::parse(&tapped.unwrap_or_else(|| area.value())) {
            Ok(text) => {
                if live.send(submit_conversation.clone(), text) {
                    if typed {
                        area.set_value("");
                    }
                    refused.set(None);
                    scroll::to_latest_soon();
                } else {
                    refused.set(Some(AppError::Busy { retry_after_secs: 5 }));
                }
            }
            Err(problem) => refused.set(Some(AppError::invalid(Field::Message, problem))),
        }
    };
    let on_keydown = move |ev: leptos::ev::KeyboardEvent| {
        if ev.key() == "Enter" && !ev.shift_key() && !ev.is_composing() {
            ev.prevent_default();
            if let Some(form) = form_ref.get() {
                let _ = form.request_submit();
            }
        }
    };
    let typing_conversation = conversation.clone();
    let send_path = <SendMessage as leptos::server_fn::ServerFn>::PATH;
    view! {
        <form
            method="post"
            action=send_path
            class="reply-form"
            node_ref=form_ref
            on:submit=on_submit
        >
            <FormAlert errors />
            <input type="hidden" name="conversation" value=conversation.0.clone() />
            <input type="hidden" name="client_id" value=client_id />
            <QuickReplies quick />
            <label for="text">{i18n.t(Msg::YourMessage)}</label>
            <textarea
                id="text"
                name="text"
                rows="3"
                maxlength="4000"
                required
                aria-describedby="text-hint"
                node_ref=text_ref
                on:keydown=on_keydown
                on:input=move |_| live.typing(&typing_conversation)
            ></textarea>
            <p class="hint" id="text-hint">{i18n.t(Msg::MessageHint)}</p>
            <FieldError field=Field::Message errors />
            <button type="submit">{i18n.t(Msg::SendMessage)}</button>
        </form>
    }
}
