//! The words inside each library attachment, read once when it is attached or imported, so
//! that search finds a document by what its template or spreadsheet says without unpacking
//! files on every index rebuild. Attaching, replacing or removing a file now tells the search
//! index that its document changed.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261204_000013_change_log::{Followed, follow_statements, unfollow_statements};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum LibraryAttachments {
    Table,
    /// `NULL` until read, and for files whose text is not read (PDFs, images).
    Text,
}

const ATTACHMENTS: Followed = Followed {
    table: "library_attachments",
    subject: "'document:' || {row}.document_id",
    columns: &["text", "file_name", "document_id"],
};

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .alter_table(
                Table::alter()
                    .table(LibraryAttachments::Table)
                    .add_column(ColumnDef::new(LibraryAttachments::Text).text().null())
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        for statement in follow_statements(manager.get_database_backend(), &ATTACHMENTS) {
            db.execute_unprepared(&statement).await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for statement in unfollow_statements(manager.get_database_backend(), &ATTACHMENTS) {
            db.execute_unprepared(&statement).await?;
        }
        manager
            .alter_table(
                Table::alter()
                    .table(LibraryAttachments::Table)
                    .drop_column(LibraryAttachments::Text)
                    .to_owned(),
            )
            .await
    }
}
