//! The rest of a revalidation portfolio, each a record of its own: periods of practice with
//! their hours, practice-related feedback, written reflective accounts on the NMC Code's
//! themes, and what a member says once per cycle (a dual registration, the reflective
//! discussion, the confirmation, and the statements of an HCPC-style CPD profile). Owner-only,
//! like the log: every query names the member, so anyone else's record is "not found". No
//! field asks for anything that identifies a patient, service user or colleague.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::sea_query::OnConflict;
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::CpdService;
use super::check::Check;
use super::entities::{feedback, practice, profile, reflection};
use crate::accounts::Actor;
use crate::{Error, Result};

/// Where practice happened, by kind: (value, label).
pub const PRACTICE_SETTINGS: [(&str, &str); 7] = [
    ("occupational-health", "Occupational health service"),
    ("police", "Police force or other employer, in-house"),
    ("hospital", "Hospital"),
    ("community", "Community or primary care"),
    ("education", "Education or training"),
    ("independent", "Independent or self-employed practice"),
    ("other", "Other setting"),
];

/// What the practice was: (value, label).
pub const SCOPES_OF_PRACTICE: [(&str, &str); 6] = [
    ("direct-care", "Direct care of people"),
    ("management", "Management or leadership"),
    ("education", "Education"),
    ("policy", "Policy"),
    ("research", "Research"),
    ("other", "Other"),
];

/// Who feedback came from, by kind, never by name: (value, label).
pub const FEEDBACK_SOURCES: [(&str, &str); 7] = [
    (
        "service-user",
        "Someone you cared for (an officer or member of staff)",
    ),
    ("manager", "A referring manager"),
    ("colleague", "A colleague"),
    ("team", "Your team"),
    ("student", "A student or learner"),
    ("review", "An appraisal, audit or review"),
    ("other", "Someone else"),
];

/// The four themes of the NMC Code: (value, label).
pub const CODE_THEMES: [(&str, &str); 4] = [
    ("prioritise-people", "Prioritise people"),
    ("practise-effectively", "Practise effectively"),
    ("preserve-safety", "Preserve safety"),
    (
        "promote-professionalism",
        "Promote professionalism and trust",
    ),
];

/// The most hours one period of practice may hold (about a year full time).
pub const MAX_PRACTICE_HOURS: i64 = 2_000;

/// Longest free text, in characters.
const MAX_TEXT: usize = 5_000;
/// Longest name, role, organisation or PIN, in characters.
const MAX_NAME: usize = 150;
/// Longest profile statement, in characters (the HCPC asks for about 1,500 words).
const MAX_STATEMENT: usize = 12_000;

/// The label of `value` among `options` (the value itself when unknown).
fn label_of(options: &[(&'static str, &'static str)], value: &str) -> String {
    options
        .iter()
        .find(|(known, _)| *known == value)
        .map_or(value, |(_, label)| label)
        .to_owned()
}

/// A period of practice as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PracticeFields {
    /// `YYYY-MM-DD`.
    pub started_on: String,
    /// `YYYY-MM-DD`.
    pub ended_on: String,
    /// The organisation worked for.
    pub organisation: String,
    /// One of [`PRACTICE_SETTINGS`].
    pub setting: String,
    /// One of [`SCOPES_OF_PRACTICE`].
    pub scope: String,
    /// Decimal hours.
    pub hours: String,
    /// What the work was.
    pub description: String,
}

/// A period of practice.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PracticePeriod {
    /// Its id.
    pub id: i32,
    /// First day.
    pub started_on: NaiveDate,
    /// Last day: the period counts in the cycle this falls in.
    pub ended_on: NaiveDate,
    /// The organisation.
    pub organisation: String,
    /// Setting, as people read it.
    pub setting: String,
    /// Scope, as people read it.
    pub scope: String,
    /// Hours worked, in minutes.
    pub minutes: i32,
    /// What the work was.
    pub description: String,
    /// As the edit form shows it.
    #[serde(skip)]
    pub fields: PracticeFields,
}

/// A piece of feedback as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FeedbackFields {
    /// `YYYY-MM-DD`.
    pub received_on: String,
    /// One of [`FEEDBACK_SOURCES`].
    pub source: String,
    /// What it said.
    pub summary: String,
    /// What the member did with it.
    pub practice_change: String,
}

