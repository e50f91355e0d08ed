//! The portfolio taken elsewhere: every entry of a date range with its full text and evidence
//! names, and the revalidation records of the same range, as a printable page for an appraiser
//! or confirmer; the whole record as CSV files (one per kind of record, for a spreadsheet) and
//! as one JSON file. Only the owner's own record, like everything in CPD.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::CpdService;
use super::entities::{entry, evidence};
use super::log::{activity_label, hours_text};
use super::revalidation::RevalidationRecord;
use super::rules::rule_set_for;
use crate::accounts::Actor;
use crate::accounts::directory::{self, REGULATORS};
use crate::accounts::entities::user;
use crate::markdown::{self, Audience as Allowed};
use crate::uploads::StoredFile;
use crate::{Error, Result};

/// One entry as the portfolio shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PortfolioEntry {
    /// `YYYY-MM-DD`.
    pub date: NaiveDate,
    /// What it was.
    pub title: String,
    /// Kind of activity, as people read it.
    pub kind: String,
    /// `Participatory` or `Self-directed`.
    pub participation: String,
    /// Hours, like `1.5`.
    pub hours: String,
    /// What was learned.
    pub learning: String,
    /// Reflection, Markdown as written.
    pub reflection: String,
    /// Reflection, sanitised HTML (not exported).
    #[serde(skip)]
    pub reflection_html: String,
    /// How it changed practice.
    pub practice_change: String,
    /// What recorded it automatically (`learning-module:<slug>`), if anything did.
    pub recorded_automatically_from: Option<String>,
    /// Names of its evidence files.
    pub evidence_files: Vec<String>,
}

/// The portfolio for a date range.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Portfolio {
    /// Whose it is.
    pub member: String,
    /// Their regulator, as people read it.
    pub regulator: String,
    /// The rules it is kept under ("NMC revalidation").
    pub rules: String,
    /// First day included (the member's cycle start when not chosen).
    pub from: Option<NaiveDate>,
    /// Last day included.
    pub to: Option<NaiveDate>,
    /// When it was produced.
    pub produced_on: NaiveDate,
    /// The entries, oldest first.
    pub entries: Vec<PortfolioEntry>,
    /// Their hours in all, like `35.5`.
    pub total_hours: String,
    /// Of which participatory.
    pub participatory_hours: String,
    /// Practice hours, feedback and reflective accounts of the same dates, and what the member
    /// said once for their cycle.
    pub revalidation: RevalidationRecord,
}

/// The files the record can be taken away as.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExportFile {
    /// The CPD log as CSV ([`CSV_HEADER`]).
    Log,
    /// Periods of practice as CSV ([`PRACTICE_CSV_HEADER`]).
    PracticeHours,
    /// Feedback as CSV ([`FEEDBACK_CSV_HEADER`]).
    Feedback,
    /// Reflective accounts as CSV ([`REFLECTIONS_CSV_HEADER`]).
    Reflections,
    /// Everything as JSON.
    Everything,
}

impl ExportFile {
    /// Every file, in the order the CPD page offers them.
    pub const ALL: [ExportFile; 5] = [
        ExportFile::Log,
        ExportFile::PracticeHours,
        ExportFile::Feedback,
        ExportFile::Reflections,
        ExportFile::Everything,
    ];

    /// The last part of its address (`/cpd/export/<name>`).
    pub fn name(self) -> &'static str {
        match self {
            ExportFile::Log => "log.csv",
            ExportFile::PracticeHours => "practice-hours.csv",
            ExportFile::Feedback => "feedback.csv",
            ExportFile::Reflections => "reflections.csv",
            ExportFile::Everything => "portfolio.json",
        }
    }

    /// The file named `name`, if there is one.
    pub fn named(name: &str) -> Option<ExportFile> {
        ExportFile::ALL.into_iter().find(|file| file.name() == name)
    }
}

