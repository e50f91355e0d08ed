//! Background jobs: work that must happen later (mail delivery, cleanup of expired rows) is a
//! row in the `jobs` table, written in the same transaction as the change that caused it, and
//! run by a [`JobRunner`] with retries, exponential backoff and a lease, so a crashed worker's
//! job runs again and several processes can share the table without running a job twice.

pub mod cleanup;
mod entity;
mod runner;

use chrono::{DateTime, Duration, Utc};
use sea_orm::{ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, Set, TryInsertResult};
use serde::{Deserialize, Serialize};

use crate::files::{self, FileStore};
use crate::mail::{self, Mailer};
use crate::{Error, Result};
use entity::{ActiveModel, Column, Entity};

pub use entity::Model as JobRecord;
pub use runner::{ClaimedJob, JobHandler, JobRunner, Recorded, RunReport, RunnerSettings};

/// One piece of background work. Stored as JSON tagged with its `kind`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Job {
    /// Send one message from the mail outbox and mark it sent.
    DeliverMail {
        /// The `mail_outbox` row.
        message_id: i32,
    },
    /// Delete expired sessions, used or expired email links, stale single sign-on attempts
    /// and long-finished jobs. Recurs every hour.
    CleanUpExpired,
    /// Tell the members watching a new forum post (or quoted in it) about it: a notification
    /// each, and an email to those who want one per post.
    NotifyForumPost {
        /// The `forum_posts` row.
        post_id: i32,
    },
    /// Send each member who chose the daily digest one email of what they have not read.
    /// Recurs daily.
    SendForumDigests,
    /// Read the words of a library attachment whose text is read after it is stored (a PDF)
    /// and store them, so that search finds its document by them.
    ReadAttachmentText {
        /// The `library_attachments` row.
        attachment_id: i32,
    },
    /// Delete the objects in the object store that no stored file names any more (nothing to
    /// do when files are kept in the database). Recurs every hour.
    SweepStoredFiles,
}

/// Every kind this build can run. A runner claims only these, so during a rolling upgrade an
/// older process leaves a newer kind for a process that knows it.
pub const KNOWN_KINDS: [&str; 6] = [
    "deliver_mail",
    "clean_up_expired",
    "notify_forum_post",
    "send_forum_digests",
    "read_attachment_text",
    "sweep_stored_files",
];

impl Job {
    /// The name stored in the `kind` column (the same as the JSON tag).
    pub fn kind(&self) -> &'static str {
        match self {
            Job::DeliverMail { .. } => KNOWN_KINDS[0],
            Job::CleanUpExpired => KNOWN_KINDS[1],
            Job::NotifyForumPost { .. } => KNOWN_KINDS[2],
            Job::SendForumDigests => KNOWN_KINDS[3],
            Job::ReadAttachmentText { .. } => KNOWN_KINDS[4],
            Job::SweepStoredFiles => KNOWN_KINDS[5],
        }
    }

    /// Attempts before the job is given up on (its last error stays on the row).
    pub fn max_attempts(&self) -> i32 {
        match self {
            Job::DeliverMail { .. } | Job::NotifyForumPost { .. } => 8,
            Job::CleanUpExpired
            | Job::SendForumDigests
            | Job::ReadAttachmentText { .. }
            | Job::SweepStoredFiles => 3,
        }
    }

    /// For a recurring job: the key that keeps one unfinished copy, and how often it runs.
    pub fn recurrence(&self) -> Option<(&'static str, Duration)> {
        match self {
            Job::DeliverMail { .. }
            | Job::NotifyForumPost { .. }
            | Job::ReadAttachmentText { .. } => None,
            Job::CleanUpExpired => Some(("clean_up_expired", Duration::hours(1))),
            Job::SendForumDigests => Some(("send_forum_digests", Duration::days(1))),
            Job::SweepStoredFiles => Some(("sweep_stored_files", Duration::hours(1))),
        }
    }

    /// The key that keeps at most one unfinished copy of this job: a recurring job's
    /// [`Job::recurrence`] key, and one per attachment whose text is to be read (an import
    /// that runs again before the job does queues nothing more).
    pub fn dedupe_key(&self) -> Option<String> {
        match self {
            Job::ReadAttachmentText { attachment_id } => {
                Some(format!("read_attachment_text:{attachment_id}"))
            }
            _ => self.recurrence().map(|(key, _)| key.to_owned()),
        }
    }
}

/// Adds `job` to run at `run_at` (or as soon after as a runner is free), inside the caller's
/// transaction. A job with a [`Job::dedupe_key`] that already has an unfinished copy is not
/// added again; then the answer is `None`, otherwise the new job's id.
pub async fn enqueue(
    conn: &impl ConnectionTrait,
    job: Job,
    run_at: DateTime<Utc>,
) -> Result<Option<i64>> {
    let payload = serde_json::to_string(&job)
        .map_err(|err| Error::Internal(format!("cannot encode a job: {err}")))?;
    let row = ActiveModel {
        kind: Set(job.kind().to_owned()),
        payload: Set(payload),
        dedupe_key: Set(job.dedupe_key()),
        run_at: Set(run_at),
        attempts: Set(0),
        max_attempts: Set(job.max_attempts()),
        created_at: Set(Utc::now()),
        ..Default::default()
    };
    let inserted = Entity::insert(row)
        .on_conflict_do_nothing_on([Column::DedupeKey])
        .exec(conn)
        .await?;
    Ok(match inserted {
        TryInsertResult::Inserted(result) => Some(result.last_insert_id),
        TryInsertResult::Conflicted | TryInsertResult::Empty => None,
    })
}

