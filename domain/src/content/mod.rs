//! Authored content under `content/`: reading, validating (with `path:line: message` errors) and
//! importing it idempotently, keyed by slug and content hash.

pub(crate) mod front_matter;
pub mod modules;

pub use front_matter::{Document, parse_document};

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::Services;
use crate::markdown::{self, Audience, Rendered};

/// One problem found in the content, pointing at the file and line to fix.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ContentError {
    /// The file at fault.
    pub path: PathBuf,
    /// 1-based line number in that file.
    pub line: usize,
    /// What is wrong, in words for the author.
    pub message: String,
}

impl fmt::Display for ContentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}: {}", self.path.display(), self.line, self.message)
    }
}

/// Every problem found in one validation run; nothing is imported while any remain.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ContentErrors(pub Vec<ContentError>);

impl fmt::Display for ContentErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, error) in self.0.iter().enumerate() {
            if index > 0 {
                writeln!(f)?;
            }
            write!(f, "{error}")?;
        }
        Ok(())
    }
}

impl std::error::Error for ContentErrors {}

/// Front matter of a page under `content/pages/<slug>.md`, between `+++` lines.
///
/// ```toml
/// +++
/// title = "About the network"
/// summary = "Who we are and what ohnet is for."
/// +++
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PageFrontMatter {
    /// The page title: its `<h1>` and the browser tab's title. Required, not blank.
    pub title: toml::Spanned<String>,
    /// One or two sentences shown under the title and in search results. Required, not blank.
    pub summary: toml::Spanned<String>,
    /// Who may read the page. Leave it out for a public page; `["members"]` for every
    /// approved member; or group slugs (`["cmo"]`) for those groups' members only: everyone
    /// else gets "Page not found" and never sees it in search. Optional.
    pub audience: Option<toml::Spanned<Vec<toml::Spanned<String>>>>,
}

/// A validated page ready to import.
#[derive(Clone, Debug)]
pub struct PageSource {
    /// From the file name: `content/pages/about.md` → `about`, served at `/about`
    /// (`home` is served at `/`).
    pub slug: String,
    /// Path relative to the content directory, for messages.
    pub source_path: String,
    /// The page title.
    pub title: String,
    /// The page summary.
    pub summary: String,
    /// The Markdown body after the front matter.
    pub body_markdown: String,
    /// The body rendered through the author pipeline.
    pub rendered: Rendered,
    /// Who may read it.
    pub audience: crate::access::Audience,
    /// SHA-256 of the whole file, hex: an unchanged hash means nothing to import.
    pub content_hash: String,
}

/// Everything under the content directory, validated.
#[derive(Clone, Debug, Default)]
pub struct ContentSet {
    /// Pages from `content/pages/*.md`.
    pub pages: Vec<PageSource>,
    /// eLearning modules from `content/modules/<slug>/`.
    pub modules: Vec<modules::ModuleSource>,
    /// Forums and their welcome topics from `content/forums/*.md`.
    pub forums: Vec<crate::forums::ForumSource>,
    /// Library documents from `content/library/*.md`.
    pub library: Vec<crate::library::DocumentSource>,
}

/// What an import changed, per kind of content.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportReport {
    /// New items.
    pub created: usize,
    /// Items whose content changed (a new revision).
    pub updated: usize,
    /// Items already up to date.
    pub unchanged: usize,
}

/// Slugs a page may not take, because the site's own sections live there.
pub const RESERVED_PAGE_SLUGS: &[&str] = &[
    "learning",
    "cpd",
    "forums",
    "library",
    "events",
    "newsletters",
    "standards",
    "search",
    "account",
    "admin",
    "sign-in",
    "sign-out",
    "register",
    "verify-email",
    "reset-password",
    "certificates",
    "health",
    "pkg",
    "api",
    "good-practice",
    "tom",
];

/// Reads and validates everything under `dir` without touching the database.
pub fn load(dir: &Path) -> std::result::Result<ContentSet, ContentErrors> {
    let (set, errors) = load_valid(dir);
    if errors.0.is_empty() {
        Ok(set)
    } else {
        Err(errors)
    }
}

