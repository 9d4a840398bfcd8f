//! `/messages/:id`: one conversation. Its history renders on the server; a reply is a
//! plain form post (so everything works without JavaScript). Only participants see
//! it: anyone else gets "not found".

mod actions;
mod listing_head;
mod quick;
mod reply;
mod rows;

use super::inbox::names;
use crate::api::conversations::{
    get_conversation, ConversationPage as Page, SendMessage, SetBlocked,
};
use crate::app::set_http_status;
use crate::components::{action_error, LoadFailed, Loading, RequireUser};
use crate::components::{ActivityLine, PageTitle};
use crate::error::AppError;
use crate::i18n::{fill, use_i18n, Msg};
use crate::live::{use_live, Live};
use actions::ConversationActions;
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use listing_head::ListingHead;
use marktchat_shared::chat::{ClosedReason, ConversationId, ErrorCode, ServerFrame};
use marktchat_shared::conversation::{quick_replies, ConversationView, Participant};
use marktchat_shared::listing::ListingStatus;
use marktchat_shared::outbox::Timeline;
use marktchat_shared::UserId;
pub use quick::QuickReplies;
use reply::ReplyForm;
use rows::{rows, Row, RowItem};

#[component]
pub fn ConversationPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = Memo::new(move |_| params.read().get("id").unwrap_or_default());
    let before = Memo::new(move |_| query.read().get("before").and_then(|b| b.parse().ok()));
    let page =
        crate::resource::load(move || (id.get(), before.get()), |(id, b)| get_conversation(id, b));
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
                                <PageTitle text=i18n.t(Msg::NotFoundTitle) />
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
    let conv = &page.view;
    let me = &page.me;
    let others: Vec<_> = conv
        .participants
        .iter()
        .filter(|p| &p.person.id != me && !p.left)
        .map(|p| p.person.clone())
        .collect();
    let title_people = if others.is_empty() {
        conv.participants.iter().filter(|p| &p.person.id != me).map(|p| p.person.clone()).collect()
    } else {
        others.clone()
    };
    let people = StoredValue::new(title_people);
    // Read by leptos_meta after rendering, possibly once this pass of the page is
    // gone (see `I18n::language`): then the names are left out rather than panicking.
    let title = move || {
        let names = people.try_with_value(|p| names(i18n.language(), p)).unwrap_or_default();
        format!("{} {names}", i18n.tr(Msg::ConversationWith))
    };
    let group = conv.participants.len() > 2;
    let two_person_other =
        (conv.participants.len() == 2).then(|| others.first().cloned()).flatten();
    let other = two_person_other.map(|p| (p.id.0.clone(), page.blocked.contains(&p.id)));
    let about_listing = conv.listing.is_some();
    // Whom of the others the viewer blocked: a block stops messages both ways, and the
    // blocker's side says so, with the way back.
    let blocked_by_me = others.iter().find(|p| page.blocked.contains(&p.id)).cloned();
    let back = format!("/messages/{}", conv.id.0);
    let blocked_notice = blocked_by_me.map(|person| {
        let name = person.name.clone().unwrap_or_default();
        let block = ServerAction::<SetBlocked>::new();
        view! {
            <div class="alert info blocked-notice" role="status">
                <p>{move || fill(i18n.tr(Msg::YouBlocked), &[("name", &name)])}</p>
                <ActionForm action=block attr:class="inline-form">
                    <input type="hidden" name="user" value=person.id.0.clone() />
                    <input type="hidden" name="next" value=back.clone() />
                    <button type="submit" class="secondary">{i18n.t(Msg::Unblock)}</button>
                </ActionForm>
            </div>
        }
    });
    let (id, archived, muted) = (conv.id.0.clone(), conv.archived, conv.muted);
    let partner_activity = page.partner_activity;
    // Carries the error of a reply posted without JavaScript (shown after the redirect).
    let posted = action_error(ServerAction::<SendMessage>::new()).get_untracked();
    view! {
        <PageTitle text=title />
        <article class="conversation">
            <header class="conversation-head">
                <h1>{title}</h1>
                <ActivityLine activity=partner_activity />
            </header>
            {blocked_notice}
            <LiveConversation locale=i18n.locale_untracked() page posted />
            <ConversationActions id archived muted group other about_listing />
        </article>
    }
}

