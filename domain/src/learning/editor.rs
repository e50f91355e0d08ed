//! Editing modules in the app. An edit is applied to the module's files (exported to a
//! scratch folder), validated by exactly the rules `ohnet check-content` uses, and imported as
//! a new revision; nothing changes if any rule fails. `ohnet export-content` writes the result
//! back to `content/` so the Markdown stays canonical.

use std::collections::HashMap;

use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};

use super::entities::{lesson, module};
use super::import::ImportFrom;
use super::{LearningService, lesson_file_name};
use crate::accounts::{Actor, RequestOrigin, Role};
use crate::content::modules::{ModuleIndex, load_module};
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
    /// Succeeds for those who may create and edit modules (editors and administrators);
    /// everyone else is refused, anonymous visitors as unauthenticated.
    pub fn may_edit(&self, actor: &Actor) -> Result<()> {
        actor.require_role(Role::Editor).map(|_| ())
    }

    /// A module's `module.toml` as text, for editors.
    pub async fn manifest_text(&self, actor: &Actor, slug: &str) -> Result<String> {
        self.may_edit(actor)?;
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
        self.apply_edit(
            actor,
            slug,
            origin,
            ("module.edit", "module.toml"),
            |folder| std::fs::write(folder.join("module.toml"), manifest),
        )
        .await
    }

    /// A lesson's current text, for editors.
    pub async fn lesson_draft(
        &self,
        actor: &Actor,
        module_slug: &str,
        lesson_slug: &str,
    ) -> Result<LessonDraft> {
        self.may_edit(actor)?;
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
        self.may_edit(actor)?;
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
        self.may_edit(actor)?;
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
        // Written as `export-content` writes lessons, so saving an unchanged draft changes
        // nothing (the stored body keeps the blank line after the front matter).
        let body = draft.body.replace("\r\n", "\n");
        let text = format!("+++\n{front}+++\n\n{}", body.trim_start_matches('\n'));
        let described = format!("lesson {file_name}");
        self.apply_edit(
            actor,
            module_slug,
            origin,
            ("module.edit", &described),
            |folder| std::fs::write(folder.join(&file_name), &text),
        )
        .await
    }

    /// Creates a module from its `module.toml` and first lesson (the file `module.toml` lists
    /// first), validated like any other; it is live once created.
    pub async fn create_module(
        &self,
        actor: &Actor,
        slug: &str,
        manifest: &str,
        first_lesson: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        self.may_edit(actor)?;
        let slug = slug.trim();
        if !crate::content::is_slug(slug) || RESERVED_MODULE_SLUGS.contains(&slug) {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "slug",
                "Enter a web address name of lowercase letters, digits and hyphens, like night-work-basics",
            )]));
        }
        if self.module_by_slug(slug).await.is_ok() {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "slug",
                "A module with that web address already exists",
            )]));
        }
        let scratch = scratch_dir()?;
        let folder = scratch.path().join("modules").join(slug);
        let stage = || -> std::io::Result<()> {
            std::fs::create_dir_all(&folder)?;
            std::fs::write(folder.join("module.toml"), manifest)?;
            std::fs::write(folder.join(first_lesson_name(manifest)), first_lesson)
        };
        stage().map_err(|err| Error::Internal(format!("cannot stage the module: {err}")))?;
        let source = validated(scratch.path(), &folder, &self.module_index().await?)?;
        self.publish(
            source,
            format!("modules/{slug}"),
            actor,
            "module.create",
            "",
            origin,
        )
        .await
    }

    /// Adds a lesson file to the end of a module (listed in `module.toml` automatically).
    pub async fn add_lesson(
        &self,
        actor: &Actor,
        module_slug: &str,
        file_name: &str,
        text: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        self.may_edit(actor)?;
        let file_name = file_name.trim().to_owned();
        if file_name.contains(['/', '\\']) || !file_name.ends_with(".md") {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "file_name",
                "Enter a file name like 05-night-shifts.md",
            )]));
        }
        let described = format!("new lesson {file_name}");
        let text = text.replace("\r\n", "\n");
        self.apply_edit(
            actor,
            module_slug,
            origin,
            ("module.edit", &described),
            |folder| {
                let manifest_path = folder.join("module.toml");
                let manifest = std::fs::read_to_string(&manifest_path)?;
                let mut table: toml::Table = toml::from_str(&manifest)
                    .map_err(|err| std::io::Error::other(err.to_string()))?;
                if let Some(toml::Value::Array(lessons)) = table.get_mut("lessons") {
                    lessons.push(toml::Value::String(file_name.clone()));
                }
                let manifest = toml::to_string(&table)
                    .map_err(|err| std::io::Error::other(err.to_string()))?;
                std::fs::write(&manifest_path, manifest)?;
                std::fs::write(folder.join(&file_name), &text)
            },
        )
        .await
    }

    /// Exports the module, lets `change` rewrite its files, validates and imports it, and
    /// audits it as `action` with `what` as the detail.
    pub(super) async fn apply_edit(
        &self,
        actor: &Actor,
        slug: &str,
        origin: &RequestOrigin,
        (action, what): (&str, &str),
        change: impl FnOnce(&std::path::Path) -> std::io::Result<()>,
    ) -> Result<()> {
        self.may_edit(actor)?;
        let row = self.module_by_slug(slug).await?;
        let scratch = scratch_dir()?;
        let folder = scratch.path().join("modules").join(&row.slug);
        self.export_module(&row, &folder).await?;
        change(&folder).map_err(|err| Error::Internal(format!("cannot stage the edit: {err}")))?;
        let source = validated(scratch.path(), &folder, &self.module_index().await?)?;
        self.publish(source, row.source_path, actor, action, what, origin)
            .await
    }

    /// The live modules' lessons, which links to other modules are checked against.
    async fn module_index(&self) -> Result<ModuleIndex> {
        let slugs: HashMap<i32, String> = module::Entity::find()
            .select_only()
            .column(module::Column::Id)
            .column(module::Column::Slug)
            .into_tuple::<(i32, String)>()
            .all(&self.db)
            .await?
            .into_iter()
            .collect();
        let mut lessons: HashMap<i32, Vec<String>> = HashMap::new();
        for (module_id, position, slug) in lesson::Entity::find()
            .select_only()
            .column(lesson::Column::ModuleId)
            .column(lesson::Column::Position)
            .column(lesson::Column::Slug)
            .order_by_asc(lesson::Column::Position)
            .into_tuple::<(i32, i32, String)>()
            .all(&self.db)
            .await?
        {
            lessons
                .entry(module_id)
                .or_default()
                .push(lesson_file_name(position, &slug));
        }
        let mut index = ModuleIndex::default();
        for (id, slug) in &slugs {
            index.insert(slug, lessons.remove(id).unwrap_or_default());
        }
        Ok(index)
    }

    /// Imports a validated module as its new revision and audits who did it.
    async fn publish(
        &self,
        mut source: crate::content::modules::ModuleSource,
        source_dir: String,
        actor: &Actor,
        action: &str,
        detail: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        source.source_dir = source_dir;
        self.import_from(std::slice::from_ref(&source), ImportFrom::App)
            .await?;
        audit::record(
            &self.db,
            actor,
            action,
            &format!("module:{}", source.slug),
            detail,
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

/// Module slugs that would clash with the learning section's own pages.
const RESERVED_MODULE_SLUGS: [&str; 1] = ["new"];

/// The first lesson file `manifest` lists (or `01-introduction.md` if it cannot tell yet;
/// validation then reports what is wrong with the manifest).
fn first_lesson_name(manifest: &str) -> String {
    toml::from_str::<toml::Table>(manifest)
        .ok()
        .and_then(|table| {
            table
                .get("lessons")
                .and_then(|lessons| lessons.as_array())
                .and_then(|lessons| lessons.first())
                .and_then(|first| first.as_str())
                .filter(|name| !name.contains(['/', '\\']))
                .map(ToOwned::to_owned)
        })
        .unwrap_or_else(|| "01-introduction.md".to_owned())
}

/// Validates the module staged in `folder` with the content rules; problems become one
/// form error each, as `path:line: message` relative to the staging folder.
fn validated(
    root: &std::path::Path,
    folder: &std::path::Path,
    index: &ModuleIndex,
) -> Result<crate::content::modules::ModuleSource> {
    let mut errors = Vec::new();
    match load_module(root, folder, index, &mut errors) {
        Some(source) if errors.is_empty() => Ok(source),
        _ => Err(Error::InvalidFields(
            errors
                .into_iter()
                .map(|error| {
                    let path = error
                        .path
                        .strip_prefix(root)
                        .unwrap_or(&error.path)
                        .display()
                        .to_string();
                    FieldError::new(
                        "content",
                        format!("{path}:{}: {}", error.line, error.message),
                    )
                })
                .collect(),
        )),
    }
}

fn scratch_dir() -> Result<tempfile::TempDir> {
    tempfile::tempdir()
        .map_err(|err| Error::Internal(format!("cannot make a scratch folder: {err}")))
}
