//! Files that come with a library document (a template as DOCX, a form as PDF, a chart as an
//! image). Editors attach them; whoever may read the document may download them, and nobody
//! else learns they exist. Names, sizes and types are checked as every upload is
//! ([`crate::uploads`]).

use chrono::Utc;
use sea_orm::sea_query::Expr;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, QuerySelect, Set, TransactionTrait,
};

use super::attachment_text::{read_later, searchable_text, text_on_attach};
use super::entities::{attachment, document};
use super::{LibraryService, audit_document};
use crate::accounts::{Actor, RequestOrigin, Role};
use crate::files::FileStore;
use crate::jobs::{self, Job};
use crate::uploads::{FileSummary, StoredFile, check_upload};
use crate::{Error, Result};

impl LibraryService {
    /// Attaches `bytes` as `file_name` to the document `slug` (replacing an attachment of the
    /// same name), after checking the name, the size and the type from the bytes.
    pub async fn attach(
        &self,
        actor: &Actor,
        slug: &str,
        file_name: &str,
        bytes: Vec<u8>,
        origin: &RequestOrigin,
    ) -> Result<String> {
        actor.require_role(Role::Editor)?;
        let row = self.editable_document(actor, slug).await?;
        let checked = check_upload("file", file_name, &bytes, self.max_attachment_bytes)?;
        let (file_name, content_type, size) =
            (checked.file_name, checked.content_type, checked.size);
        let text = text_on_attach(content_type, &bytes);
        let placed = self.files.place(bytes).await?;
        let txn = self.db.begin().await?;
        attachment::Entity::delete_many()
            .filter(attachment::Column::DocumentId.eq(row.id))
            .filter(attachment::Column::FileName.eq(&file_name))
            .exec(&txn)
            .await?;
        let stored = attachment::ActiveModel {
            document_id: Set(row.id),
            file_name: Set(file_name.clone()),
            content_type: Set(content_type.to_owned()),
            size: Set(size),
            text: Set(text),
            bytes: Set(placed.bytes),
            object_key: Set(placed.object_key),
            uploaded_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        read_text_later(&txn, stored.id, content_type).await?;
        audit_document(
            &txn,
            actor,
            "library.attach",
            slug,
            &format!("{file_name} ({size} bytes, {content_type})"),
            origin,
        )
        .await?;
        txn.commit().await?;
        Ok(file_name)
    }

    /// Removes the attachment `file_name` from the document `slug`.
    pub async fn remove_attachment(
        &self,
        actor: &Actor,
        slug: &str,
        file_name: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Editor)?;
        let row = self.editable_document(actor, slug).await?;
        let txn = self.db.begin().await?;
        let removed = attachment::Entity::delete_many()
            .filter(attachment::Column::DocumentId.eq(row.id))
            .filter(attachment::Column::FileName.eq(file_name))
            .exec(&txn)
            .await?;
        if removed.rows_affected == 0 {
            return Err(Error::NotFound);
        }
        audit_document(
            &txn,
            actor,
            "library.remove-attachment",
            slug,
            file_name,
            origin,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// The attachment `file_name` of the document `slug`, for whoever may read the document
    /// (editors also while it is withdrawn); "not found" for everyone else.
    pub async fn attachment(
        &self,
        actor: &Actor,
        slug: &str,
        file_name: &str,
    ) -> Result<StoredFile> {
        let row = self.readable_for(actor, slug).await?;
        let found = attachment::Entity::find()
            .filter(attachment::Column::DocumentId.eq(row.id))
            .filter(attachment::Column::FileName.eq(file_name))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(StoredFile {
            file_name: found.file_name,
            content_type: found.content_type,
            bytes: self
                .files
                .read(found.bytes, found.object_key.as_deref())
                .await?,
        })
    }

    /// The attachments of the document with id `document_id`, by name (without their bytes).
    pub(super) async fn attachments_of(&self, document_id: i32) -> Result<Vec<FileSummary>> {
        let rows: Vec<(String, String, i64)> = attachment::Entity::find()
            .select_only()
            .columns([
                attachment::Column::FileName,
                attachment::Column::ContentType,
                attachment::Column::Size,
            ])
            .filter(attachment::Column::DocumentId.eq(document_id))
            .order_by_asc(attachment::Column::FileName)
            .into_tuple()
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|(file_name, content_type, size)| FileSummary::of(file_name, &content_type, size))
            .collect())
    }

    /// The document `slug` as `actor` may read it: published and in its audience, or, for
    /// editors, in any status.
    pub(super) async fn readable_for(&self, actor: &Actor, slug: &str) -> Result<document::Model> {
        if self.may_edit(actor).is_ok() {
            self.editable_document(actor, slug).await
        } else {
            self.readable(actor, slug).await
        }
    }
}

/// Queues the reading of the text of the attachment `attachment_id`, just stored, when its type
/// is [`read_later`], in the caller's transaction.
pub(super) async fn read_text_later(
    conn: &impl ConnectionTrait,
    attachment_id: i32,
    content_type: &str,
) -> Result<()> {
    if read_later(content_type) {
        jobs::enqueue(conn, Job::ReadAttachmentText { attachment_id }, Utc::now()).await?;
    }
    Ok(())
}

/// Reads and stores the words of the attachment `attachment_id` if they are still unread (the
/// job [`Job::ReadAttachmentText`]; nothing happens when the file has been replaced or removed
/// since). The file is read off the async threads. A file without readable words stores empty
/// text, so it is not queued again; storing the text tells the search index, through the
/// change log, that its document changed.
pub(crate) async fn read_attachment_text(
    db: &DatabaseConnection,
    files: &FileStore,
    attachment_id: i32,
) -> Result<()> {
    let Some(row) = attachment::Entity::find_by_id(attachment_id)
        .filter(attachment::Column::Text.is_null())
        .one(db)
        .await?
    else {
        return Ok(());
    };
    let content_type = row.content_type;
    let bytes = files.read(row.bytes, row.object_key.as_deref()).await?;
    let text = tokio::task::spawn_blocking(move || {
        searchable_text(&content_type, &bytes).unwrap_or_default()
    })
    .await
    .map_err(|err| Error::Internal(format!("reading an attachment's text: {err}")))?;
    attachment::Entity::update_many()
        .col_expr(attachment::Column::Text, Expr::value(text))
        .filter(attachment::Column::Id.eq(attachment_id))
        .filter(attachment::Column::Text.is_null())
        .exec(db)
        .await?;
    Ok(())
}
