//! Regulators' CPD rules as data, and the member's progress against theirs over the current
//! cycle. Adding a regulator, or changing a number, is an entry in [`RULE_SETS`]: no code path
//! knows any regulator by name.

use chrono::{Months, NaiveDate, Utc};
use sea_orm::sea_query::{Expr, IntoTableRef, Query};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QuerySelect, Set};

use super::CpdService;
use super::entities::{entry, feedback, practice, profile, reflection};
use super::log::{hours_text, hours_up_to};
use crate::accounts::Actor;
use crate::accounts::directory::{self, REGULATORS};
use crate::accounts::entities::user;
use crate::{Error, FieldError, Result};

/// One regulator's rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleSet {
    /// The regulator it applies to (`users.regulator`).
    pub regulator: &'static str,
    /// Its name, for headings ("NMC revalidation").
    pub name: &'static str,
    /// The cycle's length in months, ending on the member's date (none: no cycle).
    pub cycle_months: Option<u32>,
    /// What the member's date is called ("Revalidation date").
    pub date_label: &'static str,
    /// CPD hours the cycle asks for, in minutes.
    pub required_minutes: Option<i64>,
    /// Of which participatory, in minutes.
    pub participatory_minutes: Option<i64>,
    /// The member sets their own hours target for each cycle.
    pub member_target: bool,
    /// Different kinds of activity the cycle asks for (a mixture of learning).
    pub activity_kinds: Option<u32>,
    /// Practice hours the cycle asks for, in minutes.
    pub practice_minutes: Option<i64>,
    /// Practice hours for a member revalidating on two parts of the register, in minutes.
    pub dual_practice_minutes: Option<i64>,
    /// Pieces of practice-related feedback the cycle asks for.
    pub feedback_pieces: Option<i64>,
    /// Written reflective accounts the cycle asks for.
    pub reflective_accounts: Option<i64>,
    /// A reflective discussion with another registrant, in the cycle.
    pub reflective_discussion: bool,
    /// A confirmation by a third party, in the cycle.
    pub confirmation: bool,
    /// The regulator may ask for a CPD profile (a summary of practice, a statement against
    /// its standards and the evidence), so the dashboard offers one.
    pub audit_profile: bool,
    /// What else the regulator asks for, outside the hours, in plain words.
    pub also_needed: &'static [&'static str],
}

/// Every rule set, one per regulator in [`REGULATORS`].
pub const RULE_SETS: [RuleSet; 4] = [
    RuleSet {
        regulator: "nmc",
        name: "NMC revalidation",
        cycle_months: Some(36),
        date_label: "Revalidation date",
        required_minutes: Some(35 * 60),
        participatory_minutes: Some(20 * 60),
        member_target: false,
        activity_kinds: None,
        practice_minutes: Some(450 * 60),
        dual_practice_minutes: Some(900 * 60),
        feedback_pieces: Some(5),
        reflective_accounts: Some(5),
        reflective_discussion: true,
        confirmation: true,
        audit_profile: false,
        also_needed: &[
            "A health and character declaration, made to the NMC when you apply",
            "A declaration that you have professional indemnity arrangements",
        ],
    },
    RuleSet {
        regulator: "hcpc",
        name: "HCPC CPD standards",
        cycle_months: Some(24),
        date_label: "Registration renewal date",
        required_minutes: None,
        participatory_minutes: None,
        member_target: false,
        activity_kinds: Some(2),
        practice_minutes: None,
        dual_practice_minutes: None,
        feedback_pieces: None,
        reflective_accounts: None,
        reflective_discussion: false,
        confirmation: false,
        audit_profile: true,
        also_needed: &[
            "Standard 1: a continuous, up-to-date and accurate record of your CPD",
            "Standard 2: a mixture of learning activities relevant to current or future practice",
            "Standard 3: CPD that contributes to the quality of your practice and service delivery",
            "Standard 4: CPD that benefits service users",
            "Standard 5: if selected for audit, a CPD profile showing how you meet the standards",
        ],
    },
    RuleSet {
        regulator: "gmc",
        name: "Medical appraisal",
        cycle_months: Some(12),
        date_label: "Appraisal date",
        required_minutes: None,
        participatory_minutes: None,
        member_target: true,
        activity_kinds: None,
        practice_minutes: None,
        dual_practice_minutes: None,
        feedback_pieces: None,
        reflective_accounts: None,
        reflective_discussion: false,
        confirmation: false,
        audit_profile: false,
        also_needed: &[
            "Reflection on your CPD at your annual appraisal, as your responsible officer and \
             college or faculty expect",
        ],
    },
    RuleSet {
        regulator: "none",
        name: "Your CPD",
        cycle_months: None,
        date_label: "",
        required_minutes: None,
        participatory_minutes: None,
        member_target: false,
        activity_kinds: None,
        practice_minutes: None,
        dual_practice_minutes: None,
        feedback_pieces: None,
        reflective_accounts: None,
        reflective_discussion: false,
        confirmation: false,
        audit_profile: false,
        also_needed: &[],
    },
];

