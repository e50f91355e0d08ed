//! Following the forums: members watch forums and topics (the topics they start or reply to
//! by default) and see their notifications, filtered by what they may read every time they
//! are listed or counted. Making notifications and email is [`super::notify`]'s job.

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Order, Query, QueryStatementBuilder, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, EntityTrait, FromQueryResult, PaginatorTrait, QueryFilter,
    QueryOrder, QuerySelect, Set,
};

use super::entities::{forum, forum_watch, notification, post, topic, topic_read, topic_watch};
use super::listing::{author_names, author_of};
use super::{ForumService, READERS, poster, readable_forum, readable_forum_ids};
use crate::access::{self, Audience, Permission};
use crate::accounts::entities::user;
use crate::accounts::session_actor::approved_members;
use crate::accounts::{Actor, MemberStatus};
use crate::jobs::{self, Job};
use crate::{Error, Result};

/// Most mention suggestions offered at once.
const MENTION_SUGGESTIONS: usize = 8;
/// Most notifications listed at once.
pub const NOTIFICATIONS_SHOWN: u64 = 50;
/// Why a member hears of a post.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum NotificationKind {
    /// A new topic in a forum they watch.
    NewTopic,
    /// A reply in a topic (or forum) they watch.
    Reply,
    /// A reply quoting their post.
    Quote,
    /// A post mentioning them by handle.
    Mention,
}

impl NotificationKind {
    pub(super) fn as_str(self) -> &'static str {
        match self {
            NotificationKind::NewTopic => "topic",
            NotificationKind::Reply => "reply",
            NotificationKind::Quote => "quote",
            NotificationKind::Mention => "mention",
        }
    }

    pub(super) fn parse(text: &str) -> NotificationKind {
        match text {
            "topic" => NotificationKind::NewTopic,
            "quote" => NotificationKind::Quote,
            "mention" => NotificationKind::Mention,
            _ => NotificationKind::Reply,
        }
    }

    /// What happened, after the author's name.
    pub fn verb(self) -> &'static str {
        match self {
            NotificationKind::NewTopic => "started a topic",
            NotificationKind::Reply => "replied",
            NotificationKind::Quote => "quoted you",
            NotificationKind::Mention => "mentioned you",
        }
    }
}

/// One notification, for the member it is for.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NotificationView {
    /// Notification id.
    pub id: i32,
    /// Why.
    pub kind: NotificationKind,
    /// The post (its permalink).
    pub post_id: i32,
    /// Who wrote it.
    pub author: String,
    /// Its topic's title.
    pub topic: String,
    /// Its forum's name.
    pub forum: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Not yet seen.
    pub unread: bool,
}

/// A notification's row with its post, topic and forum.
#[derive(Debug, FromQueryResult)]
pub(super) struct NotificationRow {
    pub(super) id: i32,
    pub(super) user_id: i32,
    pub(super) kind: String,
    pub(super) post_id: i32,
    pub(super) created_at: DateTime<Utc>,
    pub(super) read_at: Option<DateTime<Utc>>,
    pub(super) author_id: Option<i32>,
    pub(super) title: String,
    pub(super) forum_id: i32,
    pub(super) forum_name: String,
}

/// Notifications joined to their post, topic and forum, leaving out removed and hidden posts.
pub(super) fn notification_rows() -> SelectStatement {
    Query::select()
        .columns([
            (notification::Entity, notification::Column::Id),
            (notification::Entity, notification::Column::UserId),
            (notification::Entity, notification::Column::Kind),
            (notification::Entity, notification::Column::PostId),
            (notification::Entity, notification::Column::CreatedAt),
            (notification::Entity, notification::Column::ReadAt),
        ])
        .column((post::Entity, post::Column::AuthorId))
        .column((topic::Entity, topic::Column::Title))
        .column((topic::Entity, topic::Column::ForumId))
        .expr_as(
            Expr::col((forum::Entity, forum::Column::Name)),
            Alias::new("forum_name"),
        )
        .from(notification::Entity)
        .inner_join(
            post::Entity,
            Expr::col((post::Entity, post::Column::Id))
                .equals((notification::Entity, notification::Column::PostId)),
        )
        .inner_join(
            topic::Entity,
            Expr::col((topic::Entity, topic::Column::Id))
                .equals((post::Entity, post::Column::TopicId)),
        )
        .inner_join(
            forum::Entity,
            Expr::col((forum::Entity, forum::Column::Id))
                .equals((topic::Entity, topic::Column::ForumId)),
        )
        .and_where(Expr::col((post::Entity, post::Column::DeletedAt)).is_null())
        .and_where(Expr::col((post::Entity, post::Column::HiddenAt)).is_null())
        .to_owned()
}

