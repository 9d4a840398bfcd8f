//! `/messages/:id`: one conversation. Its history renders on the server; a reply is a
//! plain form post (so everything works without JavaScript). Only participants see
//! it: anyone else gets "not found".

mod listing_head;
mod quick;

use super::inbox::names;
use crate::api::conversations::{
    get_conversation, AddParticipant, ConversationPage as Page, DeleteConversation,
    LeaveConversation, SendMessage, SetArchived, SetBlocked, SetMuted,
};
use crate::app::set_http_status;
use crate::components::{action_error, FieldError, FormAlert, LoadFailed, Loading, RequireUser};
use crate::components::{ActivityLine, PageTitle};
use crate::error::AppError;
use crate::i18n::{fill, long_day, use_i18n, Locale, Msg};
use crate::live::{use_live, Live};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use listing_head::ListingHead;
use marktchat_shared::chat::{
    ChatMessage, ClosedReason, ConversationId, ErrorCode, MessageKind, MessageText, Seq,
    ServerFrame,
};
use marktchat_shared::conversation::{
    delivery, linkify, quick_replies, ConversationView, Delivery, Participant, Person, QuickReply,
    TextPart,
};
use marktchat_shared::listing::ListingStatus;
use marktchat_shared::outbox::{Pending, Timeline};
use marktchat_shared::time::Date;
use marktchat_shared::{Field, Timestamp, UserId};
use quick::quick_reply_tapped;
pub use quick::QuickReplies;

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

/// One row of the message list.
#[derive(Debug, Clone, PartialEq)]
enum Row {
    /// The reader's calendar day of the messages below.
    Day(Date),
    /// Where the unread part began when the page was loaded (`#new`).
    Unread,
    Stored {
        message: ChatMessage,
        mine: bool,
        state: Option<Delivery>,
        sender: Option<Person>,
    },
    /// Who joined or left: a line across the conversation.
    Notice(Notice),
    Pending(Pending),
}

/// A notice as the reader sees it: who did it, whom it names, and whether either is
/// the reader.
#[derive(Debug, Clone, PartialEq)]
struct Notice {
    seq: Seq,
    at: Timestamp,
    /// Someone was added (by `by`); otherwise `by` left.
    added: Option<Person>,
    by: Option<Person>,
    by_me: bool,
    added_me: bool,
}

impl Row {
    /// Keys change when what a row shows changes (so it is drawn again).
    fn key(&self) -> String {
        match self {
            Row::Day(d) => format!("d{}-{}-{}", d.year, d.month, d.day),
            Row::Unread => "new".to_owned(),
            Row::Stored { message, state, .. } => format!("m{}-{state:?}", message.seq.0),
            Row::Notice(n) => format!("n{}", n.seq.0),
            Row::Pending(p) => format!("p{}", p.client_id),
        }
    }
}

