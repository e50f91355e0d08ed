//! A module's lessons as one learner sees them: their order, titles and the learner's progress
//! on each, the learner's resume point, and the body of at most one lesson (the one being
//! opened). Two parts, each one statement when read and kept by this node's
//! [`crate::node_cache`]: the module's content (the same for everyone; forgotten when the change
//! log names the module) and one learner's progress through it (forgotten when it names the
//! learner, and at once by this node's own writes). A lesson page for a member whose progress
//! is kept makes no statement at all.

use std::sync::Arc;

use sea_orm::FromQueryResult;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoCondition, Order, Query};

use super::LearningService;
use super::entities::{lesson, module, progress, record};
use super::views::LessonSummary;
use crate::{Error, Result};

/// One lesson of an [`Outline`].
#[derive(Debug)]
pub(super) struct OutlineLesson {
    pub id: i32,
    pub slug: String,
    pub position: i32,
    pub title: String,
    pub summary: String,
    pub minutes: i32,
    pub content_hash: String,
    /// The content hash the learner finished, if they finished it.
    pub done_hash: Option<String>,
    /// Sanitised HTML, for the opened lesson only.
    pub html: Option<String>,
    /// JSON headings, for the opened lesson only.
    pub headings: Option<String>,
}

impl OutlineLesson {
    /// Finished by the learner (in any revision).
    pub fn done(&self) -> bool {
        self.done_hash.is_some()
    }

    /// The list entry for this lesson.
    pub fn summary(&self) -> LessonSummary {
        LessonSummary {
            slug: self.slug.clone(),
            position: self.position,
            title: self.title.clone(),
            summary: self.summary.clone(),
            minutes: self.minutes,
            done: self.done(),
            changed_since_done: self
                .done_hash
                .as_ref()
                .is_some_and(|hash| *hash != self.content_hash),
        }
    }
}

/// A module's content, the same for every learner.
#[derive(Debug)]
pub(crate) struct ModuleContent {
    pub id: i32,
    pub slug: String,
    pub title: String,
    /// At least one lesson, in order.
    pub lessons: Vec<LessonContent>,
}

/// One lesson of a [`ModuleContent`].
#[derive(Debug, FromQueryResult)]
pub(crate) struct LessonContent {
    pub id: i32,
    pub slug: String,
    pub position: i32,
    pub title: String,
    pub summary: String,
    pub minutes: i32,
    pub content_hash: String,
    /// Sanitised HTML.
    pub html: String,
    /// JSON headings.
    pub headings: String,
}

/// One row of the content statement: the module and one lesson.
#[derive(Debug, FromQueryResult)]
struct ContentRow {
    module_key: i32,
    module_slug: String,
    module_title: String,
    #[sea_orm(nested)]
    lesson: LessonContent,
}

/// One learner's progress through one module.
#[derive(Debug, Default)]
pub(crate) struct LearnerProgress {
    /// `None` when they have not started the module, else the lesson they last opened (if any).
    pub record: Option<Option<String>>,
    /// The lessons they finished: (lesson id, the content hash they read).
    pub done: Vec<(i32, String)>,
}

/// One row of the progress statement: one lesson of the module, the learner's finish of it and
/// their record of the module.
#[derive(Debug, FromQueryResult)]
struct ProgressRow {
    lesson_id: i32,
    done_hash: Option<String>,
    has_record: bool,
    resume_lesson: Option<String>,
}

/// A module's lessons in order, with one learner's progress.
#[derive(Debug)]
pub(super) struct Outline {
    pub module_id: i32,
    pub module_slug: String,
    pub module_title: String,
    /// The learner's record of the module: `None` when they have not started it, else the
    /// lesson they last opened (if any).
    pub record: Option<Option<String>>,
    /// At least one lesson, in order.
    pub lessons: Vec<OutlineLesson>,
}

impl Outline {
    /// The index of lesson `slug`, or [`Error::NotFound`].
    pub fn index_of(&self, slug: &str) -> Result<usize> {
        self.lessons
            .iter()
            .position(|lesson| lesson.slug == slug)
            .ok_or(Error::NotFound)
    }
}

impl LearningService {
    /// The outline of module `module_slug` for `learner` (no progress for `None`), with the
    /// body of lesson `open` when given. [`Error::NotFound`] when the module is missing or has
    /// no lessons.
    pub(super) async fn outline(
        &self,
        module_slug: &str,
        learner: Option<i32>,
        open: Option<&str>,
    ) -> Result<Outline> {
        let content = self.module_content(module_slug).await?;
        let progress = match learner {
            Some(user_id) => self.learner_progress(user_id, content.id).await?,
            None => Arc::new(LearnerProgress::default()),
        };
        let done_hash = |lesson_id: i32| {
            progress
                .done
                .iter()
                .find(|(id, _)| *id == lesson_id)
                .map(|(_, hash)| hash.clone())
        };
        let is_open = |slug: &str| open.is_some_and(|open| open == slug);
        Ok(Outline {
            module_id: content.id,
            module_slug: content.slug.clone(),
            module_title: content.title.clone(),
            record: progress.record.clone(),
            lessons: content
                .lessons
                .iter()
                .map(|lesson| OutlineLesson {
                    id: lesson.id,
                    slug: lesson.slug.clone(),
                    position: lesson.position,
                    title: lesson.title.clone(),
                    summary: lesson.summary.clone(),
                    minutes: lesson.minutes,
                    content_hash: lesson.content_hash.clone(),
                    done_hash: done_hash(lesson.id),
                    html: is_open(&lesson.slug).then(|| lesson.html.clone()),
                    headings: is_open(&lesson.slug).then(|| lesson.headings.clone()),
                })
                .collect(),
        })
    }

