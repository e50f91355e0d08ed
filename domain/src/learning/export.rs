//! Writes the live revision of every module back out as `content/modules/<slug>/` files
//! (`ohnet export-content`), so Markdown stays the canonical, reviewable form of what editors
//! change in the app.

use std::path::Path;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde::Serialize;

use super::entities::{lesson, media, module};
use super::review::governance_of;
use super::{LearningService, StoredOption, parse_list};
use crate::content::modules::toml_date;
use crate::{Error, Result};

#[derive(Serialize)]
struct ManifestOut {
    title: String,
    summary: String,
    audience: Vec<String>,
    topics: Vec<String>,
    estimated_minutes: i32,
    cpd_hours: f64,
    pass_mark: i32,
    outcomes: Vec<String>,
    lessons: Vec<String>,
    questions: Vec<QuestionOut>,
    governance: GovernanceOut,
}

#[derive(Serialize)]
struct GovernanceOut {
    status: &'static str,
    authors: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    next_review: Option<toml::value::Datetime>,
    reviews: Vec<ReviewOut>,
}

#[derive(Serialize)]
struct ReviewOut {
    date: toml::value::Datetime,
    reviewers: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<String>,
}

#[derive(Serialize)]
struct QuestionOut {
    id: String,
    kind: String,
    prompt: String,
    explanation: String,
    options: Vec<StoredOption>,
}

#[derive(Serialize)]
struct LessonFrontOut<'a> {
    title: &'a str,
    summary: &'a str,
    minutes: i32,
}

/// The file name a lesson is exported as: its position and slug.
pub fn lesson_file_name(position: i32, slug: &str) -> String {
    format!("{position:02}-{slug}.md")
}

impl LearningService {
    /// Writes every module under `<dir>/modules/`, one folder each (replacing files of the
    /// same name); answers how many modules were written.
    pub async fn export(&self, dir: &Path) -> Result<usize> {
        let modules = module::Entity::find()
            .order_by_asc(module::Column::Slug)
            .all(&self.db)
            .await?;
        for row in &modules {
            self.export_module(row, &dir.join("modules").join(&row.slug))
                .await?;
        }
        Ok(modules.len())
    }

    /// Writes one module's files into `folder`.
    pub(super) async fn export_module(&self, row: &module::Model, folder: &Path) -> Result<()> {
        let io = |err: std::io::Error| {
            Error::Internal(format!("cannot write {}: {err}", folder.display()))
        };
        std::fs::create_dir_all(folder).map_err(io)?;
        let lessons = lesson::Entity::find()
            .filter(lesson::Column::ModuleId.eq(row.id))
            .order_by_asc(lesson::Column::Position)
            .all(&self.db)
            .await?;
        let questions = self.questions_of(row.id).await?;
        let governance = governance_of(row);
        let manifest = ManifestOut {
            title: row.title.clone(),
            summary: row.summary.clone(),
            audience: parse_list(&row.audience),
            topics: parse_list(&row.topics),
            estimated_minutes: row.estimated_minutes,
            cpd_hours: f64::from(row.cpd_minutes) / 60.0,
            pass_mark: row.pass_mark,
            outcomes: parse_list(&row.outcomes),
            lessons: lessons
                .iter()
                .map(|lesson| lesson_file_name(lesson.position, &lesson.slug))
                .collect(),
            questions: questions
                .into_iter()
                .map(|(item, options)| QuestionOut {
                    id: item.key,
                    kind: item.kind,
                    prompt: item.prompt,
                    explanation: item.explanation,
                    options,
                })
                .collect(),
            governance: GovernanceOut {
                status: governance.status.as_str(),
                authors: governance.authors,
                next_review: governance.next_review.map(toml_date),
                reviews: governance
                    .reviews
                    .into_iter()
                    .map(|review| ReviewOut {
                        date: toml_date(review.date),
                        reviewers: review.reviewers,
                        note: review.note,
                    })
                    .collect(),
            },
        };
        let toml_text = toml::to_string(&manifest)
            .map_err(|err| Error::Internal(format!("cannot write module.toml: {err}")))?;
        std::fs::write(folder.join("module.toml"), toml_text).map_err(io)?;
        for lesson in &lessons {
            let front = toml::to_string(&LessonFrontOut {
                title: &lesson.title,
                summary: &lesson.summary,
                minutes: lesson.minutes,
            })
            .map_err(|err| Error::Internal(format!("cannot write lesson front matter: {err}")))?;
            let body = lesson.body_markdown.trim_start_matches('\n');
            std::fs::write(
                folder.join(lesson_file_name(lesson.position, &lesson.slug)),
                format!("+++\n{front}+++\n\n{body}"),
            )
            .map_err(io)?;
        }
        for file in media::Entity::find()
            .filter(media::Column::ModuleId.eq(row.id))
            .all(&self.db)
            .await?
        {
            let bytes = self
                .files
                .read(file.bytes, file.object_key.as_deref())
                .await?;
            std::fs::write(folder.join(&file.file_name), bytes).map_err(io)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_files_are_numbered_by_position() {
        assert_eq!(lesson_file_name(3, "night-work"), "03-night-work.md");
    }
}
