//! Uploaded files on pages: the list (download links, a Remove button each) and the upload
//! form, shared by library attachments and CPD evidence. The upload is a plain multipart form
//! that works without JavaScript.

use leptos::prelude::*;
use serde::{Deserialize, Serialize};

use crate::forms::{ErrorSummary, FormFields, FormSpec, form_state};

/// An uploaded file in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FileRow {
    /// Its name, the last part of its download address.
    pub file_name: String,
    /// "PDF", "Word document" …
    pub kind: String,
    /// "240 KB", "1.2 MB".
    pub size: String,
}

#[cfg(feature = "ssr")]
impl From<domain::uploads::FileSummary> for FileRow {
    fn from(file: domain::uploads::FileSummary) -> Self {
        let size = match file.size {
            bytes if bytes < 1024 * 1024 => format!("{} KB", (bytes + 1023) / 1024),
            bytes => format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0)),
        };
        FileRow {
            file_name: file.file_name,
            kind: file.kind,
            size,
        }
    }
}

/// The files, each a download link from `download_base/<name>`, with a Remove button when
/// `remove` gives the form and the parameters of its action before the file's name.
#[component]
pub fn FileList(
    files: Vec<FileRow>,
    #[prop(into)] download_base: String,
    remove: Option<(FormSpec, Vec<String>)>,
    empty: &'static str,
) -> impl IntoView {
    if files.is_empty() {
        return view! { <p>{empty}</p> }.into_any();
    }
    view! {
        <ul class="list">
            {files.into_iter().map(|file| {
                let remove = remove.clone().map(|(spec, params)| {
                    let mut params = params;
                    params.push(file.file_name.clone());
                    let params: Vec<&str> = params.iter().map(String::as_str).collect();
                    let action = spec.action_with(&params);
                    let label = format!("Remove {}", file.file_name);
                    view! {
                        <form method="post" action=action class="inline-form">
                            <FormFields form_id=spec.instance(&file.file_name) />
                            <button type="submit" class="button button--secondary button--small" aria-label=label>"Remove"</button>
                        </form>
                    }
                });
                view! {
                    <li class="attachment-row">
                        <a href=format!("{download_base}/{}", file.file_name) download="">{file.file_name.clone()}</a>
                        {format!(" ({}, {}) ", file.kind, file.size)}
                        {remove}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A multipart form with one file field, `file`, and its error.
#[component]
pub fn FileUpload(
    form: FormSpec,
    #[prop(into)] action: String,
    label: &'static str,
    button: &'static str,
    #[prop(optional)] hint: &'static str,
) -> impl IntoView {
    let state = form_state(form.id);
    let error = state.error("file");
    let group_class = if error.is_some() {
        "form-group form-group--error"
    } else {
        "form-group"
    };
    let described = if error.is_some() {
        "file-hint file-error"
    } else {
        "file-hint"
    };
    view! {
        <ErrorSummary state=state.clone() />
        <form method="post" action=action enctype="multipart/form-data" novalidate>
            <FormFields form_id=form.id />
            <div class=group_class>
                <label class="label" for="field-file">{label}</label>
                <div class="hint" id="file-hint">
                    "A PDF, Word or Excel document, OpenDocument text or spreadsheet, or a PNG, JPEG or WebP image. A file with the same name replaces the one uploaded. "
                    {hint}
                </div>
                {error.map(|message| view! {
                    <p class="error-message" id="file-error"><span class="visually-hidden">"Error: "</span>{message}</p>
                })}
                <input class="file-upload" id="field-file" name="file" type="file" aria-describedby=described accept=".pdf,.docx,.xlsx,.odt,.ods,.png,.jpg,.jpeg,.webp" />
            </div>
            <button type="submit" class="button button--secondary">{button}</button>
        </form>
    }
}
