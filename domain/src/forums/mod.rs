//! Forums for the network's professional groups and the private CMO forum: forums, topics
//! and posts, read and written through one visibility rule. A forum's readers and posters are
//! [`Audience`]s; every list, count and page filters by the actor in the query, so a forum the
//! visitor may not read is missing from everything they see (the same 404 as a missing one).

mod admin;
mod approval;
pub(crate) mod entities;
mod feeds;
mod following;
mod import;
mod listing;
mod member_data;
mod moderation;
mod notify;
mod posting;
mod restructuring;

use std::sync::Arc;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, Query};
use sea_orm::{ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter};

use crate::access::{self, Audience, Permission};
use crate::accounts::{Actor, Member};
use crate::node_cache::NodeCache;
use crate::rate_limit::RateLimits;
use crate::{Error, Result};
use entities::forum;

pub use admin::{ForumAdminView, ForumSettingsDraft};
pub(crate) use approval::forget_held_posts;
pub use approval::{HeldPostView, MAX_HELD_FIRST_POSTS};
pub use feeds::{FEED_POSTS, Feed, FeedChange, FeedEntry};
pub use following::{NOTIFICATIONS_SHOWN, NotificationKind, NotificationView};
pub use import::{ForumSource, load_forums};
pub use moderation::{PostHistory, ReportView, RevisionView, TopicChange};
pub use notify::{notify_post, send_digests};
pub use posting::{NewTopic, PostDraft, Posted};
pub use restructuring::SplitPlan;

/// Posts on one page of a topic.
pub const POSTS_PER_PAGE: u64 = 20;
/// Topics on one page of a forum.
pub const TOPICS_PER_PAGE: u64 = 30;
/// Most tags on a topic.
pub const MAX_TAGS: usize = 5;
/// Forum slugs the site's own forum pages use.
pub const RESERVED_FORUM_SLUGS: [&str; 4] = ["posts", "new", "moderation", "approval"];

/// Item kinds in `audience_groups`: who reads, and who posts.
pub(crate) const READERS: &str = "forum";
const POSTERS: &str = "forum-post";

/// Settings for the forums.
#[derive(Clone, Copy, Debug)]
pub struct ForumSettings {
    /// Longest post accepted, in characters.
    pub max_post_chars: usize,
    /// Shortest interval between two identical posts by one member before the second is
    /// refused as a duplicate, in seconds.
    pub duplicate_window_seconds: i64,
}

impl Default for ForumSettings {
    fn default() -> Self {
        Self {
            max_post_chars: 20_000,
            duplicate_window_seconds: 120,
        }
    }
}

/// A forum in the list of forums.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForumSummary {
    /// URL slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// One sentence about it.
    pub description: String,
    /// Topics in it.
    pub topics: i32,
    /// Posts in it.
    pub posts: i32,
    /// When its latest post was written.
    pub last_post_at: Option<DateTime<Utc>>,
    /// True when it has topics with posts the member has not read.
    pub unread: bool,
    /// True when only chosen groups may read it.
    pub private: bool,
}

/// A topic in a forum's list of topics.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicSummary {
    /// Topic id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Who started it.
    pub author: String,
    /// Posts in it.
    pub posts: i32,
    /// When its latest post was written.
    pub last_post_at: DateTime<Utc>,
    /// Pinned to the top of the forum.
    pub pinned: bool,
    /// Closed to new replies.
    pub locked: bool,
    /// True when it has posts the member has not read.
    pub unread: bool,
}

/// A forum's page: the forum and one page of its topics (pinned first, then by activity).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ForumPage {
    /// The forum.
    pub forum: ForumSummary,
    /// This page's topics.
    pub topics: Vec<TopicSummary>,
    /// The cursor for the next page, if there is one.
    pub next: Option<String>,
    /// True when the actor may start a topic here.
    pub can_post: bool,
    /// True when the actor watches this forum.
    pub watching: bool,
}

