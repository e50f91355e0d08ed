//! The job runner: claims due jobs under a lease with one conditional `UPDATE … RETURNING`,
//! runs them through a [`JobHandler`], and records each outcome only if it still holds the
//! claim, so a worker whose lease ran out cannot overwrite another worker's result.

use std::future::Future;

use chrono::{DateTime, Duration, Utc};
use sea_orm::sea_query::{Expr, ExprTrait, LockBehavior, LockType, Query};
use sea_orm::{
    ColumnTrait, Condition, DatabaseConnection, EntityTrait, QueryFilter, TransactionTrait,
    UpdateMany,
};
use tokio::sync::watch;

use super::entity::{Column, Entity, Model};
use super::{Job, KNOWN_KINDS, backoff, enqueue};
use crate::Result;

/// The longest error message kept on a job row.
const MAX_ERROR_CHARS: usize = 2000;

/// The claim: leases up to `batch` due, unfinished, unleased jobs (oldest first) to `worker`.
fn claim_statement(
    worker: &str,
    now: DateTime<Utc>,
    locked_until: DateTime<Utc>,
    batch: u64,
) -> UpdateMany<Entity> {
    let claimable = || {
        Condition::all()
            .add(Column::FinishedAt.is_null())
            .add(Column::RunAt.lte(now))
            .add(Column::Kind.is_in(KNOWN_KINDS))
            .add(
                Condition::any()
                    .add(Column::LockedUntil.is_null())
                    .add(Column::LockedUntil.lt(now)),
            )
    };
    let due = Query::select()
        .column(Column::Id)
        .from(Entity)
        .cond_where(claimable())
        .order_by(Column::RunAt, sea_orm::Order::Asc)
        .order_by(Column::Id, sea_orm::Order::Asc)
        .limit(batch)
        .lock_with_behavior(LockType::Update, LockBehavior::SkipLocked)
        .to_owned();
    Entity::update_many()
        .col_expr(Column::LockedBy, Expr::value(worker))
        .col_expr(Column::LockedUntil, Expr::value(locked_until))
        .col_expr(Column::Attempts, Expr::col(Column::Attempts).add(1))
        .filter(Column::Id.in_subquery(due))
        .filter(claimable())
}

/// Runs jobs of every kind.
pub trait JobHandler: Send + Sync {
    /// Runs `job` as of `now`. An `Err` is kept as the job's last error and the job is tried
    /// again after a backoff, until it runs out of attempts.
    fn perform(
        &self,
        job: &Job,
        now: DateTime<Utc>,
    ) -> impl Future<Output = std::result::Result<(), String>> + Send;
}

/// How a runner claims and paces its work.
#[derive(Clone, Debug)]
pub struct RunnerSettings {
    /// Names this runner in `locked_by`; unique per process (host, process id, random part).
    pub worker_id: String,
    /// How long a claim lasts. A job still claimed after this is presumed abandoned by a
    /// crashed worker and is claimed again. It must cover a whole batch.
    pub lease: Duration,
    /// Jobs claimed at once.
    pub batch_size: u64,
    /// The wait before looking again when nothing was due.
    pub poll_interval: std::time::Duration,
}

impl Default for RunnerSettings {
    fn default() -> Self {
        Self {
            worker_id: default_worker_id(),
            lease: Duration::minutes(5),
            batch_size: 10,
            poll_interval: std::time::Duration::from_secs(1),
        }
    }
}

/// `host-pid-random`: tells the processes sharing a database apart, and one process's runs apart
/// across restarts.
fn default_worker_id() -> String {
    let host = std::env::var("HOSTNAME")
        .ok()
        .or_else(|| std::fs::read_to_string("/proc/sys/kernel/hostname").ok())
        .map(|name| name.trim().to_owned())
        .filter(|name| !name.is_empty())
        .unwrap_or_else(|| "ohnet".to_owned());
    format!(
        "{host}-{}-{}",
        std::process::id(),
        crate::accounts::tokens::random_token(4)
    )
}

/// A job this runner holds a lease on.
#[derive(Clone, Debug)]
pub struct ClaimedJob {
    /// The row's id.
    pub id: i64,
    /// The job, or why its payload could not be read.
    pub job: std::result::Result<Job, String>,
    /// Attempts including this one.
    pub attempts: i32,
    /// Attempts allowed.
    pub max_attempts: i32,
    /// When the lease runs out.
    pub locked_until: DateTime<Utc>,
}

impl ClaimedJob {
    fn from_row(row: Model, locked_until: DateTime<Utc>) -> Self {
        Self {
            id: row.id,
            job: serde_json::from_str(&row.payload)
                .map_err(|err| format!("cannot read the `{}` job's payload: {err}", row.kind)),
            attempts: row.attempts,
            max_attempts: row.max_attempts,
            locked_until,
        }
    }
}

