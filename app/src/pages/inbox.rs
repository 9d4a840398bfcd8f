//! `/messages`: the inbox. Conversations grouped by listing (a seller sees one row per
//! interested buyer), direct ones in their own group, newest activity first; tabs for
//! active and archived conversations.

use crate::api::conversations::get_inbox;
use crate::components::PageTitle;
use crate::components::{LoadFailed, Loading, Notice, RequireUser};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use marktchat_shared::conversation::{InboxEntry, InboxFilter, InboxGroup, InboxTab, Person};

#[component]
pub fn InboxPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::InboxTitle) />
        <RequireUser>
            <Inbox />
        </RequireUser>
    }
}

/// "Anna, Bert" (a deleted account reads "a deleted user").
pub fn names(lang: marktchat_shared::Language, people: &[Person]) -> String {
    people
        .iter()
        .map(|p| p.name.clone().unwrap_or_else(|| Msg::DeletedUser.text(lang).to_owned()))
        .collect::<Vec<_>>()
        .join(", ")
}

#[component]
fn Inbox() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let tab = Memo::new(move |_| InboxTab::parse(&query.read().get("tab").unwrap_or_default()));
    let filter = Memo::new(move |_| {
        let q = query.read();
        InboxFilter {
            tab: tab.get(),
            unread_only: q.get("unread").is_some_and(|v| v == "1"),
            words: q.get("q").unwrap_or_default(),
        }
    });
    let groups = crate::resource::load(move || filter.get(), get_inbox);
    let flag = move |name: &str| query.read().get(name).is_some();
    let searching = move || filter.with(|f| f.unread_only || !f.words.trim().is_empty());
    view! {
        <InboxUpdates />
        <h1>{i18n.t(Msg::InboxTitle)}</h1>
        <Show when=move || flag("deleted")>
            <Notice>{i18n.t(Msg::ConversationDeleted)}</Notice>
        </Show>
        <Show when=move || flag("left")>
            <Notice>{i18n.t(Msg::ConversationLeft)}</Notice>
        </Show>
        // Plain links: `A` would mark both tabs as the current page, since they share a
        // path and differ only in the query.
        <nav class="tabs" aria-label=i18n.t(Msg::InboxTabs)>
            <a href="/messages" aria-current=move || (tab.get() == InboxTab::Active).then_some("page")>
                {i18n.t(Msg::InboxActive)}
            </a>
            <a
                href="/messages?tab=archived"
                aria-current=move || (tab.get() == InboxTab::Archived).then_some("page")
            >
                {i18n.t(Msg::InboxArchived)}
            </a>
        </nav>
        <InboxSearch filter />
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match groups.await {
                    Ok(groups) if groups.is_empty() && searching() => {
                        view! { <p class="empty">{i18n.t(Msg::InboxNothingFound)}</p> }.into_any()
                    }
                    Ok(groups) if groups.is_empty() => {
                        view! { <p class="empty">{i18n.t(Msg::InboxEmpty)}</p> }.into_any()
                    }
                    Ok(groups) => {
                        view! {
                            <div class="inbox">
                                {groups.into_iter().map(|g| view! { <Group group=g /> }).collect_view()}
                            </div>
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                }
            })}
        </Transition>
    }
}

/// Search through one's own conversations, and "unread only": a plain GET form (the
/// address holds only what the person chose to look for, as any search page's does).
#[component]
fn InboxSearch(filter: Memo<InboxFilter>) -> impl IntoView {
    let i18n = use_i18n();
    let current = filter.get_untracked();
    view! {
        <form method="get" action="/messages" role="search" class="inbox-search">
            {(current.tab == InboxTab::Archived)
                .then(|| view! { <input type="hidden" name="tab" value="archived" /> })}
            <label for="inbox-q" class="visually-hidden">{i18n.t(Msg::InboxSearchLabel)}</label>
            <input
                type="search"
                id="inbox-q"
                name="q"
                maxlength="100"
                value=current.words.clone()
                placeholder=move || i18n.tr(Msg::InboxSearchLabel)
            />
            <label class="checkbox">
                <input type="checkbox" name="unread" value="1" checked=current.unread_only />
                {i18n.t(Msg::InboxUnreadOnly)}
            </label>
            <button type="submit" class="secondary">{i18n.t(Msg::Search)}</button>
        </form>
    }
}

