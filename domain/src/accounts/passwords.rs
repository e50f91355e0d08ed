//! Passwords as members manage them: a reset link by email, setting a new password with it,
//! and changing it while signed in (hashing itself is in `password_hashing`).

use chrono::{Duration, Utc};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set, TransactionTrait};

use super::emails;
use super::entities::{email_token, user};
use super::sessions::{end_all_sessions, end_other_sessions};
use super::validation::looks_like_email;
use super::{AccountService, Actor, MemberStatus, RequestOrigin, password_hashing, tokens};
use crate::rate_limit::Limited;
use crate::{Error, FieldError, Result};

/// How long a password reset link works.
pub const RESET_LINK_MINUTES: i64 = 60;

const PURPOSE_RESET: &str = "reset-password";

impl AccountService {
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
        self.limits.check(Limited::PasswordReset, origin.ip, None)?;
        let requests = self.reset_requests();
        requests.refuse_if_used_up(&self.db, &email).await?;
        requests.record(&self.db, &email).await?;
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
        emails::password_reset(&account.name, &self.settings.base_url, &token)
            .enqueue(&txn, &email)
            .await?;
        txn.commit().await?;
        Ok(())
    }

    /// Sets a new password with a reset link's token (once; links expire) and ends every
    /// session of that member, so anyone signed in with the old password is signed out.
    pub async fn reset_password(&self, token: &str, new_password: &str) -> Result<()> {
        if let Err(message) = password_hashing::check_new(new_password) {
            return Err(Error::InvalidFields(vec![FieldError::new(
                "password", message,
            )]));
        }
        let password_hash = password_hashing::hash(new_password.to_owned()).await?;
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
        self.limits.check(Limited::SignIn, origin.ip, None)?;
        let failures = self.failed_sign_ins();
        failures.refuse_if_used_up(&self.db, &member.email).await?;
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
        } else if !password_hashing::verify(current.to_owned(), Some(account.password_hash.clone()))
            .await?
        {
            failures.record(&self.db, &member.email).await?;
            problems.push(FieldError::new(
                "current_password",
                "Your current password is not correct",
            ));
        }
        if let Err(message) = password_hashing::check_new(new_password) {
            problems.push(FieldError::new("new_password", message));
        }
        if !problems.is_empty() {
            return Err(Error::InvalidFields(problems));
        }
        let password_hash = password_hashing::hash(new_password.to_owned()).await?;
        let txn = self.db.begin().await?;
        let mut row = user::ActiveModel::from(account);
        row.password_hash = Set(password_hash);
        row.update(&txn).await?;
        end_other_sessions(&txn, member.id, session_token).await?;
        txn.commit().await?;
        Ok(())
    }
}
