//! Holding a new member's first posts for approval. Administrators choose how many of a
//! member's first posts wait for a moderator (none by default). A held topic or reply is kept
//! apart from the published posts, so no list, count, feed, search or email can see it; the
//! moderators of its forum approve it (it is published then, as if posted at that moment,
//! with its notifications) or reject it. Moderators' own posts are never held.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait,
};

use super::entities::{forum, held_post, post, topic};
use super::moderation::{moderates, require_moderator};
use super::posting::{HeldDraft, publish_reply, publish_topic};
use super::{ForumService, origin_ip, poster, readable_by};
use crate::access::Permission;
use crate::accounts::{Actor, RequestOrigin};
use crate::{Error, FieldError, Result, audit, site_settings};

/// The setting: how many of a member's first posts are held.
const HOLD_FIRST_POSTS: &str = "forums.hold-first-posts";
/// The most first posts the setting may hold.
pub const MAX_HELD_FIRST_POSTS: u64 = 20;

/// A post waiting for approval, as its forum's moderators see it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HeldPostView {
    /// Its id in the queue.
    pub id: i32,
    /// Its forum's slug.
    pub forum_slug: String,
    /// Its forum's name.
    pub forum_name: String,
    /// The topic it replies to (id and title), or `None` for a new topic.
    pub reply_to: Option<(i32, String)>,
    /// A new topic's title (empty for a reply).
    pub title: String,
    /// Who wrote it.
    pub author: String,
    /// Its text, in Markdown, for the moderator to judge.
    pub body_markdown: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
}

impl ForumService {
    /// How many of a new member's first posts are held for approval (0: none). For
    /// administrators.
    pub async fn held_first_posts(&self, actor: &Actor) -> Result<u64> {
        actor.allows(Permission::Administer)?;
        hold_setting(&self.db).await
    }

    /// Sets how many of a new member's first posts are held for approval, from the typed
    /// `count`.
    pub async fn set_held_first_posts(
        &self,
        actor: &Actor,
        count: &str,
        origin: &RequestOrigin,
    ) -> Result<u64> {
        actor.allows(Permission::Administer)?;
        let count = count
            .trim()
            .parse::<u64>()
            .ok()
            .filter(|count| *count <= MAX_HELD_FIRST_POSTS)
            .ok_or_else(|| {
                Error::InvalidFields(vec![FieldError::new(
                    "count",
                    format!(
                        "Enter a whole number from 0 to {MAX_HELD_FIRST_POSTS} (0 holds nothing)"
                    ),
                )])
            })?;
        let txn = self.db.begin().await?;
        site_settings::set(&txn, HOLD_FIRST_POSTS, &count.to_string()).await?;
        audit::record(
            &txn,
            actor,
            "forum.hold-first-posts",
            "forums",
            &count.to_string(),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(count)
    }

    /// The posts waiting for approval in the forums `actor` moderates, oldest first.
    pub async fn held_posts(&self, actor: &Actor) -> Result<Vec<HeldPostView>> {
        let forums = self.moderated_forums(actor).await?;
        let held = held_post::Entity::find()
            .filter(held_post::Column::ForumId.is_in(forums.iter().map(|forum| forum.id)))
            .order_by_asc(held_post::Column::CreatedAt)
            .order_by_asc(held_post::Column::Id)
            .all(&self.db)
            .await?;
        let titles: Vec<(i32, String)> = topic::Entity::find()
            .select_only()
            .columns([topic::Column::Id, topic::Column::Title])
            .filter(topic::Column::Id.is_in(held.iter().filter_map(|row| row.topic_id)))
            .into_tuple()
            .all(&self.db)
            .await?;
        let authors =
            super::listing::author_names(&self.db, held.iter().map(|row| Some(row.author_id)))
                .await?;
        Ok(held
            .into_iter()
            .filter_map(|row| {
                let forum = forums.iter().find(|forum| forum.id == row.forum_id)?;
                let reply_to = match row.topic_id {
                    Some(id) => Some(titles.iter().find(|(topic, _)| *topic == id)?.clone()),
                    None => None,
                };
                Some(HeldPostView {
                    id: row.id,
                    forum_slug: forum.slug.clone(),
                    forum_name: forum.name.clone(),
                    reply_to,
                    title: row.title,
                    author: super::listing::author_of(&authors, Some(row.author_id)),
                    body_markdown: row.body_markdown,
                    created_at: row.created_at,
                })
            })
            .collect())
    }

    /// Publishes held post `held_id` (the actor must moderate its forum); answers the new
    /// post's id.
    pub async fn approve_held_post(
        &self,
        actor: &Actor,
        held_id: i32,
        origin: &RequestOrigin,
    ) -> Result<i32> {
        let (held, forum) = self.moderated_held_post(actor, held_id).await?;
        self.publish_held(actor, held, &forum, origin).await
    }

    /// Rejects held post `held_id`: it is deleted unpublished.
    pub async fn reject_held_post(
        &self,
        actor: &Actor,
        held_id: i32,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let (held, forum) = self.moderated_held_post(actor, held_id).await?;
        self.delete_held(actor, held, &forum, origin).await
    }

    /// Approves (`approve`) or rejects (`reject`) held post `held_id`, as a moderator's form
    /// says; answers `approved` or `rejected`. Access is checked before the decision is read.
    pub async fn decide_held_post(
        &self,
        actor: &Actor,
        held_id: i32,
        decision: &str,
        origin: &RequestOrigin,
    ) -> Result<&'static str> {
        let (held, forum) = self.moderated_held_post(actor, held_id).await?;
        match decision {
            "approve" => self
                .publish_held(actor, held, &forum, origin)
                .await
                .map(|_| "approved"),
            "reject" => self
                .delete_held(actor, held, &forum, origin)
                .await
                .map(|()| "rejected"),
            _ => Err(Error::InvalidFields(vec![FieldError::new(
                "decision",
                "Choose approve or reject",
            )])),
        }
    }