/// A piece of practice-related feedback.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Feedback {
    /// Its id.
    pub id: i32,
    /// When it was received.
    pub received_on: NaiveDate,
    /// Who it came from, as people read it.
    pub source: String,
    /// What it said.
    pub summary: String,
    /// What the member did with it.
    pub practice_change: String,
    /// As the edit form shows it.
    #[serde(skip)]
    pub fields: FeedbackFields,
}

/// A reflective account as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ReflectionFields {
    /// `YYYY-MM-DD`.
    pub written_on: String,
    /// The activity, feedback or experience.
    pub experience: String,
    /// What was learned.
    pub learning: String,
    /// How practice changed or improved.
    pub practice_change: String,
    /// Values of [`CODE_THEMES`], one or more.
    pub code_themes: Vec<String>,
}

/// A written reflective account.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ReflectiveAccount {
    /// Its id.
    pub id: i32,
    /// When it was written.
    pub written_on: NaiveDate,
    /// The activity, feedback or experience.
    pub experience: String,
    /// What was learned.
    pub learning: String,
    /// How practice changed.
    pub practice_change: String,
    /// The Code themes, as people read them.
    pub code_themes: Vec<String>,
    /// As the edit form shows it.
    #[serde(skip)]
    pub fields: ReflectionFields,
}

/// The reflective discussion, the confirmation and a dual registration, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DiscussionFields {
    /// Revalidating as a nurse and a midwife or nursing associate.
    pub dual_registrant: bool,
    /// The NMC registrant the member discussed their accounts with.
    pub partner_name: String,
    /// Their NMC PIN.
    pub partner_pin: String,
    /// `YYYY-MM-DD`, or empty.
    pub discussed_on: String,
    /// Who confirmed the member's revalidation.
    pub confirmer_name: String,
    /// Their role.
    pub confirmer_role: String,
    /// `YYYY-MM-DD`, or empty.
    pub confirmed_on: String,
}

/// The statements of an HCPC-style CPD profile, as typed.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ProfileFields {
    /// A summary of recent practice.
    pub practice_summary: String,
    /// How the member's CPD meets the standards.
    pub standards_statement: String,
}

/// What a member has said once for their cycle.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct CycleDetails {
    /// The discussion, confirmation and dual registration, as the form shows them.
    pub discussion: DiscussionFields,
    /// The day of the reflective discussion.
    #[serde(skip)]
    pub discussed_on: Option<NaiveDate>,
    /// The day of the confirmation.
    #[serde(skip)]
    pub confirmed_on: Option<NaiveDate>,
    /// The profile's statements.
    pub profile: ProfileFields,
    /// When last changed.
    pub updated_at: Option<DateTime<Utc>>,
}

/// Every revalidation record of a member in a date range, oldest first.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RevalidationRecord {
    /// Periods of practice (by their last day).
    pub practice: Vec<PracticePeriod>,
    /// Their hours in all, in minutes.
    pub practice_minutes: i64,
    /// Feedback.
    pub feedback: Vec<Feedback>,
    /// Reflective accounts.
    pub reflections: Vec<ReflectiveAccount>,
    /// The discussion, confirmation and profile (whatever their dates).
    pub details: CycleDetails,
}

fn period_of(row: practice::Model) -> PracticePeriod {
    PracticePeriod {
        fields: PracticeFields {
            started_on: crate::time::iso_date(row.started_on),
            ended_on: crate::time::iso_date(row.ended_on),
            organisation: row.organisation.clone(),
            setting: row.setting.clone(),
            scope: row.scope.clone(),
            hours: super::hours_text(i64::from(row.minutes)),
            description: row.description.clone(),
        },
        id: row.id,
        started_on: row.started_on,
        ended_on: row.ended_on,
        setting: label_of(&PRACTICE_SETTINGS, &row.setting),
        scope: label_of(&SCOPES_OF_PRACTICE, &row.scope),
        organisation: row.organisation,
        minutes: row.minutes,
        description: row.description,
    }
}

fn feedback_of(row: feedback::Model) -> Feedback {
    Feedback {
        fields: FeedbackFields {
            received_on: crate::time::iso_date(row.received_on),
            source: row.source.clone(),
            summary: row.summary.clone(),
            practice_change: row.practice_change.clone(),
        },
        id: row.id,
        received_on: row.received_on,
        source: label_of(&FEEDBACK_SOURCES, &row.source),
        summary: row.summary,
        practice_change: row.practice_change,
    }
}

