//! Editing modules in the app. An edit is applied to the module's files (exported to a
//! scratch folder), validated by exactly the rules `ohnet check-content` uses, and imported as
//! a new revision; nothing changes if any rule fails. `ohnet export-content` writes the result
//! back to `content/` so the Markdown stays canonical.

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

use super::entities::lesson;
use super::{LearningService, lesson_file_name};
use crate::accounts::{Actor, RequestOrigin, Role};
use crate::content::modules::load_module;
use crate::{Error, FieldError, Result, audit, markdown};

/// A lesson as an editor changes it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LessonDraft {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time in minutes (as typed).
    pub minutes: String,
    /// Markdown body.
    pub body: String,
}

impl LearningService {
    /// A module's `module.toml` as text, for editors.
    pub async fn manifest_text(&self, actor: &Actor, slug: &str) -> Result<String> {
        actor.require_role(Role::Editor)?;
        let row = self.module_by_slug(slug).await?;
        let scratch = scratch_dir()?;
        let folder = scratch.path().join("modules").join(&row.slug);
        self.export_module(&row, &folder).await?;
        std::fs::read_to_string(folder.join("module.toml"))
            .map_err(|err| Error::Internal(format!("cannot read exported module.toml: {err}")))
    }

    /// Replaces a module's `module.toml` (settings, outcomes, lessons' order, knowledge check).
    pub async fn save_manifest(
        &self,
        actor: &Actor,
        slug: &str,
        manifest: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        self.apply_edit(actor, slug, origin, "module.toml", |folder| {
            std::fs::write(folder.join("module.toml"), manifest)
        })
        .await
    }

    /// A lesson's current text, for editors.
    pub async fn lesson_draft(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<LessonDraft> {
        actor.require_role(Role::Editor)?;
        let row = self.module_by_slug(module_slug).await?;
        let found = lesson::Entity::find()
            .filter(lesson::Column::ModuleId.eq(row.id))
            .filter(lesson::Column::Slug.eq(lesson_slug))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        Ok(LessonDraft {
            title: found.title,
            summary: found.summary,
            minutes: found.minutes.to_string(),
            body: found.body_markdown,
        })
    }

    /// The HTML a draft lesson body would show (the preview).
    pub fn preview(&self, actor: &Actor, body: &str) -> Result<String> {
        actor.require_role(Role::Editor)?;
        Ok(markdown::render(body, markdown::Audience::Author).html)
    }

    /// Saves a lesson: validated with the module's other files, imported as a new revision.
    pub async fn save_lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
        draft: &LessonDraft,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Editor)?;
        let row = self.module_by_slug(module_slug).await?;
        let found = lesson::Entity::find()
            .filter(lesson::Column::ModuleId.eq(row.id))
            .filter(lesson::Column::Slug.eq(lesson_slug))
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)?;
        let mut problems = Vec::new();
        for (field, value) in [("title", &draft.title), ("summary", &draft.summary)] {
            if value.trim().is_empty() || value.contains('\n') {
                problems.push(FieldError::new(
                    field,
                    format!("Enter the {field} on one line"),
                ));
            }
        }
        let minutes = draft.minutes.trim().parse::<u32>().ok().filter(|m| *m > 0);
        if minutes.is_none() {
            problems.push(FieldError::new(
                "minutes",
                "Enter the reading time as a whole number of minutes, like 15",
            ));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let front = toml::to_string(&LessonFront {
            title: draft.title.trim(),
            summary: draft.summary.trim(),
            minutes: minutes.unwrap_or(1),
        })
        .map_err(|err| Error::Internal(err.to_string()))?;
        let file_name = lesson_file_name(found.position, &found.slug);
        let text = format!("+++\n{front}+++\n\n{}", draft.body.replace("\r\n", "\n"));
        let described = format!("lesson {file_name}");
        self.apply_edit(actor, module_slug, origin, &described, |folder| {
            std::fs::write(folder.join(&file_name), &text)
        })
        .await
    }

    /// Exports the module, lets `change` rewrite its files, validates and imports it.
    async fn apply_edit(
        &self,
        actor: &Actor,
        slug: &str,
        origin: &RequestOrigin,
        what: &str,
        change: impl FnOnce(&std::path::Path) -> std::io::Result<()>,
    ) -> Result<()> {
        actor.require_role(Role::Editor)?;
        let row = self.module_by_slug(slug).await?;
        let scratch = scratch_dir()?;
        let folder = scratch.path().join("modules").join(&row.slug);
        self.export_module(&row, &folder).await?;
        change(&folder).map_err(|err| Error::Internal(format!("cannot stage the edit: {err}")))?;
        let mut errors = Vec::new();
        let source = load_module(scratch.path(), &folder, &mut errors);
        let source = match source {
            Some(source) if errors.is_empty() => source,
            _ => {
                let problems = errors
                    .into_iter()
                    .map(|error| {
                        let path = error
                            .path
                            .strip_prefix(scratch.path())
                            .unwrap_or(&error.path)
                            .display()
                            .to_string();
                        FieldError::new(
                            "content",
                            format!("{path}:{}: {}", error.line, error.message),
                        )
                    })
                    .collect();
                return Err(Error::InvalidFields(problems));
            }
        };
        let mut source = source;
        source.source_dir = row.source_path.clone();
        self.import(std::slice::from_ref(&source)).await?;
        audit::record(
            &self.db,
            actor,
            "module.edit",
            &format!("module:{slug}"),
            what,
            origin.ip.map(|ip| ip.to_string()).as_deref(),
        )
        .await
    }
}

#[derive(serde::Serialize)]
struct LessonFront<'a> {
    title: &'a str,
    summary: &'a str,
    minutes: u32,
}

fn scratch_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir()
        .map_err(|err| Error::Internal(format!("cannot make a scratch folder: {err}")))
}
