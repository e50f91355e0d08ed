//! Attachments of library documents (PDF, office documents, images), stored in the database
//! with the type checked from their bytes, readable by whoever may read the document.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LibraryDocuments {
    Table,
    Id,
}

#[derive(DeriveIden)]
enum LibraryAttachments {
    Table,
    Id,
    DocumentId,
    FileName,
    /// Checked from the bytes.
    ContentType,
    Size,
    Bytes,
    UploadedAt,
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        use LibraryAttachments as A;
        manager
            .create_table(
                Table::create()
                    .table(A::Table)
                    .col(
                        ColumnDef::new(A::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(A::DocumentId).integer().not_null())
                    .col(ColumnDef::new(A::FileName).text().not_null())
                    .col(ColumnDef::new(A::ContentType).text().not_null())
                    .col(ColumnDef::new(A::Size).big_integer().not_null())
                    .col(ColumnDef::new(A::Bytes).blob().not_null())
                    .col(
                        ColumnDef::new(A::UploadedAt)
                            .timestamp_with_time_zone()
                            .not_null(),
                    )
                    .foreign_key(
                        ForeignKey::create()
                            .from(A::Table, A::DocumentId)
                            .to(LibraryDocuments::Table, LibraryDocuments::Id)
                            .on_delete(ForeignKeyAction::Cascade),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("library_attachments_by_document")
                    .table(A::Table)
                    .col(A::DocumentId)
                    .col(A::FileName)
                    .unique()
                    .to_owned(),
            )
            .await
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .drop_table(Table::drop().table(LibraryAttachments::Table).to_owned())
            .await
    }
}
