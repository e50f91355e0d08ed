//! The CPD tables: a member's entries and the evidence files attached to them.

/// `cpd_entries`: continuing professional development activities a member has recorded.
pub mod entry {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_entries")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub title: String,
        /// [`crate::cpd::ActivityKind`] as text.
        pub kind: String,
        /// Learning with other people (NMC "participatory"); otherwise self-directed.
        pub participatory: bool,
        pub minutes: i32,
        pub occurred_on: Date,
        /// What was learned.
        pub learning: String,
        /// The member's reflection, Markdown.
        pub reflection: String,
        /// How it changed the member's practice.
        pub practice_change: String,
        /// Where an automatic entry came from (`learning-module:<slug>`), unique per member.
        pub source: Option<String>,
        pub created_at: DateTimeUtc,
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `cpd_evidence`: files that show an entry happened (a certificate, notes, a programme).
pub mod evidence {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_evidence")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub entry_id: i32,
        pub file_name: String,
        /// Checked from the bytes when uploaded.
        pub content_type: String,
        pub size: i64,
        pub bytes: Vec<u8>,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
