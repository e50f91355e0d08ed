//! Administrators' decisions on membership: approving or declining an application,
//! suspending and reinstating a member, and creating an administrator from the command line.
//! Every decision is audited.

use chrono::Utc;
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::emails;
use super::entities::{user, user_group};
use super::sessions::end_all_sessions;
use super::validation::looks_like_email;
use super::{
    AccountService, Actor, GROUP_MEMBER, MemberStatus, RequestOrigin, Role, account_in, directory,
    member_target, password_hashing,
};
use crate::{Error, FieldError, Result, audit};

impl AccountService {
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
        emails::approved(&name, &self.settings.base_url)
            .enqueue(&txn, &email)
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
        emails::declined(&name, reason)
            .enqueue(&txn, &email)
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
        if let Err(message) = password_hashing::check_new(password_text) {
            problems.push(FieldError::new("password", message));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let password_hash = password_hashing::hash(password_text.to_owned()).await?;
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
                    handle: Set(Some(super::handles::unique_handle(&txn, name).await?)),
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
