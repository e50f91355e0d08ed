//! Files that come with a library document (a template as DOCX, a form as PDF, a chart as an
//! image). Editors attach them; whoever may read the document may download them, and nobody
//! else learns they exist. The type is decided from the bytes, never the name, and the name's
//! extension must agree with it, so a renamed executable or web page is refused.

use chrono::Utc;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect, Set,
    TransactionTrait,
};

use super::entities::{attachment, document};
use super::{LibraryService, audit_document};
use crate::accounts::{Actor, RequestOrigin, Role};
use crate::{Error, FieldError, Result};

/// Longest attachment file name.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// The kinds of file a document may carry: (MIME type from the bytes, the extensions a file
/// of that type may have, what readers are told it is).
pub const ATTACHMENT_TYPES: [(&str, &[&str], &str); 8] = [
    ("application/pdf", &["pdf"], "PDF"),
    (
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        &["docx"],
        "Word document",
    ),
    (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        &["xlsx"],
        "Excel spreadsheet",
    ),
    (
        "application/vnd.oasis.opendocument.text",
        &["odt"],
        "OpenDocument text",
    ),
    (
        "application/vnd.oasis.opendocument.spreadsheet",
        &["ods"],
        "OpenDocument spreadsheet",
    ),
    ("image/png", &["png"], "PNG image"),
    ("image/jpeg", &["jpg", "jpeg"], "JPEG image"),
    ("image/webp", &["webp"], "WebP image"),
];

/// An attachment in a document's list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentSummary {
    /// Its name, also the last part of its address: `/library/<slug>/files/<file_name>`.
    pub file_name: String,
    /// What it is, for readers ("PDF", "Word document" …).
    pub kind: String,
    /// Its size in bytes.
    pub size: i64,
}

/// An attachment to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttachmentFile {
    /// Its name.
    pub file_name: String,
    /// Its type, as checked from the bytes when it was attached.
    pub content_type: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// The label readers see for a stored MIME type.
fn kind_label(content_type: &str) -> &'static str {
    ATTACHMENT_TYPES
        .iter()
        .find(|(mime, _, _)| *mime == content_type)
        .map_or("File", |(_, _, label)| label)
}

/// `name` without any folder part, checked: letters, digits, spaces, dots, hyphens and
/// underscores, with an extension.
fn clean_file_name(name: &str) -> std::result::Result<String, String> {
    let base = name
        .rsplit(['/', '\\'])
        .next()
        .unwrap_or_default()
        .trim()
        .to_owned();
    if base.is_empty() {
        return Err("Choose a file to attach".to_owned());
    }
    if base.chars().count() > MAX_FILE_NAME_CHARS {
        return Err(format!(
            "The file name must be {MAX_FILE_NAME_CHARS} characters or fewer"
        ));
    }
    let allowed = |c: char| c.is_ascii_alphanumeric() || matches!(c, ' ' | '.' | '-' | '_');
    if !base.chars().all(allowed) || base.starts_with('.') || !base.contains('.') {
        return Err(
            "The file name may use letters, digits, spaces, dots, hyphens and underscores, and \
             must end with its type, like referral-form.docx"
                .to_owned(),
        );
    }
    Ok(base.replace(' ', "-"))
}

/// The MIME type of `bytes` if it is a kind a document may carry and `file_name`'s extension
/// agrees with it; otherwise what to tell the editor.
fn checked_type(file_name: &str, bytes: &[u8]) -> std::result::Result<&'static str, String> {
    let extension = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let detected = infer::get(bytes).map(|found| found.mime_type());
    let Some((mime, extensions, label)) = detected.and_then(|detected| {
        ATTACHMENT_TYPES
            .iter()
            .find(|(mime, _, _)| *mime == detected)
    }) else {
        return Err(
            "The file must be a PDF, a Word or Excel document, an OpenDocument text or \
             spreadsheet, or a PNG, JPEG or WebP image (its contents are checked, not only \
             its name)"
                .to_owned(),
        );
    };
    if !extensions.contains(&extension.as_str()) {
        return Err(format!(
            "The file's contents are a {label}, but its name ends .{extension}: rename it to \
             end .{}",
            extensions[0]
        ));
    }
    Ok(mime)
}

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
        let invalid =
            |message: String| Error::InvalidFields(vec![FieldError::new("file", message)]);
        let file_name = clean_file_name(file_name).map_err(invalid)?;
        if bytes.is_empty() {
            return Err(invalid("The file is empty".to_owned()));
        }
        let limit = self.max_attachment_bytes;
        if bytes.len() > limit {
            return Err(invalid(format!(
                "The file must be smaller than {} MB",
                limit.div_ceil(1024 * 1024)
            )));
        }
        let content_type = checked_type(&file_name, &bytes).map_err(invalid)?;
        let size = i64::try_from(bytes.len()).map_err(|err| Error::Internal(err.to_string()))?;
        let txn = self.db.begin().await?;
        attachment::Entity::delete_many()
            .filter(attachment::Column::DocumentId.eq(row.id))
            .filter(attachment::Column::FileName.eq(&file_name))
            .exec(&txn)
            .await?;
        attachment::ActiveModel {
            document_id: Set(row.id),
            file_name: Set(file_name.clone()),
            content_type: Set(content_type.to_owned()),
            size: Set(size),
            bytes: Set(bytes),
            uploaded_at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
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
    ) -> Result<AttachmentFile> {
        let row = self.readable_for(actor, slug).await?;
        let found = attachment::Entity::find()
            .filter(attachment::Column::DocumentId.eq(row.id))
            .filter(attachment::Column::FileName.eq(file_name))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(AttachmentFile {
            file_name: found.file_name,
            content_type: found.content_type,
            bytes: found.bytes,
        })
    }

    /// The attachments of the document with id `document_id`, by name (without their bytes).
    pub(super) async fn attachments_of(&self, document_id: i32) -> Result<Vec<AttachmentSummary>> {
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
            .map(|(file_name, content_type, size)| AttachmentSummary {
                kind: kind_label(&content_type).to_owned(),
                file_name,
                size,
            })
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

#[cfg(test)]
mod tests {
    use super::*;

    const PDF: &[u8] = b"%PDF-1.7\n1 0 obj\n<<>>\nendobj\n";
    const PNG: &[u8] = &[
        0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D,
    ];

    #[test]
    fn the_type_comes_from_the_bytes_and_the_name_must_agree() {
        assert_eq!(checked_type("form.pdf", PDF), Ok("application/pdf"));
        assert_eq!(checked_type("chart.PNG", PNG), Ok("image/png"));
        let renamed = checked_type("form.pdf", PNG).unwrap_err();
        assert!(
            renamed.contains("PNG image") && renamed.contains(".png"),
            "{renamed}"
        );
        assert!(checked_type("page.pdf", b"<html><script>alert(1)</script>").is_err());
        assert!(checked_type("tool.pdf", b"MZ\x90\x00\x03\x00\x00\x00").is_err());
    }

    #[test]
    fn file_names_lose_folders_and_refuse_odd_characters() {
        assert_eq!(
            clean_file_name("C:\\Users\\me\\Referral form.docx"),
            Ok("Referral-form.docx".to_owned())
        );
        assert_eq!(
            clean_file_name("../../etc/passwd.pdf"),
            Ok("passwd.pdf".to_owned())
        );
        assert!(clean_file_name("no-extension").is_err());
        assert!(clean_file_name(".hidden.pdf").is_err());
        assert!(clean_file_name("quote\".pdf").is_err());
        assert!(clean_file_name("").is_err());
    }
}
