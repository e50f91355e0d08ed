//! Editors publish library documents in the app: a new document or a change to one is kept
//! as a draft (the fields as typed) until it is published as the next version with its change
//! note, validated by the same rules as `content/library/` files; a published document can be
//! withdrawn and republished. Every action is audited in the same transaction as the change,
//! naming the document by its address only (titles and notes of a group's document stay out
//! of the log, which every administrator reads).
//! An editor sees and edits only documents (and drafts) whose audience admits them, so a
//! group's document stays unknown to editors outside the group.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, IntoActiveModel, QueryFilter, QueryOrder,
    QuerySelect, Set, TransactionTrait, TryIntoModel,
};
use serde::{Deserialize, Serialize};

use super::entities::{document, draft, version};
use super::import::{broken_document_links, json};
use super::{
    DocumentKind, ITEM_KIND, LibraryService, MAX_SUMMARY_CHARS, MAX_TAGS, MAX_TITLE_CHARS,
    audit_document,
};
use crate::access::{self, Audience};
use crate::accounts::entities::group;
use crate::accounts::{Actor, Member, RequestOrigin, Role};
use crate::content::is_slug;
use crate::{Error, FieldError, Result, markdown};

/// Addresses under `/library/` that are the library's own pages, never a document's.
pub const RESERVED_DOCUMENT_SLUGS: [&str; 2] = ["new", "drafts"];
/// Longest web address name.
pub const MAX_SLUG_CHARS: usize = 80;

/// Whether readers see a document.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DocumentStatus {
    /// In the library for its audience.
    Published,
    /// Kept with its history, shown to editors only.
    Withdrawn,
}

impl DocumentStatus {
    /// As stored.
    pub fn as_str(self) -> &'static str {
        match self {
            DocumentStatus::Published => "published",
            DocumentStatus::Withdrawn => "withdrawn",
        }
    }

    pub(crate) fn of(stored: &str) -> DocumentStatus {
        if stored == DocumentStatus::Withdrawn.as_str() {
            DocumentStatus::Withdrawn
        } else {
            DocumentStatus::Published
        }
    }
}

/// A document as an editor types it: every field as text, validated when published.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DocumentDraft {
    /// The web address name (chosen for a new document; fixed afterwards).
    pub slug: String,
    /// Title.
    pub title: String,
    /// [`DocumentKind::as_str`].
    pub kind: String,
    /// One or two sentences.
    pub summary: String,
    /// Tags separated by commas.
    pub tags: String,
    /// `public`, `members` or `groups`.
    pub audience: String,
    /// Group slugs, when the audience is `groups`.
    pub groups: Vec<String>,
    /// Who keeps it up to date.
    pub owner: String,
    /// `YYYY-MM-DD`.
    pub review_by: String,
    /// Markdown.
    pub body: String,
    /// What this version changes.
    pub change_note: String,
}

/// What the edit page shows.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocumentEditor {
    /// The fields: the saved draft if there is one, else the live version.
    pub draft: DocumentDraft,
    /// True for a document not yet published.
    pub is_new: bool,
    /// The live version's number, for a published document.
    pub live_version: Option<i32>,
    /// Published or withdrawn, for an existing document.
    pub status: Option<DocumentStatus>,
    /// When and by whom the draft was last saved, if there is a saved draft.
    pub draft_saved: Option<(chrono::DateTime<Utc>, String)>,
    /// Every group that may be chosen as the audience: (slug, name).
    pub groups: Vec<(String, String)>,
    /// The published document's attachments (none for a new document).
    pub attachments: Vec<crate::uploads::FileSummary>,
}

/// A draft that passed every rule.
struct Publishable {
    title: String,
    kind: DocumentKind,
    summary: String,
    tags: Vec<String>,
    audience: Audience,
    owner: String,
    review_by: NaiveDate,
    body: String,
    change_note: String,
}

impl LibraryService {
    /// Succeeds for editors and administrators.
    pub fn may_edit(&self, actor: &Actor) -> Result<()> {
        actor.require_role(Role::Editor).map(|_| ())
    }

    /// `body` rendered as a document's text would be, for the editor's preview.
    pub fn preview(&self, actor: &Actor, body: &str) -> Result<String> {
        self.may_edit(actor)?;
        Ok(markdown::render(body, markdown::Audience::Author).html)
    }