/// What became of a claimed job.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Recorded {
    /// It succeeded and is finished.
    Done,
    /// It failed and will be tried again at this time.
    Retrying(DateTime<Utc>),
    /// It failed on its last attempt and is finished, with its error kept.
    GaveUp,
    /// The lease had run out and the job was no longer this runner's: nothing was recorded.
    LeaseLost,
}

/// What a run of due jobs did.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RunReport {
    /// Jobs that succeeded.
    pub done: usize,
    /// Jobs that failed and were rescheduled.
    pub retrying: usize,
    /// Jobs that failed for the last time.
    pub gave_up: usize,
    /// Jobs whose lease ran out before they were recorded.
    pub lease_lost: usize,
}

impl RunReport {
    fn count(&mut self, recorded: Recorded) {
        match recorded {
            Recorded::Done => self.done += 1,
            Recorded::Retrying(_) => self.retrying += 1,
            Recorded::GaveUp => self.gave_up += 1,
            Recorded::LeaseLost => self.lease_lost += 1,
        }
    }
}

/// Claims and runs jobs from the `jobs` table. Any number of runners, in any number of
/// processes, may share one database.
#[derive(Debug)]
pub struct JobRunner<H> {
    db: DatabaseConnection,
    handler: H,
    settings: RunnerSettings,
}

impl<H: JobHandler> JobRunner<H> {
    /// A runner over `db` that runs jobs with `handler`.
    pub fn new(db: DatabaseConnection, handler: H, settings: RunnerSettings) -> Self {
        Self {
            db,
            handler,
            settings,
        }
    }

    /// This runner's name in `locked_by`.
    pub fn worker_id(&self) -> &str {
        &self.settings.worker_id
    }

    /// Atomically takes a lease on up to a batch of jobs that are due at `now` and not
    /// finished or held by a live lease, oldest first, counting an attempt on each.
    ///
    /// One `UPDATE … WHERE id IN (SELECT … LIMIT n) RETURNING …` statement: SQLite runs it
    /// under its single write lock; on PostgreSQL the sub-select skips rows another runner is
    /// claiming (`FOR UPDATE SKIP LOCKED`) and the repeated conditions stop a second claim.
    pub async fn claim(&self, now: DateTime<Utc>) -> Result<Vec<ClaimedJob>> {
        let locked_until = now + self.settings.lease;
        let mut rows = claim_statement(
            self.worker_id(),
            now,
            locked_until,
            self.settings.batch_size,
        )
        .exec_with_returning(&self.db)
        .await?;
        rows.sort_by_key(|row| (row.run_at, row.id));
        Ok(rows
            .into_iter()
            .map(|row| ClaimedJob::from_row(row, locked_until))
            .collect())
    }

    /// Runs a claimed job through the handler as of `now`. A job that has already used every
    /// attempt (its worker stopped during the last one) is not run again but fails.
    pub async fn perform(
        &self,
        claimed: &ClaimedJob,
        now: DateTime<Utc>,
    ) -> std::result::Result<(), String> {
        if claimed.attempts > claimed.max_attempts {
            return Err("its worker stopped during the last attempt".to_owned());
        }
        match &claimed.job {
            Ok(job) => self.handler.perform(job, now).await,
            Err(unreadable) => Err(unreadable.clone()),
        }
    }

    /// Records the outcome of a claimed job at `now`, only while this runner still holds the
    /// claim. Success finishes the job; failure reschedules it after a backoff, or finishes it
    /// with its error once it is out of attempts. A recurring job that finishes is queued again
    /// for its next run in the same transaction.
    pub async fn record(
        &self,
        claimed: &ClaimedJob,
        outcome: std::result::Result<(), String>,
        now: DateTime<Utc>,
    ) -> Result<Recorded> {
        let (update, recorded) = match outcome {
            Ok(()) => (
                Entity::update_many()
                    .col_expr(Column::FinishedAt, Expr::value(now))
                    .col_expr(Column::LastError, Expr::value(None::<String>)),
                Recorded::Done,
            ),
            Err(error) => {
                let error: String = error.chars().take(MAX_ERROR_CHARS).collect();
                tracing::warn!(
                    job = claimed.id,
                    attempts = claimed.attempts,
                    %error,
                    "job failed"
                );
                let failed = Entity::update_many().col_expr(Column::LastError, Expr::value(error));
                if claimed.attempts >= claimed.max_attempts {
                    (
                        failed.col_expr(Column::FinishedAt, Expr::value(now)),
                        Recorded::GaveUp,
                    )
                } else {
                    let run_at = now + backoff(claimed.attempts);
                    (
                        failed
                            .col_expr(Column::RunAt, Expr::value(run_at))
                            .col_expr(Column::LockedBy, Expr::value(None::<String>)),
                        Recorded::Retrying(run_at),
                    )
                }
            }
        };
        let finished = matches!(recorded, Recorded::Done | Recorded::GaveUp);
        let mut update = update.col_expr(Column::LockedUntil, Expr::value(None::<DateTime<Utc>>));
        if finished {
            // A finished job frees its key, so the next run of a recurring job can be queued.
            update = update.col_expr(Column::DedupeKey, Expr::value(None::<String>));
        }
        let txn = self.db.begin().await?;
        let changed = update
            .filter(self.still_mine(claimed))
            .exec(&txn)
            .await?
            .rows_affected;
        if changed == 0 {
            txn.rollback().await?;
            return Ok(Recorded::LeaseLost);
        }
        if finished
            && let Ok(job) = &claimed.job
            && let Some((_, every)) = job.recurrence()
        {
            enqueue(&txn, job.clone(), now + every).await?;
        }
        txn.commit().await?;
        Ok(recorded)
    }

