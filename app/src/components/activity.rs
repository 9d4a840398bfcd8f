//! "Zuletzt aktiv …" and "Antwortet meist …": someone's activity as far as they allow,
//! on their profile and in the header of a conversation with them.

use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use marktchat_shared::{Activity, LastActive, ReplyTime};

fn last_active_text(a: LastActive) -> Msg {
    match a {
        LastActive::Within24Hours => Msg::LastActiveWithin24Hours,
        LastActive::WithinAWeek => Msg::LastActiveWithinAWeek,
        LastActive::WithinAMonth => Msg::LastActiveWithinAMonth,
        LastActive::LongerAgo => Msg::LastActiveLongerAgo,
    }
}

fn reply_time_text(r: ReplyTime) -> Msg {
    match r {
        ReplyTime::WithinAnHour => Msg::ReplyWithinAnHour,
        ReplyTime::WithinThreeHours => Msg::ReplyWithinThreeHours,
        ReplyTime::WithinADay => Msg::ReplyWithinADay,
        ReplyTime::WithinDays => Msg::ReplyWithinDays,
    }
}

/// The activity lines; nothing when the person shows neither (or nothing is known).
#[component]
pub fn ActivityLine(activity: Activity) -> impl IntoView {
    let i18n = use_i18n();
    let parts: Vec<Msg> =
        [activity.reply_time.map(reply_time_text), activity.last_active.map(last_active_text)]
            .into_iter()
            .flatten()
            .collect();
    (!parts.is_empty()).then(|| {
        view! {
            <p class="meta activity">
                {parts
                    .into_iter()
                    .enumerate()
                    .map(|(i, m)| view! { {(i > 0).then_some(" · ")} <span>{i18n.t(m)}</span> })
                    .collect_view()}
            </p>
        }
    })
}
