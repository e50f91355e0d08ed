//! Forum feeds: an Atom feed of each forum and each topic, for a member's feed reader. A feed
//! address carries a token signed with the member's id and feed generation instead of a
//! session, and everything in a feed is read as that member: a forum or topic they may not
//! read is missing, exactly as in the app. Turning feeds off or renewing the addresses moves
//! the generation on, so every earlier address stops working.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, Query};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{post, topic};
use super::listing::{author_names, author_of};
use super::{ForumService, poster, readable_forum};
use crate::accounts::Actor;
use crate::accounts::entities::user;
use crate::accounts::session_actor::approved_members;
use crate::mail::links::{LinkPurpose, LinkSigner};
use crate::{Error, Result};

/// Most posts in a feed.
pub const FEED_POSTS: u64 = 30;

/// What a member asks of their feed addresses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum FeedChange {
    /// Make addresses that work (keeping the current ones if feeds are already on).
    TurnOn,
    /// Stop every address given out and make new ones.
    Renew,
    /// Stop every address given out.
    TurnOff,
}

impl FeedChange {
    /// Parses a form's value: `on`, `renew` or `off`.
    pub fn parse(text: &str) -> Option<FeedChange> {
        match text {
            "on" => Some(FeedChange::TurnOn),
            "renew" => Some(FeedChange::Renew),
            "off" => Some(FeedChange::TurnOff),
            _ => None,
        }
    }
}

/// One post in a feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FeedEntry {
    /// Post id (its permalink).
    pub post_id: i32,
    /// Its topic's title.
    pub topic: String,
    /// Its number in the topic.
    pub number: i32,
    /// Who wrote it.
    pub author: String,
    /// Sanitised HTML.
    pub body_html: String,
    /// When it was written.
    pub created_at: DateTime<Utc>,
    /// When it was last changed.
    pub updated_at: DateTime<Utc>,
}

/// A forum's or a topic's feed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Feed {
    /// The forum's name, or the topic's title.
    pub title: String,
    /// The page the feed follows (`/forums/general`).
    pub page: String,
    /// Newest posts first.
    pub entries: Vec<FeedEntry>,
}

impl ForumService {
    /// The token that goes in the member's feed addresses, when their feeds are on.
    pub async fn feed_token(&self, actor: &Actor) -> Result<Option<String>> {
        let member = poster(actor)?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        if !account.feeds_enabled {
            return Ok(None);
        }
        let signer = LinkSigner::load(&self.db).await?;
        Ok(Some(signer.sign(
            LinkPurpose::ReadFeeds {
                generation: account.feed_generation,
            },
            member.id,
        )?))
    }

    /// Turns the member's feeds on or off, or renews their addresses.
    pub async fn change_feeds(&self, actor: &Actor, change: FeedChange) -> Result<()> {
        let member = poster(actor)?;
        let update = user::Entity::update_many().filter(user::Column::Id.eq(member.id));
        let update = match change {
            FeedChange::TurnOn => update.col_expr(user::Column::FeedsEnabled, Expr::value(true)),
            FeedChange::Renew => update
                .col_expr(user::Column::FeedsEnabled, Expr::value(true))
                .col_expr(
                    user::Column::FeedGeneration,
                    Expr::col(user::Column::FeedGeneration).add(1),
                ),
            FeedChange::TurnOff => update
                .col_expr(user::Column::FeedsEnabled, Expr::value(false))
                .col_expr(
                    user::Column::FeedGeneration,
                    Expr::col(user::Column::FeedGeneration).add(1),
                ),
        };
        update.exec(&self.db).await?;
        Ok(())
    }

    /// The newest posts of forum `slug`, read as the member whose feed `token` this is.
    pub async fn forum_feed(&self, token: &str, slug: &str) -> Result<Feed> {
        let reader = self.feed_reader(token).await?;
        let forum = readable_forum(&self.db, &reader, slug).await?;
        let entries = self
            .feed_entries(topic::Column::ForumId.eq(forum.id))
            .await?;
        Ok(Feed {
            title: forum.name,
            page: format!("/forums/{}", forum.slug),
            entries,
        })
    }

    /// The newest posts of topic `topic_id`, read as the member whose feed `token` this is.
    pub async fn topic_feed(&self, token: &str, slug: &str, topic_id: i32) -> Result<Feed> {
        let reader = self.feed_reader(token).await?;
        let (topic, forum) = self.readable_topic(&reader, topic_id).await?;
        if forum.slug != slug {
            return Err(Error::NotFound);
        }
        let entries = self.feed_entries(topic::Column::Id.eq(topic.id)).await?;
        Ok(Feed {
            title: topic.title,
            page: format!("/forums/{}/{}", forum.slug, topic.id),
            entries,
        })
    }

    /// The member a feed token speaks for, as their requests would see them, while the token
    /// is genuine and current and the account approved; [`Error::NotFound`] otherwise.
    async fn feed_reader(&self, token: &str) -> Result<Actor> {
        let user_id = LinkSigner::claimed_member(token).ok_or(Error::NotFound)?;
        let account = user::Entity::find_by_id(user_id)
            .filter(user::Column::FeedsEnabled.eq(true))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let signer = LinkSigner::load(&self.db).await?;
        signer
            .verify(
                LinkPurpose::ReadFeeds {
                    generation: account.feed_generation,
                },
                token,
            )
            .ok_or(Error::NotFound)?;
        approved_members(&self.db, &[user_id])
            .await?
            .into_iter()
            .next()
            .map(|recipient| recipient.actor)
            .ok_or(Error::NotFound)
    }

    /// The newest visible posts of the topics matching `topics`.
    async fn feed_entries(&self, topics: sea_orm::sea_query::SimpleExpr) -> Result<Vec<FeedEntry>> {
        let topic_ids = Query::select()
            .column(topic::Column::Id)
            .from(topic::Entity)
            .and_where(topics)
            .to_owned();
        let rows = post::Entity::find()
            .filter(post::Column::TopicId.in_subquery(topic_ids))
            .filter(post::Column::DeletedAt.is_null())
            .filter(post::Column::HiddenAt.is_null())
            .order_by_desc(post::Column::CreatedAt)
            .order_by_desc(post::Column::Id)
            .limit(FEED_POSTS)
            .all(&self.db)
            .await?;
        let titles: HashMap<i32, String> = topic::Entity::find()
            .select_only()
            .columns([topic::Column::Id, topic::Column::Title])
            .filter(topic::Column::Id.is_in(rows.iter().map(|row| row.topic_id)))
            .into_tuple::<(i32, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let authors = author_names(&self.db, rows.iter().map(|row| row.author_id)).await?;
        Ok(rows
            .into_iter()
            .map(|row| FeedEntry {
                post_id: row.id,
                topic: titles.get(&row.topic_id).cloned().unwrap_or_default(),
                number: row.number,
                author: author_of(&authors, row.author_id),
                body_html: row.body_html,
                created_at: row.created_at,
                updated_at: row.edited_at.unwrap_or(row.created_at),
            })
            .collect())
    }
}