fn account_of(row: reflection::Model) -> ReflectiveAccount {
    let themes: Vec<String> = row
        .code_themes
        .split(',')
        .filter(|theme| !theme.is_empty())
        .map(str::to_owned)
        .collect();
    ReflectiveAccount {
        code_themes: themes
            .iter()
            .map(|theme| label_of(&CODE_THEMES, theme))
            .collect(),
        fields: ReflectionFields {
            written_on: crate::time::iso_date(row.written_on),
            experience: row.experience.clone(),
            learning: row.learning.clone(),
            practice_change: row.practice_change.clone(),
            code_themes: themes,
        },
        id: row.id,
        written_on: row.written_on,
        experience: row.experience,
        learning: row.learning,
        practice_change: row.practice_change,
    }
}

fn details_of(row: Option<profile::Model>) -> CycleDetails {
    let Some(row) = row else {
        return CycleDetails::default();
    };
    let date = |day: Option<NaiveDate>| day.map(crate::time::iso_date).unwrap_or_default();
    CycleDetails {
        discussion: DiscussionFields {
            dual_registrant: row.dual_registrant,
            partner_name: row.discussion_partner,
            partner_pin: row.discussion_partner_pin,
            discussed_on: date(row.discussed_on),
            confirmer_name: row.confirmer_name,
            confirmer_role: row.confirmer_role,
            confirmed_on: date(row.confirmed_on),
        },
        discussed_on: row.discussed_on,
        confirmed_on: row.confirmed_on,
        profile: ProfileFields {
            practice_summary: row.practice_summary,
            standards_statement: row.standards_statement,
        },
        updated_at: row.updated_at,
    }
}

struct ValidPractice {
    started_on: NaiveDate,
    ended_on: NaiveDate,
    organisation: String,
    setting: &'static str,
    scope: &'static str,
    minutes: i32,
    description: String,
}

fn valid_practice(fields: &PracticeFields, today: NaiveDate) -> Result<ValidPractice> {
    let mut check = Check::new(today);
    let started_on = check.past_date(
        "started_on",
        &fields.started_on,
        "Enter the first day of the period",
    );
    let ended_on = check.past_date(
        "ended_on",
        &fields.ended_on,
        "Enter the last day of the period",
    );
    if let (Some(first), Some(last)) = (started_on, ended_on) {
        check.require(
            last < first,
            "ended_on",
            "The last day must be on or after the first day",
        );
    }
    let organisation = check.text(
        "organisation",
        &fields.organisation,
        Some("Enter the organisation you worked for"),
        MAX_NAME,
    );
    let setting = check.choice(
        "setting",
        &fields.setting,
        &PRACTICE_SETTINGS,
        "Choose the setting",
    );
    let scope = check.choice(
        "scope",
        &fields.scope,
        &SCOPES_OF_PRACTICE,
        "Choose your scope of practice",
    );
    let minutes = check.hours(
        "hours",
        &fields.hours,
        MAX_PRACTICE_HOURS,
        "One period can hold at most 2,000 hours: split longer periods",
    );
    let description = check.text("description", &fields.description, None, MAX_TEXT);
    let valid = match (started_on, ended_on, setting, scope, minutes) {
        (Some(started_on), Some(ended_on), Some(setting), Some(scope), Some(minutes)) => {
            Some(ValidPractice {
                started_on,
                ended_on,
                organisation,
                setting,
                scope,
                minutes,
                description,
            })
        }
        _ => None,
    };
    check.finish(valid)
}

struct ValidFeedback {
    received_on: NaiveDate,
    source: &'static str,
    summary: String,
    practice_change: String,
}

fn valid_feedback(fields: &FeedbackFields, today: NaiveDate) -> Result<ValidFeedback> {
    let mut check = Check::new(today);
    let received_on = check.past_date(
        "received_on",
        &fields.received_on,
        "Enter the date you received the feedback",
    );
    let source = check.choice(
        "source",
        &fields.source,
        &FEEDBACK_SOURCES,
        "Choose who the feedback came from",
    );
    let summary = check.text(
        "summary",
        &fields.summary,
        Some("Say what the feedback was"),
        MAX_TEXT,
    );
    let practice_change = check.text("practice_change", &fields.practice_change, None, MAX_TEXT);
    let valid = received_on
        .zip(source)
        .map(|(received_on, source)| ValidFeedback {
            received_on,
            source,
            summary,
            practice_change,
        });
    check.finish(valid)
}