#[component]
fn Group(group: InboxGroup) -> impl IntoView {
    let i18n = use_i18n();
    let header = match group.listing {
        Some(listing) => {
            let cover = listing.cover.as_ref().map(|c| {
                view! { <img src=c.thumb_url() alt="" width="48" height="48" loading="lazy" /> }
            });
            let title = listing.title.clone();
            let title = if listing.is_public() {
                view! { <A href=format!("/listings/{}", listing.id)>{title}</A> }.into_any()
            } else {
                view! { <span>{title}</span> }.into_any()
            };
            view! { <h2 class="inbox-group-head">{cover}{title}</h2> }.into_any()
        }
        None => view! { <h2 class="inbox-group-head">{i18n.t(Msg::InboxDirect)}</h2> }.into_any(),
    };
    view! {
        <section class="card inbox-group">
            {header}
            <ul class="inbox-rows">
                {group.entries.into_iter().map(|e| view! { <Row entry=e /> }).collect_view()}
            </ul>
        </section>
    }
}

#[component]
fn Row(entry: InboxEntry) -> impl IntoView {
    let i18n = use_i18n();
    let others = entry.others.clone();
    let unread = entry.unread;
    let at = entry.last_activity;
    let last = entry.last_message.clone();
    let row_class = if unread > 0 { "inbox-row unread" } else { "inbox-row" };
    view! {
        <li class=row_class>
            // Opens at the first unread message, or at the newest (without JavaScript too).
            <A href=format!(
                "/messages/{}#{}",
                entry.conversation.0,
                if unread > 0 { "new" } else { "latest" },
            )>
                <span class="who">{move || names(i18n.language(), &others)}</span>
                <span class="preview">
                    {last
                        .map(|m| {
                            if m.notice {
                                return view! { <em>{i18n.t(Msg::NoticePeopleChanged)}</em> }
                                    .into_any();
                            }
                            let prefix = m.from_me.then(|| view! { {i18n.t(Msg::YouPrefix)} " " });
                            view! { {prefix} {m.text} }.into_any()
                        })}
                </span>
                <time class="when" datetime=at.iso_minute_utc()>{move || i18n.locale().date_time(at)}</time>
                {(unread > 0)
                    .then(|| {
                        view! {
                            <span class="badge unread-count">
                                {unread}
                                <span class="visually-hidden">" " {i18n.t(Msg::Unread)}</span>
                            </span>
                        }
                    })}
                {entry.muted.then(|| view! { <span class="meta">{i18n.t(Msg::Muted)}</span> })}
            </A>
        </li>
    }
}

/// New messages and changed conversations reorder the inbox: the page is loaded again
/// when one comes (over the tab's live connection, which the header runs), once things
/// have been quiet for a moment, so a busy conversation does not reload it on every
/// message.
#[island]
fn InboxUpdates() -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::chunks::preload_front_end();
    let scheduled = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    crate::live::use_live().listen(move |frame| {
        use marktchat_shared::chat::ServerFrame as F;
        let changes = matches!(
            frame,
            F::Message { .. }
                | F::Closed { .. }
                | F::Reopened { .. }
                | F::Changed { .. }
                | F::ParticipantAdded { .. }
                | F::ParticipantLeft { .. }
        );
        if changes && !scheduled.swap(true, std::sync::atomic::Ordering::Relaxed) {
            set_timeout(
                || {
                    #[cfg(feature = "hydrate")]
                    let _ = window().location().reload();
                },
                std::time::Duration::from_millis(1500),
            );
        }
    });
}
