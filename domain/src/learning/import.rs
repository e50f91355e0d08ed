//! Importing validated modules: a new module is created, a changed one becomes a new revision
//! that keeps learners' progress, completion and certificates.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::entities::{lesson, media, module, question};
use super::{LearningService, StoredOption, to_i32};
use crate::content::ImportReport;
use crate::content::modules::ModuleSource;
use crate::{Error, Result};

/// Where an imported module comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum ImportFrom {
    /// Files under `content/`, read at start or by `ohnet import-content`.
    Files,
    /// An edit made in the app.
    App,
}

impl LearningService {
    /// Imports validated modules read from `content/`: new ones are created; one whose files
    /// changed since they were last imported becomes a new revision (learners keep completed
    /// lessons, which are flagged if the lesson itself changed, and keep their completion and
    /// certificate). Files already imported are skipped, so a module edited in the app since
    /// keeps its edits until its files change. One transaction per module.
    pub async fn import(&self, modules: &[ModuleSource]) -> Result<ImportReport> {
        self.import_from(modules, ImportFrom::Files).await
    }

    pub(super) async fn import_from(
        &self,
        modules: &[ModuleSource],
        from: ImportFrom,
    ) -> Result<ImportReport> {
        let mut report = ImportReport::default();
        for source in modules {
            let txn = self.db.begin().await?;
            let existing = module::Entity::find()
                .filter(module::Column::Slug.eq(&source.slug))
                .one(&txn)
                .await?;
            let now = Utc::now();
            let json = |value: &Vec<String>| serde_json::to_string(value).unwrap_or_default();
            let stored = match existing {
                Some(row) if row.content_hash == source.content_hash => {
                    if from == ImportFrom::Files && row.source_hash != source.content_hash {
                        let mut row = module::ActiveModel::from(row);
                        row.source_hash = Set(source.content_hash.clone());
                        row.update(&txn).await?;
                        txn.commit().await?;
                    }
                    report.unchanged += 1;
                    continue;
                }
                Some(row)
                    if from == ImportFrom::Files && row.source_hash == source.content_hash =>
                {
                    report.unchanged += 1;
                    continue;
                }
                Some(row) => {
                    report.updated += 1;
                    let revision = row.revision + 1;
                    let mut row = module::ActiveModel::from(row);
                    row.revision = Set(revision);
                    row.updated_at = Set(now);
                    row
                }
                None => {
                    report.created += 1;
                    module::ActiveModel {
                        slug: Set(source.slug.clone()),
                        revision: Set(1),
                        updated_at: Set(now),
                        ..Default::default()
                    }
                }
            };
            let mut stored = stored;
            stored.title = Set(source.title.clone());
            stored.summary = Set(source.summary.clone());
            stored.audience = Set(json(&source.audience));
            stored.topics = Set(json(&source.topics));
            stored.estimated_minutes = Set(to_i32(source.estimated_minutes));
            stored.cpd_minutes = Set(to_i32(source.cpd_minutes));
            stored.pass_mark = Set(i32::from(source.pass_mark));
            stored.outcomes = Set(json(&source.outcomes));
            stored.content_hash = Set(source.content_hash.clone());
            stored.source_path = Set(source.source_dir.clone());
            if from == ImportFrom::Files {
                stored.source_hash = Set(source.content_hash.clone());
            } else if stored.source_hash.is_not_set() {
                stored.source_hash = Set(String::new());
            }
            let governance = &source.governance;
            stored.review_status = Set(governance.status.as_str().to_owned());
            stored.authors = Set(json(&governance.authors));
            stored.reviews = Set(serde_json::to_string(&governance.reviews)
                .map_err(|err| Error::Internal(err.to_string()))?);
            stored.next_review_on = Set(governance.next_review);
            let saved = stored.save(&txn).await?;
            let module_id = match saved.id {
                sea_orm::ActiveValue::Set(id) | sea_orm::ActiveValue::Unchanged(id) => id,
                sea_orm::ActiveValue::NotSet => {
                    return Err(Error::Internal("module saved without an id".to_owned()));
                }
            };
            let revision = match saved.revision {
                sea_orm::ActiveValue::Set(revision) | sea_orm::ActiveValue::Unchanged(revision) => {
                    revision
                }
                sea_orm::ActiveValue::NotSet => 1,
            };
            self.import_lessons(&txn, module_id, revision, source)
                .await?;
            question::Entity::delete_many()
                .filter(question::Column::ModuleId.eq(module_id))
                .exec(&txn)
                .await?;
            for (index, item) in source.questions.iter().enumerate() {
                let options: Vec<StoredOption> = item
                    .options
                    .iter()
                    .map(|option| StoredOption {
                        text: option.text.clone(),
                        correct: option.correct,
                        feedback: option.feedback.clone(),
                    })
                    .collect();
                question::ActiveModel {
                    module_id: Set(module_id),
                    position: Set(to_i32(index + 1)),
                    key: Set(item.id.clone()),
                    kind: Set(item.kind.as_str().to_owned()),
                    prompt: Set(item.prompt.clone()),
                    explanation: Set(item.explanation.clone()),
                    options: Set(serde_json::to_string(&options)
                        .map_err(|err| Error::Internal(err.to_string()))?),
                    ..Default::default()
                }
                .insert(&txn)
                .await?;
            }
            media::Entity::delete_many()
                .filter(media::Column::ModuleId.eq(module_id))
                .exec(&txn)
                .await?;
            for file in &source.media {
                // The objects of the media this replaces are swept later ([`crate::files`]).
                let placed = self.files.place(file.bytes.clone()).await?;
                media::ActiveModel {
                    module_id: Set(module_id),
                    file_name: Set(file.file_name.clone()),
                    content_type: Set(file.content_type.clone()),
                    bytes: Set(placed.bytes),
                    object_key: Set(placed.object_key),
                }
                .insert(&txn)
                .await?;
            }
            txn.commit().await?;
        }
        Ok(report)
    }

