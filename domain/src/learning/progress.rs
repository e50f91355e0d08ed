//! Reading lessons: opening one records where the learner is (for "resume"), finishing one
//! records which revision of it they read.

use chrono::Utc;
use sea_orm::sea_query::{Expr, OnConflict};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};

use super::entities::{progress, record};
use super::outline::Outline;
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
        let outline = self
            .outline(module_slug, Some(member.id), Some(lesson_slug))
            .await?;
        let index = outline.index_of(lesson_slug)?;
        self.touch_record(member.id, &outline, lesson_slug).await?;
        let neighbour = |at: Option<usize>| {
            at.and_then(|at| outline.lessons.get(at))
                .map(|lesson| (lesson.slug.clone(), lesson.title.clone()))
        };
        let previous = neighbour(index.checked_sub(1));
        let next = neighbour(Some(index + 1));
        let total = outline.lessons.len();
        let current = outline
            .lessons
            .into_iter()
            .nth(index)
            .ok_or(Error::NotFound)?;
        let summary = current.summary();
        Ok(LessonView {
            module_slug: outline.module_slug,
            module_title: outline.module_title,
            slug: current.slug,
            position: current.position,
            total,
            title: current.title,
            summary: current.summary,
            minutes: current.minutes,
            html: current.html.unwrap_or_default(),
            headings: current
                .headings
                .and_then(|json| serde_json::from_str(&json).ok())
                .unwrap_or_default(),
            previous,
            next,
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
        let outline = self.outline(module_slug, Some(member.id), None).await?;
        let index = outline.index_of(lesson_slug)?;
        let current = &outline.lessons[index];
        self.touch_record(member.id, &outline, lesson_slug).await?;
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
        self.cache.forget_learner(member.id);
        Ok(outline.lessons.get(index + 1).map(|next| next.slug.clone()))
    }

    /// Makes `lesson` the learner's resume point in the outline's module, writing only when it
    /// changes (a reload, or the same lesson again, writes nothing).
    async fn touch_record(&self, user_id: i32, outline: &Outline, lesson: &str) -> Result<()> {
        match &outline.record {
            Some(Some(resume)) if resume == lesson => return Ok(()),
            Some(_) => {
                record::Entity::update_many()
                    .col_expr(record::Column::LastLesson, Expr::value(lesson))
                    .filter(record::Column::UserId.eq(user_id))
                    .filter(record::Column::ModuleId.eq(outline.module_id))
                    .exec(&self.db)
                    .await?;
            }
            None => {
                record::Entity::insert(record::ActiveModel {
                    user_id: Set(user_id),
                    module_id: Set(outline.module_id),
                    started_at: Set(Utc::now()),
                    last_lesson: Set(Some(lesson.to_owned())),
                    passed_at: Set(None),
                })
                .on_conflict(
                    OnConflict::columns([record::Column::UserId, record::Column::ModuleId])
                        .update_column(record::Column::LastLesson)
                        .to_owned(),
                )
                .exec_without_returning(&self.db)
                .await?;
            }
        }
        self.cache.forget_learner(user_id);
        Ok(())
    }
}