struct ValidReflection {
    written_on: NaiveDate,
    experience: String,
    learning: String,
    practice_change: String,
    code_themes: String,
}

fn valid_reflection(fields: &ReflectionFields, today: NaiveDate) -> Result<ValidReflection> {
    let mut check = Check::new(today);
    let written_on = check.past_date(
        "written_on",
        &fields.written_on,
        "Enter the date you wrote the account",
    );
    let experience = check.text(
        "experience",
        &fields.experience,
        Some("Describe the activity, feedback or experience"),
        MAX_TEXT,
    );
    let learning = check.text(
        "learning",
        &fields.learning,
        Some("Say what you learned from it"),
        MAX_TEXT,
    );
    let practice_change = check.text(
        "practice_change",
        &fields.practice_change,
        Some("Say how you changed or improved your practice"),
        MAX_TEXT,
    );
    let themes: Vec<&str> = CODE_THEMES
        .iter()
        .map(|(value, _)| *value)
        .filter(|value| fields.code_themes.iter().any(|chosen| chosen == value))
        .collect();
    check.require(
        themes.is_empty(),
        "code_themes",
        "Choose at least one theme of the Code",
    );
    let valid = written_on.map(|written_on| ValidReflection {
        written_on,
        experience,
        learning,
        practice_change,
        code_themes: themes.join(","),
    });
    check.finish(valid)
}

/// The row `id` of `E` if it belongs to `member`.
async fn owned<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    (id_column, user_column): (E::Column, E::Column),
    member: i32,
    id: i32,
) -> Result<E::Model> {
    E::find()
        .filter(id_column.eq(id))
        .filter(user_column.eq(member))
        .one(conn)
        .await?
        .ok_or(Error::NotFound)
}

