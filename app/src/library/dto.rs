//! What the browser receives from the library.

use serde::{Deserialize, Serialize};

use crate::files::FileRow;
use crate::pages::dto::ContentsEntry;

/// A document in a list.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentCard {
    /// Its address is `/library/<slug>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// "Clinical guidance", "Policy template" …
    pub kind: String,
    /// One or two sentences.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// "Open to everyone", "All members" or "Restricted to groups".
    pub audience: String,
    /// When the live version was made, as a UK date.
    pub updated: String,
    /// Next review due, as a UK date.
    pub review_by: String,
    /// True once the review date has passed.
    pub review_overdue: bool,
}

/// One value of a filter with how many documents have it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FilterOption {
    /// The value in the URL.
    pub value: String,
    /// Its label.
    pub label: String,
    /// Documents with it.
    pub count: usize,
}

/// One page of the library.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct LibraryListing {
    /// This page of documents.
    pub documents: Vec<DocumentCard>,
    /// Documents matching the filters.
    pub total: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// Pages there are.
    pub pages: usize,
    /// Kinds with counts.
    pub kinds: Vec<FilterOption>,
    /// Tags with counts.
    pub tags: Vec<FilterOption>,
    /// The audience choices.
    pub audiences: Vec<FilterOption>,
    /// The chosen kind, tag and audience (empty for any), and order.
    pub kind: String,
    /// The chosen tag.
    pub tag: String,
    /// The chosen audience.
    pub audience: String,
    /// `newest` or `title`.
    pub order: String,
    /// Documents past their review date (for editors; empty for everyone else).
    pub overdue: Vec<DocumentCard>,
    /// True when the visitor may publish documents.
    pub may_edit: bool,
}

/// One version in a document's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct VersionRow {
    /// 1 for the first.
    pub number: i32,
    /// What it changed.
    pub change_note: String,
    /// When, as a UK date.
    pub date: String,
}

/// A document to read.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentPage {
    /// What lists show.
    pub card: DocumentCard,
    /// First published, as a UK date.
    pub published: String,
    /// Who keeps it up to date.
    pub owner: String,
    /// Sanitised HTML.
    pub html: String,
    /// On-page contents.
    pub contents: Vec<ContentsEntry>,
    /// The live version's number.
    pub version: i32,
    /// Every version, newest first.
    pub versions: Vec<VersionRow>,
    /// True when withdrawn (only editors are shown a withdrawn document).
    pub withdrawn: bool,
    /// True when the visitor may edit it.
    pub may_edit: bool,
    /// True when an editor has saved unpublished changes (editors only).
    pub has_draft: bool,
    /// Files that come with it.
    pub attachments: Vec<FileRow>,
}

/// A document's fields as the edit form shows them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftFields {
    /// The web address name.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Kind, as in URLs.
    pub kind: String,
    /// Summary.
    pub summary: String,
    /// Tags, separated by commas.
    pub tags: String,
    /// `public`, `members` or `groups`.
    pub audience: String,
    /// Chosen groups.
    pub groups: Vec<String>,
    /// Owner.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub review_by: String,
    /// Markdown.
    pub body: String,
    /// What this version changes.
    pub change_note: String,
}

/// The edit page of a document (or of a new one).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentEditorView {
    /// The fields: the saved draft, else the live version.
    pub fields: DraftFields,
    /// True for a document not yet published.
    pub is_new: bool,
    /// The live version's number, if published.
    pub live_version: Option<i32>,
    /// True when the document is withdrawn.
    pub withdrawn: bool,
    /// "Draft saved 4 December 2026 at 15:02 by Ann Editor", if there is a saved draft.
    pub draft_saved: Option<String>,
    /// Groups that may be chosen: (slug, name).
    pub groups: Vec<(String, String)>,
    /// Kinds: (value, label).
    pub kinds: Vec<(String, String)>,
    /// The published document's attachments.
    pub attachments: Vec<FileRow>,
}

/// A draft on the editors' desk.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftRow {
    /// Edited at `/library/<slug>/edit`.
    pub slug: String,
    /// Title as typed.
    pub title: String,
    /// True for a document not yet published.
    pub is_new: bool,
    /// "4 December 2026 at 15:02 by Ann Editor".
    pub saved: String,
}

/// What editors look after.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorsDeskView {
    /// Unpublished drafts.
    pub drafts: Vec<DraftRow>,
    /// Withdrawn documents.
    pub withdrawn: Vec<DocumentCard>,
    /// Published documents past their review date.
    pub overdue: Vec<DocumentCard>,
}

/// One line of a comparison.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ComparedLine {
    /// In both versions.
    Same(String),
    /// Only in the later one.
    Added(String),
    /// Only in the earlier one.
    Removed(String),
    /// This many unchanged lines left out.
    Skipped(usize),
}

