//! The guidance library: `/library` (filters by kind, tag and audience, newest first or by
//! title, all as a plain GET form and links), `/library/<slug>` (a document with its owner,
//! dates, review flag and version history), `/library/<slug>/compare` (what changed between
//! any two versions), the curated `/good-practice` and `/tom` pages, and (in [`editor`]) the
//! editors' pages.

pub mod api;
pub mod dto;
pub mod editor;
pub mod forms;

use leptos::prelude::*;
use leptos_meta::{Meta, Title};
use leptos_router::hooks::{use_params_map, use_query_map};

use crate::files::FileList;
use crate::forms::SuccessBanner;
use crate::layout::{Breadcrumbs, ContentsList, ErrorPage, FilterSelect, Pagination};
use crate::query_string::encode_value;
use dto::{ComparedLine, Comparison, CuratedPage, DocumentCard, DocumentPage, LibraryListing};

fn home_and_library() -> Vec<(String, String)> {
    vec![
        ("Home".to_owned(), "/".to_owned()),
        ("Guidance library".to_owned(), "/library".to_owned()),
    ]
}

fn query(name: &str) -> Option<String> {
    use_query_map()
        .read_untracked()
        .get(name)
        .filter(|value| !value.is_empty())
}

/// `/library`: the documents the visitor may read.
#[component]
pub fn LibraryPage() -> impl IntoView {
    let query_map = use_query_map();
    let listing = Resource::new(
        move || {
            let query = query_map.read();
            let get = |name: &str| query.get(name).filter(|value| !value.is_empty());
            (
                get("kind"),
                get("tag"),
                get("audience"),
                get("sort"),
                get("page").and_then(|page| page.parse::<usize>().ok()),
            )
        },
        |(kind, tag, audience, sort, page)| api::list_documents(kind, tag, audience, sort, page),
    );
    view! {
        <Title text="Guidance library" />
        <Meta name="description" content="National standards, clinical guidance, good practice, policy templates and the target operating model for police occupational health." />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current="Guidance library" />
        <h1>"Guidance library"</h1>
        <p class="lead">
            "National standards, clinical guidance, good practice examples, policy templates, "
            "briefings and the target operating model for police occupational health."
        </p>
        <p>
            "See also the "<a href="/good-practice">"good practice hub"</a>" and the "
            <a href="/tom">"target operating model"</a>". To find words inside documents, "
            <a href="/search?kind=document">"search the site"</a>"."
        </p>
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match listing.await {
                    Ok(listing) => view! { <Listing listing /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn listing_href(listing: &LibraryListing, page: usize) -> String {
    let mut parts = Vec::new();
    for (name, value) in [
        ("kind", &listing.kind),
        ("tag", &listing.tag),
        ("audience", &listing.audience),
    ] {
        if !value.is_empty() {
            parts.push(format!("{name}={}", encode_value(value)));
        }
    }
    if listing.order != "newest" {
        parts.push(format!("sort={}", listing.order));
    }
    if page > 1 {
        parts.push(format!("page={page}"));
    }
    if parts.is_empty() {
        "/library".to_owned()
    } else {
        format!("/library?{}", parts.join("&"))
    }
}

#[component]
fn Listing(listing: LibraryListing) -> impl IntoView {
    let any = |label: &str| (String::new(), label.to_owned());
    let with_counts = |options: &[dto::FilterOption]| {
        options
            .iter()
            .map(|option| {
                (
                    option.value.clone(),
                    format!("{} ({})", option.label, option.count),
                )
            })
            .collect::<Vec<_>>()
    };
    let kinds = std::iter::once(any("All kinds"))
        .chain(with_counts(&listing.kinds))
        .collect();
    let tags = std::iter::once(any("All topics"))
        .chain(with_counts(&listing.tags))
        .collect();
    let audiences = std::iter::once(any("Everyone it is for"))
        .chain(with_counts(&listing.audiences))
        .collect();
    let orders = vec![
        ("newest".to_owned(), "Newest first".to_owned()),
        ("title".to_owned(), "Title, A to Z".to_owned()),
    ];
    let count = match listing.total {
        1 => "1 document".to_owned(),
        n => format!("{n} documents"),
    };
    let (page, pages) = (listing.page, listing.pages);
    let previous = (page > 1).then(|| listing_href(&listing, page - 1));
    let next = (page < pages).then(|| listing_href(&listing, page + 1));
    let overdue = listing.overdue.clone();
    let may_edit = listing.may_edit;
    view! {
        {may_edit.then(|| view! {
            <p class="button-group">
                <a class="button" href="/library/new">"New document"</a>
                <a class="button button--secondary" href="/library/drafts">"Drafts and reviews"</a>
            </p>
        })}
        <form class="filter-form filter-form--wrap" action="/library" method="get" aria-label="Filter the library">
            <FilterSelect id="library-kind" name="kind" label="Kind" current=listing.kind.clone() options=kinds />
            <FilterSelect id="library-tag" name="tag" label="Topic" current=listing.tag.clone() options=tags />
            <FilterSelect id="library-audience" name="audience" label="Who it is for" current=listing.audience.clone() options=audiences />
            <FilterSelect id="library-sort" name="sort" label="Order" current=listing.order.clone() options=orders />
            <button type="submit" class="button button--secondary">"Apply filters"</button>
        </form>
        {(!overdue.is_empty()).then(|| view! {
            <section class="inset-text" aria-labelledby="overdue-heading">
                <h2 id="overdue-heading">"Due for review"</h2>
                <p>"These documents are past their review date. Readers are told so on each one."</p>
                <ul>
                    {overdue.into_iter().map(|document| view! {
                        <li>
                            <a href=format!("/library/{}", document.slug)>{document.title}</a>
                            {format!(" (review was due {})", document.review_by)}
                        </li>
                    }).collect_view()}
                </ul>
            </section>
        })}
        <h2 class="search-results__count" aria-live="polite">{count}</h2>
        {listing.documents.is_empty().then(|| view! {
            <p>"No documents match these filters. "<a href="/library">"Show every document"</a></p>
        })}
        <ul class="document-list">
            {listing.documents.into_iter().map(|document| view! { <Card document /> }).collect_view()}
        </ul>
        <Pagination label="Pages of documents" page=page as u64 pages=pages as u64 previous next />
    }
}

/// One document in a list.
#[component]
fn Card(document: DocumentCard) -> impl IntoView {
    view! {
        <li class="document-list__item">
            <p class="document-list__kind">{document.kind.clone()}</p>
            <h3><a href=format!("/library/{}", document.slug)>{document.title.clone()}</a></h3>
            <p>{document.summary.clone()}</p>
            <p class="document-list__meta">
                {format!("Updated {} · {}", document.updated, document.audience)}
                {document.review_overdue.then(|| view! {
                    " · "<strong class="tag tag--red">"Review overdue"</strong>
                })}
            </p>
        </li>
    }
}

/// `/library/<slug>`: one document.
#[component]
pub fn DocumentRoute() -> impl IntoView {
    let params = use_params_map();
    let document = Resource::new(
        move || params.read().get("slug").unwrap_or_default(),
        api::get_document,
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match document.await {
                    Ok(document) => {
                        let tools = document.may_edit.then(|| view! {
                            <editor::EditorTools slug=document.card.slug.clone() withdrawn=document.withdrawn has_draft=document.has_draft />
                        });
                        view! {
                            <Title text=document.card.title.clone() />
                            <Meta name="description" content=document.card.summary.clone() />
                            <Breadcrumbs trail=home_and_library() current=document.card.title.clone() />
                            {done_banner()}
                            {tools}
                            <DocumentBody document heading_level=1 />
                        }.into_any()
                    }
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The banner after an editor's change to a document (`?done=…`).
fn done_banner() -> Option<impl IntoView> {
    let message = match query("done")?.as_str() {
        "published" => "Published. Readers now see this version.",
        "withdrawn" => "Withdrawn. Only editors can see this document now.",
        "republished" => "Republished. Readers can see this document again.",
        _ => return None,
    };
    Some(view! { <SuccessBanner message=message.to_owned() /> })
}

/// A document's title, facts, review warning, contents, text and history.
#[component]
fn DocumentBody(document: DocumentPage, heading_level: u8) -> impl IntoView {
    let card = document.card.clone();
    let slug = card.slug.clone();
    let title = if heading_level == 1 {
        view! { <h1>{card.title.clone()}</h1> }.into_any()
    } else {
        view! { <h2>{card.title.clone()}</h2> }.into_any()
    };
    let versions = document.versions.clone();
    let slug_for_compare = slug.clone();
    view! {
        <p class="document-kind">{card.kind.clone()}</p>
        {title}
        <p class="lead">{card.summary.clone()}</p>
        {document.withdrawn.then(|| view! {
            <div class="warning-text" role="note">
                <p><strong>"Withdrawn: only editors can see this document."</strong></p>
            </div>
        })}
        {card.review_overdue.then(|| view! {
            <div class="warning-text" role="note">
                <p>
                    <strong>{format!("This document was due for review on {}.", card.review_by)}</strong>
                    " Check it against current legislation and guidance before relying on it."
                </p>
            </div>
        })}
        <dl class="summary-list">
            <div class="summary-list__row"><dt>"Kind"</dt><dd>{card.kind.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Owner"</dt><dd>{document.owner.clone()}</dd></div>
            <div class="summary-list__row"><dt>"First published"</dt><dd>{document.published.clone()}</dd></div>
            <div class="summary-list__row"><dt>"This version"</dt><dd>{format!("Version {}, {}", document.version, card.updated)}</dd></div>
            <div class="summary-list__row"><dt>"Next review"</dt><dd>{card.review_by.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Who can read it"</dt><dd>{card.audience.clone()}</dd></div>
            <div class="summary-list__row"><dt>"Topics"</dt><dd>{card.tags.iter().map(|tag| view! {
                <a class="tag-link" href=format!("/library?tag={}", encode_value(tag))>{tag.replace('-', " ")}</a>" "
            }).collect_view()}</dd></div>
        </dl>
        <ContentsList entries=document.contents.clone() />
        <div class="prose" inner_html=document.html.clone()></div>
        {(!document.attachments.is_empty()).then(|| {
            let files = document.attachments.clone();
            view! {
                <section aria-labelledby="attachments-heading">
                    <h2 id="attachments-heading">"Attachments"</h2>
                    <FileList files download_base=format!("/library/{slug}/files") remove=None empty="" />
                </section>
            }
        })}
        <section aria-labelledby="versions-heading">
            <h2 id="versions-heading">"Version history"</h2>
            <table class="table">
                <caption class="visually-hidden">"Versions of this document, newest first"</caption>
                <thead><tr><th scope="col">"Version"</th><th scope="col">"Date"</th><th scope="col">"What changed"</th><th scope="col">"Compare"</th></tr></thead>
                <tbody>
                    {versions.into_iter().map(|version| {
                        let compare = (version.number > 1).then(|| {
                            let href = format!("/library/{slug}/compare?from={}&to={}", version.number - 1, version.number);
                            view! { <a href=href>{format!("Changes from version {}", version.number - 1)}</a> }
                        });
                        view! {
                            <tr>
                                <td>{version.number}</td>
                                <td>{version.date}</td>
                                <td>{version.change_note}</td>
                                <td>{compare}</td>
                            </tr>
                        }
                    }).collect_view()}
                </tbody>
            </table>
            {(document.versions.len() > 1).then(|| view! { <CompareForm slug=slug_for_compare.clone() latest=document.version /> })}
        </section>
    }
}

/// Chooses any two versions to compare (a GET form: works without JavaScript).
#[component]
fn CompareForm(slug: String, latest: i32) -> impl IntoView {
    let numbers = |chosen: i32| {
        (1..=latest)
            .rev()
            .map(|number| view! { <option value=number.to_string() selected=number == chosen>{format!("Version {number}")}</option> })
            .collect_view()
    };
    view! {
        <form class="filter-form" method="get" action=format!("/library/{slug}/compare") aria-label="Compare two versions">
            <div class="form-group">
                <label class="label" for="compare-from">"Compare"</label>
                <select class="select" id="compare-from" name="from">{numbers(1)}</select>
            </div>
            <div class="form-group">
                <label class="label" for="compare-to">"with"</label>
                <select class="select" id="compare-to" name="to">{numbers(latest)}</select>
            </div>
            <button type="submit" class="button button--secondary">"Show changes"</button>
        </form>
    }
}

/// `/library/<slug>/compare?from=N&to=M`: what changed between two versions.
#[component]
pub fn CompareRoute() -> impl IntoView {
    let params = use_params_map();
    let slug = params.read_untracked().get("slug").unwrap_or_default();
    let number = |name: &str| query(name).and_then(|value| value.parse::<i32>().ok());
    let (from, to) = (number("from"), number("to"));
    let comparison = Resource::new(
        move || (slug.clone(), from, to),
        |(slug, from, to)| async move {
            match (from, to) {
                (Some(from), Some(to)) => api::compare_versions(slug, from, to).await,
                _ => Err(crate::error::AppError::NotFound),
            }
        },
    );
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match comparison.await {
                    Ok(comparison) => view! { <ComparisonView comparison /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

#[component]
fn ComparisonView(comparison: Comparison) -> impl IntoView {
    let mut trail = home_and_library();
    trail.push((
        comparison.title.clone(),
        format!("/library/{}", comparison.slug),
    ));
    let heading = format!(
        "Changes from version {} to version {}",
        comparison.from.number, comparison.to.number
    );
    view! {
        <Title text=format!("{heading}: {}", comparison.title) />
        <Breadcrumbs trail current=heading.clone() />
        <h1>{heading}</h1>
        <p class="lead">{comparison.title.clone()}</p>
        <dl class="summary-list">
            <div class="summary-list__row"><dt>{format!("Version {}", comparison.from.number)}</dt><dd>{format!("{}: {}", comparison.from.date, comparison.from.change_note)}</dd></div>
            <div class="summary-list__row"><dt>{format!("Version {}", comparison.to.number)}</dt><dd>{format!("{}: {}", comparison.to.date, comparison.to.change_note)}</dd></div>
        </dl>
        {if comparison.lines.is_empty() {
            view! { <p>"The text of these versions is the same."</p> }.into_any()
        } else {
            view! {
                <ol class="diff" aria-label="Lines of the document, with what was added and removed">
                    {comparison.lines.into_iter().map(|line| match line {
                        ComparedLine::Same(text) => view! { <li class="diff__same">{text}</li> }.into_any(),
                        ComparedLine::Added(text) => view! {
                            <li class="diff__added"><ins><span class="visually-hidden">"Added: "</span>{text}</ins></li>
                        }.into_any(),
                        ComparedLine::Removed(text) => view! {
                            <li class="diff__removed"><del><span class="visually-hidden">"Removed: "</span>{text}</del></li>
                        }.into_any(),
                        ComparedLine::Skipped(count) => view! {
                            <li class="diff__skipped">{format!("… {count} unchanged lines …")}</li>
                        }.into_any(),
                    }).collect_view()}
                </ol>
            }.into_any()
        }}
    }
}

/// `/good-practice`: good practice examples and templates, with an introduction.
#[component]
pub fn GoodPracticePage() -> impl IntoView {
    view! { <Curated which="good-practice" /> }
}

/// `/tom`: the target operating model, laid out by its four stages, with the standards and
/// templates that support it.
#[component]
pub fn TomPage() -> impl IntoView {
    view! { <Curated which="tom" /> }
}

#[component]
fn Curated(which: &'static str) -> impl IntoView {
    let page = Resource::new(move || which.to_owned(), api::load_curated_page);
    view! {
        <Suspense fallback=|| ()>
            {move || Suspend::new(async move {
                match page.await {
                    Ok(page) => view! { <CuratedView page /> }.into_any(),
                    Err(error) => view! { <ErrorPage error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The four stages of the capability model the target operating model follows.
const STAGES: [(&str, &str); 4] = [
    ("scan", "Scan"),
    ("develop", "Develop"),
    ("deliver", "Deliver"),
    ("evaluate", "Evaluate"),
];

#[component]
fn CuratedView(page: CuratedPage) -> impl IntoView {
    let stages = page.main.as_ref().map(|main| {
        let present: Vec<(&str, &str)> = STAGES
            .into_iter()
            .filter(|(id, _)| main.contents.iter().any(|entry| entry.id == *id))
            .collect();
        view! {
            <nav class="stages" aria-label="Stages of the model">
                <ol class="stages__list">
                    {present.into_iter().enumerate().map(|(index, (id, label))| view! {
                        <li class="stages__item">
                            <a href=format!("#{id}")>
                                <span class="stages__number">{format!("Stage {}", index + 1)}</span>
                                {label}
                            </a>
                        </li>
                    }).collect_view()}
                </ol>
            </nav>
        }
    });
    view! {
        <Title text=page.title.clone() />
        <Meta name="description" content=page.summary.clone() />
        <Breadcrumbs trail=vec![("Home".to_owned(), "/".to_owned())] current=page.title.clone() />
        <h1>{page.title.clone()}</h1>
        <p class="lead">{page.summary.clone()}</p>
        <div class="prose" inner_html=page.intro_html.clone()></div>
        {stages}
        {page.main.map(|main| view! {
            <article class="curated-main">
                <DocumentBody document=main heading_level=2 />
            </article>
        })}
        {page.groups.into_iter().map(|(label, documents)| view! {
            <section>
                <h2>{label}</h2>
                <ul class="document-list">
                    {documents.into_iter().map(|document| view! { <Card document /> }).collect_view()}
                </ul>
            </section>
        }).collect_view()}
    }
}
