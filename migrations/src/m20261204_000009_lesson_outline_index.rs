//! A covering index for a module's outline: a lesson page lists every lesson of its module
//! (order, title, summary, reading time, content hash) beside the one it shows. Those columns
//! sit after each lesson's Markdown and HTML in the row, so reading them from the table walks
//! every lesson's overflow pages; from this index the table is read only for the lesson shown.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ModuleLessons {
    Table,
    ModuleId,
    Position,
    Id,
    Slug,
    Title,
    Summary,
    Minutes,
    ContentHash,
}

const NAME: &str = "idx_module_lessons_outline";

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_index(
                Index::create()
                    .name(NAME)
                    .table(ModuleLessons::Table)
                    .col(ModuleLessons::ModuleId)
                    .col(ModuleLessons::Position)
                    .col(ModuleLessons::Id)
                    .col(ModuleLessons::Slug)
                    .col(ModuleLessons::Title)
                    .col(ModuleLessons::Summary)
                    .col(ModuleLessons::Minutes)
                    .col(ModuleLessons::ContentHash)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name(NAME)
                    .table(ModuleLessons::Table)
                    .to_owned(),
            )
            .await
    }
}