/// The member's notifications that they may still read.
fn visible_notifications(actor: &Actor, user_id: i32) -> SelectStatement {
    let mut query = notification_rows();
    query
        .and_where(Expr::col((notification::Entity, notification::Column::UserId)).eq(user_id))
        .and_where(
            Expr::col((topic::Entity, topic::Column::ForumId))
                .in_subquery(readable_forum_ids(actor)),
        );
    query
}

impl ForumService {
    /// Starts (`watching`) or stops watching topic `topic_id`.
    pub async fn watch_topic(&self, actor: &Actor, topic_id: i32, watching: bool) -> Result<()> {
        let member = poster(actor)?;
        let (topic, _) = self.readable_topic(actor, topic_id).await?;
        let row = topic_watch::ActiveModel {
            user_id: Set(member.id),
            topic_id: Set(topic.id),
            watching: Set(watching),
            created_at: Set(Utc::now()),
        };
        topic_watch::Entity::insert(row)
            .on_conflict(
                sea_orm::sea_query::OnConflict::columns([
                    topic_watch::Column::UserId,
                    topic_watch::Column::TopicId,
                ])
                .update_column(topic_watch::Column::Watching)
                .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }

    /// Starts (`watching`) or stops watching forum `slug`: every new topic and reply in it.
    pub async fn watch_forum(&self, actor: &Actor, slug: &str, watching: bool) -> Result<()> {
        let member = poster(actor)?;
        let forum = readable_forum(&self.db, actor, slug).await?;
        if watching {
            forum_watch::Entity::insert(forum_watch::ActiveModel {
                user_id: Set(member.id),
                forum_id: Set(forum.id),
                created_at: Set(Utc::now()),
            })
            .on_conflict_do_nothing_on([forum_watch::Column::UserId, forum_watch::Column::ForumId])
            .exec_without_returning(&self.db)
            .await?;
        } else {
            forum_watch::Entity::delete_many()
                .filter(forum_watch::Column::UserId.eq(member.id))
                .filter(forum_watch::Column::ForumId.eq(forum.id))
                .exec(&self.db)
                .await?;
        }
        Ok(())
    }

    /// The member's latest notifications, newest first, leaving out anything they may no
    /// longer read.
    pub async fn notifications(&self, actor: &Actor) -> Result<Vec<NotificationView>> {
        let member = poster(actor)?;
        let mut query = visible_notifications(actor, member.id);
        query
            .order_by(
                (notification::Entity, notification::Column::CreatedAt),
                Order::Desc,
            )
            .order_by(
                (notification::Entity, notification::Column::Id),
                Order::Desc,
            )
            .limit(NOTIFICATIONS_SHOWN);
        let rows = NotificationRow::find_by_statement(self.db.get_database_backend().build(&query))
            .all(&self.db)
            .await?;
        let authors = author_names(&self.db, rows.iter().map(|row| row.author_id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| NotificationView {
                id: row.id,
                kind: NotificationKind::parse(&row.kind),
                post_id: row.post_id,
                author: author_of(&authors, row.author_id),
                topic: row.title,
                forum: row.forum_name,
                created_at: row.created_at,
                unread: row.read_at.is_none(),
            })
            .collect())
    }

    /// How many unread notifications the member has (0 for visitors who are not members).
    pub async fn unread_notifications(&self, actor: &Actor) -> Result<u64> {
        let Ok(member) = poster(actor) else {
            return Ok(0);
        };
        if let Some(count) = self.cache.unread(member.id) {
            return Ok(count);
        }
        let generation = self.cache.generation();
        let mut unread = visible_notifications(actor, member.id);
        unread.and_where(Expr::col((notification::Entity, notification::Column::ReadAt)).is_null());
        let query = Query::select()
            .expr(Expr::cust("COUNT(*)"))
            .from_subquery(unread, Alias::new("unread"))
            .to_owned();
        let count: i64 = self
            .db
            .query_one(&query)
            .await?
            .map(|row| row.try_get_by_index(0))
            .transpose()?
            .unwrap_or(0);
        let count = u64::try_from(count).unwrap_or(0);
        self.cache.keep_unread(member.id, count, generation);
        Ok(count)
    }

    /// Marks every notification of the member's as read.
    pub async fn mark_notifications_read(&self, actor: &Actor) -> Result<()> {
        let member = poster(actor)?;
        notification::Entity::update_many()
            .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
            .filter(notification::Column::UserId.eq(member.id))
            .filter(notification::Column::ReadAt.is_null())
            .exec(&self.db)
            .await?;
        self.cache.forget_unread(member.id);
        Ok(())
    }

    /// Members whose handle starts with `prefix` and who may read forum `slug`, as
    /// (handle, name), for suggesting a mention while typing.
    pub async fn mention_suggestions(
        &self,
        actor: &Actor,
        slug: &str,
        prefix: &str,
    ) -> Result<Vec<(String, String)>> {
        poster(actor)?;
        let forum = readable_forum(&self.db, actor, slug).await?;
        let prefix = prefix.trim().trim_start_matches('@').to_ascii_lowercase();
        if prefix.is_empty()
            || !prefix
                .chars()
                .all(|character| character.is_ascii_alphanumeric() || character == '.')
        {
            return Ok(Vec::new());
        }
        let candidates: Vec<(i32, String, String)> = user::Entity::find()
            .select_only()
            .columns([user::Column::Id, user::Column::Handle, user::Column::Name])
            .filter(user::Column::Handle.starts_with(&prefix))
            .filter(user::Column::Status.eq(MemberStatus::Active.as_str()))
            .order_by_asc(user::Column::Handle)
            .limit(MENTION_SUGGESTIONS as u64 * 4)
            .into_tuple()
            .all(&self.db)
            .await?;
        let ids: Vec<i32> = candidates.iter().map(|(id, _, _)| *id).collect();
        let readers = readers_of(&self.db, &forum).await?;
        let allowed: Vec<i32> = approved_members(&self.db, &ids)
            .await?
            .into_iter()
            .filter(|recipient| may_read(&recipient.actor, &readers))
            .filter_map(|recipient| recipient.actor.member().map(|member| member.id))
            .collect();
        Ok(candidates
            .into_iter()
            .filter(|(id, _, _)| allowed.contains(id))
            .take(MENTION_SUGGESTIONS)
            .map(|(_, handle, name)| (handle, name))
            .collect())
    }

    /// True when the member watches forum `forum_id`.
    pub(crate) async fn watches_forum(&self, actor: &Actor, forum_id: i32) -> Result<bool> {
        let Some(member) = actor.member() else {
            return Ok(false);
        };
        Ok(forum_watch::Entity::find()
            .filter(forum_watch::Column::UserId.eq(member.id))
            .filter(forum_watch::Column::ForumId.eq(forum_id))
            .count(&self.db)
            .await?
            > 0)
    }
}

/// Where a member stands with a topic they are reading.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct TopicReader {
    /// The highest post number they have been shown, if they have opened it before.
    pub last_read: Option<i32>,
    /// They watch it: by their choice for the topic, else because they watch its forum.
    pub watching: bool,
}

