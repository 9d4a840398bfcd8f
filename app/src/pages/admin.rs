use crate::components::RequireAdmin;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_meta::Title;

/// The admin area: only admins get in. Empty until tags, rules and statistics arrive.
#[component]
pub fn AdminPage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <Title text=i18n.t(Msg::AdminTitle) />
        <RequireAdmin>
            <section class="card">
                <h1>{i18n.t(Msg::AdminTitle)}</h1>
                <p>{i18n.t(Msg::AdminEmpty)}</p>
            </section>
        </RequireAdmin>
    }
}
