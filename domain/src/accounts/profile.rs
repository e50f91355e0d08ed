//! The member's own account: their profile, which emails they want, and closing the account
//! (UK GDPR erasure: personal data goes; what they wrote stays, as "Former member").

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::entities::{email_token, sso_attempt, user, user_group, user_identity};
use super::sessions::end_all_sessions;
use super::validation::validate_details;
use super::{
    AccountService, Actor, MemberDetails, MemberStatus, Role, directory, password_hashing,
};
use crate::{Error, FieldError, Result, audit};

/// The name shown for someone who closed their account, wherever their name appeared.
pub const FORMER_MEMBER: &str = "Former member";

/// The emails a member has chosen to receive. Emails about their account itself (confirming
/// an address, approval, password reset) are always sent.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EmailPreferences {
    /// Network newsletters.
    pub newsletters: bool,
    /// Email about what they watch in the forums.
    pub forum_email: ForumEmail,
    /// Watch the topics they start or reply to.
    pub watch_own_topics: bool,
    /// Reminders of workshops and events they registered for.
    pub events: bool,
}

/// How a member hears by email about what they watch in the forums.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ForumEmail {
    /// One email per post, soon after it is written.
    EachPost,
    /// One email a day listing what they have not read.
    DailyDigest,
    /// No forum email (notifications still appear on the site).
    Off,
}

impl ForumEmail {
    /// The stored form.
    pub fn as_str(self) -> &'static str {
        match self {
            ForumEmail::EachPost => "each",
            ForumEmail::DailyDigest => "daily",
            ForumEmail::Off => "off",
        }
    }

    /// Parses the stored form.
    pub fn parse(text: &str) -> Option<ForumEmail> {
        match text {
            "each" => Some(ForumEmail::EachPost),
            "daily" => Some(ForumEmail::DailyDigest),
            "off" => Some(ForumEmail::Off),
            _ => None,
        }
    }

    /// The stored choice, where anything unreadable means [`ForumEmail::Off`]: the choice
    /// that sends nobody mail they did not ask for.
    pub fn stored(text: &str) -> ForumEmail {
        Self::parse(text).unwrap_or(ForumEmail::Off)
    }
}

/// The signed-in member's profile, for the account pages.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Profile {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Profession (stored value).
    pub profession: String,
    /// Organisation (stored value).
    pub organisation: String,
    /// Regulator (stored value).
    pub regulator: String,
    /// Registration number, or empty.
    pub registration_number: String,
    /// Email choices.
    pub preferences: EmailPreferences,
    /// False for members who joined by single sign-on and never set a password.
    pub has_password: bool,
}

impl AccountService {
    /// The approved member's profile (applicants see only their application's status).
    pub async fn profile(&self, actor: &Actor) -> Result<Profile> {
        let member = actor.require_active()?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        Ok(Profile {
            has_password: !account.password_hash.is_empty(),
            preferences: EmailPreferences {
                newsletters: account.email_newsletters,
                forum_email: ForumEmail::stored(&account.forum_email),
                watch_own_topics: account.watch_own_topics,
                events: account.email_events,
            },
            name: account.name,
            email: account.email,
            profession: account.profession,
            organisation: account.organisation,
            regulator: account.regulator,
            registration_number: account.registration_number.unwrap_or_default(),
        })
    }

    /// Updates the signed-in member's own details (every problem reported at once).
    pub async fn update_profile(&self, actor: &Actor, details: &MemberDetails) -> Result<()> {
        let member = actor.require_active()?;
        let mut problems = Vec::new();
        let valid = validate_details(details, &mut problems);
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let mut row = user::ActiveModel::from(account);
        row.name = Set(valid.name);
        row.profession = Set(valid.profession);
        row.organisation = Set(valid.organisation);
        row.regulator = Set(valid.regulator);
        row.registration_number = Set(valid.registration_number);
        row.update(&self.db).await?;
        Ok(())
    }

    /// Records which optional emails the signed-in member wants.
    pub async fn set_email_preferences(
        &self,
        actor: &Actor,
        preferences: EmailPreferences,
    ) -> Result<()> {
        let member = actor.require_active()?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let mut row = user::ActiveModel::from(account);
        row.email_newsletters = Set(preferences.newsletters);
        row.forum_email = Set(preferences.forum_email.as_str().to_owned());
        row.watch_own_topics = Set(preferences.watch_own_topics);
        row.email_events = Set(preferences.events);
        row.update(&self.db).await?;
        Ok(())
    }

