//! Reading the forums: the list of forums, a forum's topics (keyset pages), a topic's posts
//! (pages of twenty), and permalinks. Each read is a fixed handful of SQL statements however
//! long the topic, and every one filters by what the actor may read.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, ConnectionTrait, EntityTrait, FromQueryResult,
    JoinType, QueryFilter, QueryOrder, QuerySelect, RelationDef, Set,
};

use super::entities::{forum, post, topic, topic_read};
use super::{
    ForumPage, ForumService, ForumSummary, POSTS_PER_PAGE, PostView, TOPICS_PER_PAGE, TopicPage,
    TopicSummary, may_post, poster, readable_by, readable_forum, readable_forum_ids, tags_of,
};
use crate::accounts::entities::user;
use crate::accounts::{Actor, FORMER_MEMBER, MemberStatus};
use crate::{Error, Result};

/// Shown as the author of what the site itself posted (seeded welcome topics).
const SITE_AUTHOR: &str = "ohnet";

impl ForumService {
    /// The forums `actor` may read, in order, with counts, latest activity and whether they
    /// hold anything unread.
    pub async fn forums(&self, actor: &Actor) -> Result<Vec<ForumSummary>> {
        poster(actor)?;
        let forums = forum::Entity::find()
            .filter(readable_by(actor))
            .filter(forum::Column::ArchivedAt.is_null())
            .order_by_asc(forum::Column::Position)
            .order_by_asc(forum::Column::Id)
            .all(&self.db)
            .await?;
        let unread = self.unread_by_forum(actor).await?;
        Ok(forums
            .into_iter()
            .map(|row| {
                let unread = unread.get(&row.id).copied().unwrap_or_default() > 0;
                summary(row, unread)
            })
            .collect())
    }

    /// How many topics in each readable forum have posts `actor` has not read.
    async fn unread_by_forum(&self, actor: &Actor) -> Result<HashMap<i32, i64>> {
        let Some(member) = actor.member() else {
            return Ok(HashMap::new());
        };
        let reads = Alias::new("reads");
        let read_number = Expr::col((reads.clone(), topic_read::Column::LastReadNumber));
        let query = Query::select()
            .column((topic::Entity, topic::Column::ForumId))
            .expr_as(
                Expr::col((topic::Entity, topic::Column::Id)).count(),
                Alias::new("unread"),
            )
            .from(topic::Entity)
            .join_as(
                sea_orm::JoinType::LeftJoin,
                topic_read::Entity,
                reads.clone(),
                Condition::all()
                    .add(
                        Expr::col((reads.clone(), topic_read::Column::TopicId))
                            .equals((topic::Entity, topic::Column::Id)),
                    )
                    .add(Expr::col((reads.clone(), topic_read::Column::UserId)).eq(member.id)),
            )
            .and_where(
                Expr::col((topic::Entity, topic::Column::ForumId))
                    .in_subquery(readable_forum_ids(actor)),
            )
            .cond_where(
                Condition::any()
                    .add(read_number.clone().is_null())
                    .add(read_number.lt(Expr::col((topic::Entity, topic::Column::LastPostNumber)))),
            )
            .group_by_col((topic::Entity, topic::Column::ForumId))
            .to_owned();
        let rows = self.db.query_all(&query).await?;
        let mut counts = HashMap::new();
        for row in rows {
            let forum_id: i32 = row.try_get("", "forum_id")?;
            let unread: i64 = row.try_get("", "unread")?;
            counts.insert(forum_id, unread);
        }
        Ok(counts)
    }

    /// A forum's page: pinned topics first, then by latest activity, [`TOPICS_PER_PAGE`] at a
    /// time after `cursor` (from the previous page's `next`).
    pub async fn forum_page(
        &self,
        actor: &Actor,
        slug: &str,
        cursor: Option<&str>,
    ) -> Result<ForumPage> {
        poster(actor)?;
        let forum = readable_forum(&self.db, actor, slug).await?;
        let mut query = topic::Entity::find()
            .filter(topic::Column::ForumId.eq(forum.id))
            .order_by_desc(topic::Column::Pinned)
            .order_by_desc(topic::Column::LastPostAt)
            .order_by_desc(topic::Column::Id)
            .limit(TOPICS_PER_PAGE + 1);
        if let Some(after) = cursor.and_then(Cursor::parse) {
            query = query.filter(after.condition());
        }
        let mut topics = query.all(&self.db).await?;
        let next = (topics.len() as u64 > TOPICS_PER_PAGE)
            .then(|| {
                topics.truncate(TOPICS_PER_PAGE as usize);
                topics.last().map(Cursor::of)
            })
            .flatten()
            .map(|cursor| cursor.to_string());
        let authors = author_names(&self.db, topics.iter().map(|row| row.author_id)).await?;
        let reads = read_numbers(&self.db, actor, topics.iter().map(|row| row.id)).await?;
        let can_post = may_post(&self.db, actor, &forum).await?;
        let watching = self.watches_forum(actor, forum.id).await?;
        let topics = topics
            .into_iter()
            .map(|row| TopicSummary {
                unread: reads
                    .get(&row.id)
                    .is_none_or(|read| *read < row.last_post_number),
                author: author_of(&authors, row.author_id),
                tags: tags_of(&row.tags),
                id: row.id,
                title: row.title,
                posts: row.post_count,
                last_post_at: row.last_post_at,
                pinned: row.pinned,
                locked: row.locked,
            })
            .collect();
        Ok(ForumPage {
            forum: summary(forum, false),
            topics,
            next,
            can_post,
            watching,
        })
    }

