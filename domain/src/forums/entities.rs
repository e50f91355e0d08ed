//! The forums tables: forums, topics, posts, earlier versions of edited posts, and how far
//! each member has read each topic.

/// `forums`: one row per forum, with its running counts.
pub mod forum {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forums")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        pub name: String,
        pub description: String,
        pub position: i32,
        /// Who may read: `members` or `groups` (groups in `audience_groups`, kind `forum`).
        pub audience: String,
        /// Who may post: `members` or `groups` (kind `forum-post`).
        pub post_audience: String,
        /// The group whose scoped moderators moderate this forum (`None`: the general forum).
        pub moderator_group: Option<String>,
        pub archived_at: Option<DateTimeUtc>,
        pub topic_count: i32,
        pub post_count: i32,
        pub last_post_at: Option<DateTimeUtc>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_topics`: a topic and its running counts.
pub mod topic {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_topics")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub forum_id: i32,
        pub title: String,
        /// Comma-separated tag slugs.
        pub tags: String,
        /// `None`: posted by the site (a seeded welcome topic).
        pub author_id: Option<i32>,
        pub pinned: bool,
        pub locked: bool,
        pub post_count: i32,
        pub last_post_at: DateTimeUtc,
        pub last_post_number: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_posts`: one post, numbered within its topic.
pub mod post {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub topic_id: i32,
        pub number: i32,
        pub author_id: Option<i32>,
        pub body_markdown: String,
        pub body_html: String,
        pub quote_of: Option<i32>,
        pub created_at: DateTimeUtc,
        pub edited_at: Option<DateTimeUtc>,
        pub deleted_at: Option<DateTimeUtc>,
        pub hidden_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_post_revisions`: the text a post had before each edit.
pub mod revision {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_post_revisions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub body_markdown: String,
        pub edited_by: Option<i32>,
        pub edited_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_topic_reads`: the last post number a member has seen in a topic.
pub mod topic_read {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_topic_reads")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub topic_id: i32,
        pub last_read_number: i32,
        pub read_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_reports`: a member's report of a post, and its resolution.
pub mod report {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_reports")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub post_id: i32,
        pub reporter_id: Option<i32>,
        pub reason: String,
        pub created_at: DateTimeUtc,
        pub resolved_at: Option<DateTimeUtc>,
        pub resolved_by: Option<i32>,
        /// `hidden` or `dismissed`.
        pub resolution: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_watches`: a member watching a whole forum (every new topic and reply).
pub mod forum_watch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_watches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub forum_id: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_topic_watches`: a member watching a topic, or (`watching` false) having stopped, so
/// that replying again does not start it again.
pub mod topic_watch {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_topic_watches")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub topic_id: i32,
        pub watching: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `notifications`: something in the forums a member should know about, one per member and
/// post.
pub mod notification {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "notifications")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        /// `quote`, `reply` or `topic`.
        pub kind: String,
        pub post_id: i32,
        pub created_at: DateTimeUtc,
        pub read_at: Option<DateTimeUtc>,
        /// When it went out by email, alone or in a digest (or was settled as not to be sent).
        pub mailed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_topic_redirects`: a topic merged into another, so its old address still leads to
/// its posts.
pub mod topic_redirect {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_topic_redirects")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub from_topic_id: i32,
        pub to_topic_id: i32,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `forum_held_posts`: a new topic (`topic_id` none) or a reply waiting for a moderator's
/// approval. It is published, as if posted then, when approved, and deleted when rejected.
pub mod held_post {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "forum_held_posts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub forum_id: i32,
        /// The topic replied to; `None` for a new topic.
        pub topic_id: Option<i32>,
        pub author_id: i32,
        /// A new topic's title (empty for a reply).
        pub title: String,
        /// A new topic's tags, comma-separated slugs.
        pub tags: String,
        pub body_markdown: String,
        pub quote_of: Option<i32>,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
