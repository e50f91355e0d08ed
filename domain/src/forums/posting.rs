//! Writing in the forums: starting a topic, replying (with a quote that links back), editing
//! one's own post (the earlier text is kept), removing it (a placeholder keeps the thread
//! readable), and previewing. Every write checks the actor, validates every field at once,
//! and is one transaction; a post's number comes from an atomic update of its topic, so two
//! replies at the same moment both land, in order.

use chrono::{Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::entities::{forum, post, revision, topic};
use super::{ForumService, MAX_TAGS, may_post, poster, readable_forum};
use crate::accounts::Actor;
use crate::markdown::{self, Audience as Allowed};
use crate::rate_limit::Limited;
use crate::{Error, FieldError, Result};

/// Shortest and longest topic titles, in characters.
const TITLE_CHARS: (usize, usize) = (5, 150);
/// Longest tag, in characters.
const TAG_CHARS: usize = 30;

/// A new topic as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct NewTopic {
    /// Title.
    pub title: String,
    /// Tags, separated by commas.
    pub tags: String,
    /// The first post, in Markdown.
    pub body: String,
}

/// What became of a new topic or reply.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Posted {
    /// Published: the new topic's id (for a topic) or the new post's id (for a reply).
    Published(i32),
    /// Held until a moderator approves it (a new member's first posts, when the site holds
    /// them).
    Held,
}

impl Posted {
    /// The new topic's or post's id, if it was published.
    pub fn published(self) -> Option<i32> {
        match self {
            Posted::Published(id) => Some(id),
            Posted::Held => None,
        }
    }
}

/// A topic or reply about to be held for approval.
pub(crate) struct HeldDraft<'a> {
    pub(crate) forum_id: i32,
    pub(crate) topic_id: Option<i32>,
    pub(crate) author_id: i32,
    pub(crate) title: &'a str,
    pub(crate) tags: &'a str,
    pub(crate) body: &'a str,
    pub(crate) quote_of: Option<i32>,
}

/// A reply as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct PostDraft {
    /// Markdown.
    pub body: String,
    /// The post it quotes, if any.
    pub quote_of: Option<i32>,
}

impl ForumService {
    /// Renders `body` as a post would be shown, without saving anything.
    pub fn preview(&self, actor: &Actor, body: &str) -> Result<String> {
        poster(actor)?;
        Ok(markdown::render(body, Allowed::Member).html)
    }