    async fn publish_held(
        &self,
        actor: &Actor,
        held: held_post::Model,
        forum: &forum::Model,
        origin: &RequestOrigin,
    ) -> Result<i32> {
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let (topic_id, post_id) = match held.topic_id {
            None => {
                publish_topic(
                    &txn,
                    forum.id,
                    held.author_id,
                    &held.title,
                    &held.tags,
                    &held.body_markdown,
                    now,
                )
                .await?
            }
            Some(topic_id) => {
                let post_id = publish_reply(
                    &txn,
                    topic_id,
                    forum.id,
                    held.author_id,
                    &held.body_markdown,
                    held.quote_of,
                    now,
                )
                .await?;
                (topic_id, post_id)
            }
        };
        held_post::Entity::delete_by_id(held.id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "forum.approve",
            &format!(
                "held post #{} as post #{post_id} in topic #{topic_id}",
                held.id
            ),
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(post_id)
    }

    async fn delete_held(
        &self,
        actor: &Actor,
        held: held_post::Model,
        forum: &forum::Model,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let txn = self.db.begin().await?;
        held_post::Entity::delete_by_id(held.id).exec(&txn).await?;
        audit::record(
            &txn,
            actor,
            "forum.reject",
            &format!("held post #{} in forum #{}", held.id, forum.id),
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Held post `held_id` and its forum, if `actor` moderates that forum (not found if they
    /// may not read it; forbidden if they read but do not moderate it).
    async fn moderated_held_post(
        &self,
        actor: &Actor,
        held_id: i32,
    ) -> Result<(held_post::Model, forum::Model)> {
        poster(actor)?;
        let held = held_post::Entity::find_by_id(held_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let forum = forum::Entity::find_by_id(held.forum_id)
            .filter(readable_by(actor))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        require_moderator(actor, &forum)?;
        Ok((held, forum))
    }
}

/// The stored setting (0 when never set).
async fn hold_setting(db: &impl sea_orm::ConnectionTrait) -> Result<u64> {
    Ok(site_settings::get(db, HOLD_FIRST_POSTS)
        .await?
        .and_then(|value| value.parse().ok())
        .unwrap_or(0))
}

/// True when member `author_id`'s next post in `forum` must wait for approval: the site holds
/// first posts, they do not moderate the forum, and they have published fewer than that.
pub(crate) async fn holds(
    db: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    author_id: i32,
    forum: &forum::Model,
) -> Result<bool> {
    if moderates(actor, forum) {
        return Ok(false);
    }
    let limit = hold_setting(db).await?;
    if limit == 0 {
        return Ok(false);
    }
    let published = post::Entity::find()
        .select_only()
        .column(post::Column::Id)
        .filter(post::Column::AuthorId.eq(author_id))
        .limit(limit)
        .count(db)
        .await?;
    Ok(published < limit)
}

/// Holds `draft` for approval (the same text held twice in the same place is held once).
pub(crate) async fn hold(
    db: &impl sea_orm::ConnectionTrait,
    draft: &HeldDraft<'_>,
    now: DateTime<Utc>,
) -> Result<()> {
    let place = match draft.topic_id {
        Some(topic_id) => held_post::Column::TopicId.eq(topic_id),
        None => held_post::Column::TopicId.is_null(),
    };
    let already = held_post::Entity::find()
        .filter(held_post::Column::AuthorId.eq(draft.author_id))
        .filter(held_post::Column::ForumId.eq(draft.forum_id))
        .filter(place)
        .filter(held_post::Column::BodyMarkdown.eq(draft.body))
        .one(db)
        .await?;
    if already.is_some() {
        return Ok(());
    }
    held_post::ActiveModel {
        forum_id: Set(draft.forum_id),
        topic_id: Set(draft.topic_id),
        author_id: Set(draft.author_id),
        title: Set(draft.title.to_owned()),
        tags: Set(draft.tags.to_owned()),
        body_markdown: Set(draft.body.to_owned()),
        quote_of: Set(draft.quote_of),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(db)
    .await?;
    Ok(())
}

/// Deletes every post of member `user_id` still waiting for approval (their account is
/// closing: what they wrote and nobody published goes with their personal data).
pub(crate) async fn forget_held_posts(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<()> {
    held_post::Entity::delete_many()
        .filter(held_post::Column::AuthorId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}