/// The messages, what is typed and the reply box: live over the tab's socket, starting
/// from what the server rendered. A chunk of its own.
#[island(lazy)]
fn LiveConversation(
    locale: crate::i18n::Locale,
    page: Page,
    posted: Option<AppError>,
) -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::chunks::preload_chunks("live_conversation_loader");
    let i18n = crate::i18n::provide_locale(locale);
    let live = use_live();
    let Page { view: conv, me, client_id, blocked: page_blocked, .. } = page;
    let nobody_left = !conv.participants.iter().any(|p| p.person.id != me && !p.left);
    let id = conv.id.0.clone();
    let more = conv.more_before.then(|| {
        let first = conv.messages.first().map(|m| m.seq.0).unwrap_or(0);
        view! {
            <p class="older">
                <a href=format!("/messages/{id}?before={first}")>{i18n.t(Msg::OlderMessages)}</a>
            </p>
        }
    });

    // Live state, starting from what the server rendered.
    let conversation = conv.id.clone();
    let timeline = RwSignal::new(Timeline::new(conv.messages.clone()));
    let participants = RwSignal::new(conv.participants.clone());
    let closed = RwSignal::new(conv.closed);
    let can_send = RwSignal::new(conv.can_send);
    // The listing's state, live (the header shows it).
    let listing = conv.listing.clone();
    let listing_status = RwSignal::new(listing.as_ref().and_then(|l| l.status));
    let typing = RwSignal::new(None::<UserId>);
    let refused = RwSignal::new(None::<AppError>);
    // Messages came in while the reader was further up: a button leads down.
    let new_below = RwSignal::new(false);
    // Where the unread part began when the page was loaded: a line marks it, and the
    // page opens there (or at the newest message).
    let first_unread = {
        let read = conv.participants.iter().find(|p| p.person.id == me).map(|p| p.last_read);
        let read = read.unwrap_or_default();
        conv.messages.iter().find(|m| m.seq > read && m.sender.as_ref() != Some(&me)).map(|m| m.seq)
    };
    #[cfg(feature = "hydrate")]
    {
        // Opened without a place to go to: at the unread line, or at the newest message.
        Effect::new(move |_| {
            let hash = window().location().hash().unwrap_or_default();
            if hash.is_empty() && !scroll::to("new", false) {
                scroll::to("latest", false);
            }
        });
        let handle = window_event_listener(leptos::ev::scroll, move |_| {
            if new_below.get_untracked() && scroll::latest_in_view() {
                new_below.set(false);
            }
        });
        on_cleanup(move || handle.remove());
    }
    // Pending messages exist only in the browser: shown once hydrated.
    let mounted = RwSignal::new(false);
    Effect::new(move |_| mounted.set(true));
    {
        let state = PageState {
            conversation: conversation.clone(),
            me: me.clone(),
            live,
            timeline,
            participants,
            closed,
            can_send,
            typing,
            refused,
            new_below,
            listing_status,
        };
        live.listen(move |frame| state.on_frame(frame));
        let shown = conversation.clone();
        Effect::new(move |_| {
            let (after, last) = timeline.with_untracked(|t| (t.last_seq(), t.last_client_id()));
            live.show(shown.clone(), after, last)
        });
        let hidden = conversation.clone();
        on_cleanup(move || live.hide(hidden));
    }
    // The blocker's side has its own notice, outside (with the way back).
    let i_blocked = conv
        .participants
        .iter()
        .any(|p| p.person.id != me && !p.left && page_blocked.contains(&p.person.id));
    let notice = move || match (closed.get(), can_send.get()) {
        (Some(reason), _) => Some(closed_text(reason)),
        (None, false) if nobody_left => Some(Msg::NobodyLeft),
        (None, false) if i_blocked => None,
        (None, false) => Some(Msg::CannotMessageNotice),
        _ => None,
    };
    let list_me = me.clone();
    let list_conversation = conversation.clone();
    let all_rows = Memo::new(move |_| {
        let pending = if mounted.get() { live.pending(&list_conversation) } else { Vec::new() };
        timeline.with(|t| {
            participants
                .with(|p| rows(t, p, &list_me, first_unread, pending, i18n.locale_untracked()))
        })
    });
    let typing_name = move || {
        let who = typing.get()?;
        let name = participants.with(|ps| {
            ps.iter().find(|p| p.person.id == who).and_then(|p| p.person.name.clone())
        })?;
        Some(format!("{name} {}", i18n.tr(Msg::Typing)))
    };
    // The quick replies the page offers now (they change as messages come in).
    let quick_base = ConversationView { messages: Vec::new(), ..conv.clone() };
    let from_start = !conv.more_before;
    let quick_me = me.clone();
    let quick = Memo::new(move |_| {
        let mut view = quick_base.clone();
        view.can_send = can_send.get();
        view.closed = closed.get();
        timeline.with(|t| quick_replies(&view, t.messages(), from_start, &quick_me))
    });
    let form_conversation = conversation.clone();
    view! {
        {listing.map(|l| view! { <ListingHead listing=l status=listing_status /> })}
        {move || notice().map(|n| view! { <div class="alert info" role="status">{i18n.t(n)}</div> })}
        {more}
        <Show
            when=move || !all_rows.with(Vec::is_empty)
            fallback=move || view! { <p class="empty">{i18n.t(Msg::NoMessagesYet)}</p> }
        >
            <ol class="messages" aria-live="polite">
                <For each=move || all_rows.get() key=Row::key let(row)>
                    <RowItem row />
                </For>
            </ol>
        </Show>
        <p class="typing" id="latest" aria-live="polite">{typing_name}</p>
        <Show when=move || new_below.get()>
            <button
                type="button"
                class="jump-new"
                on:click=move |_| {
                    new_below.set(false);
                    scroll::to("latest", true);
                }
            >
                {i18n.t(Msg::NewMessagesBelow)}
            </button>
        </Show>
        <Show when=move || can_send.get() && closed.get().is_none()>
            <ReplyForm
                conversation=form_conversation.clone()
                client_id=client_id.clone()
                refused
                posted=posted.clone()
                quick
            />
        </Show>
    }
}

