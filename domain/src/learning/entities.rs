//! The learning tables: modules and their lessons, questions and images; learners' records,
//! lesson progress and knowledge-check attempts; certificates.

/// `modules`: the live revision of each module.
pub mod module {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "modules")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        pub title: String,
        pub summary: String,
        /// JSON array of profession values.
        pub audience: String,
        /// JSON array of topic slugs.
        pub topics: String,
        pub estimated_minutes: i32,
        pub cpd_minutes: i32,
        pub pass_mark: i32,
        /// JSON array of learning outcomes.
        pub outcomes: String,
        pub revision: i32,
        pub content_hash: String,
        pub source_path: String,
        pub updated_at: DateTimeUtc,
        /// `draft`, `awaiting-clinical-review` or `reviewed`.
        pub review_status: String,
        /// JSON array of author names.
        pub authors: String,
        /// JSON array of clinical reviews, oldest first.
        pub reviews: String,
        pub next_review_on: Option<Date>,
        /// SHA-256 of the files last imported from `content/` (empty if created in the app):
        /// an import skips files it has already taken, so edits made since in the app stay.
        pub source_hash: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `module_lessons`: a module's lessons; ids stay stable across revisions (matched by slug).
pub mod lesson {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "module_lessons")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub module_id: i32,
        pub slug: String,
        pub position: i32,
        pub title: String,
        pub summary: String,
        pub minutes: i32,
        pub body_markdown: String,
        pub html: String,
        /// JSON array of headings for the table of contents.
        pub headings: String,
        pub content_hash: String,
        pub changed_in_revision: i32,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `module_questions`: the knowledge check.
pub mod question {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "module_questions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub module_id: i32,
        pub position: i32,
        pub key: String,
        /// `single` or `multiple`.
        pub kind: String,
        pub prompt: String,
        pub explanation: String,
        /// JSON array of `{text, correct, feedback}`.
        pub options: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `module_media`: images stored beside lessons.
pub mod media {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "module_media")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub module_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub file_name: String,
        pub content_type: String,
        pub bytes: Vec<u8>,
        /// Where the bytes are when they are not in `bytes` ([`crate::files`]).
        pub object_key: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `learning_records`: a learner's place in a module.
pub mod record {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "learning_records")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub module_id: i32,
        pub started_at: DateTimeUtc,
        /// Slug of the lesson last opened, for "resume".
        pub last_lesson: Option<String>,
        pub passed_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `lesson_progress`: lessons a learner has finished, with the lesson's hash at the time.
pub mod progress {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "lesson_progress")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        #[sea_orm(primary_key, auto_increment = false)]
        pub lesson_id: i32,
        pub content_hash: String,
        pub completed_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `quiz_attempts`: every knowledge-check attempt.
pub mod attempt {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "quiz_attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub module_id: i32,
        pub revision: i32,
        /// JSON object: question key → chosen option indexes.
        pub answers: String,
        pub score: i32,
        pub passed: bool,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `certificates`: one per learner per module passed, checkable by code.
pub mod certificate {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "certificates")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub code: String,
        pub user_id: i32,
        pub module_id: i32,
        pub module_title: String,
        pub cpd_minutes: i32,
        pub revision: i32,
        pub issued_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
