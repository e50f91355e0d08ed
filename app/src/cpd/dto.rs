//! What the CPD pages show: plain serde structs, never domain entities.

use serde::{Deserialize, Serialize};

use crate::files::FileRow;

/// An entry in the log's table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryRow {
    /// Its address is `/cpd/<id>`.
    pub id: i32,
    /// Date, as a UK date.
    pub date: String,
    /// Title.
    pub title: String,
    /// Activity kind label.
    pub kind: String,
    /// "Participatory" or "Self-directed".
    pub participation: String,
    /// Hours, like "1.5".
    pub hours: String,
    /// Recorded automatically.
    pub automatic: bool,
}

/// One page of the log with the filters that chose it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct LogView {
    /// The entries.
    pub entries: Vec<EntryRow>,
    /// Entries matching the filters.
    pub total: u64,
    /// Their hours in all, like "12.5".
    pub total_hours: String,
    /// Page shown, from 1.
    pub page: u64,
    /// Pages there are.
    pub pages: u64,
    /// Filter: from (`YYYY-MM-DD`, or empty).
    pub from: String,
    /// Filter: to.
    pub to: String,
    /// Filter: `participatory`, `self-directed` or empty.
    pub participation: String,
    /// Filter: activity kind or empty.
    pub kind: String,
    /// Order.
    pub order: String,
    /// A filter that could not be used, in words.
    pub notice: Option<String>,
    /// (value, label) activity kinds.
    pub kinds: Vec<(String, String)>,
    /// (value, label) orders.
    pub orders: Vec<(String, String)>,
}

/// Progress against the member's rules.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressView {
    /// "NMC revalidation" …
    pub rules: String,
    /// The member's regulator.
    pub regulator: String,
    /// "1 April 2024 to 31 March 2027", when the cycle is known.
    pub cycle: Option<String>,
    /// Days left in the cycle.
    pub days_left: Option<i64>,
    /// Bars of the chart, each with its figures.
    pub bars: Vec<ProgressBar>,
    /// Entries counted.
    pub entries: i64,
    /// What is missing.
    pub missing: Vec<String>,
    /// What else the regulator asks for.
    pub also_needed: Vec<String>,
    /// What the member's date is called (empty: no cycle).
    pub date_label: String,
    /// The member sets a target.
    pub member_target: bool,
    /// The regulator may ask for a CPD profile.
    pub audit_profile: bool,
    /// The cycle form's saved values: regulator, date, target hours.
    pub fields: (String, String, String),
    /// (value, label) regulators.
    pub regulators: Vec<(String, String)>,
}

/// One measure in the progress chart.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProgressBar {
    /// "All CPD", "Participatory", "Feedback".
    pub label: String,
    /// What it counts: "hours", "pieces", "accounts".
    pub unit: String,
    /// Amount done, like "12.5".
    pub done: String,
    /// Hours asked for, when there is a requirement.
    pub required: Option<String>,
    /// Hours still needed.
    pub needed: Option<String>,
    /// Share done, 0 to 100.
    pub percent: u32,
}

/// One entry, for its page and its edit form.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntryView {
    /// Its id.
    pub id: i32,
    /// Date, `YYYY-MM-DD` (the form) and as a UK date.
    pub date: String,
    /// As a UK date.
    pub date_text: String,
    /// Title.
    pub title: String,
    /// Kind (stored value).
    pub kind: String,
    /// Kind label.
    pub kind_label: String,
    /// `participatory` or `self-directed`.
    pub participation: String,
    /// Hours, like "1.5".
    pub hours: String,
    /// What was learned.
    pub learning: String,
    /// Reflection, Markdown.
    pub reflection: String,
    /// Reflection, sanitised HTML.
    pub reflection_html: String,
    /// How practice changed.
    pub practice_change: String,
    /// For an automatic entry: (label, address) of what recorded it.
    pub source: Option<(String, String)>,
    /// "Recorded 3 December 2026, last changed …".
    pub recorded: String,
    /// Evidence files.
    pub evidence: Vec<FileRow>,
    /// (value, label) activity kinds.
    pub kinds: Vec<(String, String)>,
}

/// The printable portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioView {
    /// Whose it is.
    pub member: String,
    /// Their regulator.
    pub regulator: String,
    /// The rules it is kept under.
    pub rules: String,
    /// "1 April 2024 to 31 March 2027", "from …", "up to …" or "All entries".
    pub period: String,
    /// The range's ends as the form shows them (`YYYY-MM-DD` or empty).
    pub from: String,
    /// The range's last day.
    pub to: String,
    /// When produced, as a UK date.
    pub produced_on: String,
    /// Hours in all.
    pub total_hours: String,
    /// Of which participatory.
    pub participatory_hours: String,
    /// The entries, oldest first.
    pub entries: Vec<PortfolioEntryView>,
    /// Practice hours, feedback and reflective accounts of the same dates.
    pub revalidation: RevalidationView,
}