    /// The member a one-click unsubscribe `token` stops forum email for, if it is genuine
    /// and their account is open ([`Error::NotFound`] otherwise, whatever the reason).
    async fn unsubscribing(&self, token: &str) -> Result<user::Model> {
        let signer = crate::mail::links::LinkSigner::load(&self.db).await?;
        let user_id = signer
            .verify(crate::mail::links::LinkPurpose::StopForumEmail, token)
            .ok_or(Error::NotFound)?;
        user::Entity::find_by_id(user_id)
            .filter(user::Column::ClosedAt.is_null())
            .one(&self.db)
            .await?
            .ok_or(Error::NotFound)
    }

    /// Checks a one-click unsubscribe `token` without acting on it (for the page that offers
    /// the button): true when the member still gets forum email.
    pub async fn unsubscribe_link(&self, token: &str) -> Result<bool> {
        let account = self.unsubscribing(token).await?;
        Ok(ForumEmail::stored(&account.forum_email) != ForumEmail::Off)
    }

    /// Stops forum email for the member a one-click unsubscribe `token` was made for, without
    /// signing in (RFC 8058). Doing it twice is harmless.
    pub async fn stop_forum_email(&self, token: &str) -> Result<()> {
        let account = self.unsubscribing(token).await?;
        user::Entity::update_many()
            .col_expr(
                user::Column::ForumEmail,
                sea_orm::sea_query::Expr::value(ForumEmail::Off.as_str()),
            )
            .filter(user::Column::Id.eq(account.id))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Closes the signed-in member's account for good: their name, email address, password,
    /// professional details, CPD portfolio, groups, sessions, links and sign-on identities are erased in one
    /// transaction; the row stays so what they wrote is attributed to "Former member".
    /// `confirmed` must be true, and the password must match if the account has one.
    /// An administrator cannot close their own account while they hold the role.
    pub async fn close_account(
        &self,
        actor: &Actor,
        confirmed: bool,
        password_text: &str,
    ) -> Result<()> {
        let member = actor.require_signed_in()?;
        if member.role == Role::Administrator {
            return Err(Error::Conflict(
                "Administrators cannot close their own account. Ask another administrator to change your role first.".to_owned(),
            ));
        }
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let mut problems = Vec::new();
        if !confirmed {
            problems.push(FieldError::new(
                "confirm",
                "Confirm that you understand closing your account cannot be undone",
            ));
        }
        if !account.password_hash.is_empty() {
            if password_text.is_empty() {
                problems.push(FieldError::new("password", "Enter your password"));
            } else if !password_hashing::verify(
                password_text.to_owned(),
                Some(account.password_hash.clone()),
            )
            .await?
            {
                problems.push(FieldError::new("password", "Your password is not correct"));
            }
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let user_id = account.id;
        let txn = self.db.begin().await?;
        let mut row = user::ActiveModel::from(account);
        row.name = Set(FORMER_MEMBER.to_owned());
        row.email = Set(format!("closed-{user_id}@closed.invalid"));
        row.password_hash = Set(String::new());
        row.profession = Set("other".to_owned());
        row.organisation = Set(directory::OTHER_ORGANISATION.0.to_owned());
        row.regulator = Set("none".to_owned());
        row.registration_number = Set(None);
        row.decline_reason = Set(None);
        row.status = Set(MemberStatus::Closed.as_str().to_owned());
        row.role = Set(Role::Member.as_str().to_owned());
        row.moderates_group = Set(None);
        row.email_newsletters = Set(false);
        row.forum_email = Set(ForumEmail::Off.as_str().to_owned());
        row.email_events = Set(false);
        row.closed_at = Set(Some(Utc::now()));
        row.handle = Set(None);
        row.cpd_cycle_ends_on = Set(None);
        row.cpd_target_minutes = Set(None);
        row.update(&txn).await?;
        crate::cpd::erase_portfolio(&txn, user_id).await?;
        user_group::Entity::delete_many()
            .filter(user_group::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        email_token::Entity::delete_many()
            .filter(email_token::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        user_identity::Entity::delete_many()
            .filter(user_identity::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        sso_attempt::Entity::delete_many()
            .filter(sso_attempt::Column::Email.eq(&member.email))
            .exec(&txn)
            .await?;
        crate::forums::forget_held_posts(&txn, user_id).await?;
        end_all_sessions(&txn, user_id).await?;
        audit::record(
            &txn,
            &Actor::Anonymous,
            "member.close",
            &format!("user:{user_id}"),
            "closed by the member; personal data erased",
            None,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }
}
