//! Browsing: the catalogue with each learner's status, its topics, and a module's overview
//! with progress and where to resume.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{certificate, lesson, module, question, record};
use super::outline::OutlineLesson;
use super::review::governance_of;
use super::views::{card_of, status_of};
use super::{
    Catalogue, CatalogueFilter, LearningService, LessonSummary, ModuleOverview, parse_list,
};
use crate::accounts::Actor;
use crate::{Error, Result};

impl LearningService {
    /// The catalogue, in title order, with the learner's status on each module and what the
    /// visitor may do with it.
    pub async fn catalogue(&self, actor: &Actor, filter: &CatalogueFilter) -> Result<Catalogue> {
        let modules = module::Entity::find()
            .order_by_asc(module::Column::Title)
            .all(&self.db)
            .await?;
        let lesson_counts: HashMap<i32, i64> = lesson::Entity::find()
            .select_only()
            .column(lesson::Column::ModuleId)
            .column_as(lesson::Column::Id.count(), "lessons")
            .group_by(lesson::Column::ModuleId)
            .into_tuple::<(i32, i64)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let records = self.records_of(actor).await?;
        let editor_today = self.editor_today(actor);
        let mut cards = Vec::new();
        for row in modules {
            let count = lesson_counts
                .get(&row.id)
                .and_then(|count| usize::try_from(*count).ok())
                .unwrap_or(0);
            let status = status_of(records.get(&row.id));
            let card = card_of(&row, count, status, editor_today);
            let profession_ok = filter
                .profession
                .as_deref()
                .filter(|profession| !profession.is_empty())
                .is_none_or(|profession| {
                    card.audience.is_empty() || card.audience.iter().any(|a| a == profession)
                });
            let topic_ok = filter
                .topic
                .as_deref()
                .filter(|topic| !topic.is_empty())
                .is_none_or(|topic| card.topics.iter().any(|t| t == topic));
            if profession_ok && topic_ok {
                cards.push(card);
            }
        }
        Ok(Catalogue {
            modules: cards,
            can_learn: actor.require_active().is_ok(),
            can_create: self.may_edit(actor).is_ok(),
        })
    }

    /// Every topic used by a module, sorted (for the catalogue's filter).
    pub async fn topics(&self) -> Result<Vec<String>> {
        let mut topics: Vec<String> = module::Entity::find()
            .all(&self.db)
            .await?
            .iter()
            .flat_map(|row| parse_list(&row.topics))
            .collect();
        topics.sort();
        topics.dedup();
        Ok(topics)
    }

    /// A module's overview with the learner's progress.
    pub async fn overview(&self, actor: &Actor, slug: &str) -> Result<ModuleOverview> {
        let row = self.module_by_slug(slug).await?;
        let member = actor.require_active().ok();
        let outline = match self
            .outline(slug, member.map(|member| member.id), None)
            .await
        {
            Ok(outline) => Some(outline),
            // A module being written may have no lessons yet.
            Err(Error::NotFound) => None,
            Err(err) => return Err(err),
        };
        let lessons: Vec<LessonSummary> = outline
            .iter()
            .flat_map(|outline| outline.lessons.iter().map(OutlineLesson::summary))
            .collect();
        let questions = question::Entity::find()
            .filter(question::Column::ModuleId.eq(row.id))
            .count(&self.db)
            .await?;
        let record = match member {
            Some(member)
                if outline
                    .as_ref()
                    .is_none_or(|outline| outline.record.is_some()) =>
            {
                record::Entity::find_by_id((member.id, row.id))
                    .one(&self.db)
                    .await?
            }
            _ => None,
        };
        let certificate = match member {
            Some(member) => certificate::Entity::find()
                .filter(certificate::Column::UserId.eq(member.id))
                .filter(certificate::Column::ModuleId.eq(row.id))
                .one(&self.db)
                .await?
                .map(|found| found.code),
            None => None,
        };
        let resume = record.as_ref().and_then(|record| {
            let next_unread = lessons.iter().find(|lesson| !lesson.done);
            next_unread
                .map(|lesson| lesson.slug.clone())
                .or_else(|| record.last_lesson.clone())
        });
        Ok(ModuleOverview {
            card: card_of(
                &row,
                lessons.len(),
                status_of(record.as_ref()),
                self.editor_today(actor),
            ),
            outcomes: parse_list(&row.outcomes),
            governance: governance_of(&row),
            pass_mark: row.pass_mark,
            revision: row.revision,
            updated_at: row.updated_at,
            lessons,
            resume,
            questions: usize::try_from(questions).unwrap_or(0),
            certificate,
            can_learn: member.is_some(),
            can_edit: self.may_edit(actor).is_ok(),
        })
    }

    /// Today, for an editor (who is shown overdue reviews); `None` for everyone else.
    fn editor_today(&self, actor: &Actor) -> Option<chrono::NaiveDate> {
        self.may_edit(actor)
            .ok()
            .map(|()| crate::time::london_today(chrono::Utc::now()))
    }

    /// The actor's records, by module id (none for visitors who are not approved members).
    async fn records_of(&self, actor: &Actor) -> Result<HashMap<i32, record::Model>> {
        let Ok(member) = actor.require_active() else {
            return Ok(HashMap::new());
        };
        Ok(record::Entity::find()
            .filter(record::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.module_id, row))
            .collect())
    }
}