    /// Starts a topic in forum `slug`: published at once (with its id), or held for a
    /// moderator's approval.
    pub async fn start_topic(&self, actor: &Actor, slug: &str, new: &NewTopic) -> Result<Posted> {
        let member = poster(actor)?;
        let forum = readable_forum(&self.db, actor, slug).await?;
        if !may_post(&self.db, actor, &forum).await? {
            return Err(Error::Forbidden);
        }
        let mut problems = Vec::new();
        let title = new.title.trim();
        problems.extend(title_problem(title));
        let tags = match parse_tags(&new.tags) {
            Ok(tags) => tags,
            Err(problem) => {
                problems.push(problem);
                Vec::new()
            }
        };
        if let Err(problem) = self.check_body(&new.body) {
            problems.push(problem);
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        self.limits
            .check(Limited::Posting, None, Some(&member.id.to_string()))?;
        let now = Utc::now();
        let tags = tags.join(",");
        if super::approval::holds(&self.db, actor, member.id, &forum).await? {
            let held = HeldDraft {
                forum_id: forum.id,
                topic_id: None,
                author_id: member.id,
                title,
                tags: &tags,
                body: &new.body,
                quote_of: None,
            };
            super::approval::hold(&self.db, &held, now).await?;
            return Ok(Posted::Held);
        }
        let txn = self.db.begin().await?;
        let (topic_id, _) =
            publish_topic(&txn, forum.id, member.id, title, &tags, &new.body, now).await?;
        txn.commit().await?;
        Ok(Posted::Published(topic_id))
    }

    /// Replies in topic `topic_id`: published at once (with the new post's id), or held for a
    /// moderator's approval.
    pub async fn reply(&self, actor: &Actor, topic_id: i32, draft: &PostDraft) -> Result<Posted> {
        let member = poster(actor)?;
        let (topic, forum) = self.readable_topic(actor, topic_id).await?;
        if !may_post(&self.db, actor, &forum).await? {
            return Err(Error::Forbidden);
        }
        if topic.locked {
            return Err(Error::Conflict(
                "This topic is closed to new replies".to_owned(),
            ));
        }
        self.check_body(&draft.body)
            .map_err(|problem| Error::InvalidFields(vec![problem]))?;
        let quote_of = match draft.quote_of {
            Some(quoted) => Some(
                post::Entity::find_by_id(quoted)
                    .filter(post::Column::TopicId.eq(topic.id))
                    .one(&self.db)
                    .await?
                    .ok_or_else(|| {
                        Error::InvalidFields(vec![FieldError::new(
                            "body",
                            "The post you quoted is not in this topic",
                        )])
                    })?
                    .id,
            ),
            None => None,
        };
        self.refuse_duplicate(member.id, topic.id, &draft.body)
            .await?;
        self.limits
            .check(Limited::Posting, None, Some(&member.id.to_string()))?;
        let now = Utc::now();
        if super::approval::holds(&self.db, actor, member.id, &forum).await? {
            let held = HeldDraft {
                forum_id: forum.id,
                topic_id: Some(topic.id),
                author_id: member.id,
                title: "",
                tags: "",
                body: &draft.body,
                quote_of,
            };
            super::approval::hold(&self.db, &held, now).await?;
            return Ok(Posted::Held);
        }
        let txn = self.db.begin().await?;
        let id = publish_reply(
            &txn,
            topic.id,
            forum.id,
            member.id,
            &draft.body,
            quote_of,
            now,
        )
        .await?;
        txn.commit().await?;
        Ok(Posted::Published(id))
    }

    /// Replaces the text of the actor's own post `post_id`, keeping the earlier text.
    pub async fn edit_post(&self, actor: &Actor, post_id: i32, body: &str) -> Result<i32> {
        let member = poster(actor)?;
        let found = self.own_post(actor, post_id).await?;
        self.check_body(body)
            .map_err(|problem| Error::InvalidFields(vec![problem]))?;
        if found.body_markdown == body {
            return Ok(found.id);
        }
        let now = Utc::now();
        let txn = self.db.begin().await?;
        revision::ActiveModel {
            post_id: Set(found.id),
            body_markdown: Set(found.body_markdown.clone()),
            edited_by: Set(Some(member.id)),
            edited_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        let mut row = post::ActiveModel::from(found);
        row.body_markdown = Set(body.to_owned());
        row.body_html = Set(markdown::render(body, Allowed::Member).html);
        row.edited_at = Set(Some(now));
        let saved = row.update(&txn).await?;
        txn.commit().await?;
        Ok(saved.id)
    }

    /// Removes the actor's own post `post_id` once `confirmed`: its text goes, a placeholder
    /// stays.
    pub async fn delete_post(&self, actor: &Actor, post_id: i32, confirmed: bool) -> Result<()> {
        let found = self.own_post(actor, post_id).await?;
        if !confirmed {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "confirm",
                "Tick the box to confirm you want to remove your post",
            )]));
        }
        let mut row = post::ActiveModel::from(found);
        row.deleted_at = Set(Some(Utc::now()));
        row.update(&self.db).await?;
        Ok(())
    }

    /// A reply's opening that quotes post `post_id` of topic `topic_id`: a link back to it
    /// with its author, then its text as a block quote.
    pub async fn quote(&self, actor: &Actor, topic_id: i32, post_id: i32) -> Result<String> {
        let (topic, _) = self.readable_topic(actor, topic_id).await?;
        let quoted = post::Entity::find_by_id(post_id)
            .filter(post::Column::TopicId.eq(topic.id))
            .filter(post::Column::DeletedAt.is_null())
            .filter(post::Column::HiddenAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let author = super::listing::author_name(&self.db, quoted.author_id).await?;
        let quoted_lines: Vec<String> = quoted
            .body_markdown
            .trim()
            .lines()
            .map(|line| format!("> {line}").trim_end().to_owned())
            .collect();
        Ok(format!(
            "[{author} wrote](/forums/posts/{}):\n\n{}\n\n",
            quoted.id,
            quoted_lines.join("\n")
        ))
    }

    /// The text of the actor's own post, for editing.
    pub async fn post_for_editing(&self, actor: &Actor, post_id: i32) -> Result<(i32, String)> {
        let found = self.own_post(actor, post_id).await?;
        Ok((found.id, found.body_markdown))
    }

    /// Post `post_id` if the actor may read it and wrote it (and it is not removed).
    async fn own_post(&self, actor: &Actor, post_id: i32) -> Result<post::Model> {
        let member = poster(actor)?;
        let found = post::Entity::find_by_id(post_id)
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        self.readable_topic(actor, found.topic_id).await?;
        if found.author_id != Some(member.id) {
            return Err(Error::Forbidden);
        }
        if found.deleted_at.is_some() || found.hidden_at.is_some() {
            return Err(Error::NotFound);
        }
        Ok(found)
    }

    fn check_body(&self, body: &str) -> std::result::Result<(), FieldError> {
        let chars = body.trim().chars().count();
        if chars == 0 {
            Err(FieldError::new("body", "Enter your post"))
        } else if chars > self.settings.max_post_chars {
            Err(FieldError::new(
                "body",
                format!(
                    "Your post is {chars} characters; the most is {}",
                    self.settings.max_post_chars
                ),
            ))
        } else {
            Ok(())
        }
    }

    /// Refuses the same text from the same member in the same topic within the window (a
    /// double click or a resent form).
    async fn refuse_duplicate(&self, author: i32, topic_id: i32, body: &str) -> Result<()> {
        let since = Utc::now() - Duration::seconds(self.settings.duplicate_window_seconds);
        let latest = post::Entity::find()
            .filter(post::Column::TopicId.eq(topic_id))
            .filter(post::Column::AuthorId.eq(author))
            .filter(post::Column::CreatedAt.gte(since))
            .order_by_desc(post::Column::Number)
            .one(&self.db)
            .await?;
        if latest.is_some_and(|row| row.body_markdown.trim() == body.trim()) {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "body",
                "You posted this a moment ago; it is already in the topic",
            )]));
        }
        Ok(())
    }
}

