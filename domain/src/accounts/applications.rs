//! Applying to join: the groups an applicant may ask for, recording an application, and
//! confirming the email address (after which an administrator decides, or an allow-listed
//! domain is approved at once).

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set, TransactionTrait,
};

use super::emails;
use super::entities::{email_token, group, user, user_group};
use super::validation::validate_registration;
use super::{
    AccountService, Actor, MemberStatus, RequestOrigin, Role, member_target, password_hashing,
    tokens,
};
use crate::rate_limit::Limited;
use crate::{Error, FieldError, Result, audit};

/// How long an email confirmation link works.
pub const VERIFY_LINK_HOURS: i64 = 24;

const PURPOSE_VERIFY: &str = "verify-email";

const GROUP_REQUESTED: &str = "requested";

/// An application to join, as typed into the form.
#[derive(Clone, Debug, Default)]
pub struct Registration {
    /// Full name.
    pub name: String,
    /// Email address.
    pub email: String,
    /// Chosen password.
    pub password: String,
    /// One of [`directory::PROFESSIONS`].
    pub profession: String,
    /// A force from [`directory::POLICE_FORCES`] or `other`.
    pub organisation: String,
    /// One of [`directory::REGULATORS`].
    pub regulator: String,
    /// Registration number with the regulator (optional).
    pub registration_number: String,
    /// Slugs of the groups the applicant asks to join.
    pub groups: Vec<String>,
}

/// A group a member can ask to join.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupOption {
    /// Slug.
    pub slug: String,
    /// Name.
    pub name: String,
    /// Private (its forum is hidden from non-members).
    pub private: bool,
}

impl AccountService {
    /// Groups an applicant may ask to join.
    pub async fn groups(&self) -> Result<Vec<GroupOption>> {
        let rows = group::Entity::find()
            .order_by_asc(group::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| GroupOption {
                slug: row.slug,
                name: row.name,
                private: row.private,
            })
            .collect())
    }

    /// Records an application and emails a confirmation link. An address that already has an
    /// account gets an email saying so instead, and the caller sees the same outcome either
    /// way, so the form cannot be used to find out who is a member.
    pub async fn register(&self, registration: Registration, origin: &RequestOrigin) -> Result<()> {
        let groups = self.groups().await?;
        let valid = validate_registration(registration, &groups)?;
        self.limits.check(Limited::Registration, origin.ip, None)?;
        let password_hash = password_hashing::hash(valid.password.clone()).await?;
        let txn = self.db.begin().await?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(&valid.email))
            .one(&txn)
            .await?;
        if existing.is_some() {
            emails::already_a_member(&self.settings.base_url)
                .enqueue(&txn, &valid.email)
                .await?;
            txn.commit().await?;
            return Ok(());
        }
        let now = Utc::now();
        let created = user::ActiveModel {
            email: Set(valid.email.clone()),
            name: Set(valid.details.name.clone()),
            handle: Set(Some(
                super::handles::unique_handle(&txn, &valid.details.name).await?,
            )),
            password_hash: Set(password_hash),
            profession: Set(valid.details.profession),
            organisation: Set(valid.details.organisation),
            regulator: Set(valid.details.regulator),
            registration_number: Set(valid.details.registration_number),
            status: Set(MemberStatus::Unverified.as_str().to_owned()),
            role: Set(Role::Member.as_str().to_owned()),
            created_at: Set(now),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        request_groups(&txn, created.id, &valid.groups).await?;
        let token = tokens::random_token(32);
        email_token::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            user_id: Set(created.id),
            purpose: Set(PURPOSE_VERIFY.to_owned()),
            created_at: Set(now),
            expires_at: Set(now + Duration::hours(VERIFY_LINK_HOURS)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        emails::confirm_email(&valid.details.name, &self.settings.base_url, &token)
            .enqueue(&txn, &valid.email)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Confirms the email address behind a link's token (once; links expire). The member then
    /// waits for approval, or is approved at once if their domain is on the allow-list.
    pub async fn verify_email(&self, token: &str) -> Result<MemberStatus> {
        let invalid = || {
            FieldError::new(
                "token",
                "This link has expired or has already been used. Apply again or sign in.",
            )
        };
        let txn = self.db.begin().await?;
        let now = Utc::now();
        let Some(stored) = email_token::Entity::find()
            .filter(email_token::Column::TokenHash.eq(tokens::token_hash(token.trim())))
            .filter(email_token::Column::Purpose.eq(PURPOSE_VERIFY))
            .one(&txn)
            .await?
        else {
            return Err(Error::InvalidFields(vec![invalid()]));
        };
        if stored.used_at.is_some() || stored.expires_at < now {
            return Err(Error::InvalidFields(vec![invalid()]));
        }
        let user_id = stored.user_id;
        let mut used = email_token::ActiveModel::from(stored);
        used.used_at = Set(Some(now));
        used.update(&txn).await?;
        let account = user::Entity::find_by_id(user_id)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        if account.status != MemberStatus::Unverified.as_str() {
            txn.commit().await?;
            return MemberStatus::parse(&account.status)
                .ok_or_else(|| Error::Internal("unknown member status".to_owned()));
        }
        let auto_approve = self.auto_approved(&txn, &account.email).await?;
        let status = if auto_approve {
            MemberStatus::Active
        } else {
            MemberStatus::Pending
        };
        let email = account.email.clone();
        let name = account.name.clone();
        let mut row = user::ActiveModel::from(account);
        row.status = Set(status.as_str().to_owned());
        row.verified_at = Set(Some(now));
        if auto_approve {
            row.decided_at = Set(Some(now));
        }
        row.update(&txn).await?;
        if auto_approve {
            audit::record(
                &txn,
                &Actor::Anonymous,
                "member.auto-approve",
                &member_target(user_id, &email),
                "email domain is on the allow-list",
                None,
            )
            .await?;
            emails::approved(&name, &self.settings.base_url)
                .enqueue(&txn, &email)
                .await?;
        }
        txn.commit().await?;
        Ok(status)
    }
}

/// Records a new applicant's requests to join the groups with `slugs` (already validated).
pub(super) async fn request_groups(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    slugs: &[String],
) -> Result<()> {
    let now = Utc::now();
    for slug in slugs {
        user_group::ActiveModel {
            user_id: Set(user_id),
            group_id: Set(group_id(conn, slug).await?),
            status: Set(GROUP_REQUESTED.to_owned()),
            created_at: Set(now),
        }
        .insert(conn)
        .await?;
    }
    Ok(())
}

async fn group_id(conn: &impl sea_orm::ConnectionTrait, slug: &str) -> Result<i32> {
    group::Entity::find()
        .filter(group::Column::Slug.eq(slug))
        .one(conn)
        .await?
        .map(|row| row.id)
        .ok_or(Error::NotFound)
}
