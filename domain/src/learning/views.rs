//! What the learning service answers with: the catalogue's cards, a module's overview, a
//! lesson, the knowledge check, a marked attempt, a certificate and a module image.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use super::entities::{module, record};
use super::parse_list;
use crate::content::modules::{Governance, QuestionKind, ReviewStatus};
use crate::markdown::Heading;

/// Where a learner is with a module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum LearnerStatus {
    /// Not opened yet (or not signed in).
    NotStarted,
    /// Opened, knowledge check not passed.
    InProgress,
    /// Knowledge check passed.
    Completed,
}

/// Narrows the catalogue; empty fields do not filter.
#[derive(Clone, Debug, Default)]
pub struct CatalogueFilter {
    /// Only modules for this profession (or for everyone).
    pub profession: Option<String>,
    /// Only modules with this topic.
    pub topic: Option<String>,
}

/// A module as listed in the catalogue.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleCard {
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Professions it is written for (empty: everyone).
    pub audience: Vec<String>,
    /// Topic slugs.
    pub topics: Vec<String>,
    /// Estimated time to complete.
    pub estimated_minutes: i32,
    /// CPD time recorded on passing.
    pub cpd_minutes: i32,
    /// Number of lessons.
    pub lessons: usize,
    /// The learner's status.
    pub status: LearnerStatus,
    /// Its clinical governance status, as recorded.
    pub review_status: ReviewStatus,
    /// Its next clinical review is past due; only ever set for editors.
    pub review_overdue: bool,
}

/// The catalogue as one visitor sees it.
#[derive(Clone, Debug, PartialEq)]
pub struct Catalogue {
    /// The modules, in title order, with the learner's status on each.
    pub modules: Vec<ModuleCard>,
    /// The visitor may open lessons (an approved member).
    pub can_learn: bool,
    /// The visitor may create modules (an editor).
    pub can_create: bool,
}

/// A lesson in a module's contents list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonSummary {
    /// URL slug.
    pub slug: String,
    /// 1-based position.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time.
    pub minutes: i32,
    /// The learner finished it.
    pub done: bool,
    /// The learner finished it, but it has been revised since.
    pub changed_since_done: bool,
}

/// A module's overview page.
#[derive(Clone, Debug, PartialEq)]
pub struct ModuleOverview {
    /// Catalogue details.
    pub card: ModuleCard,
    /// Learning outcomes.
    pub outcomes: Vec<String>,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Authors, status and clinical reviews, exactly as recorded.
    pub governance: Governance,
    /// Revision number (1 for the first import).
    pub revision: i32,
    /// When this revision was imported.
    pub updated_at: DateTime<Utc>,
    /// Lessons in order, with the learner's progress.
    pub lessons: Vec<LessonSummary>,
    /// The lesson to resume at, if the learner has started.
    pub resume: Option<String>,
    /// Number of knowledge-check questions.
    pub questions: usize,
    /// The learner's certificate code, once passed.
    pub certificate: Option<String>,
    /// The visitor may open lessons (an approved member).
    pub can_learn: bool,
    /// The visitor may edit the module (an editor).
    pub can_edit: bool,
}

/// A lesson to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct LessonView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Lesson slug.
    pub slug: String,
    /// 1-based position.
    pub position: i32,
    /// Number of lessons in the module.
    pub total: usize,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time.
    pub minutes: i32,
    /// Sanitised HTML.
    pub html: String,
    /// Table of contents.
    pub headings: Vec<Heading>,
    /// Previous lesson (slug, title).
    pub previous: Option<(String, String)>,
    /// Next lesson (slug, title).
    pub next: Option<(String, String)>,
    /// The learner has finished it.
    pub done: bool,
    /// Finished, but revised since.
    pub changed_since_done: bool,
}

/// One knowledge-check question as the learner sees it (no answers).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckQuestion {
    /// Stable key (form field `answer-<key>`).
    pub key: String,
    /// Choose one, or all that apply.
    pub kind: QuestionKind,
    /// The question.
    pub prompt: String,
    /// Option texts, in order.
    pub options: Vec<String>,
}

/// A module's knowledge check.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct KnowledgeCheck {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Questions in order.
    pub questions: Vec<CheckQuestion>,
}

/// One option in a marked attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OptionResult {
    /// Option text.
    pub text: String,
    /// The learner chose it.
    pub chosen: bool,
    /// It is a correct option.
    pub correct: bool,
    /// Feedback for it.
    pub feedback: String,
}

/// One marked question.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct QuestionResult {
    /// Question key.
    pub key: String,
    /// The question.
    pub prompt: String,
    /// Answered correctly (exactly the correct options chosen).
    pub correct: bool,
    /// Options with what was chosen and their feedback.
    pub options: Vec<OptionResult>,
    /// Why the answer is what it is.
    pub explanation: String,
}

/// A marked knowledge-check attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttemptResult {
    /// Attempt id.
    pub id: i32,
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Score, percent (rounded down).
    pub score: i32,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// Passed.
    pub passed: bool,
    /// When.
    pub taken_at: DateTime<Utc>,
    /// Each question, marked. Empty when the module was revised after the attempt.
    pub questions: Vec<QuestionResult>,
    /// The learner's certificate code, if they have passed this module.
    pub certificate: Option<String>,
}

/// A certificate, for its printable and verification page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CertificateView {
    /// Verification code.
    pub code: String,
    /// The member's name ("Former member" once they close their account).
    pub member_name: String,
    /// Module title when passed.
    pub module_title: String,
    /// Module slug.
    pub module_slug: String,
    /// CPD time recorded.
    pub cpd_minutes: i32,
    /// When passed.
    pub issued_at: DateTime<Utc>,
}

/// An image from a module.
#[derive(Clone, Debug)]
pub struct MediaFile {
    /// MIME type.
    pub content_type: String,
    /// The bytes.
    pub bytes: Vec<u8>,
}

pub(super) fn status_of(record: Option<&record::Model>) -> LearnerStatus {
    match record {
        None => LearnerStatus::NotStarted,
        Some(found) if found.passed_at.is_some() => LearnerStatus::Completed,
        Some(_) => LearnerStatus::InProgress,
    }
}

/// A module's catalogue card; `editor_today` is today's date when the visitor is an editor,
/// who is shown whether the next review is overdue.
pub(super) fn card_of(
    row: &module::Model,
    lessons: usize,
    status: LearnerStatus,
    editor_today: Option<NaiveDate>,
) -> ModuleCard {
    ModuleCard {
        slug: row.slug.clone(),
        title: row.title.clone(),
        summary: row.summary.clone(),
        audience: parse_list(&row.audience),
        topics: parse_list(&row.topics),
        estimated_minutes: row.estimated_minutes,
        cpd_minutes: row.cpd_minutes,
        lessons,
        status,
        review_status: ReviewStatus::parse(&row.review_status).unwrap_or(ReviewStatus::Draft),
        review_overdue: editor_today
            .is_some_and(|today| row.next_review_on.is_some_and(|due| due < today)),
    }
}
