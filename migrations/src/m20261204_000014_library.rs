//! The guidance library: documents (standards, clinical guidance, good practice, templates,
//! the target operating model, briefings), each with its audience (restricted groups in
//! `audience_groups` under `library`), owner, dates and a version history with a change note
//! per version. Documents append to the change log, so every node's search index follows them.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261204_000013_change_log::{Followed, follow_statements, unfollow_statements};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LibraryDocuments {
    Table,
    Id,
    Slug,
    Title,
    /// `standard`, `clinical-guidance`, `good-practice`, `policy-template`,
    /// `target-operating-model` or `briefing`.
    Kind,
    Summary,
    /// JSON array of tag slugs.
    Tags,
    /// `public`, `members` or `groups`.
    Audience,
    Owner,
    PublishedOn,
    ReviewBy,
    /// The current version's number (the latest row in `library_versions`).
    Version,
    BodyMarkdown,
    BodyHtml,
    /// JSON array of the body's level-2 headings.
    Headings,
    /// `content/library/<slug>.md`.
    SourcePath,
    /// SHA-256 of the file last imported.
    ContentHash,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum LibraryVersions {
    Table,
    Id,
    DocumentId,
    Number,
    Title,
    Summary,
    BodyMarkdown,
    ChangeNote,
    CreatedAt,
}

const DOCUMENTS: Followed = Followed {
    table: "library_documents",
    subject: "'document:' || {row}.id",
    columns: &[],
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use LibraryDocuments as D;
        let text = |column: D| ColumnDef::new(column).text().not_null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(
                        ColumnDef::new(D::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(D::Slug).text().not_null().unique_key())
                    .col(text(D::Title))
                    .col(text(D::Kind))
                    .col(text(D::Summary))
                    .col(text(D::Tags))
                    .col(text(D::Audience))
                    .col(text(D::Owner))
                    .col(ColumnDef::new(D::PublishedOn).date().not_null())
                    .col(ColumnDef::new(D::ReviewBy).date().not_null())
                    .col(ColumnDef::new(D::Version).integer().not_null())
                    .col(text(D::BodyMarkdown))
                    .col(text(D::BodyHtml))
                    .col(text(D::Headings))
                    .col(text(D::SourcePath))
                    .col(text(D::ContentHash))
                    .col(
                        ColumnDef::new(D::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        use LibraryVersions as V;
        manager
            .create_table(
                Table::create()
                    .table(V::Table)
                    .col(
                        ColumnDef::new(V::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(V::DocumentId).integer().not_null())
                    .col(ColumnDef::new(V::Number).integer().not_null())
                    .col(ColumnDef::new(V::Title).text().not_null())
                    .col(ColumnDef::new(V::Summary).text().not_null())
                    .col(ColumnDef::new(V::BodyMarkdown).text().not_null())
                    .col(ColumnDef::new(V::ChangeNote).text().not_null())
                    .col(
                        ColumnDef::new(V::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(V::Table, V::DocumentId)
                            .to(D::Table, D::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("library_versions_by_document")
                    .table(V::Table)
                    .col(V::DocumentId)
                    .col(V::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in follow_statements(manager.get_database_backend(), &DOCUMENTS) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in unfollow_statements(manager.get_database_backend(), &DOCUMENTS) {
            db.execute_unprepared(&statement).await?;
        }
        manager
            .drop_table(Table::drop().table(LibraryVersions::Table).to_owned())
            .await?;
        manager
            .drop_table(Table::drop().table(LibraryDocuments::Table).to_owned())
            .await
    }
}
