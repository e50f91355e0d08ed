//! Following the forums: members watch forums and topics (the topics they start or reply to
//! by default), and each new post becomes a notification for everyone watching it or quoted
//! in it who may read its forum, decided when it is sent and again when it is shown. Email
//! goes through the outbox from a job, never from the request: one message per post or a
//! daily digest, each with a signed one-click unsubscribe link.

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{
    Alias, Expr, ExprTrait, Order, Query, QueryStatementBuilder, SelectStatement,
};
use sea_orm::{
    ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, FromQueryResult, PaginatorTrait,
    QueryFilter, QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::entities::{forum, forum_watch, notification, post, topic, topic_watch};
use super::listing::{author_name, author_names, author_of};
use super::{ForumService, READERS, poster, readable_forum, readable_forum_ids};
use crate::access::{self, Audience, Permission};
use crate::accounts::entities::user;
use crate::accounts::handles::mentioned_handles;
use crate::accounts::session_actor::{Recipient, approved_members};
use crate::accounts::{Actor, ForumEmail, MemberStatus};
use crate::jobs::{self, Job};
use crate::mail::{self, links::LinkPurpose, links::LinkSigner};
use crate::{Error, Result};

/// Most members one post can notify by mentioning them (the rest are ignored).
pub const MOST_MENTIONS: usize = 20;
/// Most mention suggestions offered at once.
const MENTION_SUGGESTIONS: usize = 8;
/// Most notifications listed at once.
pub const NOTIFICATIONS_SHOWN: u64 = 50;
/// Longest post text quoted in an email, in characters.
const EMAIL_EXCERPT_CHARS: usize = 4_000;

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
    fn as_str(self) -> &'static str {
        match self {
            NotificationKind::NewTopic => "topic",
            NotificationKind::Reply => "reply",
            NotificationKind::Quote => "quote",
            NotificationKind::Mention => "mention",
        }
    }

    fn parse(text: &str) -> NotificationKind {
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
struct NotificationRow {
    id: i32,
    user_id: i32,
    kind: String,
    post_id: i32,
    created_at: DateTime<Utc>,
    read_at: Option<DateTime<Utc>>,
    author_id: Option<i32>,
    title: String,
    forum_id: i32,
    forum_name: String,
}

/// Notifications joined to their post, topic and forum, leaving out removed and hidden posts.
fn notification_rows() -> SelectStatement {
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
        Ok(u64::try_from(count).unwrap_or(0))
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

/// Whether member `user_id` watches topic `topic_id` directly, and whether they watch its
/// forum `forum_id`, in one statement.
pub(crate) async fn topic_watching(
    db: &impl ConnectionTrait,
    user_id: i32,
    topic_id: i32,
    forum_id: i32,
) -> Result<bool> {
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
    Ok(topic_choice.unwrap_or(forum_watched))
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

/// Who should hear of `post` and why: forum watchers, topic watchers (less those who stopped
/// watching the topic), and the author of the post it quotes; never its own author.
async fn audience_of_post(
    db: &DatabaseConnection,
    post: &post::Model,
    topic: &topic::Model,
) -> Result<BTreeMap<i32, NotificationKind>> {
    let mut kinds: BTreeMap<i32, NotificationKind> = BTreeMap::new();
    let forum_kind = if post.number == 1 {
        NotificationKind::NewTopic
    } else {
        NotificationKind::Reply
    };
    for watcher in forum_watch::Entity::find()
        .filter(forum_watch::Column::ForumId.eq(topic.forum_id))
        .all(db)
        .await?
    {
        kinds.insert(watcher.user_id, forum_kind);
    }
    for choice in topic_watch::Entity::find()
        .filter(topic_watch::Column::TopicId.eq(topic.id))
        .all(db)
        .await?
    {
        if choice.watching {
            kinds
                .entry(choice.user_id)
                .or_insert(NotificationKind::Reply);
        } else {
            kinds.remove(&choice.user_id);
        }
    }
    if let Some(quoted) = post.quote_of {
        let quoted_author = post::Entity::find_by_id(quoted)
            .select_only()
            .column(post::Column::AuthorId)
            .into_tuple::<Option<i32>>()
            .one(db)
            .await?
            .flatten();
        if let Some(author) = quoted_author {
            kinds.insert(author, NotificationKind::Quote);
        }
    }
    let handles: Vec<String> = mentioned_handles(&post.body_markdown)
        .into_iter()
        .take(MOST_MENTIONS)
        .collect();
    if !handles.is_empty() {
        for mentioned in user::Entity::find()
            .select_only()
            .column(user::Column::Id)
            .filter(user::Column::Handle.is_in(handles))
            .into_tuple::<i32>()
            .all(db)
            .await?
        {
            kinds.insert(mentioned, NotificationKind::Mention);
        }
    }
    if let Some(author) = post.author_id {
        kinds.remove(&author);
    }
    Ok(kinds)
}

/// Who may read `forum`.
async fn readers_of(db: &impl ConnectionTrait, forum: &forum::Model) -> Result<Audience> {
    let groups = access::stored_groups(db, READERS, forum.id).await?;
    Audience::from_stored(&forum.audience, groups)
}

/// True when `actor` may read a forum open to `readers` (approved members only).
fn may_read(actor: &Actor, readers: &Audience) -> bool {
    actor.allows(Permission::TakePart).is_ok() && actor.allows(Permission::Read(readers)).is_ok()
}

/// The job behind [`Job::NotifyForumPost`]: a notification for everyone who should hear of
/// post `post_id` and may read it, and an email to those of them who want one per post.
/// Running it twice changes nothing (one notification per member and post; only
/// notifications not yet mailed are mailed).
pub async fn notify_post(
    db: &DatabaseConnection,
    base_url: &str,
    post_id: i32,
    now: DateTime<Utc>,
) -> Result<()> {
    let Some(post) = post::Entity::find_by_id(post_id).one(db).await? else {
        return Ok(());
    };
    if post.deleted_at.is_some() || post.hidden_at.is_some() {
        return Ok(());
    }
    let topic = topic::Entity::find_by_id(post.topic_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let forum = forum::Entity::find_by_id(topic.forum_id)
        .one(db)
        .await?
        .ok_or(Error::NotFound)?;
    let kinds = audience_of_post(db, &post, &topic).await?;
    let ids: Vec<i32> = kinds.keys().copied().collect();
    let readers = readers_of(db, &forum).await?;
    let recipients: Vec<Recipient> = approved_members(db, &ids)
        .await?
        .into_iter()
        .filter(|recipient| may_read(&recipient.actor, &readers))
        .collect();
    if recipients.is_empty() {
        return Ok(());
    }
    let author = author_name(db, post.author_id).await?;
    let signer = LinkSigner::load(db).await?;
    let txn = db.begin().await?;
    for recipient in &recipients {
        let Some(member) = recipient.actor.member() else {
            continue;
        };
        let kind = kinds
            .get(&member.id)
            .copied()
            .unwrap_or(NotificationKind::Reply);
        let choice = ForumEmail::stored(&recipient.forum_email);
        let inserted = notification::Entity::insert(notification::ActiveModel {
            user_id: Set(member.id),
            kind: Set(kind.as_str().to_owned()),
            post_id: Set(post.id),
            created_at: Set(now),
            read_at: Set(None),
            mailed_at: Set((choice != ForumEmail::DailyDigest).then_some(now)),
            ..Default::default()
        })
        .on_conflict_do_nothing_on([notification::Column::UserId, notification::Column::PostId])
        .exec_without_returning(&txn)
        .await?;
        let fresh = matches!(inserted, sea_orm::TryInsertResult::Inserted(count) if count > 0);
        if !fresh || choice != ForumEmail::EachPost {
            continue;
        }
        let unsubscribe = unsubscribe_links(base_url, &signer, member.id)?;
        let subject = if post.number == 1 {
            format!("[ohnet] New topic in {}: {}", forum.name, topic.title)
        } else {
            format!("[ohnet] Re: {}", topic.title)
        };
        let body = post_email(
            base_url,
            &author,
            kind,
            &topic.title,
            &forum.name,
            &post,
            &unsubscribe.page,
        );
        mail::enqueue_stoppable(&txn, &member.email, &subject, &body, &unsubscribe.one_click)
            .await?;
    }
    txn.commit().await?;
    Ok(())
}

/// The addresses that stop forum email for member `user_id`: the page with the button (for
/// the email's text) and the one-click address mail programs post to (RFC 8058).
struct UnsubscribeLinks {
    page: String,
    one_click: String,
}

fn unsubscribe_links(
    base_url: &str,
    signer: &LinkSigner,
    user_id: i32,
) -> Result<UnsubscribeLinks> {
    let token = signer.sign(LinkPurpose::StopForumEmail, user_id)?;
    Ok(UnsubscribeLinks {
        page: format!("{base_url}/unsubscribe?token={token}"),
        one_click: format!("{base_url}/unsubscribe/one-click?token={token}"),
    })
}

fn post_email(
    base_url: &str,
    author: &str,
    kind: NotificationKind,
    title: &str,
    forum: &str,
    post: &post::Model,
    unsubscribe: &str,
) -> String {
    let text: String = post
        .body_markdown
        .trim()
        .chars()
        .take(EMAIL_EXCERPT_CHARS)
        .collect();
    let cut = if post.body_markdown.trim().chars().count() > EMAIL_EXCERPT_CHARS {
        "\n\n[…]"
    } else {
        ""
    };
    let why = match kind {
        NotificationKind::Quote => "someone quoted your post",
        NotificationKind::Mention => "someone mentioned you",
        NotificationKind::NewTopic => "you watch this forum",
        NotificationKind::Reply => "you watch this topic",
    };
    format!(
        "{author} {} in “{title}” ({forum}):\n\n{text}{cut}\n\nRead it and reply: \
         {base_url}/forums/posts/{}\n\n-- \nYou are getting this email because {why}. Stop \
         watching from the topic's or forum's page, or choose a daily digest: \
         {base_url}/account#email-preferences\nStop all forum emails: {unsubscribe}\n",
        kind.verb(),
        post.id
    )
}

/// The job behind [`Job::SendForumDigests`]: one email to each member who chose the daily
/// digest and has unread notifications they may still read; every notification of theirs not
/// yet mailed is then settled, so nothing is sent twice. Returns how many emails were queued.
pub async fn send_digests(
    db: &DatabaseConnection,
    base_url: &str,
    now: DateTime<Utc>,
) -> Result<usize> {
    let mut query = notification_rows();
    query
        .inner_join(
            user::Entity,
            Expr::col((user::Entity, user::Column::Id))
                .equals((notification::Entity, notification::Column::UserId)),
        )
        .and_where(Expr::col((notification::Entity, notification::Column::MailedAt)).is_null())
        .and_where(
            Expr::col((user::Entity, user::Column::ForumEmail))
                .eq(ForumEmail::DailyDigest.as_str()),
        )
        .order_by(
            (notification::Entity, notification::Column::CreatedAt),
            Order::Asc,
        );
    let rows = NotificationRow::find_by_statement(db.get_database_backend().build(&query))
        .all(db)
        .await?;
    if rows.is_empty() {
        return Ok(0);
    }
    let mut ids: Vec<i32> = rows.iter().map(|row| row.user_id).collect();
    ids.dedup();
    let recipients = approved_members(db, &ids).await?;
    let mut readers: HashMap<i32, Audience> = HashMap::new();
    for forum_id in rows.iter().map(|row| row.forum_id) {
        if readers.contains_key(&forum_id) {
            continue;
        }
        if let Some(forum) = forum::Entity::find_by_id(forum_id).one(db).await? {
            readers.insert(forum_id, readers_of(db, &forum).await?);
        }
    }
    let authors = author_names(db, rows.iter().map(|row| row.author_id)).await?;
    let signer = LinkSigner::load(db).await?;
    let txn = db.begin().await?;
    let mut sent = 0;
    for recipient in &recipients {
        let Some(member) = recipient.actor.member() else {
            continue;
        };
        let lines: Vec<String> = rows
            .iter()
            .filter(|row| row.user_id == member.id && row.read_at.is_none())
            .filter(|row| {
                readers
                    .get(&row.forum_id)
                    .is_some_and(|audience| may_read(&recipient.actor, audience))
            })
            .map(|row| {
                format!(
                    "- {} {} in “{}” ({}): {base_url}/forums/posts/{}",
                    author_of(&authors, row.author_id),
                    NotificationKind::parse(&row.kind).verb(),
                    row.title,
                    row.forum_name,
                    row.post_id
                )
            })
            .collect();
        if lines.is_empty() {
            continue;
        }
        let unsubscribe = unsubscribe_links(base_url, &signer, member.id)?;
        let body = format!(
            "Here is what you have not read in the forums since your last digest:\n\n{}\n\n\
             All your notifications: {base_url}/notifications\n\n-- \nYou are getting this \
             daily digest because you chose it: {base_url}/account#email-preferences\nStop all \
             forum emails: {}\n",
            lines.join("\n"),
            unsubscribe.page
        );
        let subject = format!(
            "[ohnet] Your forum digest: {} new post{}",
            lines.len(),
            if lines.len() == 1 { "" } else { "s" }
        );
        mail::enqueue_stoppable(&txn, &member.email, &subject, &body, &unsubscribe.one_click)
            .await?;
        sent += 1;
    }
    notification::Entity::update_many()
        .col_expr(notification::Column::MailedAt, Expr::value(now))
        .filter(notification::Column::Id.is_in(rows.iter().map(|row| row.id)))
        .filter(notification::Column::MailedAt.is_null())
        .exec(&txn)
        .await?;
    txn.commit().await?;
    Ok(sent)
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
