//! Relative links in lessons: to a lesson or image of the same module (`08-reports.md`,
//! `chart.png`), and to another module's overview or lesson (`../<module>/`,
//! `../<module>/03-night-work.md#heading`). Each is checked against a [`ModuleIndex`] of every
//! module's lessons, reported as `path:line: message` when it points nowhere, and rewritten to
//! its address when the lesson is rendered.

use std::collections::HashMap;
use std::path::Path;

use pulldown_cmark::{Event, LinkType, Parser, Tag};

use super::{LessonFrontMatter, image_type, lesson_path, lesson_slug, media_path};
use crate::content::{ContentError, Document};
use crate::markdown;

/// A lesson as links name it: its file name (`03-night-work.md`) and its address within the
/// module (`night-work`).
pub type LessonName = (String, String);

/// Every module's lessons, by module slug: what links to other modules are checked against.
/// Built from the content folder by [`ModuleIndex::read`] (for `check-content` and imports),
/// or from the live modules when an editor saves in the app.
#[derive(Clone, Debug, Default)]
pub struct ModuleIndex {
    modules: HashMap<String, Vec<LessonName>>,
}

impl ModuleIndex {
    /// Records a module's lessons by file name (`03-night-work.md`); names that are not
    /// lesson file names are skipped (the module's own check reports them).
    pub fn insert(&mut self, module_slug: &str, file_names: impl IntoIterator<Item = String>) {
        let lessons = file_names
            .into_iter()
            .filter_map(|file| lesson_slug(&file).map(|slug| (file, slug)))
            .collect();
        self.modules.insert(module_slug.to_owned(), lessons);
    }

    /// The lessons each `<content_dir>/modules/<slug>/module.toml` lists, read leniently: a
    /// module whose manifest cannot be read is indexed without lessons, so links to its
    /// overview still check and its own errors are reported where they belong.
    pub fn read(content_dir: &Path) -> ModuleIndex {
        let mut index = ModuleIndex::default();
        let Ok(entries) = std::fs::read_dir(content_dir.join("modules")) else {
            return index;
        };
        for folder in entries.filter_map(|entry| entry.ok().map(|entry| entry.path())) {
            let Some(slug) = folder.file_name().and_then(|name| name.to_str()) else {
                continue;
            };
            if !folder.is_dir() {
                continue;
            }
            let listed = std::fs::read_to_string(folder.join("module.toml"))
                .ok()
                .and_then(|text| toml::from_str::<toml::Table>(&text).ok())
                .and_then(|table| table.get("lessons").and_then(|v| v.as_array()).cloned())
                .unwrap_or_default();
            index.insert(
                slug,
                listed
                    .iter()
                    .filter_map(|value| value.as_str().map(ToOwned::to_owned)),
            );
        }
        index
    }

    fn lessons_of(&self, module_slug: &str) -> Option<&[LessonName]> {
        self.modules.get(module_slug).map(Vec::as_slice)
    }
}

/// Where a relative link points, once checked.
enum Target {
    /// A lesson (of this module or another), with its `#fragment` if any.
    Lesson(String),
    /// Another module's overview.
    Module(String),
    /// An image in this module's folder.
    Image(String),
}

/// The links of one lesson: the module it belongs to, its validated lessons, and the index of
/// the other modules.
pub(super) struct LessonLinks<'a> {
    /// The lesson's module.
    pub module: &'a str,
    /// The module's lessons (already validated).
    pub lessons: &'a [LessonName],
    /// Every module's lessons.
    pub index: &'a ModuleIndex,
}

