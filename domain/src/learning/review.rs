//! Clinical review of modules: an editor records a review (who reviewed, when, when the next
//! is due), which is written into the module's `[governance]` as a new revision and audited;
//! readers see the governance exactly as recorded, and editors see overdue reviews flagged.

use chrono::NaiveDate;

use super::LearningService;
use super::entities::module;
use crate::accounts::{Actor, RequestOrigin};
use crate::content::modules::{ClinicalReview, Governance, ReviewStatus, toml_date};
use crate::{Error, FieldError, Result};

/// The most reviewers one review records.
const MAX_REVIEWERS: usize = 10;
/// The longest reviewer entry, in characters.
const MAX_REVIEWER_LENGTH: usize = 200;
/// The longest note, in characters.
const MAX_NOTE_LENGTH: usize = 2_000;

/// A clinical review as an editor types it.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ReviewDraft {
    /// The reviewers, one per line, each with their role.
    pub reviewers: String,
    /// The day of the review, `YYYY-MM-DD`.
    pub reviewed_on: String,
    /// When the next review is due, `YYYY-MM-DD`.
    pub next_review: String,
    /// What the review covered or concluded (optional).
    pub note: String,
}

/// What the page for recording a review starts from.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReviewForm {
    /// The module's title.
    pub module_title: String,
    /// Its governance as recorded.
    pub governance: Governance,
    /// Today in the UK, the review date offered.
    pub today: NaiveDate,
    /// A year on, the next review date offered.
    pub suggested_next_review: NaiveDate,
}

/// A review that passed every check.
struct CheckedReview {
    review: ClinicalReview,
    next_review: NaiveDate,
}

impl LearningService {
    /// The module's governance and the dates to offer, for an editor about to record a review.
    pub async fn review_form(&self, actor: &Actor, slug: &str) -> Result<ReviewForm> {
        self.may_edit(actor)?;
        let row = self.module_by_slug(slug).await?;
        let today = crate::time::london_today(chrono::Utc::now());
        Ok(ReviewForm {
            module_title: row.title.clone(),
            governance: governance_of(&row),
            today,
            suggested_next_review: today
                .checked_add_months(chrono::Months::new(12))
                .unwrap_or(today),
        })
    }

    /// Records a clinical review of the module (by an editor, on the reviewers' behalf): the
    /// module becomes "reviewed" with the review added to its history and the next review date
    /// set, as a new revision, audited as `module.review`. Each problem with the draft is
    /// answered for its field; nothing changes unless all are right.
    pub async fn record_review(
        &self,
        actor: &Actor,
        slug: &str,
        draft: &ReviewDraft,
        today: NaiveDate,
        origin: &RequestOrigin,
    ) -> Result<()> {
        self.may_edit(actor)?;
        let row = self.module_by_slug(slug).await?;
        let checked = check(draft, &governance_of(&row), today)?;
        let detail = format!(
            "clinical review {} by {}; next review {}",
            checked.review.date,
            checked.review.reviewers.join("; "),
            checked.next_review
        );
        self.apply_edit(actor, slug, origin, ("module.review", &detail), |folder| {
            let path = folder.join("module.toml");
            let text = std::fs::read_to_string(&path)?;
            let mut manifest: toml::Table = toml::from_str(&text).map_err(std::io::Error::other)?;
            add_review(&mut manifest, &checked);
            std::fs::write(
                &path,
                toml::to_string(&manifest).map_err(std::io::Error::other)?,
            )
        })
        .await
    }
}

/// A stored module's governance.
pub(super) fn governance_of(row: &module::Model) -> Governance {
    Governance {
        status: ReviewStatus::parse(&row.review_status).unwrap_or(ReviewStatus::Draft),
        authors: super::parse_list(&row.authors),
        reviews: serde_json::from_str(&row.reviews).unwrap_or_default(),
        next_review: row.next_review_on,
    }
}

