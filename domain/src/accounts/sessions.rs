//! Signing in and out: database-backed sessions, the [`Actor`] behind a session cookie, and
//! the member's list of signed-in browsers.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, Condition, EntityTrait, QueryFilter, QueryOrder, Set,
};

use super::entities::{group, session, user, user_group};
use super::{
    AccountService, Actor, GROUP_MEMBER, Member, MemberStatus, RequestOrigin, Role,
    password_hashing, session_actor, tokens,
};
use crate::rate_limit::Limited;
use crate::{Error, FieldError, Result};

/// How long a session lasts without signing in again.
pub const SESSION_DAYS: i64 = 30;

/// The generic sign-in failure: the same whether the account exists or not.
pub const SIGN_IN_FAILED: &str = "Enter a correct email address and password";

/// A new session: the cookie value and who it belongs to.
#[derive(Clone, Debug)]
pub struct SignedIn {
    /// The secret to put in the session cookie.
    pub token: String,
    /// The member.
    pub member: Member,
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

impl AccountService {
    /// Signs in with email and password. Unknown addresses and wrong passwords get the same
    /// message after the same amount of work. Limited per IP, and per account by failed
    /// attempts (counted in the database; a correct password clears them).
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
        self.limits.check(Limited::SignIn, origin.ip, None)?;
        let failures = self.failed_sign_ins();
        failures.refuse_if_used_up(&self.db, &email).await?;
        let account = user::Entity::find()
            .filter(user::Column::Email.eq(&email))
            .one(&self.db)
            .await?;
        let matches = password_hashing::verify(
            password_text.to_owned(),
            account.as_ref().map(|row| row.password_hash.clone()),
        )
        .await?;
        let failed = || Error::InvalidFields(vec![FieldError::new("email", SIGN_IN_FAILED)]);
        let Some(account) = account.filter(|_| matches) else {
            failures.record(&self.db, &email).await?;
            return Err(failed());
        };
        failures.clear(&self.db, &email).await?;
        check_can_sign_in(&account.status)?;
        let token = start_session(&self.db, account.id, origin).await?;
        let member = self.member_from(account).await?;
        Ok(SignedIn { token, member })
    }

    /// The actor behind a session cookie: anonymous when the session is unknown or expired, or
    /// its member can no longer sign in.
    ///
    /// Answered from this node's [`crate::node_cache`] when it can; refreshes the session's
    /// last-seen time at most every ten minutes.
    pub async fn actor_for_session(&self, token: &str) -> Result<Actor> {
        let now = Utc::now();
        let token_hash = tokens::token_hash(token);
        let session = match self.cache.session(&token_hash, now) {
            Some(kept) => kept,
            None => {
                let generation = self.cache.generation();
                let Some(found) =
                    session_actor::signed_in_session(&self.db, &token_hash, now).await?
                else {
                    return Ok(Actor::Anonymous);
                };
                self.cache
                    .keep_session(&token_hash, found.clone(), generation);
                found
            }
        };
        if now - session.last_seen_at > session_actor::LAST_SEEN_RESOLUTION {
            session_actor::refresh_last_seen(&self.db, session.session_id, now).await?;
            self.cache.session_seen(&token_hash, now);
        }
        Ok(Actor::Member(session.member))
    }

    /// Ends the session behind `token` (signing out this browser).
    pub async fn sign_out(&self, token: &str) -> Result<()> {
        let token_hash = tokens::token_hash(token);
        session::Entity::delete_many()
            .filter(session::Column::TokenHash.eq(&token_hash))
            .exec(&self.db)
            .await?;
        self.cache.forget_session(&token_hash);
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

    pub(super) async fn member_from(&self, account: user::Model) -> Result<Member> {
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
            organisation: Some(account.organisation.clone()).filter(|org| !org.is_empty()),
            grants: account
                .grants
                .split(',')
                .filter_map(crate::access::Grant::parse)
                .collect(),
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

/// Whether an account with `status` may sign in; if not, the message says why (or, for
/// declined and closed accounts, gives nothing away).
pub(super) fn check_can_sign_in(status: &str) -> Result<()> {
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
pub(super) async fn start_session(
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
pub(super) async fn end_all_sessions(
    conn: &impl sea_orm::ConnectionTrait,
    user_id: i32,
) -> Result<()> {
    session::Entity::delete_many()
        .filter(session::Column::UserId.eq(user_id))
        .exec(conn)
        .await?;
    Ok(())
}

pub(super) async fn end_other_sessions(
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