/// Member `user_id`'s read marker and watch state for `topic_id` in `forum_id`, in one
/// statement.
pub(crate) async fn topic_reader(
    db: &impl ConnectionTrait,
    user_id: i32,
    topic_id: i32,
    forum_id: i32,
) -> Result<TopicReader> {
    let last_read = Query::select()
        .column(topic_read::Column::LastReadNumber)
        .from(topic_read::Entity)
        .and_where(topic_read::Column::UserId.eq(user_id))
        .and_where(topic_read::Column::TopicId.eq(topic_id))
        .to_owned();
    let topic_choice = Query::select()
        .column(topic_watch::Column::Watching)
        .from(topic_watch::Entity)
        .and_where(topic_watch::Column::UserId.eq(user_id))
        .and_where(topic_watch::Column::TopicId.eq(topic_id))
        .to_owned();
    let forum_watched = Query::select()
        .expr(Expr::val(1))
        .from(forum_watch::Entity)
        .and_where(forum_watch::Column::UserId.eq(user_id))
        .and_where(forum_watch::Column::ForumId.eq(forum_id))
        .to_owned();
    let query = Query::select()
        .expr_as(
            Expr::SubQuery(None, Box::new(last_read.into_sub_query_statement())),
            Alias::new("last_read"),
        )
        .expr_as(
            Expr::SubQuery(None, Box::new(topic_choice.into_sub_query_statement())),
            Alias::new("topic_choice"),
        )
        .expr_as(Expr::exists(forum_watched), Alias::new("forum_watched"))
        .to_owned();
    let row = db
        .query_one(&query)
        .await?
        .ok_or_else(|| Error::Internal("no row from a scalar query".to_owned()))?;
    let topic_choice: Option<bool> = row.try_get("", "topic_choice")?;
    let forum_watched: bool = row.try_get("", "forum_watched")?;
    Ok(TopicReader {
        last_read: row.try_get("", "last_read")?,
        watching: topic_choice.unwrap_or(forum_watched),
    })
}

