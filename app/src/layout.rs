//! The parts every page shares: header with primary navigation, footer, breadcrumbs, and the
//! pages shown for "not found" and for errors.

use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_location;

use crate::accounts::forms::SignOut;
use crate::error::AppError;
use crate::forms::Form;
use crate::search::SearchBox;

/// The primary navigation, in order: (label, path).
pub const PRIMARY_NAVIGATION: [(&str, &str); 8] = [
    ("Learning", "/learning"),
    ("CPD", "/cpd"),
    ("Forums", "/forums"),
    ("Library", "/library"),
    ("Events", "/events"),
    ("Newsletters", "/newsletters"),
    ("Standards", "/standards"),
    ("Search", "/search"),
];

/// Site name, search box and primary navigation.
///
/// The header is rendered on the server only (it is not an island), so its links are plain
/// `<a>`s: the router's `<A>` would build reactive state per link that nothing ever updates.
#[component]
pub fn SiteHeader() -> impl IntoView {
    let path = use_location().pathname.get_untracked();
    view! {
        <header class="site-header">
            <div class="width-container site-header__top">
                <a href="/" class="site-header__name">
                    <span class="site-header__logo" aria-hidden="true">"oh"</span>
                    <span>"ohnet"</span>
                    <span class="site-header__strap">"Police Occupational Health network"</span>
                </a>
                <SearchBox />
                <AccountLinks />
            </div>
            <nav class="primary-nav" aria-label="Main">
                <ul class="width-container primary-nav__list">
                    {PRIMARY_NAVIGATION
                        .iter()
                        .map(|(label, href)| {
                            view! {
                                <li>
                                    <a
                                        href=*href
                                        class="primary-nav__link"
                                        aria-current=in_section(&path, href).then_some("page")
                                    >
                                        {*label}
                                    </a>
                                </li>
                            }
                        })
                        .collect_view()}
                </ul>
            </nav>
        </header>
    }
}

/// Whether `path` is the section at `href` or a page within it.
fn in_section(path: &str, href: &str) -> bool {
    path.strip_prefix(href)
        .is_some_and(|rest| rest.is_empty() || rest.starts_with('/'))
}

/// "Sign in" and "Apply to join", or the member's name and "Sign out".
#[component]
fn AccountLinks() -> impl IntoView {
    #[cfg(feature = "ssr")]
    let member = crate::context::actor().member().map(|member| {
        (
            member.name.clone(),
            member.status == domain::accounts::MemberStatus::Active,
        )
    });
    #[cfg(not(feature = "ssr"))]
    let member: Option<(String, bool)> = None;
    view! {
        <div class="account-links">
            {match member {
                Some((name, approved)) => view! {
                    {approved.then(|| view! { <NotificationsLink /> })}
                    <a href="/account" class="account-links__link">"Your account"<span class="visually-hidden">" ("{name}")"</span></a>
                    <form method="post" action=SignOut::SPEC.action class="account-links__form">
                        <crate::forms::FormFields form_id=SignOut::SPEC.id />
                        <button type="submit" class="account-links__button">"Sign out"</button>
                    </form>
                }
                .into_any(),
                None => view! {
                    <a href="/sign-in" class="account-links__link">"Sign in"</a>
                    <a href="/register" class="account-links__link">"Apply to join"</a>
                }
                .into_any(),
            }}
        </div>
    }
}

/// "Notifications", with how many are unread (awaited directly, as on the lesson page).
#[component]
fn NotificationsLink() -> impl IntoView {
    view! {
        <Suspense fallback=|| view! { <a href="/notifications" class="account-links__link">"Notifications"</a> }>
            {move || Suspend::new(async move {
                let count = crate::forums::api::unread_notifications().await.unwrap_or(0);
                view! {
                    <a href="/notifications" class="account-links__link">
                        "Notifications"
                        {(count > 0).then(|| view! {
                            " "<span class="count-badge">{count}<span class="visually-hidden">" unread"</span></span>
                        })}
                    </a>
                }
            })}
        </Suspense>
    }
}

/// Footer links and the network's standing statement.
#[component]
pub fn SiteFooter() -> impl IntoView {
    view! {
        <footer class="site-footer">
            <div class="width-container">
                <h2 class="visually-hidden">"Support links"</h2>
                <ul class="site-footer__links">
                    <li><a href="/about">"About the network"</a></li>
                    <li><a href="/target-operating-model">"Target operating model"</a></li>
                    <li><a href="/accessibility">"Accessibility"</a></li>
                    <li><a href="/privacy">"Privacy"</a></li>
                </ul>
                <p class="site-footer__meta">
                    "ohnet is run by and for the police Occupational Health practitioner network in the UK."
                </p>
            </div>
        </footer>
    }
}