/// What changed between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Comparison {
    /// The document's slug.
    pub slug: String,
    /// Its title.
    pub title: String,
    /// The earlier version.
    pub from: VersionRow,
    /// The later version.
    pub to: VersionRow,
    /// Line by line.
    pub lines: Vec<ComparedLine>,
}

/// A curated page (`/good-practice`, `/tom`): its introduction and documents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CuratedPage {
    /// Title.
    pub title: String,
    /// One or two sentences.
    pub summary: String,
    /// The introduction's sanitised HTML (from `content/pages/`).
    pub intro_html: String,
    /// The main document, shown in full (the target operating model), if any.
    pub main: Option<DocumentPage>,
    /// Related documents, grouped by kind: (kind label, documents).
    pub groups: Vec<(String, Vec<DocumentCard>)>,
}

#[cfg(feature = "ssr")]
impl From<domain::library::DocumentSummary> for DocumentCard {
    fn from(document: domain::library::DocumentSummary) -> Self {
        DocumentCard {
            slug: document.slug,
            title: document.title,
            kind: document.kind.name().to_owned(),
            summary: document.summary,
            tags: document.tags,
            audience: document.audience.label().to_owned(),
            updated: domain::time::london_date(document.updated_at),
            review_by: domain::time::uk_date(document.review_by),
            review_overdue: document.review_overdue,
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::library::VersionSummary> for VersionRow {
    fn from(version: domain::library::VersionSummary) -> Self {
        VersionRow {
            number: version.number,
            change_note: version.change_note,
            date: domain::time::london_date(version.created_at),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::library::DocumentView> for DocumentPage {
    fn from(document: domain::library::DocumentView) -> Self {
        DocumentPage {
            published: domain::time::uk_date(document.summary.published_on),
            card: DocumentCard::from(document.summary),
            owner: document.owner,
            html: document.body_html,
            contents: document
                .headings
                .into_iter()
                .map(|heading| ContentsEntry {
                    level: heading.level,
                    id: heading.id,
                    text: heading.text,
                })
                .collect(),
            version: document.version,
            versions: document
                .versions
                .into_iter()
                .map(VersionRow::from)
                .collect(),
            withdrawn: document.status == domain::library::DocumentStatus::Withdrawn,
            may_edit: document.may_edit,
            has_draft: document.has_draft,
            attachments: document
                .attachments
                .into_iter()
                .map(FileRow::from)
                .collect(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::library::VersionComparison> for Comparison {
    fn from(comparison: domain::library::VersionComparison) -> Self {
        use domain::library::DiffLine;
        Comparison {
            slug: comparison.slug,
            title: comparison.title,
            from: VersionRow::from(comparison.from),
            to: VersionRow::from(comparison.to),
            lines: comparison
                .lines
                .into_iter()
                .map(|line| match line {
                    DiffLine::Same(text) => ComparedLine::Same(text),
                    DiffLine::Added(text) => ComparedLine::Added(text),
                    DiffLine::Removed(text) => ComparedLine::Removed(text),
                    DiffLine::Skipped(count) => ComparedLine::Skipped(count),
                })
                .collect(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::library::DocumentEditor> for DocumentEditorView {
    fn from(editor: domain::library::DocumentEditor) -> Self {
        let draft = editor.draft;
        DocumentEditorView {
            fields: DraftFields {
                slug: draft.slug,
                title: draft.title,
                kind: draft.kind,
                summary: draft.summary,
                tags: draft.tags,
                audience: draft.audience,
                groups: draft.groups,
                owner: draft.owner,
                review_by: draft.review_by,
                body: draft.body,
                change_note: draft.change_note,
            },
            is_new: editor.is_new,
            live_version: editor.live_version,
            withdrawn: editor.status == Some(domain::library::DocumentStatus::Withdrawn),
            draft_saved: editor
                .draft_saved
                .map(|(at, by)| format!("{} by {by}", domain::time::london_date_time(at))),
            groups: editor.groups,
            attachments: editor.attachments.into_iter().map(FileRow::from).collect(),
            kinds: domain::library::DocumentKind::ALL
                .into_iter()
                .map(|kind| (kind.as_str().to_owned(), kind.name().to_owned()))
                .collect(),
        }
    }
}

#[cfg(feature = "ssr")]
impl From<domain::library::EditorsDesk> for EditorsDeskView {
    fn from(desk: domain::library::EditorsDesk) -> Self {
        EditorsDeskView {
            drafts: desk
                .drafts
                .into_iter()
                .map(|draft| DraftRow {
                    saved: format!(
                        "{} by {}",
                        domain::time::london_date_time(draft.updated_at),
                        draft.updated_by
                    ),
                    slug: draft.slug,
                    title: draft.title,
                    is_new: draft.is_new,
                })
                .collect(),
            withdrawn: desk.withdrawn.into_iter().map(DocumentCard::from).collect(),
            overdue: desk.overdue.into_iter().map(DocumentCard::from).collect(),
        }
    }
}
