//! Browsing: the catalogue with each learner's status, its topics, and a module's overview
//! with progress and where to resume.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};

use super::entities::{certificate, lesson, module, question, record};
use super::views::{card_of, status_of, summary_of};
use super::{
    Catalogue, CatalogueFilter, LearningService, LessonSummary, ModuleOverview, parse_list,
};
use crate::Result;
use crate::accounts::Actor;

impl LearningService {
    /// The catalogue, in title order, with the learner's status on each module and what the
    /// visitor may do with it.
    pub async fn catalogue(&self, actor: &Actor, filter: &CatalogueFilter) -> Result<Catalogue> {
        let modules = module::Entity::find()
            .order_by_asc(module::Column::Title)
            .all(&self.db)
            .await?;
        let lessons = lesson::Entity::find().all(&self.db).await?;
        let records = self.records_of(actor).await?;
        let mut cards = Vec::new();
        for row in modules {
            let count = lessons
                .iter()
                .filter(|lesson| lesson.module_id == row.id)
                .count();
            let status = status_of(records.get(&row.id));
            let card = card_of(&row, count, status);
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
        let (row, lessons) = self.module_with_lessons(slug).await?;
        let questions = question::Entity::find()
            .filter(question::Column::ModuleId.eq(row.id))
            .all(&self.db)
            .await?
            .len();
        let member = actor.require_active().ok();
        let record = match member {
            Some(member) => {
                record::Entity::find_by_id((member.id, row.id))
                    .one(&self.db)
                    .await?
            }
            None => None,
        };
        let done = self.done_lessons(actor, &lessons).await?;
        let summaries: Vec<LessonSummary> = lessons
            .iter()
            .map(|lesson| summary_of(lesson, done.get(&lesson.id)))
            .collect();
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
            let next_unread = summaries.iter().find(|lesson| !lesson.done);
            next_unread
                .map(|lesson| lesson.slug.clone())
                .or_else(|| record.last_lesson.clone())
        });
        Ok(ModuleOverview {
            card: card_of(&row, lessons.len(), status_of(record.as_ref())),
            outcomes: parse_list(&row.outcomes),
            pass_mark: row.pass_mark,
            revision: row.revision,
            updated_at: row.updated_at,
            lessons: summaries,
            resume,
            questions,
            certificate,
            can_learn: member.is_some(),
            can_edit: self.may_edit(actor).is_ok(),
        })
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