/// Deletes the row `id` of `E` if it belongs to `member`; "not found" otherwise.
async fn delete_owned<E: EntityTrait>(
    conn: &impl ConnectionTrait,
    (id_column, user_column): (E::Column, E::Column),
    member: i32,
    id: i32,
) -> Result<()> {
    let deleted = E::delete_many()
        .filter(id_column.eq(id))
        .filter(user_column.eq(member))
        .exec(conn)
        .await?;
    if deleted.rows_affected == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

const PRACTICE: (practice::Column, practice::Column) =
    (practice::Column::Id, practice::Column::UserId);
const FEEDBACK: (feedback::Column, feedback::Column) =
    (feedback::Column::Id, feedback::Column::UserId);
const REFLECTION: (reflection::Column, reflection::Column) =
    (reflection::Column::Id, reflection::Column::UserId);

fn today() -> NaiveDate {
    crate::time::london_today(Utc::now())
}

impl CpdService {
    /// `actor`'s revalidation records dated from `from` to `to` (each end open when `None`),
    /// oldest first, with what they said once for their cycle: four statements.
    pub async fn revalidation_record(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<RevalidationRecord> {
        let member = actor.require_active()?.id;
        self.record_of(member, from, to).await
    }

    /// The revalidation record of `member` from `from` to `to`, for "download my data".
    pub(super) async fn record_of(
        &self,
        member: i32,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Result<RevalidationRecord> {
        let mut periods = practice::Entity::find().filter(practice::Column::UserId.eq(member));
        let mut pieces = feedback::Entity::find().filter(feedback::Column::UserId.eq(member));
        let mut accounts = reflection::Entity::find().filter(reflection::Column::UserId.eq(member));
        if let Some(from) = from {
            periods = periods.filter(practice::Column::EndedOn.gte(from));
            pieces = pieces.filter(feedback::Column::ReceivedOn.gte(from));
            accounts = accounts.filter(reflection::Column::WrittenOn.gte(from));
        }
        if let Some(to) = to {
            periods = periods.filter(practice::Column::EndedOn.lte(to));
            pieces = pieces.filter(feedback::Column::ReceivedOn.lte(to));
            accounts = accounts.filter(reflection::Column::WrittenOn.lte(to));
        }
        let practice: Vec<PracticePeriod> = periods
            .order_by_asc(practice::Column::EndedOn)
            .order_by_asc(practice::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(period_of)
            .collect();
        let feedback = pieces
            .order_by_asc(feedback::Column::ReceivedOn)
            .order_by_asc(feedback::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(feedback_of)
            .collect();
        let reflections = accounts
            .order_by_asc(reflection::Column::WrittenOn)
            .order_by_asc(reflection::Column::Id)
            .all(&self.db)
            .await?
            .into_iter()
            .map(account_of)
            .collect();
        let details = details_of(profile::Entity::find_by_id(member).one(&self.db).await?);
        Ok(RevalidationRecord {
            practice_minutes: practice
                .iter()
                .map(|period| i64::from(period.minutes))
                .sum(),
            practice,
            feedback,
            reflections,
            details,
        })
    }

    /// What `actor` has said once for their cycle.
    pub async fn cycle_details(&self, actor: &Actor) -> Result<CycleDetails> {
        let member = actor.require_active()?.id;
        Ok(details_of(
            profile::Entity::find_by_id(member).one(&self.db).await?,
        ))
    }

    /// The period of practice `id` of `actor`'s record.
    pub async fn practice_period(&self, actor: &Actor, id: i32) -> Result<PracticePeriod> {
        let member = actor.require_active()?.id;
        Ok(period_of(
            owned::<practice::Entity>(&self.db, PRACTICE, member, id).await?,
        ))
    }

    /// Adds a period of practice to `actor`'s record; its id.
    pub async fn add_practice(&self, actor: &Actor, fields: &PracticeFields) -> Result<i32> {
        let member = actor.require_active()?.id;
        let valid = valid_practice(fields, today())?;
        let row = practice::ActiveModel {
            user_id: Set(member),
            created_at: Set(Utc::now()),
            updated_at: Set(None),
            ..practice_values(valid)
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    /// Changes the period of practice `id` of `actor`'s record.
    pub async fn update_practice(
        &self,
        actor: &Actor,
        id: i32,
        fields: &PracticeFields,
    ) -> Result<()> {
        let member = actor.require_active()?.id;
        let row = owned::<practice::Entity>(&self.db, PRACTICE, member, id).await?;
        let valid = valid_practice(fields, today())?;
        practice::ActiveModel {
            id: Set(row.id),
            updated_at: Set(Some(Utc::now())),
            ..practice_values(valid)
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deletes the period of practice `id` of `actor`'s record.
    pub async fn delete_practice(&self, actor: &Actor, id: i32) -> Result<()> {
        let member = actor.require_active()?.id;
        delete_owned::<practice::Entity>(&self.db, PRACTICE, member, id).await
    }

    /// The piece of feedback `id` of `actor`'s record.
    pub async fn feedback(&self, actor: &Actor, id: i32) -> Result<Feedback> {
        let member = actor.require_active()?.id;
        Ok(feedback_of(
            owned::<feedback::Entity>(&self.db, FEEDBACK, member, id).await?,
        ))
    }

    /// Adds a piece of feedback to `actor`'s record; its id.
    pub async fn add_feedback(&self, actor: &Actor, fields: &FeedbackFields) -> Result<i32> {
        let member = actor.require_active()?.id;
        let valid = valid_feedback(fields, today())?;
        let row = feedback::ActiveModel {
            user_id: Set(member),
            created_at: Set(Utc::now()),
            updated_at: Set(None),
            ..feedback_values(valid)
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    /// Changes the piece of feedback `id` of `actor`'s record.
    pub async fn update_feedback(
        &self,
        actor: &Actor,
        id: i32,
        fields: &FeedbackFields,
    ) -> Result<()> {
        let member = actor.require_active()?.id;
        let row = owned::<feedback::Entity>(&self.db, FEEDBACK, member, id).await?;
        let valid = valid_feedback(fields, today())?;
        feedback::ActiveModel {
            id: Set(row.id),
            updated_at: Set(Some(Utc::now())),
            ..feedback_values(valid)
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deletes the piece of feedback `id` of `actor`'s record.
    pub async fn delete_feedback(&self, actor: &Actor, id: i32) -> Result<()> {
        let member = actor.require_active()?.id;
        delete_owned::<feedback::Entity>(&self.db, FEEDBACK, member, id).await
    }

    /// The reflective account `id` of `actor`'s record.
    pub async fn reflective_account(&self, actor: &Actor, id: i32) -> Result<ReflectiveAccount> {
        let member = actor.require_active()?.id;
        Ok(account_of(
            owned::<reflection::Entity>(&self.db, REFLECTION, member, id).await?,
        ))
    }

    /// Adds a reflective account to `actor`'s record; its id.
    pub async fn add_reflection(&self, actor: &Actor, fields: &ReflectionFields) -> Result<i32> {
        let member = actor.require_active()?.id;
        let valid = valid_reflection(fields, today())?;
        let row = reflection::ActiveModel {
            user_id: Set(member),
            created_at: Set(Utc::now()),
            updated_at: Set(None),
            ..reflection_values(valid)
        }
        .insert(&self.db)
        .await?;
        Ok(row.id)
    }

    /// Changes the reflective account `id` of `actor`'s record.
    pub async fn update_reflection(
        &self,
        actor: &Actor,
        id: i32,
        fields: &ReflectionFields,
    ) -> Result<()> {
        let member = actor.require_active()?.id;
        let row = owned::<reflection::Entity>(&self.db, REFLECTION, member, id).await?;
        let valid = valid_reflection(fields, today())?;
        reflection::ActiveModel {
            id: Set(row.id),
            updated_at: Set(Some(Utc::now())),
            ..reflection_values(valid)
        }
        .update(&self.db)
        .await?;
        Ok(())
    }

    /// Deletes the reflective account `id` of `actor`'s record.
    pub async fn delete_reflection(&self, actor: &Actor, id: i32) -> Result<()> {
        let member = actor.require_active()?.id;
        delete_owned::<reflection::Entity>(&self.db, REFLECTION, member, id).await
    }

    /// Records `actor`'s reflective discussion, confirmation and dual registration. A name
    /// without its date (or a date without its name) is refused, so the dashboard never counts
    /// half a discussion.
    pub async fn set_discussion(&self, actor: &Actor, fields: &DiscussionFields) -> Result<()> {
        let member = actor.require_active()?.id;
        let mut check = Check::new(today());
        let partner_name = check.text("partner_name", &fields.partner_name, None, MAX_NAME);
        let partner_pin = check
            .text("partner_pin", &fields.partner_pin, None, MAX_NAME)
            .to_uppercase();
        check.require(
            !partner_pin.is_empty() && !is_nmc_pin(&partner_pin),
            "partner_pin",
            "Enter an NMC PIN: two digits, a letter, four digits and a letter, like 12A3456E",
        );
        let discussed_on = check.optional_past_date("discussed_on", &fields.discussed_on);
        let confirmer_name = check.text("confirmer_name", &fields.confirmer_name, None, MAX_NAME);
        let confirmer_role = check.text("confirmer_role", &fields.confirmer_role, None, MAX_NAME);
        let confirmed_on = check.optional_past_date("confirmed_on", &fields.confirmed_on);
        let discussion_given = !partner_name.is_empty() || !fields.discussed_on.trim().is_empty();
        check.require(
            discussion_given && partner_name.is_empty(),
            "partner_name",
            "Enter the name of the registrant you had the discussion with",
        );
        check.require(
            discussion_given && fields.discussed_on.trim().is_empty(),
            "discussed_on",
            "Enter the date of the discussion",
        );
        let confirmation_given =
            !confirmer_name.is_empty() || !fields.confirmed_on.trim().is_empty();
        check.require(
            confirmation_given && confirmer_name.is_empty(),
            "confirmer_name",
            "Enter the name of your confirmer",
        );
        check.require(
            confirmation_given && confirmer_role.is_empty(),
            "confirmer_role",
            "Enter your confirmer's role, like line manager",
        );
        check.require(
            confirmation_given && fields.confirmed_on.trim().is_empty(),
            "confirmed_on",
            "Enter the date of the confirmation",
        );
        check.finish(Some(()))?;
        let row = profile::ActiveModel {
            user_id: Set(member),
            dual_registrant: Set(fields.dual_registrant),
            discussion_partner: Set(partner_name),
            discussion_partner_pin: Set(partner_pin),
            discussed_on: Set(discussed_on),
            confirmer_name: Set(confirmer_name),
            confirmer_role: Set(confirmer_role),
            confirmed_on: Set(confirmed_on),
            practice_summary: Set(String::new()),
            standards_statement: Set(String::new()),
            updated_at: Set(Some(Utc::now())),
        };
        self.save_details(
            row,
            &[
                profile::Column::DualRegistrant,
                profile::Column::DiscussionPartner,
                profile::Column::DiscussionPartnerPin,
                profile::Column::DiscussedOn,
                profile::Column::ConfirmerName,
                profile::Column::ConfirmerRole,
                profile::Column::ConfirmedOn,
                profile::Column::UpdatedAt,
            ],
        )
        .await
    }

    /// Records the statements of `actor`'s CPD profile.
    pub async fn set_profile(&self, actor: &Actor, fields: &ProfileFields) -> Result<()> {
        let member = actor.require_active()?.id;
        let mut check = Check::new(today());
        let practice_summary = check.text(
            "practice_summary",
            &fields.practice_summary,
            None,
            MAX_STATEMENT,
        );
        let standards_statement = check.text(
            "standards_statement",
            &fields.standards_statement,
            None,
            MAX_STATEMENT,
        );
        check.finish(Some(()))?;
        let row = profile::ActiveModel {
            user_id: Set(member),
            dual_registrant: Set(false),
            discussion_partner: Set(String::new()),
            discussion_partner_pin: Set(String::new()),
            discussed_on: Set(None),
            confirmer_name: Set(String::new()),
            confirmer_role: Set(String::new()),
            confirmed_on: Set(None),
            practice_summary: Set(practice_summary),
            standards_statement: Set(standards_statement),
            updated_at: Set(Some(Utc::now())),
        };
        self.save_details(
            row,
            &[
                profile::Column::PracticeSummary,
                profile::Column::StandardsStatement,
                profile::Column::UpdatedAt,
            ],
        )
        .await
    }

    /// Inserts the member's profile row, or changes only `columns` of the one they have: one
    /// statement, so two forms saved at once cannot lose each other's words.
    async fn save_details(
        &self,
        row: profile::ActiveModel,
        columns: &[profile::Column],
    ) -> Result<()> {
        profile::Entity::insert(row)
            .on_conflict(
                OnConflict::column(profile::Column::UserId)
                    .update_columns(columns.iter().copied())
                    .to_owned(),
            )
            .exec_without_returning(&self.db)
            .await?;
        Ok(())
    }
}

/// An NMC PIN: two digits, a letter, four digits and a letter (`12A3456E`).
fn is_nmc_pin(pin: &str) -> bool {
    let bytes = pin.as_bytes();
    bytes.len() == 8
        && bytes.iter().enumerate().all(|(at, byte)| match at {
            2 | 7 => byte.is_ascii_uppercase(),
            _ => byte.is_ascii_digit(),
        })
}

fn practice_values(valid: ValidPractice) -> practice::ActiveModel {
    practice::ActiveModel {
        started_on: Set(valid.started_on),
        ended_on: Set(valid.ended_on),
        organisation: Set(valid.organisation),
        setting: Set(valid.setting.to_owned()),
        scope: Set(valid.scope.to_owned()),
        minutes: Set(valid.minutes),
        description: Set(valid.description),
        ..Default::default()
    }
}

fn feedback_values(valid: ValidFeedback) -> feedback::ActiveModel {
    feedback::ActiveModel {
        received_on: Set(valid.received_on),
        source: Set(valid.source.to_owned()),
        summary: Set(valid.summary),
        practice_change: Set(valid.practice_change),
        ..Default::default()
    }
}

fn reflection_values(valid: ValidReflection) -> reflection::ActiveModel {
    reflection::ActiveModel {
        written_on: Set(valid.written_on),
        experience: Set(valid.experience),
        learning: Set(valid.learning),
        practice_change: Set(valid.practice_change),
        code_themes: Set(valid.code_themes),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nmc_pins_have_their_shape() {
        assert!(is_nmc_pin("12A3456E"));
        for wrong in ["12a3456E", "1234567E", "12A3456", "12A34567", "AB12345C"] {
            assert!(!is_nmc_pin(wrong), "{wrong}");
        }
    }

    #[test]
    fn a_period_must_end_after_it_starts_and_hold_sane_hours() {
        let today = NaiveDate::from_ymd_opt(2026, 12, 4).unwrap_or_default();
        let fields = PracticeFields {
            started_on: "2026-03-01".into(),
            ended_on: "2026-02-01".into(),
            organisation: "Force OH".into(),
            setting: "occupational-health".into(),
            scope: "direct-care".into(),
            hours: "2000.5".into(),
            description: String::new(),
        };
        let Err(Error::InvalidFields(errors)) = valid_practice(&fields, today) else {
            panic!("a period ending before it starts was accepted");
        };
        let fields: Vec<&str> = errors.iter().map(|error| error.field.as_str()).collect();
        assert_eq!(fields, ["ended_on", "hours"]);
    }
}