/// The list as shown: stored messages with day separators (and the line before the
/// first unread one), then what waits in the outbox (not yet stored).
fn rows(
    timeline: &Timeline,
    participants: &[Participant],
    me: &UserId,
    first_unread: Option<Seq>,
    pending: Vec<Pending>,
    locale: Locale,
) -> Vec<Row> {
    let mut out = Vec::new();
    let mut previous: Option<Date> = None;
    let mut day = |at: Timestamp, out: &mut Vec<Row>| {
        let date = locale.day(at);
        if previous != Some(date) {
            out.push(Row::Day(date));
        }
        previous = Some(date);
    };
    for m in timeline.messages() {
        day(m.sent_at, &mut out);
        if Some(m.seq) == first_unread {
            out.push(Row::Unread);
        }
        let mine = m.sender.as_ref() == Some(me);
        let person = |id: &UserId| {
            participants.iter().find(|p| &p.person.id == id).map(|p| p.person.clone())
        };
        let sender = m.sender.as_ref().and_then(person);
        match &m.kind {
            MessageKind::Text => {}
            MessageKind::Joined { person: added } => {
                out.push(Row::Notice(Notice {
                    seq: m.seq,
                    at: m.sent_at,
                    added: Some(person(added).unwrap_or(Person { id: added.clone(), name: None })),
                    by: sender,
                    by_me: mine,
                    added_me: added == me,
                }));
                continue;
            }
            MessageKind::Left => {
                out.push(Row::Notice(Notice {
                    seq: m.seq,
                    at: m.sent_at,
                    added: None,
                    by: sender,
                    by_me: mine,
                    added_me: false,
                }));
                continue;
            }
        }
        out.push(Row::Stored {
            message: m.clone(),
            mine,
            state: mine.then(|| delivery(m.seq, me, participants)),
            sender,
        });
    }
    for p in pending.into_iter().filter(|p| !timeline.has_client_id(&p.client_id)) {
        day(p.written_at, &mut out);
        out.push(Row::Pending(p));
    }
    out
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

#[component]
fn RowItem(row: Row) -> impl IntoView {
    let i18n = use_i18n();
    match row {
        Row::Day(date) => view! {
            <li class="day-separator" role="separator">{move || long_day(i18n.language(), date)}</li>
        }
        .into_any(),
        Row::Unread => view! {
            <li class="unread-line" id="new" role="separator">
                <span>{i18n.t(Msg::NewMessagesLine)}</span>
            </li>
        }
        .into_any(),
        Row::Stored { message, mine, state, sender } => {
            view! { <MessageItem message mine state sender /> }.into_any()
        }
        Row::Notice(notice) => view! { <NoticeItem notice /> }.into_any(),
        Row::Pending(p) => {
            let message = ChatMessage {
                conversation: p.conversation,
                seq: Seq(0),
                client_id: p.client_id,
                sender: None,
                text: p.text,
                sent_at: p.written_at,
                kind: Default::default(),
            };
            view! { <MessageItem message mine=true state=Some(Delivery::Sending) sender=None /> }
                .into_any()
        }
    }
}

/// "Anna hat Carl hinzugefügt", "Bert hat die Unterhaltung verlassen": a line across
/// the conversation, with its time.
#[component]
fn NoticeItem(notice: Notice) -> impl IntoView {
    let i18n = use_i18n();
    let at = notice.at;
    let text = move || {
        let name = |p: &Option<Person>| {
            p.as_ref()
                .and_then(|p| p.name.clone())
                .unwrap_or_else(|| i18n.tr(Msg::DeletedUser).to_owned())
        };
        let (msg, added) = match (&notice.added, notice.by_me, notice.added_me) {
            (Some(_), _, true) => (Msg::NoticeAddedYou, String::new()),
            (Some(_), true, _) => (Msg::NoticeYouAdded, name(&notice.added)),
            (Some(_), false, _) => (Msg::NoticeAdded, name(&notice.added)),
            (None, true, _) => (Msg::NoticeYouLeft, String::new()),
            (None, false, _) => (Msg::NoticeLeft, name(&notice.by)),
        };
        fill(i18n.tr(msg), &[("by", &name(&notice.by)), ("name", &added)])
    };
    view! {
        <li class="notice" id=format!("m{}", notice.seq.0)>
            <span>{text}</span>
            " · "
            <time datetime=at.iso_minute_utc()>{i18n.locale().clock_time(at)}</time>
        </li>
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
        <li
            class=match (mine, state) {
                (true, Some(Delivery::Sending)) => "message mine sending",
                (true, _) => "message mine",
                _ => "message theirs",
            }
            id=(message.seq.0 > 0).then(|| format!("m{}", message.seq.0))
        >
            {(!mine).then(|| view! { <p class="sender">{name}</p> })}
            <p class="text">{parts}</p>
            <p class="meta">
                <time datetime=at.iso_minute_utc()>{i18n.locale().clock_time(at)}</time>
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

/// The reply box. Without JavaScript it posts the form (and the page comes back with
/// the message); hydrated, the message goes into the outbox and over the socket, and
/// shows at once as "sending".
#[component]
fn ReplyForm(
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

#[component]
fn ConversationActions(
    id: String,
    archived: bool,
    muted: bool,
    group: bool,
    /// In a two-person conversation: the other person, and whether the viewer blocked them.
    other: Option<(String, bool)>,
    /// A conversation about a listing: it stays between buyer and seller (no adding).
    about_listing: bool,
) -> impl IntoView {
    let i18n = use_i18n();
    let archive = ServerAction::<SetArchived>::new();
    let mute = ServerAction::<SetMuted>::new();
    let delete = ServerAction::<DeleteConversation>::new();
    let leave = ServerAction::<LeaveConversation>::new();
    let add = ServerAction::<AddParticipant>::new();
    let add_errors = action_error(add);
    let block = ServerAction::<SetBlocked>::new();
    let delete_errors = action_error(delete);
    let back = format!("/messages/{id}");
    let (id_archive, id_mute, id_leave, id_add, id_delete) =
        (id.clone(), id.clone(), id.clone(), id.clone(), id);
    view! {
        // Open when one of its forms was refused: the reason shows where the person looks.
        <details
            class="card conversation-actions"
            open=move || add_errors.get().is_some() || delete_errors.get().is_some()
        >
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
            {(!about_listing).then(|| view! {
                <ActionForm action=add attr:class="add-person-form">
                    <FormAlert errors=add_errors />
                    <input type="hidden" name="id" value=id_add />
                    <label for="person">{i18n.t(Msg::AddPersonLabel)}</label>
                    <input type="text" id="person" name="person" required aria-describedby="person-hint" />
                    <p class="hint" id="person-hint">{i18n.t(Msg::AddPersonHint)}</p>
                    <FieldError field=Field::Participant errors=add_errors />
                    <button type="submit" class="secondary">{i18n.t(Msg::AddPerson)}</button>
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