/// The live state of a conversation page.
#[derive(Clone)]
struct PageState {
    conversation: ConversationId,
    me: UserId,
    live: Live,
    timeline: RwSignal<Timeline>,
    participants: RwSignal<Vec<Participant>>,
    closed: RwSignal<Option<ClosedReason>>,
    can_send: RwSignal<bool>,
    typing: RwSignal<Option<UserId>>,
    refused: RwSignal<Option<AppError>>,
    new_below: RwSignal<bool>,
    listing_status: RwSignal<Option<ListingStatus>>,
}

impl PageState {
    /// What a frame from the server changes on this page.
    fn on_frame(&self, frame: &ServerFrame) {
        let this = &self.conversation;
        match frame {
            ServerFrame::Message { message } if &message.conversation == this => {
                let from_other = message.sender.as_ref() != Some(&self.me);
                // A reader at the newest message stays there; one further up is told.
                let at_bottom = scroll::latest_in_view();
                let added = self.timeline.try_update(|t| t.insert(message.clone())).unwrap_or(false);
                if added && at_bottom {
                    scroll::to_latest_soon();
                } else if added && from_other {
                    self.new_below.set(true);
                }
                if from_other {
                    self.typing.set(None);
                    if page_visible() {
                        self.live.read(this, message.seq);
                    }
                }
            }
            ServerFrame::Read { conversation, user, up_to } if conversation == this => {
                self.participants.update(|ps| {
                    if let Some(p) = ps.iter_mut().find(|p| &p.person.id == user) {
                        p.last_read = p.last_read.max(*up_to);
                    }
                });
            }
            ServerFrame::Typing { conversation, user } if conversation == this => {
                let typing = self.typing;
                typing.set(Some(user.clone()));
                let user = user.clone();
                set_timeout(
                    move || {
                        if typing.get_untracked().as_ref() == Some(&user) {
                            typing.set(None);
                        }
                    },
                    std::time::Duration::from_secs(4),
                );
            }
            ServerFrame::ListingChanged { conversation, status } if conversation == this => {
                self.listing_status.set(Some(*status));
            }
            ServerFrame::Closed { conversation, reason } if conversation == this => {
                self.closed.set(Some(*reason));
                self.can_send.set(false);
            }
            ServerFrame::Reopened { conversation }
            | ServerFrame::Changed { conversation }
            // What the page holds is not the server's history (restored or moved):
            // the page as the server has it now.
            | ServerFrame::Reset { conversation }
            | ServerFrame::ParticipantAdded { conversation, .. }
            | ServerFrame::ParticipantLeft { conversation, .. }
                if conversation == this =>
            {
                // Who takes part changed: the page as the server renders it now.
                #[cfg(feature = "hydrate")]
                let _ = window().location().reload();
            }
            ServerFrame::Error { code, client_id: Some(_), retry_after_secs } => {
                self.refused.set(Some(match code {
                    ErrorCode::CannotSend => AppError::CannotMessage,
                    ErrorCode::NotFound => AppError::NotFound,
                    // Kept in the outbox and sent again by itself: say so, and when.
                    ErrorCode::RateLimited => AppError::WritingTooFast {
                        retry_after_secs: retry_after_secs.unwrap_or(5),
                    },
                    ErrorCode::Unavailable => {
                        AppError::Busy { retry_after_secs: retry_after_secs.unwrap_or(5) }
                    }
                    _ => AppError::Internal,
                }));
            }
            // A message went through: a notice about waiting is over.
            ServerFrame::Ack { conversation, .. } if conversation == this => {
                self.refused.update(|r| {
                    if matches!(r, Some(AppError::WritingTooFast { .. } | AppError::Busy { .. })) {
                        *r = None;
                    }
                });
            }
            _ => {}
        }
    }
}

