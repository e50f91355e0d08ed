//! What a member says once for their cycle: the reflective discussion, the confirmation, a
//! dual registration, and the statements of their CPD profile, kept in one row per member.

use chrono::Utc;
use sea_orm::sea_query::OnConflict;
use sea_orm::{EntityTrait, Set};

use super::super::CpdService;
use super::super::check::Check;
use super::super::entities::profile;
use super::valid::is_nmc_pin;
use super::{DiscussionFields, MAX_NAME, MAX_STATEMENT, ProfileFields, today};
use crate::Result;
use crate::accounts::Actor;

impl CpdService {
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
