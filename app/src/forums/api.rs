//! Server functions for the forums: thin calls to the domain, mapped to DTOs.

use leptos::prelude::*;

use super::dto::{
    ForumItem, ForumSettingsView, ForumView, MentionSuggestion, ModerationQueueView,
    NotificationItem, PostDraftView, PostHistoryView, SplitPlanView, TopicView,
};
use crate::error::AppError;

/// The forums the member may read.
#[server(prefix = "/api", endpoint = "forums/list", input = server_fn::codec::GetUrl)]
pub async fn forums() -> Result<Vec<ForumItem>, AppError> {
    let cx = crate::context::server_context()?;
    let forums = cx.services.forums.forums(&crate::context::actor()).await?;
    Ok(forums.into_iter().map(convert::forum_item).collect())
}

/// A forum's topics, a page at a time.
#[server(prefix = "/api", endpoint = "forums/forum", input = server_fn::codec::GetUrl)]
pub async fn forum(slug: String, after: Option<String>) -> Result<ForumView, AppError> {
    let cx = crate::context::server_context()?;
    let page = cx
        .services
        .forums
        .forum_page(&crate::context::actor(), &slug, after.as_deref())
        .await?;
    Ok(convert::forum_view(page))
}

/// A page of a topic, optionally with a reply prefilled to quote a post.
#[server(prefix = "/api", endpoint = "forums/topic", input = server_fn::codec::GetUrl)]
pub async fn topic(
    forum: String,
    topic: i32,
    page: Option<u64>,
    quote: Option<i32>,
) -> Result<TopicView, AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let forums = &cx.services.forums;
    let found = match forums.topic_page(&actor, topic, page.unwrap_or(1)).await {
        Ok(found) => found,
        Err(domain::Error::NotFound) => {
            // A merged topic's address leads to the topic it went into.
            if let Ok((slug, into)) = forums.merged_topic(&actor, topic).await {
                return Err(moved(format!("/forums/{slug}/{into}")));
            }
            return Err(domain::Error::NotFound.into());
        }
        Err(other) => return Err(other.into()),
    };
    if found.forum.0 != forum {
        // A moved topic's old address leads to its forum now.
        return Err(moved(format!("/forums/{}/{}", found.forum.0, found.id)));
    }
    let quote = match quote {
        Some(post) => Some((cx.services.forums.quote(&actor, topic, post).await?, post)),
        None => None,
    };
    let moderation = if found.can_moderate {
        Some(cx.services.forums.forums_moderated(&actor).await?)
    } else {
        None
    };
    Ok(convert::topic_view(found, quote, moderation))
}

/// Sends the browser to `address` (see [`AppError::Moved`]).
#[cfg(feature = "ssr")]
fn moved(address: String) -> AppError {
    crate::context::redirect(&address);
    AppError::Moved(address)
}

/// The permalink of a post the member may read.
#[server(prefix = "/api", endpoint = "forums/locate", input = server_fn::codec::GetUrl)]
pub async fn locate(post: i32) -> Result<String, AppError> {
    let cx = crate::context::server_context()?;
    let (forum, topic, page, number) = cx
        .services
        .forums
        .locate_post(&crate::context::actor(), post)
        .await?;
    Ok(format!("/forums/{forum}/{topic}?page={page}#post-{number}"))
}

/// Every forum's settings, for administrators.
#[server(prefix = "/api", endpoint = "forums/settings", input = server_fn::codec::GetUrl)]
pub async fn forum_settings() -> Result<Vec<ForumSettingsView>, AppError> {
    let cx = crate::context::server_context()?;
    let forums = cx
        .services
        .forums
        .forum_settings(&crate::context::actor())
        .await?;
    Ok(forums
        .into_iter()
        .map(|forum| ForumSettingsView {
            slug: forum.slug,
            name: forum.name,
            description: forum.description,
            position: forum.position,
            readers: forum.readers,
            posters: forum.posters,
            archived: forum.archived,
        })
        .collect())
}

