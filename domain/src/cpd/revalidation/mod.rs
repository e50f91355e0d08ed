//! The rest of a revalidation portfolio, each a record of its own: periods of practice with
//! their hours, practice-related feedback, written reflective accounts on the NMC Code's
//! themes, and what a member says once per cycle (a dual registration, the reflective
//! discussion, the confirmation, and the statements of an HCPC-style CPD profile). Owner-only,
//! like the log: every query names the member, so anyone else's record is "not found". No
//! field asks for anything that identifies a patient, service user or colleague.

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter, QueryOrder, Set,
};
use serde::Serialize;

use super::CpdService;
use super::entities::{feedback, practice, profile, reflection};
use crate::accounts::Actor;
use crate::{Error, Result};

mod details;
mod valid;

use valid::{
    feedback_values, practice_values, reflection_values, valid_feedback, valid_practice,
    valid_reflection,
};

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
}
