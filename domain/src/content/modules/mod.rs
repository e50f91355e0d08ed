//! eLearning modules under `content/modules/<slug>/`: `module.toml` (settings, outcomes, the
//! order of lessons and the knowledge check) and `NN-<name>.md` lessons with `+++` TOML front
//! matter. Everything is validated with `path:line: message` errors; the doc comments on the
//! structs below are the format's reference for authors (see also `content/README.md`).

mod governance;
mod links;
mod questions;

pub(crate) use governance::date_of;
pub use governance::{
    ClinicalReview, Governance, GovernanceManifest, ReviewManifest, ReviewStatus, toml_date,
};
pub use links::ModuleIndex;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use sha2::{Digest, Sha256};
use toml::Spanned;

use super::{ContentError, ContentErrors, Document, is_slug, parse_document};
use crate::accounts::directory::PROFESSIONS;
use crate::markdown::{self, Audience, Heading};

/// Lesson slugs that would clash with a module's own pages.
const RESERVED_LESSON_SLUGS: [&str; 4] = ["check", "edit", "media", "review"];
/// Image types a lesson may show, by extension.
const IMAGE_TYPES: [(&str, &str); 6] = [
    ("png", "image/png"),
    ("jpg", "image/jpeg"),
    ("jpeg", "image/jpeg"),
    ("gif", "image/gif"),
    ("svg", "image/svg+xml"),
    ("webp", "image/webp"),
];

/// `module.toml`: one module's settings, learning outcomes, the order of its lessons and its
/// knowledge check. It sits in the module's folder, `content/modules/<slug>/`, beside the
/// lessons; the folder name is the module's address (`/learning/<slug>`) and must be lowercase
/// letters, digits and single hyphens. Any key not described here is an error, so a typo is
/// never silently ignored.
///
/// ```toml
/// title = "Assessing fitness for duty"
/// summary = "How OH practitioners assess whether officers and staff can do their role safely."
/// audience = ["oh-physician", "oh-nurse"]
/// topics = ["fitness-for-duty", "night-work"]
/// estimated_minutes = 90
/// cpd_hours = 1.5
/// pass_mark = 70
/// outcomes = [
///   "Explain the difference between fitness for duty and fitness to work",
///   "Write a management referral report that answers the questions asked",
/// ]
/// lessons = ["01-fitness-for-duty-in-policing.md", "02-recruitment-and-medical-standards.md"]
///
/// [[questions]]
/// id = "recruitment-standard"
/// kind = "single"
/// prompt = "Which document sets the medical standard for police recruitment?"
/// explanation = "Shown with the result, whatever the learner chose."
///
/// [[questions.options]]
/// text = "An option"
/// correct = true
/// feedback = "Shown to a learner who chose this option."
///
/// [[questions.options]]
/// text = "Another option"
/// feedback = "Shown to a learner who chose this option."
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModuleManifest {
    /// The module's title, shown in the catalogue, on its overview page and on the certificate.
    /// Required, not blank.
    pub title: Spanned<String>,
    /// One or two sentences for the catalogue and the overview page. Required, not blank.
    pub summary: Spanned<String>,
    /// The professions the module is written for, as the values used on the application form:
    /// `oh-physician`, `oh-nurse`, `oh-manager`, `oh-technician`, `physiotherapist`,
    /// `mental-health-nurse`, `administrator` or `other`. Optional: empty or left out means
    /// everyone. It guides learners; it does not stop anyone taking the module.
    #[serde(default)]
    pub audience: Vec<Spanned<String>>,
    /// Topics for the catalogue's filter, each a slug (`night-work`, `equality-act`).
    /// Optional.
    #[serde(default)]
    pub topics: Vec<Spanned<String>>,
    /// Roughly how long the module takes, in minutes, including the knowledge check.
    /// Required, above 0.
    pub estimated_minutes: Spanned<u32>,
    /// The CPD hours recorded in the learner's CPD log when they pass, e.g. `1.5` (stored to
    /// the nearest minute). Required, above 0 and at most 100.
    pub cpd_hours: Spanned<f64>,
    /// The percentage of questions a learner must answer correctly to pass, from 1 to 100
    /// (e.g. `70`). Required.
    pub pass_mark: Spanned<u32>,
    /// What the learner will be able to do after the module, one sentence each, shown on the
    /// overview and the certificate. Required: at least one, none blank.
    pub outcomes: Spanned<Vec<Spanned<String>>>,
    /// The lesson files, in the order learners take them: each named `NN-<name>.md` (two
    /// digits, a hyphen, then lowercase letters, digits and hyphens), in the module's folder.
    /// The `<name>` is the lesson's address (`01-night-work.md` → `/learning/<module>/night-work`),
    /// so two files may not share it, and `check`, `edit`, `media` and `review` are taken by
    /// the module's own pages. Required: at least one; every lesson file in the folder listed exactly once.
    pub lessons: Spanned<Vec<Spanned<String>>>,
    /// The knowledge check, one `[[questions]]` table per question, asked in this order.
    /// Required: at least one.
    #[serde(default)]
    pub questions: Vec<QuestionManifest>,
    /// Who wrote the module, its status and its clinical reviews: see [`GovernanceManifest`].
    /// Required.
    #[serde(default)]
    pub governance: Option<GovernanceManifest>,
}