/// The CSV columns, in order.
pub const CSV_HEADER: [&str; 10] = [
    "date",
    "title",
    "kind",
    "participation",
    "hours",
    "learning",
    "reflection",
    "practice_change",
    "recorded_automatically_from",
    "evidence_files",
];

/// The practice-hours CSV columns, in order.
pub const PRACTICE_CSV_HEADER: [&str; 7] = [
    "started_on",
    "ended_on",
    "organisation",
    "setting",
    "scope",
    "hours",
    "description",
];

/// The feedback CSV columns, in order.
pub const FEEDBACK_CSV_HEADER: [&str; 4] = ["received_on", "source", "summary", "practice_change"];

/// The reflective accounts CSV columns, in order (themes separated by `; `).
pub const REFLECTIONS_CSV_HEADER: [&str; 5] = [
    "written_on",
    "experience",
    "learning",
    "practice_change",
    "code_themes",
];

/// A CSV file of `header` and `rows`.
fn csv_file<const N: usize>(
    header: [&str; N],
    rows: impl Iterator<Item = [String; N]>,
) -> Result<Vec<u8>> {
    let failed = |err: csv::Error| Error::Internal(format!("CPD export: {err}"));
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(header).map_err(failed)?;
    for row in rows {
        writer.write_record(row).map_err(failed)?;
    }
    writer
        .into_inner()
        .map_err(|err| Error::Internal(format!("CPD export: {err}")))
}

