//! One's own profile, in parts: settings (with password, blocked people, data export
//! and account deletion), one's listings, and the watch list.

use crate::api::email::RequestEmailChange;
use crate::api::listings::{get_watch_list, my_listings, SetFavourite};
use crate::api::profile::{my_profile, ChangePassword};
use crate::app::use_auth;
use crate::components::PageTitle;
use crate::components::{
    action_error, typed_after_failure, FieldError, FormAlert, ListingGrid, ListingRows, LoadFailed,
    Loading, NewPasswordField, Notice, PageLinks, RequireUser, TextField,
};
use crate::i18n::{use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_query_map;
use marktchat_shared::{Bio, DisplayName, Field, Language, Location, Profile, Role};

#[component]
pub fn ProfilePage() -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <PageTitle text=i18n.t(Msg::ProfileTitle) />
        <RequireUser>
            <ProfileContent />
        </RequireUser>
    }
}

/// The parts of the profile, each its own address (`?section=`): a seller with dozens
/// of listings still finds the settings at the top of theirs.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Section {
    Settings,
    Listings,
    WatchList,
}

impl Section {
    fn from_query(value: Option<&str>) -> Section {
        match value {
            Some("listings") => Section::Listings,
            Some("watch-list") => Section::WatchList,
            _ => Section::Settings,
        }
    }

    fn href(self) -> &'static str {
        match self {
            Section::Settings => "/profile",
            Section::Listings => "/profile?section=listings",
            Section::WatchList => "/profile?section=watch-list",
        }
    }

    fn label(self) -> Msg {
        match self {
            Section::Settings => Msg::ProfileSettings,
            Section::Listings => Msg::MyListings,
            Section::WatchList => Msg::WatchList,
        }
    }
}

#[component]
fn ProfileContent() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let section = Memo::new(move |_| Section::from_query(query.read().get("section").as_deref()));
    view! {
        <h1>{i18n.t(Msg::ProfileTitle)}</h1>
        <nav class="tabs" aria-label=i18n.t(Msg::ProfileSections)>
            {[Section::Settings, Section::Listings, Section::WatchList]
                .into_iter()
                .map(|s| {
                    // plain links: the router's <A> ignores the query, so every tab
                    // would be marked as the current page
                    view! {
                        <a href=s.href() aria-current=move || (section.get() == s).then_some("page")>
                            {i18n.t(s.label())}
                        </a>
                    }
                })
                .collect_view()}
            <A href="/messages">{i18n.t(Msg::NavMessages)}</A>
        </nav>
        {move || match section.get() {
            Section::Settings => view! { <SettingsPart /> }.into_any(),
            Section::Listings => view! { <MyListings /> }.into_any(),
            Section::WatchList => view! { <WatchListSection /> }.into_any(),
        }}
    }
}

/// Settings, password, blocked people, one's data, and deleting the account.
#[component]
fn SettingsPart() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let saved = Signal::derive(move || query.read().get("saved"));
    let profile = crate::resource::load(|| (), |_| my_profile());
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                match profile.await {
                    Ok(p) => {
                        let current = p.email.clone();
                        view! {
                            <SettingsSection profile=p saved />
                            <EmailSection current saved />
                        }
                            .into_any()
                    }
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                }
            })}
        </Transition>
        <PasswordSection saved />
        <BlockedSection />
        <section class="card" aria-labelledby="data-heading">
            <h2 id="data-heading">{i18n.t(Msg::YourData)}</h2>
            <p>{i18n.t(Msg::YourDataText)}</p>
            <p>
                <a href="/account/export" download="marktchat-data.json" rel="external">
                    {i18n.t(Msg::DownloadData)}
                </a>
            </p>
        </section>
        <DeleteSection />
    }
}