/// What is wrong with a (trimmed) topic title, if anything.
pub(crate) fn title_problem(title: &str) -> Option<FieldError> {
    let chars = title.chars().count();
    if chars < TITLE_CHARS.0 {
        Some(FieldError::new(
            "title",
            format!("Enter a title of at least {} characters", TITLE_CHARS.0),
        ))
    } else if chars > TITLE_CHARS.1 {
        Some(FieldError::new(
            "title",
            format!("Title must be {} characters or fewer", TITLE_CHARS.1),
        ))
    } else {
        None
    }
}

/// Parses comma-separated tags into at most [`MAX_TAGS`] lowercase slugs.
fn parse_tags(text: &str) -> std::result::Result<Vec<String>, FieldError> {
    let mut tags: Vec<String> = Vec::new();
    for raw in text.split(',') {
        let tag = raw
            .trim()
            .to_lowercase()
            .split_whitespace()
            .collect::<Vec<_>>()
            .join("-");
        if tag.is_empty() || tags.contains(&tag) {
            continue;
        }
        if tag.chars().count() > TAG_CHARS
            || !tag
                .chars()
                .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
        {
            return Err(FieldError::new(
                "tags",
                format!(
                    "Tags are words of letters, digits and hyphens, up to {TAG_CHARS} characters: `{}` is not",
                    raw.trim()
                ),
            ));
        }
        tags.push(tag);
    }
    if tags.len() > MAX_TAGS {
        return Err(FieldError::new(
            "tags",
            format!("Use at most {MAX_TAGS} tags"),
        ));
    }
    Ok(tags)
}

/// Publishes a new topic in `forum_id` with its first post, inside the caller's transaction:
/// the counts move, its author watches it (by their preference) and the notification job is
/// queued. Answers the topic's and the post's ids.
pub(crate) async fn publish_topic(
    conn: &impl sea_orm::ConnectionTrait,
    forum_id: i32,
    author_id: i32,
    title: &str,
    tags: &str,
    body: &str,
    now: chrono::DateTime<Utc>,
) -> Result<(i32, i32)> {
    let created = new_topic(forum_id, title, tags, Some(author_id), now)
        .insert(conn)
        .await?;
    let post_id = insert_post(conn, created.id, 1, Some(author_id), body, None, now).await?;
    count_in_forum(conn, forum_id, 1, 1, now).await?;
    super::following::after_posting(conn, author_id, created.id, post_id, now).await?;
    Ok((created.id, post_id))
}