/// One entry in the printable portfolio.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PortfolioEntryView {
    /// As a UK date.
    pub date: String,
    /// Title.
    pub title: String,
    /// Kind.
    pub kind: String,
    /// Participatory or self-directed.
    pub participation: String,
    /// Hours.
    pub hours: String,
    /// What was learned.
    pub learning: String,
    /// Reflection, sanitised HTML.
    pub reflection_html: String,
    /// How practice changed.
    pub practice_change: String,
    /// Recorded by eLearning.
    pub automatic: bool,
    /// Evidence file names.
    pub evidence: Vec<String>,
}

/// A period of practice.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PracticeView {
    /// Its id.
    pub id: i32,
    /// First day, `YYYY-MM-DD`.
    pub started_on: String,
    /// Last day, `YYYY-MM-DD`.
    pub ended_on: String,
    /// "1 April 2026 to 30 June 2026".
    pub period: String,
    /// The organisation.
    pub organisation: String,
    /// Setting (stored value).
    pub setting: String,
    /// Setting, as people read it.
    pub setting_label: String,
    /// Scope (stored value).
    pub scope: String,
    /// Scope, as people read it.
    pub scope_label: String,
    /// Hours, like "120.5".
    pub hours: String,
    /// What the work was.
    pub description: String,
}

/// A piece of practice-related feedback.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackView {
    /// Its id.
    pub id: i32,
    /// `YYYY-MM-DD`.
    pub received_on: String,
    /// As a UK date.
    pub received_text: String,
    /// Who it came from (stored value).
    pub source: String,
    /// Who it came from, as people read it.
    pub source_label: String,
    /// What it said.
    pub summary: String,
    /// What the member did with it.
    pub practice_change: String,
}

/// A written reflective account.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReflectionView {
    /// Its id.
    pub id: i32,
    /// `YYYY-MM-DD`.
    pub written_on: String,
    /// As a UK date.
    pub written_text: String,
    /// The activity, feedback or experience.
    pub experience: String,
    /// What was learned.
    pub learning: String,
    /// How practice changed.
    pub practice_change: String,
    /// Code themes (stored values).
    pub code_themes: Vec<String>,
    /// Code themes, as people read them.
    pub theme_labels: Vec<String>,
}

/// The reflective discussion, the confirmation and a dual registration.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DiscussionView {
    /// Revalidating on two parts of the register.
    pub dual_registrant: bool,
    /// The registrant the member discussed their accounts with.
    pub partner_name: String,
    /// Their NMC PIN.
    pub partner_pin: String,
    /// `YYYY-MM-DD` or empty.
    pub discussed_on: String,
    /// As a UK date, or empty.
    pub discussed_text: String,
    /// The confirmer.
    pub confirmer_name: String,
    /// Their role.
    pub confirmer_role: String,
    /// `YYYY-MM-DD` or empty.
    pub confirmed_on: String,
    /// As a UK date, or empty.
    pub confirmed_text: String,
}

/// The member's revalidation records.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RevalidationView {
    /// Periods of practice, oldest first.
    pub practice: Vec<PracticeView>,
    /// Their hours in all.
    pub practice_hours: String,
    /// Feedback, oldest first.
    pub feedback: Vec<FeedbackView>,
    /// Reflective accounts, oldest first.
    pub reflections: Vec<ReflectionView>,
    /// The discussion and confirmation.
    pub discussion: DiscussionView,
}

/// The choices the revalidation forms offer, each (value, label).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RecordChoices {
    /// Practice settings.
    pub settings: Vec<(String, String)>,
    /// Scopes of practice.
    pub scopes: Vec<(String, String)>,
    /// Who feedback came from.
    pub sources: Vec<(String, String)>,
    /// The Code's themes.
    pub themes: Vec<(String, String)>,
}

/// The HCPC-style CPD profile.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProfileView {
    /// Whose it is.
    pub member: String,
    /// Their regulator.
    pub regulator: String,
    /// "1 April 2025 to 31 March 2027", or "All entries".
    pub period: String,
    /// When produced, as a UK date.
    pub produced_on: String,
    /// A summary of recent practice.
    pub practice_summary: String,
    /// How the member's CPD meets the standards.
    pub standards_statement: String,
    /// The standards it answers.
    pub standards: Vec<String>,
    /// The evidence: (date, activity, hours, file names) of each entry in the period.
    pub evidence: Vec<(String, String, String, Vec<String>)>,
}
