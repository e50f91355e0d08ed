//! The limits that protect one account, counted in the database (`account_attempts`) so that
//! every server process on the database shares them: failed sign-ins (a correct password does
//! not count, and clears the count) and password reset requests. The limits per IP address
//! stay in each process's memory (`rate_limit`). Two attempts at the same instant on two
//! processes may both pass the check before either is recorded; that lets an attacker one extra
//! guess at most, never a multiple of the limit.

use chrono::{Duration, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, ConnectionTrait, EntityTrait, PaginatorTrait, QueryFilter, Set,
};

use super::tokens::token_hash;
use crate::{Error, Result};

/// How long an attempt is kept (longer than any window it counts in).
pub const ATTEMPTS_KEPT_FOR: Duration = Duration::days(1);

/// `account_attempts`: one attempt on one account.
pub(crate) mod entity {
    use sea_orm::entity::prelude::*;

    #[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
    #[sea_orm(table_name = "account_attempts")]
    pub struct Model {
        #[sea_orm(primary_key)]
        pub id: i32,
        /// `failed-sign-in` or `reset-request`.
        pub kind: String,
        /// A hash of the lowercased email address.
        pub account_key: String,
        pub at: DateTimeUtc,
    }

    #[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
    pub enum Relation {}

    impl ActiveModelBehavior for ActiveModel {}
}

/// A kind of attempt, with its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Limit {
    kind: &'static str,
    most: u32,
    window: Duration,
}

impl Limit {
    /// At most `most` failed sign-ins in `window`.
    pub(crate) fn failed_sign_ins(most: u32, window: Duration) -> Self {
        Self {
            kind: "failed-sign-in",
            most,
            window,
        }
    }

    /// At most `most` password reset requests in `window`.
    pub(crate) fn reset_requests(most: u32, window: Duration) -> Self {
        Self {
            kind: "reset-request",
            most,
            window,
        }
    }

    /// [`Error::RateLimited`] when the account at `email` has used up this limit.
    pub(crate) async fn refuse_if_used_up(
        self,
        db: &impl ConnectionTrait,
        email: &str,
    ) -> Result<()> {
        let recent = entity::Entity::find()
            .filter(entity::Column::Kind.eq(self.kind))
            .filter(entity::Column::AccountKey.eq(account_key(email)))
            .filter(entity::Column::At.gt(Utc::now() - self.window))
            .count(db)
            .await?;
        if recent >= u64::from(self.most.max(1)) {
            return Err(Error::RateLimited);
        }
        Ok(())
    }

    /// Counts one attempt on the account at `email`.
    pub(crate) async fn record(self, db: &impl ConnectionTrait, email: &str) -> Result<()> {
        entity::ActiveModel {
            kind: Set(self.kind.to_owned()),
            account_key: Set(account_key(email)),
            at: Set(Utc::now()),
            ..Default::default()
        }
        .insert(db)
        .await?;
        Ok(())
    }

    /// Forgets this kind of attempt on the account at `email` (after a correct password).
    pub(crate) async fn clear(self, db: &impl ConnectionTrait, email: &str) -> Result<()> {
        entity::Entity::delete_many()
            .filter(entity::Column::Kind.eq(self.kind))
            .filter(entity::Column::AccountKey.eq(account_key(email)))
            .exec(db)
            .await?;
        Ok(())
    }
}

fn account_key(email: &str) -> String {
    token_hash(&email.trim().to_lowercase())
}

/// Deletes attempts older than [`ATTEMPTS_KEPT_FOR`] (the hourly cleanup); answers how many.
pub(crate) async fn forget_old_attempts(
    db: &impl ConnectionTrait,
    now: chrono::DateTime<Utc>,
) -> Result<u64> {
    Ok(entity::Entity::delete_many()
        .filter(entity::Column::At.lt(now - ATTEMPTS_KEPT_FOR))
        .exec(db)
        .await?
        .rows_affected)
}

impl super::AccountService {
    /// The failed sign-in limit from the settings.
    pub(super) fn failed_sign_ins(&self) -> Limit {
        let settings = self.limits.settings();
        Limit::failed_sign_ins(
            settings.failed_sign_ins_per_account,
            Duration::minutes(settings.failed_sign_in_window_minutes.max(1)),
        )
    }

    /// The password reset request limit from the settings.
    pub(super) fn reset_requests(&self) -> Limit {
        Limit::reset_requests(
            self.limits.settings().resets_per_account_per_hour,
            Duration::hours(1),
        )
    }
}