/// The rule set for a stored regulator (anything unknown: none).
pub fn rule_set_for(regulator: &str) -> &'static RuleSet {
    RULE_SETS
        .iter()
        .find(|rules| rules.regulator == regulator)
        .unwrap_or(&RULE_SETS[RULE_SETS.len() - 1])
}

/// A cycle: the first and last day, both counted.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cycle {
    /// The first day counted.
    pub starts_on: NaiveDate,
    /// The last day counted (the member's date).
    pub ends_on: NaiveDate,
}

impl Cycle {
    /// The cycle of `months` ending on `ends_on`: from the day after the same date `months`
    /// earlier (the last day of the month when that date does not exist, so a cycle ending on
    /// 29 February 2028 starts on 1 March 2025).
    pub fn ending_on(ends_on: NaiveDate, months: u32) -> Option<Cycle> {
        let before = ends_on.checked_sub_months(Months::new(months))?;
        Some(Cycle {
            starts_on: before.succ_opt()?,
            ends_on,
        })
    }
}

/// What the member has chosen, and the cycle it gives.
pub(super) struct CycleSettings {
    /// Their regulator (`users.regulator`).
    pub(super) regulator: String,
    /// The day their cycle ends.
    pub(super) ends_on: Option<NaiveDate>,
    /// Their own yearly target, in minutes.
    pub(super) target: Option<i32>,
    /// The current cycle, when their rules have one and they gave its date.
    pub(super) cycle: Option<Cycle>,
}

/// The member's choices that the rules need.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct CycleFields {
    /// One of [`REGULATORS`].
    pub regulator: String,
    /// `YYYY-MM-DD`, or empty.
    pub ends_on: String,
    /// Decimal hours, or empty.
    pub target_hours: String,
}

/// Progress against the member's rule set over their current cycle.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Progress {
    /// The rules.
    pub rules: &'static RuleSet,
    /// The member's regulator's name.
    pub regulator_label: String,
    /// The cycle, once the member has given its date.
    pub cycle: Option<Cycle>,
    /// Days from today to the end of the cycle (0 once it has ended).
    pub days_left: Option<i64>,
    /// The cycle ended before today: the member should give their next date.
    pub ended: bool,
    /// CPD in the cycle (all of it when there is no cycle), in minutes.
    pub done_minutes: i64,
    /// Of which participatory.
    pub participatory_minutes: i64,
    /// Entries counted.
    pub entries: i64,
    /// Different activity kinds among them.
    pub activity_kinds: i64,
    /// The hours the cycle asks for (the rule set's or the member's target), in minutes.
    pub required_minutes: Option<i64>,
    /// Of which participatory.
    pub required_participatory_minutes: Option<i64>,
    /// Practice hours in the cycle (periods ending in it), in minutes.
    pub practice_minutes: i64,
    /// The practice hours the cycle asks of this member (more for a dual registrant).
    pub required_practice_minutes: Option<i64>,
    /// Pieces of feedback received in the cycle.
    pub feedback: i64,
    /// Reflective accounts written in the cycle.
    pub reflections: i64,
    /// The reflective discussion took place in the cycle.
    pub discussed: bool,
    /// The confirmation took place in the cycle.
    pub confirmed: bool,
    /// What is missing, in plain words; empty when nothing is.
    pub missing: Vec<String>,
    /// The member's choices, as the cycle form shows them.
    pub fields: CycleFields,
}

