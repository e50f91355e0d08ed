//! Files that people upload (library attachments, CPD evidence): the name is cleaned, the size
//! limited and the type decided from the bytes, never the name, with the name's extension
//! required to agree, so a renamed executable or web page is refused wherever files come in.

use crate::{Error, FieldError, Result};

/// Longest uploaded file name.
pub const MAX_FILE_NAME_CHARS: usize = 120;

/// The kinds of file that may be uploaded: (MIME type from the bytes, the extensions a file
/// of that type may have, what people are told it is).
pub const UPLOAD_TYPES: [(&str, &[&str], &str); 8] = [
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

/// Upload settings from configuration.
#[derive(Clone, Debug)]
pub struct UploadSettings {
    /// Largest file accepted, in bytes.
    pub max_bytes: usize,
}

impl Default for UploadSettings {
    fn default() -> Self {
        Self {
            max_bytes: 20 * 1024 * 1024,
        }
    }
}

/// A stored file in a list (without its bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileSummary {
    /// Its name, also the last part of its download address.
    pub file_name: String,
    /// What it is, for people ("PDF", "Word document" …).
    pub kind: String,
    /// Its size in bytes.
    pub size: i64,
}

impl FileSummary {
    /// The summary of a stored file from its name, stored type and size.
    pub fn of(file_name: String, content_type: &str, size: i64) -> Self {
        Self {
            file_name,
            kind: kind_label(content_type).to_owned(),
            size,
        }
    }
}

/// A stored file to download.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StoredFile {
    /// Its name.
    pub file_name: String,
    /// Its type, as checked from the bytes when it was uploaded.
    pub content_type: String,
    /// The file.
    pub bytes: Vec<u8>,
}

/// An upload that passed every check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedUpload {
    /// The cleaned name (no folders, spaces as hyphens).
    pub file_name: String,
    /// The type found in the bytes.
    pub content_type: &'static str,
    /// Its size in bytes.
    pub size: i64,
}

/// Checks an upload of `bytes` named `file_name` against `max_bytes`; a refusal is a field
/// error on `field`.
pub fn check_upload(
    field: &str,
    file_name: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<CheckedUpload> {
    let invalid = |message: String| Error::InvalidFields(vec![FieldError::new(field, message)]);
    let file_name = clean_file_name(file_name).map_err(invalid)?;
    if bytes.is_empty() {
        return Err(invalid("The file is empty".to_owned()));
    }
    if bytes.len() > max_bytes {
        return Err(invalid(format!(
            "The file must be smaller than {} MB",
            max_bytes.div_ceil(1024 * 1024)
        )));
    }
    let content_type = checked_type(&file_name, bytes).map_err(invalid)?;
    let size = i64::try_from(bytes.len()).map_err(|err| Error::Internal(err.to_string()))?;
    Ok(CheckedUpload {
        file_name,
        content_type,
        size,
    })
}

/// The label people see for a stored MIME type.
pub fn kind_label(content_type: &str) -> &'static str {
    UPLOAD_TYPES
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
        return Err("Choose a file to upload".to_owned());
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

/// The MIME type of `bytes` if it is a kind that may be uploaded and `file_name`'s extension
/// agrees with it; otherwise what to tell the person uploading.
fn checked_type(file_name: &str, bytes: &[u8]) -> std::result::Result<&'static str, String> {
    let extension = file_name
        .rsplit('.')
        .next()
        .unwrap_or_default()
        .to_ascii_lowercase();
    let detected = infer::get(bytes).map(|found| found.mime_type());
    let Some((mime, extensions, label)) =
        detected.and_then(|detected| UPLOAD_TYPES.iter().find(|(mime, _, _)| *mime == detected))
    else {
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

    #[test]
    fn empty_and_oversized_files_are_refused_on_the_named_field() {
        let Err(Error::InvalidFields(errors)) = check_upload("evidence", "a.pdf", b"", 100) else {
            panic!("an empty file was accepted");
        };
        assert_eq!(errors[0].field, "evidence");
        let Err(Error::InvalidFields(errors)) = check_upload("file", "a.pdf", PDF, 10) else {
            panic!("an oversized file was accepted");
        };
        assert!(
            errors[0].message.contains("smaller than 1 MB"),
            "{errors:?}"
        );
        let checked = check_upload("file", "My form.pdf", PDF, 1024).unwrap();
        assert_eq!(checked.file_name, "My-form.pdf");
        assert_eq!(checked.size, PDF.len() as i64);
    }
}