    /// Page `page` (from 1) of topic `topic_id`, marking what is shown as read.
    pub async fn topic_page(&self, actor: &Actor, topic_id: i32, page: u64) -> Result<TopicPage> {
        let (topic, forum) = self.readable_topic(actor, topic_id).await?;
        let pages = (Ord::max(topic.post_count, 1) as u64).div_ceil(POSTS_PER_PAGE);
        let page = page.clamp(1, pages);
        let (posts, authors) = posts_with_authors(
            &self.db,
            post::Entity::find()
                .filter(post::Column::TopicId.eq(topic.id))
                .order_by_asc(post::Column::Number)
                .offset((page - 1) * POSTS_PER_PAGE)
                .limit(POSTS_PER_PAGE),
        )
        .await?;
        let reader = actor.member().map(|member| member.id);
        let state = match reader {
            Some(user_id) => {
                Some(super::following::topic_reader(&self.db, user_id, topic.id, forum.id).await?)
            }
            None => None,
        };
        let last_read = state.and_then(|state| state.last_read);
        let watching = state.is_some_and(|state| state.watching);
        let first_unread = match last_read {
            Some(number) if number >= topic.last_post_number => None,
            Some(number) => Some(number + 1),
            None => Some(1),
        };
        if let (Some(user_id), Some(last_shown)) = (reader, posts.last().map(|row| row.number)) {
            mark_read(&self.db, user_id, topic.id, last_read, last_shown).await?;
            // Notifications of posts shown for the first time are read now; a reader who has
            // seen them all writes nothing (a notification that came later is read when its
            // permalink is opened).
            let first_seen: Vec<i32> = posts
                .iter()
                .filter(|row| last_read.is_none_or(|read| row.number > read))
                .map(|row| row.id)
                .collect();
            if !first_seen.is_empty() {
                super::following::mark_posts_seen(&self.db, user_id, &first_seen).await?;
                self.cache.forget_unread(user_id);
            }
        }
        let can_reply = !topic.locked && may_post(&self.db, actor, &forum).await?;
        let can_moderate = super::moderation::moderates(actor, &forum);
        let posts = posts
            .into_iter()
            .map(|row| post_view(row, &authors, reader, can_moderate))
            .collect();
        Ok(TopicPage {
            id: topic.id,
            title: topic.title,
            tags: tags_of(&topic.tags),
            forum: (forum.slug, forum.name),
            locked: topic.locked,
            pinned: topic.pinned,
            posts,
            page,
            pages,
            first_unread,
            can_reply,
            can_moderate,
            watching,
        })
    }

