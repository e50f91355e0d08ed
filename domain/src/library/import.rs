//! Library documents under `content/library/<slug>.md`: reading and validating them (with
//! `path:line: message` errors), checking every link to a document from pages, lessons and
//! documents, and storing them idempotently: an unchanged file changes nothing, a changed one
//! becomes a new version with its change note. A document's attachments live beside it in
//! `content/library/<slug>/`, checked like any upload; when that folder is there, the
//! document's attachments become exactly its files.

use std::collections::BTreeSet;
use std::path::Path;

use chrono::{NaiveDate, Utc};
use pulldown_cmark::{Event, Parser, Tag};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait, TryIntoModel,
};
use serde::Deserialize;
use toml::Spanned;
use toml::value::Datetime;

use super::attachment_text::{read_later, searchable_text, text_on_attach};
use super::attachments::read_text_later;
use super::entities::{attachment, document, version};
use super::{DocumentKind, ITEM_KIND, LibraryService, MAX_TAGS};
use crate::access::{self, Audience};
use crate::content::{
    ContentError, Document, ImportReport, content_hash, is_slug, parse_audience, parse_document,
    sorted_markdown_files,
};
use crate::files::{self, FileStore};
use crate::markdown::{self, Rendered};
use crate::{Error, Result};

/// Longest title.
pub const MAX_TITLE_CHARS: usize = 150;
/// Longest summary.
pub const MAX_SUMMARY_CHARS: usize = 300;

/// Front matter of a library document, between `+++` lines at the top of
/// `content/library/<slug>.md`. Every field but `audience` is required.
///
/// ```toml
/// +++
/// title = "Management referral template and guidance for managers"
/// kind = "policy-template"
/// summary = "One or two sentences for lists and search results."
/// tags = ["referrals", "managers"]
/// audience = ["members"]
/// owner = "ohnet editorial team"
/// published = 2026-12-04
/// review_by = 2027-12-04
/// change_note = "First published."
/// +++
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DocumentFrontMatter {
    /// The document's title, at most 150 characters.
    pub title: Spanned<String>,
    /// `standard`, `clinical-guidance`, `good-practice`, `policy-template`,
    /// `target-operating-model` or `briefing`.
    pub kind: Spanned<String>,
    /// One or two sentences for lists and search results, at most 300 characters.
    pub summary: Spanned<String>,
    /// One to eight lowercase slugs, for the library's tag filter.
    pub tags: Spanned<Vec<Spanned<String>>>,
    /// Who may read it: left out for the public, `["members"]` for every approved member, or
    /// group slugs for those groups only (everyone else never learns it exists).
    pub audience: Option<Spanned<Vec<Spanned<String>>>>,
    /// Who keeps it up to date (a person's role or a team).
    pub owner: Spanned<String>,
    /// When it was first published: a date alone, not in the future.
    pub published: Spanned<Datetime>,
    /// When it must next be reviewed: a date after `published`. Readers are told once it has
    /// passed, and editors see it listed.
    pub review_by: Spanned<Datetime>,
    /// What this version changed; recorded in the version history when the file changes.
    pub change_note: Spanned<String>,
    /// `true` to keep the document but show it to editors only.
    pub withdrawn: Option<bool>,
}

/// A validated document ready to store.
#[derive(Clone, Debug)]
pub struct DocumentSource {
    /// From the file name: `content/library/x.md` → `x`, served at `/library/x`.
    pub slug: String,
    /// Path relative to the content folder.
    pub source_path: String,
    /// The title.
    pub title: String,
    /// What kind of document it is.
    pub kind: DocumentKind,
    /// The summary.
    pub summary: String,
    /// Tag slugs.
    pub tags: Vec<String>,
    /// Who may read it.
    pub audience: Audience,
    /// Who keeps it up to date.
    pub owner: String,
    /// First published.
    pub published_on: NaiveDate,
    /// Next review due.
    pub review_by: NaiveDate,
    /// What this version changed.
    pub change_note: String,
    /// Kept but shown to editors only.
    pub withdrawn: bool,
    /// The Markdown body.
    pub body_markdown: String,
    /// The body rendered through the author pipeline.
    pub rendered: Rendered,
    /// SHA-256 of the file (and of its attachments, when it has a folder of them).
    pub content_hash: String,
    /// The files in `content/library/<slug>/`, by name; `None` when there is no such folder
    /// (the document's attachments are then left as the app has them).
    pub attachments: Option<Vec<SourceFile>>,
}

