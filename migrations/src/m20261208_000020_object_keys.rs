//! Where a stored file's bytes are: in the row's `bytes` column (the default, and every file
//! stored before this), or, when the site keeps files in an S3-compatible object store, under
//! the row's `object_key` there, with `bytes` left empty. One nullable column on each table
//! that holds files: lesson media, library attachments and CPD evidence.

use sea_orm_migration::prelude::*;

#[derive(DeriveMigrationName)]
pub struct Migration;

/// The tables that hold files.
const TABLES: [&str; 3] = ["module_media", "library_attachments", "cpd_evidence"];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .add_column(ColumnDef::new(Alias::new("object_key")).text().null())
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        for table in TABLES {
            manager
                .alter_table(
                    Table::alter()
                        .table(Alias::new(table))
                        .drop_column(Alias::new("object_key"))
                        .to_owned(),
                )
                .await?;
        }
        Ok(())
    }
}
