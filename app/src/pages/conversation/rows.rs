//! The message list: stored messages with the reader's day separators, the line
//! before the first unread one, notices of who joined or left, and what still waits
//! in the outbox.

use crate::i18n::{fill, long_day, use_i18n, Locale, Msg};
use leptos::prelude::*;
use marktchat_shared::chat::{ChatMessage, MessageKind, Seq};
use marktchat_shared::conversation::{delivery, linkify, Delivery, Participant, Person, TextPart};
use marktchat_shared::outbox::{Pending, Timeline};
use marktchat_shared::time::Date;
use marktchat_shared::{Timestamp, UserId};

/// One row of the message list.
#[derive(Debug, Clone, PartialEq)]
pub(super) enum Row {
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
pub(super) struct Notice {
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
    pub(super) fn key(&self) -> String {
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
pub(super) fn rows(
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
pub(super) fn RowItem(row: Row) -> impl IntoView {
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
            {(!mine).then(|| view! { <SafetyNote text=text.clone() /> })}
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

/// What the recipient of `text` should be careful about (`shared::safety`), if
/// anything: one calm note per kind of risk. The sender never sees it.
#[component]
fn SafetyNote(text: String) -> impl IntoView {
    use marktchat_shared::safety::{warnings, Warning};
    let i18n = use_i18n();
    let mut notes: Vec<Msg> = warnings(&text)
        .into_iter()
        .map(|w| match w {
            Warning::PayOutside => Msg::SafetyPay,
            Warning::Link => Msg::SafetyLink,
            Warning::Phone | Warning::Email | Warning::Messenger => Msg::SafetyContact,
        })
        .collect();
    notes.dedup();
    (!notes.is_empty()).then(|| {
        view! {
            <div class="safety-note" role="note">
                <p><strong>{i18n.t(Msg::SafetyNote)}</strong></p>
                {notes.into_iter().map(|m| view! { <p>{i18n.t(m)}</p> }).collect_view()}
            </div>
        }
    })
}
