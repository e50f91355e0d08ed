//! The rest of a revalidation portfolio, each a record of its own: periods of practice with
//! their hours, practice-related feedback, written reflective accounts (with the NMC Code
//! themes they relate to), and one row per member for what is said once per cycle (a dual
//! registration, the reflective discussion, the confirmation, and the HCPC-style profile's
//! statements).

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum CpdPracticeHours {
    Table,
    Id,
    UserId,
    StartedOn,
    EndedOn,
    /// Where: the organisation.
    Organisation,
    /// The kind of work setting.
    Setting,
    /// Scope of practice.
    Scope,
    Minutes,
    Description,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CpdFeedback {
    Table,
    Id,
    UserId,
    ReceivedOn,
    /// Who it came from, by kind (never a name).
    Source,
    /// What it said.
    Summary,
    /// What the member did with it.
    PracticeChange,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CpdReflections {
    Table,
    Id,
    UserId,
    WrittenOn,
    /// The activity, feedback or experience reflected on.
    Experience,
    Learning,
    PracticeChange,
    /// The Code themes, comma-separated.
    CodeThemes,
    CreatedAt,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum CpdProfiles {
    Table,
    UserId,
    /// Revalidating as a nurse and a midwife or nursing associate: twice the practice hours.
    DualRegistrant,
    DiscussionPartner,
    DiscussionPartnerPin,
    DiscussedOn,
    ConfirmerName,
    ConfirmerRole,
    ConfirmedOn,
    /// HCPC profile: a summary of recent practice.
    PracticeSummary,
    /// HCPC profile: how the member's CPD meets the standards.
    StandardsStatement,
    UpdatedAt,
}

fn id<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .integer()
        .not_null()
        .auto_increment()
        .primary_key()
        .to_owned()
}

fn text<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .text()
        .not_null()
        .default("")
        .to_owned()
}

fn date<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column).date().not_null().to_owned()
}

fn created<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .not_null()
        .to_owned()
}

fn updated<T: IntoIden>(column: T) -> ColumnDef {
    ColumnDef::new(column)
        .timestamp_with_time_zone()
        .null()
        .to_owned()
}

fn owner(table: impl IntoTableRef, column: impl IntoIden) -> ForeignKeyCreateStatement {
    ForeignKey::create()
        .from(table, column)
        .to(Users::Table, Users::Id)
        .on_delete(ForeignKeyAction::Cascade)
        .to_owned()
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use CpdFeedback as F;
        use CpdPracticeHours as P;
        use CpdProfiles as D;
        use CpdReflections as R;
        manager
            .create_table(
                Table::create()
                    .table(P::Table)
                    .col(id(P::Id))
                    .col(ColumnDef::new(P::UserId).integer().not_null())
                    .col(date(P::StartedOn))
                    .col(date(P::EndedOn))
                    .col(text(P::Organisation))
                    .col(text(P::Setting))
                    .col(text(P::Scope))
                    .col(ColumnDef::new(P::Minutes).integer().not_null())
                    .col(text(P::Description))
                    .col(created(P::CreatedAt))
                    .col(updated(P::UpdatedAt))
                    .foreign_key(&mut owner(P::Table, P::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(F::Table)
                    .col(id(F::Id))
                    .col(ColumnDef::new(F::UserId).integer().not_null())
                    .col(date(F::ReceivedOn))
                    .col(text(F::Source))
                    .col(text(F::Summary))
                    .col(text(F::PracticeChange))
                    .col(created(F::CreatedAt))
                    .col(updated(F::UpdatedAt))
                    .foreign_key(&mut owner(F::Table, F::UserId))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(R::Table)
                    .col(id(R::Id))
                    .col(ColumnDef::new(R::UserId).integer().not_null())
                    .col(date(R::WrittenOn))
                    .col(text(R::Experience))
                    .col(text(R::Learning))
                    .col(text(R::PracticeChange))
                    .col(text(R::CodeThemes))
                    .col(created(R::CreatedAt))
                    .col(updated(R::UpdatedAt))
                    .foreign_key(&mut owner(R::Table, R::UserId))
                    .to_owned(),
            )
            .await?;
        for (name, table, user, day) in [
            (
                "cpd_practice_hours_by_member",
                P::Table.into_iden(),
                P::UserId.into_iden(),
                P::EndedOn.into_iden(),
            ),
            (
                "cpd_feedback_by_member",
                F::Table.into_iden(),
                F::UserId.into_iden(),
                F::ReceivedOn.into_iden(),
            ),
            (
                "cpd_reflections_by_member",
                R::Table.into_iden(),
                R::UserId.into_iden(),
                R::WrittenOn.into_iden(),
            ),
        ] {
            manager
                .create_index(
                    Index::create()
                        .name(name)
                        .table(table)
                        .col(user)
                        .col(day)
                        .to_owned(),
                )
                .await?;
        }
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(ColumnDef::new(D::UserId).integer().not_null().primary_key())
                    .col(
                        ColumnDef::new(D::DualRegistrant)
                            .boolean()
                            .not_null()
                            .default(false),
                    )
                    .col(text(D::DiscussionPartner))
                    .col(text(D::DiscussionPartnerPin))
                    .col(ColumnDef::new(D::DiscussedOn).date().null())
                    .col(text(D::ConfirmerName))
                    .col(text(D::ConfirmerRole))
                    .col(ColumnDef::new(D::ConfirmedOn).date().null())
                    .col(text(D::PracticeSummary))
                    .col(text(D::StandardsStatement))
                    .col(updated(D::UpdatedAt))
                    .foreign_key(&mut owner(D::Table, D::UserId))
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CpdProfiles::Table.into_iden(),
            CpdReflections::Table.into_iden(),
            CpdFeedback::Table.into_iden(),
            CpdPracticeHours::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