/// The open reports and the posts waiting for approval in the forums the member moderates.
#[server(prefix = "/api", endpoint = "forums/moderation", input = server_fn::codec::GetUrl)]
pub async fn moderation_queue() -> Result<ModerationQueueView, AppError> {
    let cx = crate::context::server_context()?;
    let actor = crate::context::actor();
    let reports = cx.services.forums.moderation_queue(&actor).await?;
    let held = cx.services.forums.held_posts(&actor).await?;
    Ok(ModerationQueueView {
        reports: reports
            .into_iter()
            .map(|report| super::dto::ReportItem {
                id: report.id,
                permalink: format!("/forums/posts/{}", report.post_id),
                post_id: report.post_id,
                topic: report.topic_title,
                forum: report.forum_name,
                text: report.post_text,
                hidden: report.hidden,
                reason: report.reason,
                reported: domain::time::london_date_time(report.created_at),
            })
            .collect(),
        held: held
            .into_iter()
            .map(|held| super::dto::HeldItem {
                id: held.id,
                forum: held.forum_name,
                what: match &held.reply_to {
                    Some((_, title)) => format!("Reply to “{title}”"),
                    None => format!("New topic: “{}”", held.title),
                },
                topic_href: held
                    .reply_to
                    .map(|(topic, _)| format!("/forums/{}/{topic}", held.forum_slug)),
                author: held.author,
                text: held.body_markdown,
                written: domain::time::london_date_time(held.created_at),
            })
            .collect(),
    })
}

/// What splitting a topic at post `post` would move, for the forum's moderators.
#[server(prefix = "/api", endpoint = "forums/split-plan", input = server_fn::codec::GetUrl)]
pub async fn split_plan(post: i32) -> Result<SplitPlanView, AppError> {
    let cx = crate::context::server_context()?;
    let plan = cx
        .services
        .forums
        .split_plan(&crate::context::actor(), post)
        .await?;
    Ok(SplitPlanView {
        topic_href: format!("/forums/{}/{}", plan.forum, plan.topic.0),
        topic_title: plan.topic.1,
        forum: plan.forum,
        from_number: plan.from_number,
        moving: plan.moving,
        forums: plan.forums,
    })
}

/// How many of a new member's first posts wait for approval, for administrators.
#[server(prefix = "/api", endpoint = "forums/approval-setting", input = server_fn::codec::GetUrl)]
pub async fn approval_setting() -> Result<u64, AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx
        .services
        .forums
        .held_first_posts(&crate::context::actor())
        .await?)
}

/// The member's own post, for editing.
#[server(prefix = "/api", endpoint = "forums/post-draft", input = server_fn::codec::GetUrl)]
pub async fn post_draft(post: i32) -> Result<PostDraftView, AppError> {
    let cx = crate::context::server_context()?;
    let (id, body) = cx
        .services
        .forums
        .post_for_editing(&crate::context::actor(), post)
        .await?;
    Ok(PostDraftView {
        id,
        body,
        permalink: format!("/forums/posts/{id}"),
    })
}

/// An edited post's earlier texts, for a moderator of its forum.
#[server(prefix = "/api", endpoint = "forums/post-history", input = server_fn::codec::GetUrl)]
pub async fn post_history(post: i32) -> Result<PostHistoryView, AppError> {
    let cx = crate::context::server_context()?;
    let history = cx
        .services
        .forums
        .post_history(&crate::context::actor(), post)
        .await?;
    Ok(PostHistoryView {
        permalink: format!("/forums/posts/{}", history.post_id),
        number: history.number,
        topic: history.topic,
        author: history.author,
        written: domain::time::london_date_time(history.created_at),
        current: history.current_markdown,
        earlier: history
            .revisions
            .into_iter()
            .map(|revision| {
                (
                    domain::time::london_date_time(revision.replaced_at),
                    revision.editor,
                    revision.body_markdown,
                )
            })
            .collect(),
    })
}

/// `body` rendered as a post would be, for the live preview. `csrf_token` travels in the
/// posted body, where the CSRF layer checks it before this runs.
#[server(prefix = "/api", endpoint = "forums/preview")]
pub async fn preview_post(csrf_token: String, body: String) -> Result<String, AppError> {
    let _checked_by_the_csrf_layer = csrf_token;
    let cx = crate::context::server_context()?;
    Ok(cx
        .services
        .forums
        .preview(&crate::context::actor(), &body)?)
}

/// Members who may read forum `forum` and whose handle starts with `prefix`.
#[server(prefix = "/api", endpoint = "forums/mention-suggestions", input = server_fn::codec::GetUrl)]
pub async fn mention_suggestions(
    forum: String,
    prefix: String,
) -> Result<Vec<MentionSuggestion>, AppError> {
    let cx = crate::context::server_context()?;
    let found = cx
        .services
        .forums
        .mention_suggestions(&crate::context::actor(), &forum, &prefix)
        .await?;
    Ok(found
        .into_iter()
        .map(|(handle, name)| MentionSuggestion { handle, name })
        .collect())
}

