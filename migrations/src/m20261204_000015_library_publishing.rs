//! Publishing library documents in the app: a document can be withdrawn (kept, but shown to
//! nobody but editors) and republished; editors keep one working draft per document (or per
//! new document) until they publish it as the next version or discard it.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LibraryDocuments {
    Table,
    Id,
    /// `published` or `withdrawn`.
    Status,
}

#[derive(DeriveIden)]
enum LibraryDrafts {
    Table,
    Id,
    /// The web address name: the document's, or the one chosen for a new document.
    Slug,
    /// The document this draft changes; none for a document not yet published.
    DocumentId,
    Title,
    Kind,
    Summary,
    /// Tags as typed (comma-separated).
    Tags,
    /// `public`, `members` or `groups`.
    Audience,
    /// JSON array of group slugs.
    Groups,
    Owner,
    /// As typed, `YYYY-MM-DD`.
    ReviewBy,
    BodyMarkdown,
    ChangeNote,
    UpdatedAt,
    UpdatedBy,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LibraryDocuments::Table)
                    .add_column(
                        ColumnDef::new(LibraryDocuments::Status)
                            .text()
                            .not_null()
                            .default("published"),
                    )
                    .to_owned(),
            )
            .await?;
        use LibraryDrafts as D;
        let text = |column: D| ColumnDef::new(column).text().not_null().to_owned();
        manager
            .create_table(
                Table::create()
                    .table(D::Table)
                    .col(
                        ColumnDef::new(D::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(D::Slug).text().not_null().unique_key())
                    .col(ColumnDef::new(D::DocumentId).integer().null().unique_key())
                    .col(text(D::Title))
                    .col(text(D::Kind))
                    .col(text(D::Summary))
                    .col(text(D::Tags))
                    .col(text(D::Audience))
                    .col(text(D::Groups))
                    .col(text(D::Owner))
                    .col(text(D::ReviewBy))
                    .col(text(D::BodyMarkdown))
                    .col(text(D::ChangeNote))
                    .col(
                        ColumnDef::new(D::UpdatedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .col(ColumnDef::new(D::UpdatedBy).text().not_null())
                    .foreign_key(
                        ForeignKey::create()
                            .from(D::Table, D::DocumentId)
                            .to(LibraryDocuments::Table, LibraryDocuments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LibraryDrafts::Table).to_owned())
            .await?;
        manager
            .alter_table(
                Table::alter()
                    .table(LibraryDocuments::Table)
                    .drop_column(LibraryDocuments::Status)
                    .to_owned(),
            )
            .await
    }
}
