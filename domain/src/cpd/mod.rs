//! Continuing professional development: the member's own log of activities with reflections
//! and evidence files, automatic entries from what they complete here (a passed eLearning
//! module), the rest of a revalidation portfolio (practice hours, feedback, reflective
//! accounts, the discussion and confirmation, a CPD profile), and progress against their
//! regulator's rules over their cycle. Nobody but the
//! owner reads a CPD record; administrators may download evidence, and are audited.

mod check;
mod entities;
mod evidence;
mod export;
mod log;
mod revalidation;
mod rules;

use chrono::{NaiveDate, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, Set};

use crate::Result;
use crate::uploads::UploadSettings;
use entities::{entry, evidence as evidence_file, feedback, practice, profile, reflection};

pub use export::{
    CSV_HEADER, ExportFile, FEEDBACK_CSV_HEADER, PRACTICE_CSV_HEADER, Portfolio, PortfolioEntry,
    REFLECTIONS_CSV_HEADER,
};
pub use log::{
    ACTIVITY_KINDS, ENTRIES_PER_PAGE, EntryDetail, EntryFields, EntrySummary, LogFilter, LogOrder,
    LogPage, MAX_ENTRY_MINUTES, MAX_TEXT_CHARS, MAX_TITLE_CHARS, PARTICIPATION, activity_label,
    hours_text, parse_hours,
};
pub use revalidation::{
    CODE_THEMES, CycleDetails, DiscussionFields, FEEDBACK_SOURCES, Feedback, FeedbackFields,
    MAX_PRACTICE_HOURS, PRACTICE_SETTINGS, PracticeFields, PracticePeriod, ProfileFields,
    ReflectionFields, ReflectiveAccount, RevalidationRecord, SCOPES_OF_PRACTICE,
};
pub use rules::{Cycle, CycleFields, Progress, RULE_SETS, RuleSet, rule_set_for};

/// The activity kind recorded for a passed eLearning module (under NMC revalidation rules solo
/// e-learning is self-directed, not participatory).
pub const E_LEARNING: &str = "e-learning";

/// A CPD entry recorded automatically.
#[derive(Clone, Debug)]
pub struct NewEntry {
    /// Whose record.
    pub user_id: i32,
    /// What was done.
    pub title: String,
    /// Kind of activity (e.g. [`E_LEARNING`]).
    pub kind: &'static str,
    /// Learning with other people (NMC "participatory").
    pub participatory: bool,
    /// Time spent, in minutes.
    pub minutes: i32,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// What was learned (the module's outcomes, say); the member can add their reflection.
    pub learning: String,
    /// Where it came from; at most one entry per member per source.
    pub source: String,
}

/// Records `entry` unless the member already has one from the same source; part of the
/// caller's transaction, so the entry and what caused it are written together or not at all.
pub(crate) async fn record_once(
    conn: &impl sea_orm::ConnectionTrait,
    entry: NewEntry,
) -> Result<()> {
    let existing = entry::Entity::find()
        .filter(entry::Column::UserId.eq(entry.user_id))
        .filter(entry::Column::Source.eq(&entry.source))
        .one(conn)
        .await?;
    if existing.is_some() {
        return Ok(());
    }
    entry::ActiveModel {
        user_id: Set(entry.user_id),
        title: Set(entry.title),
        kind: Set(entry.kind.to_owned()),
        participatory: Set(entry.participatory),
        minutes: Set(entry.minutes),
        occurred_on: Set(entry.occurred_on),
        learning: Set(entry.learning),
        reflection: Set(String::new()),
        practice_change: Set(String::new()),
        source: Set(Some(entry.source)),
        created_at: Set(Utc::now()),
        updated_at: Set(None),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Erases the member's whole portfolio (entries, evidence files and every revalidation
/// record), inside the caller's transaction: part of closing an account.
pub(crate) async fn erase_portfolio(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<()> {
    evidence_file::Entity::delete_many()
        .filter(
            evidence_file::Column::EntryId.in_subquery(
                sea_orm::sea_query::Query::select()
                    .column(entry::Column::Id)
                    .from(entry::Entity)
                    .and_where(entry::Column::UserId.eq(user_id))
                    .to_owned(),
            ),
        )
        .exec(conn)
        .await?;
    entry::Entity::delete_many()
        .filter(entry::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    practice::Entity::delete_many()
        .filter(practice::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    feedback::Entity::delete_many()
        .filter(feedback::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    reflection::Entity::delete_many()
        .filter(reflection::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    profile::Entity::delete_by_id(user_id).exec(conn).await?;
    Ok(())
}

/// The CPD record.
#[derive(Clone, Debug)]
pub struct CpdService {
    db: DatabaseConnection,
    max_upload_bytes: usize,
    files: crate::files::FileStore,
}

impl CpdService {
    pub(crate) fn new(
        db: DatabaseConnection,
        uploads: &UploadSettings,
        files: crate::files::FileStore,
    ) -> Self {
        Self {
            db,
            max_upload_bytes: uploads.max_bytes,
            files,
        }
    }

    /// Every entry of the member's record, oldest first, with the names of its evidence
    /// files, for "download my data".
    pub(crate) async fn member_data(&self, member_id: i32) -> Result<serde_json::Value> {
        let rows = self.entries_with_evidence(member_id, None, None).await?;
        Ok(serde_json::Value::Array(
            rows.into_iter()
                .map(|(row, evidence)| {
                    serde_json::json!({
                        "title": row.title,
                        "kind": row.kind,
                        "participatory": row.participatory,
                        "minutes": row.minutes,
                        "date": row.occurred_on,
                        "learning": row.learning,
                        "reflection": row.reflection,
                        "practice_change": row.practice_change,
                        "recorded_automatically_from": row.source,
                        "recorded_at": row.created_at,
                        "evidence_files": evidence,
                    })
                })
                .collect(),
        ))
    }

    /// The member's practice hours, feedback, reflective accounts and what they said once for
    /// their cycle, for "download my data".
    pub(crate) async fn revalidation_data(&self, member_id: i32) -> Result<serde_json::Value> {
        let record = self.record_of(member_id, None, None).await?;
        serde_json::to_value(record).map_err(|err| crate::Error::Internal(err.to_string()))
    }
}
