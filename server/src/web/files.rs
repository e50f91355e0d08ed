//! Uploaded files over HTTP, for every area that takes them (library attachments, CPD
//! evidence): reading the one file of a multipart form, and answering a download so that a
//! browser saves it rather than showing it in the site's origin.

use axum::extract::{FromRequest, Multipart, Request};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use domain::uploads::StoredFile;

use crate::router::AppState;

/// Reads the `file` part of an upload: (its name, its bytes). The CSRF layer has already
/// checked the token, sent as the first part.
pub async fn uploaded_file(request: Request, state: &AppState) -> Option<(String, Vec<u8>)> {
    let mut multipart = Multipart::from_request(request, state).await.ok()?;
    while let Ok(Some(field)) = multipart.next_field().await {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_owned();
            let bytes = field.bytes().await.ok()?;
            return Some((name, bytes.to_vec()));
        }
    }
    None
}

/// `file` as a download: always saved, never shown in the page's origin, never sniffed into
/// another type, never cached by anyone but the browser that asked.
pub fn download(file: StoredFile) -> Response {
    (
        [
            (header::CONTENT_TYPE, file.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", file.file_name),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
        ],
        file.bytes,
    )
        .into_response()
}