    /// What the edit page shows for the document `slug`, or for a new document when `slug`
    /// is `None`.
    pub async fn editor(&self, actor: &Actor, slug: Option<&str>) -> Result<DocumentEditor> {
        let member = actor.require_role(Role::Editor)?;
        let groups = group::Entity::find()
            .order_by_asc(group::Column::Name)
            .all(&self.db)
            .await?
            .into_iter()
            .map(|group| (group.slug, group.name))
            .collect();
        let Some(slug) = slug else {
            let today = crate::time::london_today(Utc::now());
            return Ok(DocumentEditor {
                draft: DocumentDraft {
                    kind: DocumentKind::ClinicalGuidance.as_str().to_owned(),
                    audience: Audience::Members.kind().to_owned(),
                    review_by: (today + Duration::days(365)).to_string(),
                    change_note: "First published.".to_owned(),
                    ..DocumentDraft::default()
                },
                is_new: true,
                live_version: None,
                status: None,
                draft_saved: None,
                groups,
                attachments: Vec::new(),
            });
        };
        let saved = self.editable_draft(member, slug).await?;
        let live = self.editable_document(actor, slug).await;
        let live = match (live, &saved) {
            (Ok(live), _) => Some(live),
            (Err(Error::NotFound), Some(_)) => None,
            (Err(err), _) => return Err(err),
        };
        let draft = match (&saved, &live) {
            (Some(saved), _) => draft_of(saved),
            (None, Some(live)) => self.draft_of_live(live).await?,
            (None, None) => return Err(Error::NotFound),
        };
        let attachments = match &live {
            Some(live) => self.attachments_of(live.id).await?,
            None => Vec::new(),
        };
        Ok(DocumentEditor {
            draft,
            attachments,
            is_new: live.is_none(),
            live_version: live.as_ref().map(|live| live.version),
            status: live.as_ref().map(|live| DocumentStatus::of(&live.status)),
            draft_saved: saved.map(|saved| (saved.updated_at, saved.updated_by)),
            groups,
        })
    }

    /// Keeps `draft` as the working copy of the document `slug` (or of a new document when
    /// `slug` is `None`), as typed; returns the slug to edit it at. Only a new document's web
    /// address name is checked, since it identifies the draft.
    pub async fn save_draft(
        &self,
        actor: &Actor,
        slug: Option<&str>,
        draft: &DocumentDraft,
        origin: &RequestOrigin,
    ) -> Result<String> {
        let member = actor.require_role(Role::Editor)?;
        let txn = self.db.begin().await?;
        let (slug, document_id, existing) = match slug {
            Some(slug) => {
                let saved = self.editable_draft(member, slug).await?;
                let live = match self.editable_document(actor, slug).await {
                    Ok(live) => Some(live.id),
                    Err(Error::NotFound) if saved.is_some() => None,
                    Err(err) => return Err(err),
                };
                (slug.to_owned(), live, saved)
            }
            None => {
                let slug = draft.slug.trim().to_owned();
                let problems = self.new_slug_problems(&slug, false).await?;
                if !problems.is_empty() {
                    return Err(Error::InvalidFields(problems));
                }
                (slug, None, None)
            }
        };
        let mut row = match existing {
            Some(existing) => existing.into_active_model(),
            None => draft::ActiveModel {
                slug: Set(slug.clone()),
                document_id: Set(document_id),
                ..Default::default()
            },
        };
        row.title = Set(draft.title.trim().to_owned());
        row.kind = Set(draft.kind.clone());
        row.summary = Set(draft.summary.trim().to_owned());
        row.tags = Set(draft.tags.clone());
        row.audience = Set(draft.audience.clone());
        row.groups = Set(json(&draft.groups)?);
        row.owner = Set(draft.owner.trim().to_owned());
        row.review_by = Set(draft.review_by.trim().to_owned());
        row.body_markdown = Set(draft.body.replace("\r\n", "\n"));
        row.change_note = Set(draft.change_note.trim().to_owned());
        row.updated_at = Set(Utc::now());
        row.updated_by = Set(member.name.clone());
        row.save(&txn).await?;
        audit_document(&txn, actor, "library.save-draft", &slug, "", origin).await?;
        txn.commit().await?;
        Ok(slug)
    }