/// One knowledge-check question, a `[[questions]]` table in `module.toml`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionManifest {
    /// A stable name for the question, unique in the module, as a slug (`night-work-duty`).
    /// Learners' attempts refer to it, so keep it when you reword the question. Required.
    pub id: Spanned<String>,
    /// How it is answered: `"single"` (choose one; exactly one option is correct) or
    /// `"multiple"` (choose all that apply; at least one option is correct). Required.
    pub kind: Spanned<String>,
    /// The question as the learner reads it. Required, not blank.
    pub prompt: Spanned<String>,
    /// Why the right answer is right, shown with the result whatever the learner chose.
    /// Required, not blank.
    pub explanation: Spanned<String>,
    /// The options, one `[[questions.options]]` table each, shown in this order. Required: at
    /// least two.
    #[serde(default)]
    pub options: Vec<OptionManifest>,
}

/// One option of a question, a `[[questions.options]]` table after its `[[questions]]`.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OptionManifest {
    /// The option as the learner reads it. Required, not blank.
    pub text: Spanned<String>,
    /// `true` if choosing it is the right answer (or, for a `multiple` question, part of it).
    /// Optional: defaults to `false`.
    #[serde(default)]
    pub correct: bool,
    /// Shown to a learner who chose this option, saying why it is or is not right. Required,
    /// not blank.
    pub feedback: Spanned<String>,
}

/// A lesson's front matter: the TOML between the `+++` lines at the top of `NN-<name>.md`.
/// Any other key is an error.
///
/// ```toml
/// +++
/// title = "Night work health assessments"
/// summary = "What the Working Time Regulations 1998 require and how OH meets it."
/// minutes = 12
/// +++
/// ```
///
/// The Markdown after it is the lesson. Link to another lesson of the module by its file name,
/// `[the next lesson](08-writing-reports.md)`, optionally followed by `#heading-id`; to another
/// module's lesson as `../<module>/<file>.md` (`#heading-id` allowed) or its overview as
/// `../<module>/`; show an image kept in the module's folder with `![Alt text](chart.png)`
/// (PNG, JPEG, GIF, SVG or WebP). Other relative links, and links to a module or lesson that
/// does not exist, are errors; links starting with `/`, `#`, `https://`,
/// `http://` or `mailto:` are left as written.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LessonFrontMatter {
    /// The lesson's title, its page heading and its entry in the module's list of lessons.
    /// Required, not blank.
    pub title: Spanned<String>,
    /// One sentence for the module's list of lessons. Required, not blank.
    pub summary: Spanned<String>,
    /// Roughly how long the lesson takes to read, in minutes. Required, above 0.
    pub minutes: Spanned<u32>,
}

