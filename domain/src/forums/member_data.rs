//! What the forums hold about one member, for "download my data": the posts they wrote, with
//! their topic and forum.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::ForumService;
use super::entities::{forum, post, topic};
use crate::Result;

impl ForumService {
    /// The member's own posts, removed ones included and marked (they are still held). Only
    /// what they wrote: other members' posts are not their data.
    pub(crate) async fn member_data(&self, member_id: i32) -> Result<serde_json::Value> {
        let posts = post::Entity::find()
            .filter(post::Column::AuthorId.eq(member_id))
            .order_by_asc(post::Column::Id)
            .all(&self.db)
            .await?;
        let topics = topic::Entity::find()
            .filter(topic::Column::Id.is_in(posts.iter().map(|post| post.topic_id)))
            .all(&self.db)
            .await?;
        let forums = forum::Entity::find().all(&self.db).await?;
        let where_of = |topic_id: i32| {
            let found = topics.iter().find(|topic| topic.id == topic_id);
            let forum = found.and_then(|topic| forums.iter().find(|f| f.id == topic.forum_id));
            (
                found.map(|topic| topic.title.clone()).unwrap_or_default(),
                forum.map(|forum| forum.name.clone()).unwrap_or_default(),
            )
        };
        let posts: Vec<serde_json::Value> = posts
            .into_iter()
            .map(|row| {
                let (topic, forum) = where_of(row.topic_id);
                serde_json::json!({
                    "forum": forum,
                    "topic": topic,
                    "number": row.number,
                    "text": row.body_markdown,
                    "posted_at": row.created_at,
                    "edited_at": row.edited_at,
                    "removed_at": row.deleted_at.or(row.hidden_at),
                })
            })
            .collect();
        Ok(serde_json::Value::Array(posts))
    }
}