#[component]
fn SettingsSection(profile: Profile, saved: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let errors = action_error(auth.update_profile);
    let current_lang = profile.language;
    let current_zone = profile.time_zone;
    // The zones to choose from: the server's database (this form is rendered there).
    #[cfg(feature = "ssr")]
    let zones = marktchat_services::zones::all();
    #[cfg(not(feature = "ssr"))]
    let zones: &[marktchat_shared::Zone] = &[];
    let member_since = profile.member_since;
    view! {
        <section class="card" aria-labelledby="settings-heading">
            <h2 id="settings-heading">{i18n.t(Msg::ProfileSettings)}</h2>
            <p class="meta">
                {i18n.t(Msg::MemberSince)} " "
                {move || i18n.locale().long_date(member_since)} " · " {i18n.t(Msg::Role)} ": "
                {move || {
                    i18n.tr(if profile.role == Role::Admin { Msg::RoleAdmin } else { Msg::RoleUser })
                }} " · " <A href=format!("/users/{}", profile.id)>{i18n.t(Msg::ProfileViewPublic)}</A>
            </p>
            <Show when=move || saved.get().as_deref() == Some("profile") && errors.get().is_none()>
                <Notice>{i18n.t(Msg::Saved)}</Notice>
            </Show>
            <ActionForm action=auth.update_profile attr:novalidate=true>
                <FormAlert errors />
                <TextField
                    field=Field::DisplayName
                    label=Msg::DisplayName
                    hint=Msg::DisplayNameHint
                    value=profile.display_name.clone()
                    autocomplete="nickname"
                    maxlength=DisplayName::MAX_LEN
                    required=true
                    errors
                />
                <TextField
                    field=Field::Location
                    label=Msg::Location
                    hint=Msg::LocationHint
                    value=profile.location.clone().unwrap_or_default()
                    autocomplete="address-level2"
                    maxlength=Location::MAX_LEN
                    errors
                />
                <TextField
                    field=Field::Bio
                    label=Msg::Bio
                    hint=Msg::BioHint
                    value=profile.bio.clone().unwrap_or_default()
                    multiline=true
                    maxlength=Bio::MAX_LEN
                    errors
                />
                <div class="field">
                    <label for="language">{i18n.t(Msg::Language)}</label>
                    <select id="language" name="language">
                        {Language::ALL
                            .into_iter()
                            .map(|l| {
                                view! {
                                    <option value=l.code() selected=l == current_lang>
                                        {l.native_name()}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
                <div class="field">
                    <label for="time_zone">{i18n.t(Msg::TimeZone)}</label>
                    <p class="hint" id="time_zone-hint">{i18n.t(Msg::TimeZoneHint)}</p>
                    <select
                        id="time_zone"
                        name="time_zone"
                        aria-describedby="time_zone-hint time_zone-error"
                        aria-invalid=move || {
                            errors.get().and_then(|e| e.problem_for(Field::TimeZone)).map(|_| "true")
                        }
                    >
                        <option value="" selected=current_zone.is_none()>
                            {i18n.t(Msg::TimeZoneAutomatic)}
                        </option>
                        {zones
                            .iter()
                            .map(|z| {
                                view! {
                                    <option value=z.name().to_owned() selected=current_zone == Some(*z)>
                                        {z.name().replace('_', " ")}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                    <FieldError field=Field::TimeZone errors />
                </div>
                <fieldset class="field">
                    <legend>{i18n.t(Msg::Notifications)}</legend>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name="notify_messages"
                            value="on"
                            checked=profile.notify_messages
                            aria-describedby="notify-hint"
                        />
                        {i18n.t(Msg::NotifyMessages)}
                    </label>
                    <p class="hint" id="notify-hint">{i18n.t(Msg::NotifyMessagesHint)}</p>
                    <NotificationPermission locale=i18n.locale_untracked() />
                </fieldset>
                <fieldset class="field">
                    <legend>{i18n.t(Msg::Privacy)}</legend>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name="show_reply_time"
                            value="on"
                            checked=profile.show_reply_time
                            aria-describedby="privacy-hint"
                        />
                        {i18n.t(Msg::ShowReplyTime)}
                    </label>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name="show_last_active"
                            value="on"
                            checked=profile.show_last_active
                            aria-describedby="privacy-hint"
                        />
                        {i18n.t(Msg::ShowLastActive)}
                    </label>
                    <p class="hint" id="privacy-hint">{i18n.t(Msg::PrivacyHint)}</p>
                </fieldset>
                <button type="submit" disabled=move || auth.update_profile.pending().get()>
                    {i18n.t(Msg::Save)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The login address: a new one counts once confirmed through the link mailed to it.
#[component]
fn EmailSection(current: String, saved: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<RequestEmailChange>::new();
    let errors = action_error(action);
    let typed = typed_after_failure(<RequestEmailChange as leptos::server_fn::ServerFn>::PATH);
    view! {
        <section class="card" aria-labelledby="email-heading">
            <h2 id="email-heading">{i18n.t(Msg::ChangeEmail)}</h2>
            <p>{i18n.t(Msg::CurrentEmail)} ": " <strong>{current}</strong></p>
            <Show when=move || saved.get().as_deref() == Some("email") && errors.get().is_none()>
                <Notice>{i18n.t(Msg::EmailChangeSent)}</Notice>
            </Show>
            <ActionForm action attr:novalidate=true>
                <FormAlert errors />
                <TextField
                    field=Field::Email
                    id="new-email"
                    label=Msg::NewEmail
                    kind="email"
                    value=typed.get("email").cloned().unwrap_or_default()
                    autocomplete="email"
                    required=true
                    errors
                />
                <TextField
                    field=Field::CurrentPassword
                    id="email-password"
                    label=Msg::CurrentPassword
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors
                />
                <button type="submit" disabled=move || action.pending().get()>
                    {i18n.t(Msg::ChangeEmailSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn PasswordSection(saved: Signal<Option<String>>) -> impl IntoView {
    let i18n = use_i18n();
    let action = ServerAction::<ChangePassword>::new();
    let errors = action_error(action);
    view! {
        <section class="card" aria-labelledby="password-heading">
            <h2 id="password-heading">{i18n.t(Msg::ChangePassword)}</h2>
            <Show when=move || saved.get().as_deref() == Some("password") && errors.get().is_none()>
                <Notice>{i18n.t(Msg::PasswordChanged)}</Notice>
            </Show>
            <ActionForm action attr:novalidate=true>
                <FormAlert errors />
                <TextField
                    field=Field::CurrentPassword
                    label=Msg::CurrentPassword
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors
                />
                <NewPasswordField field=Field::NewPassword label=Msg::NewPassword errors />
                <button type="submit" disabled=move || action.pending().get()>
                    {i18n.t(Msg::ChangePassword)}
                </button>
            </ActionForm>
        </section>
    }
}

#[component]
fn DeleteSection() -> impl IntoView {
    let i18n = use_i18n();
    let auth = use_auth();
    let errors = action_error(auth.delete_account);
    let confirm_problem =
        Memo::new(move |_| errors.get().and_then(|e| e.problem_for(Field::Confirmation)));
    view! {
        <section class="card danger-zone" aria-labelledby="delete-heading">
            <h2 id="delete-heading">{i18n.t(Msg::DeleteAccount)}</h2>
            <p>{i18n.t(Msg::DeleteAccountText)}</p>
            <ActionForm action=auth.delete_account attr:novalidate=true>
                <FormAlert errors />
                <TextField
                    field=Field::CurrentPassword
                    id="delete-password"
                    label=Msg::CurrentPassword
                    kind="password"
                    autocomplete="current-password"
                    required=true
                    errors
                />
                <div class="field" class:has-error=move || confirm_problem.get().is_some()>
                    <label class="checkbox">
                        <input
                            type="checkbox"
                            name="confirm"
                            value="yes"
                            required=true
                            aria-invalid=move || confirm_problem.get().map(|_| "true")
                        />
                        {i18n.t(Msg::DeleteConfirm)}
                    </label>
                    {move || {
                        confirm_problem
                            .get()
                            .map(|p| {
                                view! {
                                    <p class="field-error">
                                        {crate::i18n::invalid_text(
                                            i18n.language(),
                                            Field::Confirmation,
                                            p,
                                        )}
                                    </p>
                                }
                            })
                    }}
                </div>
                <button
                    type="submit"
                    class="danger"
                    disabled=move || auth.delete_account.pending().get()
                >
                    {i18n.t(Msg::DeleteSubmit)}
                </button>
            </ActionForm>
        </section>
    }
}

/// The user's own listings as compact rows, newest first, a page at a time.
#[component]
fn MyListings() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let page = Memo::new(move |_| query.read().get("page").and_then(|p| p.parse::<u32>().ok()));
    let listings = crate::resource::load(move || page.get(), my_listings);
    view! {
        <Show when=move || query.read().get("listing_deleted").is_some()>
            <Notice>{i18n.t(Msg::ListingDeleted)}</Notice>
        </Show>
        <section class="card" id="my-listings" aria-labelledby="my-listings-heading">
            <h2 id="my-listings-heading">{i18n.t(Msg::MyListings)}</h2>
            <p>
                <A href="/listings/new" attr:class="button">{i18n.t(Msg::NewListing)}</A>
            </p>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match listings.await {
                        Ok(mine) => {
                            let (current, count) = (mine.page, mine.page_count());
                            view! {
                                <ListingRows listings=mine.listings empty=Msg::NoOwnListings />
                                <PageLinks
                                    current
                                    count
                                    link=|n| format!("/profile?section=listings&page={n}")
                                />
                            }
                                .into_any()
                        }
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// Favourites; listings that went away are named, with a button to drop them.
#[component]
fn WatchListSection() -> impl IntoView {
    let i18n = use_i18n();
    let unwatch = ServerAction::<SetFavourite>::new();
    let list = crate::resource::load(move || unwatch.version().get(), |_| get_watch_list());
    view! {
        <section class="card" id="watch-list" aria-labelledby="watch-list-heading">
            <h2 id="watch-list-heading">{i18n.t(Msg::WatchList)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(list) => {
                            // "empty" only when there is nothing at all to show
                            let show_grid = !list.listings.is_empty() || list.removed.is_empty();
                            view! {
                            {(!list.removed.is_empty())
                                .then(|| {
                                    view! {
                                        <div class="alert info" role="status">
                                            <p>{i18n.t(Msg::WatchListRemoved)}</p>
                                            <ul class="removed-list">
                                                {list
                                                    .removed
                                                    .into_iter()
                                                    .map(|r| {
                                                        view! {
                                                            <li>
                                                                <span>{r.title}</span>
                                                                <ActionForm action=unwatch attr:class="inline-form">
                                                                    <input type="hidden" name="id" value=r.id />
                                                                    <input type="hidden" name="next" value="/profile?section=watch-list" />
                                                                    <button type="submit" class="link-button">
                                                                        {i18n.t(Msg::TakeOffList)}
                                                                    </button>
                                                                </ActionForm>
                                                            </li>
                                                        }
                                                    })
                                                    .collect_view()}
                                            </ul>
                                        </div>
                                    }
                                })}
                            {show_grid
                                .then(|| {
                                    view! { <ListingGrid listings=list.listings empty=Msg::WatchListEmpty /> }
                                })}
                            }
                            .into_any()
                        }
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// The people one blocked, each with "unblock".
#[component]
fn BlockedSection() -> impl IntoView {
    let i18n = use_i18n();
    let unblock = ServerAction::<crate::api::conversations::SetBlocked>::new();
    let list = crate::resource::load(
        move || unblock.version().get(),
        |_| crate::api::conversations::get_blocked(),
    );
    view! {
        <section class="card" id="blocked" aria-labelledby="blocked-heading">
            <h2 id="blocked-heading">{i18n.t(Msg::BlockedPeople)}</h2>
            <Transition fallback=|| view! { <Loading /> }>
                {move || Suspend::new(async move {
                    match list.await {
                        Ok(people) if people.is_empty() => {
                            view! { <p class="empty">{i18n.t(Msg::BlockedNone)}</p> }.into_any()
                        }
                        Ok(people) => view! {
                            <ul class="blocked-list">
                                {people
                                    .into_iter()
                                    .map(|p| view! {
                                        <li>
                                            <A href=format!("/users/{}", p.id.0)>{p.name.clone()}</A>
                                            <ActionForm action=unblock attr:class="inline-form">
                                                <input type="hidden" name="user" value=p.id.0.clone() />
                                                <input type="hidden" name="next" value="/profile#blocked" />
                                                <button type="submit" class="secondary">{i18n.t(Msg::Unblock)}</button>
                                            </ActionForm>
                                        </li>
                                    })
                                    .collect_view()}
                            </ul>
                        }
                        .into_any(),
                        Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

/// "Allow in this browser": browsers ask for notification permission only after a
/// click. Shown once hydrated, while the browser has not decided yet.
#[island]
fn NotificationPermission(locale: crate::i18n::Locale) -> impl IntoView {
    #[cfg(feature = "ssr")]
    super::chunks::preload_front_end();
    let i18n = crate::i18n::provide_locale(locale);
    let live = crate::live::use_live();
    let undecided = RwSignal::new(false);
    Effect::new(move |_| undecided.set(notifications_undecided()));
    view! {
        <Show when=move || undecided.get()>
            <button
                type="button"
                class="secondary"
                on:click=move |_| {
                    live.ask_notification_permission();
                    undecided.set(false);
                }
            >
                {i18n.t(Msg::AllowNotifications)}
            </button>
        </Show>
    }
}

fn notifications_undecided() -> bool {
    #[cfg(feature = "hydrate")]
    {
        web_sys::Notification::permission() == web_sys::NotificationPermission::Default
    }
    #[cfg(not(feature = "hydrate"))]
    false
}
