//! `/admin/bot`: the help bot's hourly statistics (an SVG chart by hour or by day,
//! a table, CSV) and the stored transcripts (search, read, delete) at
//! `/admin/bot/chats/:id`. Admins only.

use crate::api::bot::{
    get_bot_chat, get_bot_chats, get_bot_stats, ChatRow, DeleteBotChat, StatsRow, TranscriptView,
};
use crate::components::PageTitle;
use crate::components::{action_error, FormAlert, LoadFailed, Loading, Notice, RequireAdmin};
use crate::i18n::{short_day, use_i18n, Locale, Msg};
use leptos::prelude::*;
use leptos_router::hooks::{use_params_map, use_query_map};
use marktchat_shared::Timestamp;

#[component]
pub fn BotAdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::BotAdminTitle) />
        <RequireAdmin>
            <section class="card admin-intro">
                <h1>{i18n.t(Msg::BotAdminTitle)}</h1>
                <p>
                    <a href="/admin">{i18n.t(Msg::AdminTitle)}</a>
                </p>
            </section>
            <StatsSection />
            <Transcripts />
        </RequireAdmin>
    }
}

#[component]
fn StatsSection() -> impl IntoView {
    let i18n = use_i18n();
    let stats = crate::resource::load(|| (), |_| get_bot_stats());
    let query = use_query_map();
    let by_day = move || query.read().get("by").as_deref() == Some("day");
    view! {
        <section class="card" aria-labelledby="bot-stats-heading">
            <h2 id="bot-stats-heading">{i18n.t(Msg::BotStatsHeading)}</h2>
            <p class="meta">{i18n.t(Msg::BotStatsIntro)}</p>
            <nav class="tabs" aria-label=i18n.t(Msg::BotStatsHeading)>
                <a href="/admin/bot" aria-current=move || (!by_day()).then_some("page")>
                    {i18n.t(Msg::BotStatsByHour)}
                </a>
                <a href="/admin/bot?by=day" aria-current=move || by_day().then_some("page")>
                    {i18n.t(Msg::BotStatsByDay)}
                </a>
                <a
                    href=move || {
                        format!("/admin/bot/stats.csv?by={}", if by_day() { "day" } else { "hour" })
                    }
                    download=""
                >
                    {i18n.t(Msg::BotStatsCsv)}
                </a>
            </nav>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match stats.await {
                        Ok(s) => {
                            let day = by_day();
                            let rows = if day { s.days } else { s.hours };
                            let table = rows.clone();
                            view! { <Chart rows day /> <StatsTable rows=table day /> }.into_any()
                        }
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// A period's label: the date and hour on the reader's clock for an hour, the date for
/// a day. Days are counted in UTC (their hours are summed where they are stored), so
/// their label is the UTC date, as the heading says.
fn period_label(locale: Locale, start: i64, day: bool) -> String {
    if day {
        short_day(locale.language, Timestamp(start).date())
    } else {
        locale.date_time(Timestamp(start))
    }
}

/// Chart geometry, in SVG user units.
const WIDTH: f64 = 720.0;
const HEIGHT: f64 = 220.0;
const LEFT: f64 = 40.0;
const BOTTOM: f64 = 24.0;

/// Bars per period: chats started and messages received, side by side, scaled to the
/// largest count; the table below has all four numbers.
#[component]
fn Chart(rows: Vec<StatsRow>, day: bool) -> impl IntoView {
    let i18n = use_i18n();
    // The language tracked as before; the zone read once (a zone that becomes known does
    // not re-render the table).
    let language = i18n.language();
    let locale = Locale { language, ..i18n.locale_untracked() };
    let max =
        rows.iter().map(|r| r.chats_started.max(r.messages_received)).max().unwrap_or(0).max(1);
    let n = rows.len().max(1) as f64;
    let slot = (WIDTH - LEFT) / n;
    let bar = (slot * 0.4).max(1.0);
    let plot = HEIGHT - BOTTOM;
    let y = move |v: i64| plot - (v as f64 / max as f64) * (plot - 8.0);
    let every = if day { 5 } else { 6 };
    let title = format!(
        "{}: {} / {}",
        (if day { Msg::BotStatsByDay } else { Msg::BotStatsByHour }).text(language),
        Msg::BotChatsStarted.text(language),
        Msg::BotMessagesReceived.text(language)
    );
    let bars = rows
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let x = LEFT + i as f64 * slot + slot * 0.1;
            let label = period_label(locale, r.start, day);
            let tip_started =
                format!("{label}: {} {}", r.chats_started, Msg::BotChatsStarted.text(language));
            let tip_received = format!(
                "{label}: {} {}",
                r.messages_received,
                Msg::BotMessagesReceived.text(language)
            );
            let tick = (i % every == 0).then(|| {
                let text = if day {
                    label.clone()
                } else {
                    label.rsplit(' ').next().unwrap_or("").to_owned()
                };
                view! {
                    <text x=format!("{x:.1}") y=format!("{:.1}", HEIGHT - 6.0) class="tick">
                        {text}
                    </text>
                }
            });
            view! {
                <rect
                    class="bar started"
                    x=format!("{x:.1}")
                    y=format!("{:.1}", y(r.chats_started))
                    width=format!("{bar:.1}")
                    height=format!("{:.1}", plot - y(r.chats_started))
                >
                    <title>{tip_started}</title>
                </rect>
                <rect
                    class="bar received"
                    x=format!("{:.1}", x + bar)
                    y=format!("{:.1}", y(r.messages_received))
                    width=format!("{bar:.1}")
                    height=format!("{:.1}", plot - y(r.messages_received))
                >
                    <title>{tip_received}</title>
                </rect>
                {tick}
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                role="img"
                aria-label=title.clone()
            >
                <line class="axis" x1=LEFT y1=plot x2=WIDTH y2=plot />
                <text x="0" y="12" class="tick">{max.to_string()}</text>
                <text x="0" y=format!("{plot:.1}") class="tick">"0"</text>
                {bars}
            </svg>
            <figcaption>
                <span class="legend started">{i18n.t(Msg::BotChatsStarted)}</span>
                " "
                <span class="legend received">{i18n.t(Msg::BotMessagesReceived)}</span>
            </figcaption>
        </figure>
    }
}

#[component]
fn StatsTable(rows: Vec<StatsRow>, day: bool) -> impl IntoView {
    let i18n = use_i18n();
    let locale = Locale { language: i18n.language(), ..i18n.locale_untracked() };
    view! {
        <details class="stats-table">
            <summary>{i18n.t(Msg::BotStatsTable)}</summary>
            <table>
                <thead>
                    <tr>
                        <th scope="col">{i18n.t(Msg::BotStatsPeriod)}</th>
                        <th scope="col">{i18n.t(Msg::BotChatsStarted)}</th>
                        <th scope="col">{i18n.t(Msg::BotChatsEnded)}</th>
                        <th scope="col">{i18n.t(Msg::BotMessagesReceived)}</th>
                        <th scope="col">{i18n.t(Msg::BotMessagesSent)}</th>
                    </tr>
                </thead>
                <tbody>
                    {rows
                        .into_iter()
                        .rev()
                        .map(|r| {
                            view! {
                                <tr>
                                    <th scope="row">{period_label(locale, r.start, day)}</th>
                                    <td>{r.chats_started}</td>
                                    <td>{r.chats_ended}</td>
                                    <td>{r.messages_received}</td>
                                    <td>{r.messages_sent}</td>
                                </tr>
                            }
                        })
                        .collect_view()}
                </tbody>
            </table>
        </details>
    }
}

#[component]
fn Transcripts() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let q = move || query.read().get("q").filter(|q| !q.trim().is_empty());
    let before = move || query.read().get("before");
    let chats =
        crate::resource::load(move || (q(), before()), |(q, before)| get_bot_chats(q, before));
    view! {
        <section class="card" aria-labelledby="transcripts-heading">
            <h2 id="transcripts-heading">{i18n.t(Msg::BotTranscriptsHeading)}</h2>
            <p class="meta">{i18n.t(Msg::BotTranscriptsIntro)}</p>
            <Show when=move || query.read().get("deleted").is_some()>
                <Notice>{i18n.t(Msg::BotTranscriptDeleted)}</Notice>
            </Show>
            <form method="get" action="/admin/bot" class="transcript-search" role="search">
                <label for="transcript-q">{i18n.t(Msg::BotTranscriptsSearch)}</label>
                <input id="transcript-q" name="q" type="search" value=move || q().unwrap_or_default() />
                <button type="submit" class="secondary">{i18n.t(Msg::Search)}</button>
            </form>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match chats.await {
                        Ok(rows) => view! { <ChatList rows q=q() /> }.into_any(),
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn ChatList(rows: Vec<ChatRow>, q: Option<String>) -> impl IntoView {
    let i18n = use_i18n();
    // The language tracked as before; the zone read once (a zone that becomes known does
    // not re-render the table).
    let language = i18n.language();
    let locale = Locale { language, ..i18n.locale_untracked() };
    if rows.is_empty() {
        return view! { <p class="meta">{i18n.t(Msg::BotTranscriptsNone)}</p> }.into_any();
    }
    let full = rows.len() as u32 == crate::api::bot::CHATS_PER_PAGE;
    let older = rows.last().filter(|_| full).map(|last| {
        let mut url = form_urlencoded::Serializer::new(String::new());
        if let Some(q) = &q {
            url.append_pair("q", q);
        }
        url.append_pair("before", &last.id);
        format!("/admin/bot?{}", url.finish())
    });
    view! {
        <ul class="transcript-list">
            {rows
                .into_iter()
                .map(|c| {
                    let state = if c.ended {
                        String::new()
                    } else {
                        format!(" · {}", Msg::BotTranscriptRunning.text(language))
                    };
                    let messages = if c.messages == 1 {
                        Msg::BotTranscriptMessage
                    } else {
                        Msg::BotTranscriptMessages
                    };
                    let meta = format!(
                        "{} · {} · {} {}{}",
                        locale.date_time(Timestamp(c.last_at)),
                        c.language,
                        c.messages,
                        messages.text(language),
                        state
                    );
                    view! {
                        <li>
                            <a href=format!("/admin/bot/chats/{}", c.id)>
                                <code>{c.code.clone()}</code>
                            </a>
                            <span class="meta">{meta}</span>
                            {c.first_words.map(|w| view! { <p class="first-words">{w}</p> })}
                        </li>
                    }
                })
                .collect_view()}
        </ul>
        {older.map(|href| view! {
            <p><a href=href>{i18n.t(Msg::BotTranscriptsOlder)}</a></p>
        })}
    }
    .into_any()
}

/// `/admin/bot/chats/:id`: one stored transcript.
#[component]
pub fn TranscriptPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let chat = crate::resource::load(id, get_bot_chat);
    view! {
        <PageTitle text=i18n.t(Msg::BotAdminTitle) />
        <RequireAdmin>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match chat.await {
                        Ok(t) => view! { <Transcript t /> }.into_any(),
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </RequireAdmin>
    }
}

#[component]
fn Transcript(t: TranscriptView) -> impl IntoView {
    let i18n = use_i18n();
    // The language tracked as before; the zone read once (a zone that becomes known does
    // not re-render the table).
    let language = i18n.language();
    let locale = Locale { language, ..i18n.locale_untracked() };
    let delete = ServerAction::<DeleteBotChat>::new();
    let errors = action_error(delete);
    let heading = format!("{} {}", Msg::ChatCodeLabel.text(language), t.chat.code);
    let meta = format!(
        "{} – {} · {}",
        locale.date_time(Timestamp(t.chat.started_at)),
        locale.date_time(Timestamp(t.chat.last_at)),
        t.chat.language
    );
    view! {
        <section class="card">
            <p>
                <a href="/admin/bot">{i18n.t(Msg::BotTranscriptBack)}</a>
            </p>
            <h1>{heading}</h1>
            <p class="meta">{meta}</p>
            <ol class="transcript">
                {t
                    .lines
                    .into_iter()
                    .map(|l| {
                        let who = (if l.visitor { Msg::BotTranscriptVisitor } else { Msg::BotTranscriptBot }).text(language);
                        let head = format!("{who} · {}", locale.date_time(Timestamp(l.at)));
                        view! {
                            <li class=if l.visitor { "line visitor" } else { "line bot" }>
                                <p class="meta">{head}</p>
                                <p class="text">{l.text}</p>
                                {(!l.links.is_empty()).then(|| view! {
                                    <ul class="links">
                                        {l.links.into_iter().map(|(title, path, price)| {
                                            let text = format!("{title} – {price}");
                                            view! { <li><a href=path>{text}</a></li> }
                                        }).collect_view()}
                                    </ul>
                                })}
                            </li>
                        }
                    })
                    .collect_view()}
            </ol>
            <ActionForm action=delete>
                <FormAlert errors />
                <input type="hidden" name="id" value=t.chat.id.clone() />
                <button type="submit" class="danger" disabled=move || delete.pending().get()>
                    {i18n.t(Msg::BotTranscriptDelete)}
                </button>
            </ActionForm>
        </section>
    }
}
