//! Reading lessons: opening one records where the learner is (for "resume"), finishing one
//! records which revision of it they read.

use std::collections::HashMap;

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{lesson, progress, record};
use super::views::summary_of;
use super::{LearningService, LessonView};
use crate::accounts::Actor;
use crate::{Error, Result};

impl LearningService {
    /// A lesson, for approved members; opening it records where the learner is.
    pub async fn lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<LessonView> {
        let member = actor.require_active()?;
        let (row, lessons) = self.module_with_lessons(module_slug).await?;
        let index = lessons
            .iter()
            .position(|lesson| lesson.slug == lesson_slug)
            .ok_or(Error::NotFound)?;
        let current = &lessons[index];
        self.touch_record(member.id, row.id, Some(lesson_slug))
            .await?;
        let done = self.done_lessons(actor, &lessons).await?;
        let summary = summary_of(current, done.get(&current.id));
        let neighbour = |at: Option<usize>| {
            at.and_then(|at| lessons.get(at))
                .map(|lesson| (lesson.slug.clone(), lesson.title.clone()))
        };
        Ok(LessonView {
            module_slug: row.slug.clone(),
            module_title: row.title.clone(),
            slug: current.slug.clone(),
            position: current.position,
            total: lessons.len(),
            title: current.title.clone(),
            summary: current.summary.clone(),
            minutes: current.minutes,
            html: current.html.clone(),
            headings: serde_json::from_str(&current.headings).unwrap_or_default(),
            previous: neighbour(index.checked_sub(1)),
            next: neighbour(Some(index + 1)),
            done: summary.done,
            changed_since_done: summary.changed_since_done,
        })
    }

    /// Marks a lesson finished (again, after a revision); answers the next lesson's slug.
    pub async fn complete_lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<Option<String>> {
        let member = actor.require_active()?;
        let (row, lessons) = self.module_with_lessons(module_slug).await?;
        let index = lessons
            .iter()
            .position(|lesson| lesson.slug == lesson_slug)
            .ok_or(Error::NotFound)?;
        let current = &lessons[index];
        self.touch_record(member.id, row.id, Some(lesson_slug))
            .await?;
        let existing = progress::Entity::find_by_id((member.id, current.id))
            .one(&self.db)
            .await?;
        match existing {
            Some(found) => {
                let mut found = progress::ActiveModel::from(found);
                found.content_hash = Set(current.content_hash.clone());
                found.completed_at = Set(Utc::now());
                found.update(&self.db).await?;
            }
            None => {
                progress::ActiveModel {
                    user_id: Set(member.id),
                    lesson_id: Set(current.id),
                    content_hash: Set(current.content_hash.clone()),
                    completed_at: Set(Utc::now()),
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(lessons.get(index + 1).map(|next| next.slug.clone()))
    }

    /// Finished lessons among `lessons`: lesson id → hash when finished.
    pub(super) async fn done_lessons(
        &self,
        actor: &Actor,
        lessons: &[lesson::Model],
    ) -> Result<HashMap<i32, String>> {
        let Ok(member) = actor.require_active() else {
            return Ok(HashMap::new());
        };
        let ids: Vec<i32> = lessons.iter().map(|lesson| lesson.id).collect();
        Ok(progress::Entity::find()
            .filter(progress::Column::UserId.eq(member.id))
            .filter(progress::Column::LessonId.is_in(ids))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| (row.lesson_id, row.content_hash))
            .collect())
    }

    /// Starts the learner's record for a module, or moves its "resume" point.
    async fn touch_record(&self, user_id: i32, module_id: i32, lesson: Option<&str>) -> Result<()> {
        let existing = record::Entity::find_by_id((user_id, module_id))
            .one(&self.db)
            .await?;
        match existing {
            // Already the resume point (a reload, or the same lesson again): nothing to write.
            Some(found) if found.last_lesson.as_deref() == lesson => {}
            Some(found) => {
                let mut found = record::ActiveModel::from(found);
                found.last_lesson = Set(lesson.map(ToOwned::to_owned));
                found.update(&self.db).await?;
            }
            None => {
                record::ActiveModel {
                    user_id: Set(user_id),
                    module_id: Set(module_id),
                    started_at: Set(Utc::now()),
                    last_lesson: Set(lesson.map(ToOwned::to_owned)),
                    passed_at: Set(None),
                }
                .insert(&self.db)
                .await?;
            }
        }
        Ok(())
    }
}