/// How a knowledge-check question is answered (`kind` in `module.toml`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QuestionKind {
    /// `"single"`: the learner chooses one option; exactly one is correct.
    Single,
    /// `"multiple"`: the learner chooses all options that apply; at least one is correct.
    Multiple,
}

impl QuestionKind {
    /// The written and stored form: `"single"` or `"multiple"`.
    pub fn as_str(self) -> &'static str {
        match self {
            QuestionKind::Single => "single",
            QuestionKind::Multiple => "multiple",
        }
    }

    /// Parses the written form; `None` for anything but `"single"` or `"multiple"`.
    pub fn parse(text: &str) -> Option<QuestionKind> {
        match text {
            "single" => Some(QuestionKind::Single),
            "multiple" => Some(QuestionKind::Multiple),
            _ => None,
        }
    }
}

/// A module that passed every check, ready to import: `module.toml` with its lessons, questions
/// and images, text trimmed and lessons rendered.
#[derive(Clone, Debug)]
pub struct ModuleSource {
    /// The folder name, which is the module's address: `modules/night-work/` →
    /// `/learning/night-work`.
    pub slug: String,
    /// The folder relative to the content directory, e.g. `modules/assessing-fitness-for-duty`.
    pub source_dir: String,
    /// The module's title.
    pub title: String,
    /// The catalogue summary.
    pub summary: String,
    /// The professions it is written for (values of `PROFESSIONS`); empty means everyone.
    pub audience: Vec<String>,
    /// Topic slugs for the catalogue's filter.
    pub topics: Vec<String>,
    /// Estimated minutes to complete, above 0.
    pub estimated_minutes: u32,
    /// CPD hours as written in `module.toml`, above 0 and at most 100.
    pub cpd_hours: f32,
    /// The same CPD time in whole minutes (`1.5` hours → 90): what is stored and recorded.
    pub cpd_minutes: u32,
    /// The percentage of questions to answer correctly to pass, 1 to 100.
    pub pass_mark: u8,
    /// The learning outcomes, at least one.
    pub outcomes: Vec<String>,
    /// The lessons in the order listed in `module.toml`, at least one.
    pub lessons: Vec<LessonSource>,
    /// The knowledge-check questions in order, at least one.
    pub questions: Vec<QuestionSource>,
    /// The images the lessons show, each once, in the order first shown.
    pub media: Vec<MediaSource>,
    /// Authors, status and clinical reviews.
    pub governance: Governance,
    /// SHA-256 (hex) over `module.toml`, then each lesson file in order, each followed by the
    /// images it is first to show: any change to the module gives a new hash, and a new
    /// revision when imported.
    pub content_hash: String,
}

/// A lesson that passed every check.
#[derive(Clone, Debug)]
pub struct LessonSource {
    /// The lesson's address within its module: the file name without its `NN-` prefix and
    /// `.md` (`01-fitness-for-duty-in-policing.md` → `fitness-for-duty-in-policing`).
    pub slug: String,
    /// The file name, e.g. `01-fitness-for-duty-in-policing.md`.
    pub file_name: String,
    /// 1-based position in `module.toml`'s `lessons`.
    pub position: u32,
    /// The lesson's title.
    pub title: String,
    /// The one-sentence summary.
    pub summary: String,
    /// Reading time in minutes, above 0.
    pub minutes: u32,
    /// The Markdown after the front matter, as written.
    pub body_markdown: String,
    /// The body as sanitised HTML (the author pipeline), with links to other lessons and
    /// images rewritten to their addresses ([`lesson_path`], [`media_path`]).
    pub html: String,
    /// The `##` and `###` headings, for the lesson's contents list.
    pub headings: Vec<Heading>,
    /// SHA-256 (hex) of the lesson file: flags lessons that changed between revisions.
    pub content_hash: String,
}

