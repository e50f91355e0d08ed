//! Forum restructuring and approval: where a merged topic went (so its old address still
//! leads to its posts), posts held for a moderator's approval (a new member's first posts,
//! kept apart from the published posts so no list, count, feed or email can see them), and
//! the site's settings, starting with how many of a new member's posts are held. Posts get an
//! index by author, since whether a post is held depends on how many its author has published.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ForumTopicRedirects {
    Table,
    FromTopicId,
    ToTopicId,
    CreatedAt,
}

#[derive(DeriveIden)]
enum ForumHeldPosts {
    Table,
    Id,
    ForumId,
    TopicId,
    AuthorId,
    Title,
    Tags,
    BodyMarkdown,
    QuoteOf,
    CreatedAt,
}

#[derive(DeriveIden)]
enum SiteSettings {
    Table,
    Key,
    Value,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ForumTopics {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum ForumPosts {
    Table,
    AuthorId,
}

#[derive(DeriveIden)]
enum Forums {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

fn at(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).text().not_null().to_owned()
}

fn cascade(
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
                    .table(ForumTopicRedirects::Table)
                    .col(
                        ColumnDef::new(ForumTopicRedirects::FromTopicId)
                            .integer()
                            .not_null()
                            .primary_key(),
                    )
                    .col(
                        ColumnDef::new(ForumTopicRedirects::ToTopicId)
                            .integer()
                            .not_null(),
                    )
                    .col(at(ForumTopicRedirects::CreatedAt))
                    .foreign_key(&mut cascade(
                        ForumTopicRedirects::Table,
                        ForumTopicRedirects::ToTopicId,
                        ForumTopics::Table,
                        ForumTopics::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_topic_redirects_to")
                    .table(ForumTopicRedirects::Table)
                    .col(ForumTopicRedirects::ToTopicId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ForumHeldPosts::Table)
                    .col(
                        ColumnDef::new(ForumHeldPosts::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ForumHeldPosts::ForumId).integer().not_null())
                    .col(ColumnDef::new(ForumHeldPosts::TopicId).integer().null())
                    .col(
                        ColumnDef::new(ForumHeldPosts::AuthorId)
                            .integer()
                            .not_null(),
                    )
                    .col(text(ForumHeldPosts::Title))
                    .col(text(ForumHeldPosts::Tags))
                    .col(text(ForumHeldPosts::BodyMarkdown))
                    .col(ColumnDef::new(ForumHeldPosts::QuoteOf).integer().null())
                    .col(at(ForumHeldPosts::CreatedAt))
                    .foreign_key(&mut cascade(
                        ForumHeldPosts::Table,
                        ForumHeldPosts::ForumId,
                        Forums::Table,
                        Forums::Id,
                    ))
                    .foreign_key(&mut cascade(
                        ForumHeldPosts::Table,
                        ForumHeldPosts::TopicId,
                        ForumTopics::Table,
                        ForumTopics::Id,
                    ))
                    .foreign_key(&mut cascade(
                        ForumHeldPosts::Table,
                        ForumHeldPosts::AuthorId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_held_posts_forum")
                    .table(ForumHeldPosts::Table)
                    .col(ForumHeldPosts::ForumId)
                    .col(ForumHeldPosts::CreatedAt)
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_forum_posts_author")
                    .table(ForumPosts::Table)
                    .col(ForumPosts::AuthorId)
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(SiteSettings::Table)
                    .col(
                        ColumnDef::new(SiteSettings::Key)
                            .text()
                            .not_null()
                            .primary_key(),
                    )
                    .col(text(SiteSettings::Value))
                    .col(at(SiteSettings::UpdatedAt))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_index(
                Index::drop()
                    .name("idx_forum_posts_author")
                    .table(ForumPosts::Table)
                    .to_owned(),
            )
            .await?;
        for table in [
            SiteSettings::Table.into_iden(),
            ForumHeldPosts::Table.into_iden(),
            ForumTopicRedirects::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
