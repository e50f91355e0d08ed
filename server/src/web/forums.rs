//! The forums on the web: starting topics, replying, editing and removing one's own posts
//! (each with a server-rendered preview), post permalinks, and the access rule of every forum
//! route. Which forums a member may read or post in is decided in the domain.

use app::forms::Form;
use app::forums::forms::{
    ArchiveForum, ChangeTopic, CreateForum, DeletePost, DismissReport, EditPost, FeedSettings,
    HidePost, MarkNotificationsRead, MoveTopic, Reply, ReportPost, StartTopic, UpdateForum,
    WatchForum, WatchTopic,
};
use axum::extract::{Path, Query, Request, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use domain::access::Access;
use domain::forums::{FeedChange, ForumSettingsDraft, NewTopic, PostDraft, TopicChange};
use domain::{Error, FieldError};

use super::form::{Submitted, actor_of, error_status, see_other};
use super::routes::{Registry, RouteKind};
use crate::router::AppState;

/// The forum routes with their access rules: the forums are for approved members.
pub fn routes(registry: Registry) -> Registry {
    registry
        .page("/forums", Access::Member)
        .page("/forums/{forum}", Access::Member)
        .page("/forums/{forum}/new", Access::Member)
        .page("/forums/{forum}/{topic}", Access::Member)
        .page("/forums/posts/{post}/edit", Access::Member)
        .page("/forums/posts/{post}/report", Access::Member)
        .page("/forums/posts/{post}/history", Access::Member)
        .server_fn("/api/forums/post-history", Access::Member)
        .server_fn("/api/forums/mention-suggestions", Access::Member)
        .posted_server_fn("/api/forums/preview", Access::Member)
        .page("/forums/moderation", Access::Member)
        .page("/admin/forums", Access::Administrator)
        .server_fn("/api/forums/settings", Access::Administrator)
        .form::<CreateForum>(post(create_forum), Access::Administrator)
        .form::<UpdateForum>(post(update_forum), Access::Administrator)
        .form::<ArchiveForum>(post(archive_forum), Access::Administrator)
        .server_fn("/api/forums/list", Access::Member)
        .server_fn("/api/forums/forum", Access::Member)
        .server_fn("/api/forums/topic", Access::Member)
        .server_fn("/api/forums/post-draft", Access::Member)
        .server_fn("/api/forums/moderation", Access::Member)
        .server_fn("/api/forums/locate", Access::Member)
        .form::<StartTopic>(post(start_topic), Access::Member)
        .form::<Reply>(post(reply), Access::Member)
        .form::<EditPost>(post(edit_post), Access::Member)
        .form::<DeletePost>(post(delete_post), Access::Member)
        .form::<ReportPost>(post(report_post), Access::Member)
        .form::<DismissReport>(post(dismiss_report), Access::Member)
        .form::<HidePost>(post(hide_post), Access::Member)
        .form::<ChangeTopic>(post(change_topic), Access::Member)
        .form::<MoveTopic>(post(move_topic), Access::Member)
        .get(
            "/forums/posts/{post}",
            RouteKind::Redirect,
            get(permalink),
            Access::Member,
        )
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
    see_other(&format!(
        "/unsubscribe?token={}",
        super::form::urlencode(&query.token)
    ))
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
            super::form::urlencode(&query.token)
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
        Ok(Some(token)) => see_other(&format!("{page}?token={}", super::form::urlencode(&token))),
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

async fn start_topic(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<StartTopic>,
) -> Response {
    let actor = form.actor();
    let page = StartTopic::SPEC.action_with(&[&forum]);
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let new = NewTopic {
        title: form.form.title.clone(),
        tags: form.form.tags.clone(),
        body: form.form.body.clone(),
    };
    let outcome = forums.start_topic(&actor, &forum, &new).await;
    form.finish(&state, &page, outcome, |topic| {
        format!("/forums/{forum}/{topic}?done=posted")
    })
    .await
}

async fn reply(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<Reply>,
) -> Response {
    let actor = form.actor();
    let page = format!("/forums/{forum}/{topic}?page=999999");
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let draft = PostDraft {
        body: form.form.body.clone(),
        quote_of: form.form.quote_of.trim().parse().ok(),
    };
    let outcome = forums.reply(&actor, topic, &draft).await;
    form.finish(&state, &page, outcome, |post| {
        format!("/forums/posts/{post}?done=posted")
    })
    .await
}

async fn edit_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<EditPost>,
) -> Response {
    let actor = form.actor();
    let page = EditPost::SPEC.action_with(&[&post.to_string()]);
    let forums = &state.services.forums;
    if form.form.intent == "preview" {
        return match forums.preview(&actor, &form.form.body) {
            Ok(html) => form.preview(&state, &page, html).await,
            Err(error) => form.failed(&state, &page, error).await,
        };
    }
    let outcome = forums.edit_post(&actor, post, &form.form.body).await;
    form.finish(&state, &page, outcome, |post| {
        format!("/forums/posts/{post}?done=edited")
    })
    .await
}

async fn delete_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<DeletePost>,
) -> Response {
    let outcome = state
        .services
        .forums
        .delete_post(&form.actor(), post, form.form.confirm)
        .await;
    let page = EditPost::SPEC.action_with(&[&post.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/posts/{post}?done=removed")
    })
    .await
}

