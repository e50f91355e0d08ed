//! The editors' desk: what editors have to look after in the library, namely unpublished
//! drafts, withdrawn documents and published documents past their review date, each only if
//! its audience admits the editor.

use chrono::Utc;
use sea_orm::{EntityTrait, QueryFilter, QueryOrder};

use super::entities::{document, draft};
use super::publishing::{DocumentStatus, draft_admits};
use super::{DocumentSummary, ITEM_KIND, LibraryService, SummaryRow, summary_of};
use crate::Result;
use crate::access;
use crate::accounts::{Actor, Role};

/// A draft on the editors' desk.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DraftSummary {
    /// Where it is edited: `/library/<slug>/edit`.
    pub slug: String,
    /// Title as typed.
    pub title: String,
    /// True for a document not yet published.
    pub is_new: bool,
    /// When it was last saved.
    pub updated_at: chrono::DateTime<Utc>,
    /// Who saved it.
    pub updated_by: String,
}

/// What editors have to look after.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EditorsDesk {
    /// Unpublished drafts, newest first.
    pub drafts: Vec<DraftSummary>,
    /// Withdrawn documents.
    pub withdrawn: Vec<DocumentSummary>,
    /// Published documents past their review date.
    pub overdue: Vec<DocumentSummary>,
}

impl LibraryService {
    /// The drafts, withdrawn documents and overdue reviews an editor may see.
    pub async fn desk(&self, actor: &Actor) -> Result<EditorsDesk> {
        let member = actor.require_role(Role::Editor)?;
        let drafts = draft::Entity::find()
            .order_by_desc(draft::Column::UpdatedAt)
            .all(&self.db)
            .await?
            .into_iter()
            .filter(|saved| draft_admits(saved, member))
            .map(|saved| DraftSummary {
                is_new: saved.document_id.is_none(),
                slug: saved.slug,
                title: saved.title,
                updated_at: saved.updated_at,
                updated_by: saved.updated_by,
            })
            .collect();
        let today = crate::time::london_today(Utc::now());
        let documents: Vec<(DocumentStatus, DocumentSummary)> = document::Entity::find()
            .filter(access::visible_to(
                actor,
                ITEM_KIND,
                document::Column::Audience,
                document::Column::Id,
            ))
            .order_by_asc(document::Column::ReviewBy)
            .into_partial_model::<SummaryRow>()
            .all(&self.db)
            .await?
            .iter()
            .filter_map(|row| Some((DocumentStatus::of(&row.status), summary_of(row, today)?)))
            .collect();
        let (withdrawn, published): (Vec<_>, Vec<_>) = documents
            .into_iter()
            .partition(|(status, _)| *status == DocumentStatus::Withdrawn);
        Ok(EditorsDesk {
            drafts,
            withdrawn: withdrawn.into_iter().map(|(_, summary)| summary).collect(),
            overdue: published
                .into_iter()
                .map(|(_, summary)| summary)
                .filter(|summary| summary.review_overdue)
                .collect(),
        })
    }
}
