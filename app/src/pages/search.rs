//! Browsing: the search page (`/search?q=…`) and category pages (`/c/:top`,
//! `/c/:top/:sub`). The URL holds the whole search, so every result page can be shared
//! and bookmarked; pages continue after the last listing shown (keyset pagination).

use crate::api::listings::search_listings;
use crate::app::set_http_status;
use crate::components::PageTitle;
use crate::components::{FormAlert, ListingGrid, LoadFailed, Loading, MessageCard, TextField};
use crate::error::AppError;
use crate::i18n::{count_text, sort_text, use_i18n, Msg};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::{use_params_map, use_query_map};
use marktchat_shared::listing::Category;
use marktchat_shared::search::{SearchParams, Sort};
use marktchat_shared::Field;

/// `path?query` for a search.
pub fn search_url(path: &str, params: &SearchParams) -> String {
    params.url(path)
}

fn params_from_query() -> Memo<SearchParams> {
    let query = use_query_map();
    Memo::new(move |_| {
        let q = query.read();
        let pairs: Vec<(String, String)> =
            q.clone().into_iter().map(|(k, v)| (k.to_string(), v)).collect();
        SearchParams::from_pairs(pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())))
    })
}

#[component]
pub fn SearchPage() -> impl IntoView {
    let i18n = use_i18n();
    let params = params_from_query();
    view! {
        <PageTitle text=i18n.t(Msg::SearchTitle) />
        <h1>{i18n.t(Msg::SearchTitle)}</h1>
        <SearchView base="/search".to_owned() params fixed_category=None />
    }
}

