//! Restructuring topics: a moderator merges a topic into another (its posts follow the other
//! topic's, its watchers watch the other topic, and its old address leads there), or splits a
//! topic from a post onward into a new topic (readers keep their place in both). Both act
//! only in forums the moderator moderates, are one transaction, and are in the audit log.

use chrono::Utc;
use sea_orm::sea_query::{Expr, ExprTrait, OnConflict, Query, QueryStatementBuilder};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

use super::entities::{forum, held_post, post, topic, topic_read, topic_redirect, topic_watch};
use super::moderation::{moderates, require_moderator};
use super::posting::{new_topic, title_problem};
use super::{ForumService, origin_ip, readable_forum};
use crate::accounts::{Actor, RequestOrigin};
use crate::{Error, FieldError, Result, audit};

/// What a moderator is shown before splitting a topic at a post.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SplitPlan {
    /// The topic being split: its id and title.
    pub topic: (i32, String),
    /// Its forum's slug.
    pub forum: String,
    /// The number of the first post that moves.
    pub from_number: i32,
    /// How many posts move (that one and every later one).
    pub moving: i32,
    /// The forums the new topic may go in (those the moderator moderates), as (slug, name).
    pub forums: Vec<(String, String)>,
}

impl ForumService {
    /// Where topic `topic_id` went when it was merged, if `actor` may read the topic it went
    /// into: that topic's forum slug and id (otherwise [`Error::NotFound`], as for any missing
    /// topic).
    pub async fn merged_topic(&self, actor: &Actor, topic_id: i32) -> Result<(String, i32)> {
        let redirect = topic_redirect::Entity::find_by_id(topic_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let (into, forum) = self.readable_topic(actor, redirect.to_topic_id).await?;
        Ok((forum.slug, into.id))
    }

    /// Merges topic `topic_id` into the topic `into` names (its number or address): the posts
    /// follow that topic's, in order, and the merged topic's address leads there. The actor
    /// must moderate both forums and have `confirmed`. Answers the destination's forum slug
    /// and id.
    pub async fn merge_topic(
        &self,
        actor: &Actor,
        topic_id: i32,
        into: &str,
        confirmed: bool,
        origin: &RequestOrigin,
    ) -> Result<(String, i32)> {
        let (source, from) = self.readable_topic(actor, topic_id).await?;
        require_moderator(actor, &from)?;
        let mut problems = Vec::new();
        let into_problem = |message: &str| FieldError::new("into", message);
        let destination = match topic_reference(into) {
            None => {
                problems.push(into_problem(
                    "Enter the number or address of the topic to merge into",
                ));
                None
            }
            Some(id) if id == source.id => {
                problems.push(into_problem(
                    "Choose another topic: a topic cannot merge into itself",
                ));
                None
            }
            // A topic the moderator may not read, or does not moderate, reads as missing.
            Some(id) => match self.readable_topic(actor, id).await {
                Ok((target, to)) if moderates(actor, &to) && to.archived_at.is_none() => {
                    Some((target, to))
                }
                Ok(_) | Err(Error::NotFound) => {
                    problems.push(into_problem("Choose a topic in a forum you moderate"));
                    None
                }
                Err(other) => return Err(other),
            },
        };
        if !confirmed {
            problems.push(FieldError::new(
                "confirm",
                "Tick the box to confirm the merge: it cannot be undone in one step",
            ));
        }
        let Some((target, to)) = destination.filter(|_| problems.is_empty()) else {
            return Err(Error::InvalidFields(problems));
        };
        let offset = target.last_post_number;
        let txn = self.db.begin().await?;
        post::Entity::update_many()
            .col_expr(post::Column::TopicId, Expr::value(target.id))
            .col_expr(
                post::Column::Number,
                Expr::col(post::Column::Number).add(offset),
            )
            .filter(post::Column::TopicId.eq(source.id))
            .exec(&txn)
            .await?;
        let mut merged = topic::ActiveModel::from(target.clone());
        merged.post_count = Set(target.post_count + source.post_count);
        merged.last_post_number = Set(offset + source.last_post_number);
        merged.last_post_at = Set(Ord::max(target.last_post_at, source.last_post_at));
        merged.update(&txn).await?;
        copy_watches(&txn, source.id, target.id).await?;
        held_post::Entity::update_many()
            .col_expr(held_post::Column::TopicId, Expr::value(target.id))
            .col_expr(held_post::Column::ForumId, Expr::value(to.id))
            .filter(held_post::Column::TopicId.eq(source.id))
            .exec(&txn)
            .await?;
        // Addresses that led to the merged topic now lead to where it went.
        topic_redirect::Entity::update_many()
            .col_expr(topic_redirect::Column::ToTopicId, Expr::value(target.id))
            .filter(topic_redirect::Column::ToTopicId.eq(source.id))
            .exec(&txn)
            .await?;
        topic_redirect::Entity::insert(topic_redirect::ActiveModel {
            from_topic_id: Set(source.id),
            to_topic_id: Set(target.id),
            created_at: Set(Utc::now()),
        })
        .on_conflict(
            OnConflict::column(topic_redirect::Column::FromTopicId)
                .update_column(topic_redirect::Column::ToTopicId)
                .to_owned(),
        )
        .exec(&txn)
        .await?;
        // Its read markers and watches go with it; its posts have moved.
        topic::Entity::delete_by_id(source.id).exec(&txn).await?;
        recount_forum(&txn, from.id).await?;
        if to.id != from.id {
            recount_forum(&txn, to.id).await?;
        }
        audit::record(
            &txn,
            actor,
            "forum.merge",
            &format!("topic #{} into topic #{}", source.id, target.id),
            &format!(
                "{} posts from forum #{} to forum #{}",
                source.post_count, from.id, to.id
            ),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok((to.slug, target.id))
    }

    /// What splitting at post `post_id` would move, for its forum's moderators.
    pub async fn split_plan(&self, actor: &Actor, post_id: i32) -> Result<SplitPlan> {
        let (first, source, from) = self.split_point(actor, post_id).await?;
        Ok(SplitPlan {
            moving: source.last_post_number - first.number + 1,
            from_number: first.number,
            topic: (source.id, source.title),
            forum: from.slug,
            forums: self.forums_moderated(actor).await?,
        })
    }

    /// Splits post `post_id` and every later post of its topic into a new topic titled
    /// `title` in forum `to` (one the actor moderates). Readers keep their place in both
    /// topics. Answers the new topic's forum slug and id.
    pub async fn split_topic(
        &self,
        actor: &Actor,
        post_id: i32,
        title: &str,
        to: &str,
        origin: &RequestOrigin,
    ) -> Result<(String, i32)> {
        let (first, source, from) = self.split_point(actor, post_id).await?;
        let title = title.trim();
        let mut problems: Vec<FieldError> = title_problem(title).into_iter().collect();
        let destination = match readable_forum(&self.db, actor, to).await {
            Ok(forum) if moderates(actor, &forum) && forum.archived_at.is_none() => Some(forum),
            Ok(_) | Err(Error::NotFound) => {
                problems.push(FieldError::new("forum", "Choose a forum you moderate"));
                None
            }
            Err(other) => return Err(other),
        };
        let Some(destination) = destination.filter(|_| problems.is_empty()) else {
            return Err(Error::InvalidFields(problems));
        };
        let shift = first.number - 1;
        let moving = source.last_post_number - shift;
        let remaining_last_at: Option<chrono::DateTime<Utc>> = post::Entity::find()
            .select_only()
            .column(post::Column::CreatedAt)
            .filter(post::Column::TopicId.eq(source.id))
            .filter(post::Column::Number.eq(shift))
            .into_tuple()
            .one(&self.db)
            .await?;
        let txn = self.db.begin().await?;
        let mut row = new_topic(
            destination.id,
            title,
            &source.tags,
            first.author_id,
            first.created_at,
        );
        row.post_count = Set(moving);
        row.last_post_number = Set(moving);
        row.last_post_at = Set(source.last_post_at);
        let created = row.insert(&txn).await?;
        post::Entity::update_many()
            .col_expr(post::Column::TopicId, Expr::value(created.id))
            .col_expr(
                post::Column::Number,
                Expr::col(post::Column::Number).sub(shift),
            )
            .filter(post::Column::TopicId.eq(source.id))
            .filter(post::Column::Number.gte(first.number))
            .exec(&txn)
            .await?;
        let mut kept = topic::ActiveModel::from(source.clone());
        kept.post_count = Set(source.post_count - moving);
        kept.last_post_number = Set(shift);
        kept.last_post_at = Set(remaining_last_at.unwrap_or(source.created_at));
        kept.update(&txn).await?;
        split_read_markers(&txn, source.id, created.id, shift).await?;
        copy_watches(&txn, source.id, created.id).await?;
        recount_forum(&txn, from.id).await?;
        if destination.id != from.id {
            recount_forum(&txn, destination.id).await?;
        }
        audit::record(
            &txn,
            actor,
            "forum.split",
            &format!(
                "posts {}–{} of topic #{} into topic #{}",
                first.number, source.last_post_number, source.id, created.id
            ),
            &format!("to forum #{}", destination.id),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok((destination.slug, created.id))
    }

    /// Post `post_id`, its topic and forum, when the actor moderates the forum and the post
    /// is not the topic's first (splitting there would move the whole topic: that is a move).
    async fn split_point(
        &self,
        actor: &Actor,
        post_id: i32,
    ) -> Result<(post::Model, topic::Model, forum::Model)> {
        let first = post::Entity::find_by_id(post_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let (source, from) = self.readable_topic(actor, first.topic_id).await?;
        require_moderator(actor, &from)?;
        if first.number <= 1 {
            return Err(Error::Conflict(
                "The first post is the whole topic: move the topic instead of splitting it"
                    .to_owned(),
            ));
        }
        Ok((first, source, from))
    }
}

/// The topic id in what a moderator typed: `123`, `#123`, or a topic's address such as
/// `https://…/forums/general/123?page=2#post-4`.
fn topic_reference(text: &str) -> Option<i32> {
    let text = text.trim();
    if let Ok(id) = text.trim_start_matches('#').parse::<i32>() {
        return (id > 0).then_some(id);
    }
    let (_, path) = text.split_once("/forums/")?;
    let path = path.split(['?', '#']).next()?;
    let mut segments = path.split('/');
    let _forum = segments.next()?;
    let id = segments.next()?.parse::<i32>().ok()?;
    (id > 0).then_some(id)
}

/// Every member watching (or having stopped watching) topic `from` has the same choice for
/// topic `to`, unless they already made one there.
async fn copy_watches(conn: &impl ConnectionTrait, from: i32, to: i32) -> Result<()> {
    let choices = Query::select()
        .column(topic_watch::Column::UserId)
        .expr(Expr::val(to))
        .column(topic_watch::Column::Watching)
        .column(topic_watch::Column::CreatedAt)
        .from(topic_watch::Entity)
        .and_where(topic_watch::Column::TopicId.eq(from))
        .to_owned();
    let insert = Query::insert()
        .into_table(topic_watch::Entity)
        .columns([
            topic_watch::Column::UserId,
            topic_watch::Column::TopicId,
            topic_watch::Column::Watching,
            topic_watch::Column::CreatedAt,
        ])
        .select_from(choices)
        .map_err(|err| Error::Internal(err.to_string()))?
        .on_conflict(
            OnConflict::columns([topic_watch::Column::UserId, topic_watch::Column::TopicId])
                .do_nothing()
                .to_owned(),
        )
        .to_owned();
    conn.execute(&insert).await?;
    Ok(())
}

/// After posts above number `shift` of topic `from` became posts 1… of topic `to`: a member
/// who had read into them has read as far in `to`, and no further than `shift` in `from` (so
/// the next reply there is unread).
async fn split_read_markers(
    conn: &impl ConnectionTrait,
    from: i32,
    to: i32,
    shift: i32,
) -> Result<()> {
    let read_on = Query::select()
        .column(topic_read::Column::UserId)
        .expr(Expr::val(to))
        .expr(Expr::col(topic_read::Column::LastReadNumber).sub(shift))
        .column(topic_read::Column::ReadAt)
        .from(topic_read::Entity)
        .and_where(topic_read::Column::TopicId.eq(from))
        .and_where(topic_read::Column::LastReadNumber.gt(shift))
        .to_owned();
    let insert = Query::insert()
        .into_table(topic_read::Entity)
        .columns([
            topic_read::Column::UserId,
            topic_read::Column::TopicId,
            topic_read::Column::LastReadNumber,
            topic_read::Column::ReadAt,
        ])
        .select_from(read_on)
        .map_err(|err| Error::Internal(err.to_string()))?
        .to_owned();
    conn.execute(&insert).await?;
    topic_read::Entity::update_many()
        .col_expr(topic_read::Column::LastReadNumber, Expr::value(shift))
        .filter(topic_read::Column::TopicId.eq(from))
        .filter(topic_read::Column::LastReadNumber.gt(shift))
        .exec(conn)
        .await?;
    Ok(())
}

/// Sets forum `forum_id`'s topic and post counts and latest activity from its topics.
async fn recount_forum(conn: &impl ConnectionTrait, forum_id: i32) -> Result<()> {
    let of_forum = |expr: &'static str| {
        Expr::SubQuery(
            None,
            Box::new(
                Query::select()
                    .expr(Expr::cust(expr))
                    .from(topic::Entity)
                    .and_where(Expr::col((topic::Entity, topic::Column::ForumId)).eq(forum_id))
                    .to_owned()
                    .into_sub_query_statement(),
            ),
        )
    };
    forum::Entity::update_many()
        .col_expr(forum::Column::TopicCount, of_forum("COUNT(*)"))
        .col_expr(
            forum::Column::PostCount,
            of_forum("COALESCE(SUM(forum_topics.post_count), 0)"),
        )
        .col_expr(
            forum::Column::LastPostAt,
            of_forum("MAX(forum_topics.last_post_at)"),
        )
        .filter(forum::Column::Id.eq(forum_id))
        .exec(conn)
        .await?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::topic_reference;

    #[test]
    fn topic_references_are_numbers_or_topic_addresses() {
        assert_eq!(topic_reference("42"), Some(42));
        assert_eq!(topic_reference(" #42 "), Some(42));
        assert_eq!(
            topic_reference("https://ohnet.example/forums/general/42?page=2#post-3"),
            Some(42)
        );
        assert_eq!(topic_reference("/forums/cmo/7"), Some(7));
        assert_eq!(topic_reference("/forums/general"), None);
        assert_eq!(topic_reference("0"), None);
        assert_eq!(topic_reference("the other one"), None);
    }
}