/// A file that comes with a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SourceFile {
    /// Its name, as it is served (`/library/<slug>/files/<name>`).
    pub file_name: String,
    /// The type its bytes show.
    pub content_type: &'static str,
    /// Its contents.
    pub bytes: Vec<u8>,
}

/// Reads the attachments folder of the document `slug`, if there is one, checking each file as
/// an upload is checked; a problem is reported against the file.
fn load_attachments(
    dir: &Path,
    slug: &str,
    errors: &mut Vec<ContentError>,
) -> Option<Vec<SourceFile>> {
    let folder = dir.join("library").join(slug);
    if !folder.is_dir() {
        return None;
    }
    let mut problem = |path: &Path, message: String| {
        errors.push(ContentError {
            path: path.to_path_buf(),
            line: 1,
            message,
        });
    };
    let mut paths: Vec<_> = match std::fs::read_dir(&folder) {
        Ok(entries) => entries.flatten().map(|entry| entry.path()).collect(),
        Err(err) => {
            problem(
                &folder,
                format!("cannot read the attachments folder: {err}"),
            );
            return Some(Vec::new());
        }
    };
    paths.sort();
    let max_bytes = crate::uploads::UploadSettings::default().max_bytes;
    let mut files = Vec::new();
    for path in paths {
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned())
            .unwrap_or_default();
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                problem(&path, format!("cannot read this attachment: {err}"));
                continue;
            }
        };
        match crate::uploads::check_upload("file", &name, &bytes, max_bytes) {
            Ok(checked) if checked.file_name != name => problem(
                &path,
                format!("rename this attachment `{}`", checked.file_name),
            ),
            Ok(checked) => files.push(SourceFile {
                file_name: checked.file_name,
                content_type: checked.content_type,
                bytes,
            }),
            Err(Error::InvalidFields(found)) => {
                for field in found {
                    problem(&path, field.message);
                }
            }
            Err(other) => problem(&path, other.to_string()),
        }
    }
    Some(files)
}

/// The hash that tells a changed document: its file's, and its attachments' when it has them.
fn document_hash(text: &str, attachments: Option<&[SourceFile]>) -> String {
    let Some(files) = attachments else {
        return content_hash(text.as_bytes());
    };
    let mut hashed = text.as_bytes().to_vec();
    hashed.extend_from_slice(b"\n\0attachments");
    for file in files {
        hashed.push(0);
        hashed.extend_from_slice(file.file_name.as_bytes());
        hashed.push(0);
        hashed.extend_from_slice(content_hash(&file.bytes).as_bytes());
    }
    content_hash(&hashed)
}

/// Whether the stored attachment `row` is exactly the file `file` (read from `content/`).
fn held(row: &attachment::Model, file: &SourceFile) -> bool {
    files::holds(&row.bytes, row.object_key.as_deref(), &file.bytes)
}