#[component]
pub fn CategoryPage() -> impl IntoView {
    let i18n = use_i18n();
    let route = use_params_map();
    let slug = Memo::new(move |_| {
        let r = route.read();
        match (r.get("top"), r.get("sub")) {
            (Some(top), Some(sub)) => format!("{top}/{sub}"),
            (Some(top), None) => top,
            _ => String::new(),
        }
    });
    let query = params_from_query();
    move || match Category::find(&slug.get()) {
        None => {
            set_http_status(404);
            view! {
                <PageTitle text=i18n.t(Msg::CategoryNotFoundTitle) />
                <MessageCard title=Msg::CategoryNotFoundTitle text=Msg::CategoryNotFoundText />
            }
            .into_any()
        }
        Some(cat) => {
            let params =
                Memo::new(move |_| SearchParams { category: cat.slug.to_owned(), ..query.get() });
            let top = cat.top();
            let children = top.children();
            view! {
                <PageTitle text=move || cat.name(i18n.language()) />
                <nav class="breadcrumb" aria-label=i18n.t(Msg::Breadcrumb)>
                    <A href="/search">{i18n.t(Msg::AllListings)}</A>
                    {(!cat.is_top())
                        .then(|| {
                            view! {
                                " › "
                                <A href=format!("/c/{}", top.slug)>
                                    {move || top.name(i18n.language())}
                                </A>
                            }
                        })}
                </nav>
                <h1>{move || cat.name(i18n.language())}</h1>
                <ul class="chips" aria-label=i18n.t(Msg::Subcategories)>
                    {children
                        .iter()
                        .map(|c| {
                            view! {
                                <li>
                                    <A
                                        href=format!("/c/{}", c.slug)
                                        attr:aria-current=move || (c.slug == cat.slug).then_some("page")
                                    >
                                        {move || c.name(i18n.language())}
                                    </A>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
                <SearchView base=format!("/c/{}", cat.slug) params fixed_category=Some(cat) />
            }
                .into_any()
        }
    }
}

/// The filter form and one page of results. `base` is the page's path; on category
/// pages the category is part of the path, not a filter.
#[component]
fn SearchView(
    base: String,
    #[prop(into)] params: Signal<SearchParams>,
    fixed_category: Option<Category>,
) -> impl IntoView {
    let i18n = use_i18n();
    let results = crate::resource::load(move || params.get(), |p| search_listings(p, true));
    let base = StoredValue::new(base);
    view! {
        <Transition fallback=|| view! { <Loading /> }>
            {move || Suspend::new(async move {
                let p = params.get_untracked();
                // On a category page the category is in the path, not the query.
                let link = if fixed_category.is_some() {
                    SearchParams { category: String::new(), ..p.clone() }
                } else {
                    p.clone()
                };
                let result = results.await;
                let errors = Signal::stored(result.as_ref().err().cloned());
                let form = view! { <SearchForm base=base.get_value() params=p.clone() fixed_category errors /> };
                let body = match result {
                    Ok(page) => {
                        let next = page.next.clone();
                        let first = (!p.after.is_empty()).then(|| search_url(&base.get_value(), &link.first_page()));
                        let next = next.map(|n| search_url(&base.get_value(), &link.after(&n)));
                        // Not above an empty page (nothing found, or a cursor past the end).
                        let count = page.count.filter(|_| !page.listings.is_empty());
                        view! {
                            {count
                                .map(|count| {
                                    view! {
                                        <p class="result-count">
                                            {move || count_text(i18n.language(), count)}
                                        </p>
                                    }
                                })}
                            <ListingGrid listings=page.listings empty=Msg::NoResults />
                            <nav class="pagination" aria-label=i18n.t(Msg::Pagination)>
                                {first.map(|href| view! { <A href=href>{i18n.t(Msg::FirstPage)}</A> })}
                                {next.map(|href| view! { <A href=href attr:rel="next">{i18n.t(Msg::NextPage)}</A> })}
                            </nav>
                        }
                            .into_any()
                    }
                    // shown next to its field in the form above
                    Err(e @ AppError::Invalid(_)) => {
                        set_http_status(e.status_code());
                        ().into_any()
                    }
                    Err(e) => view! { <LoadFailed error=e /> }.into_any(),
                };
                view! { {form} <section aria-live="polite" class="results">{body}</section> }
            })}
        </Transition>
    }
}

#[component]
fn SearchForm(
    base: String,
    params: SearchParams,
    fixed_category: Option<Category>,
    errors: Signal<Option<AppError>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let sort = Sort::parse(&params.sort);
    let more_open = [&params.min, &params.max, &params.place].iter().any(|v| !v.trim().is_empty())
        || sort != Sort::default()
        || errors.get_untracked().is_some();
    view! {
        <form method="get" action=base class="card search-filters" role="search">
            <FormAlert errors />
            <div class="field-row">
                <TextField field=Field::Query label=Msg::SearchWords kind="search" value=params.q.clone() errors />
                {fixed_category
                    .is_none()
                    .then(|| {
                        let current = params.category.clone();
                        view! {
                            <div class="field wide">
                                <label for="category">{i18n.t(Msg::Category)}</label>
                                <select id="category" name="category">
                                    <option value="">{i18n.t(Msg::AllCategories)}</option>
                                    {Category::all()
                                        .map(|c| {
                                            let label = move || {
                                                if c.is_top() {
                                                    c.name(i18n.language()).to_owned()
                                                } else {
                                                    format!("– {}", c.name(i18n.language()))
                                                }
                                            };
                                            view! { <option value=c.slug selected=c.slug == current>{label}</option> }
                                        })
                                        .collect_view()}
                                </select>
                            </div>
                        }
                    })}
            </div>
            // Folded on phones unless one of them is in use (or wrong); on wide screens
            // always shown (style/main.css, `::details-content`). No JavaScript needed.
            <details class="more-filters" open=more_open>
            <summary>{i18n.t(Msg::MoreFilters)}</summary>
            <div class="field-row">
                <TextField field=Field::MinPrice label=Msg::MinPrice value=params.min.clone() errors />
                <TextField field=Field::MaxPrice label=Msg::MaxPrice value=params.max.clone() errors />
                <TextField field=Field::Place label=Msg::PlaceFilter hint=Msg::PlaceFilterHint value=params.place.clone() errors />
                <div class="field wide">
                    <label for="sort">{i18n.t(Msg::SortBy)}</label>
                    <select id="sort" name="sort">
                        {Sort::ALL
                            .into_iter()
                            .map(|s| {
                                view! {
                                    <option value=s.as_str() selected=s == sort>
                                        {move || sort_text(i18n.language(), s)}
                                    </option>
                                }
                            })
                            .collect_view()}
                    </select>
                </div>
            </div>
            </details>
            <button type="submit">{i18n.t(Msg::Search)}</button>
        </form>
    }
}
