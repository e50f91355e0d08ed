//! Content pages (home, about, …) imported from `content/pages/`, keyed by slug and content hash.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pages {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    SourcePath,
    BodyMarkdown,
    BodyHtml,
    Headings,
    ContentHash,
    Revision,
    ImportedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Pages::Table)
                    .col(
                        ColumnDef::new(Pages::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Pages::Slug).string().not_null().unique_key())
                    .col(ColumnDef::new(Pages::Title).string().not_null())
                    .col(ColumnDef::new(Pages::Summary).string().not_null())
                    .col(ColumnDef::new(Pages::SourcePath).string().not_null())
                    .col(ColumnDef::new(Pages::BodyMarkdown).text().not_null())
                    .col(ColumnDef::new(Pages::BodyHtml).text().not_null())
                    .col(ColumnDef::new(Pages::Headings).text().not_null())
                    .col(ColumnDef::new(Pages::ContentHash).string().not_null())
                    .col(ColumnDef::new(Pages::Revision).integer().not_null())
                    .col(
                        ColumnDef::new(Pages::ImportedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Pages::Table).to_owned())
            .await
    }
}
