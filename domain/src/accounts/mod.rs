//! Membership: applying to join, confirming an email address, approval by an administrator,
//! signing in and out with database-backed sessions, and the [`Actor`] every other service
//! checks.

mod actor;
mod administration;
pub mod directory;
mod entities;
pub mod password;
mod profile;
mod session_actor;
mod sso;
pub mod tokens;

pub use actor::{Actor, Member, MemberStatus, Role};
pub use administration::{AllowedDomain, MemberFilter};
pub use profile::{EmailPreferences, FORMER_MEMBER, Profile};
pub use sso::{SsoApplicant, SsoOutcome, SsoSettings, SsoStart};

use std::net::IpAddr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter,
    QueryOrder, Set, TransactionTrait,
};

use crate::rate_limit::{Limited, RateLimits};
use crate::{Error, FieldError, Result, audit, mail};
use entities::{email_token, group, session, user, user_group};

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;
/// How long an email confirmation link works.
pub const VERIFY_LINK_HOURS: i64 = 24;
const PURPOSE_VERIFY: &str = "verify-email";
const PURPOSE_RESET: &str = "reset-password";
/// How long a password reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;
const GROUP_REQUESTED: &str = "requested";
const GROUP_MEMBER: &str = "member";
/// The generic sign-in failure: the same whether the account exists or not.
pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";

/// Settings the accounts service needs from configuration.
#[derive(Clone, Debug, Default)]
pub struct AccountSettings {
    /// Public URL of the site, for links in emails (no trailing slash).
    pub base_url: String,
    /// Email domains whose members are approved as soon as they confirm their address
    /// (administrators can add more in the app).
    pub auto_approve_domains: Vec<String>,
    /// OpenID Connect single sign-on, when configured.
    pub sso: Option<SsoSettings>,
}

/// Where a request came from, for rate limits, sessions and the audit log.
#[derive(Clone, Debug, Default)]
pub struct RequestOrigin {
    /// Client IP address.
    pub ip: Option<IpAddr>,
    /// Browser's User-Agent.
    pub user_agent: Option<String>,
}

impl RequestOrigin {
    fn ip_text(&self) -> Option<String> {
        self.ip.map(|ip| ip.to_string())
    }
}

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

/// A new session: the cookie value and who it belongs to.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The secret to put in the session cookie.
    pub token: String,
    /// The member.
    pub member: Member,
}

/// A member as listed for administrators.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MemberSummary {
    /// User id.
    pub id: i32,
    /// Name.
    pub name: String,
    /// Email.
    pub email: String,
    /// Profession label.
    pub profession: String,
    /// Organisation label.
    pub organisation: String,
    /// Regulator label and registration number.
    pub registration: String,
    /// Status.
    pub status: MemberStatus,
    /// Role.
    pub role: Role,
    /// Groups requested or joined.
    pub groups: Vec<GroupMembership>,
    /// For a moderator scoped to one forum, that group's slug.
    pub moderates: Option<String>,
    /// When they applied.
    pub applied_at: DateTime<Utc>,
}

/// A member's place in a group.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupMembership {
    /// Group slug.
    pub slug: String,
    /// Group name.
    pub name: String,
    /// Approved (`false`: requested).
    pub joined: bool,
}

/// Membership, sessions and member administration.
#[derive(Clone, Debug)]
pub struct AccountService {
    db: DatabaseConnection,
    settings: Arc<AccountSettings>,
    limits: RateLimits,
    sso: Option<Arc<sso::SsoClient>>,
}

