//! Members, groups, sessions, single-use email tokens, the mail outbox and the audit log.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    Email,
    Name,
    PasswordHash,
    Profession,
    Organisation,
    Regulator,
    RegistrationNumber,
    Status,
    Role,
    DeclineReason,
    CreatedAt,
    VerifiedAt,
    DecidedAt,
}

#[derive(DeriveIden)]
enum Groups {
    Table,
    Id,
    Slug,
    Name,
    Private,
}

#[derive(DeriveIden)]
enum UserGroups {
    Table,
    UserId,
    GroupId,
    Status,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Sessions {
    Table,
    Id,
    TokenHash,
    UserId,
    CreatedAt,
    LastSeenAt,
    ExpiresAt,
    UserAgent,
}

#[derive(DeriveIden)]
enum EmailTokens {
    Table,
    Id,
    TokenHash,
    UserId,
    Purpose,
    CreatedAt,
    ExpiresAt,
    UsedAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    Id,
    Recipient,
    Subject,
    BodyText,
    CreatedAt,
    Attempts,
    NextAttemptAt,
    SentAt,
    LastError,
}

#[derive(DeriveIden)]
enum AuditLog {
    Table,
    Id,
    ActorId,
    ActorName,
    Action,
    Target,
    Detail,
    SourceIp,
    CreatedAt,
}

fn id(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
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

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).string().not_null().to_owned()
}

fn text_null(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).string().null().to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(Users::Table)
                    .col(id(Users::Id))
                    .col(text(Users::Email).unique_key().to_owned())
                    .col(text(Users::Name))
                    .col(text(Users::PasswordHash))
                    .col(text(Users::Profession))
                    .col(text(Users::Organisation))
                    .col(text(Users::Regulator))
                    .col(text_null(Users::RegistrationNumber))
                    .col(text(Users::Status))
                    .col(text(Users::Role))
                    .col(text_null(Users::DeclineReason))
                    .col(at(Users::CreatedAt))
                    .col(at_null(Users::VerifiedAt))
                    .col(at_null(Users::DecidedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_users_status")
                    .table(Users::Table)
                    .col(Users::Status)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Groups::Table)
                    .col(id(Groups::Id))
                    .col(text(Groups::Slug).unique_key().to_owned())
                    .col(text(Groups::Name))
                    .col(ColumnDef::new(Groups::Private).boolean().not_null())
                    .to_owned(),
            )
            .await?;
        let mut seed = Query::insert();
        seed.into_table(Groups::Table)
            .columns([Groups::Slug, Groups::Name, Groups::Private]);
        for (slug, name, private) in [
            ("oh-managers", "OH managers", false),
            ("oh-technicians", "OH technicians", false),
            ("physiotherapists", "Physiotherapists", false),
            ("mental-health-nurses", "Mental health nurses", false),
            ("cmo", "Chief Medical Officer's group", true),
        ] {
            seed.values([slug.into(), name.into(), private.into()])
                .map_err(|err| DbErr::Custom(err.to_string()))?;
        }
        manager.exec_stmt(seed).await?;
        manager
            .create_table(
                Table::create()
                    .table(UserGroups::Table)
                    .col(ColumnDef::new(UserGroups::UserId).integer().not_null())
                    .col(ColumnDef::new(UserGroups::GroupId).integer().not_null())
                    .col(text(UserGroups::Status))
                    .col(at(UserGroups::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(UserGroups::UserId)
                            .col(UserGroups::GroupId),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserGroups::Table, UserGroups::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(UserGroups::Table, UserGroups::GroupId)
                            .to(Groups::Table, Groups::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Sessions::Table)
                    .col(id(Sessions::Id))
                    .col(text(Sessions::TokenHash).unique_key().to_owned())
                    .col(ColumnDef::new(Sessions::UserId).integer().not_null())
                    .col(at(Sessions::CreatedAt))
                    .col(at(Sessions::LastSeenAt))
                    .col(at(Sessions::ExpiresAt))
                    .col(text_null(Sessions::UserAgent))
                    .foreign_key(
                        ForeignKey::create()
                            .from(Sessions::Table, Sessions::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(EmailTokens::Table)
                    .col(id(EmailTokens::Id))
                    .col(text(EmailTokens::TokenHash).unique_key().to_owned())
                    .col(ColumnDef::new(EmailTokens::UserId).integer().not_null())
                    .col(text(EmailTokens::Purpose))
                    .col(at(EmailTokens::CreatedAt))
                    .col(at(EmailTokens::ExpiresAt))
                    .col(at_null(EmailTokens::UsedAt))
                    .foreign_key(
                        ForeignKey::create()
                            .from(EmailTokens::Table, EmailTokens::UserId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(MailOutbox::Table)
                    .col(id(MailOutbox::Id))
                    .col(text(MailOutbox::Recipient))
                    .col(text(MailOutbox::Subject))
                    .col(ColumnDef::new(MailOutbox::BodyText).text().not_null())
                    .col(at(MailOutbox::CreatedAt))
                    .col(ColumnDef::new(MailOutbox::Attempts).integer().not_null())
                    .col(at(MailOutbox::NextAttemptAt))
                    .col(at_null(MailOutbox::SentAt))
                    .col(text_null(MailOutbox::LastError))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_mail_outbox_due")
                    .table(MailOutbox::Table)
                    .col(MailOutbox::SentAt)
                    .col(MailOutbox::NextAttemptAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AuditLog::Table)
                    .col(id(AuditLog::Id))
                    .col(ColumnDef::new(AuditLog::ActorId).integer().null())
                    .col(text(AuditLog::ActorName))
                    .col(text(AuditLog::Action))
                    .col(text(AuditLog::Target))
                    .col(ColumnDef::new(AuditLog::Detail).text().not_null())
                    .col(text_null(AuditLog::SourceIp))
                    .col(at(AuditLog::CreatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            AuditLog::Table.into_iden(),
            MailOutbox::Table.into_iden(),
            EmailTokens::Table.into_iden(),
            Sessions::Table.into_iden(),
            UserGroups::Table.into_iden(),
            Groups::Table.into_iden(),
            Users::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
