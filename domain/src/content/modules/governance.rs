//! Clinical governance of a module: who wrote it, its status, the clinical reviews it has had
//! and when the next is due: the `[governance]` table of `module.toml`. What the site says
//! about a module's authorship and review comes only from here, so nothing is claimed that is
//! not recorded.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use toml::Spanned;
use toml::value::Datetime;

/// `[governance]` in `module.toml`. Required.
///
/// ```toml
/// [governance]
/// status = "reviewed"                  # "draft", "awaiting-clinical-review" or "reviewed"
/// authors = ["ohnet editorial team"]
/// next_review = 2027-12-01             # a date; required once reviewed
///
/// [[governance.reviews]]               # oldest first; editors add these in the app
/// date = 2026-12-01
/// reviewers = ["Name, consultant occupational physician"]
/// note = "Checked against the 2025 recruitment guidance."   # optional
/// ```
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GovernanceManifest {
    /// Where the module is: `"draft"` (being written), `"awaiting-clinical-review"` (written,
    /// not yet reviewed, or changed since its last review) or `"reviewed"` (a clinical review
    /// is recorded below). Required.
    pub status: Spanned<String>,
    /// Who wrote the module: people or teams, as they should be credited. Required: at least
    /// one, none blank.
    pub authors: Spanned<Vec<Spanned<String>>>,
    /// When the next clinical review is due, a date like `2027-12-01`. Required when the
    /// status is `"reviewed"`; after the latest review's date.
    #[serde(default)]
    pub next_review: Option<Spanned<Datetime>>,
    /// The clinical reviews recorded, oldest first, one `[[governance.reviews]]` table each.
    /// Required (at least one) when the status is `"reviewed"`.
    #[serde(default)]
    pub reviews: Vec<ReviewManifest>,
}

/// One clinical review, a `[[governance.reviews]]` table.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ReviewManifest {
    /// The day the review was done, a date like `2026-12-01`, not in the future. Required.
    pub date: Spanned<Datetime>,
    /// Who reviewed it, each with their role (`"Name, consultant occupational physician"`).
    /// Required: at least one, none blank.
    pub reviewers: Spanned<Vec<Spanned<String>>>,
    /// What the review covered or concluded. Optional.
    #[serde(default)]
    pub note: Option<Spanned<String>>,
}

/// A module's governance status (`status` in `[governance]`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReviewStatus {
    /// `"draft"`: still being written.
    Draft,
    /// `"awaiting-clinical-review"`: written; no clinical review yet, or changed since one.
    AwaitingReview,
    /// `"reviewed"`: a clinical review is recorded.
    Reviewed,
}

impl ReviewStatus {
    /// The written and stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "draft",
            ReviewStatus::AwaitingReview => "awaiting-clinical-review",
            ReviewStatus::Reviewed => "reviewed",
        }
    }

    /// Parses the written form.
    pub fn parse(text: &str) -> Option<ReviewStatus> {
        [
            ReviewStatus::Draft,
            ReviewStatus::AwaitingReview,
            ReviewStatus::Reviewed,
        ]
        .into_iter()
        .find(|status| status.as_str() == text)
    }

    /// How the site names the status to readers.
    pub fn label(self) -> &'static str {
        match self {
            ReviewStatus::Draft => "Draft",
            ReviewStatus::AwaitingReview => "Awaiting clinical review",
            ReviewStatus::Reviewed => "Clinically reviewed",
        }
    }
}

/// One recorded clinical review.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClinicalReview {
    /// The day of the review.
    pub date: NaiveDate,
    /// Who reviewed, with their roles.
    pub reviewers: Vec<String>,
    /// What it covered or concluded, if recorded.
    pub note: Option<String>,
}

/// A module's governance as validated.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Governance {
    /// Its status.
    pub status: ReviewStatus,
    /// Who wrote it.
    pub authors: Vec<String>,
    /// Its clinical reviews, oldest first.
    pub reviews: Vec<ClinicalReview>,
    /// When the next review is due.
    pub next_review: Option<NaiveDate>,
}

impl Governance {
    /// The most recent clinical review.
    pub fn last_review(&self) -> Option<&ClinicalReview> {
        self.reviews.last()
    }

    /// The next review's date has passed.
    pub fn is_overdue(&self, today: NaiveDate) -> bool {
        self.next_review.is_some_and(|due| due < today)
    }
}