/// A knowledge-check question that passed every check.
#[derive(Clone, Debug)]
pub struct QuestionSource {
    /// The question's stable id, a slug unique in the module.
    pub id: String,
    /// Whether one option or all that apply are chosen.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// Why the right answer is right, shown with the result.
    pub explanation: String,
    /// The options in the order shown, at least two, at least one correct (exactly one for
    /// [`QuestionKind::Single`]).
    pub options: Vec<OptionSource>,
}

/// One option of a question.
#[derive(Clone, Debug)]
pub struct OptionSource {
    /// The option as the learner reads it.
    pub text: String,
    /// Whether choosing it is (part of) the right answer.
    pub correct: bool,
    /// Shown to a learner who chose it.
    pub feedback: String,
}

/// An image kept in the module's folder and shown by a lesson, served at [`media_path`].
#[derive(Clone, Debug)]
pub struct MediaSource {
    /// The file name, e.g. `referral-flow.png`.
    pub file_name: String,
    /// Its MIME type from the extension: `image/png`, `image/jpeg` (`.jpg`, `.jpeg`),
    /// `image/gif`, `image/svg+xml` or `image/webp`.
    pub content_type: String,
    /// The file's bytes.
    pub bytes: Vec<u8>,
}

/// A lesson's address: `/learning/{module_slug}/{lesson_slug}`.
pub fn lesson_path(module_slug: &str, lesson_slug: &str) -> String {
    format!("/learning/{module_slug}/{lesson_slug}")
}

/// An image's address: `/learning/{module_slug}/media/{file_name}`.
pub fn media_path(module_slug: &str, file_name: &str) -> String {
    format!("/learning/{module_slug}/media/{file_name}")
}

/// Reads and validates every module under `<content_dir>/modules/` (none if the folder is
/// missing), links between them checked against each other; all problems are reported,
/// sorted by file and line.
pub fn load_modules(content_dir: &Path) -> Result<Vec<ModuleSource>, ContentErrors> {
    let (modules, errors) = load_each_module(content_dir);
    if errors.is_empty() {
        Ok(modules)
    } else {
        Err(ContentErrors(errors))
    }
}

/// Every module under `<content_dir>/modules/` that has no problem, and the problems of the
/// others (sorted by file and line): what an import takes when some modules are broken.
pub fn load_each_module(content_dir: &Path) -> (Vec<ModuleSource>, Vec<ContentError>) {
    let modules_dir = content_dir.join("modules");
    if !modules_dir.is_dir() {
        return (Vec::new(), Vec::new());
    }
    let mut folders: Vec<PathBuf> = match std::fs::read_dir(&modules_dir) {
        Ok(entries) => entries
            .filter_map(|entry| entry.ok().map(|entry| entry.path()))
            .filter(|path| path.is_dir())
            .collect(),
        Err(err) => {
            let error = ContentError {
                path: modules_dir,
                line: 1,
                message: format!("cannot read the modules folder: {err}"),
            };
            return (Vec::new(), vec![error]);
        }
    };
    folders.sort();
    let index = ModuleIndex::read(content_dir);
    let mut modules = Vec::new();
    let mut errors = Vec::new();
    for folder in folders {
        let mut module_errors = Vec::new();
        match load_module(content_dir, &folder, &index, &mut module_errors) {
            Some(module) if module_errors.is_empty() => modules.push(module),
            _ => errors.extend(module_errors),
        }
    }
    errors.sort_by(|a, b| a.path.cmp(&b.path).then(a.line.cmp(&b.line)));
    (modules, errors)
}