impl CpdService {
    /// `actor`'s progress against their regulator's rules over their current cycle.
    pub async fn progress(&self, actor: &Actor) -> Result<Progress> {
        use sea_orm::sea_query::ExprTrait;

        let member = actor.require_active()?;
        let CycleSettings {
            regulator,
            ends_on,
            target,
            cycle,
        } = self.cycle_settings(member.id).await?;
        let rules = rule_set_for(&regulator);
        let mut counted = entry::Entity::find()
            .select_only()
            .expr(Expr::col(entry::Column::Id).count())
            .expr(Expr::col(entry::Column::Minutes).sum())
            .expr(
                Expr::expr(
                    Expr::case(
                        Expr::col(entry::Column::Participatory).eq(true),
                        Expr::col(entry::Column::Minutes),
                    )
                    .finally(0),
                )
                .sum(),
            )
            .expr(Expr::col(entry::Column::Kind).count_distinct())
            .filter(entry::Column::UserId.eq(member.id));
        if let Some(cycle) = cycle {
            counted = counted
                .filter(entry::Column::OccurredOn.gte(cycle.starts_on))
                .filter(entry::Column::OccurredOn.lte(cycle.ends_on));
        }
        // The revalidation records, each a scalar subquery: still one statement.
        let within = |column: Expr| match cycle {
            Some(cycle) => column.between(cycle.starts_on, cycle.ends_on),
            None => Expr::value(true),
        };
        // Each a scalar subquery over one member's rows of one table: (aggregate, table, owner
        // column, condition).
        let subqueries = [
            (
                Expr::col(practice::Column::Minutes).sum(),
                practice::Entity.into_table_ref(),
                Expr::col(practice::Column::UserId),
                within(Expr::col(practice::Column::EndedOn)),
            ),
            (
                Expr::col(feedback::Column::Id).count(),
                feedback::Entity.into_table_ref(),
                Expr::col(feedback::Column::UserId),
                within(Expr::col(feedback::Column::ReceivedOn)),
            ),
            (
                Expr::col(reflection::Column::Id).count(),
                reflection::Entity.into_table_ref(),
                Expr::col(reflection::Column::UserId),
                within(Expr::col(reflection::Column::WrittenOn)),
            ),
            (
                Expr::col(profile::Column::UserId).count(),
                profile::Entity.into_table_ref(),
                Expr::col(profile::Column::UserId),
                Expr::col(profile::Column::DualRegistrant).eq(true),
            ),
            (
                Expr::col(profile::Column::UserId).count(),
                profile::Entity.into_table_ref(),
                Expr::col(profile::Column::UserId),
                within(Expr::col(profile::Column::DiscussedOn)),
            ),
            (
                Expr::col(profile::Column::UserId).count(),
                profile::Entity.into_table_ref(),
                Expr::col(profile::Column::UserId),
                within(Expr::col(profile::Column::ConfirmedOn)),
            ),
        ];
        for (aggregate, table, owner, condition) in subqueries {
            let select = Query::select()
                .expr(aggregate)
                .from(table)
                .and_where(owner.eq(member.id))
                .and_where(condition)
                .to_owned();
            counted = counted.expr(Expr::SubQuery(None, Box::new(select.into())));
        }
        let counts: Option<Counts> = counted.into_tuple().one(&self.db).await?;
        let (
            entries,
            done,
            participatory,
            kinds,
            practice_done,
            feedback,
            reflections,
            dual,
            discussed,
            confirmed,
        ) = counts.unwrap_or_default();
        let today = crate::time::london_today(Utc::now());
        let required_minutes = if rules.member_target {
            target.map(i64::from)
        } else {
            rules.required_minutes
        };
        let mut progress = Progress {
            rules,
            regulator_label: directory::label(&REGULATORS, &regulator).to_owned(),
            days_left: cycle.map(|cycle| Ord::max((cycle.ends_on - today).num_days(), 0)),
            ended: cycle.is_some_and(|cycle| cycle.ends_on < today),
            cycle,
            done_minutes: done.unwrap_or_default(),
            participatory_minutes: participatory.unwrap_or_default(),
            entries,
            activity_kinds: kinds,
            required_minutes,
            required_participatory_minutes: rules.participatory_minutes,
            practice_minutes: practice_done.unwrap_or_default(),
            required_practice_minutes: if dual > 0 {
                rules.dual_practice_minutes
            } else {
                rules.practice_minutes
            },
            feedback,
            reflections,
            discussed: discussed > 0,
            confirmed: confirmed > 0,
            missing: Vec::new(),
            fields: CycleFields {
                regulator,
                ends_on: ends_on
                    .map(|date| date.format("%Y-%m-%d").to_string())
                    .unwrap_or_default(),
                target_hours: target
                    .map(|minutes| hours_text(i64::from(minutes)))
                    .unwrap_or_default(),
            },
        };
        progress.missing = missing(&progress);
        Ok(progress)
    }

    /// The member's regulator, cycle date and target, and the current cycle they give: one
    /// statement.
    pub(super) async fn cycle_settings(&self, member_id: i32) -> Result<CycleSettings> {
        let (regulator, ends_on, target): (String, Option<NaiveDate>, Option<i32>) =
            user::Entity::find_by_id(member_id)
                .select_only()
                .columns([
                    user::Column::Regulator,
                    user::Column::CpdCycleEndsOn,
                    user::Column::CpdTargetMinutes,
                ])
                .into_tuple()
                .one(&self.db)
                .await?
                .ok_or(Error::Unauthenticated)?;
        let cycle = rule_set_for(&regulator)
            .cycle_months
            .zip(ends_on)
            .and_then(|(months, ends_on)| Cycle::ending_on(ends_on, months));
        Ok(CycleSettings {
            regulator,
            ends_on,
            target,
            cycle,
        })
    }

