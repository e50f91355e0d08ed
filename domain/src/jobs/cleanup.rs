//! The hourly cleanup: deletes rows that can no longer be used — expired sessions, used or
//! expired email links, stale single sign-on attempts, sign-in and reset attempts past every
//! limit's window — jobs finished long ago, and change log rows every node has long applied.

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ColumnTrait, Condition, ConnectionTrait, EntityTrait, QueryFilter};

use super::entity as job;
use crate::Result;
use crate::accounts::entities::{email_token, session, sso_attempt};

/// A single sign-on attempt is usable for half an hour (`accounts::sso`); it is deleted once
/// it is well past that.
pub const SSO_ATTEMPTS_KEPT_FOR: Duration = Duration::days(1);

/// Finished jobs (with their errors) are kept this long for looking into problems.
pub const FINISHED_JOBS_KEPT_FOR: Duration = Duration::days(7);

/// Rows deleted by one cleanup.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct CleanupReport {
    /// Expired sessions.
    pub sessions: u64,
    /// Used or expired email links.
    pub email_tokens: u64,
    /// Stale single sign-on attempts.
    pub sso_attempts: u64,
    /// Failed sign-ins and reset requests older than any limit counts.
    pub account_attempts: u64,
    /// Jobs finished more than [`FINISHED_JOBS_KEPT_FOR`] ago.
    pub finished_jobs: u64,
    /// Change log rows older than [`crate::change_log::KEPT_FOR`].
    pub changes: u64,
}

/// Deletes everything that is dead as of `now`.
pub async fn clean_up_expired(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<CleanupReport> {
    let sessions = session::Entity::delete_many()
        .filter(session::Column::ExpiresAt.lte(now))
        .exec(conn)
        .await?
        .rows_affected;
    let email_tokens = email_token::Entity::delete_many()
        .filter(
            Condition::any()
                .add(email_token::Column::ExpiresAt.lte(now))
                .add(email_token::Column::UsedAt.is_not_null()),
        )
        .exec(conn)
        .await?
        .rows_affected;
    let sso_attempts = sso_attempt::Entity::delete_many()
        .filter(sso_attempt::Column::CreatedAt.lt(now - SSO_ATTEMPTS_KEPT_FOR))
        .exec(conn)
        .await?
        .rows_affected;
    let account_attempts = crate::accounts::forget_old_attempts(conn, now).await?;
    let finished_jobs = job::Entity::delete_many()
        .filter(job::Column::FinishedAt.lt(now - FINISHED_JOBS_KEPT_FOR))
        .exec(conn)
        .await?
        .rows_affected;
    let changes = crate::change_log::forget_old_changes(conn, now).await?;
    Ok(CleanupReport {
        sessions,
        email_tokens,
        sso_attempts,
        account_attempts,
        finished_jobs,
        changes,
    })
}