    /// Module `slug` with its lessons in order: kept by this node, else one statement.
    async fn module_content(&self, slug: &str) -> Result<Arc<ModuleContent>> {
        if let Some(kept) = self.cache.module(slug) {
            return Ok(kept);
        }
        let generation = self.cache.generation();
        let module_col = |column: module::Column| Expr::col((module::Entity, column));
        let query = Query::select()
            .expr_as(module_col(module::Column::Id), Alias::new("module_key"))
            .expr_as(module_col(module::Column::Slug), Alias::new("module_slug"))
            .expr_as(
                module_col(module::Column::Title),
                Alias::new("module_title"),
            )
            .columns([
                (lesson::Entity, lesson::Column::Id),
                (lesson::Entity, lesson::Column::Slug),
                (lesson::Entity, lesson::Column::Position),
                (lesson::Entity, lesson::Column::Title),
                (lesson::Entity, lesson::Column::Summary),
                (lesson::Entity, lesson::Column::Minutes),
                (lesson::Entity, lesson::Column::ContentHash),
                (lesson::Entity, lesson::Column::Html),
                (lesson::Entity, lesson::Column::Headings),
            ])
            .from(module::Entity)
            .inner_join(
                lesson::Entity,
                Expr::col((lesson::Entity, lesson::Column::ModuleId))
                    .equals((module::Entity, module::Column::Id)),
            )
            .and_where(module_col(module::Column::Slug).eq(slug))
            .order_by((lesson::Entity, lesson::Column::Position), Order::Asc)
            .to_owned();
        let rows = ContentRow::find_by_statement(self.db.get_database_backend().build(&query))
            .all(&self.db)
            .await?;
        let Some(first) = rows.first() else {
            return Err(Error::NotFound);
        };
        let (id, slug, title) = (
            first.module_key,
            first.module_slug.clone(),
            first.module_title.clone(),
        );
        let content = Arc::new(ModuleContent {
            id,
            slug,
            title,
            lessons: rows.into_iter().map(|row| row.lesson).collect(),
        });
        self.cache.keep_module(content.clone(), generation);
        Ok(content)
    }

    /// Learner `user_id`'s progress through module `module_id`: kept by this node, else one
    /// statement.
    async fn learner_progress(&self, user_id: i32, module_id: i32) -> Result<Arc<LearnerProgress>> {
        if let Some(kept) = self.cache.progress(user_id, module_id) {
            return Ok(kept);
        }
        let generation = self.cache.generation();
        let query = Query::select()
            .expr_as(
                Expr::col((lesson::Entity, lesson::Column::Id)),
                Alias::new("lesson_id"),
            )
            .expr_as(
                Expr::col((progress::Entity, progress::Column::ContentHash)),
                Alias::new("done_hash"),
            )
            .expr_as(
                Expr::col((record::Entity, record::Column::UserId)).is_not_null(),
                Alias::new("has_record"),
            )
            .expr_as(
                Expr::col((record::Entity, record::Column::LastLesson)),
                Alias::new("resume_lesson"),
            )
            .from(lesson::Entity)
            .left_join(
                progress::Entity,
                Expr::col((progress::Entity, progress::Column::LessonId))
                    .equals((lesson::Entity, lesson::Column::Id))
                    .and(Expr::col((progress::Entity, progress::Column::UserId)).eq(user_id))
                    .into_condition(),
            )
            .left_join(
                record::Entity,
                Expr::col((record::Entity, record::Column::ModuleId))
                    .equals((lesson::Entity, lesson::Column::ModuleId))
                    .and(Expr::col((record::Entity, record::Column::UserId)).eq(user_id))
                    .into_condition(),
            )
            .and_where(Expr::col((lesson::Entity, lesson::Column::ModuleId)).eq(module_id))
            .order_by((lesson::Entity, lesson::Column::Position), Order::Asc)
            .to_owned();
        let rows = ProgressRow::find_by_statement(self.db.get_database_backend().build(&query))
            .all(&self.db)
            .await?;
        let record = rows
            .first()
            .and_then(|first| first.has_record.then(|| first.resume_lesson.clone()));
        let progress = Arc::new(LearnerProgress {
            record,
            done: rows
                .into_iter()
                .filter_map(|row| row.done_hash.map(|hash| (row.lesson_id, hash)))
                .collect(),
        });
        self.cache
            .keep_progress(user_id, module_id, progress.clone(), generation);
        Ok(progress)
    }
}
