//! Account settings and single sign-on: email preferences, closed accounts, moderators scoped
//! to a group, the administrators' auto-approve allow-list, linked OpenID Connect identities
//! and in-flight single sign-on attempts.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    ModeratesGroup,
    EmailNewsletters,
    EmailForumReplies,
    EmailEvents,
    ClosedAt,
}

#[derive(DeriveIden)]
enum AutoApproveDomains {
    Table,
    Domain,
    AddedBy,
    CreatedAt,
}

#[derive(DeriveIden)]
enum UserIdentities {
    Table,
    Id,
    UserId,
    Issuer,
    Subject,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SsoAttempts {
    Table,
    Id,
    TokenHash,
    State,
    Nonce,
    PkceVerifier,
    ReturnTo,
    CreatedAt,
    Issuer,
    Subject,
    Email,
    Name,
}

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).string().not_null().to_owned()
}

fn text_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).string().null().to_owned()
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn flag_on(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .boolean()
        .not_null()
        .default(true)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        // SQLite takes one change per ALTER TABLE.
        for column in [
            text_null(Users::ModeratesGroup),
            flag_on(Users::EmailNewsletters),
            flag_on(Users::EmailForumReplies),
            flag_on(Users::EmailEvents),
            ColumnDef::new(Users::ClosedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .add_column(column)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(AutoApproveDomains::Table)
                    .col(text(AutoApproveDomains::Domain).primary_key().to_owned())
                    .col(text(AutoApproveDomains::AddedBy))
                    .col(at(AutoApproveDomains::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(UserIdentities::Table)
                    .col(
                        ColumnDef::new(UserIdentities::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(UserIdentities::UserId).integer().not_null())
                    .col(text(UserIdentities::Issuer))
                    .col(text(UserIdentities::Subject))
                    .col(at(UserIdentities::CreatedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserIdentities::Table, UserIdentities::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_user_identities_issuer_subject")
                    .table(UserIdentities::Table)
                    .col(UserIdentities::Issuer)
                    .col(UserIdentities::Subject)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SsoAttempts::Table)
                    .col(
                        ColumnDef::new(SsoAttempts::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(text(SsoAttempts::TokenHash).unique_key().to_owned())
                    .col(text(SsoAttempts::State))
                    .col(text(SsoAttempts::Nonce))
                    .col(text(SsoAttempts::PkceVerifier))
                    .col(text(SsoAttempts::ReturnTo))
                    .col(at(SsoAttempts::CreatedAt))
                    .col(text_null(SsoAttempts::Issuer))
                    .col(text_null(SsoAttempts::Subject))
                    .col(text_null(SsoAttempts::Email))
                    .col(text_null(SsoAttempts::Name))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SsoAttempts::Table.into_iden(),
            UserIdentities::Table.into_iden(),
            AutoApproveDomains::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        for column in [
            Users::ClosedAt.into_iden(),
            Users::EmailEvents.into_iden(),
            Users::EmailForumReplies.into_iden(),
            Users::EmailNewsletters.into_iden(),
            Users::ModeratesGroup.into_iden(),
        ] {
            manager
                .alter_table(
                    Table::alter()
                        .table(Users::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
