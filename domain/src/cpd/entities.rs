//! The CPD tables: a member's entries and the evidence files attached to them, and the rest of
//! a revalidation portfolio (practice hours, feedback, reflective accounts, the profile row).

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
        /// Where the bytes are when they are not in `bytes` ([`crate::files`]).
        pub object_key: Option<String>,
        pub uploaded_at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `cpd_practice_hours`: a period of practice and the hours worked in it.
pub mod practice {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_practice_hours")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub started_on: Date,
        /// The period counts in the cycle this day falls in.
        pub ended_on: Date,
        pub organisation: String,
        /// One of [`crate::cpd::PRACTICE_SETTINGS`].
        pub setting: String,
        /// One of [`crate::cpd::SCOPES_OF_PRACTICE`].
        pub scope: String,
        pub minutes: i32,
        pub description: String,
        pub created_at: DateTimeUtc,
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `cpd_feedback`: a piece of practice-related feedback and what the member did with it.
pub mod feedback {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_feedback")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub received_on: Date,
        /// One of [`crate::cpd::FEEDBACK_SOURCES`]: a kind of person, never a name.
        pub source: String,
        pub summary: String,
        pub practice_change: String,
        pub created_at: DateTimeUtc,
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `cpd_reflections`: a written reflective account.
pub mod reflection {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_reflections")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        pub user_id: i32,
        pub written_on: Date,
        pub experience: String,
        pub learning: String,
        pub practice_change: String,
        /// Values of [`crate::cpd::CODE_THEMES`], comma-separated.
        pub code_themes: String,
        pub created_at: DateTimeUtc,
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// `cpd_profiles`: what a member says once per cycle (absent until they first say it).
pub mod profile {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "cpd_profiles")]
    pub struct Model {
        #[sea_orm(primary_key, auto_increment = false)]
        pub user_id: i32,
        pub dual_registrant: bool,
        pub discussion_partner: String,
        pub discussion_partner_pin: String,
        pub discussed_on: Option<Date>,
        pub confirmer_name: String,
        pub confirmer_role: String,
        pub confirmed_on: Option<Date>,
        pub practice_summary: String,
        pub standards_statement: String,
        pub updated_at: Option<DateTimeUtc>,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}