/// Validates `[governance]` (missing is a problem too) against `today`, reporting each
/// problem at its span; answers what was written (meaningful only when nothing was reported).
pub(super) fn validate(
    manifest: Option<&GovernanceManifest>,
    today: NaiveDate,
    problem: &mut impl FnMut(std::ops::Range<usize>, String),
) -> Governance {
    let Some(manifest) = manifest else {
        problem(
            0..0,
            "add a `[governance]` table with the module's `status` and `authors` (see content/README.md)"
                .to_owned(),
        );
        return Governance {
            status: ReviewStatus::Draft,
            authors: Vec::new(),
            reviews: Vec::new(),
            next_review: None,
        };
    };
    let status = ReviewStatus::parse(manifest.status.get_ref());
    if status.is_none() {
        problem(
            manifest.status.span(),
            format!(
                "governance status `{}` must be `draft`, `awaiting-clinical-review` or `reviewed`",
                manifest.status.get_ref()
            ),
        );
    }
    let authors = names(&manifest.authors, "authors", problem);
    let mut reviews: Vec<ClinicalReview> = Vec::new();
    for review in &manifest.reviews {
        let date = date_of(&review.date, problem);
        if let Some(date) = date {
            if date > today {
                problem(
                    review.date.span(),
                    format!("review date {date} is in the future"),
                );
            }
            if let Some(previous) = reviews.last().filter(|previous| previous.date > date) {
                problem(
                    review.date.span(),
                    format!(
                        "reviews must be oldest first: {date} comes after {}",
                        previous.date
                    ),
                );
            }
        }
        let note = review
            .note
            .as_ref()
            .map(|note| note.get_ref().trim().to_owned())
            .filter(|note| !note.is_empty());
        reviews.push(ClinicalReview {
            date: date.unwrap_or(today),
            reviewers: names(&review.reviewers, "reviewers", problem),
            note,
        });
    }
    let next_review = manifest
        .next_review
        .as_ref()
        .and_then(|next| date_of(next, problem).map(|date| (next.span(), date)));
    if let (Some((span, next)), Some(last)) = (&next_review, reviews.last())
        && *next <= last.date
    {
        problem(
            span.clone(),
            format!(
                "`next_review` ({next}) must be after the latest review ({})",
                last.date
            ),
        );
    }
    if status == Some(ReviewStatus::Reviewed) {
        if reviews.is_empty() {
            problem(
                manifest.status.span(),
                "status `reviewed` needs the review recorded as a `[[governance.reviews]]` table"
                    .to_owned(),
            );
        }
        if next_review.is_none() {
            problem(
                manifest.status.span(),
                "status `reviewed` needs `next_review`, the date the next review is due".to_owned(),
            );
        }
    }
    Governance {
        status: status.unwrap_or(ReviewStatus::Draft),
        authors,
        reviews,
        next_review: next_review.map(|(_, date)| date),
    }
}

/// A list of names: at least one, none blank, trimmed.
fn names(
    list: &Spanned<Vec<Spanned<String>>>,
    field: &str,
    problem: &mut impl FnMut(std::ops::Range<usize>, String),
) -> Vec<String> {
    if list.get_ref().is_empty() {
        problem(list.span(), format!("list at least one name in `{field}`"));
    }
    let mut names = Vec::new();
    for name in list.get_ref() {
        let trimmed = name.get_ref().trim();
        if trimmed.is_empty() {
            problem(name.span(), format!("names in `{field}` must not be blank"));
        } else {
            names.push(trimmed.to_owned());
        }
    }
    names
}

/// A TOML date without a time (`2026-12-01`).
pub(crate) fn date_of(
    value: &Spanned<Datetime>,
    problem: &mut impl FnMut(std::ops::Range<usize>, String),
) -> Option<NaiveDate> {
    let written = value.get_ref();
    let date = written
        .date
        .filter(|_| written.time.is_none() && written.offset.is_none())
        .and_then(|date| {
            NaiveDate::from_ymd_opt(
                i32::from(date.year),
                u32::from(date.month),
                u32::from(date.day),
            )
        });
    if date.is_none() {
        problem(
            value.span(),
            format!("`{written}` must be a date alone, like 2027-06-30"),
        );
    }
    date
}

/// The TOML date for `date`, as `export-content` writes it.
pub fn toml_date(date: NaiveDate) -> Datetime {
    use chrono::Datelike;
    Datetime {
        date: Some(toml::value::Date {
            year: u16::try_from(date.year()).unwrap_or(0),
            month: u8::try_from(date.month()).unwrap_or(1),
            day: u8::try_from(date.day()).unwrap_or(1),
        }),
        time: None,
        offset: None,
    }
}
