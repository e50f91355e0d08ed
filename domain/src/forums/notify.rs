//! Telling members of new posts, as jobs: each new post becomes a notification for everyone
//! watching it, quoted in it or mentioned by it who may read its forum (decided when the job
//! runs), and email goes through the outbox, never from the request: one message per post or
//! a daily digest, each with a signed one-click unsubscribe link (RFC 8058).

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Order};
use sea_orm::{
    ColumnTrait, DatabaseConnection, EntityTrait, FromQueryResult, QueryFilter, QuerySelect, Set,
    TransactionTrait,
};

use super::entities::{forum, forum_watch, notification, post, topic, topic_watch};
use super::following::{
    NotificationKind, NotificationRow, may_read, notification_rows, readers_of,
};
use super::listing::{author_name, author_names, author_of};
use crate::access::Audience;
use crate::accounts::ForumEmail;
use crate::accounts::entities::user;
use crate::accounts::handles::mentioned_handles;
use crate::accounts::session_actor::{Recipient, approved_members};
use crate::mail::{self, links::LinkPurpose, links::LinkSigner};
use crate::{Error, Result};

/// Most members one post can notify by mentioning them (the rest are ignored).
const MOST_MENTIONS: usize = 20;
/// Longest post text quoted in an email, in characters.
const EMAIL_EXCERPT_CHARS: usize = 4_000;

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