/// One post as shown in its topic.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostView {
    /// Post id (its permalink).
    pub id: i32,
    /// Its number in the topic, from 1.
    pub number: i32,
    /// Who wrote it ("Former member" for a closed account, "ohnet" for the site).
    pub author: String,
    /// The author's handle, to mention them by (none for closed accounts and the site).
    pub author_handle: Option<String>,
    /// Sanitised HTML, or `None` when the post was removed.
    pub body_html: Option<String>,
    /// Its Markdown, for quoting (empty when removed).
    pub body_markdown: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was last edited.
    pub edited_at: Option<DateTime<Utc>>,
    /// True when the reader wrote it (and so may edit or delete it).
    pub own: bool,
    /// Why the text is not shown, when it is not.
    pub removed: Option<&'static str>,
    /// Hidden by a moderator (a moderator still sees its text, marked as hidden).
    pub hidden: bool,
}

/// A topic page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TopicPage {
    /// Topic id.
    pub id: i32,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Its forum's slug and name.
    pub forum: (String, String),
    /// Closed to new replies.
    pub locked: bool,
    /// Pinned.
    pub pinned: bool,
    /// This page of posts.
    pub posts: Vec<PostView>,
    /// Page number, from 1.
    pub page: u64,
    /// How many pages.
    pub pages: u64,
    /// The first post the member has not read, if any.
    pub first_unread: Option<i32>,
    /// True when the actor may reply.
    pub can_reply: bool,
    /// True when the actor moderates this forum.
    pub can_moderate: bool,
    /// True when the actor watches this topic (or its forum, unless they stopped watching the
    /// topic).
    pub watching: bool,
}

/// Reads and writes the forums.
#[derive(Clone, Debug)]
pub struct ForumService {
    db: DatabaseConnection,
    settings: ForumSettings,
    limits: RateLimits,
    cache: Arc<NodeCache>,
}

impl ForumService {
    pub(crate) fn new(
        db: DatabaseConnection,
        settings: ForumSettings,
        limits: RateLimits,
        cache: Arc<NodeCache>,
    ) -> Self {
        Self {
            db,
            settings,
            limits,
            cache,
        }
    }
}

/// The filter keeping the forums `actor` may read. Anonymous visitors and applicants read
/// none: forums are for approved members.
pub(crate) fn readable_by(actor: &Actor) -> Condition {
    if actor.allows(Permission::TakePart).is_err() {
        return Condition::all().add(Expr::value(false));
    }
    access::visible_to(actor, READERS, forum::Column::Audience, forum::Column::Id)
}

/// The ids of the forums `actor` may read, as a subquery for topics and posts.
pub(crate) fn readable_forum_ids(actor: &Actor) -> sea_orm::sea_query::SelectStatement {
    Query::select()
        .column(forum::Column::Id)
        .from(forum::Entity)
        .cond_where(readable_by(actor))
        .to_owned()
}

/// The forum with `slug` if `actor` may read it; [`Error::NotFound`] otherwise.
async fn readable_forum(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    slug: &str,
) -> Result<forum::Model> {
    forum::Entity::find()
        .filter(forum::Column::Slug.eq(slug))
        .filter(readable_by(actor))
        .one(db)
        .await?
        .ok_or(Error::NotFound)
}

/// Who may post in `forum`, rebuilt from its stored audience and groups.
async fn post_audience(
    db: &impl sea_orm::ConnectionTrait,
    forum: &forum::Model,
) -> Result<Audience> {
    // Only a forum open to chosen groups has groups stored.
    let groups = if forum.post_audience == Audience::Groups(Vec::new()).kind() {
        access::stored_groups(db, POSTERS, forum.id).await?
    } else {
        Vec::new()
    };
    Audience::from_stored(&forum.post_audience, groups)
}

/// True when `actor` may post in `forum` (an approved member in its posting audience; an
/// archived forum takes no posts).
async fn may_post(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    forum: &forum::Model,
) -> Result<bool> {
    if forum.archived_at.is_some() || actor.allows(Permission::TakePart).is_err() {
        return Ok(false);
    }
    let audience = post_audience(db, forum).await?;
    Ok(actor.allows(Permission::Read(&audience)).is_ok())
}

/// The approved member posting, or the reason they may not.
fn poster(actor: &Actor) -> Result<&Member> {
    actor.allows(Permission::TakePart)
}

/// The request's address as the audit log records it.
pub(crate) fn origin_ip(origin: &crate::accounts::RequestOrigin) -> Option<String> {
    origin.ip.map(|ip| ip.to_string())
}

/// Splits stored tags.
pub(crate) fn tags_of(stored: &str) -> Vec<String> {
    stored
        .split(',')
        .filter(|tag| !tag.is_empty())
        .map(ToOwned::to_owned)
        .collect()
}