/// A breadcrumb trail ending at the current page (not a link).
#[component]
pub fn Breadcrumbs(
    /// Ancestors, nearest last: (label, path).
    #[prop(into)]
    trail: Vec<(String, String)>,
    /// The current page's label.
    #[prop(into)]
    current: String,
) -> impl IntoView {
    view! {
        <nav class="breadcrumbs" aria-label="Breadcrumb">
            <ol>
                {trail
                    .into_iter()
                    .map(|(label, href)| view! { <li><a href=href>{label}</a></li> })
                    .collect_view()}
                <li aria-current="page">{current}</li>
            </ol>
        </nav>
    }
}

/// The 404 page; sets the response status.
#[component]
pub fn NotFound() -> impl IntoView {
    #[cfg(feature = "ssr")]
    crate::error::set_status(404);
    view! {
        <Title text="Page not found" />
        <h1>"Page not found"</h1>
        <p>"If you typed the web address, check it is correct."</p>
        <p>"If you pasted the web address, check you copied the entire address."</p>
        <p>
            "You can "<a href="/search">"search ohnet"</a>" or go to the "
            <a href="/">"home page"</a>"."
        </p>
    }
}

/// What a page shows in place of its content when loading it failed.
#[component]
pub fn ErrorPage(error: AppError) -> impl IntoView {
    match error {
        AppError::NotFound => view! { <NotFound /> }.into_any(),
        AppError::Moved(address) => view! {
            <Title text="This has moved" />
            <h1>"This has moved"</h1>
            <p><a href=address>"Go to its new address"</a></p>
        }
        .into_any(),
        AppError::Internal { request_id } => view! {
            <Title text="Sorry, there is a problem with the service" />
            <h1>"Sorry, there is a problem with the service"</h1>
            <p>"Try again later."</p>
            <p>
                "If you contact support about this, quote reference "
                <strong class="request-id">{request_id.unwrap_or_else(|| "unknown".to_owned())}</strong>"."
            </p>
        }
        .into_any(),
        other => {
            let message = other.to_string();
            view! {
                <Title text=message.clone() />
                <h1>{message}</h1>
                <p><a href="/">"Go to the home page"</a></p>
            }
            .into_any()
        }
    }
}

/// One labelled filter select.
#[component]
pub fn FilterSelect(
    id: &'static str,
    name: &'static str,
    label: &'static str,
    current: String,
    options: Vec<(String, String)>,
) -> impl IntoView {
    view! {
        <div class="form-group">
            <label class="label" for=id>{label}</label>
            <select class="select" id=id name=name>
                {options.into_iter().map(|(value, text)| {
                    let selected = value == current;
                    view! { <option value=value selected=selected>{text}</option> }
                }).collect_view()}
            </select>
        </div>
    }
}

/// Links to the previous and next pages and which page this is, when there are several.
#[component]
pub fn Pagination(
    /// What the pages are of, for the navigation's label ("Pages of results").
    label: &'static str,
    /// This page, from 1.
    page: u64,
    /// Pages there are.
    pages: u64,
    /// The previous page's address, unless this is the first.
    previous: Option<String>,
    /// The next page's address, unless this is the last.
    next: Option<String>,
) -> impl IntoView {
    (pages > 1).then(|| {
        view! {
            <nav class="pagination" aria-label=label>
                {previous.map(|href| view! { <a rel="prev" href=href>"Previous page"</a>" " })}
                <span>{format!("Page {page} of {pages}")}</span>
                {next.map(|href| view! { " "<a rel="next" href=href>"Next page"</a> })}
            </nav>
        }
    })
}

/// The on-page contents of a page or document with two or more sections: links to its
/// level-2 headings, with level-3 ones indented.
#[component]
pub fn ContentsList(entries: Vec<crate::pages::dto::ContentsEntry>) -> impl IntoView {
    (entries.len() > 1).then(|| {
        view! {
            <nav class="contents-list" aria-labelledby="contents-heading">
                <h2 id="contents-heading" class="contents-list__title">"Contents"</h2>
                <ol>
                    {entries.into_iter().map(|entry| {
                        let class = if entry.level > 2 { "contents-list__sub" } else { "" };
                        view! { <li class=class><a href=format!("#{}", entry.id)>{entry.text}</a></li> }
                    }).collect_view()}
                </ol>
            </nav>
        }
    })
}

#[cfg(test)]
mod tests {
    use super::in_section;

    #[test]
    fn a_section_contains_its_own_path_and_pages_below_it_only() {
        assert!(in_section("/learning", "/learning"));
        assert!(in_section(
            "/learning/assessing-fitness-for-duty",
            "/learning"
        ));
        assert!(!in_section("/learning-plans", "/learning"));
        assert!(!in_section("/", "/learning"));
        assert!(!in_section("/cpd", "/learning"));
    }
}