/// Checks every field of the draft against the module's recorded reviews and `today`.
fn check(draft: &ReviewDraft, recorded: &Governance, today: NaiveDate) -> Result<CheckedReview> {
    let mut problems = Vec::new();
    let reviewers: Vec<String> = draft
        .reviewers
        .lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(ToOwned::to_owned)
        .collect();
    if reviewers.is_empty() {
        problems.push(FieldError::new(
            "reviewers",
            "Enter who did the review, with their role, one per line",
        ));
    } else if reviewers.len() > MAX_REVIEWERS {
        problems.push(FieldError::new(
            "reviewers",
            format!("Enter at most {MAX_REVIEWERS} reviewers"),
        ));
    } else if reviewers
        .iter()
        .any(|name| name.chars().count() > MAX_REVIEWER_LENGTH)
    {
        problems.push(FieldError::new(
            "reviewers",
            format!("Keep each reviewer to {MAX_REVIEWER_LENGTH} characters or fewer"),
        ));
    }
    let reviewed_on = NaiveDate::parse_from_str(draft.reviewed_on.trim(), "%Y-%m-%d").ok();
    let last = recorded.last_review().map(|review| review.date);
    match reviewed_on {
        None => problems.push(FieldError::new(
            "reviewed_on",
            "Enter the date of the review, like 2026-12-01",
        )),
        Some(date) if date > today => problems.push(FieldError::new(
            "reviewed_on",
            "The review date cannot be in the future",
        )),
        Some(date) if last.is_some_and(|last| date < last) => problems.push(FieldError::new(
            "reviewed_on",
            format!(
                "The review date must be on or after the last recorded review ({})",
                last.unwrap_or(date)
            ),
        )),
        Some(_) => {}
    }
    let next_review = NaiveDate::parse_from_str(draft.next_review.trim(), "%Y-%m-%d").ok();
    match (next_review, reviewed_on) {
        (None, _) => problems.push(FieldError::new(
            "next_review",
            "Enter when the next review is due, like 2027-12-01",
        )),
        (Some(next), Some(date)) if next <= date => problems.push(FieldError::new(
            "next_review",
            "The next review must be due after this review",
        )),
        _ => {}
    }
    let note = draft.note.trim();
    if note.chars().count() > MAX_NOTE_LENGTH {
        problems.push(FieldError::new(
            "note",
            format!("Keep the note to {MAX_NOTE_LENGTH} characters or fewer"),
        ));
    }
    match (reviewed_on, next_review) {
        (Some(date), Some(next_review)) if problems.is_empty() => Ok(CheckedReview {
            review: ClinicalReview {
                date,
                reviewers,
                note: (!note.is_empty()).then(|| note.to_owned()),
            },
            next_review,
        }),
        _ => Err(Error::InvalidFields(problems)),
    }
}

/// Writes the review into `module.toml`'s `[governance]`: status `reviewed`, the review last
/// in `reviews`, and the next review date.
fn add_review(manifest: &mut toml::Table, checked: &CheckedReview) {
    let governance = manifest
        .entry("governance")
        .or_insert_with(|| toml::Value::Table(toml::Table::new()));
    if !governance.is_table() {
        *governance = toml::Value::Table(toml::Table::new());
    }
    let Some(governance) = governance.as_table_mut() else {
        return;
    };
    governance.insert(
        "status".to_owned(),
        toml::Value::String(ReviewStatus::Reviewed.as_str().to_owned()),
    );
    governance.insert(
        "next_review".to_owned(),
        toml::Value::Datetime(toml_date(checked.next_review)),
    );
    let mut review = toml::Table::new();
    review.insert(
        "date".to_owned(),
        toml::Value::Datetime(toml_date(checked.review.date)),
    );
    review.insert(
        "reviewers".to_owned(),
        toml::Value::Array(
            checked
                .review
                .reviewers
                .iter()
                .cloned()
                .map(toml::Value::String)
                .collect(),
        ),
    );
    if let Some(note) = &checked.review.note {
        review.insert("note".to_owned(), toml::Value::String(note.clone()));
    }
    match governance.get_mut("reviews") {
        Some(toml::Value::Array(reviews)) => reviews.push(toml::Value::Table(review)),
        _ => {
            governance.insert(
                "reviews".to_owned(),
                toml::Value::Array(vec![toml::Value::Table(review)]),
            );
        }
    }
}
