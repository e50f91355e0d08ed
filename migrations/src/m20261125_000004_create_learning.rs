//! eLearning: modules imported from `content/modules/` (with their lessons, knowledge-check
//! questions and images), each learner's progress and attempts, certificates, and the CPD
//! entries that completing a module records.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum Users {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum Modules {
    Table,
    Id,
    Slug,
    Title,
    Summary,
    Audience,
    Topics,
    EstimatedMinutes,
    CpdMinutes,
    PassMark,
    Outcomes,
    Revision,
    ContentHash,
    SourcePath,
    UpdatedAt,
}

#[derive(DeriveIden)]
enum ModuleLessons {
    Table,
    Id,
    ModuleId,
    Slug,
    Position,
    Title,
    Summary,
    Minutes,
    BodyMarkdown,
    Html,
    Headings,
    ContentHash,
    ChangedInRevision,
}

#[derive(DeriveIden)]
enum ModuleQuestions {
    Table,
    Id,
    ModuleId,
    Position,
    Key,
    Kind,
    Prompt,
    Explanation,
    Options,
}

#[derive(DeriveIden)]
enum ModuleMedia {
    Table,
    ModuleId,
    FileName,
    ContentType,
    Bytes,
}

#[derive(DeriveIden)]
enum LearningRecords {
    Table,
    UserId,
    ModuleId,
    StartedAt,
    LastLesson,
    PassedAt,
}

#[derive(DeriveIden)]
enum LessonProgress {
    Table,
    UserId,
    LessonId,
    ContentHash,
    CompletedAt,
}

#[derive(DeriveIden)]
enum QuizAttempts {
    Table,
    Id,
    UserId,
    ModuleId,
    Revision,
    Answers,
    Score,
    Passed,
    CreatedAt,
}

#[derive(DeriveIden)]
enum Certificates {
    Table,
    Id,
    Code,
    UserId,
    ModuleId,
    ModuleTitle,
    CpdMinutes,
    Revision,
    IssuedAt,
}

#[derive(DeriveIden)]
enum CpdEntries {
    Table,
    Id,
    UserId,
    Title,
    Kind,
    Participatory,
    Minutes,
    OccurredOn,
    Reflection,
    Source,
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

fn int(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).integer().not_null().to_owned()
}