    /// Publishes `draft` as the next version of the document `slug` (or as a new document
    /// when `slug` is `None`), after checking every field; the saved draft is then gone.
    /// Returns the document's slug. Nothing changes if any rule fails.
    pub async fn publish(
        &self,
        actor: &Actor,
        slug: Option<&str>,
        draft: &DocumentDraft,
        origin: &RequestOrigin,
    ) -> Result<String> {
        let member = actor.require_role(Role::Editor)?;
        let has_own_draft = slug.is_some();
        let (slug, live) = match slug {
            Some(slug) => {
                let saved = self.editable_draft(member, slug).await?;
                match self.editable_document(actor, slug).await {
                    Ok(live) => (slug.to_owned(), Some(live)),
                    Err(Error::NotFound) if saved.is_some() => (slug.to_owned(), None),
                    Err(err) => return Err(err),
                }
            }
            None => (draft.slug.trim().to_owned(), None),
        };
        let mut problems = match (&live, has_own_draft) {
            (None, own_draft) => self.new_slug_problems(&slug, own_draft).await?,
            (Some(_), _) => Vec::new(),
        };
        let known_groups: BTreeSet<String> = group::Entity::find()
            .all(&self.db)
            .await?
            .into_iter()
            .map(|group| group.slug)
            .collect();
        let mut documents: BTreeSet<String> = document::Entity::find()
            .select_only()
            .column(document::Column::Slug)
            .into_tuple::<String>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        documents.insert(slug.clone());
        let today = crate::time::london_today(Utc::now());
        let valid = validate(
            draft,
            live.is_none(),
            today,
            &known_groups,
            &documents,
            &mut problems,
        );
        let valid = match valid {
            Some(valid) if problems.is_empty() => valid,
            _ => return Err(Error::InvalidFields(problems)),
        };
        let rendered = markdown::render(&valid.body, markdown::Audience::Author);
        let now = Utc::now();
        let txn = self.db.begin().await?;
        let (mut row, number) = match &live {
            Some(live) => (live.clone().into_active_model(), live.version + 1),
            None => (
                document::ActiveModel {
                    slug: Set(slug.clone()),
                    published_on: Set(today),
                    source_path: Set(format!("library/{slug}.md")),
                    content_hash: Set(String::new()),
                    status: Set(DocumentStatus::Published.as_str().to_owned()),
                    ..Default::default()
                },
                1,
            ),
        };
        row.title = Set(valid.title.clone());
        row.kind = Set(valid.kind.as_str().to_owned());
        row.summary = Set(valid.summary.clone());
        row.tags = Set(json(&valid.tags)?);
        row.audience = Set(valid.audience.kind().to_owned());
        row.owner = Set(valid.owner.clone());
        row.review_by = Set(valid.review_by);
        row.version = Set(number);
        row.body_markdown = Set(valid.body.clone());
        row.body_html = Set(rendered.html);
        row.headings = Set(json(&rendered.headings)?);
        row.updated_at = Set(now);
        let id = row.save(&txn).await?.try_into_model()?.id;
        access::store_groups(&txn, ITEM_KIND, id, &valid.audience).await?;
        version::ActiveModel {
            document_id: Set(id),
            number: Set(number),
            title: Set(valid.title.clone()),
            summary: Set(valid.summary.clone()),
            body_markdown: Set(valid.body.clone()),
            change_note: Set(valid.change_note.clone()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        draft::Entity::delete_many()
            .filter(draft::Column::Slug.eq(&slug))
            .exec(&txn)
            .await?;
        audit_document(
            &txn,
            actor,
            "library.publish",
            &slug,
            &format!("version {number}"),
            origin,
        )
        .await?;
        txn.commit().await?;
        Ok(slug)
    }

    /// Throws away the saved draft of `slug`; the live version, if any, is untouched.
    pub async fn discard_draft(
        &self,
        actor: &Actor,
        slug: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let member = actor.require_role(Role::Editor)?;
        let saved = self
            .editable_draft(member, slug)
            .await?
            .ok_or(Error::NotFound)?;
        let txn = self.db.begin().await?;
        draft::Entity::delete_by_id(saved.id).exec(&txn).await?;
        audit_document(&txn, actor, "library.discard-draft", slug, "", origin).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Withdraws the document `slug` from readers (`status` withdrawn) or puts it back
    /// (published); its history and address are kept either way.
    pub async fn set_status(
        &self,
        actor: &Actor,
        slug: &str,
        status: DocumentStatus,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Editor)?;
        let live = self.editable_document(actor, slug).await?;
        if DocumentStatus::of(&live.status) == status {
            return Ok(());
        }
        let txn = self.db.begin().await?;
        let mut row = live.into_active_model();
        row.status = Set(status.as_str().to_owned());
        row.update(&txn).await?;
        let action = match status {
            DocumentStatus::Published => "library.republish",
            DocumentStatus::Withdrawn => "library.withdraw",
        };
        audit_document(&txn, actor, action, slug, "", origin).await?;
        txn.commit().await?;
        Ok(())
    }

    /// The document `slug` in any status, if its audience admits `actor`.
    pub(super) async fn editable_document(
        &self,
        actor: &Actor,
        slug: &str,
    ) -> Result<document::Model> {
        document::Entity::find()
            .filter(document::Column::Slug.eq(slug))
            .filter(access::visible_to(
                actor,
                ITEM_KIND,
                document::Column::Audience,
                document::Column::Id,
            ))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }

    /// The saved draft for `slug`, if there is one whose audience admits `member`; a draft
    /// for a group the editor is not in is "not found".
    async fn editable_draft(&self, member: &Member, slug: &str) -> Result<Option<draft::Model>> {
        let found = draft::Entity::find()
            .filter(draft::Column::Slug.eq(slug))
            .one(&self.db)
            .await?;
        match found {
            Some(saved) if !draft_admits(&saved, member) => Err(Error::NotFound),
            other => Ok(other),
        }
    }

    /// What is wrong with `slug` as a new document's web address name (`own_draft`: the
    /// draft already saved under it is this document's).
    async fn new_slug_problems(&self, slug: &str, own_draft: bool) -> Result<Vec<FieldError>> {
        let problem = if slug.is_empty() {
            Some("Enter a web address name".to_owned())
        } else if !is_slug(slug) || slug.chars().count() > MAX_SLUG_CHARS {
            Some(format!(
                "Web address name must be lowercase letters, digits and single hyphens, at most \
                 {MAX_SLUG_CHARS} characters"
            ))
        } else if RESERVED_DOCUMENT_SLUGS.contains(&slug) {
            Some(format!(
                "/library/{slug} is one of the library's own pages: choose another name"
            ))
        } else {
            let taken = document::Entity::find()
                .filter(document::Column::Slug.eq(slug))
                .one(&self.db)
                .await?
                .is_some()
                || (!own_draft
                    && draft::Entity::find()
                        .filter(draft::Column::Slug.eq(slug))
                        .one(&self.db)
                        .await?
                        .is_some());
            taken.then(|| {
                format!(
                    "/library/{slug} is already taken by a document or a draft: choose another name"
                )
            })
        };
        Ok(problem
            .map(|message| vec![FieldError::new("slug", message)])
            .unwrap_or_default())
    }

    /// The live version of `row` as the fields of the edit form (with an empty change note).
    async fn draft_of_live(&self, row: &document::Model) -> Result<DocumentDraft> {
        let groups = access::stored_groups(&self.db, ITEM_KIND, row.id).await?;
        let tags: Vec<String> = serde_json::from_str(&row.tags).unwrap_or_default();
        Ok(DocumentDraft {
            slug: row.slug.clone(),
            title: row.title.clone(),
            kind: row.kind.clone(),
            summary: row.summary.clone(),
            tags: tags.join(", "),
            audience: row.audience.clone(),
            groups,
            owner: row.owner.clone(),
            review_by: row.review_by.to_string(),
            body: row.body_markdown.clone(),
            change_note: String::new(),
        })
    }
}

fn draft_of(saved: &draft::Model) -> DocumentDraft {
    DocumentDraft {
        slug: saved.slug.clone(),
        title: saved.title.clone(),
        kind: saved.kind.clone(),
        summary: saved.summary.clone(),
        tags: saved.tags.clone(),
        audience: saved.audience.clone(),
        groups: serde_json::from_str(&saved.groups).unwrap_or_default(),
        owner: saved.owner.clone(),
        review_by: saved.review_by.clone(),
        body: saved.body_markdown.clone(),
        change_note: saved.change_note.clone(),
    }
}

/// True when a draft's audience (as typed) admits `member`: a draft for groups is seen only
/// by editors in one of them.
pub(super) fn draft_admits(saved: &draft::Model, member: &Member) -> bool {
    if saved.audience != Audience::Groups(Vec::new()).kind() {
        return true;
    }
    let groups: Vec<String> = serde_json::from_str(&saved.groups).unwrap_or_default();
    groups.iter().any(|group| member.groups.contains(group))
}

/// Checks every field of `draft`, pushing one message per problem into `problems` under the
/// field's name; returns the parsed values when the fields could all be read.
fn validate(
    draft: &DocumentDraft,
    is_new: bool,
    today: NaiveDate,
    known_groups: &BTreeSet<String>,
    documents: &BTreeSet<String>,
    problems: &mut Vec<FieldError>,
) -> Option<Publishable> {
    let mut problem = |field: &str, message: String| problems.push(FieldError::new(field, message));
    let title = draft.title.trim();
    if title.is_empty() {
        problem("title", "Enter a title".to_owned());
    } else if title.chars().count() > MAX_TITLE_CHARS {
        problem(
            "title",
            format!("Title must be {MAX_TITLE_CHARS} characters or fewer"),
        );
    }
    let kind = DocumentKind::parse(&draft.kind);
    if kind.is_none() {
        problem("kind", "Choose what kind of document it is".to_owned());
    }
    let summary = draft.summary.trim();
    if summary.is_empty() {
        problem("summary", "Enter a summary".to_owned());
    } else if summary.chars().count() > MAX_SUMMARY_CHARS {
        problem(
            "summary",
            format!("Summary must be {MAX_SUMMARY_CHARS} characters or fewer"),
        );
    }
    let tags: Vec<String> = draft
        .tags
        .split(',')
        .map(|tag| tag.trim().to_lowercase().replace(' ', "-"))
        .filter(|tag| !tag.is_empty())
        .collect::<BTreeSet<_>>()
        .into_iter()
        .collect();
    if tags.is_empty() || tags.len() > MAX_TAGS {
        problem(
            "tags",
            format!("Enter 1 to {MAX_TAGS} tags, separated by commas"),
        );
    } else if let Some(bad) = tags.iter().find(|tag| !is_slug(tag)) {
        problem(
            "tags",
            format!("Tag \u{201c}{bad}\u{201d} must be letters, digits and single hyphens"),
        );
    }
    let audience = match draft.audience.as_str() {
        "public" => Some(Audience::Public),
        "members" => Some(Audience::Members),
        "groups" => {
            let chosen: Vec<String> = draft
                .groups
                .iter()
                .filter(|group| !group.is_empty())
                .cloned()
                .collect::<BTreeSet<_>>()
                .into_iter()
                .collect();
            if chosen.is_empty() {
                problem("groups", "Choose at least one group".to_owned());
                None
            } else if let Some(unknown) = chosen.iter().find(|group| !known_groups.contains(*group))
            {
                problem(
                    "groups",
                    format!("There is no group \u{201c}{unknown}\u{201d}"),
                );
                None
            } else {
                Some(Audience::Groups(chosen))
            }
        }
        _ => {
            problem("audience", "Choose who may read it".to_owned());
            None
        }
    };
    let owner = draft.owner.trim();
    if owner.is_empty() {
        problem(
            "owner",
            "Enter who keeps the document up to date".to_owned(),
        );
    }
    let review_by = NaiveDate::parse_from_str(draft.review_by.trim(), "%Y-%m-%d").ok();
    match review_by {
        None => problem(
            "review_by",
            "Enter the review date as year-month-day, like 2027-12-31".to_owned(),
        ),
        Some(date) if date <= today => problem(
            "review_by",
            format!("Review date must be after today ({today})"),
        ),
        Some(_) => {}
    }
    if draft.body.trim().is_empty() {
        problem("body", "Enter the document's text".to_owned());
    }
    for (line, target, slug) in broken_document_links(&draft.body, documents) {
        problem(
            "body",
            format!(
                "Line {line}: the link to {target} goes nowhere: there is no library document \u{201c}{slug}\u{201d}"
            ),
        );
    }
    let change_note = match draft.change_note.trim() {
        "" if is_new => "First published.".to_owned(),
        "" => {
            problem(
                "change_note",
                "Say what this version changes, for the version history".to_owned(),
            );
            String::new()
        }
        note => note.to_owned(),
    };
    Some(Publishable {
        title: title.to_owned(),
        kind: kind?,
        summary: summary.to_owned(),
        tags,
        audience: audience?,
        owner: owner.to_owned(),
        review_by: review_by?,
        // Browsers send a text area's lines ending CR LF; the stored text ends them LF, like
        // the files under `content/library/`.
        body: draft.body.replace("\r\n", "\n").trim_end().to_owned() + "\n",
        change_note,
    })
}
