//! Following the forums: members watch forums and topics (a topic row can also record that
//! they stopped watching it, so replying again does not re-watch it), receive notifications,
//! and choose forum email per post, as a daily digest, or not at all. Outgoing mail can carry
//! a one-click unsubscribe address, signed with a key kept in `site_secrets`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
    EmailForumReplies,
    ForumEmail,
    WatchOwnTopics,
}

#[derive(DeriveIden)]
enum Forums {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ForumTopics {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ForumPosts {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ForumWatches {
    Table,
    UserId,
    ForumId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ForumTopicWatches {
    Table,
    UserId,
    TopicId,
    Watching,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Notifications {
    Table,
    Id,
    UserId,
    Kind,
    PostId,
    CreatedAt,
    ReadAt,
    MailedAt,
}

#[derive(DeriveIden)]
enum MailOutbox {
    Table,
    ListUnsubscribe,
}

#[derive(DeriveIden)]
enum SiteSecrets {
    Table,
    Name,
    Value,
}

fn int(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).integer().not_null().to_owned()
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

fn belongs_to(
    table: impl IntoIden,
    column: impl IntoIden,
    parent: impl IntoIden,
    parent_id: impl IntoIden,
) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(parent, parent_id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for column in [
            ColumnDef::new(Users::ForumEmail)
                .string()
                .not_null()
                .default("each")
                .to_owned(),
            ColumnDef::new(Users::WatchOwnTopics)
                .boolean()
                .not_null()
                .default(true)
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
            .exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(Users::ForumEmail, "off")
                    .and_where(Expr::col(Users::EmailForumReplies).eq(false))
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::EmailForumReplies)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(MailOutbox::Table)
                    .add_column(ColumnDef::new(MailOutbox::ListUnsubscribe).string().null())
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumWatches::Table)
                    .col(int(ForumWatches::UserId))
                    .col(int(ForumWatches::ForumId))
                    .col(at(ForumWatches::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ForumWatches::UserId)
                            .col(ForumWatches::ForumId),
                    )
                    .foreign_key(&mut belongs_to(
                        ForumWatches::Table,
                        ForumWatches::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        ForumWatches::Table,
                        ForumWatches::ForumId,
                        Forums::Table,
                        Forums::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_watches_forum")
                    .table(ForumWatches::Table)
                    .col(ForumWatches::ForumId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumTopicWatches::Table)
                    .col(int(ForumTopicWatches::UserId))
                    .col(int(ForumTopicWatches::TopicId))
                    .col(
                        ColumnDef::new(ForumTopicWatches::Watching)
                            .boolean()
                            .not_null(),
                    )
                    .col(at(ForumTopicWatches::CreatedAt))
                    .primary_key(
                        Index::create()
                            .col(ForumTopicWatches::UserId)
                            .col(ForumTopicWatches::TopicId),
                    )
                    .foreign_key(&mut belongs_to(
                        ForumTopicWatches::Table,
                        ForumTopicWatches::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        ForumTopicWatches::Table,
                        ForumTopicWatches::TopicId,
                        ForumTopics::Table,
                        ForumTopics::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_topic_watches_topic")
                    .table(ForumTopicWatches::Table)
                    .col(ForumTopicWatches::TopicId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Notifications::Table)
                    .col(
                        ColumnDef::new(Notifications::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(int(Notifications::UserId))
                    .col(ColumnDef::new(Notifications::Kind).string().not_null())
                    .col(int(Notifications::PostId))
                    .col(at(Notifications::CreatedAt))
                    .col(at_null(Notifications::ReadAt))
                    .col(at_null(Notifications::MailedAt))
                    .foreign_key(&mut belongs_to(
                        Notifications::Table,
                        Notifications::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        Notifications::Table,
                        Notifications::PostId,
                        ForumPosts::Table,
                        ForumPosts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_once")
                    .table(Notifications::Table)
                    .col(Notifications::UserId)
                    .col(Notifications::PostId)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_notifications_unmailed")
                    .table(Notifications::Table)
                    .col(Notifications::MailedAt)
                    .col(Notifications::UserId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SiteSecrets::Table)
                    .col(
                        ColumnDef::new(SiteSecrets::Name)
                            .string()
                            .not_null()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(SiteSecrets::Value).string().not_null())
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            SiteSecrets::Table.into_iden(),
            Notifications::Table.into_iden(),
            ForumTopicWatches::Table.into_iden(),
            ForumWatches::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(MailOutbox::Table)
                    .drop_column(MailOutbox::ListUnsubscribe)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::EmailForumReplies)
                            .boolean()
                            .not_null()
                            .default(true),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .exec_stmt(
                Query::update()
                    .table(Users::Table)
                    .value(Users::EmailForumReplies, false)
                    .and_where(Expr::col(Users::ForumEmail).eq("off"))
                    .to_owned(),
            )
            .await?;
        for column in [Users::ForumEmail, Users::WatchOwnTopics] {
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
