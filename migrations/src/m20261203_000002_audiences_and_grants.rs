//! Who may see an item and what a member may do beyond their role: a page's audience (public,
//! members, or chosen groups, the groups kept in `audience_groups`, shared by every area that
//! restricts items to groups) and members' standing grants (e.g. force assessor).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Pages {
    Table,
    Audience,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    Grants,
}

#[derive(DeriveIden)]
enum AudienceGroups {
    Table,
    ItemKind,
    ItemId,
    GroupSlug,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(Pages::Table)
                    .add_column(
                        ColumnDef::new(Pages::Audience)
                            .string()
                            .not_null()
                            .default("public"),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .add_column(
                        ColumnDef::new(Users::Grants)
                            .string()
                            .not_null()
                            .default(""),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(AudienceGroups::Table)
                    .col(ColumnDef::new(AudienceGroups::ItemKind).string().not_null())
                    .col(ColumnDef::new(AudienceGroups::ItemId).integer().not_null())
                    .col(
                        ColumnDef::new(AudienceGroups::GroupSlug)
                            .string()
                            .not_null(),
                    )
                    .primary_key(
                        Index::create()
                            .col(AudienceGroups::ItemKind)
                            .col(AudienceGroups::ItemId)
                            .col(AudienceGroups::GroupSlug),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("audience_groups_by_group")
                    .table(AudienceGroups::Table)
                    .col(AudienceGroups::ItemKind)
                    .col(AudienceGroups::GroupSlug)
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(AudienceGroups::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Users::Table)
                    .drop_column(Users::Grants)
                    .to_owned(),
            )
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(Pages::Table)
                    .drop_column(Pages::Audience)
                    .to_owned(),
            )
            .await
    }
}