impl AccountService {
    pub(crate) fn new(
        db: DatabaseConnection,
        settings: AccountSettings,
        limits: RateLimits,
    ) -> Self {
        let sso = settings
            .sso
            .clone()
            .map(|sso_settings| Arc::new(sso::SsoClient::new(sso_settings, &settings.base_url)));
        Self {
            db,
            settings: Arc::new(settings),
            limits,
            sso,
        }
    }

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
        let password_hash = password::hash(valid.password.clone()).await?;
        let txn = self.db.begin().await?;
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(&valid.email))
            .one(&txn)
            .await?;
        if existing.is_some() {
            mail::enqueue(
                &txn,
                &valid.email,
                "You already have an ohnet account",
                &format!(
                    "Hello,\n\nSomeone (probably you) tried to apply to join ohnet with this email \
                     address, but it already has an account.\n\nSign in at {base}/sign-in. If you \
                     have forgotten your password, you can reset it from the sign-in page.\n\nIf \
                     this was not you, you can ignore this email.\n",
                    base = self.settings.base_url
                ),
            )
            .await?;
            txn.commit().await?;
            return Ok(());
        }
        let now = Utc::now();
        let created = user::ActiveModel {
            email: Set(valid.email.clone()),
            name: Set(valid.details.name.clone()),
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
        mail::enqueue(
            &txn,
            &valid.email,
            "Confirm your email address for ohnet",
            &format!(
                "Hello {name},\n\nThank you for applying to join ohnet, the police Occupational \
                 Health network. Confirm your email address to continue:\n\n\
                 {base}/verify-email?token={token}\n\nThe link works once and expires in \
                 {VERIFY_LINK_HOURS} hours. If you did not apply, you can ignore this email.\n",
                name = valid.details.name,
                base = self.settings.base_url,
            ),
        )
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
            mail::enqueue(
                &txn,
                &email,
                APPROVED_SUBJECT,
                &approved_body(&name, &self.settings.base_url),
            )
            .await?;
        }
        txn.commit().await?;
        Ok(status)
    }

    /// Signs in with email and password. Unknown addresses and wrong passwords get the same
    /// message after the same amount of work. Limited per IP and per account.
    pub async fn sign_in(
        &self,
        email: &str,
        password_text: &str,
        origin: &RequestOrigin,
    ) -> Result<SignedIn> {
        let email = email.trim().to_lowercase();
        let mut missing = Vec::new();
        if email.is_empty() {
            missing.push(FieldError::new("email", "Enter your email address"));
        }
        if password_text.is_empty() {
            missing.push(FieldError::new("password", "Enter your password"));
        }
        if !missing.is_empty() {
            return Err(Error::InvalidFields(missing));
        }
        self.limits
            .check(Limited::SignIn, origin.ip, Some(&email))?;
        let account = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&self.db)
            .await?;
        let matches = password::verify(
            password_text.to_owned(),
            account.as_ref().map(|row| row.password_hash.clone()),
        )
        .await?;
        let failed = || Error::InvalidFields(vec![FieldError::new("email", SIGN_IN_FAILED)]);
        let Some(account) = account.filter(|_| matches) else {
            return Err(failed());
        };
        check_can_sign_in(&account.status)?;
        let token = start_session(&self.db, account.id, origin).await?;
        let member = self.member_from(account).await?;
        Ok(SignedIn { token, member })
    }

    /// The actor behind a session cookie: anonymous when the session is unknown or expired, or
    /// its member can no longer sign in.
    pub async fn actor_for_session(&self, token: &str) -> Result<Actor> {
        session_actor::actor_for_session(&self.db, token).await
    }

    /// Ends the session behind `token` (signing out this browser).
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(tokens::token_hash(token)))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Emails a single-use password reset link to `email` if it belongs to a member who can
    /// sign in. The caller sees the same outcome either way (no account enumeration).
    /// Limited per IP and per address.
    pub async fn request_password_reset(&self, email: &str, origin: &RequestOrigin) -> Result<()> {
        let email = email.trim().to_lowercase();
        if !looks_like_email(&email) {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "email",
                "Enter an email address in the correct format, like name@example.org",
            )]));
        }
        self.limits
            .check(Limited::PasswordReset, origin.ip, Some(&email))?;
        let txn = self.db.begin().await?;
        let account = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?;
        let Some(account) = account.filter(|account| {
            matches!(
                MemberStatus::parse(&account.status),
                Some(MemberStatus::Pending | MemberStatus::Active)
            )
        }) else {
            txn.commit().await?;
            return Ok(());
        };
        let token = tokens::random_token(32);
        let now = Utc::now();
        email_token::ActiveModel {
            token_hash: Set(tokens::token_hash(&token)),
            user_id: Set(account.id),
            purpose: Set(PURPOSE_RESET.to_owned()),
            created_at: Set(now),
            expires_at: Set(now + Duration::minutes(RESET_LINK_MINUTES)),
            ..Default::default()
        }
        .insert(&txn)
        .await?;
        mail::enqueue(
            &txn,
            &email,
            "Reset your ohnet password",
            &format!(
                "Hello {name},\n\nSomeone (probably you) asked to reset your ohnet password. \
                 Choose a new one here:\n\n{base}/reset-password/new?token={token}\n\nThe link \
                 works once and expires in {RESET_LINK_MINUTES} minutes. If you did not ask, you \
                 can ignore this email: your password has not changed.\n",
                name = account.name,
                base = self.settings.base_url,
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sets a new password with a reset link's token (once; links expire) and ends every
    /// session of that member, so anyone signed in with the old password is signed out.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<()> {
        if let Err(message) = password::check_new(new_password) {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "password", message,
            )]));
        }
        let password_hash = password::hash(new_password.to_owned()).await?;
        let txn = self.db.begin().await?;
        let now = Utc::now();
        let stored = email_token::Entity::find()
            .filter(email_token::Column::TokenHash.eq(tokens::token_hash(token.trim())))
            .filter(email_token::Column::Purpose.eq(PURPOSE_RESET))
            .one(&txn)
            .await?
            .filter(|stored| stored.used_at.is_none() && stored.expires_at > now)
            .ok_or_else(|| {
                Error::InvalidFields(vec![FieldError::new(
                    "password",
                    "This reset link has expired or has already been used. Ask for a new one.",
                )])
            })?;
        let user_id = stored.user_id;
        let mut used = email_token::ActiveModel::from(stored);
        used.used_at = Set(Some(now));
        used.update(&txn).await?;
        let account = user::Entity::find_by_id(user_id)
            .one(&txn)
            .await?
            .ok_or(Error::NotFound)?;
        let mut row = user::ActiveModel::from(account);
        row.password_hash = Set(password_hash);
        row.update(&txn).await?;
        end_all_sessions(&txn, user_id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Changes the signed-in member's password after checking the current one, and signs out
    /// every other session (this one, `session_token`, stays).
    pub async fn change_password(
        &self,
        actor: &Actor,
        session_token: &str,
        current: &str,
        new_password: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        let member = actor.require_signed_in()?;
        self.limits
            .check(Limited::SignIn, origin.ip, Some(&member.email))?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let mut problems = Vec::new();
        if account.password_hash.is_empty() {
            // Joined by single sign-on: setting a first password needs no current one.
        } else if current.is_empty() {
            problems.push(FieldError::new(
                "current_password",
                "Enter your current password",
            ));
        } else if !password::verify(current.to_owned(), Some(account.password_hash.clone())).await?
        {
            problems.push(FieldError::new(
                "current_password",
                "Your current password is not correct",
            ));
        }
        if let Err(message) = password::check_new(new_password) {
            problems.push(FieldError::new("new_password", message));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let password_hash = password::hash(new_password.to_owned()).await?;
        let txn = self.db.begin().await?;
        let mut row = user::ActiveModel::from(account);
        row.password_hash = Set(password_hash);
        row.update(&txn).await?;
        end_other_sessions(&txn, member.id, session_token).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Signs the member out everywhere but this session; answers how many were ended.
    pub async fn sign_out_other_sessions(&self, actor: &Actor, session_token: &str) -> Result<u64> {
        let member = actor.require_signed_in()?;
        end_other_sessions(&self.db, member.id, session_token).await
    }

    /// The member's sessions, newest first, marking the one making this request.
    pub async fn sessions(&self, actor: &Actor, session_token: &str) -> Result<Vec<SessionInfo>> {
        let member = actor.require_signed_in()?;
        let current = tokens::token_hash(session_token);
        let rows = session::Entity::find()
            .filter(session::Column::UserId.eq(member.id))
            .filter(session::Column::ExpiresAt.gt(Utc::now()))
            .order_by_desc(session::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| SessionInfo {
                current: row.token_hash == current,
                signed_in_at: row.created_at,
                last_seen_at: row.last_seen_at,
                browser: row
                    .user_agent
                    .unwrap_or_else(|| "Unknown browser".to_owned()),
            })
            .collect())
    }

    /// Everything held about the signed-in member, for "download my data" (UK GDPR right of
    /// access and portability).
    pub async fn export_data(&self, actor: &Actor) -> Result<serde_json::Value> {
        let member = actor.require_signed_in()?;
        let account = user::Entity::find_by_id(member.id)
            .one(&self.db)
            .await?
            .ok_or(Error::Unauthenticated)?;
        let groups = group::Entity::find().all(&self.db).await?;
        let memberships: Vec<serde_json::Value> = user_group::Entity::find()
            .filter(user_group::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                let name = groups
                    .iter()
                    .find(|group| group.id == row.group_id)
                    .map(|group| group.name.clone())
                    .unwrap_or_default();
                serde_json::json!({ "group": name, "status": row.status, "since": row.created_at })
            })
            .collect();
        let sessions: Vec<serde_json::Value> = session::Entity::find()
            .filter(session::Column::UserId.eq(member.id))
            .all(&self.db)
            .await?
            .into_iter()
            .map(|row| {
                serde_json::json!({
                    "signed_in_at": row.created_at,
                    "last_seen_at": row.last_seen_at,
                    "expires_at": row.expires_at,
                    "browser": row.user_agent,
                })
            })
            .collect();
        Ok(serde_json::json!({
            "exported_at": Utc::now(),
            "profile": {
                "name": account.name,
                "email": account.email,
                "profession": directory::label(&directory::PROFESSIONS, &account.profession),
                "organisation": directory::organisation_label(&account.organisation),
                "regulator": directory::label(&directory::REGULATORS, &account.regulator),
                "registration_number": account.registration_number,
                "status": account.status,
                "role": account.role,
                "applied_at": account.created_at,
                "email_confirmed_at": account.verified_at,
                "decided_at": account.decided_at,
            },
            "groups": memberships,
            "sessions": sessions,
        }))
    }

    /// Approves a pending application: the member and their requested groups. Audited and
    /// emailed. Administrators only.
    pub async fn approve(&self, actor: &Actor, user_id: i32, origin: &RequestOrigin) -> Result<()> {
        actor.require_role(Role::Administrator)?;
        let txn = self.db.begin().await?;
        let account = pending_account(&txn, user_id).await?;
        let now = Utc::now();
        let (email, name) = (account.email.clone(), account.name.clone());
        let mut row = user::ActiveModel::from(account);
        row.status = Set(MemberStatus::Active.as_str().to_owned());
        row.decided_at = Set(Some(now));
        row.update(&txn).await?;
        user_group::Entity::update_many()
            .col_expr(
                user_group::Column::Status,
                sea_orm::sea_query::Expr::value(GROUP_MEMBER),
            )
            .filter(user_group::Column::UserId.eq(user_id))
            .exec(&txn)
            .await?;
        audit::record(
            &txn,
            actor,
            "member.approve",
            &member_target(user_id, &email),
            "",
            origin.ip_text().as_deref(),
        )
        .await?;
        mail::enqueue(
            &txn,
            &email,
            APPROVED_SUBJECT,
            &approved_body(&name, &self.settings.base_url),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Declines a pending application with a reason, which is emailed. Audited.
    /// Administrators only.
    pub async fn decline(
        &self,
        actor: &Actor,
        user_id: i32,
        reason: &str,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Administrator)?;
        let reason = reason.trim();
        if reason.is_empty() {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "reason",
                "Enter the reason for declining; it is sent to the applicant",
            )]));
        }
        if reason.chars().count() > 2000 {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "reason",
                "Reason must be 2000 characters or fewer",
            )]));
        }
        let txn = self.db.begin().await?;
        let account = pending_account(&txn, user_id).await?;
        let (email, name) = (account.email.clone(), account.name.clone());
        let mut row = user::ActiveModel::from(account);
        row.status = Set(MemberStatus::Declined.as_str().to_owned());
        row.decline_reason = Set(Some(reason.to_owned()));
        row.decided_at = Set(Some(Utc::now()));
        row.update(&txn).await?;
        audit::record(
            &txn,
            actor,
            "member.decline",
            &member_target(user_id, &email),
            reason,
            origin.ip_text().as_deref(),
        )
        .await?;
        mail::enqueue(
            &txn,
            &email,
            "Your application to join ohnet",
            &format!(
                "Hello {name},\n\nThank you for applying to join ohnet. An administrator has \
                 declined your application, for this reason:\n\n{reason}\n\nIf you think this is \
                 a mistake, contact the network administrators through your force OH lead.\n"
            ),
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Suspends a member: they are signed out everywhere and cannot sign in until reinstated.
    /// Audited. Administrators only, and not themselves.
    pub async fn suspend(&self, actor: &Actor, user_id: i32, origin: &RequestOrigin) -> Result<()> {
        let admin = actor.require_role(Role::Administrator)?;
        if admin.id == user_id {
            return Err(Error::Conflict(
                "You cannot suspend your own account".to_owned(),
            ));
        }
        let txn = self.db.begin().await?;
        let account = account_in(
            &txn,
            user_id,
            &[MemberStatus::Active, MemberStatus::Pending],
        )
        .await?;
        change_status(
            &txn,
            actor,
            account,
            MemberStatus::Suspended,
            "member.suspend",
            origin,
        )
        .await?;
        end_all_sessions(&txn, user_id).await?;
        txn.commit().await?;
        Ok(())
    }

    /// Lifts a suspension. Audited. Administrators only.
    pub async fn reinstate(
        &self,
        actor: &Actor,
        user_id: i32,
        origin: &RequestOrigin,
    ) -> Result<()> {
        actor.require_role(Role::Administrator)?;
        let txn = self.db.begin().await?;
        let account = account_in(&txn, user_id, &[MemberStatus::Suspended]).await?;
        change_status(
            &txn,
            actor,
            account,
            MemberStatus::Active,
            "member.reinstate",
            origin,
        )
        .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Creates an active administrator (for `ohnet create-admin`), or makes an existing
    /// account one. Audited as done from the command line.
    pub async fn create_admin(&self, email: &str, name: &str, password_text: &str) -> Result<i32> {
        let email = email.trim().to_lowercase();
        let name = name.trim();
        let mut problems = Vec::new();
        if !looks_like_email(&email) {
            problems.push(FieldError::new(
                "email",
                "Enter an email address like name@example.org",
            ));
        }
        if name.is_empty() {
            problems.push(FieldError::new("name", "Enter a name"));
        }
        if let Err(message) = password::check_new(password_text) {
            problems.push(FieldError::new("password", message));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let password_hash = password::hash(password_text.to_owned()).await?;
        let txn = self.db.begin().await?;
        let now = Utc::now();
        let existing = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&txn)
            .await?;
        let id = match existing {
            Some(row) => {
                let id = row.id;
                let mut row = user::ActiveModel::from(row);
                row.role = Set(Role::Administrator.as_str().to_owned());
                row.status = Set(MemberStatus::Active.as_str().to_owned());
                row.password_hash = Set(password_hash);
                row.update(&txn).await?;
                id
            }
            None => {
                user::ActiveModel {
                    email: Set(email.clone()),
                    name: Set(name.to_owned()),
                    password_hash: Set(password_hash),
                    profession: Set("administrator".to_owned()),
                    organisation: Set(directory::OTHER_ORGANISATION.0.to_owned()),
                    regulator: Set("none".to_owned()),
                    status: Set(MemberStatus::Active.as_str().to_owned()),
                    role: Set(Role::Administrator.as_str().to_owned()),
                    created_at: Set(now),
                    verified_at: Set(Some(now)),
                    decided_at: Set(Some(now)),
                    ..Default::default()
                }
                .insert(&txn)
                .await?
                .id
            }
        };
        audit::record(
            &txn,
            &Actor::Anonymous,
            "member.create-admin",
            &member_target(id, &email),
            "",
            None,
        )
        .await?;
        txn.commit().await?;
        Ok(id)
    }

    async fn member_from(&self, account: user::Model) -> Result<Member> {
        let memberships = user_group::Entity::find()
            .filter(user_group::Column::UserId.eq(account.id))
            .filter(user_group::Column::Status.eq(GROUP_MEMBER))
            .all(&self.db)
            .await?;
        let group_ids: Vec<i32> = memberships.iter().map(|row| row.group_id).collect();
        let groups = if group_ids.is_empty() {
            Vec::new()
        } else {
            group::Entity::find()
                .filter(Condition::all().add(group::Column::Id.is_in(group_ids)))
                .all(&self.db)
                .await?
                .into_iter()
                .map(|row| row.slug)
                .collect()
        };
        Ok(Member {
            moderates: account.moderates_group.clone(),
            id: account.id,
            name: account.name,
            email: account.email,
            role: Role::parse(&account.role)
                .ok_or_else(|| Error::Internal("unknown role".to_owned()))?,
            status: MemberStatus::parse(&account.status)
                .ok_or_else(|| Error::Internal("unknown member status".to_owned()))?,
            groups,
        })
    }
}

/// The name and status of member `user_id`, for showing who wrote or earned something.
pub(crate) async fn member_name(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<Option<(String, MemberStatus)>> {
    Ok(user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .and_then(|row| MemberStatus::parse(&row.status).map(|status| (row.name, status))))
}

/// Whether an account with `status` may sign in; if not, the message says why (or, for
/// declined and closed accounts, gives nothing away).
fn check_can_sign_in(status: &str) -> Result<()> {
    let status = MemberStatus::parse(status)
        .ok_or_else(|| Error::Internal("unknown member status".to_owned()))?;
    let message = match status {
        MemberStatus::Pending | MemberStatus::Active => return Ok(()),
        MemberStatus::Unverified => {
            "Confirm your email address first: use the link in the email we sent you"
        }
        MemberStatus::Suspended => {
            "Your account is suspended. Contact the network administrators through your force OH lead."
        }
        MemberStatus::Declined | MemberStatus::Closed => SIGN_IN_FAILED,
    };
    Err(Error::InvalidFields(vec![FieldError::new(
        "email", message,
    )]))
}

/// Opens a session for `user_id` and answers the secret for its cookie.
async fn start_session(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    origin: &RequestOrigin,
) -> Result<String> {
    let token = tokens::random_token(32);
    let now = Utc::now();
    session::ActiveModel {
        token_hash: Set(tokens::token_hash(&token)),
        user_id: Set(user_id),
        created_at: Set(now),
        last_seen_at: Set(now),
        expires_at: Set(now + Duration::days(SESSION_DAYS)),
        user_agent: Set(origin
            .user_agent
            .as_ref()
            .map(|agent| agent.chars().take(300).collect())),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(token)
}

/// Signs the member out everywhere (password reset, suspension, closing the account).
async fn end_all_sessions(conn: &impl sea_orm::ConnectionTrait, user_id: i32) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

async fn end_other_sessions(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    session_token: &str,
) -> Result<u64> {
    let ended = session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .filter(session::Column::TokenHash.ne(tokens::token_hash(session_token)))
        .exec(conn)
        .await?;
    Ok(ended.rows_affected)
}

/// One signed-in browser, for the account page.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionInfo {
    /// The session making this request.
    pub current: bool,
    /// When it signed in.
    pub signed_in_at: DateTime<Utc>,
    /// When it was last used (to within ten minutes).
    pub last_seen_at: DateTime<Utc>,
    /// Its User-Agent.
    pub browser: String,
}

const APPROVED_SUBJECT: &str = "Your ohnet membership is approved";

fn approved_body(name: &str, base_url: &str) -> String {
    format!(
        "Hello {name},\n\nYour application to join ohnet, the police Occupational Health \
         network, has been approved. Sign in at {base_url}/sign-in.\n"
    )
}

/// Records a new applicant's requests to join the groups with `slugs` (already validated).
async fn request_groups(
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

async fn pending_account(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<user::Model> {
    account_in(conn, user_id, &[MemberStatus::Pending])
        .await
        .map_err(|error| match error {
            Error::Conflict(_) => Error::Conflict(
                "That application has already been decided or is not ready for a decision"
                    .to_owned(),
            ),
            other => other,
        })
}

/// How the audit log names a member.
fn member_target(user_id: i32, email: &str) -> String {
    format!("user:{user_id} ({email})")
}

/// Moves `account` to `status` and records `action` in the audit log.
async fn change_status(
    conn: &impl sea_orm::ConnectionTrait,
    actor: &Actor,
    account: user::Model,
    status: MemberStatus,
    action: &str,
    origin: &RequestOrigin,
) -> Result<()> {
    let target = member_target(account.id, &account.email);
    let mut row = user::ActiveModel::from(account);
    row.status = Set(status.as_str().to_owned());
    row.update(conn).await?;
    audit::record(
        conn,
        actor,
        action,
        &target,
        "",
        origin.ip_text().as_deref(),
    )
    .await
}

/// The account `user_id`, if its status is one of `allowed`.
async fn account_in(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
    allowed: &[MemberStatus],
) -> Result<user::Model> {
    let account = user::Entity::find_by_id(user_id)
        .one(conn)
        .await?
        .ok_or(Error::NotFound)?;
    if !allowed
        .iter()
        .any(|status| status.as_str() == account.status)
    {
        return Err(Error::Conflict(
            "That member's status has changed; the page has been refreshed".to_owned(),
        ));
    }
    Ok(account)
}

fn summary_of(row: user::Model, groups: Vec<GroupMembership>) -> MemberSummary {
    let regulator = directory::label(&directory::REGULATORS, &row.regulator).to_owned();
    let registration = match row.registration_number.as_deref() {
        Some(number) if !number.is_empty() => format!("{regulator}: {number}"),
        _ => regulator,
    };
    MemberSummary {
        id: row.id,
        profession: directory::label(&directory::PROFESSIONS, &row.profession).to_owned(),
        organisation: directory::organisation_label(&row.organisation).to_owned(),
        registration,
        status: MemberStatus::parse(&row.status).unwrap_or(MemberStatus::Pending),
        role: Role::parse(&row.role).unwrap_or(Role::Member),
        groups,
        moderates: row.moderates_group,
        applied_at: row.created_at,
        name: row.name,
        email: row.email,
    }
}

struct ValidRegistration {
    email: String,
    password: String,
    details: ValidDetails,
    groups: Vec<String>,
}

/// A member's own details, checked: what the application form and the profile page share.
struct ValidDetails {
    name: String,
    profession: String,
    organisation: String,
    regulator: String,
    registration_number: Option<String>,
}

/// The details a member gives about themself, as typed (application form and profile page).
#[derive(Clone, Debug, Default)]
pub struct MemberDetails {
    /// Full name.
    pub name: String,
    /// One of [`directory::PROFESSIONS`].
    pub profession: String,
    /// A force from [`directory::POLICE_FORCES`] or `other`.
    pub organisation: String,
    /// One of [`directory::REGULATORS`].
    pub regulator: String,
    /// Registration number with the regulator (optional).
    pub registration_number: String,
}

fn validate_details(details: &MemberDetails, problems: &mut Vec<FieldError>) -> ValidDetails {
    let name = details.name.trim().to_owned();
    if name.is_empty() {
        problems.push(FieldError::new("name", "Enter your full name"));
    } else if name.chars().count() > 120 {
        problems.push(FieldError::new(
            "name",
            "Full name must be 120 characters or fewer",
        ));
    }
    let profession = details.profession.trim().to_owned();
    if !directory::PROFESSIONS
        .iter()
        .any(|(value, _)| *value == profession)
    {
        problems.push(FieldError::new("profession", "Select your profession"));
    }
    let organisation = details.organisation.trim().to_owned();
    if organisation != directory::OTHER_ORGANISATION.0
        && !directory::POLICE_FORCES
            .iter()
            .any(|(value, _)| *value == organisation)
    {
        problems.push(FieldError::new(
            "organisation",
            "Select your police force, or other organisation",
        ));
    }
    let regulator = details.regulator.trim().to_owned();
    if !directory::REGULATORS
        .iter()
        .any(|(value, _)| *value == regulator)
    {
        problems.push(FieldError::new(
            "regulator",
            "Select your regulator, or none",
        ));
    }
    let number = details.registration_number.trim().to_owned();
    if number.chars().count() > 40 {
        problems.push(FieldError::new(
            "registration_number",
            "Registration number must be 40 characters or fewer",
        ));
    }
    if !number.is_empty() && regulator == "none" {
        problems.push(FieldError::new(
            "regulator",
            "Select the regulator your registration number is with",
        ));
    }
    ValidDetails {
        name,
        profession,
        organisation,
        regulator,
        registration_number: (!number.is_empty()).then_some(number),
    }
}

fn validate_email(email: &str, problems: &mut Vec<FieldError>) -> String {
    let email = email.trim().to_lowercase();
    if email.is_empty() {
        problems.push(FieldError::new("email", "Enter your email address"));
    } else if !looks_like_email(&email) {
        problems.push(FieldError::new(
            "email",
            "Enter an email address in the correct format, like name@example.org",
        ));
    }
    email
}

fn validate_groups(
    requested: Vec<String>,
    groups: &[GroupOption],
    problems: &mut Vec<FieldError>,
) -> Vec<String> {
    let mut valid = Vec::new();
    for slug in requested {
        if !groups.iter().any(|group| group.slug == slug) {
            problems.push(FieldError::new("groups", "Select groups from the list"));
            break;
        }
        if !valid.contains(&slug) {
            valid.push(slug);
        }
    }
    valid
}

fn validate_registration(
    registration: Registration,
    groups: &[GroupOption],
) -> Result<ValidRegistration> {
    let mut problems = Vec::new();
    let details = MemberDetails {
        name: registration.name,
        profession: registration.profession,
        organisation: registration.organisation,
        regulator: registration.regulator,
        registration_number: registration.registration_number,
    };
    let mut details_problems = Vec::new();
    let details = validate_details(&details, &mut details_problems);
    // Keep the form's order: name, email, password, then the rest.
    let (name_problems, other_problems): (Vec<_>, Vec<_>) = details_problems
        .into_iter()
        .partition(|problem| problem.field == "name");
    problems.extend(name_problems);
    let email = validate_email(&registration.email, &mut problems);
    if registration.password.is_empty() {
        problems.push(FieldError::new("password", "Enter a password"));
    } else if let Err(message) = password::check_new(&registration.password) {
        problems.push(FieldError::new("password", message));
    }
    problems.extend(other_problems);
    let groups = validate_groups(registration.groups, groups, &mut problems);
    if !problems.is_empty() {
        return Err(Error::InvalidFields(problems));
    }
    Ok(ValidRegistration {
        email,
        password: registration.password,
        details,
        groups,
    })
}

/// A deliberately loose check: one `@`, something before it, a dotted domain after it, no
/// spaces. The confirmation email is the real test.
pub fn looks_like_email(text: &str) -> bool {
    let Some((local, domain)) = text.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !domain.contains('@')
        && !text.chars().any(char::is_whitespace)
        && text.len() <= 254
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn email_shape() {
        assert!(looks_like_email("a.nurse@force.police.uk"));
        assert!(!looks_like_email("no-at-sign"));
        assert!(!looks_like_email("a@b"));
        assert!(!looks_like_email("a b@c.org"));
    }

    #[test]
    fn every_registration_problem_is_reported_at_once() {
        let Err(Error::InvalidFields(problems)) =
            validate_registration(Registration::default(), &[])
        else {
            panic!("blank registration must fail");
        };
        let fields: Vec<&str> = problems
            .iter()
            .map(|problem| problem.field.as_str())
            .collect();
        assert_eq!(
            fields,
            [
                "name",
                "email",
                "password",
                "profession",
                "organisation",
                "regulator"
            ]
        );
    }
}
