//! The guidance library: national standards, clinical guidance, good practice, policy
//! templates, the target operating model and briefings, each with its audience, owner, review
//! date and version history. Every read filters by the actor in the query, so a document for
//! a group is "not found" for everyone else.

pub mod attachment_text;
mod attachments;
mod desk;
pub(crate) mod entities;
mod import;
mod publishing;

use std::collections::{BTreeMap, HashMap};

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, DerivePartialModel, EntityTrait, QueryFilter,
    QueryOrder,
};
use serde::{Deserialize, Serialize};

use crate::access;
use crate::accounts::Actor;
use crate::markdown::Heading;
use crate::{Error, Result};
use entities::{document, version};

pub(crate) use attachments::read_attachment_text;
pub use desk::{DraftSummary, EditorsDesk};
pub use import::{
    DocumentFrontMatter, DocumentSource, MAX_SUMMARY_CHARS, MAX_TITLE_CHARS, SourceFile,
    check_document_links, load_library,
};
pub use publishing::{
    DocumentDraft, DocumentEditor, DocumentStatus, MAX_SLUG_CHARS, RESERVED_DOCUMENT_SLUGS,
};

/// The item kind of library documents in `audience_groups`.
pub(crate) const ITEM_KIND: &str = "library";
/// Most tags on a document.
pub const MAX_TAGS: usize = 8;
/// Documents on one page of the library.
pub const DOCUMENTS_PER_PAGE: usize = 20;

/// What a document is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum DocumentKind {
    /// A national standard.
    Standard,
    /// Clinical guidance.
    ClinicalGuidance,
    /// A good practice example.
    GoodPractice,
    /// A policy or form template to adopt.
    PolicyTemplate,
    /// The target operating model.
    TargetOperatingModel,
    /// A briefing.
    Briefing,
}

impl DocumentKind {
    /// Every kind, in the order the library lists them.
    pub const ALL: [DocumentKind; 6] = [
        DocumentKind::Standard,
        DocumentKind::ClinicalGuidance,
        DocumentKind::GoodPractice,
        DocumentKind::PolicyTemplate,
        DocumentKind::TargetOperatingModel,
        DocumentKind::Briefing,
    ];

    /// The kind in content files and URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentKind::Standard => "standard",
            DocumentKind::ClinicalGuidance => "clinical-guidance",
            DocumentKind::GoodPractice => "good-practice",
            DocumentKind::PolicyTemplate => "policy-template",
            DocumentKind::TargetOperatingModel => "target-operating-model",
            DocumentKind::Briefing => "briefing",
        }
    }

    /// Parses [`DocumentKind::as_str`].
    pub fn parse(text: &str) -> Option<DocumentKind> {
        DocumentKind::ALL
            .into_iter()
            .find(|kind| kind.as_str() == text)
    }

    /// One of the kind, as a label.
    pub fn name(self) -> &'static str {
        match self {
            DocumentKind::Standard => "Standard",
            DocumentKind::ClinicalGuidance => "Clinical guidance",
            DocumentKind::GoodPractice => "Good practice example",
            DocumentKind::PolicyTemplate => "Policy template",
            DocumentKind::TargetOperatingModel => "Target operating model",
            DocumentKind::Briefing => "Briefing",
        }
    }

    /// Several of the kind, for filters.
    pub fn plural(self) -> &'static str {
        match self {
            DocumentKind::Standard => "Standards",
            DocumentKind::ClinicalGuidance => "Clinical guidance",
            DocumentKind::GoodPractice => "Good practice examples",
            DocumentKind::PolicyTemplate => "Policy templates",
            DocumentKind::TargetOperatingModel => "Target operating model",
            DocumentKind::Briefing => "Briefings",
        }
    }
}

/// Who a document is for, as the library's audience filter names it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AudienceFilter {
    /// Open to everyone.
    Public,
    /// For all approved members.
    Members,
    /// For chosen groups only.
    Groups,
}

impl AudienceFilter {
    /// Every value, in order.
    pub const ALL: [AudienceFilter; 3] = [
        AudienceFilter::Public,
        AudienceFilter::Members,
        AudienceFilter::Groups,
    ];

