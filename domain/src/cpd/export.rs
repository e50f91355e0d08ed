//! The portfolio taken elsewhere: every entry of a date range with its full text and evidence
//! names, as a printable page for an appraiser or confirmer, as CSV (for a spreadsheet) and as
//! JSON. Only the owner's own record, like everything in CPD.

use std::collections::HashMap;

use chrono::{NaiveDate, Utc};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder, QuerySelect};
use serde::Serialize;

use super::CpdService;
use super::entities::{entry, evidence};
use super::log::{activity_label, hours_text};
use super::rules::{Progress, rule_set_for};
use crate::accounts::Actor;
use crate::accounts::directory::{self, REGULATORS};
use crate::accounts::entities::user;
use crate::markdown::{self, Audience as Allowed};
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
            let Progress { cycle, .. } = self.progress(actor).await?;
            if let Some(cycle) = cycle {
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
        })
    }

    /// `actor`'s whole portfolio as CSV: a header row ([`CSV_HEADER`]) and one row per entry,
    /// evidence file names separated by `; `.
    pub async fn portfolio_csv(&self, actor: &Actor) -> Result<Vec<u8>> {
        let portfolio = self.portfolio_all(actor).await?;
        let mut writer = csv::Writer::from_writer(Vec::new());
        let failed = |err: csv::Error| Error::Internal(format!("CPD export: {err}"));
        writer.write_record(CSV_HEADER).map_err(failed)?;
        for entry in &portfolio.entries {
            writer
                .write_record([
                    crate::time::iso_date(entry.date).as_str(),
                    &entry.title,
                    &entry.kind,
                    &entry.participation,
                    &entry.hours,
                    &entry.learning,
                    &entry.reflection,
                    &entry.practice_change,
                    entry
                        .recorded_automatically_from
                        .as_deref()
                        .unwrap_or_default(),
                    &entry.evidence_files.join("; "),
                ])
                .map_err(failed)?;
        }
        writer
            .into_inner()
            .map_err(|err| Error::Internal(format!("CPD export: {err}")))
    }

    /// `actor`'s whole portfolio as JSON.
    pub async fn portfolio_json(&self, actor: &Actor) -> Result<Vec<u8>> {
        let portfolio = self.portfolio_all(actor).await?;
        serde_json::to_vec_pretty(&portfolio)
            .map_err(|err| Error::Internal(format!("CPD export: {err}")))
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

    /// Every entry, whatever the cycle.
    async fn portfolio_all(&self, actor: &Actor) -> Result<Portfolio> {
        self.portfolio_between(actor, None, None).await
    }
}
