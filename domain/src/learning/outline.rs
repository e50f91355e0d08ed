//! A module's lessons as one learner sees them, read in one statement: their order, titles and
//! the learner's progress on each, the learner's resume point, and the body of at most one
//! lesson (the one being opened). Other lessons' bodies never leave the database, so a lesson
//! page costs the same whatever the module's length.

use sea_orm::FromQueryResult;
use sea_orm::sea_query::{Alias, Expr, ExprTrait, IntoCondition, Order, Query};

use super::LearningService;
use super::entities::{lesson, module, progress, record};
use super::views::LessonSummary;
use crate::{Error, Result};

/// One lesson of an [`Outline`].
#[derive(Debug, FromQueryResult)]
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

/// One row of the outline statement: the module, the learner's record, and one lesson.
#[derive(Debug, FromQueryResult)]
struct OutlineRow {
    module_id: i32,
    module_slug: String,
    module_title: String,
    has_record: bool,
    resume_lesson: Option<String>,
    #[sea_orm(nested)]
    lesson: OutlineLesson,
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
        let learner = learner.unwrap_or(0);
        let open = open.unwrap_or("");
        let lesson_col = |column: lesson::Column| Expr::col((lesson::Entity, column));
        let only_open = |column: lesson::Column| {
            Expr::case(
                lesson_col(lesson::Column::Slug).eq(open),
                lesson_col(column),
            )
            .finally(Expr::null())
        };
        let query = Query::select()
            .expr_as(
                Expr::col((module::Entity, module::Column::Id)),
                Alias::new("module_id"),
            )
            .expr_as(
                Expr::col((module::Entity, module::Column::Slug)),
                Alias::new("module_slug"),
            )
            .expr_as(
                Expr::col((module::Entity, module::Column::Title)),
                Alias::new("module_title"),
            )
            .expr_as(
                Expr::col((record::Entity, record::Column::UserId)).is_not_null(),
                Alias::new("has_record"),
            )
            .expr_as(
                Expr::col((record::Entity, record::Column::LastLesson)),
                Alias::new("resume_lesson"),
            )
            .columns([
                (lesson::Entity, lesson::Column::Id),
                (lesson::Entity, lesson::Column::Slug),
                (lesson::Entity, lesson::Column::Position),
                (lesson::Entity, lesson::Column::Title),
                (lesson::Entity, lesson::Column::Summary),
                (lesson::Entity, lesson::Column::Minutes),
                (lesson::Entity, lesson::Column::ContentHash),
            ])
            .expr_as(
                Expr::col((progress::Entity, progress::Column::ContentHash)),
                Alias::new("done_hash"),
            )
            .expr_as(only_open(lesson::Column::Html), Alias::new("html"))
            .expr_as(only_open(lesson::Column::Headings), Alias::new("headings"))
            .from(module::Entity)
            .inner_join(
                lesson::Entity,
                lesson_col(lesson::Column::ModuleId).equals((module::Entity, module::Column::Id)),
            )
            .left_join(
                progress::Entity,
                Expr::col((progress::Entity, progress::Column::LessonId))
                    .equals((lesson::Entity, lesson::Column::Id))
                    .and(Expr::col((progress::Entity, progress::Column::UserId)).eq(learner))
                    .into_condition(),
            )
            .left_join(
                record::Entity,
                Expr::col((record::Entity, record::Column::ModuleId))
                    .equals((module::Entity, module::Column::Id))
                    .and(Expr::col((record::Entity, record::Column::UserId)).eq(learner))
                    .into_condition(),
            )
            .and_where(Expr::col((module::Entity, module::Column::Slug)).eq(module_slug))
            .order_by((lesson::Entity, lesson::Column::Position), Order::Asc)
            .to_owned();
        let rows = OutlineRow::find_by_statement(self.db.get_database_backend().build(&query))
            .all(&self.db)
            .await?;
        let Some(first) = rows.first() else {
            return Err(Error::NotFound);
        };
        let (module_id, module_slug, module_title) = (
            first.module_id,
            first.module_slug.clone(),
            first.module_title.clone(),
        );
        let record = first.has_record.then(|| first.resume_lesson.clone());
        Ok(Outline {
            module_id,
            module_slug,
            module_title,
            record,
            lessons: rows.into_iter().map(|row| row.lesson).collect(),
        })
    }
}