    /// Records `actor`'s regulator, the date their cycle ends and (for appraisal) their hours
    /// target. Entries are never changed: the cycle is worked out again from the new date.
    pub async fn set_cycle(&self, actor: &Actor, fields: &CycleFields) -> Result<()> {
        let member = actor.require_active()?;
        let mut errors = Vec::new();
        let regulator = fields.regulator.trim();
        if !REGULATORS.iter().any(|(value, _)| *value == regulator) {
            errors.push(FieldError::new("regulator", "Choose your regulator"));
        }
        let ends_on = match fields.ends_on.trim() {
            "" => None,
            text => match NaiveDate::parse_from_str(text, "%Y-%m-%d") {
                Ok(date) => Some(date),
                Err(_) => {
                    errors.push(FieldError::new(
                        "ends_on",
                        "Enter a real date, like 2027-03-31",
                    ));
                    None
                }
            },
        };
        let target = match fields.target_hours.trim() {
            "" => None,
            text => match parse_target(text) {
                Ok(minutes) => Some(minutes),
                Err(message) => {
                    errors.push(FieldError::new("target_hours", message));
                    None
                }
            },
        };
        if !errors.is_empty() {
            return Err(Error::InvalidFields(errors));
        }
        user::ActiveModel {
            id: Set(member.id),
            regulator: Set(regulator.to_owned()),
            cpd_cycle_ends_on: Set(ends_on),
            cpd_target_minutes: Set(target),
            ..Default::default()
        }
        .update(&self.db)
        .await?;
        Ok(())
    }
}

/// What the progress statement reads: entries, CPD minutes, participatory minutes, activity
/// kinds, practice minutes, feedback, reflective accounts, and (as counts of 0 or 1) a dual
/// registration, a discussion and a confirmation in the cycle.
type Counts = (
    i64,
    Option<i64>,
    Option<i64>,
    i64,
    Option<i64>,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// A yearly hours target: decimal hours above 0 and at most 500.
fn parse_target(text: &str) -> std::result::Result<i32, String> {
    hours_up_to(text, 500, "Enter a target of 500 hours or fewer")
}

/// What the member still needs, in plain words.
fn missing(progress: &Progress) -> Vec<String> {
    let rules = progress.rules;
    let mut missing = Vec::new();
    if rules.cycle_months.is_some() && progress.cycle.is_none() {
        missing.push(format!(
            "Your {}: add it so that your hours are counted over the right cycle",
            rules.date_label.to_lowercase()
        ));
    }
    if progress.ended {
        missing.push(format!(
            "Your next {}: the cycle shown has ended",
            rules.date_label.to_lowercase()
        ));
    }
    if rules.member_target && progress.required_minutes.is_none() {
        missing.push("Your CPD hours target for the year".to_owned());
    }
    if let Some(required) = progress.required_minutes {
        let short = required - progress.done_minutes;
        if short > 0 {
            missing.push(format!("{} more hours of CPD", hours_text(short)));
        }
    }
    if let Some(required) = progress.required_participatory_minutes {
        let short = required - progress.participatory_minutes;
        if short > 0 {
            missing.push(format!(
                "{} more hours of participatory learning",
                hours_text(short)
            ));
        }
    }
    if let Some(required) = progress.required_practice_minutes {
        let short = required - progress.practice_minutes;
        if short > 0 {
            missing.push(format!(
                "{} more practice hours (of {})",
                hours_text(short),
                hours_text(required)
            ));
        }
    }
    for (required, done, one, many) in [
        (
            rules.feedback_pieces,
            progress.feedback,
            "piece of practice-related feedback",
            "pieces of practice-related feedback",
        ),
        (
            rules.reflective_accounts,
            progress.reflections,
            "written reflective account",
            "written reflective accounts",
        ),
    ] {
        match required.map(|required| required - done) {
            Some(1) => missing.push(format!("1 more {one}")),
            Some(short) if short > 1 => missing.push(format!("{short} more {many}")),
            _ => {}
        }
    }
    if rules.reflective_discussion && !progress.discussed {
        missing.push("A reflective discussion with another registrant, in this cycle".to_owned());
    }
    if rules.confirmation && !progress.confirmed {
        missing.push("Your confirmation, in this cycle".to_owned());
    }
    if let Some(kinds) = rules.activity_kinds
        && progress.activity_kinds < i64::from(kinds)
    {
        missing.push(
            "A mixture of learning activities: so far your record has one kind or none".to_owned(),
        );
    }
    missing
}