/// Makes the attachments of the document `document_id` exactly `files`, leaving an unchanged
/// file untouched.
async fn store_attachments(
    conn: &impl sea_orm::ConnectionTrait,
    store: &FileStore,
    document_id: i32,
    files: &[SourceFile],
) -> Result<()> {
    let stored = attachment::Entity::find()
        .filter(attachment::Column::DocumentId.eq(document_id))
        .all(conn)
        .await?;
    for row in &stored {
        let kept = files
            .iter()
            .any(|file| file.file_name == row.file_name && held(row, file));
        if !kept {
            attachment::Entity::delete_by_id(row.id).exec(conn).await?;
        }
    }
    for file in files {
        let unchanged = stored
            .iter()
            .find(|row| row.file_name == file.file_name && held(row, file));
        if let Some(row) = unchanged {
            // Kept from before its text was read: read it now (and only then, not every start),
            // or queue the job again if it gave up.
            if row.text.is_none() {
                if read_later(file.content_type) {
                    read_text_later(conn, row.id, file.content_type).await?;
                } else if let Some(text) = searchable_text(file.content_type, &file.bytes) {
                    attachment::ActiveModel {
                        id: Set(row.id),
                        text: Set(Some(text)),
                        ..Default::default()
                    }
                    .update(conn)
                    .await?;
                }
            }
            continue;
        }
        let text = text_on_attach(file.content_type, &file.bytes);
        let placed = store.place(file.bytes.clone()).await?;
        let stored = attachment::ActiveModel {
            document_id: Set(document_id),
            file_name: Set(file.file_name.clone()),
            content_type: Set(file.content_type.to_owned()),
            size: Set(i64::try_from(file.bytes.len()).unwrap_or(i64::MAX)),
            bytes: Set(placed.bytes),
            object_key: Set(placed.object_key),
            uploaded_at: Set(Utc::now()),
            text: Set(text),
            ..Default::default()
        }
        .insert(conn)
        .await?;
        read_text_later(conn, stored.id, file.content_type).await?;
    }
    Ok(())
}