/// After member `user_id` posted `post_id` in `topic_id` (inside the posting transaction):
/// they watch the topic unless they chose not to watch their own topics or stopped watching
/// this one, and a job tells everyone else who should hear of it.
pub(crate) async fn after_posting(
    conn: &impl ConnectionTrait,
    user_id: i32,
    topic_id: i32,
    post_id: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let wants = Query::select()
        .column(user::Column::Id)
        .expr(Expr::val(topic_id))
        .expr(Expr::val(true))
        .expr(Expr::val(now))
        .from(user::Entity)
        .and_where(user::Column::Id.eq(user_id))
        .and_where(user::Column::WatchOwnTopics.eq(true))
        .to_owned();
    let insert = Query::insert()
        .into_table(topic_watch::Entity)
        .columns([
            topic_watch::Column::UserId,
            topic_watch::Column::TopicId,
            topic_watch::Column::Watching,
            topic_watch::Column::CreatedAt,
        ])
        .select_from(wants)
        .map_err(|err| Error::Internal(err.to_string()))?
        .on_conflict(
            sea_orm::sea_query::OnConflict::columns([
                topic_watch::Column::UserId,
                topic_watch::Column::TopicId,
            ])
            .do_nothing()
            .to_owned(),
        )
        .to_owned();
    conn.execute(&insert).await?;
    jobs::enqueue(conn, Job::NotifyForumPost { post_id }, now).await?;
    Ok(())
}

/// Who may read `forum`.
pub(super) async fn readers_of(
    db: &impl ConnectionTrait,
    forum: &forum::Model,
) -> Result<Audience> {
    let groups = access::stored_groups(db, READERS, forum.id).await?;
    Audience::from_stored(&forum.audience, groups)
}

/// True when `actor` may read a forum open to `readers` (approved members only).
pub(super) fn may_read(actor: &Actor, readers: &Audience) -> bool {
    actor.allows(Permission::TakePart).is_ok() && actor.allows(Permission::Read(readers)).is_ok()
}

/// Marks the member's notifications of `post_ids` read (they have just been shown, or their
/// permalink opened).
pub(crate) async fn mark_posts_seen(
    db: &impl ConnectionTrait,
    user_id: i32,
    post_ids: &[i32],
) -> Result<()> {
    if post_ids.is_empty() {
        return Ok(());
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::ReadAt, Expr::value(Utc::now()))
        .filter(notification::Column::UserId.eq(user_id))
        .filter(notification::Column::PostId.is_in(post_ids.iter().copied()))
        .filter(notification::Column::ReadAt.is_null())
        .exec(db)
        .await?;
    Ok(())
}