impl LessonLinks<'_> {
    /// Checks the lesson's relative links and images (parsed exactly as the pipeline parses
    /// them); answers the image files it shows, with the line of each.
    pub fn check(
        &self,
        path: &Path,
        document: &Document<LessonFrontMatter>,
        module_dir: &Path,
        errors: &mut Vec<ContentError>,
    ) -> Vec<(String, usize)> {
        let body = &document.body;
        let first_line = document.body_start_line();
        let mut images = Vec::new();
        for (event, range) in Parser::new_ext(body, markdown::parser_options()).into_offset_iter() {
            let (destination, is_image) = match &event {
                // `<name@example.org>`: an email address, not a destination.
                Event::Start(Tag::Link {
                    link_type: LinkType::Email,
                    ..
                }) => continue,
                Event::Start(Tag::Link { dest_url, .. }) => (dest_url.to_string(), false),
                Event::Start(Tag::Image { dest_url, .. }) => (dest_url.to_string(), true),
                _ => continue,
            };
            if !is_relative(&destination) {
                continue;
            }
            let line = first_line + body[..range.start.min(body.len())].matches('\n').count();
            let mut problem = |message: String| {
                errors.push(ContentError {
                    path: path.to_path_buf(),
                    line,
                    message,
                });
            };
            let target = destination.split('#').next().unwrap_or_default();
            if is_image {
                if image_type(target).is_none() {
                    problem(format!(
                        "image `{target}` must be a PNG, JPEG, GIF, SVG or WebP file"
                    ));
                } else if target.contains('/') || !module_dir.join(target).is_file() {
                    problem(format!("image `{target}` is not in the module's folder"));
                } else {
                    images.push((target.to_owned(), line));
                }
            } else if let Err(message) = self.resolve(&destination) {
                problem(message);
            }
        }
        images
    }

    /// The address a relative link or image points to; `None` for links left as written.
    pub fn address(&self, destination: &str) -> Option<String> {
        if !is_relative(destination) {
            return None;
        }
        match self.resolve(destination).ok()? {
            Target::Lesson(address) | Target::Module(address) => Some(address),
            Target::Image(file) => Some(media_path(self.module, &file)),
        }
    }

    /// What a relative destination points to, or why it points nowhere.
    fn resolve(&self, destination: &str) -> Result<Target, String> {
        let (target, fragment) = match destination.split_once('#') {
            Some((target, fragment)) => (target, format!("#{fragment}")),
            None => (destination, String::new()),
        };
        let Some(elsewhere) = target.strip_prefix("../") else {
            if let Some((_, slug)) = self.lessons.iter().find(|(file, _)| file == target) {
                return Ok(Target::Lesson(format!(
                    "{}{fragment}",
                    lesson_path(self.module, slug)
                )));
            }
            if image_type(target).is_some() {
                return Ok(Target::Image(target.to_owned()));
            }
            return Err(format!(
                "link to `{target}` does not match a lesson of this module"
            ));
        };
        let (module, file) = elsewhere.split_once('/').unwrap_or((elsewhere, ""));
        let lessons = if module == self.module {
            Some(self.lessons)
        } else {
            self.index.lessons_of(module)
        };
        let Some(lessons) = lessons else {
            return Err(format!("link to `{target}`: there is no module `{module}`"));
        };
        if file.is_empty() {
            return Ok(Target::Module(format!("/learning/{module}{fragment}")));
        }
        lessons
            .iter()
            .find(|(name, _)| name == file)
            .map(|(_, slug)| Target::Lesson(format!("{}{fragment}", lesson_path(module, slug))))
            .ok_or_else(|| format!("link to `{target}`: module `{module}` has no lesson `{file}`"))
    }
}

/// A relative destination: not a URL with a scheme, not site-absolute, not a fragment.
fn is_relative(destination: &str) -> bool {
    !(destination.is_empty()
        || destination.starts_with('/')
        || destination.starts_with('#')
        || destination.contains("://")
        || destination.starts_with("mailto:")
        || destination.starts_with("tel:"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_links_resolve_to_lessons_modules_and_images() {
        let lessons = vec![("02-next.md".to_owned(), "next".to_owned())];
        let mut index = ModuleIndex::default();
        index.insert("other", ["03-far.md".to_owned()]);
        let links = LessonLinks {
            module: "m",
            lessons: &lessons,
            index: &index,
        };
        assert_eq!(
            links.address("02-next.md#part").as_deref(),
            Some("/learning/m/next#part")
        );
        assert_eq!(
            links.address("chart.png").as_deref(),
            Some("/learning/m/media/chart.png")
        );
        assert_eq!(
            links.address("../other/03-far.md#x").as_deref(),
            Some("/learning/other/far#x")
        );
        assert_eq!(
            links.address("../other/").as_deref(),
            Some("/learning/other")
        );
        assert_eq!(
            links.address("../m/02-next.md").as_deref(),
            Some("/learning/m/next")
        );
        assert_eq!(links.address("../other/04-missing.md"), None);
        assert_eq!(links.address("../nowhere/"), None);
        assert_eq!(links.address("https://www.gov.uk"), None);
        assert_eq!(links.address("/learning"), None);
    }
}