    /// Lessons are matched by slug so progress survives a revision; a lesson whose content
    /// changed records the revision it changed in.
    async fn import_lessons(
        &self,
        txn: &sea_orm::DatabaseTransaction,
        module_id: i32,
        revision: i32,
        source: &ModuleSource,
    ) -> Result<()> {
        let current = lesson::Entity::find()
            .filter(lesson::Column::ModuleId.eq(module_id))
            .all(txn)
            .await?;
        for old in &current {
            if !source.lessons.iter().any(|lesson| lesson.slug == old.slug) {
                lesson::Entity::delete_by_id(old.id).exec(txn).await?;
            }
        }
        for item in &source.lessons {
            let headings = serde_json::to_string(&item.headings)
                .map_err(|err| Error::Internal(err.to_string()))?;
            let existing = current.iter().find(|old| old.slug == item.slug);
            let mut row = match existing {
                Some(old) => {
                    let changed = old.content_hash != item.content_hash;
                    let mut row = lesson::ActiveModel::from(old.clone());
                    if changed {
                        row.changed_in_revision = Set(revision);
                    }
                    row
                }
                None => lesson::ActiveModel {
                    module_id: Set(module_id),
                    slug: Set(item.slug.clone()),
                    changed_in_revision: Set(revision),
                    ..Default::default()
                },
            };
            row.position = Set(to_i32(item.position));
            row.title = Set(item.title.clone());
            row.summary = Set(item.summary.clone());
            row.minutes = Set(to_i32(item.minutes));
            row.body_markdown = Set(item.body_markdown.clone());
            row.html = Set(item.html.clone());
            row.headings = Set(headings);
            row.content_hash = Set(item.content_hash.clone());
            row.save(txn).await?;
        }
        Ok(())
    }
}
