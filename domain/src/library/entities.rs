//! The library tables: each document's live version, every version with its change note,
//! editors' working drafts, and attachments.

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
        /// `published`, or `withdrawn` (kept, shown to editors only).
        pub status: String,
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

/// `library_drafts`: an editor's unpublished changes to a document, or a new document, with
/// the fields as typed (they are validated when published).
pub mod draft {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "library_drafts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        #[sea_orm(unique)]
        pub slug: String,
        /// None for a document not yet published.
        pub document_id: Option<i32>,
        pub title: String,
        pub kind: String,
        pub summary: String,
        /// Comma-separated, as typed.
        pub tags: String,
        pub audience: String,
        /// JSON array of group slugs.
        pub groups: String,
        pub owner: String,
        /// `YYYY-MM-DD`, as typed.
        pub review_by: String,
        pub body_markdown: String,
        pub change_note: String,
        pub updated_at: DateTimeUtc,
        /// The editor's name.
        pub updated_by: String,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `library_attachments`: files that come with a document, readable by whoever may read it.
pub mod attachment {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "library_attachments")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub document_id: i32,
        pub file_name: String,
        /// Checked from the bytes when attached.
        pub content_type: String,
        pub size: i64,
        pub bytes: Vec<u8>,
        /// Where the bytes are when they are not in `bytes` ([`crate::files`]).
        pub object_key: Option<String>,
        pub uploaded_at: DateTimeUtc,
        /// The words inside, for search ([`crate::library::attachment_text`]); `None` for
        /// files whose text is not read.
        pub text: Option<String>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
