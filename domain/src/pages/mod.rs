//! Content pages (home, about, target operating model …): reading them and importing new
//! revisions from `content/pages/`.

pub(crate) mod entity;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, Set,
    TransactionTrait, TryIntoModel,
};

use crate::access;
use crate::accounts::Actor;
use crate::content::{ImportReport, PageSource};
use crate::markdown::Heading;
use crate::{Error, Result};
use entity::{ActiveModel, Column, Entity};

/// The slug of the page served at `/`.
pub const HOME_SLUG: &str = "home";

/// A page as shown to a reader.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Page {
    /// URL slug.
    pub slug: String,
    /// Title, shown as the `<h1>`.
    pub title: String,
    /// One or two sentences under the title.
    pub summary: String,
    /// Sanitised HTML body.
    pub body_html: String,
    /// Outline for the on-page table of contents.
    pub headings: Vec<Heading>,
    /// When this revision was imported.
    pub updated_at: DateTime<Utc>,
}

/// Where the page with `slug` is served: `/` for the home page, `/<slug>` otherwise.
pub fn page_path(slug: &str) -> String {
    if slug == HOME_SLUG {
        "/".to_owned()
    } else {
        format!("/{slug}")
    }
}

/// The item kind of pages in `audience_groups`.
pub(crate) const ITEM_KIND: &str = "page";

/// Reads and imports content pages. Most pages are public; a page may be restricted to
/// members or to groups, and every read filters by the actor in the query.
#[derive(Clone, Debug)]
pub struct PageService {
    db: DatabaseConnection,
}

impl PageService {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// The page with `slug`, or [`Error::NotFound`] when it is missing or `actor` may not
    /// read it (the same answer either way).
    pub async fn get(&self, actor: &Actor, slug: &str) -> Result<Page> {
        let model = Entity::find()
            .filter(Column::Slug.eq(slug))
            .filter(visible_to(actor))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let headings = serde_json::from_str(&model.headings)
            .map_err(|err| Error::Internal(format!("page {slug}: bad headings: {err}")))?;
        Ok(Page {
            slug: model.slug,
            title: model.title,
            summary: model.summary,
            body_html: model.body_html,
            headings,
            updated_at: model.imported_at,
        })
    }

    /// Stores each validated page whose content hash changed, in one transaction: either every
    /// page is stored or none is.
    pub async fn import(&self, sources: &[PageSource]) -> Result<ImportReport> {
        let txn = self.db.begin().await?;
        let mut report = ImportReport::default();
        let now = Utc::now();
        for source in sources {
            let headings = serde_json::to_string(&source.rendered.headings)
                .map_err(|err| Error::Internal(err.to_string()))?;
            let existing = Entity::find()
                .filter(Column::Slug.eq(&source.slug))
                .one(&txn)
                .await?;
            let (mut row, revision) = match existing {
                Some(row) if row.content_hash == source.content_hash => {
                    report.unchanged += 1;
                    continue;
                }
                Some(row) => {
                    report.updated += 1;
                    let revision = row.revision + 1;
                    (ActiveModel::from(row), revision)
                }
                None => {
                    report.created += 1;
                    (
                        ActiveModel {
                            slug: Set(source.slug.clone()),
                            ..Default::default()
                        },
                        1,
                    )
                }
            };
            row.title = Set(source.title.clone());
            row.summary = Set(source.summary.clone());
            row.source_path = Set(source.source_path.clone());
            row.body_markdown = Set(source.body_markdown.clone());
            row.body_html = Set(source.rendered.html.clone());
            row.headings = Set(headings);
            row.content_hash = Set(source.content_hash.clone());
            row.revision = Set(revision);
            row.imported_at = Set(now);
            row.audience = Set(source.audience.kind().to_owned());
            let id = row.save(&txn).await?.try_into_model()?.id;
            access::store_groups(&txn, ITEM_KIND, id, &source.audience).await?;
        }
        txn.commit().await?;
        Ok(report)
    }
}

/// The filter keeping the pages `actor` may read.
fn visible_to(actor: &Actor) -> Condition {
    access::visible_to(actor, ITEM_KIND, Column::Audience, Column::Id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn home_is_served_at_root() {
        assert_eq!(page_path("home"), "/");
        assert_eq!(page_path("about"), "/about");
    }
}