    /// In URLs: the stored audience kind.
    pub fn as_str(self) -> &'static str {
        match self {
            AudienceFilter::Public => "public",
            AudienceFilter::Members => "members",
            AudienceFilter::Groups => "groups",
        }
    }

    /// Parses [`AudienceFilter::as_str`].
    pub fn parse(text: &str) -> Option<AudienceFilter> {
        AudienceFilter::ALL
            .into_iter()
            .find(|audience| audience.as_str() == text)
    }

    /// As a label.
    pub fn label(self) -> &'static str {
        match self {
            AudienceFilter::Public => "Open to everyone",
            AudienceFilter::Members => "All members",
            AudienceFilter::Groups => "Restricted to groups",
        }
    }
}

/// How the library orders documents.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum LibraryOrder {
    /// Most recently changed first.
    #[default]
    Newest,
    /// By title, A to Z.
    Title,
}

impl LibraryOrder {
    /// In URLs.
    pub fn as_str(self) -> &'static str {
        match self {
            LibraryOrder::Newest => "newest",
            LibraryOrder::Title => "title",
        }
    }

    /// Parses [`LibraryOrder::as_str`]; anything else is newest first.
    pub fn parse(text: &str) -> LibraryOrder {
        if text == "title" {
            LibraryOrder::Title
        } else {
            LibraryOrder::Newest
        }
    }
}

/// What the library list is asked for.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibraryQuery {
    /// Only this kind.
    pub kind: Option<DocumentKind>,
    /// Only documents with this tag.
    pub tag: Option<String>,
    /// Only documents with this kind of audience.
    pub audience: Option<AudienceFilter>,
    /// The order.
    pub order: LibraryOrder,
    /// The page, from 1.
    pub page: usize,
}

/// A document in a list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentSummary {
    /// Its address: `/library/<slug>`.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: DocumentKind,
    /// One or two sentences.
    pub summary: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Who may read it.
    pub audience: AudienceFilter,
    /// First published.
    pub published_on: NaiveDate,
    /// Next review due.
    pub review_by: NaiveDate,
    /// True once `review_by` has passed.
    pub review_overdue: bool,
    /// When the live version was made.
    pub updated_at: DateTime<Utc>,
}

/// One page of the library with the counts behind its filters.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LibraryPage {
    /// This page of documents.
    pub documents: Vec<DocumentSummary>,
    /// Documents matching the filters.
    pub total: usize,
    /// The page shown, from 1.
    pub page: usize,
    /// Pages there are.
    pub pages: usize,
    /// Documents of each kind the actor may read (whatever the filters).
    pub kinds: Vec<(DocumentKind, usize)>,
    /// Documents with each tag the actor may read, by tag.
    pub tags: Vec<(String, usize)>,
    /// Documents the actor may read for each kind of audience, in [`AudienceFilter::ALL`]
    /// order.
    pub audiences: Vec<(AudienceFilter, usize)>,
    /// Documents the actor may read past their review date (editors see them listed).
    pub overdue: Vec<DocumentSummary>,
}

/// One version in a document's history.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionSummary {
    /// 1 for the first.
    pub number: i32,
    /// What it changed.
    pub change_note: String,
    /// When it was made.
    pub created_at: DateTime<Utc>,
}

/// A document to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentView {
    /// What lists show.
    pub summary: DocumentSummary,
    /// Who keeps it up to date.
    pub owner: String,
    /// The live version's sanitised HTML.
    pub body_html: String,
    /// Its level-2 and level-3 headings.
    pub headings: Vec<Heading>,
    /// The live version's number.
    pub version: i32,
    /// Every version, newest first.
    pub versions: Vec<VersionSummary>,
    /// Published, or withdrawn (only editors see a withdrawn document).
    pub status: DocumentStatus,
    /// True when the actor may edit it.
    pub may_edit: bool,
    /// True when an editor has saved unpublished changes to it (told to editors only).
    pub has_draft: bool,
    /// Its attachments, by name.
    pub attachments: Vec<crate::uploads::FileSummary>,
}

