//! Forums: the forums themselves (who may read and who may post are audiences, the groups in
//! `audience_groups` under `forum` and `forum-post`), their topics and posts (numbered within a
//! topic, Markdown kept beside its sanitised HTML), every earlier version of an edited post,
//! and how far each member has read each topic.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Forums {
    Table,
    Id,
    Slug,
    Name,
    Description,
    Position,
    Audience,
    PostAudience,
    ModeratorGroup,
    ArchivedAt,
    TopicCount,
    PostCount,
    LastPostAt,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ForumTopics {
    Table,
    Id,
    ForumId,
    Title,
    Tags,
    AuthorId,
    Pinned,
    Locked,
    PostCount,
    LastPostAt,
    LastPostNumber,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ForumPosts {
    Table,
    Id,
    TopicId,
    Number,
    AuthorId,
    BodyMarkdown,
    BodyHtml,
    QuoteOf,
    CreatedAt,
    EditedAt,
    DeletedAt,
    HiddenAt,
}

#[derive(DeriveIden)]
enum ForumPostRevisions {
    Table,
    Id,
    PostId,
    BodyMarkdown,
    EditedBy,
    EditedAt,
}

#[derive(DeriveIden)]
enum ForumTopicReads {
    Table,
    UserId,
    TopicId,
    LastReadNumber,
    ReadAt,
}

fn id(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn int(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).integer().not_null().to_owned()
}

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).text().not_null().to_owned()
}

fn flag(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .boolean()
        .not_null()
        .default(false)
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
        manager
            .create_table(
                Table::create()
                    .table(Forums::Table)
                    .col(id(Forums::Id))
                    .col(text(Forums::Slug).unique_key().to_owned())
                    .col(text(Forums::Name))
                    .col(text(Forums::Description))
                    .col(int(Forums::Position))
                    .col(text(Forums::Audience))
                    .col(text(Forums::PostAudience))
                    .col(ColumnDef::new(Forums::ModeratorGroup).text().null())
                    .col(at_null(Forums::ArchivedAt))
                    .col(int(Forums::TopicCount).default(0).to_owned())
                    .col(int(Forums::PostCount).default(0).to_owned())
                    .col(at_null(Forums::LastPostAt))
                    .col(at(Forums::CreatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumTopics::Table)
                    .col(id(ForumTopics::Id))
                    .col(int(ForumTopics::ForumId))
                    .col(text(ForumTopics::Title))
                    .col(text(ForumTopics::Tags))
                    .col(ColumnDef::new(ForumTopics::AuthorId).integer().null())
                    .col(flag(ForumTopics::Pinned))
                    .col(flag(ForumTopics::Locked))
                    .col(int(ForumTopics::PostCount).default(0).to_owned())
                    .col(at(ForumTopics::LastPostAt))
                    .col(int(ForumTopics::LastPostNumber).default(0).to_owned())
                    .col(at(ForumTopics::CreatedAt))
                    .foreign_key(&mut belongs_to(
                        ForumTopics::Table,
                        ForumTopics::ForumId,
                        Forums::Table,
                        Forums::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_topics_listing")
                    .table(ForumTopics::Table)
                    .col(ForumTopics::ForumId)
                    .col(ForumTopics::Pinned)
                    .col(ForumTopics::LastPostAt)
                    .col(ForumTopics::Id)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumPosts::Table)
                    .col(id(ForumPosts::Id))
                    .col(int(ForumPosts::TopicId))
                    .col(int(ForumPosts::Number))
                    .col(ColumnDef::new(ForumPosts::AuthorId).integer().null())
                    .col(text(ForumPosts::BodyMarkdown))
                    .col(text(ForumPosts::BodyHtml))
                    .col(ColumnDef::new(ForumPosts::QuoteOf).integer().null())
                    .col(at(ForumPosts::CreatedAt))
                    .col(at_null(ForumPosts::EditedAt))
                    .col(at_null(ForumPosts::DeletedAt))
                    .col(at_null(ForumPosts::HiddenAt))
                    .foreign_key(&mut belongs_to(
                        ForumPosts::Table,
                        ForumPosts::TopicId,
                        ForumTopics::Table,
                        ForumTopics::Id,
                    ))
                    .foreign_key(
                        ForeignKey::create()
                            .from(ForumPosts::Table, ForumPosts::AuthorId)
                            .to(Users::Table, Users::Id)
                            .on_delete(ForeignKeyAction::SetNull),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_posts_topic_number")
                    .table(ForumPosts::Table)
                    .col(ForumPosts::TopicId)
                    .col(ForumPosts::Number)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumPostRevisions::Table)
                    .col(id(ForumPostRevisions::Id))
                    .col(int(ForumPostRevisions::PostId))
                    .col(text(ForumPostRevisions::BodyMarkdown))
                    .col(
                        ColumnDef::new(ForumPostRevisions::EditedBy)
                            .integer()
                            .null(),
                    )
                    .col(at(ForumPostRevisions::EditedAt))
                    .foreign_key(&mut belongs_to(
                        ForumPostRevisions::Table,
                        ForumPostRevisions::PostId,
                        ForumPosts::Table,
                        ForumPosts::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumTopicReads::Table)
                    .col(int(ForumTopicReads::UserId))
                    .col(int(ForumTopicReads::TopicId))
                    .col(int(ForumTopicReads::LastReadNumber))
                    .col(at(ForumTopicReads::ReadAt))
                    .primary_key(
                        Index::create()
                            .col(ForumTopicReads::UserId)
                            .col(ForumTopicReads::TopicId),
                    )
                    .foreign_key(&mut belongs_to(
                        ForumTopicReads::Table,
                        ForumTopicReads::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        ForumTopicReads::Table,
                        ForumTopicReads::TopicId,
                        ForumTopics::Table,
                        ForumTopics::Id,
                    ))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            ForumTopicReads::Table.into_iden(),
            ForumPostRevisions::Table.into_iden(),
            ForumPosts::Table.into_iden(),
            ForumTopics::Table.into_iden(),
            Forums::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
