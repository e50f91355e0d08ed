//! Clinical governance of modules (authors, status, reviews, next review date, all from
//! `[governance]` in `module.toml`), and the hash of the files a module was last imported
//! from, so that a restart does not undo what editors changed in the app since.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Modules {
    Table,
    /// `draft`, `awaiting-clinical-review` or `reviewed`.
    ReviewStatus,
    /// JSON array of names.
    Authors,
    /// JSON array of `{date, reviewers, note}`, oldest first.
    Reviews,
    NextReviewOn,
    /// SHA-256 of the files under `content/` last imported; empty for an app-created module.
    SourceHash,
}

fn text_default(column: Modules, default: &str) -> ColumnDef {
    ColumnDef::new(column)
        .text()
        .not_null()
        .default(default)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER TABLE.
        for column in [
            text_default(Modules::ReviewStatus, "draft"),
            text_default(Modules::Authors, "[]"),
            text_default(Modules::Reviews, "[]"),
            ColumnDef::new(Modules::NextReviewOn)
                .date()
                .null()
                .to_owned(),
            text_default(Modules::SourceHash, ""),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Modules::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            Modules::ReviewStatus,
            Modules::Authors,
            Modules::Reviews,
            Modules::NextReviewOn,
            Modules::SourceHash,
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Modules::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
