//! Following the forums on the web: watching, notifications, the one-click unsubscribe that
//! mail programs post to (RFC 8058), and the forum feeds with their per-member keys.

use app::forums::forms::{FeedSettings, MarkNotificationsRead, WatchForum, WatchTopic};
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::access::Access;
use domain::forums::FeedChange;
use domain::{Error, FieldError};

use crate::router::AppState;
use crate::web::form::{Submitted, actor_of, see_other, urlencode};
use crate::web::routes::{Registry, RouteKind};

/// The routes for following the forums, with their access rules.
pub fn routes(registry: Registry) -> Registry {
    registry
        .form::<WatchTopic>(post(watch_topic), Access::Member)
        .form::<WatchForum>(post(watch_forum), Access::Member)
        .page("/notifications", Access::Member)
        .server_fn("/api/notifications", Access::Member)
        .server_fn("/api/notifications/unread", Access::Public)
        .form::<MarkNotificationsRead>(post(mark_notifications_read), Access::Member)
        .page("/unsubscribe", Access::Public)
        .server_fn("/api/unsubscribe", Access::Public)
        .server_fn("/api/forums/feed-token", Access::Member)
        .form::<FeedSettings>(post(change_feeds), Access::Member)
        .get(
            "/forums/{forum}/feed.atom",
            RouteKind::Feed,
            get(forum_feed),
            Access::Public,
        )
        .get(
            "/forums/{forum}/{topic}/feed.atom",
            RouteKind::Feed,
            get(topic_feed),
            Access::Public,
        )
        .outside_layers(
            ONE_CLICK_UNSUBSCRIBE,
            RouteKind::Unsubscribe,
            get(one_click_page).post(one_click_unsubscribe),
        )
}

/// Where mail programs post a one-click unsubscribe (RFC 8058): outside the session and CSRF
/// layers, because the request comes from the mail provider, not the member's browser; the
/// signed token in the address is its authority.
const ONE_CLICK_UNSUBSCRIBE: &str = "/unsubscribe/one-click";

/// The signed token of an unsubscribe request.
#[derive(serde::Deserialize)]
struct UnsubscribeToken {
    #[serde(default)]
    token: String,
}

/// A browser that opens the one-click address is shown the page with the button.
async fn one_click_page(Query(query): Query<UnsubscribeToken>) -> Response {
    see_other(&format!("/unsubscribe?token={}", urlencode(&query.token)))
}

/// Stops forum email for the token's member. A browser returns to the page, told it is
/// done; a mail program only needs the status. An unknown token is a 404.
async fn one_click_unsubscribe(
    State(state): State<AppState>,
    Query(query): Query<UnsubscribeToken>,
) -> Response {
    match state.services.accounts.stop_forum_email(&query.token).await {
        Ok(()) => see_other(&format!(
            "/unsubscribe?token={}&done=stopped",
            urlencode(&query.token)
        )),
        Err(Error::NotFound) => (StatusCode::NOT_FOUND, "This link is not valid.").into_response(),
        Err(error) => {
            tracing::error!(%error, "one-click unsubscribe failed");
            StatusCode::INTERNAL_SERVER_ERROR.into_response()
        }
    }
}

async fn change_feeds(State(state): State<AppState>, form: Submitted<FeedSettings>) -> Response {
    let change = FeedChange::parse(&form.form.change);
    let outcome = match change {
        Some(change) => {
            state
                .services
                .forums
                .change_feeds(&form.actor(), change)
                .await
        }
        None => Err(Error::InvalidFields(vec![FieldError::new(
            "change",
            "Choose to turn feeds on, replace their addresses or turn them off",
        )])),
    };
    form.finish(&state, "/account", outcome, |()| {
        let done = match change {
            Some(FeedChange::Renew) => "feeds-renewed",
            Some(FeedChange::TurnOff) => "feeds-off",
            _ => "feeds-on",
        };
        format!("/account?done={done}#feeds")
    })
    .await
}

/// The key of a feed address.
#[derive(serde::Deserialize)]
struct FeedKey {
    token: Option<String>,
}

/// `/forums/{forum}/feed.atom`: the forum's newest posts as Atom, for the member whose key is
/// in the address.
async fn forum_feed(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    Query(key): Query<FeedKey>,
    request: Request,
) -> Response {
    let page = format!("/forums/{forum}/feed.atom");
    let Some(token) = key.token else {
        return feed_address(&state, request, &page).await;
    };
    feeds::answer(
        &state,
        state.services.forums.forum_feed(&token, &forum).await,
    )
}