fn text(column: impl IntoIden) -> ColumnDef {
    ColumnDef::new(column).text().not_null().to_owned()
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
                    .table(Modules::Table)
                    .col(id(Modules::Id))
                    .col(text(Modules::Slug).unique_key().to_owned())
                    .col(text(Modules::Title))
                    .col(text(Modules::Summary))
                    .col(text(Modules::Audience))
                    .col(text(Modules::Topics))
                    .col(int(Modules::EstimatedMinutes))
                    .col(int(Modules::CpdMinutes))
                    .col(int(Modules::PassMark))
                    .col(text(Modules::Outcomes))
                    .col(int(Modules::Revision))
                    .col(text(Modules::ContentHash))
                    .col(text(Modules::SourcePath))
                    .col(at(Modules::UpdatedAt))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleLessons::Table)
                    .col(id(ModuleLessons::Id))
                    .col(int(ModuleLessons::ModuleId))
                    .col(text(ModuleLessons::Slug))
                    .col(int(ModuleLessons::Position))
                    .col(text(ModuleLessons::Title))
                    .col(text(ModuleLessons::Summary))
                    .col(int(ModuleLessons::Minutes))
                    .col(text(ModuleLessons::BodyMarkdown))
                    .col(text(ModuleLessons::Html))
                    .col(text(ModuleLessons::Headings))
                    .col(text(ModuleLessons::ContentHash))
                    .col(int(ModuleLessons::ChangedInRevision))
                    .foreign_key(&mut belongs_to(
                        ModuleLessons::Table,
                        ModuleLessons::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_module_lessons_module_slug")
                    .table(ModuleLessons::Table)
                    .col(ModuleLessons::ModuleId)
                    .col(ModuleLessons::Slug)
                    .unique()
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleQuestions::Table)
                    .col(id(ModuleQuestions::Id))
                    .col(int(ModuleQuestions::ModuleId))
                    .col(int(ModuleQuestions::Position))
                    .col(text(ModuleQuestions::Key))
                    .col(text(ModuleQuestions::Kind))
                    .col(text(ModuleQuestions::Prompt))
                    .col(text(ModuleQuestions::Explanation))
                    .col(text(ModuleQuestions::Options))
                    .foreign_key(&mut belongs_to(
                        ModuleQuestions::Table,
                        ModuleQuestions::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(ModuleMedia::Table)
                    .col(int(ModuleMedia::ModuleId))
                    .col(text(ModuleMedia::FileName))
                    .col(text(ModuleMedia::ContentType))
                    .col(ColumnDef::new(ModuleMedia::Bytes).blob().not_null())
                    .primary_key(
                        Index::create()
                            .col(ModuleMedia::ModuleId)
                            .col(ModuleMedia::FileName),
                    )
                    .foreign_key(&mut belongs_to(
                        ModuleMedia::Table,
                        ModuleMedia::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LearningRecords::Table)
                    .col(int(LearningRecords::UserId))
                    .col(int(LearningRecords::ModuleId))
                    .col(at(LearningRecords::StartedAt))
                    .col(ColumnDef::new(LearningRecords::LastLesson).text().null())
                    .col(at_null(LearningRecords::PassedAt))
                    .primary_key(
                        Index::create()
                            .col(LearningRecords::UserId)
                            .col(LearningRecords::ModuleId),
                    )
                    .foreign_key(&mut belongs_to(
                        LearningRecords::Table,
                        LearningRecords::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        LearningRecords::Table,
                        LearningRecords::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(LessonProgress::Table)
                    .col(int(LessonProgress::UserId))
                    .col(int(LessonProgress::LessonId))
                    .col(text(LessonProgress::ContentHash))
                    .col(at(LessonProgress::CompletedAt))
                    .primary_key(
                        Index::create()
                            .col(LessonProgress::UserId)
                            .col(LessonProgress::LessonId),
                    )
                    .foreign_key(&mut belongs_to(
                        LessonProgress::Table,
                        LessonProgress::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        LessonProgress::Table,
                        LessonProgress::LessonId,
                        ModuleLessons::Table,
                        ModuleLessons::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(QuizAttempts::Table)
                    .col(id(QuizAttempts::Id))
                    .col(int(QuizAttempts::UserId))
                    .col(int(QuizAttempts::ModuleId))
                    .col(int(QuizAttempts::Revision))
                    .col(text(QuizAttempts::Answers))
                    .col(int(QuizAttempts::Score))
                    .col(ColumnDef::new(QuizAttempts::Passed).boolean().not_null())
                    .col(at(QuizAttempts::CreatedAt))
                    .foreign_key(&mut belongs_to(
                        QuizAttempts::Table,
                        QuizAttempts::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        QuizAttempts::Table,
                        QuizAttempts::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(Certificates::Table)
                    .col(id(Certificates::Id))
                    .col(text(Certificates::Code).unique_key().to_owned())
                    .col(int(Certificates::UserId))
                    .col(int(Certificates::ModuleId))
                    .col(text(Certificates::ModuleTitle))
                    .col(int(Certificates::CpdMinutes))
                    .col(int(Certificates::Revision))
                    .col(at(Certificates::IssuedAt))
                    .foreign_key(&mut belongs_to(
                        Certificates::Table,
                        Certificates::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .foreign_key(&mut belongs_to(
                        Certificates::Table,
                        Certificates::ModuleId,
                        Modules::Table,
                        Modules::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_table(
                Table::create()
                    .table(CpdEntries::Table)
                    .col(id(CpdEntries::Id))
                    .col(int(CpdEntries::UserId))
                    .col(text(CpdEntries::Title))
                    .col(text(CpdEntries::Kind))
                    .col(
                        ColumnDef::new(CpdEntries::Participatory)
                            .boolean()
                            .not_null(),
                    )
                    .col(int(CpdEntries::Minutes))
                    .col(ColumnDef::new(CpdEntries::OccurredOn).date().not_null())
                    .col(text(CpdEntries::Reflection))
                    .col(ColumnDef::new(CpdEntries::Source).text().null())
                    .col(at(CpdEntries::CreatedAt))
                    .foreign_key(&mut belongs_to(
                        CpdEntries::Table,
                        CpdEntries::UserId,
                        Users::Table,
                        Users::Id,
                    ))
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_cpd_entries_user_source")
                    .table(CpdEntries::Table)
                    .col(CpdEntries::UserId)
                    .col(CpdEntries::Source)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in [
            CpdEntries::Table.into_iden(),
            Certificates::Table.into_iden(),
            QuizAttempts::Table.into_iden(),
            LessonProgress::Table.into_iden(),
            LearningRecords::Table.into_iden(),
            ModuleMedia::Table.into_iden(),
            ModuleQuestions::Table.into_iden(),
            ModuleLessons::Table.into_iden(),
            Modules::Table.into_iden(),
        ] {
            manager
                .drop_table(Table::drop().table(table).to_owned())
                .await?;
        }
        Ok(())
    }
}
