//! The jobs table: background work (mail delivery, cleanup, …) written in the same transaction
//! as the change that caused it, claimed by runners under a lease, retried with backoff.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Jobs {
    Table,
    Id,
    Kind,
    Payload,
    DedupeKey,
    RunAt,
    Attempts,
    MaxAttempts,
    LockedBy,
    LockedUntil,
    LastError,
    CreatedAt,
    FinishedAt,
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn at_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Jobs::Table)
                    .col(
                        ColumnDef::new(Jobs::Id)
                            .big_integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(Jobs::Kind).string().not_null())
                    .col(ColumnDef::new(Jobs::Payload).text().not_null())
                    // At most one unfinished job per key (NULLs never clash): recurring jobs.
                    .col(ColumnDef::new(Jobs::DedupeKey).string().null().unique_key())
                    .col(at(Jobs::RunAt))
                    .col(
                        ColumnDef::new(Jobs::Attempts)
                            .integer()
                            .not_null()
                            .default(0),
                    )
                    .col(ColumnDef::new(Jobs::MaxAttempts).integer().not_null())
                    .col(ColumnDef::new(Jobs::LockedBy).string().null())
                    .col(at_null(Jobs::LockedUntil))
                    .col(ColumnDef::new(Jobs::LastError).text().null())
                    .col(at(Jobs::CreatedAt))
                    .col(at_null(Jobs::FinishedAt))
                    .to_owned(),
            )
            .await?;
        // The claim query: unfinished jobs that are due, oldest first. The same index serves
        // the cleanup of long-finished jobs.
        manager
            .create_index(
                Index::create()
                    .name("idx_jobs_due")
                    .table(Jobs::Table)
                    .col(Jobs::FinishedAt)
                    .col(Jobs::RunAt)
                    .col(Jobs::Id)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}