/// Publishes a reply in `topic_id` (of `forum_id`), inside the caller's transaction; answers
/// the new post's id.
pub(crate) async fn publish_reply(
    conn: &impl sea_orm::ConnectionTrait,
    topic_id: i32,
    forum_id: i32,
    author_id: i32,
    body: &str,
    quote_of: Option<i32>,
    now: chrono::DateTime<Utc>,
) -> Result<i32> {
    // The topic's count moves first, in one statement: concurrent replies queue on it and
    // each gets the next number.
    let numbered = topic::Entity::update_many()
        .col_expr(
            topic::Column::PostCount,
            Expr::col(topic::Column::PostCount).add(1),
        )
        .col_expr(
            topic::Column::LastPostNumber,
            Expr::col(topic::Column::LastPostNumber).add(1),
        )
        .col_expr(topic::Column::LastPostAt, Expr::value(now))
        .filter(topic::Column::Id.eq(topic_id))
        .exec_with_returning(conn)
        .await?;
    let number = numbered
        .first()
        .map(|row| row.last_post_number)
        .ok_or(Error::NotFound)?;
    let id = insert_post(conn, topic_id, number, Some(author_id), body, quote_of, now).await?;
    count_in_forum(conn, forum_id, 0, 1, now).await?;
    super::following::after_posting(conn, author_id, topic_id, id, now).await?;
    Ok(id)
}

async fn insert_post(
    conn: &impl sea_orm::ConnectionTrait,
    topic_id: i32,
    number: i32,
    author_id: Option<i32>,
    body: &str,
    quote_of: Option<i32>,
    now: chrono::DateTime<Utc>,
) -> Result<i32> {
    let saved = post::ActiveModel {
        topic_id: Set(topic_id),
        number: Set(number),
        author_id: Set(author_id),
        body_markdown: Set(body.to_owned()),
        body_html: Set(markdown::render(body, Allowed::Member).html),
        quote_of: Set(quote_of),
        created_at: Set(now),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(saved.id)
}

/// Adds `topics` and `posts` to forum `forum_id`'s counts and moves its latest activity.
pub(crate) async fn count_in_forum(
    conn: &impl sea_orm::ConnectionTrait,
    forum_id: i32,
    topics: i32,
    posts: i32,
    now: chrono::DateTime<Utc>,
) -> Result<()> {
    forum::Entity::update_many()
        .col_expr(
            forum::Column::TopicCount,
            Expr::col(forum::Column::TopicCount).add(topics),
        )
        .col_expr(
            forum::Column::PostCount,
            Expr::col(forum::Column::PostCount).add(posts),
        )
        .col_expr(forum::Column::LastPostAt, Expr::value(now))
        .filter(forum::Column::Id.eq(forum_id))
        .exec(conn)
        .await?;
    Ok(())
}

/// A new, open topic row holding its first post (not yet inserted).
pub(crate) fn new_topic(
    forum_id: i32,
    title: &str,
    tags: &str,
    author_id: Option<i32>,
    now: chrono::DateTime<Utc>,
) -> topic::ActiveModel {
    topic::ActiveModel {
        forum_id: Set(forum_id),
        title: Set(title.to_owned()),
        tags: Set(tags.to_owned()),
        author_id: Set(author_id),
        pinned: Set(false),
        locked: Set(false),
        post_count: Set(1),
        last_post_at: Set(now),
        last_post_number: Set(1),
        created_at: Set(now),
        ..Default::default()
    }
}

/// Inserts the first post of a topic the site itself starts (a seeded welcome topic).
pub(crate) async fn insert_site_post(
    conn: &impl sea_orm::ConnectionTrait,
    topic_id: i32,
    body: &str,
    now: chrono::DateTime<Utc>,
) -> Result<i32> {
    insert_post(conn, topic_id, 1, None, body, None, now).await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_are_normalised_and_limited() {
        assert_eq!(
            parse_tags(" Night work, night work ,Shift Patterns,,").unwrap(),
            ["night-work", "shift-patterns"]
        );
        assert!(parse_tags("a,b,c,d,e,f").is_err());
        assert!(parse_tags("<script>").is_err());
        assert_eq!(parse_tags("").unwrap(), Vec::<String>::new());
    }
}
