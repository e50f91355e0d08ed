//! Moderating the forums: members report posts; the moderators of a forum (its group's
//! scoped moderators, unscoped moderators and administrators who can read it) work through a
//! queue of reports, hide and restore posts, lock and pin topics, and move a topic between
//! forums they moderate (merging and splitting are in `restructuring`, approving held posts
//! in `approval`). Every moderator action is in the audit log, naming posts and topics
//! by number only, so the log never carries a private forum's words.

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::entities::{forum, held_post, post, report, revision, topic};
use super::posting::count_in_forum;
use super::{ForumService, origin_ip, poster, readable_by, readable_forum};
use crate::access::Permission;
use crate::accounts::{Actor, RequestOrigin};
use crate::{Error, FieldError, Result, audit};

/// Longest report reason, in characters.
const REASON_CHARS: usize = 1_000;

/// An open report, as a moderator sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReportView {
    /// Report id.
    pub id: i32,
    /// The reported post.
    pub post_id: i32,
    /// Its topic's title.
    pub topic_title: String,
    /// Its forum's name.
    pub forum_name: String,
    /// The post's text (Markdown), so the moderator can judge it here.
    pub post_text: String,
    /// Already hidden.
    pub hidden: bool,
    /// Why it was reported.
    pub reason: String,
    /// When.
    pub created_at: DateTime<Utc>,
}

/// A change a moderator makes to a topic.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TopicChange {
    /// Close it to new replies.
    Lock,
    /// Open it again.
    Unlock,
    /// Keep it at the top of its forum.
    Pin,
    /// Let it move with activity again.
    Unpin,
}

impl TopicChange {
    /// Parses the form value (`lock`, `unlock`, `pin`, `unpin`).
    pub fn parse(text: &str) -> Option<TopicChange> {
        match text {
            "lock" => Some(TopicChange::Lock),
            "unlock" => Some(TopicChange::Unlock),
            "pin" => Some(TopicChange::Pin),
            "unpin" => Some(TopicChange::Unpin),
            _ => None,
        }
    }

    fn as_str(self) -> &'static str {
        match self {
            TopicChange::Lock => "lock",
            TopicChange::Unlock => "unlock",
            TopicChange::Pin => "pin",
            TopicChange::Unpin => "unpin",
        }
    }
}

/// True when `actor` moderates `forum` (and so may see hidden posts in it).
pub(crate) fn moderates(actor: &Actor, forum: &forum::Model) -> bool {
    actor
        .allows(Permission::Moderate(forum.moderator_group.as_deref()))
        .is_ok()
}

/// One earlier text of an edited post, for moderators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RevisionView {
    /// When it was replaced.
    pub replaced_at: DateTime<Utc>,
    /// Who replaced it.
    pub editor: String,
    /// The text as it was, in Markdown.
    pub body_markdown: String,
}

/// A post's edit history, for moderators: its text now and every earlier text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PostHistory {
    /// Post id.
    pub post_id: i32,
    /// Its number in the topic.
    pub number: i32,
    /// Its topic's title.
    pub topic: String,
    /// Who wrote it.
    pub author: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// Its text now, in Markdown.
    pub current_markdown: String,
    /// Earlier texts, newest first.
    pub revisions: Vec<RevisionView>,
}