    /// Where post `post_id` is: its forum's slug, topic id, page and number.
    pub async fn locate_post(
        &self,
        actor: &Actor,
        post_id: i32,
    ) -> Result<(String, i32, u64, i32)> {
        poster(actor)?;
        let post = post::Entity::find_by_id(post_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let (topic, forum) = self.readable_topic(actor, post.topic_id).await?;
        if let Some(member) = actor.member() {
            super::following::mark_posts_seen(&self.db, member.id, &[post.id]).await?;
            self.cache.forget_unread(member.id);
        }
        let page = (Ord::max(post.number, 1) as u64).div_ceil(POSTS_PER_PAGE);
        Ok((forum.slug, topic.id, page, post.number))
    }

    /// Topic `topic_id` and its forum, if `actor` may read them.
    pub(crate) async fn readable_topic(
        &self,
        actor: &Actor,
        topic_id: i32,
    ) -> Result<(topic::Model, forum::Model)> {
        poster(actor)?;
        let forum_of_topic: RelationDef = topic::Entity::belongs_to(forum::Entity)
            .from(topic::Column::ForumId)
            .to(forum::Column::Id)
            .into();
        let found = topic::Entity::find_by_id(topic_id)
            .join(JoinType::InnerJoin, forum_of_topic)
            .select_also(forum::Entity)
            .filter(topic::Column::ForumId.in_subquery(readable_forum_ids(actor)))
            .one(&self.db)
            .await?;
        match found {
            Some((topic, Some(forum))) => Ok((topic, forum)),
            _ => Err(Error::NotFound),
        }
    }
}

fn summary(row: forum::Model, unread: bool) -> ForumSummary {
    ForumSummary {
        private: row.audience != "members",
        slug: row.slug,
        name: row.name,
        description: row.description,
        topics: row.topic_count,
        posts: row.post_count,
        last_post_at: row.last_post_at,
        unread,
    }
}

fn post_view(
    row: post::Model,
    authors: &Authors,
    reader: Option<i32>,
    moderator: bool,
) -> PostView {
    let hidden = row.hidden_at.is_some();
    let removed = if row.deleted_at.is_some() {
        Some("This post was removed by its author.")
    } else if hidden && !moderator {
        Some("This post was hidden by a moderator.")
    } else {
        None
    };
    PostView {
        id: row.id,
        number: row.number,
        author: author_of(authors, row.author_id),
        author_handle: handle_of(authors, row.author_id),
        body_html: removed.is_none().then_some(row.body_html),
        body_markdown: if removed.is_none() {
            row.body_markdown
        } else {
            String::new()
        },
        created_at: row.created_at,
        edited_at: row.edited_at,
        own: reader.is_some() && row.author_id == reader,
        removed,
        hidden,
    }
}

/// The display names and handles of some authors, by account id.
pub(crate) type Authors = HashMap<i32, (String, Option<String>)>;

/// Display names (and handles) of the given authors, in one query ("Former member", with no
/// handle, for closed accounts).
pub(crate) async fn author_names(
    db: &impl ConnectionTrait,
    ids: impl Iterator<Item = Option<i32>>,
) -> Result<Authors> {
    let mut ids: Vec<i32> = ids.flatten().collect();
    ids.sort_unstable();
    ids.dedup();
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let rows: Vec<(i32, String, Option<String>, String)> = user::Entity::find()
        .select_only()
        .columns([
            user::Column::Id,
            user::Column::Name,
            user::Column::Handle,
            user::Column::Status,
        ])
        .filter(user::Column::Id.is_in(ids))
        .into_tuple()
        .all(db)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, name, handle, status)| (id, author_entry(name, handle, &status)))
        .collect())
}

/// How an account is shown as an author: its name and handle, or "Former member" once closed.
fn author_entry(name: String, handle: Option<String>, status: &str) -> (String, Option<String>) {
    if MemberStatus::parse(status) == Some(MemberStatus::Closed) {
        (FORMER_MEMBER.to_owned(), None)
    } else {
        (name, handle)
    }
}

/// A post with its author's account columns (absent for the site's own posts).
#[derive(Debug, FromQueryResult)]
struct PostWithAuthor {
    #[sea_orm(nested)]
    post: post::Model,
    author_name: Option<String>,
    author_handle: Option<String>,
    author_status: Option<String>,
}

/// The posts `select` finds, with their authors, in one statement.
async fn posts_with_authors(
    db: &impl ConnectionTrait,
    select: sea_orm::Select<post::Entity>,
) -> Result<(Vec<post::Model>, Authors)> {
    let author_of_post: RelationDef = post::Entity::belongs_to(user::Entity)
        .from(post::Column::AuthorId)
        .to(user::Column::Id)
        .into();
    let rows = select
        .join(JoinType::LeftJoin, author_of_post)
        .column_as(user::Column::Name, "author_name")
        .column_as(user::Column::Handle, "author_handle")
        .column_as(user::Column::Status, "author_status")
        .into_model::<PostWithAuthor>()
        .all(db)
        .await?;
    let mut authors = Authors::new();
    let mut posts = Vec::with_capacity(rows.len());
    for row in rows {
        if let (Some(id), Some(name), Some(status)) =
            (row.post.author_id, row.author_name, row.author_status)
        {
            authors.insert(id, author_entry(name, row.author_handle, &status));
        }
        posts.push(row.post);
    }
    Ok((posts, authors))
}

/// One author's display name.
pub(crate) async fn author_name(db: &impl ConnectionTrait, author: Option<i32>) -> Result<String> {
    let names = author_names(db, [author].into_iter()).await?;
    Ok(author_of(&names, author))
}

/// The display name of `author` ("ohnet" for the site's own posts).
pub(crate) fn author_of(authors: &Authors, author: Option<i32>) -> String {
    match author {
        None => SITE_AUTHOR.to_owned(),
        Some(id) => authors
            .get(&id)
            .map(|(name, _)| name.clone())
            .unwrap_or_else(|| FORMER_MEMBER.to_owned()),
    }
}

