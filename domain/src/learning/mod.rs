//! eLearning: modules imported from `content/modules/`, the catalogue, lessons with progress
//! and "resume", the knowledge check with per-question feedback, certificates checkable by
//! code, and the automatic CPD entry on passing.
//!
//! Who sees what: anyone may browse the catalogue and read a module's overview (so people
//! thinking of joining can see what the network offers); lessons, the knowledge check and
//! progress are for approved members; a certificate's verification page is public to whoever
//! has its code.

mod assessment;
mod catalogue;
mod editor;
pub(crate) mod entities;
mod export;
mod import;
mod media;
mod member_data;
mod outline;
mod progress;
mod review;
mod views;

pub use editor::LessonDraft;
pub use export::lesson_file_name;
pub(crate) use outline::{LearnerProgress, ModuleContent};
pub use review::{ReviewDraft, ReviewForm};
pub use views::{
    AttemptResult, Catalogue, CatalogueFilter, CertificateView, CheckQuestion, KnowledgeCheck,
    LearnerStatus, LessonSummary, LessonView, MediaFile, ModuleCard, ModuleOverview, OptionResult,
    QuestionResult,
};

use sea_orm::{ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder};
use serde::{Deserialize, Serialize};

use crate::{Error, Result};
use entities::{module, question};

/// A stored option of a question.
#[derive(Clone, Debug, Serialize, Deserialize)]
struct StoredOption {
    text: String,
    correct: bool,
    feedback: String,
}

/// The learning service.
#[derive(Clone, Debug)]
pub struct LearningService {
    db: DatabaseConnection,
    files: crate::files::FileStore,
    cache: std::sync::Arc<crate::node_cache::NodeCache>,
}

impl LearningService {
    pub(crate) fn new(
        db: DatabaseConnection,
        files: crate::files::FileStore,
        cache: std::sync::Arc<crate::node_cache::NodeCache>,
    ) -> Self {
        Self { db, files, cache }
    }

    async fn module_by_slug(&self, slug: &str) -> Result<module::Model> {
        module::Entity::find()
            .filter(module::Column::Slug.eq(slug))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }

    async fn questions_of(
        &self,
        module_id: i32,
    ) -> Result<Vec<(question::Model, Vec<StoredOption>)>> {
        let rows = question::Entity::find()
            .filter(question::Column::ModuleId.eq(module_id))
            .order_by_asc(question::Column::Position)
            .all(&self.db)
            .await?;
        rows.into_iter()
            .map(|row| {
                let options: Vec<StoredOption> = serde_json::from_str(&row.options)
                    .map_err(|err| Error::Internal(format!("stored options unreadable: {err}")))?;
                Ok((row, options))
            })
            .collect()
    }
}

pub(crate) fn parse_list(json: &str) -> Vec<String> {
    serde_json::from_str(json).unwrap_or_default()
}

fn to_i32(value: impl TryInto<i32>) -> i32 {
    value.try_into().unwrap_or(i32::MAX)
}
