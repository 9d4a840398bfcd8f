//! `/messages/:id`: one conversation. Its history renders on the server; a reply is a
//! plain form post (so everything works without JavaScript). Only participants see
//! it: anyone else gets "not found".

use super::inbox::names;
use crate::api::conversations::{
    get_conversation, ConversationPage as Page, DeleteConversation, LeaveConversation, SendMessage,
    SetArchived, SetBlocked, SetMuted,
};
use crate::app::set_http_status;
use crate::components::{action_error, FieldError, FormAlert, LoadFailed, Loading, RequireUser};
use crate::error::AppError;
use crate::i18n::{clock_time, long_date, use_i18n, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use marktchat_shared::chat::{ChatMessage, ClosedReason};
use marktchat_shared::conversation::{delivery, linkify, same_day, Delivery, TextPart};
use marktchat_shared::Field;

#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let before = Memo::new(move |_| query.read().get("before").and_then(|b| b.parse().ok()));
    let page = Resource::new(move || (id.get(), before.get()), |(id, b)| get_conversation(id, b));
    let i18n = use_i18n();
    view! {
        <RequireUser>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match page.await {
                        Ok(p) => view! { <Conversation page=p /> }.into_any(),
                        Err(AppError::NotFound) => {
                            set_http_status(404);
                            view! {
                                <Title text=i18n.t(Msg::NotFoundTitle) />
                                <section class="card">
                                    <h1>{i18n.t(Msg::NotFoundTitle)}</h1>
                                    <p>{i18n.t(Msg::NotFoundText)}</p>
                                    <p><A href="/messages">{i18n.t(Msg::InboxTitle)}</A></p>
                                </section>
                            }
                                .into_any()
                        }
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </RequireUser>
    }
}

fn closed_text(reason: ClosedReason) -> Msg {
    match reason {
        ClosedReason::ListingDeactivated => Msg::ClosedDeactivated,
        ClosedReason::ListingSold => Msg::ClosedSold,
        ClosedReason::ListingDeleted => Msg::ClosedDeleted,
    }
}

#[component]
fn Conversation(page: Page) -> impl IntoView {
    let i18n = use_i18n();
    let Page { view: conv, me, blocked, client_id } = page;
    let others: Vec<_> = conv
        .participants
        .iter()
        .filter(|p| p.person.id != me && !p.left)
        .map(|p| p.person.clone())
        .collect();
    let title_people = if others.is_empty() {
        conv.participants.iter().filter(|p| p.person.id != me).map(|p| p.person.clone()).collect()
    } else {
        others.clone()
    };
    let people = StoredValue::new(title_people);
    let title = move || {
        format!(
            "{} {}",
            i18n.tr(Msg::ConversationWith),
            names(i18n.language(), &people.read_value())
        )
    };
    let listing = conv.listing.clone().map(|l| {
        let text = l.title.clone();
        if l.is_public() {
            view! { <p class="meta">{i18n.t(Msg::AboutListing)} ": " <A href=format!("/listings/{}", l.id)>{text}</A></p> }.into_any()
        } else {
            view! { <p class="meta">{i18n.t(Msg::AboutListing)} ": " {text}</p> }.into_any()
        }
    });
    let id = conv.id.0.clone();
    let more = conv.more_before.then(|| {
        let first = conv.messages.first().map(|m| m.seq.0).unwrap_or(0);
        view! {
            <p class="older">
                <A href=format!("/messages/{id}?before={first}")>{i18n.t(Msg::OlderMessages)}</A>
            </p>
        }
    });
    let notice = match (conv.closed, conv.can_send) {
        (Some(reason), _) => Some(closed_text(reason)),
        (None, false) if others.is_empty() => Some(Msg::NobodyLeft),
        (None, false) => Some(Msg::CannotMessageNotice),
        _ => None,
    };
    let messages = conv.messages.clone();
    let participants = conv.participants.clone();
    let me_for_list = me.clone();
    let list = if messages.is_empty() {
        view! { <p class="empty">{i18n.t(Msg::NoMessagesYet)}</p> }.into_any()
    } else {
        let mut previous: Option<ChatMessage> = None;
        let items = messages
            .into_iter()
            .map(|m| {
                let separator = match &previous {
                    Some(p) if same_day(p.sent_at, m.sent_at) => None,
                    _ => {
                        let at = m.sent_at;
                        Some(view! {
                            <li class="day-separator" role="separator">
                                {move || long_date(i18n.language(), at)}
                            </li>
                        })
                    }
                };
                previous = Some(m.clone());
                let mine = m.sender.as_ref() == Some(&me_for_list);
                let state = mine.then(|| delivery(m.seq, &me_for_list, &participants));
                let sender = m.sender.as_ref().and_then(|s| {
                    participants.iter().find(|p| &p.person.id == s).map(|p| p.person.clone())
                });
                view! {
                    {separator}
                    <MessageItem message=m mine state sender />
                }
            })
            .collect_view();
        view! { <ol class="messages" aria-live="polite">{items}</ol> }.into_any()
    };
    let reply =
        conv.can_send.then(|| view! { <ReplyForm conversation=conv.id.0.clone() client_id /> });
    let group = conv.participants.len() > 2;
    let two_person_other =
        (conv.participants.len() == 2).then(|| others.first().cloned()).flatten();
    view! {
        <Title text=title />
        <article class="conversation">
            <header class="conversation-head">
                <h1>{title}</h1>
                {listing}
            </header>
            {notice.map(|n| view! { <div class="alert info" role="status">{i18n.t(n)}</div> })}
            {more}
            {list}
            {reply}
            <ConversationActions
                id=conv.id.0.clone()
                archived=conv.archived
                muted=conv.muted
                group=group
                other=two_person_other.map(|p| (p.id.0.clone(), blocked.contains(&p.id)))
            />
        </article>
    }
}

#[component]
fn MessageItem(
    message: ChatMessage,
    mine: bool,
    state: Option<Delivery>,
    sender: Option<marktchat_shared::conversation::Person>,
) -> impl IntoView {
    let i18n = use_i18n();
    let at = message.sent_at;
    let name = move || match &sender {
        Some(p) => p.name.clone().unwrap_or_else(|| i18n.tr(Msg::DeletedUser).to_owned()),
        None => i18n.tr(Msg::DeletedUser).to_owned(),
    };
    let text = message.text.as_str().to_owned();
    let parts = linkify(&text)
        .into_iter()
        .map(|p| match p {
            TextPart::Text(t) => t.to_owned().into_any(),
            TextPart::Link(href) => {
                let (target, text) = (href.to_owned(), href.to_owned());
                view! { <a href=target rel="nofollow noopener noreferrer" target="_blank">{text}</a> }.into_any()
            }
        })
        .collect_view();
    view! {
        <li class=if mine { "message mine" } else { "message theirs" } id=format!("m{}", message.seq.0)>
            {(!mine).then(|| view! { <p class="sender">{name}</p> })}
            <p class="text">{parts}</p>
            <p class="meta">
                <time>{clock_time(at)}</time>
                {state.map(|s| {
                    let label = match s {
                        Delivery::Sending => Msg::Sending,
                        Delivery::Sent => Msg::Sent,
                        Delivery::Read => Msg::ReadReceipt,
                    };
                    view! { " · " <span class="delivery">{i18n.t(label)}</span> }
                })}
            </p>
        </li>
    }
}

#[component]
fn ReplyForm(conversation: String, client_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<SendMessage>::new();
    let errors = action_error(action);
    view! {
        <ActionForm action attr:class="reply-form">
            <FormAlert errors />
            <input type="hidden" name="conversation" value=conversation />
            <input type="hidden" name="client_id" value=client_id />
            <label for="text">{i18n.t(Msg::YourMessage)}</label>
            <textarea id="text" name="text" rows="3" maxlength="4000" required aria-describedby="text-hint"></textarea>
            <p class="hint" id="text-hint">{i18n.t(Msg::MessageHint)}</p>
            <FieldError field=Field::Message errors />
            <button type="submit" disabled=move || action.pending().get()>
                {i18n.t(Msg::SendMessage)}
            </button>
        </ActionForm>
    }
}

#[component]
fn ConversationActions(
    id: String,
    archived: bool,
    muted: bool,
    group: bool,
    /// In a two-person conversation: the other person, and whether the viewer blocked them.
    other: Option<(String, bool)>,
) -> impl IntoView {
    let i18n = use_i18n();
    let archive = ServerAction::<SetArchived>::new();
    let mute = ServerAction::<SetMuted>::new();
    let delete = ServerAction::<DeleteConversation>::new();
    let leave = ServerAction::<LeaveConversation>::new();
    let block = ServerAction::<SetBlocked>::new();
    let delete_errors = action_error(delete);
    let back = format!("/messages/{id}");
    let (id_archive, id_mute, id_leave, id_delete) = (id.clone(), id.clone(), id.clone(), id);
    view! {
        <details class="card conversation-actions">
            <summary>{i18n.t(Msg::Actions)}</summary>
            <ActionForm action=archive attr:class="inline-form">
                <input type="hidden" name="id" value=id_archive />
                {(!archived).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                <button type="submit" class="secondary">
                    {i18n.t(if archived { Msg::Unarchive } else { Msg::Archive })}
                </button>
            </ActionForm>
            <ActionForm action=mute attr:class="inline-form">
                <input type="hidden" name="id" value=id_mute />
                {(!muted).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                <button type="submit" class="secondary">
                    {i18n.t(if muted { Msg::Unmute } else { Msg::Mute })}
                </button>
            </ActionForm>
            {other.map(|(user, is_blocked)| view! {
                <ActionForm action=block attr:class="inline-form">
                    <input type="hidden" name="user" value=user />
                    <input type="hidden" name="next" value=back.clone() />
                    {(!is_blocked).then(|| view! { <input type="hidden" name="on" value="1" /> })}
                    <button type="submit" class="secondary">
                        {i18n.t(if is_blocked { Msg::Unblock } else { Msg::Block })}
                    </button>
                </ActionForm>
            })}
            {group.then(|| view! {
                <ActionForm action=leave attr:class="inline-form">
                    <input type="hidden" name="id" value=id_leave />
                    <button type="submit" class="secondary">{i18n.t(Msg::Leave)}</button>
                </ActionForm>
            })}
            <ActionForm action=delete attr:class="delete-form">
                <FormAlert errors=delete_errors />
                <input type="hidden" name="id" value=id_delete />
                <label class="checkbox">
                    <input type="checkbox" name="confirm" value="1" required />
                    {i18n.t(Msg::DeleteForMeConfirm)}
                </label>
                <FieldError field=Field::Confirmation errors=delete_errors />
                <button type="submit" class="danger">{i18n.t(Msg::DeleteForMe)}</button>
            </ActionForm>
        </details>
    }
}