/// One line of a comparison between two versions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DiffLine {
    /// In both.
    Same(String),
    /// Only in the later version.
    Added(String),
    /// Only in the earlier version.
    Removed(String),
    /// Unchanged lines left out between changes.
    Skipped(usize),
}

/// What changed between two versions of a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct VersionComparison {
    /// The document.
    pub slug: String,
    /// Its live title.
    pub title: String,
    /// The earlier version.
    pub from: VersionSummary,
    /// The later version.
    pub to: VersionSummary,
    /// The title, summary and text, line by line, with unchanged stretches cut down.
    pub lines: Vec<DiffLine>,
}

/// Reads and publishes the library.
#[derive(Clone, Debug)]
pub struct LibraryService {
    db: DatabaseConnection,
    max_attachment_bytes: usize,
    files: crate::files::FileStore,
}

impl LibraryService {
    pub(crate) fn new(
        db: DatabaseConnection,
        uploads: &crate::uploads::UploadSettings,
        files: crate::files::FileStore,
    ) -> Self {
        Self {
            db,
            max_attachment_bytes: uploads.max_bytes,
            files,
        }
    }

    /// One page of the documents `actor` may read, filtered and ordered as asked, with counts
    /// by kind and tag and the documents past their review date.
    pub async fn list(&self, actor: &Actor, query: &LibraryQuery) -> Result<LibraryPage> {
        let today = crate::time::london_today(Utc::now());
        let mut readable: Vec<DocumentSummary> = document::Entity::find()
            .filter(visible_to(actor))
            .order_by_desc(document::Column::UpdatedAt)
            .order_by_asc(document::Column::Title)
            .into_partial_model::<SummaryRow>()
            .all(&self.db)
            .await?
            .iter()
            .filter_map(|row| summary_of(row, today))
            .collect();
        let mut kinds: BTreeMap<DocumentKind, usize> = BTreeMap::new();
        let mut tags: BTreeMap<String, usize> = BTreeMap::new();
        for document in &readable {
            *kinds.entry(document.kind).or_default() += 1;
            for tag in &document.tags {
                *tags.entry(tag.clone()).or_default() += 1;
            }
        }
        let audiences = AudienceFilter::ALL
            .into_iter()
            .map(|audience| {
                let count = readable
                    .iter()
                    .filter(|document| document.audience == audience)
                    .count();
                (audience, count)
            })
            .collect();
        let overdue = readable
            .iter()
            .filter(|document| document.review_overdue)
            .cloned()
            .collect();
        readable.retain(|document| {
            query.kind.is_none_or(|kind| document.kind == kind)
                && query
                    .tag
                    .as_ref()
                    .is_none_or(|tag| document.tags.contains(tag))
                && query
                    .audience
                    .is_none_or(|audience| document.audience == audience)
        });
        if query.order == LibraryOrder::Title {
            readable.sort_by_key(|document| document.title.to_lowercase());
        }
        let total = readable.len();
        let pages = total.div_ceil(DOCUMENTS_PER_PAGE).max(1);
        let page = query.page.clamp(1, pages);
        let documents = readable
            .into_iter()
            .skip((page - 1) * DOCUMENTS_PER_PAGE)
            .take(DOCUMENTS_PER_PAGE)
            .collect();
        Ok(LibraryPage {
            documents,
            total,
            page,
            pages,
            kinds: kinds.into_iter().collect(),
            tags: tags.into_iter().collect(),
            audiences,
            overdue,
        })
    }

    /// The documents of `kinds` that `actor` may read, by title (for the curated pages).
    pub async fn of_kinds(
        &self,
        actor: &Actor,
        kinds: &[DocumentKind],
    ) -> Result<Vec<DocumentSummary>> {
        let today = crate::time::london_today(Utc::now());
        Ok(document::Entity::find()
            .filter(visible_to(actor))
            .filter(document::Column::Kind.is_in(kinds.iter().map(|kind| kind.as_str())))
            .order_by_asc(document::Column::Title)
            .into_partial_model::<SummaryRow>()
            .all(&self.db)
            .await?
            .iter()
            .filter_map(|row| summary_of(row, today))
            .collect())
    }

