//! Site search: the header search box (an island that suggests titles as you type) and the
//! `/search` results page with type filters, order and pages, which all work as plain GET links
//! and forms without JavaScript.

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::layout::{Breadcrumbs, ErrorPage, Pagination};
use dto::{SearchHit, SearchResults};

/// Fewest characters before suggestions are fetched.
const SUGGEST_AFTER_CHARS: usize = 2;

/// The header search form. Without JavaScript it is a plain GET form to `/search`; with it,
/// matching titles are suggested as links below the box, announced to screen readers.
#[island]
pub fn SearchBox() -> impl IntoView {
    let (query, set_query) = signal(String::new());
    // Effects run only in the browser, so this marks the form once the island is live.
    let (enhanced, set_enhanced) = signal(false);
    Effect::new(move |_| set_enhanced.set(true));
    let suggestions = LocalResource::new(move || {
        let query = query.get();
        async move {
            if query.trim().chars().count() < SUGGEST_AFTER_CHARS {
                Ok(Vec::new())
            } else {
                api::suggest(query).await
            }
        }
    });
    let hits = move || suggestions.get().and_then(Result::ok).unwrap_or_default();
    let status = move || {
        if query.read().trim().chars().count() < SUGGEST_AFTER_CHARS {
            return String::new();
        }
        match hits().len() {
            0 => "No suggestions".to_owned(),
            1 => "1 suggestion below".to_owned(),
            n => format!("{n} suggestions below"),
        }
    };
    view! {
        <form
            class="header-search"
            role="search"
            aria-label="Site search"
            action="/search"
            method="get"
            data-enhanced=move || enhanced.get().then_some("true")
        >
            <label for="header-search-input" class="visually-hidden">"Search ohnet"</label>
            <input
                id="header-search-input"
                class="header-search__input"
                name="q"
                type="search"
                autocomplete="off"
                spellcheck="false"
                aria-describedby="header-search-status"
                on:input=move |ev| set_query.set(event_target_value(&ev))
            />
            <button type="submit" class="header-search__button">"Search"</button>
            <p id="header-search-status" class="visually-hidden" aria-live="polite">{status}</p>
            <Show when=move || !hits().is_empty()>
                <ul class="header-search__suggestions" data-testid="search-suggestions">
                    <For each=hits key=|hit| hit.path.clone() let:hit>
                        <li>
                            <a href=hit.path.clone()>
                                {hit.title.clone()}
                                <span class="header-search__kind">{hit.kind.clone()}</span>
                            </a>
                        </li>
                    </For>
                </ul>
            </Show>
        </form>
    }
}

/// `/search?q=…[&kind=…][&sort=newest][&page=N]`: one page of results for everything the
/// visitor may see, with counts by type.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let results = Resource::new(
        move || {
            let query = query.read();
            (
                query.get("q").unwrap_or_default(),
                query.get("kind").filter(|kind| !kind.is_empty()),
                query.get("sort").filter(|sort| !sort.is_empty()),
                query.get("page").and_then(|page| page.parse::<u32>().ok()),
            )
        },
        |(text, kind, sort, page)| api::search_site(text, kind, sort, page),
    );
    view! {
        <Title text="Search" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Search" />
        <h1>"Search"</h1>
        <form class="search-form" action="/search" method="get" role="search" aria-label="Search results">
            <label for="search-page-input" class="label">"Search ohnet"</label>
            <p class="hint" id="search-page-hint">
                "Put a phrase in quotes to find it exactly; put a minus sign before a word to leave it out."
            </p>
            <div class="search-form__row">
                <input
                    id="search-page-input"
                    class="input"
                    name="q"
                    type="search"
                    aria-describedby="search-page-hint"
                    value=move || query.read().get("q").unwrap_or_default()
                />
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <ResultsView results /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The address of the results page for `results`' query with the given type, order and page.
fn results_href(results: &SearchResults, kind: Option<&str>, order: &str, page: u32) -> String {
    let mut href = format!(
        "/search?q={}",
        crate::query_string::encode_value(&results.query)
    );
    if let Some(kind) = kind {
        href.push_str(&format!("&kind={kind}"));
    }
    if order == "newest" {
        href.push_str("&sort=newest");
    }
    if page > 1 {
        href.push_str(&format!("&page={page}"));
    }
    href
}

#[component]
fn ResultsView(results: SearchResults) -> impl IntoView {
    if results.query.is_empty() {
        return ().into_any();
    }
    let notice = results.notice.clone().map(|notice| {
        view! { <p class="search-results__notice" role="status">{notice}</p> }
    });
    let kind = results.kind.clone();
    let count = match results.total {
        1 => "1 result".to_owned(),
        n => format!("{n} results"),
    };
    let type_filters = (!results.filters.is_empty()).then(|| {
        let all_current = kind.is_none();
        let all_href = results_href(&results, None, &results.order, 1);
        view! {
            <nav class="search-filters" aria-label="Filter by type">
                <h2 class="search-filters__title">"Filter by type"</h2>
                <ul class="search-filters__list">
                    <li>
                        <a href=all_href aria-current=all_current.then_some("page")>
                            {format!("All types ({})", results.total_all_types)}
                        </a>
                    </li>
                    {results.filters.iter().map(|filter| {
                        let current = kind.as_deref() == Some(filter.kind.as_str());
                        let href = results_href(&results, Some(&filter.kind), &results.order, 1);
                        view! {
                            <li>
                                <a href=href aria-current=current.then_some("page")>
                                    {format!("{} ({})", filter.label, filter.count)}
                                </a>
                            </li>
                        }
                    }).collect_view()}
                </ul>
            </nav>
        }
    });
    let order_links = (results.total > 1).then(|| {
        let newest = results.order == "newest";
        let best_href = results_href(&results, kind.as_deref(), "relevance", 1);
        let newest_href = results_href(&results, kind.as_deref(), "newest", 1);
        view! {
            <p class="search-order">
                "Sort by: "
                <a href=best_href aria-current=(!newest).then_some("page")>"best match"</a>
                " | "
                <a href=newest_href aria-current=newest.then_some("page")>"newest"</a>
            </p>
        }
    });
    let (page, pages) = (results.page, results.pages);
    let previous =
        (page > 1).then(|| results_href(&results, kind.as_deref(), &results.order, page - 1));
    let next =
        (page < pages).then(|| results_href(&results, kind.as_deref(), &results.order, page + 1));
    view! {
        {notice}
        <h2 class="search-results__count" aria-live="polite">{count}" for “"{results.query.clone()}"”"</h2>
        <div class="search-layout">
            {type_filters}
            <div class="search-layout__results">
                {order_links}
                {results.hits.is_empty().then(|| view! {
                    <p>"Check your spelling or use fewer or different words."</p>
                })}
                <ul class="search-results">
                    {results.hits.into_iter().map(|hit: SearchHit| view! {
                        <li class="search-results__item">
                            <p class="search-results__kind">{hit.kind}</p>
                            <h3><a href=hit.path>{hit.title}</a></h3>
                            <p class="search-results__snippet" inner_html=hit.snippet_html></p>
                            <p class="search-results__where">
                                {hit.location}
                                {hit.updated.map(|updated| format!(" · updated {updated}"))}
                            </p>
                        </li>
                    }).collect_view()}
                </ul>
                <Pagination label="Pages of results" page=u64::from(page) pages=u64::from(pages) previous next />
            </div>
        </div>
    }
    .into_any()
}
