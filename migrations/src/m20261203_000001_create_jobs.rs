//! The jobs table: background work (mail delivery, cleanup, …) written in the same transaction
//! as the change that caused it, claimed by runners under a lease, retried with backoff. Mail
//! still waiting in the outbox gets its delivery job here, so an upgrade loses no message.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    SentAt,
}

/// Attempts the mail worker allowed before this migration; the mail job allows the same.
const MAIL_ATTEMPTS: i32 = 8;

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
            .await?;
        // `||` concatenates text in SQLite and PostgreSQL alike; the JSON is `Job`'s encoding.
        let waiting_mail = Query::select()
            .expr(Expr::val("deliver_mail"))
            .expr(Expr::cust(
                r#"'{"kind":"deliver_mail","message_id":' || "id" || '}'"#,
            ))
            .column(MailOutbox::NextAttemptAt)
            .column(MailOutbox::Attempts)
            .expr(Expr::val(MAIL_ATTEMPTS))
            .column(MailOutbox::CreatedAt)
            .from(MailOutbox::Table)
            .and_where(Expr::col(MailOutbox::SentAt).is_null())
            .and_where(Expr::col(MailOutbox::Attempts).lt(MAIL_ATTEMPTS))
            .order_by(MailOutbox::Id, Order::Asc)
            .to_owned();
        let queue_waiting_mail = Query::insert()
            .into_table(Jobs::Table)
            .columns([
                Jobs::Kind,
                Jobs::Payload,
                Jobs::RunAt,
                Jobs::Attempts,
                Jobs::MaxAttempts,
                Jobs::CreatedAt,
            ])
            .select_from(waiting_mail)
            .map_err(|err| DbErr::Migration(err.to_string()))?
            .to_owned();
        manager.exec_stmt(queue_waiting_mail).await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(Jobs::Table).to_owned())
            .await
    }
}