    /// The document with `slug` and its history, or [`Error::NotFound`] when it is missing or
    /// `actor` may not read it (the same answer either way).
    /// Editors also see a withdrawn document.
    pub async fn get(&self, actor: &Actor, slug: &str) -> Result<DocumentView> {
        let may_edit = self.may_edit(actor).is_ok();
        let row = self.readable_for(actor, slug).await?;
        let attachments = self.attachments_of(row.id).await?;
        let has_draft = may_edit
            && entities::draft::Entity::find()
                .filter(entities::draft::Column::DocumentId.eq(row.id))
                .one(&self.db)
                .await?
                .is_some();
        let versions = version::Entity::find()
            .filter(version::Column::DocumentId.eq(row.id))
            .order_by_desc(version::Column::Number)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|version| version_summary(&version))
            .collect();
        let headings = serde_json::from_str(&row.headings)
            .map_err(|err| Error::Internal(format!("document {slug}: bad headings: {err}")))?;
        let summary = summary_of(
            &SummaryRow::from(&row),
            crate::time::london_today(Utc::now()),
        )
        .ok_or_else(|| Error::Internal(format!("document {slug}: unknown kind")))?;
        Ok(DocumentView {
            summary,
            owner: row.owner,
            body_html: row.body_html,
            headings,
            version: row.version,
            versions,
            status: DocumentStatus::of(&row.status),
            may_edit,
            has_draft,
            attachments,
        })
    }

    /// What changed from version `from` to version `to` of the document with `slug`.
    pub async fn compare(
        &self,
        actor: &Actor,
        slug: &str,
        from: i32,
        to: i32,
    ) -> Result<VersionComparison> {
        let row = self.readable_for(actor, slug).await?;
        let versions: HashMap<i32, version::Model> = version::Entity::find()
            .filter(version::Column::DocumentId.eq(row.id))
            .filter(version::Column::Number.is_in([from, to]))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|version| (version.number, version))
            .collect();
        let (Some(earlier), Some(later)) = (versions.get(&from), versions.get(&to)) else {
            return Err(Error::NotFound);
        };
        Ok(VersionComparison {
            slug: row.slug,
            title: row.title,
            from: version_summary(earlier),
            to: version_summary(later),
            lines: diff_lines(&comparable_text(earlier), &comparable_text(later)),
        })
    }

    async fn readable(&self, actor: &Actor, slug: &str) -> Result<document::Model> {
        document::Entity::find()
            .filter(document::Column::Slug.eq(slug))
            .filter(visible_to(actor))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }
}

/// Records an editor's `action` on the document `slug` in the audit log, inside the caller's
/// transaction. The document is named by its address only: titles and notes of a group's
/// document stay out of the log, which every administrator reads.
async fn audit_document(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    action: &str,
    slug: &str,
    detail: &str,
    origin: &crate::accounts::RequestOrigin,
) -> Result<()> {
    crate::audit::record(
        conn,
        actor,
        action,
        &format!("document:{slug}"),
        detail,
        origin.ip.map(|ip| ip.to_string()).as_deref(),
    )
    .await
}

/// The filter keeping the published documents `actor` may read.
fn visible_to(actor: &Actor) -> Condition {
    Condition::all()
        .add(document::Column::Status.eq(DocumentStatus::Published.as_str()))
        .add(access::visible_to(
            actor,
            ITEM_KIND,
            document::Column::Audience,
            document::Column::Id,
        ))
}

/// The columns a document's summary needs: lists read these, never the bodies.
#[derive(Clone, Debug, DerivePartialModel)]
#[sea_orm(entity = "document::Entity")]
pub(super) struct SummaryRow {
    slug: String,
    title: String,
    kind: String,
    summary: String,
    tags: String,
    audience: String,
    published_on: NaiveDate,
    review_by: NaiveDate,
    updated_at: DateTime<Utc>,
    pub(super) status: String,
}

impl From<&document::Model> for SummaryRow {
    fn from(row: &document::Model) -> Self {
        SummaryRow {
            slug: row.slug.clone(),
            title: row.title.clone(),
            kind: row.kind.clone(),
            summary: row.summary.clone(),
            tags: row.tags.clone(),
            audience: row.audience.clone(),
            published_on: row.published_on,
            review_by: row.review_by,
            updated_at: row.updated_at,
            status: row.status.clone(),
        }
    }
}