/// What is valid under `dir` (all the pages, or none if any page has a problem; each module
/// without problems), and every problem found.
fn load_valid(dir: &Path) -> (ContentSet, ContentErrors) {
    let mut errors = Vec::new();
    let pages = load_pages(dir, &mut errors);
    let pages = if errors.is_empty() { pages } else { Vec::new() };
    let mut forum_errors = Vec::new();
    let forums = crate::forums::load_forums(dir, &mut forum_errors);
    let forums = if forum_errors.is_empty() {
        forums
    } else {
        errors.extend(forum_errors);
        Vec::new()
    };
    let (valid_modules, module_errors) = modules::load_each_module(dir);
    errors.extend(module_errors);
    let mut library_errors = Vec::new();
    let library = crate::library::load_library(dir, &mut library_errors);
    let library = if library_errors.is_empty() {
        library
    } else {
        errors.extend(library_errors);
        Vec::new()
    };
    crate::library::check_document_links(dir, &library_slugs(dir), &mut errors);
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    (
        ContentSet {
            pages,
            modules: valid_modules,
            forums,
            library,
        },
        ContentErrors(errors),
    )
}

/// Validates the content in `dir` and imports what is valid: all the pages (or none, if any
/// page has a problem) and every module without problems. A module or page with a problem
/// keeps its previous revision; the problems are returned after the valid parts are in.
pub async fn import(
    services: &Services,
    dir: &Path,
) -> std::result::Result<ImportReport, ImportError> {
    let (set, errors) = load_valid(dir);
    let pages = services.pages.import(&set.pages).await?;
    let modules = services.learning.import(&set.modules).await?;
    let forums = services.forums.import(&set.forums).await?;
    let library = services.library.import(&set.library).await?;
    if !errors.0.is_empty() {
        return Err(ImportError::Invalid(errors));
    }
    let reports = [pages, modules, forums, library];
    Ok(ImportReport {
        created: reports.iter().map(|report| report.created).sum(),
        updated: reports.iter().map(|report| report.updated).sum(),
        unchanged: reports.iter().map(|report| report.unchanged).sum(),
    })
}

/// The slugs of every file under `dir/library/`, valid or not, so that a link to a document
/// with a problem of its own is not reported a second time.
fn library_slugs(dir: &Path) -> std::collections::BTreeSet<String> {
    markdown_files(&dir.join("library"))
        .unwrap_or_default()
        .iter()
        .filter_map(|path| path.file_stem()?.to_str().map(ToOwned::to_owned))
        .collect()
}

/// Why an import did not happen.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// The content has errors; nothing was imported.
    #[error("{0}")]
    Invalid(ContentErrors),
    /// Storing the content failed.
    #[error(transparent)]
    Storage(#[from] crate::Error),
}

/// The `*.md` files in `dir/<folder>`, sorted; a folder that cannot be read is reported.
pub(crate) fn sorted_markdown_files(
    dir: &Path,
    folder: &str,
    errors: &mut Vec<ContentError>,
) -> Vec<PathBuf> {
    let folder_path = dir.join(folder);
    match markdown_files(&folder_path) {
        Ok(mut paths) => {
            paths.sort();
            paths
        }
        Err(err) => {
            errors.push(ContentError {
                path: folder_path,
                line: 1,
                message: format!("cannot read the {folder} folder: {err}"),
            });
            Vec::new()
        }
    }
}

fn load_pages(dir: &Path, errors: &mut Vec<ContentError>) -> Vec<PageSource> {
    let paths = sorted_markdown_files(dir, "pages", errors);
    let mut pages = Vec::with_capacity(paths.len());
    for path in paths {
        if let Some(page) = load_page(dir, &path, errors) {
            pages.push(page);
        }
    }
    pages
}

