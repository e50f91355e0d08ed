//! Site search: the header search box (an island that suggests pages as you type) and the
//! `/search` results page, which works as a plain GET form without JavaScript.

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

use crate::layout::{Breadcrumbs, ErrorPage};
use dto::SearchHit;

/// Fewest characters before suggestions are fetched.
const SUGGEST_AFTER_CHARS: usize = 2;

/// The header search form. Without JavaScript it is a plain GET form to `/search`; with it,
/// matching pages are suggested as links below the box, announced to screen readers.
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
                api::suggest_pages(query).await
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
                        <li><a href=hit.path.clone()>{hit.title.clone()}</a></li>
                    </For>
                </ul>
            </Show>
        </form>
    }
}

/// `/search?q=…`: results for everything the visitor may see.
#[component]
pub fn SearchPage() -> impl IntoView {
    let query = use_query_map();
    let results = Resource::new(
        move || query.read().get("q").unwrap_or_default(),
        api::search_site,
    );
    view! {
        <Title text="Search" />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Search" />
        <h1>"Search"</h1>
        <form class="search-form" action="/search" method="get" role="search" aria-label="Search results">
            <label for="search-page-input" class="label">"Search ohnet"</label>
            <div class="search-form__row">
                <input
                    id="search-page-input"
                    class="input"
                    name="q"
                    type="search"
                    value=move || query.read().get("q").unwrap_or_default()
                />
                <button type="submit" class="button">"Search"</button>
            </div>
        </form>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match results.await {
                    Ok(results) => view! { <SearchResults results /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn SearchResults(results: dto::SearchResults) -> impl IntoView {
    if results.query.is_empty() {
        return ().into_any();
    }
    let count = match results.hits.len() {
        1 => "1 result".to_owned(),
        n => format!("{n} results"),
    };
    view! {
        <h2 class="search-results__count">{count}" for “"{results.query.clone()}"”"</h2>
        {results.hits.is_empty().then(|| view! {
            <p>"Check your spelling or use fewer or different words."</p>
        })}
        <ul class="search-results">
            {results.hits.into_iter().map(|hit: SearchHit| view! {
                <li class="search-results__item">
                    <h3><a href=hit.path>{hit.title}</a></h3>
                    <p>{hit.summary}</p>
                </li>
            }).collect_view()}
        </ul>
    }
    .into_any()
}
