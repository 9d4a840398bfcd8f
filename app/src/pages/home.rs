use crate::app::use_auth;
use crate::components::Notice;
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;

#[component]
pub fn HomePage() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let query = use_query_map();
    let user = Memo::new(move |_| auth.user());
    let flag = move |name: &str| query.read().get(name).is_some();
    view! {
        <Title text="" />
        <Show when=move || flag("deleted")>
            <Notice>{i18n.t(Msg::AccountDeletedNotice)}</Notice>
        </Show>
        <Show when=move || flag("logged_out") && user.get().is_none()>
            <Notice>{i18n.t(Msg::LoggedOutNotice)}</Notice>
        </Show>
        <section class="hero">
            <h1>{i18n.t(Msg::HomeTitle)}</h1>
            <p class="lead">{i18n.t(Msg::HomeIntro)}</p>
            {move || match user.get() {
                Some(u) => {
                    view! {
                        <p>{i18n.t(Msg::HomeHello)} ", " {u.display_name.clone()} "! "
                            {i18n.t(Msg::HomeLoggedInHint)}</p>
                        <p class="actions">
                            <A href="/profile" attr:class="button">{i18n.t(Msg::NavProfile)}</A>
                            <A href="/users" attr:class="button secondary">
                                {i18n.t(Msg::HomeBrowseMembers)}
                            </A>
                        </p>
                    }
                        .into_any()
                }
                None => {
                    view! {
                        <p class="actions">
                            <A href="/register" attr:class="button">
                                {i18n.t(Msg::HomeGetStarted)}
                            </A>
                            <span>
                                {i18n.t(Msg::HomeHaveAccount)} " "
                                <A href="/login">{i18n.t(Msg::NavLogin)}</A>
                            </span>
                        </p>
                    }
                        .into_any()
                }
            }}
        </section>
    }
}