/// The handle of `author`, if they have one.
fn handle_of(authors: &Authors, author: Option<i32>) -> Option<String> {
    author
        .and_then(|id| authors.get(&id))
        .and_then(|(_, handle)| handle.clone())
}

/// How far the member has read each of `topics`, in one query.
async fn read_numbers(
    db: &impl ConnectionTrait,
    actor: &Actor,
    topics: impl IntoIterator<Item = i32>,
) -> Result<HashMap<i32, i32>> {
    let Some(member) = actor.member() else {
        return Ok(HashMap::new());
    };
    let topics: Vec<i32> = topics.into_iter().collect();
    if topics.is_empty() {
        return Ok(HashMap::new());
    }
    Ok(topic_read::Entity::find()
        .filter(topic_read::Column::UserId.eq(member.id))
        .filter(topic_read::Column::TopicId.is_in(topics))
        .all(db)
        .await?
        .into_iter()
        .map(|row| (row.topic_id, row.last_read_number))
        .collect())
}

/// Records that `user_id` has read `topic_id` up to `shown` (never moving backwards).
async fn mark_read(
    db: &impl ConnectionTrait,
    user_id: i32,
    topic_id: i32,
    previous: Option<i32>,
    shown: i32,
) -> Result<()> {
    let now = Utc::now();
    match previous {
        Some(number) if number >= shown => Ok(()),
        Some(_) => {
            topic_read::Entity::update_many()
                .col_expr(topic_read::Column::LastReadNumber, Expr::value(shown))
                .col_expr(topic_read::Column::ReadAt, Expr::value(now))
                .filter(topic_read::Column::UserId.eq(user_id))
                .filter(topic_read::Column::TopicId.eq(topic_id))
                .filter(topic_read::Column::LastReadNumber.lt(shown))
                .exec(db)
                .await?;
            Ok(())
        }
        None => {
            let inserted = topic_read::ActiveModel {
                user_id: Set(user_id),
                topic_id: Set(topic_id),
                last_read_number: Set(shown),
                read_at: Set(now),
            }
            .insert(db)
            .await;
            match inserted.map_err(Error::from) {
                // Another page view by the same member recorded it first.
                Ok(_) | Err(Error::Conflict(_)) => Ok(()),
                Err(other) => Err(other),
            }
        }
    }
}

/// A position in a forum's topic order (pinned first, newest activity first, then id).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Cursor {
    pinned: bool,
    last_post_at: DateTime<Utc>,
    id: i32,
}

impl Cursor {
    fn of(row: &topic::Model) -> Cursor {
        Cursor {
            pinned: row.pinned,
            last_post_at: row.last_post_at,
            id: row.id,
        }
    }

    /// Parses `p-<nanoseconds>-<id>` (`p` is 1 for pinned); anything else is no cursor. Full
    /// precision matters: the stored time must compare equal to the cursor's.
    fn parse(text: &str) -> Option<Cursor> {
        let mut parts = text.split('-');
        let pinned = parts.next()? == "1";
        let nanos: i64 = parts.next()?.parse().ok()?;
        let id: i32 = parts.next()?.parse().ok()?;
        Some(Cursor {
            pinned,
            last_post_at: DateTime::from_timestamp_nanos(nanos),
            id,
        })
    }

    /// Topics after this one in the forum's order.
    fn condition(self) -> Condition {
        let same_pin = topic::Column::Pinned.eq(self.pinned);
        let mut after = Condition::any()
            .add(
                Condition::all()
                    .add(same_pin.clone())
                    .add(topic::Column::LastPostAt.lt(self.last_post_at)),
            )
            .add(
                Condition::all()
                    .add(same_pin)
                    .add(topic::Column::LastPostAt.eq(self.last_post_at))
                    .add(topic::Column::Id.lt(self.id)),
            );
        if self.pinned {
            after = after.add(topic::Column::Pinned.eq(false));
        }
        after
    }
}

impl std::fmt::Display for Cursor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}-{}-{}",
            u8::from(self.pinned),
            self.last_post_at.timestamp_nanos_opt().unwrap_or(i64::MAX),
            self.id
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_refuse_garbage() {
        let cursor = Cursor {
            pinned: true,
            last_post_at: DateTime::from_timestamp_nanos(1_764_000_000_123_456_789),
            id: 42,
        };
        assert_eq!(Cursor::parse(&cursor.to_string()), Some(cursor));
        assert_eq!(Cursor::parse("x"), None);
        assert_eq!(Cursor::parse("1-notanumber-3"), None);
    }
}
