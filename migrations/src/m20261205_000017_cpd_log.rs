//! The CPD log: entries gain what was learned, how practice changed and when they were last
//! edited, and evidence files (stored in the database, type checked from their bytes, readable
//! only by their owner); members record the date their regulator's cycle ends and, for
//! appraisal, their own annual target. Entries that eLearning recorded as
//! `self-directed-learning` become the activity kind `e-learning`.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum CpdEntries {
    Table,
    Id,
    UserId,
    Kind,
    OccurredOn,
    /// What was learned.
    Learning,
    /// How it changed the member's practice.
    PracticeChange,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CpdEvidence {
    Table,
    Id,
    EntryId,
    FileName,
    /// Checked from the bytes.
    ContentType,
    Size,
    Bytes,
    UploadedAt,
}

#[derive(DeriveIden)]
enum Users {
    Table,
    /// The day the member's current CPD cycle ends (NMC revalidation, HCPC renewal, appraisal).
    CpdCycleEndsOn,
    /// An annual target the member sets (medical appraisal), in minutes.
    CpdTargetMinutes,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CpdEntries as E;
        use CpdEvidence as V;
        // SQLite alters one column per statement.
        for column in [
            ColumnDef::new(E::Learning)
                .text()
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(E::PracticeChange)
                .text()
                .not_null()
                .default("")
                .to_owned(),
            ColumnDef::new(E::UpdatedAt)
                .timestamp_with_time_zone()
                .null()
                .to_owned(),
        ] {
            manager
                .alter_table(Table::alter().table(E::Table).add_column(column).to_owned())
                .await?;
        }
        manager
            .exec_stmt(
                Query::update()
                    .table(E::Table)
                    .value(E::Kind, "e-learning")
                    .and_where(Expr::col(E::Kind).eq("self-directed-learning"))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cpd_entries_by_member_and_date")
                    .table(E::Table)
                    .col(E::UserId)
                    .col(E::OccurredOn)
                    .to_owned(),
            )
            .await?;
        for column in [
            ColumnDef::new(Users::CpdCycleEndsOn)
                .date()
                .null()
                .to_owned(),
            ColumnDef::new(Users::CpdTargetMinutes)
                .integer()
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
                    .table(V::Table)
                    .col(
                        ColumnDef::new(V::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(V::EntryId).integer().not_null())
                    .col(ColumnDef::new(V::FileName).text().not_null())
                    .col(ColumnDef::new(V::ContentType).text().not_null())
                    .col(ColumnDef::new(V::Size).big_integer().not_null())
                    .col(ColumnDef::new(V::Bytes).blob().not_null())
                    .col(
                        ColumnDef::new(V::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(V::Table, V::EntryId)
                            .to(E::Table, E::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("cpd_evidence_by_entry")
                    .table(V::Table)
                    .col(V::EntryId)
                    .col(V::FileName)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CpdEntries as E;
        manager
            .drop_table(Table::drop().table(CpdEvidence::Table).to_owned())
            .await?;
        manager
            .drop_index(
                Index::drop()
                    .name("cpd_entries_by_member_and_date")
                    .table(E::Table)
                    .to_owned(),
            )
            .await?;
        for column in [E::Learning, E::PracticeChange, E::UpdatedAt] {
            manager
                .alter_table(
                    Table::alter()
                        .table(E::Table)
                        .drop_column(column)
                        .to_owned(),
                )
                .await?;
        }
        for column in [Users::CpdCycleEndsOn, Users::CpdTargetMinutes] {
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