/// `/forums/{forum}/{topic}/feed.atom`: the topic's newest posts as Atom.
async fn topic_feed(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    Query(key): Query<FeedKey>,
    request: Request,
) -> Response {
    let page = format!("/forums/{forum}/{topic}/feed.atom");
    let Some(token) = key.token else {
        return feed_address(&state, request, &page).await;
    };
    feeds::answer(
        &state,
        state
            .services
            .forums
            .topic_feed(&token, &forum, topic)
            .await,
    )
}

/// A feed link followed in the browser: a member with feeds on is sent to the address with
/// their key (to copy into a reader); one with feeds off to where they turn them on; anyone
/// else finds nothing.
async fn feed_address(state: &AppState, request: Request, page: &str) -> Response {
    let (parts, _) = request.into_parts();
    match state.services.forums.feed_token(&actor_of(&parts)).await {
        Ok(Some(token)) => see_other(&format!("{page}?token={}", urlencode(&token))),
        Ok(None) => see_other("/account#feeds"),
        Err(_) => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn watch_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<WatchTopic>,
) -> Response {
    let watching = form.form.watching != "no";
    let outcome = state
        .services
        .forums
        .watch_topic(&form.actor(), topic, watching)
        .await;
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |()| {
        let done = if watching { "watching" } else { "not-watching" };
        format!("/forums/{forum}/{topic}?done={done}")
    })
    .await
}

async fn watch_forum(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<WatchForum>,
) -> Response {
    let watching = form.form.watching != "no";
    let outcome = state
        .services
        .forums
        .watch_forum(&form.actor(), &forum, watching)
        .await;
    let page = format!("/forums/{forum}");
    form.finish(&state, &page, outcome, |()| page.clone()).await
}

async fn mark_notifications_read(
    State(state): State<AppState>,
    form: Submitted<MarkNotificationsRead>,
) -> Response {
    let outcome = state
        .services
        .forums
        .mark_notifications_read(&form.actor())
        .await;
    form.finish(&state, "/notifications", outcome, |()| {
        "/notifications?done=read".to_owned()
    })
    .await
}

mod feeds {
    //! Atom documents of forum and topic feeds, built with `atom_syndication` from what the
    //! domain let the feed's owner read.

    use atom_syndication::{Content, Entry, Feed, FixedDateTime, Link, Person};
    use axum::http::{StatusCode, header};
    use axum::response::{IntoResponse, Response};

    use crate::router::AppState;

    /// The feed as Atom, or the same 404 for an unknown, revoked or unreadable feed.
    pub fn answer(state: &AppState, found: domain::Result<domain::forums::Feed>) -> Response {
        match found {
            Ok(feed) => (
                [
                    (header::CONTENT_TYPE, "application/atom+xml; charset=utf-8"),
                    (header::CACHE_CONTROL, "private, max-age=300"),
                ],
                atom(&state.config.base_url, feed),
            )
                .into_response(),
            Err(domain::Error::NotFound | domain::Error::Forbidden) => {
                (StatusCode::NOT_FOUND, "No such feed.").into_response()
            }
            Err(error) => {
                tracing::error!(%error, "feed failed");
                StatusCode::INTERNAL_SERVER_ERROR.into_response()
            }
        }
    }

    fn link(href: String, rel: &str) -> Link {
        let mut link = Link::default();
        link.set_href(href);
        link.set_rel(rel.to_owned());
        link
    }

    fn when(time: chrono::DateTime<chrono::Utc>) -> FixedDateTime {
        time.fixed_offset()
    }

    fn atom(base_url: &str, feed: domain::forums::Feed) -> String {
        let mut document = Feed::default();
        document.set_title(format!("{} – ohnet", feed.title));
        document.set_id(format!("{base_url}{}", feed.page));
        document.set_links(vec![link(format!("{base_url}{}", feed.page), "alternate")]);
        let mut site = Person::default();
        site.set_name("ohnet".to_owned());
        document.set_authors(vec![site]);
        if let Some(newest) = feed.entries.iter().map(|entry| entry.updated_at).max() {
            document.set_updated(when(newest));
        }
        document.set_entries(
            feed.entries
                .into_iter()
                .map(|entry| {
                    let permalink = format!("{base_url}/forums/posts/{}", entry.post_id);
                    let mut item = Entry::default();
                    item.set_id(permalink.clone());
                    item.set_title(if entry.number == 1 {
                        entry.topic
                    } else {
                        format!("Re: {}", entry.topic)
                    });
                    item.set_links(vec![link(permalink, "alternate")]);
                    let mut author = Person::default();
                    author.set_name(entry.author);
                    item.set_authors(vec![author]);
                    item.set_published(Some(when(entry.created_at)));
                    item.set_updated(when(entry.updated_at));
                    let mut content = Content::default();
                    content.set_content_type(Some("html".to_owned()));
                    content.set_value(Some(entry.body_html));
                    item.set_content(Some(content));
                    item
                })
                .collect::<Vec<_>>(),
        );
        document.to_string()
    }
}
