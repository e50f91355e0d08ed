//! The library tables: each document's live version, and every version with its change note.

/// `library_documents`: the live version of each document.
pub mod document {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "library_documents")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        pub title: String,
        /// [`crate::library::DocumentKind`] as text.
        pub kind: String,
        pub summary: String,
        /// JSON array of tag slugs.
        pub tags: String,
        /// `public`, `members` or `groups` (the groups are in `audience_groups`).
        pub audience: String,
        pub owner: String,
        pub published_on: Date,
        pub review_by: Date,
        /// The live version's number.
        pub version: i32,
        pub body_markdown: String,
        pub body_html: String,
        /// JSON array of [`crate::markdown::Heading`].
        pub headings: String,
        pub source_path: String,
        pub content_hash: String,
        pub updated_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `library_versions`: every version of every document, oldest first by number.
pub mod version {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "library_versions")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub document_id: i32,
        pub number: i32,
        pub title: String,
        pub summary: String,
        pub body_markdown: String,
        pub change_note: String,
        pub created_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