/// Validates one module folder, its links to other modules checked against `index`; problems
/// are added to `errors` and the module is returned only if it has none.
pub fn load_module(
    content_dir: &Path,
    module_dir: &Path,
    module_index: &ModuleIndex,
    errors: &mut Vec<ContentError>,
) -> Option<ModuleSource> {
    let before = errors.len();
    let manifest_path = module_dir.join("module.toml");
    let slug = module_dir
        .file_name()
        .and_then(|name| name.to_str())
        .unwrap_or_default()
        .to_owned();
    let error_at = |path: &Path, line: usize, message: String| ContentError {
        path: path.to_path_buf(),
        line,
        message,
    };
    if !is_slug(&slug) {
        errors.push(error_at(
            &manifest_path,
            1,
            format!("folder name `{slug}` must be lowercase letters, digits and hyphens"),
        ));
    } else if slug == "new" {
        errors.push(error_at(
            &manifest_path,
            1,
            "folder name `new` is used by the learning section's own pages; choose another"
                .to_owned(),
        ));
    }
    let manifest_bytes = match std::fs::read(&manifest_path) {
        Ok(bytes) => bytes,
        Err(err) => {
            errors.push(error_at(
                &manifest_path,
                1,
                format!("cannot read module.toml: {err}"),
            ));
            return None;
        }
    };
    let manifest_text = String::from_utf8_lossy(&manifest_bytes).into_owned();
    let line_of = |offset: usize| line_at(&manifest_text, offset);
    let manifest: ModuleManifest = match toml::from_str(&manifest_text) {
        Ok(manifest) => manifest,
        Err(err) => {
            let line = err.span().map(|span| line_of(span.start)).unwrap_or(1);
            errors.push(error_at(
                &manifest_path,
                line,
                err.message().trim().to_owned(),
            ));
            return None;
        }
    };
    let mut problem = |span: std::ops::Range<usize>, message: String| {
        errors.push(error_at(&manifest_path, line_of(span.start), message));
    };
    for (field, value) in [("title", &manifest.title), ("summary", &manifest.summary)] {
        if value.get_ref().trim().is_empty() {
            problem(value.span(), format!("`{field}` must not be blank"));
        }
    }
    for value in &manifest.audience {
        let profession = value.get_ref();
        if !PROFESSIONS.iter().any(|(known, _)| known == profession) {
            problem(
                value.span(),
                format!(
                    "audience `{profession}` is not a profession (use the values from the application form)"
                ),
            );
        }
    }
    for topic in &manifest.topics {
        if !is_slug(topic.get_ref()) {
            problem(
                topic.span(),
                format!(
                    "topic `{}` must be lowercase letters, digits and hyphens",
                    topic.get_ref()
                ),
            );
        }
    }
    if *manifest.estimated_minutes.get_ref() == 0 {
        problem(
            manifest.estimated_minutes.span(),
            "`estimated_minutes` must be above 0".to_owned(),
        );
    }
    let cpd_hours = *manifest.cpd_hours.get_ref();
    if !(cpd_hours > 0.0 && cpd_hours <= 100.0) {
        problem(
            manifest.cpd_hours.span(),
            "`cpd_hours` must be above 0 and at most 100".to_owned(),
        );
    }
    let pass_mark = *manifest.pass_mark.get_ref();
    if !(1..=100).contains(&pass_mark) {
        problem(
            manifest.pass_mark.span(),
            "`pass_mark` must be a percentage from 1 to 100".to_owned(),
        );
    }
    if manifest.outcomes.get_ref().is_empty() {
        problem(
            manifest.outcomes.span(),
            "list at least one learning outcome".to_owned(),
        );
    }
    for outcome in manifest.outcomes.get_ref() {
        if outcome.get_ref().trim().is_empty() {
            problem(
                outcome.span(),
                "learning outcomes must not be blank".to_owned(),
            );
        }
    }
    if manifest.lessons.get_ref().is_empty() {
        problem(
            manifest.lessons.span(),
            "list at least one lesson".to_owned(),
        );
    }
    if manifest.questions.is_empty() {
        problem(
            0..0,
            "add at least one knowledge-check question (`[[questions]]`)".to_owned(),
        );
    }
    let questions = questions::validate(&manifest.questions, &mut problem);
    let governance = governance::validate(
        manifest.governance.as_ref(),
        crate::time::london_today(chrono::Utc::now()),
        &mut problem,
    );

    // Lessons: listed once each, present, named NN-<slug>.md; no unlisted lesson files.
    let listed: Vec<&Spanned<String>> = manifest.lessons.get_ref().iter().collect();
    let mut seen_files = HashSet::new();
    let mut seen_slugs = HashSet::new();
    let mut lesson_files = Vec::new();
    for entry in &listed {
        let file_name = entry.get_ref();
        if !seen_files.insert(file_name.clone()) {
            problem(
                entry.span(),
                format!("lesson `{file_name}` is listed twice"),
            );
            continue;
        }
        let Some(lesson_slug) = lesson_slug(file_name) else {
            problem(
                entry.span(),
                format!("lesson file `{file_name}` must be named like `01-<name>.md`"),
            );
            continue;
        };
        if RESERVED_LESSON_SLUGS.contains(&lesson_slug.as_str()) {
            problem(
                entry.span(),
                format!(
                    "lesson name `{lesson_slug}` is used by the module's own pages; rename the file"
                ),
            );
            continue;
        }
        if !seen_slugs.insert(lesson_slug.clone()) {
            problem(
                entry.span(),
                format!("two lessons would both be called `{lesson_slug}`; rename one"),
            );
            continue;
        }
        if !module_dir.join(file_name).is_file() {
            problem(
                entry.span(),
                format!("lesson file `{file_name}` is missing"),
            );
            continue;
        }
        lesson_files.push((file_name.clone(), lesson_slug));
    }
    let listed_names: HashSet<&str> = listed
        .iter()
        .map(|entry| entry.get_ref().as_str())
        .collect();
    if let Ok(files) = super::markdown_files(module_dir) {
        let mut unlisted: Vec<String> = files
            .iter()
            .filter_map(|path| path.file_name().and_then(|name| name.to_str()))
            .filter(|name| !listed_names.contains(name))
            .map(ToOwned::to_owned)
            .collect();
        unlisted.sort();
        for name in unlisted {
            problem(
                manifest.lessons.span(),
                format!("`{name}` is in the folder but not listed in `lessons`"),
            );
        }
    }

    let lesson_names: Vec<(String, String)> = lesson_files.clone();
    let mut hasher = Sha256::new();
    hasher.update(&manifest_bytes);
    let mut lessons = Vec::new();
    let mut media: Vec<MediaSource> = Vec::new();
    for (index, (file_name, lesson_slug)) in lesson_files.into_iter().enumerate() {
        let path = module_dir.join(&file_name);
        let bytes = match std::fs::read(&path) {
            Ok(bytes) => bytes,
            Err(err) => {
                errors.push(error_at(&path, 1, format!("cannot read file: {err}")));
                continue;
            }
        };
        hasher.update(&bytes);
        let text = String::from_utf8_lossy(&bytes).into_owned();
        let document: Document<LessonFrontMatter> = match parse_document(&path, &text) {
            Ok(document) => document,
            Err(error) => {
                errors.push(error);
                continue;
            }
        };
        let front = &document.front;
        for (field, value) in [("title", &front.title), ("summary", &front.summary)] {
            if value.get_ref().trim().is_empty() {
                errors.push(error_at(
                    &path,
                    document.line_of(value.span().start),
                    format!("`{field}` must not be blank"),
                ));
            }
        }
        if *front.minutes.get_ref() == 0 {
            errors.push(error_at(
                &path,
                document.line_of(front.minutes.span().start),
                "`minutes` must be above 0".to_owned(),
            ));
        }
        let links = links::LessonLinks {
            module: &slug,
            lessons: &lesson_names,
            index: module_index,
        };
        let images = links.check(&path, &document, module_dir, errors);
        for (image, line) in images {
            if media.iter().any(|known| known.file_name == image) {
                continue;
            }
            let content_type = image_type(&image).unwrap_or("application/octet-stream");
            match std::fs::read(module_dir.join(&image)) {
                Ok(bytes) => {
                    hasher.update(&bytes);
                    media.push(MediaSource {
                        file_name: image,
                        content_type: content_type.to_owned(),
                        bytes,
                    });
                }
                Err(err) => errors.push(error_at(
                    &path,
                    line,
                    format!("cannot read image `{image}`: {err}"),
                )),
            }
        }
        let resolve = |destination: &str| links.address(destination);
        let rendered = markdown::render_with_links(&document.body, Audience::Author, &resolve);
        lessons.push(LessonSource {
            slug: lesson_slug,
            file_name,
            position: u32::try_from(index + 1).unwrap_or(u32::MAX),
            title: front.title.get_ref().trim().to_owned(),
            summary: front.summary.get_ref().trim().to_owned(),
            minutes: *front.minutes.get_ref(),
            body_markdown: document.body.clone(),
            html: rendered.html,
            headings: rendered.headings,
            content_hash: super::content_hash(&bytes),
        });
    }
    if errors.len() > before {
        return None;
    }
    let source_dir = module_dir
        .strip_prefix(content_dir)
        .unwrap_or(module_dir)
        .to_string_lossy()
        .into_owned();
    Some(ModuleSource {
        slug,
        source_dir,
        title: manifest.title.get_ref().trim().to_owned(),
        summary: manifest.summary.get_ref().trim().to_owned(),
        audience: manifest
            .audience
            .iter()
            .map(|value| value.get_ref().clone())
            .collect(),
        topics: manifest
            .topics
            .iter()
            .map(|value| value.get_ref().clone())
            .collect(),
        estimated_minutes: *manifest.estimated_minutes.get_ref(),
        cpd_hours: hours_as_f32(cpd_hours),
        cpd_minutes: minutes_of(cpd_hours),
        pass_mark: u8::try_from(pass_mark).unwrap_or(100),
        outcomes: manifest
            .outcomes
            .get_ref()
            .iter()
            .map(|outcome| outcome.get_ref().trim().to_owned())
            .collect(),
        lessons,
        questions,
        media,
        governance,
        content_hash: hex::encode(hasher.finalize()),
    })
}

