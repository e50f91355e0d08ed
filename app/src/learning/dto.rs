//! What the browser receives about eLearning.

use serde::{Deserialize, Serialize};

/// A module in the catalogue.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleCardView {
    /// URL slug.
    pub slug: String,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Professions it is written for, as labels (empty: everyone).
    pub audience: Vec<String>,
    /// Topics, as words.
    pub topics: Vec<String>,
    /// Estimated time, e.g. "1 hour 40 minutes".
    pub estimated: String,
    /// CPD recorded on passing, e.g. "1.75 hours".
    pub cpd: String,
    /// Number of lessons.
    pub lessons: usize,
    /// "Not started", "In progress" or "Completed"; empty for visitors who cannot learn yet.
    pub status: String,
    /// "Draft", "Awaiting clinical review" or "Clinically reviewed", as recorded.
    pub review_status: String,
    /// The next clinical review is past due (only ever set for editors).
    pub review_overdue: bool,
}

/// One recorded clinical review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewView {
    /// "1 December 2026".
    pub date: String,
    /// Who reviewed, with their roles.
    pub reviewers: Vec<String>,
    /// What it covered, if recorded.
    pub note: Option<String>,
}

/// Who wrote a module and its clinical reviews, exactly as recorded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GovernanceView {
    /// Authors.
    pub authors: Vec<String>,
    /// Reviews, newest first.
    pub reviews: Vec<ReviewView>,
    /// "1 December 2027", when the next review is due.
    pub next_review: Option<String>,
}

/// The page where an editor records a clinical review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReviewFormView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// The status now, as recorded.
    pub review_status: String,
    /// The latest review, if any: "1 December 2026 by …".
    pub last_review: Option<String>,
    /// Today, `YYYY-MM-DD`, the review date offered.
    pub today: String,
    /// A year from today, `YYYY-MM-DD`, the next review date offered.
    pub a_year_on: String,
}

/// The catalogue page's data.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CatalogueView {
    /// Modules after filtering.
    pub modules: Vec<ModuleCardView>,
    /// (value, label) professions for the filter.
    pub professions: Vec<(String, String)>,
    /// (value, label) topics for the filter.
    pub topics: Vec<(String, String)>,
    /// The visitor may create modules (an editor).
    pub can_create: bool,
}

/// A lesson in a module's contents.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonItemView {
    /// URL slug.
    pub slug: String,
    /// Position.
    pub position: i32,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time in minutes.
    pub minutes: i32,
    /// Finished.
    pub done: bool,
    /// Finished, revised since.
    pub changed: bool,
}

/// A module's overview page.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModuleView {
    /// Catalogue details.
    pub card: ModuleCardView,
    /// Learning outcomes.
    pub outcomes: Vec<String>,
    /// Authors and clinical reviews.
    pub governance: GovernanceView,
    /// Pass mark, percent.
    pub pass_mark: i32,
    /// "Revision 2, updated 25 November 2026".
    pub revision: String,
    /// Lessons.
    pub lessons: Vec<LessonItemView>,
    /// Lesson to resume at.
    pub resume: Option<String>,
    /// Number of questions.
    pub questions: usize,
    /// Certificate code once passed.
    pub certificate: Option<String>,
    /// The visitor may open lessons.
    pub can_learn: bool,
    /// The visitor may edit the module.
    pub can_edit: bool,
}

/// A lesson page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonPageView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Lesson slug.
    pub slug: String,
    /// Position.
    pub position: i32,
    /// Lessons in the module.
    pub total: usize,
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time.
    pub minutes: i32,
    /// Sanitised HTML.
    pub html: String,
    /// (level, id, text) headings for the contents list.
    pub headings: Vec<(u8, String, String)>,
    /// Previous (slug, title).
    pub previous: Option<(String, String)>,
    /// Next (slug, title).
    pub next: Option<(String, String)>,
    /// Finished.
    pub done: bool,
    /// Finished, revised since.
    pub changed: bool,
}

/// A knowledge-check question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionView {
    /// Key (form field `answer-<key>`).
    pub key: String,
    /// Choose all that apply.
    pub multiple: bool,
    /// The question.
    pub prompt: String,
    /// Options.
    pub options: Vec<String>,
}

/// The knowledge-check page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Pass mark.
    pub pass_mark: i32,
    /// Questions.
    pub questions: Vec<QuestionView>,
}

/// One option of a marked question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct OptionResultView {
    /// Text.
    pub text: String,
    /// Chosen.
    pub chosen: bool,
    /// Correct.
    pub correct: bool,
    /// Feedback.
    pub feedback: String,
}

/// A marked question.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct QuestionResultView {
    /// The question.
    pub prompt: String,
    /// Answered correctly.
    pub correct: bool,
    /// Options.
    pub options: Vec<OptionResultView>,
    /// Explanation.
    pub explanation: String,
}

/// A marked attempt.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AttemptView {
    /// Module slug.
    pub module_slug: String,
    /// Module title.
    pub module_title: String,
    /// Score, percent.
    pub score: i32,
    /// Pass mark.
    pub pass_mark: i32,
    /// Passed.
    pub passed: bool,
    /// When, UK time.
    pub taken: String,
    /// Marked questions (empty if the module was revised since).
    pub questions: Vec<QuestionResultView>,
    /// Certificate code.
    pub certificate: Option<String>,
}

/// A certificate.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CertificatePageView {
    /// Code.
    pub code: String,
    /// Member's name.
    pub member_name: String,
    /// Module title.
    pub module_title: String,
    /// Module slug.
    pub module_slug: String,
    /// CPD, e.g. "1.75 hours".
    pub cpd: String,
    /// Date passed, UK.
    pub issued: String,
}

/// A lesson as an editor sees it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LessonDraftView {
    /// Title.
    pub title: String,
    /// Summary.
    pub summary: String,
    /// Reading time in minutes.
    pub minutes: String,
    /// Markdown body.
    pub body: String,
}