/// Reads and validates every document under `dir/library/` (a missing folder is no documents),
/// reporting each problem into `errors`.
pub fn load_library(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<DocumentSource> {
    if !dir.join("library").is_dir() {
        return Vec::new();
    }
    let today = crate::time::london_today(Utc::now());
    sorted_markdown_files(dir, "library", errors)
        .iter()
        .filter_map(|path| load_document(dir, path, today, errors))
        .collect()
}

fn load_document(
    dir: &Path,
    path: &Path,
    today: NaiveDate,
    errors: &mut Vec<ContentError>,
) -> Option<DocumentSource> {
    let at = |line: usize, message: String| ContentError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let (text, slug) = crate::content::read_content_file(path, errors)?;
    let before = errors.len();
    if !is_slug(&slug) || slug.len() > 80 {
        errors.push(at(
            1,
            format!(
                "file name `{slug}` must be lowercase letters, digits and single hyphens, at \
                 most 80 characters"
            ),
        ));
    }
    let document: Document<DocumentFrontMatter> = match parse_document(path, &text) {
        Ok(document) => document,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    let front = &document.front;
    let line = |span: std::ops::Range<usize>| document.line_of(span.start);
    for (field, value, longest) in [
        ("title", &front.title, Some(MAX_TITLE_CHARS)),
        ("summary", &front.summary, Some(MAX_SUMMARY_CHARS)),
        ("owner", &front.owner, None),
        ("change_note", &front.change_note, None),
    ] {
        let written = value.get_ref().trim();
        if written.is_empty() {
            errors.push(at(
                line(value.span()),
                format!("`{field}` must not be blank"),
            ));
        } else if let Some(longest) = longest
            && written.chars().count() > longest
        {
            errors.push(at(
                line(value.span()),
                format!("`{field}` must be at most {longest} characters"),
            ));
        }
    }
    let kind = DocumentKind::parse(front.kind.get_ref());
    if kind.is_none() {
        errors.push(at(
            line(front.kind.span()),
            format!(
                "unknown kind `{}`: use one of {}",
                front.kind.get_ref(),
                DocumentKind::ALL.map(DocumentKind::as_str).join(", ")
            ),
        ));
    }
    let tags = front.tags.get_ref();
    if tags.is_empty() || tags.len() > MAX_TAGS {
        errors.push(at(
            line(front.tags.span()),
            format!("`tags` must list 1 to {MAX_TAGS} tags"),
        ));
    }
    for tag in tags {
        if !is_slug(tag.get_ref()) {
            errors.push(at(
                line(tag.span()),
                format!(
                    "tag `{}` must be lowercase letters, digits and single hyphens",
                    tag.get_ref()
                ),
            ));
        }
    }
    let audience = parse_audience(
        front.audience.as_ref(),
        &|offset| document.line_of(offset),
        errors,
        &at,
    );
    let mut problem = |span: std::ops::Range<usize>, message: String| {
        errors.push(at(document.line_of(span.start), message));
    };
    let published = crate::content::modules::date_of(&front.published, &mut problem);
    let review_by = crate::content::modules::date_of(&front.review_by, &mut problem);
    if let Some(published) = published
        && published > today
    {
        problem(
            front.published.span(),
            format!("`published` ({published}) must not be in the future"),
        );
    }
    if let (Some(published), Some(review_by)) = (published, review_by)
        && review_by <= published
    {
        problem(
            front.review_by.span(),
            format!("`review_by` ({review_by}) must be after `published` ({published})"),
        );
    }
    let attachments = load_attachments(dir, &slug, errors);
    if errors.len() > before {
        return None;
    }
    let (kind, published_on, review_by) = (kind?, published?, review_by?);
    Some(DocumentSource {
        source_path: path
            .strip_prefix(dir)
            .unwrap_or(path)
            .to_string_lossy()
            .into_owned(),
        title: front.title.get_ref().trim().to_owned(),
        kind,
        summary: front.summary.get_ref().trim().to_owned(),
        tags: tags.iter().map(|tag| tag.get_ref().clone()).collect(),
        audience,
        owner: front.owner.get_ref().trim().to_owned(),
        published_on,
        review_by,
        change_note: front.change_note.get_ref().trim().to_owned(),
        withdrawn: front.withdrawn.unwrap_or(false),
        rendered: markdown::render(&document.body, markdown::Audience::Author),
        body_markdown: document.body,
        content_hash: document_hash(&text, attachments.as_deref()),
        attachments,
        slug,
    })
}

/// Reports every link to `/library/<slug>` in the pages, lessons and documents under `dir`
/// whose slug is not among `documents`, with the line it is on.
pub fn check_document_links(
    dir: &Path,
    documents: &BTreeSet<String>,
    errors: &mut Vec<ContentError>,
) {
    let mut files = Vec::new();
    let mut ignored = Vec::new();
    for folder in ["pages", "library"] {
        if dir.join(folder).is_dir() {
            files.extend(sorted_markdown_files(dir, folder, &mut ignored));
        }
    }
    if let Ok(modules) = std::fs::read_dir(dir.join("modules")) {
        for module in modules.flatten() {
            if let Ok(mut lessons) = crate::content::markdown_files(&module.path()) {
                lessons.sort();
                files.extend(lessons);
            }
        }
    }
    for path in files {
        let Ok(text) = std::fs::read_to_string(&path) else {
            continue;
        };
        for (line, target, slug) in broken_document_links(&text, documents) {
            errors.push(ContentError {
                path: path.clone(),
                line,
                message: format!("link to `{target}`: there is no library document `{slug}`"),
            });
        }
    }
}

/// Every link in the Markdown `text` to `/library/<slug>` whose slug is not among
/// `documents`: (line, link, slug).
pub(super) fn broken_document_links(
    text: &str,
    documents: &BTreeSet<String>,
) -> Vec<(usize, String, String)> {
    links_in(text)
        .into_iter()
        .filter_map(|(offset, target)| {
            let rest = target.strip_prefix("/library/")?;
            let slug = rest.split(['#', '?', '/']).next().unwrap_or_default();
            (!slug.is_empty() && !documents.contains(slug)).then(|| {
                let line = text[..offset].matches('\n').count() + 1;
                (line, target.clone(), slug.to_owned())
            })
        })
        .collect()
}

/// Every link destination in the Markdown `text`, with its byte offset.
fn links_in(text: &str) -> Vec<(usize, String)> {
    Parser::new_ext(text, markdown::parser_options())
        .into_offset_iter()
        .filter_map(|(event, range)| match event {
            Event::Start(Tag::Link { dest_url, .. }) => Some((range.start, dest_url.to_string())),
            _ => None,
        })
        .collect()
}

impl LibraryService {
    /// Stores each document whose file changed, in one transaction: a new document is version
    /// 1, a changed one the next version with its change note; an unchanged file changes
    /// nothing.
    pub async fn import(&self, sources: &[DocumentSource]) -> Result<ImportReport> {
        let txn = self.db.begin().await?;
        let mut report = ImportReport::default();
        let now = Utc::now();
        for source in sources {
            let existing = document::Entity::find()
                .filter(document::Column::Slug.eq(&source.slug))
                .one(&txn)
                .await?;
            let (mut row, number) = match existing {
                Some(row) if row.content_hash == source.content_hash => {
                    report.unchanged += 1;
                    continue;
                }
                Some(row) if same_as_live(&txn, &row, source).await? => {
                    // Written out by `export-content`, or only its attachments changed: adopt
                    // the file without a new version.
                    if let Some(files) = &source.attachments {
                        store_attachments(&txn, &self.files, row.id, files).await?;
                    }
                    let mut row = document::ActiveModel::from(row);
                    row.content_hash = Set(source.content_hash.clone());
                    row.source_path = Set(source.source_path.clone());
                    row.update(&txn).await?;
                    report.unchanged += 1;
                    continue;
                }
                Some(row) => {
                    report.updated += 1;
                    let number = row.version + 1;
                    (document::ActiveModel::from(row), number)
                }
                None => {
                    report.created += 1;
                    (
                        document::ActiveModel {
                            slug: Set(source.slug.clone()),
                            ..Default::default()
                        },
                        1,
                    )
                }
            };
            row.title = Set(source.title.clone());
            row.kind = Set(source.kind.as_str().to_owned());
            row.summary = Set(source.summary.clone());
            row.tags = Set(json(&source.tags)?);
            row.audience = Set(source.audience.kind().to_owned());
            row.owner = Set(source.owner.clone());
            row.published_on = Set(source.published_on);
            row.review_by = Set(source.review_by);
            row.version = Set(number);
            row.body_markdown = Set(source.body_markdown.clone());
            row.body_html = Set(source.rendered.html.clone());
            row.headings = Set(json(&source.rendered.headings)?);
            row.source_path = Set(source.source_path.clone());
            row.content_hash = Set(source.content_hash.clone());
            row.updated_at = Set(now);
            row.status = Set(if source.withdrawn {
                super::DocumentStatus::Withdrawn
            } else {
                super::DocumentStatus::Published
            }
            .as_str()
            .to_owned());
            let id = row.save(&txn).await?.try_into_model()?.id;
            access::store_groups(&txn, ITEM_KIND, id, &source.audience).await?;
            if let Some(files) = &source.attachments {
                store_attachments(&txn, &self.files, id, files).await?;
            }
            version::ActiveModel {
                document_id: Set(id),
                number: Set(number),
                title: Set(source.title.clone()),
                summary: Set(source.summary.clone()),
                body_markdown: Set(source.body_markdown.clone()),
                change_note: Set(source.change_note.clone()),
                created_at: Set(now),
                ..Default::default()
            }
            .insert(&txn)
            .await?;
        }
        txn.commit().await?;
        Ok(report)
    }
}

/// True when `source` says exactly what the live version of `row` says (a file exported
/// from the database, or one edited back to the live text).
async fn same_as_live(
    conn: &impl sea_orm::ConnectionTrait,
    row: &document::Model,
    source: &DocumentSource,
) -> Result<bool> {
    let tags: Vec<String> = serde_json::from_str(&row.tags).unwrap_or_default();
    let audience = Audience::from_stored(
        &row.audience,
        access::stored_groups(conn, ITEM_KIND, row.id).await?,
    )?;
    Ok(row.title == source.title
        && row.kind == source.kind.as_str()
        && row.summary == source.summary
        && tags == source.tags
        && audience == source.audience
        && row.owner == source.owner
        && row.published_on == source.published_on
        && row.review_by == source.review_by
        && row.body_markdown.trim() == source.body_markdown.trim()
        && (row.status == super::DocumentStatus::Withdrawn.as_str()) == source.withdrawn)
}

/// A document's front matter as `export-content` writes it.
#[derive(serde::Serialize)]
struct FrontMatterOut {
    title: String,
    kind: String,
    summary: String,
    tags: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    audience: Option<Vec<String>>,
    owner: String,
    published: Datetime,
    review_by: Datetime,
    change_note: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    withdrawn: Option<bool>,
}

impl LibraryService {
    /// Writes every document's live version (including edits made in the app) to
    /// `dir/library/<slug>.md` in the format `content/library/` uses, and its attachments to
    /// `dir/library/<slug>/` (a folder holding exactly them); returns how many documents.
    pub async fn export(&self, dir: &Path) -> Result<usize> {
        use sea_orm::QueryOrder;
        let folder = dir.join("library");
        let io = |err: std::io::Error| {
            Error::Internal(format!("cannot write {}: {err}", folder.display()))
        };
        std::fs::create_dir_all(&folder).map_err(io)?;
        let documents = document::Entity::find()
            .order_by_asc(document::Column::Slug)
            .all(&self.db)
            .await?;
        for row in &documents {
            let latest = version::Entity::find()
                .filter(version::Column::DocumentId.eq(row.id))
                .filter(version::Column::Number.eq(row.version))
                .one(&self.db)
                .await?;
            let audience = match row.audience.as_str() {
                "public" => None,
                "members" => Some(vec!["members".to_owned()]),
                _ => Some(access::stored_groups(&self.db, ITEM_KIND, row.id).await?),
            };
            let date = |date: NaiveDate| {
                date.to_string()
                    .parse::<Datetime>()
                    .map_err(|err| Error::Internal(format!("date {date}: {err}")))
            };
            let front = FrontMatterOut {
                title: row.title.clone(),
                kind: row.kind.clone(),
                summary: row.summary.clone(),
                tags: serde_json::from_str(&row.tags).unwrap_or_default(),
                audience,
                owner: row.owner.clone(),
                published: date(row.published_on)?,
                review_by: date(row.review_by)?,
                change_note: latest
                    .map(|latest| latest.change_note)
                    .unwrap_or_else(|| "First published.".to_owned()),
                withdrawn: (row.status == super::DocumentStatus::Withdrawn.as_str())
                    .then_some(true),
            };
            let front = toml::to_string(&front)
                .map_err(|err| Error::Internal(format!("document {}: {err}", row.slug)))?;
            let text = format!("+++\n{front}+++\n\n{}\n", row.body_markdown.trim_end());
            std::fs::write(folder.join(format!("{}.md", row.slug)), text).map_err(io)?;
            let mut files = Vec::new();
            for file in attachment::Entity::find()
                .filter(attachment::Column::DocumentId.eq(row.id))
                .all(&self.db)
                .await?
            {
                let bytes = self
                    .files
                    .read(file.bytes, file.object_key.as_deref())
                    .await?;
                files.push((file.file_name, bytes));
            }
            write_attachments(&folder.join(&row.slug), &files).map_err(io)?;
        }
        Ok(documents.len())
    }
}

/// Makes `folder` hold exactly `files` (and not exist when there are none).
fn write_attachments(folder: &Path, files: &[(String, Vec<u8>)]) -> std::io::Result<()> {
    if files.is_empty() {
        if folder.is_dir() {
            std::fs::remove_dir_all(folder)?;
        }
        return Ok(());
    }
    std::fs::create_dir_all(folder)?;
    for entry in std::fs::read_dir(folder)? {
        let path = entry?.path();
        let name = path
            .file_name()
            .map(|name| name.to_string_lossy().into_owned());
        if !files
            .iter()
            .any(|(file_name, _)| Some(file_name) == name.as_ref())
        {
            std::fs::remove_file(&path)?;
        }
    }
    for (file_name, bytes) in files {
        std::fs::write(folder.join(file_name), bytes)?;
    }
    Ok(())
}

pub(super) fn json(value: &impl serde::Serialize) -> Result<String> {
    serde_json::to_string(value).map_err(|err| Error::Internal(err.to_string()))
}