impl ForumService {
    /// Reports post `post_id` to the forum's moderators with `reason`.
    pub async fn report_post(&self, actor: &Actor, post_id: i32, reason: &str) -> Result<()> {
        let member = poster(actor)?;
        let found = self.readable_post(actor, post_id).await?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "reason",
                "Say what is wrong with the post",
            )]));
        }
        if reason.chars().count() > REASON_CHARS {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "reason",
                format!("Keep the reason to {REASON_CHARS} characters or fewer"),
            )]));
        }
        let already = report::Entity::find()
            .filter(report::Column::PostId.eq(found.id))
            .filter(report::Column::ReporterId.eq(member.id))
            .filter(report::Column::ResolvedAt.is_null())
            .one(&self.db)
            .await?;
        if already.is_some() {
            return Ok(());
        }
        report::ActiveModel {
            post_id: Set(found.id),
            reporter_id: Set(Some(member.id)),
            reason: Set(reason.to_owned()),
            created_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&self.db)
        .await?;
        Ok(())
    }

    /// Open reports in the forums `actor` moderates, oldest first.
    pub async fn moderation_queue(&self, actor: &Actor) -> Result<Vec<ReportView>> {
        let forums = self.moderated_forums(actor).await?;
        let open = report::Entity::find()
            .filter(report::Column::ResolvedAt.is_null())
            .order_by_asc(report::Column::CreatedAt)
            .all(&self.db)
            .await?;
        let posts = post::Entity::find()
            .filter(post::Column::Id.is_in(open.iter().map(|row| row.post_id)))
            .all(&self.db)
            .await?;
        let topics = topic::Entity::find()
            .filter(topic::Column::Id.is_in(posts.iter().map(|row| row.topic_id)))
            .all(&self.db)
            .await?;
        let mut queue = Vec::new();
        for row in open {
            let Some(reported) = posts.iter().find(|post| post.id == row.post_id) else {
                continue;
            };
            let Some(in_topic) = topics.iter().find(|topic| topic.id == reported.topic_id) else {
                continue;
            };
            let Some(in_forum) = forums.iter().find(|forum| forum.id == in_topic.forum_id) else {
                continue;
            };
            queue.push(ReportView {
                id: row.id,
                post_id: reported.id,
                topic_title: in_topic.title.clone(),
                forum_name: in_forum.name.clone(),
                post_text: reported.body_markdown.clone(),
                hidden: reported.hidden_at.is_some(),
                reason: row.reason,
                created_at: row.created_at,
            });
        }
        Ok(queue)
    }

    /// Hides (or with `hidden = false`, restores) post `post_id`; hiding resolves its open
    /// reports.
    pub async fn set_post_hidden(
        &self,
        actor: &Actor,
        post_id: i32,
        hidden: bool,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let found = self.readable_post(actor, post_id).await?;
        let (in_topic, in_forum) = self.readable_topic(actor, found.topic_id).await?;
        require_moderator(actor, &in_forum)?;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let mut row = post::ActiveModel::from(found);
        row.hidden_at = Set(hidden.then_some(now));
        row.update(&txn).await?;
        if hidden {
            resolve_reports(&txn, actor, post_id, "hidden", now).await?;
        }
        let action = if hidden {
            "forum.hide"
        } else {
            "forum.restore"
        };
        let target = format!("post #{post_id} in topic #{}", in_topic.id);
        audit::record(
            &txn,
            actor,
            action,
            &target,
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Closes report `report_id` without acting on the post.
    pub async fn dismiss_report(
        &self,
        actor: &Actor,
        report_id: i32,
        origin: &RequestOrigin,
    ) -> Result<()> {
        poster(actor)?;
        if self.forums_moderated(actor).await?.is_empty() {
            return Err(Error::Forbidden);
        }
        let found = report::Entity::find_by_id(report_id)
            .filter(report::Column::ResolvedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let reported = self.readable_post(actor, found.post_id).await?;
        let (_, in_forum) = self.readable_topic(actor, reported.topic_id).await?;
        require_moderator(actor, &in_forum)?;
        let txn = self.db.begin().await?;
        let mut row = report::ActiveModel::from(found);
        row.resolved_at = Set(Some(Utc::now()));
        row.resolved_by = Set(actor.member().map(|member| member.id));
        row.resolution = Set(Some("dismissed".to_owned()));
        row.update(&txn).await?;
        let target = format!("report #{report_id} on post #{}", reported.id);
        audit::record(
            &txn,
            actor,
            "forum.dismiss-report",
            &target,
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Locks, unlocks, pins or unpins topic `topic_id`.
    pub async fn change_topic(
        &self,
        actor: &Actor,
        topic_id: i32,
        change: TopicChange,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let (found, in_forum) = self.readable_topic(actor, topic_id).await?;
        require_moderator(actor, &in_forum)?;
        let txn = self.db.begin().await?;
        let mut row = topic::ActiveModel::from(found);
        match change {
            TopicChange::Lock => row.locked = Set(true),
            TopicChange::Unlock => row.locked = Set(false),
            TopicChange::Pin => row.pinned = Set(true),
            TopicChange::Unpin => row.pinned = Set(false),
        }
        row.update(&txn).await?;
        let action = format!("forum.{}", change.as_str());
        audit::record(
            &txn,
            actor,
            &action,
            &format!("topic #{topic_id}"),
            "",
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Moves topic `topic_id` to the forum `to` (the actor must moderate both); answers the
    /// new forum's slug.
    pub async fn move_topic(
        &self,
        actor: &Actor,
        topic_id: i32,
        to: &str,
        origin: &RequestOrigin,
    ) -> Result<String> {
        let (found, from) = self.readable_topic(actor, topic_id).await?;
        require_moderator(actor, &from)?;
        let destination = match readable_forum(&self.db, actor, to).await {
            Ok(forum) if moderates(actor, &forum) && forum.archived_at.is_none() => forum,
            Ok(_) | Err(Error::NotFound) => {
                return Err(Error::InvalidFields(vec![FieldError::new(
                    "forum",
                    "Choose a forum you moderate",
                )]));
            }
            Err(other) => return Err(other),
        };
        if destination.id == from.id {
            return Ok(destination.slug);
        }
        let posts = found.post_count;
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let mut row = topic::ActiveModel::from(found);
        row.forum_id = Set(destination.id);
        row.update(&txn).await?;
        count_in_forum(&txn, from.id, -1, -posts, now).await?;
        count_in_forum(&txn, destination.id, 1, posts, now).await?;
        // Replies waiting for approval go with their topic.
        held_post::Entity::update_many()
            .col_expr(
                held_post::Column::ForumId,
                sea_orm::sea_query::Expr::value(destination.id),
            )
            .filter(held_post::Column::TopicId.eq(topic_id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            "forum.move",
            &format!("topic #{topic_id}"),
            &format!("from forum #{} to forum #{}", from.id, destination.id),
            origin_ip(origin).as_deref(),
        )
        .await?;
        txn.commit().await?;
        Ok(destination.slug)
    }

    /// The forums `actor` could move a topic to (those they moderate), as (slug, name).
    pub async fn forums_moderated(&self, actor: &Actor) -> Result<Vec<(String, String)>> {
        Ok(forum::Entity::find()
            .filter(readable_by(actor))
            .filter(forum::Column::ArchivedAt.is_null())
            .order_by_asc(forum::Column::Position)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|forum| moderates(actor, forum))
            .map(|forum| (forum.slug, forum.name))
            .collect())
    }

    /// The forums `actor` moderates (archived ones included); [`Error::Forbidden`] when none,
    /// so a member who moderates nothing is refused the moderators' queues.
    pub(crate) async fn moderated_forums(&self, actor: &Actor) -> Result<Vec<forum::Model>> {
        poster(actor)?;
        let forums: Vec<forum::Model> = forum::Entity::find()
            .filter(readable_by(actor))
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|forum| moderates(actor, forum))
            .collect();
        if forums.is_empty() {
            return Err(Error::Forbidden);
        }
        Ok(forums)
    }

    /// Post `post_id` if `actor` may read its topic.
    /// Post `post_id`'s edit history, for a moderator of its forum (a member who may read
    /// it but not moderate it is refused; anyone else finds nothing).
    pub async fn post_history(&self, actor: &Actor, post_id: i32) -> Result<PostHistory> {
        let found = self.readable_post(actor, post_id).await?;
        let (topic, forum) = self.readable_topic(actor, found.topic_id).await?;
        require_moderator(actor, &forum)?;
        let revisions = revision::Entity::find()
            .filter(revision::Column::PostId.eq(found.id))
            .order_by_desc(revision::Column::EditedAt)
            .order_by_desc(revision::Column::Id)
            .all(&self.db)
            .await?;
        let names = super::listing::author_names(
            &self.db,
            revisions
                .iter()
                .map(|row| row.edited_by)
                .chain([found.author_id]),
        )
        .await?;
        Ok(PostHistory {
            post_id: found.id,
            number: found.number,
            topic: topic.title,
            author: super::listing::author_of(&names, found.author_id),
            created_at: found.created_at,
            current_markdown: found.body_markdown,
            revisions: revisions
                .into_iter()
                .map(|row| RevisionView {
                    replaced_at: row.edited_at,
                    editor: super::listing::author_of(&names, row.edited_by),
                    body_markdown: row.body_markdown,
                })
                .collect(),
        })
    }

    async fn readable_post(&self, actor: &Actor, post_id: i32) -> Result<post::Model> {
        let found = post::Entity::find_by_id(post_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        self.readable_topic(actor, found.topic_id).await?;
        Ok(found)
    }
}

/// Refuses an actor who does not moderate `forum`.
pub(crate) fn require_moderator(actor: &Actor, forum: &forum::Model) -> Result<()> {
    if moderates(actor, forum) {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

async fn resolve_reports(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    post_id: i32,
    resolution: &str,
    now: DateTime<Utc>,
) -> Result<()> {
    report::Entity::update_many()
        .col_expr(
            report::Column::ResolvedAt,
            sea_orm::sea_query::Expr::value(now),
        )
        .col_expr(
            report::Column::ResolvedBy,
            sea_orm::sea_query::Expr::value(actor.member().map(|member| member.id)),
        )
        .col_expr(
            report::Column::Resolution,
            sea_orm::sea_query::Expr::value(resolution),
        )
        .filter(report::Column::PostId.eq(post_id))
        .filter(report::Column::ResolvedAt.is_null())
        .exec(conn)
        .await?;
    Ok(())
}