/// Makes sure every recurring job is queued, due at `now` unless it already is (run at
/// start-up; several processes may call it at once).
pub async fn ensure_recurring(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<()> {
    enqueue(conn, Job::CleanUpExpired, now).await?;
    enqueue(conn, Job::SendForumDigests, next_digest_time(now)).await?;
    enqueue(conn, Job::SweepStoredFiles, now).await?;
    Ok(())
}

/// The next 07:00 UTC after `now`, when the daily forum digest first goes out (it then recurs
/// a day after each run).
fn next_digest_time(now: DateTime<Utc>) -> DateTime<Utc> {
    let today = now
        .date_naive()
        .and_hms_opt(7, 0, 0)
        .map(|time| time.and_utc())
        .unwrap_or(now);
    if today > now {
        today
    } else {
        today + Duration::days(1)
    }
}

/// Every job, oldest first (for tests and for looking into a problem).
pub async fn all_jobs(conn: &impl ConnectionTrait) -> Result<Vec<JobRecord>> {
    Ok(Entity::find().order_by_asc(Column::Id).all(conn).await?)
}

/// The wait before attempt `attempts + 1`, after `attempts` failed: 30 s, 1 min, 2 min …
/// doubling, capped at one hour.
pub fn backoff(attempts: i32) -> Duration {
    let doublings = attempts.saturating_sub(1).clamp(0, 7);
    Duration::seconds((30_i64 << doublings).min(3600))
}

/// What ohnet's jobs need: the database, the mailer, the site's address for links in emails,
/// and where stored files are. The runner's handler in production.
#[derive(Clone, Debug)]
pub struct JobContext {
    db: DatabaseConnection,
    mailer: Mailer,
    base_url: String,
    files: FileStore,
}

impl JobContext {
    /// A context over `db` that sends mail through `mailer`, linking to `base_url`.
    pub fn new(db: DatabaseConnection, mailer: Mailer, base_url: impl Into<String>) -> Self {
        Self {
            db,
            mailer,
            base_url: base_url.into(),
            files: FileStore::Database,
        }
    }

    /// The same context, reading and sweeping stored files in `files`.
    pub fn with_files(self, files: FileStore) -> Self {
        Self { files, ..self }
    }
}

impl JobHandler for JobContext {
    async fn perform(&self, job: &Job, now: DateTime<Utc>) -> std::result::Result<(), String> {
        match job {
            Job::DeliverMail { message_id } => {
                mail::deliver(&self.db, &self.mailer, *message_id).await
            }
            Job::CleanUpExpired => {
                let report = cleanup::clean_up_expired(&self.db, now)
                    .await
                    .map_err(|err| err.to_string())?;
                tracing::info!(?report, "expired rows cleaned up");
                Ok(())
            }
            Job::NotifyForumPost { post_id } => {
                crate::forums::notify_post(&self.db, &self.base_url, *post_id, now)
                    .await
                    .map_err(|err| err.to_string())
            }
            Job::SendForumDigests => {
                let sent = crate::forums::send_digests(&self.db, &self.base_url, now)
                    .await
                    .map_err(|err| err.to_string())?;
                tracing::info!(sent, "forum digests sent");
                Ok(())
            }
            Job::ReadAttachmentText { attachment_id } => {
                crate::library::read_attachment_text(&self.db, &self.files, *attachment_id)
                    .await
                    .map_err(|err| err.to_string())
            }
            Job::SweepStoredFiles => {
                let report = files::sweep_objects(&self.db, &self.files, now)
                    .await
                    .map_err(|err| err.to_string())?;
                tracing::info!(?report, "stored files swept");
                Ok(())
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_from_thirty_seconds_and_is_capped_at_an_hour() {
        assert_eq!(backoff(1), Duration::seconds(30));
        assert_eq!(backoff(2), Duration::seconds(60));
        assert_eq!(backoff(3), Duration::seconds(120));
        assert_eq!(backoff(8), Duration::seconds(3600));
        assert_eq!(backoff(100), Duration::seconds(3600));
        assert_eq!(backoff(0), Duration::seconds(30));
    }

    #[test]
    fn the_kind_column_matches_the_json_tag() {
        for job in [
            Job::DeliverMail { message_id: 7 },
            Job::CleanUpExpired,
            Job::NotifyForumPost { post_id: 3 },
            Job::SendForumDigests,
            Job::ReadAttachmentText { attachment_id: 5 },
            Job::SweepStoredFiles,
        ] {
            let json: serde_json::Value = serde_json::to_value(&job).unwrap();
            assert_eq!(json["kind"], job.kind());
            assert!(KNOWN_KINDS.contains(&job.kind()));
            let back: Job = serde_json::from_value(json).unwrap();
            assert_eq!(back, job);
        }
    }
}