/// The key in the member's feed addresses, when their feeds are on.
#[server(prefix = "/api", endpoint = "forums/feed-token", input = server_fn::codec::GetUrl)]
pub async fn feed_token() -> Result<Option<String>, AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx
        .services
        .forums
        .feed_token(&crate::context::actor())
        .await?)
}

/// The member's latest notifications, newest first.
#[server(prefix = "/api", endpoint = "notifications", input = server_fn::codec::GetUrl)]
pub async fn notifications() -> Result<Vec<NotificationItem>, AppError> {
    let cx = crate::context::server_context()?;
    let found = cx
        .services
        .forums
        .notifications(&crate::context::actor())
        .await?;
    Ok(found
        .into_iter()
        .map(|item| NotificationItem {
            author: item.author,
            verb: item.kind.verb().to_owned(),
            topic: item.topic,
            forum: item.forum,
            permalink: format!("/forums/posts/{}", item.post_id),
            when: domain::time::london_date_time(item.created_at),
            unread: item.unread,
        })
        .collect())
}

/// How many notifications the visitor has not seen (0 for visitors who are not members).
#[server(prefix = "/api", endpoint = "notifications/unread", input = server_fn::codec::GetUrl)]
pub async fn unread_notifications() -> Result<u64, AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx
        .services
        .forums
        .unread_notifications(&crate::context::actor())
        .await?)
}

/// Whether a one-click unsubscribe link is genuine, and whether forum email is still on.
#[server(prefix = "/api", endpoint = "unsubscribe", input = server_fn::codec::GetUrl)]
pub async fn unsubscribe_link(token: String) -> Result<bool, AppError> {
    let cx = crate::context::server_context()?;
    Ok(cx.services.accounts.unsubscribe_link(&token).await?)
}

#[cfg(feature = "ssr")]
mod convert {
    //! Domain views to DTOs.

    use super::super::dto::{ForumItem, ForumView, PostItem, TopicItem, TopicView};

    use domain::time::london_date_time as when;

    pub fn forum_item(forum: domain::forums::ForumSummary) -> ForumItem {
        ForumItem {
            latest: forum
                .last_post_at
                .map(when)
                .unwrap_or_else(|| "No posts yet".to_owned()),
            slug: forum.slug,
            name: forum.name,
            description: forum.description,
            topics: forum.topics,
            posts: forum.posts,
            unread: forum.unread,
            private: forum.private,
        }
    }

    pub fn forum_view(page: domain::forums::ForumPage) -> ForumView {
        ForumView {
            forum: forum_item(page.forum),
            topics: page
                .topics
                .into_iter()
                .map(|topic| TopicItem {
                    id: topic.id,
                    title: topic.title,
                    tags: topic.tags,
                    author: topic.author,
                    replies: (topic.posts - 1).max(0),
                    latest: when(topic.last_post_at),
                    pinned: topic.pinned,
                    locked: topic.locked,
                    unread: topic.unread,
                })
                .collect(),
            next: page.next,
            can_post: page.can_post,
            watching: page.watching,
        }
    }

    pub fn topic_view(
        page: domain::forums::TopicPage,
        quote: Option<(String, i32)>,
        moderation: Option<Vec<(String, String)>>,
    ) -> TopicView {
        let first_unread = page.first_unread.map(|number| {
            let page_of = (number.max(1) as u64).div_ceil(domain::forums::POSTS_PER_PAGE);
            format!(
                "/forums/{}/{}?page={page_of}#post-{number}",
                page.forum.0, page.id
            )
        });
        TopicView {
            id: page.id,
            title: page.title,
            tags: page.tags,
            forum_slug: page.forum.0,
            forum_name: page.forum.1,
            locked: page.locked,
            posts: page
                .posts
                .into_iter()
                .map(|post| PostItem {
                    id: post.id,
                    number: post.number,
                    author: post.author,
                    author_handle: post.author_handle,
                    html: post.body_html.unwrap_or_default(),
                    removed: post.removed.map(ToOwned::to_owned),
                    written: when(post.created_at),
                    written_iso: post.created_at.to_rfc3339(),
                    edited: post.edited_at.is_some(),
                    own: post.own,
                    hidden: post.hidden,
                })
                .collect(),
            page: page.page,
            pages: page.pages,
            first_unread,
            can_reply: page.can_reply,
            quote,
            pinned: page.pinned,
            moderation,
            watching: page.watching,
        }
    }
}
