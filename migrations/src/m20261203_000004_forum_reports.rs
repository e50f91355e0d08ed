//! Reports of forum posts: who reported which post and why, and how a moderator resolved it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ForumPosts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ForumReports {
    Table,
    Id,
    PostId,
    ReporterId,
    Reason,
    CreatedAt,
    ResolvedAt,
    ResolvedBy,
    Resolution,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ForumReports::Table)
                    .col(
                        ColumnDef::new(ForumReports::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ForumReports::PostId).integer().not_null())
                    .col(ColumnDef::new(ForumReports::ReporterId).integer().null())
                    .col(ColumnDef::new(ForumReports::Reason).text().not_null())
                    .col(
                        ColumnDef::new(ForumReports::CreatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(ForumReports::ResolvedAt)
                            .timestamp_with_time_zone()
                            .null(),
                    )
                    .col(ColumnDef::new(ForumReports::ResolvedBy).integer().null())
                    .col(ColumnDef::new(ForumReports::Resolution).text().null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumReports::Table, ForumReports::PostId)
                            .to(ForumPosts::Table, ForumPosts::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_reports_open")
                    .table(ForumReports::Table)
                    .col(ForumReports::ResolvedAt)
                    .col(ForumReports::CreatedAt)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(ForumReports::Table).to_owned())
            .await
    }
}
