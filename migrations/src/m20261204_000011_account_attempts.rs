//! Attempts that protect an account — failed sign-ins and password reset requests — counted in
//! the database, so that every server process on the database shares one count (an attacker
//! spreading guesses over several processes gets no more tries). Keyed by a hash of the email
//! address, so the table holds no addresses.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum AccountAttempts {
    Table,
    Id,
    Kind,
    AccountKey,
    At,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(AccountAttempts::Table)
                    .col(
                        ColumnDef::new(AccountAttempts::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(AccountAttempts::Kind).text().not_null())
                    .col(
                        ColumnDef::new(AccountAttempts::AccountKey)
                            .text()
                            .not_null(),
                    )
                    .col(
                        ColumnDef::new(AccountAttempts::At)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_account_attempts_key")
                    .table(AccountAttempts::Table)
                    .col(AccountAttempts::Kind)
                    .col(AccountAttempts::AccountKey)
                    .col(AccountAttempts::At)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AccountAttempts::Table).to_owned())
            .await
    }
}