/// `03-night-work.md` → `night-work`.
fn lesson_slug(file_name: &str) -> Option<String> {
    let stem = file_name.strip_suffix(".md")?;
    let (number, name) = stem.split_once('-')?;
    (number.len() == 2 && number.chars().all(|c| c.is_ascii_digit()) && is_slug(name))
        .then(|| name.to_owned())
}

fn image_type(file_name: &str) -> Option<&'static str> {
    let extension = file_name.rsplit_once('.')?.1.to_ascii_lowercase();
    IMAGE_TYPES
        .iter()
        .find(|(known, _)| *known == extension)
        .map(|(_, content_type)| *content_type)
}

fn line_at(text: &str, offset: usize) -> usize {
    1 + text.as_bytes()[..offset.min(text.len())]
        .iter()
        .filter(|byte| **byte == b'\n')
        .count()
}

/// CPD hours for [`ModuleSource::cpd_hours`]; validation keeps them within 0 to 100, where
/// `f32` holds any value an author writes closely enough.
fn hours_as_f32(hours: f64) -> f32 {
    #[allow(clippy::cast_possible_truncation)]
    let narrowed = hours as f32;
    narrowed
}

fn minutes_of(hours: f64) -> u32 {
    let minutes = (hours * 60.0).round();
    if minutes.is_finite() && minutes >= 0.0 && minutes <= f64::from(u32::MAX) {
        // The range check above makes the conversion exact.
        #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
        let whole = minutes as u32;
        whole
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lesson_file_names_give_slugs() {
        assert_eq!(
            lesson_slug("03-night-work.md").as_deref(),
            Some("night-work")
        );
        assert_eq!(lesson_slug("3-night-work.md"), None);
        assert_eq!(lesson_slug("03-Night.md"), None);
        assert_eq!(lesson_slug("night-work.md"), None);
    }

    #[test]
    fn cpd_hours_become_whole_minutes() {
        assert_eq!(minutes_of(1.75), 105);
        assert_eq!(minutes_of(0.5), 30);
    }
}