    /// Gives a claimed job back without running it (at shutdown), so another runner can take
    /// it at once rather than after the lease; the attempt is not counted.
    pub async fn release(&self, claimed: &ClaimedJob) -> Result<()> {
        Entity::update_many()
            .col_expr(Column::LockedBy, Expr::value(None::<String>))
            .col_expr(Column::LockedUntil, Expr::value(None::<DateTime<Utc>>))
            .col_expr(Column::Attempts, Expr::col(Column::Attempts).sub(1))
            .filter(self.still_mine(claimed))
            .exec(&self.db)
            .await?;
        Ok(())
    }

    /// Runs every job due at `now`, batch after batch, as though the clock stood still at
    /// `now` (what tests want; a retried job's new time is later, so this ends).
    pub async fn run_due(&self, now: DateTime<Utc>) -> Result<RunReport> {
        let mut report = RunReport::default();
        loop {
            let claimed = self.claim(now).await?;
            if claimed.is_empty() {
                return Ok(report);
            }
            for job in &claimed {
                report.count(self.run_claimed(job, || now).await?);
            }
        }
    }

    /// Runs jobs until `shutdown` turns true (or its sender goes away): claims a batch, runs
    /// it, and waits for the poll interval when nothing was due. At shutdown it claims nothing
    /// more, lets the job in progress finish and gives back the rest of its batch.
    pub async fn run(self, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let claimed = match self.claim(Utc::now()).await {
                Ok(claimed) => claimed,
                Err(err) => {
                    tracing::error!(%err, "claiming jobs failed");
                    Vec::new()
                }
            };
            let mut report = RunReport::default();
            for (index, job) in claimed.iter().enumerate() {
                if *shutdown.borrow() {
                    for unstarted in &claimed[index..] {
                        if let Err(err) = self.release(unstarted).await {
                            tracing::warn!(%err, job = unstarted.id, "releasing a job failed");
                        }
                    }
                    return;
                }
                match self.run_claimed(job, Utc::now).await {
                    Ok(recorded) => report.count(recorded),
                    Err(err) => tracing::error!(%err, job = job.id, "recording a job failed"),
                }
            }
            if report != RunReport::default() {
                tracing::info!(?report, "jobs run");
            }
            if claimed.is_empty() {
                tokio::select! {
                    () = tokio::time::sleep(self.settings.poll_interval) => {}
                    changed = shutdown.changed() => if changed.is_err() { return },
                }
            }
        }
    }

    /// Runs one claimed job and records it, unless its lease ran out while it waited in the
    /// batch (another runner may hold it now).
    async fn run_claimed(
        &self,
        claimed: &ClaimedJob,
        clock: impl Fn() -> DateTime<Utc>,
    ) -> Result<Recorded> {
        if clock() >= claimed.locked_until {
            return Ok(Recorded::LeaseLost);
        }
        let outcome = self.perform(claimed, clock()).await;
        self.record(claimed, outcome, clock()).await
    }

    /// Matches the job's row only while this runner's claim on it stands.
    fn still_mine(&self, claimed: &ClaimedJob) -> Condition {
        Condition::all()
            .add(Column::Id.eq(claimed.id))
            .add(Column::LockedBy.eq(self.worker_id()))
            .add(Column::Attempts.eq(claimed.attempts))
            .add(Column::FinishedAt.is_null())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use sea_orm::{DbBackend, QueryTrait};

    #[test]
    fn the_claim_is_one_update_that_skips_rows_locked_by_other_postgres_runners() {
        let now = Utc::now();
        let claim = |backend| {
            claim_statement("w", now, now + Duration::minutes(5), 10)
                .build(backend)
                .to_string()
        };
        let sqlite = claim(DbBackend::Sqlite);
        let postgres = claim(DbBackend::Postgres);
        for sql in [&sqlite, &postgres] {
            assert!(sql.starts_with(r#"UPDATE "jobs" SET"#), "{sql}");
            assert!(sql.contains(r#""attempts" = "attempts" + "#), "{sql}");
            assert!(
                sql.contains(r#"WHERE "jobs"."id" IN (SELECT "id" FROM "jobs""#),
                "{sql}"
            );
            assert!(sql.contains("LIMIT"), "{sql}");
        }
        assert!(postgres.contains("FOR UPDATE SKIP LOCKED"), "{postgres}");
        assert!(!sqlite.contains("FOR UPDATE"), "{sqlite}");
    }
}