async fn report_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<ReportPost>,
) -> Response {
    let outcome = state
        .services
        .forums
        .report_post(&form.actor(), post, &form.form.reason)
        .await;
    let page = ReportPost::SPEC.action_with(&[&post.to_string()]);
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/posts/{post}?done=reported")
    })
    .await
}

async fn hide_post(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    form: Submitted<HidePost>,
) -> Response {
    let hide = form.form.hidden != "no";
    let outcome = state
        .services
        .forums
        .set_post_hidden(&form.actor(), post, hide, &form.origin())
        .await;
    let from_queue = form.form.back == "queue";
    let page = if from_queue {
        "/forums/moderation".to_owned()
    } else {
        format!("/forums/posts/{post}")
    };
    form.finish(&state, &page, outcome, |()| match (from_queue, hide) {
        (true, _) => "/forums/moderation?done=hidden".to_owned(),
        (false, true) => format!("/forums/posts/{post}?done=hidden"),
        (false, false) => format!("/forums/posts/{post}?done=restored"),
    })
    .await
}

async fn dismiss_report(
    State(state): State<AppState>,
    Path(report): Path<i32>,
    form: Submitted<DismissReport>,
) -> Response {
    let outcome = state
        .services
        .forums
        .dismiss_report(&form.actor(), report, &form.origin())
        .await;
    form.finish(&state, "/forums/moderation", outcome, |()| {
        "/forums/moderation?done=dismissed".to_owned()
    })
    .await
}

async fn change_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<ChangeTopic>,
) -> Response {
    let outcome = match TopicChange::parse(&form.form.change) {
        Some(change) => {
            state
                .services
                .forums
                .change_topic(&form.actor(), topic, change, &form.origin())
                .await
        }
        None => Err(Error::InvalidFields(vec![FieldError::new(
            "change",
            "Choose lock, unlock, pin or unpin",
        )])),
    };
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |()| {
        format!("/forums/{forum}/{topic}?done=moderated")
    })
    .await
}

async fn move_topic(
    State(state): State<AppState>,
    Path((forum, topic)): Path<(String, i32)>,
    form: Submitted<MoveTopic>,
) -> Response {
    let outcome = state
        .services
        .forums
        .move_topic(&form.actor(), topic, &form.form.forum, &form.origin())
        .await;
    let page = format!("/forums/{forum}/{topic}");
    form.finish(&state, &page, outcome, |to| {
        format!("/forums/{to}/{topic}?done=moved")
    })
    .await
}

async fn create_forum(State(state): State<AppState>, form: Submitted<CreateForum>) -> Response {
    let fields = &form.form;
    let draft = ForumSettingsDraft {
        slug: fields.slug.clone(),
        name: fields.name.clone(),
        description: fields.description.clone(),
        position: fields.position.clone(),
        readers: fields.readers.clone(),
        posters: fields.posters.clone(),
    };
    let outcome = state
        .services
        .forums
        .create_forum(&form.actor(), &draft, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |_| {
        "/admin/forums?done=created".to_owned()
    })
    .await
}

async fn update_forum(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<UpdateForum>,
) -> Response {
    let fields = &form.form;
    let draft = ForumSettingsDraft {
        slug: forum.clone(),
        name: fields.name.clone(),
        description: fields.description.clone(),
        position: fields.position.clone(),
        readers: fields.readers.clone(),
        posters: fields.posters.clone(),
    };
    let outcome = state
        .services
        .forums
        .update_forum(&form.actor(), &forum, &draft, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |()| {
        "/admin/forums?done=saved".to_owned()
    })
    .await
}

async fn archive_forum(
    State(state): State<AppState>,
    Path(forum): Path<String>,
    form: Submitted<ArchiveForum>,
) -> Response {
    let archive = form.form.archived != "no";
    let outcome = state
        .services
        .forums
        .set_forum_archived(&form.actor(), &forum, archive, &form.origin())
        .await;
    form.finish(&state, "/admin/forums", outcome, |()| {
        if archive {
            "/admin/forums?done=archived".to_owned()
        } else {
            "/admin/forums?done=restored".to_owned()
        }
    })
    .await
}

/// `/forums/posts/{post}`: the post's place in its topic (page and anchor), carrying a
/// `done` banner along.
async fn permalink(
    State(state): State<AppState>,
    Path(post): Path<i32>,
    request: Request,
) -> Response {
    let (parts, _) = request.into_parts();
    let done = parts
        .uri
        .query()
        .and_then(|query| {
            serde_urlencoded::from_str::<Vec<(String, String)>>(query)
                .ok()?
                .into_iter()
                .find(|(name, _)| name == "done")
        })
        .map(|(_, value)| value)
        .filter(|value| {
            matches!(
                value.as_str(),
                "posted" | "edited" | "removed" | "reported" | "hidden" | "restored"
            )
        });
    match state
        .services
        .forums
        .locate_post(&actor_of(&parts), post)
        .await
    {
        Ok((forum, topic, page, number)) => {
            let done = done.map(|done| format!("&done={done}")).unwrap_or_default();
            see_other(&format!(
                "/forums/{forum}/{topic}?page={page}{done}#post-{number}"
            ))
        }
        Err(error) => error_status(&parts, error),
    }
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