fn summary_of(row: &SummaryRow, today: NaiveDate) -> Option<DocumentSummary> {
    Some(DocumentSummary {
        slug: row.slug.clone(),
        title: row.title.clone(),
        kind: DocumentKind::parse(&row.kind)?,
        summary: row.summary.clone(),
        tags: serde_json::from_str(&row.tags).unwrap_or_default(),
        audience: AudienceFilter::parse(&row.audience)?,
        published_on: row.published_on,
        review_by: row.review_by,
        review_overdue: row.review_by < today,
        updated_at: row.updated_at,
    })
}

fn version_summary(version: &version::Model) -> VersionSummary {
    VersionSummary {
        number: version.number,
        change_note: version.change_note.clone(),
        created_at: version.created_at,
    }
}

/// A version's title, summary and text as the lines a comparison shows, every line ending
/// in a newline (so text added after the last line does not show that line as changed).
fn comparable_text(version: &version::Model) -> String {
    format!(
        "# {}\n\n{}\n\n{}\n",
        version.title,
        version.summary,
        version.body_markdown.replace("\r\n", "\n").trim_end()
    )
}

/// Unchanged lines kept around each change.
const CONTEXT_LINES: usize = 2;

/// `before` and `after` compared line by line, keeping [`CONTEXT_LINES`] unchanged lines
/// around each change and counting the rest as skipped.
fn diff_lines(before: &str, after: &str) -> Vec<DiffLine> {
    use similar::{ChangeTag, TextDiff};
    let diff = TextDiff::from_lines(before, after);
    let mut lines = Vec::new();
    let mut shown_through = 0;
    for group in diff.grouped_ops(CONTEXT_LINES) {
        let Some(first) = group.first() else {
            continue;
        };
        let start = first.old_range().start;
        if start > shown_through {
            lines.push(DiffLine::Skipped(start - shown_through));
        }
        for op in &group {
            for change in diff.iter_changes(op) {
                let text = change.value().trim_end_matches('\n').to_owned();
                lines.push(match change.tag() {
                    ChangeTag::Equal => DiffLine::Same(text),
                    ChangeTag::Insert => DiffLine::Added(text),
                    ChangeTag::Delete => DiffLine::Removed(text),
                });
            }
            shown_through = op.old_range().end;
        }
    }
    let total = before.lines().count();
    if total > shown_through && !lines.is_empty() {
        lines.push(DiffLine::Skipped(total - shown_through));
    }
    lines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_comparison_shows_changes_with_a_little_context() {
        let before = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let after = "a\nb\nc\nd\nE\nf\ng\nh\n";
        assert_eq!(
            diff_lines(before, after),
            [
                DiffLine::Skipped(2),
                DiffLine::Same("c".into()),
                DiffLine::Same("d".into()),
                DiffLine::Removed("e".into()),
                DiffLine::Added("E".into()),
                DiffLine::Same("f".into()),
                DiffLine::Same("g".into()),
                DiffLine::Skipped(1),
            ]
        );
        assert!(diff_lines("same\n", "same\n").is_empty());
    }

    #[test]
    fn text_added_after_the_last_line_leaves_that_line_unchanged() {
        let version = |body: &str| version::Model {
            id: 1,
            document_id: 1,
            number: 1,
            title: "T".into(),
            summary: "S".into(),
            body_markdown: body.into(),
            change_note: String::new(),
            created_at: Utc::now(),
        };
        let lines = diff_lines(
            &comparable_text(&version("Last line.\n")),
            &comparable_text(&version("Last line.\r\n\r\nA new line.\r\n")),
        );
        assert!(
            !lines.contains(&DiffLine::Removed("Last line.".into())),
            "{lines:?}"
        );
        assert!(lines.contains(&DiffLine::Added("A new line.".into())));
    }

    #[test]
    fn kinds_round_trip_through_their_names() {
        for kind in DocumentKind::ALL {
            assert_eq!(DocumentKind::parse(kind.as_str()), Some(kind));
        }
        assert_eq!(DocumentKind::parse("guidance"), None);
    }
}