fn load_page(dir: &Path, path: &Path, errors: &mut Vec<ContentError>) -> Option<PageSource> {
    let at = |line: usize, message: String| ContentError {
        path: path.to_path_buf(),
        line,
        message,
    };
    let (text, slug) = read_content_file(path, errors)?;
    let before = errors.len();
    if !is_slug(&slug) {
        errors.push(at(
            1,
            format!("file name `{slug}` must be lowercase letters, digits and hyphens"),
        ));
    } else if RESERVED_PAGE_SLUGS.contains(&slug.as_str()) {
        errors.push(at(
            1,
            format!("`{slug}` is a section of the site; choose another file name"),
        ));
    }
    let document: Document<PageFrontMatter> = match parse_document(path, &text) {
        Ok(document) => document,
        Err(error) => {
            errors.push(error);
            return None;
        }
    };
    for (field, value) in [
        ("title", &document.front.title),
        ("summary", &document.front.summary),
    ] {
        if value.get_ref().trim().is_empty() {
            errors.push(at(
                document.line_of(value.span().start),
                format!("`{field}` must not be blank"),
            ));
        }
    }
    let audience = parse_audience(
        document.front.audience.as_ref(),
        &|offset| document.line_of(offset),
        errors,
        &at,
    );
    if errors.len() > before {
        return None;
    }
    let source_path = path
        .strip_prefix(dir)
        .unwrap_or(path)
        .to_string_lossy()
        .into_owned();
    Some(PageSource {
        slug,
        source_path,
        title: document.front.title.get_ref().trim().to_owned(),
        summary: document.front.summary.get_ref().trim().to_owned(),
        rendered: markdown::render(&document.body, Audience::Author),
        body_markdown: document.body,
        content_hash: content_hash(text.as_bytes()),
        audience,
    })
}

/// An audience from front matter (`audience = [...]`), reporting unknown entries by line.
pub(crate) fn parse_audience(
    spanned: Option<&toml::Spanned<Vec<toml::Spanned<String>>>>,
    line_of: &impl Fn(usize) -> usize,
    errors: &mut Vec<ContentError>,
    at: &impl Fn(usize, String) -> ContentError,
) -> crate::access::Audience {
    use crate::access::Audience as Readers;
    let Some(spanned) = spanned else {
        return Readers::Public;
    };
    let entries = spanned.get_ref();
    if entries.is_empty() {
        errors.push(at(
            line_of(spanned.span().start),
            "`audience` must name `members` or at least one group; leave it out for a public page"
                .to_owned(),
        ));
        return Readers::Public;
    }
    let mut groups = Vec::new();
    for entry in entries {
        let line = line_of(entry.span().start);
        match entry.get_ref().as_str() {
            "members" if entries.len() == 1 => return Readers::Members,
            "members" => errors.push(at(
                line,
                "`members` already includes every group; list it alone".to_owned(),
            )),
            group if GROUPS.contains(&group) => groups.push(group.to_owned()),
            other => errors.push(at(
                line,
                format!(
                    "unknown audience `{other}`: use `members` or one of the groups {}",
                    GROUPS.join(", ")
                ),
            )),
        }
    }
    Readers::Groups(groups)
}

/// The member groups content may be restricted to (seeded by the migrations).
pub const GROUPS: [&str; 5] = [
    "oh-managers",
    "oh-technicians",
    "physiotherapists",
    "mental-health-nurses",
    "cmo",
];

/// The text of the content file at `path` and the slug its name gives (`about.md` → `about`),
/// or `None` with the problem reported when it cannot be read.
pub(crate) fn read_content_file(
    path: &Path,
    errors: &mut Vec<ContentError>,
) -> Option<(String, String)> {
    match std::fs::read_to_string(path) {
        Ok(text) => {
            let slug = path
                .file_stem()
                .and_then(|stem| stem.to_str())
                .unwrap_or_default()
                .to_owned();
            Some((text, slug))
        }
        Err(err) => {
            errors.push(ContentError {
                path: path.to_path_buf(),
                line: 1,
                message: format!("cannot read file: {err}"),
            });
            None
        }
    }
}

/// Lists the `*.md` files directly inside `dir`.
pub fn markdown_files(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_file() && path.extension().is_some_and(|ext| ext == "md") {
            paths.push(path);
        }
    }
    Ok(paths)
}

/// True when `text` is a non-empty run of lowercase ASCII letters, digits and single hyphens.
pub fn is_slug(text: &str) -> bool {
    !text.is_empty()
        && !text.starts_with('-')
        && !text.ends_with('-')
        && !text.contains("--")
        && text
            .chars()
            .all(|ch| ch.is_ascii_lowercase() || ch.is_ascii_digit() || ch == '-')
}

/// Hex SHA-256 of `bytes`.
pub fn content_hash(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}
