//! Content pages from `content/pages/`: the home page at `/` and every other page at `/<slug>`.

pub mod api;
pub mod dto;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::use_params_map;

use crate::layout::{Breadcrumbs, ContentsList, ErrorPage, PRIMARY_NAVIGATION};
use dto::PageView;

/// `/`: the network's introduction and the ways into the site.
#[component]
pub fn HomePage() -> impl IntoView {
    let page = Resource::new(|| (), |_| api::get_page("home".to_owned()));
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! {
                        <Title text="" />
                        <Meta name="description" content=page.summary.clone() />
                        <h1>{page.title.clone()}</h1>
                        <p class="lead">{page.summary.clone()}</p>
                        <div class="prose" inner_html=page.html.clone()></div>
                        <h2>"Find your way around"</h2>
                        <ul class="card-grid">
                            {PRIMARY_NAVIGATION
                                .iter()
                                .map(|(label, href)| view! {
                                    <li class="card"><a href=*href class="card__link">{*label}</a></li>
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// `/<slug>`: any other content page (about, privacy, target operating model …).
#[component]
pub fn ContentPageRoute() -> impl IntoView {
    let params = use_params_map();
    let page = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::get_page,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <ContentPage page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// A page with breadcrumbs, title, summary, on-page contents and body.
#[component]
fn ContentPage(page: PageView) -> impl IntoView {
    view! {
        <Title text=page.title.clone() />
        <Meta name="description" content=page.summary.clone() />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current=page.title.clone() />
        <h1>{page.title.clone()}</h1>
        <p class="lead">{page.summary.clone()}</p>
        <ContentsList entries=page.contents.clone() />
        <div class="prose" inner_html=page.html.clone()></div>
        <p class="page-meta">"Last updated " {page.updated.clone()}</p>
    }
}
