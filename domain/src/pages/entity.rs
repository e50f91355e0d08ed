//! The `pages` table.

use sea_orm::entity::prelude::*;

/// One content page, as last imported.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "pages")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    #[sea_orm(unique)]
    pub slug: String,
    pub title: String,
    pub summary: String,
    pub source_path: String,
    #[sea_orm(column_type = "Text")]
    pub body_markdown: String,
    #[sea_orm(column_type = "Text")]
    pub body_html: String,
    /// JSON array of [`crate::markdown::Heading`].
    #[sea_orm(column_type = "Text")]
    pub headings: String,
    pub content_hash: String,
    pub revision: i32,
    pub imported_at: DateTimeUtc,
    /// `public`, `members` or `groups` (the groups are rows of `audience_groups`).
    pub audience: String,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}