/// Keeping the newest message in view. In the browser only; on the server these do
/// nothing (there is no window to scroll).
mod scroll {
    #[cfg(feature = "hydrate")]
    use web_sys::{ScrollBehavior, ScrollIntoViewOptions, ScrollLogicalPosition};

    /// Scrolls the element `id` to its place (its CSS `scroll-margin-top` says how far
    /// from the top); `false` when there is none.
    pub fn to(id: &str, smooth: bool) -> bool {
        #[cfg(feature = "hydrate")]
        {
            let Some(element) = leptos::prelude::document().get_element_by_id(id) else {
                return false;
            };
            let options = ScrollIntoViewOptions::new();
            options.set_block(ScrollLogicalPosition::Start);
            if smooth {
                options.set_behavior(ScrollBehavior::Smooth);
            }
            element.scroll_into_view_with_scroll_into_view_options(&options);
            true
        }
        #[cfg(not(feature = "hydrate"))]
        {
            let _ = (id, smooth);
            false
        }
    }

    /// Whether the end of the message list is on screen.
    pub fn latest_in_view() -> bool {
        #[cfg(feature = "hydrate")]
        {
            let Some(latest) = leptos::prelude::document().get_element_by_id("latest") else {
                return true;
            };
            let height = leptos::prelude::window()
                .inner_height()
                .ok()
                .and_then(|h| h.as_f64())
                .unwrap_or(0.0);
            latest.get_bounding_client_rect().top() <= height
        }
        #[cfg(not(feature = "hydrate"))]
        true
    }

    /// Scrolls to the newest message once what was just added is drawn.
    pub fn to_latest_soon() {
        #[cfg(feature = "hydrate")]
        leptos::prelude::request_animation_frame(|| {
            to("latest", true);
        });
    }
}

/// Whether the person can see the page now (read receipts are only sent then).
fn page_visible() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::window()
            .and_then(|w| w.document())
            .is_some_and(|d| d.visibility_state() == web_sys::VisibilityState::Visible)
    }
    #[cfg(not(feature = "hydrate"))]
    false
}