impl CpdService {
    /// `actor`'s entries from `from` to `to` (both included; by default the current cycle of
    /// their rules, or everything when they have none), oldest first, with totals.
    pub async fn portfolio(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Portfolio> {
        if from.is_none() && to.is_none() {
            let member = actor.require_active()?;
            if let Some(cycle) = self.cycle_settings(member.id).await?.cycle {
                return self
                    .portfolio_between(actor, Some(cycle.starts_on), Some(cycle.ends_on))
                    .await;
            }
        }
        self.portfolio_between(actor, from, to).await
    }

    /// `actor`'s entries from `from` to `to`, each end open when `None`.
    async fn portfolio_between(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Portfolio> {
        let member = actor.require_active()?;
        let (name, regulator): (String, String) = user::Entity::find_by_id(member.id)
            .select_only()
            .columns([user::Column::Name, user::Column::Regulator])
            .into_tuple()
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let rows = self.entries_with_evidence(member.id, from, to).await?;
        let revalidation = self.revalidation_record(actor, from, to).await?;
        let total: i64 = rows.iter().map(|(row, _)| i64::from(row.minutes)).sum();
        let participatory: i64 = rows
            .iter()
            .filter(|(row, _)| row.participatory)
            .map(|(row, _)| i64::from(row.minutes))
            .sum();
        let entries = rows
            .into_iter()
            .map(|(row, evidence_files)| PortfolioEntry {
                evidence_files,
                date: row.occurred_on,
                kind: activity_label(&row.kind).to_owned(),
                participation: if row.participatory {
                    "Participatory"
                } else {
                    "Self-directed"
                }
                .to_owned(),
                hours: hours_text(i64::from(row.minutes)),
                reflection_html: markdown::render(&row.reflection, Allowed::Member).html,
                title: row.title,
                learning: row.learning,
                reflection: row.reflection,
                practice_change: row.practice_change,
                recorded_automatically_from: row.source,
            })
            .collect();
        Ok(Portfolio {
            member: name,
            rules: rule_set_for(&regulator).name.to_owned(),
            regulator: directory::label(&REGULATORS, &regulator).to_owned(),
            from,
            to,
            produced_on: crate::time::london_today(Utc::now()),
            entries,
            total_hours: hours_text(total),
            participatory_hours: hours_text(participatory),
            revalidation,
        })
    }

    /// `actor`'s whole record (whatever the dates) as `file`, named with today's date.
    pub async fn export(&self, actor: &Actor, file: ExportFile) -> Result<StoredFile> {
        let portfolio = self.portfolio_between(actor, None, None).await?;
        let date = crate::time::iso_date;
        let record = &portfolio.revalidation;
        let bytes = match file {
            ExportFile::Log => csv_file(
                CSV_HEADER,
                portfolio.entries.iter().map(|entry| {
                    [
                        date(entry.date),
                        entry.title.clone(),
                        entry.kind.clone(),
                        entry.participation.clone(),
                        entry.hours.clone(),
                        entry.learning.clone(),
                        entry.reflection.clone(),
                        entry.practice_change.clone(),
                        entry
                            .recorded_automatically_from
                            .clone()
                            .unwrap_or_default(),
                        entry.evidence_files.join("; "),
                    ]
                }),
            )?,
            ExportFile::PracticeHours => csv_file(
                PRACTICE_CSV_HEADER,
                record.practice.iter().map(|period| {
                    [
                        date(period.started_on),
                        date(period.ended_on),
                        period.organisation.clone(),
                        period.setting.clone(),
                        period.scope.clone(),
                        hours_text(i64::from(period.minutes)),
                        period.description.clone(),
                    ]
                }),
            )?,
            ExportFile::Feedback => csv_file(
                FEEDBACK_CSV_HEADER,
                record.feedback.iter().map(|piece| {
                    [
                        date(piece.received_on),
                        piece.source.clone(),
                        piece.summary.clone(),
                        piece.practice_change.clone(),
                    ]
                }),
            )?,
            ExportFile::Reflections => csv_file(
                REFLECTIONS_CSV_HEADER,
                record.reflections.iter().map(|account| {
                    [
                        date(account.written_on),
                        account.experience.clone(),
                        account.learning.clone(),
                        account.practice_change.clone(),
                        account.code_themes.join("; "),
                    ]
                }),
            )?,
            ExportFile::Everything => serde_json::to_vec_pretty(&portfolio)
                .map_err(|err| Error::Internal(format!("CPD export: {err}")))?,
        };
        let (stem, extension) = file.name().split_once('.').unwrap_or((file.name(), ""));
        Ok(StoredFile {
            file_name: format!(
                "cpd-{stem}-{}.{extension}",
                date(crate::time::london_today(Utc::now()))
            ),
            content_type: if extension == "csv" {
                "text/csv; charset=utf-8"
            } else {
                "application/json"
            }
            .to_owned(),
            bytes,
        })
    }

    /// The member's entries from `from` to `to` (each end open when `None`), oldest first, each
    /// with the names of its evidence files: two statements whatever the record's length.
    pub(super) async fn entries_with_evidence(
        &self,
        member_id: i32,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<Vec<(entry::Model, Vec<String>)>> {
        let mut rows = entry::Entity::find().filter(entry::Column::UserId.eq(member_id));
        if let Some(from) = from {
            rows = rows.filter(entry::Column::OccurredOn.gte(from));
        }
        if let Some(to) = to {
            rows = rows.filter(entry::Column::OccurredOn.lte(to));
        }
        let rows = rows
            .order_by_asc(entry::Column::OccurredOn)
            .order_by_asc(entry::Column::Id)
            .all(&self.db)
            .await?;
        let files: Vec<(i32, String)> = evidence::Entity::find()
            .select_only()
            .columns([evidence::Column::EntryId, evidence::Column::FileName])
            .filter(evidence::Column::EntryId.is_in(rows.iter().map(|row| row.id)))
            .order_by_asc(evidence::Column::FileName)
            .into_tuple()
            .all(&self.db)
            .await?;
        let mut by_entry: HashMap<i32, Vec<String>> = HashMap::new();
        for (entry_id, name) in files {
            by_entry.entry(entry_id).or_default().push(name);
        }
        Ok(rows
            .into_iter()
            .map(|row| {
                let names = by_entry.remove(&row.id).unwrap_or_default();
                (row, names)
            })
            .collect())
    }
}
