//! The job runner against a real migrated SQLite file: retries with backoff, lease expiry after
//! a crash, no double claims between processes, mail written with its transaction and sent
//! once, and the hourly cleanup. Time is passed in, so nothing sleeps.

use std::collections::BTreeSet;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, Duration, SubsecRound, Utc};
use domain::jobs::{
    self, Job, JobContext, JobHandler, JobRecord, JobRunner, Recorded, RunReport, RunnerSettings,
};
use domain::mail::{DeliveredMail, Mailer};
use domain::{DomainSettings, Services};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait, Value};

struct Fixture {
    url: String,
    db: DatabaseConnection,
    temp: tempfile::TempDir,
}

impl Fixture {
    async fn new() -> Self {
        let fx = Self::unmigrated().await;
        domain::db::migrate(&fx.db).await.unwrap();
        fx
    }

    async fn unmigrated() -> Self {
        let temp = tempfile::tempdir().unwrap();
        let url = crate::database_url(temp.path()).await;
        let db = domain::db::connect(&url).await.unwrap();
        Fixture { url, db, temp }
    }

    fn runner<H: JobHandler>(&self, worker: &str, handler: H) -> JobRunner<H> {
        JobRunner::new(self.db.clone(), handler, settings(worker))
    }

    async fn jobs(&self) -> Vec<JobRecord> {
        jobs::all_jobs(&self.db).await.unwrap()
    }

    async fn count(&self, table: &str) -> i64 {
        let row = self
            .db
            .query_one_raw(Statement::from_string(
                DbBackend::Sqlite,
                format!("SELECT COUNT(*) AS n FROM {table}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "n").unwrap()
    }

    async fn strings(&self, sql: &str) -> BTreeSet<String> {
        self.db
            .query_all_raw(Statement::from_string(DbBackend::Sqlite, sql.to_owned()))
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .collect()
    }

    /// Runs `sql`, written with `?` placeholders, on whichever backend the test uses.
    async fn insert(&self, sql: &str, values: Vec<Value>) {
        let backend = self.db.get_database_backend();
        let sql = if backend == DbBackend::Postgres {
            let mut numbered = String::new();
            for (index, part) in sql.split('?').enumerate() {
                if index > 0 {
                    numbered.push_str(&format!("${index}"));
                }
                numbered.push_str(part);
            }
            numbered
        } else {
            sql.to_owned()
        };
        self.db
            .execute_raw(Statement::from_sql_and_values(backend, sql, values))
            .await
            .unwrap();
    }
}

fn settings(worker: &str) -> RunnerSettings {
    RunnerSettings {
        worker_id: worker.to_owned(),
        lease: Duration::minutes(5),
        batch_size: 10,
        ..Default::default()
    }
}

/// A whole second, so times survive the round trip through the database exactly.
fn start() -> DateTime<Utc> {
    Utc::now().trunc_subsecs(0)
}

/// Notes each mail job's message id instead of sending; fails every time if told to.
#[derive(Clone, Default)]
struct Recording {
    ran: Arc<Mutex<Vec<i32>>>,
    fail: bool,
}

impl Recording {
    fn ran(&self) -> Vec<i32> {
        self.ran.lock().unwrap().clone()
    }
}

impl JobHandler for Recording {
    async fn perform(&self, job: &Job, _now: DateTime<Utc>) -> Result<(), String> {
        let Job::DeliverMail { message_id } = job else {
            return Ok(());
        };
        self.ran.lock().unwrap().push(*message_id);
        tokio::task::yield_now().await;
        if self.fail {
            Err(format!("mail server refused message {message_id}"))
        } else {
            Ok(())
        }
    }
}

#[tokio::test]
async fn a_failing_job_is_retried_with_growing_backoff_then_given_up_with_its_error() {
    let fx = Fixture::new().await;
    let t0 = start();
    jobs::enqueue(&fx.db, Job::DeliverMail { message_id: 7 }, t0)
        .await
        .unwrap();
    let handler = Recording {
        fail: true,
        ..Default::default()
    };
    let runner = fx.runner("a", handler.clone());

    let mut now = t0;
    for attempt in 1..=7 {
        let report = runner.run_due(now).await.unwrap();
        assert_eq!(report.retrying, 1, "attempt {attempt}");
        let job = &fx.jobs().await[0];
        assert_eq!(job.attempts, attempt);
        assert_eq!(job.run_at, now + jobs::backoff(attempt));
        assert_eq!(
            job.last_error.as_deref(),
            Some("mail server refused message 7")
        );
        assert_eq!(job.finished_at, None);
        assert_eq!(job.locked_until, None);
        // Not due again until the backoff has passed.
        let early = runner.run_due(job.run_at - Duration::seconds(1)).await;
        assert_eq!(early.unwrap(), RunReport::default());
        now = job.run_at;
    }

    let report = runner.run_due(now).await.unwrap();
    assert_eq!(report.gave_up, 1);
    let job = &fx.jobs().await[0];
    assert_eq!(job.attempts, 8);
    assert_eq!(job.max_attempts, 8);
    assert_eq!(job.finished_at, Some(now));
    assert_eq!(
        job.last_error.as_deref(),
        Some("mail server refused message 7")
    );
    assert_eq!(handler.ran().len(), 8);
    assert_eq!(
        runner.run_due(now + Duration::days(1)).await.unwrap(),
        RunReport::default(),
        "a job given up on is never run again"
    );
}

#[tokio::test]
async fn a_crashed_workers_job_is_claimed_again_after_the_lease_and_its_late_result_ignored() {
    let fx = Fixture::new().await;
    let t0 = start();
    jobs::enqueue(&fx.db, Job::DeliverMail { message_id: 1 }, t0)
        .await
        .unwrap();
    let a = fx.runner("worker-a", Recording::default());
    let b_handler = Recording::default();
    let b = fx.runner("worker-b", b_handler.clone());

    // A claims the job, then "crashes": it never records an outcome.
    let claimed_by_a = a.claim(t0).await.unwrap();
    assert_eq!(claimed_by_a.len(), 1);
    assert_eq!(claimed_by_a[0].locked_until, t0 + Duration::minutes(5));
    assert!(
        b.claim(t0 + Duration::minutes(4)).await.unwrap().is_empty(),
        "a live lease is respected"
    );

    // Past the lease, B claims it and runs it.
    let report = b.run_due(t0 + Duration::minutes(6)).await.unwrap();
    assert_eq!(report.done, 1);
    assert_eq!(b_handler.ran(), vec![1]);

    // A comes back and tries to record either outcome: nothing changes.
    let late = t0 + Duration::minutes(7);
    let ok = a.record(&claimed_by_a[0], Ok(()), late).await.unwrap();
    assert_eq!(ok, Recorded::LeaseLost);
    let failed = a
        .record(&claimed_by_a[0], Err("timed out".into()), late)
        .await
        .unwrap();
    assert_eq!(failed, Recorded::LeaseLost);
    a.release(&claimed_by_a[0]).await.unwrap();

    let job = &fx.jobs().await[0];
    assert_eq!(job.locked_by.as_deref(), Some("worker-b"));
    assert_eq!(job.attempts, 2);
    assert_eq!(job.finished_at, Some(t0 + Duration::minutes(6)));
    assert_eq!(job.last_error, None);
}

#[tokio::test]
async fn a_job_whose_worker_died_on_its_last_attempt_is_given_up_without_running() {
    let fx = Fixture::new().await;
    let t0 = start();
    jobs::enqueue(&fx.db, Job::CleanUpExpired, t0)
        .await
        .unwrap();
    let runner = fx.runner("a", Recording::default());
    let mut now = t0;
    for _ in 0..Job::CleanUpExpired.max_attempts() {
        assert_eq!(runner.claim(now).await.unwrap().len(), 1);
        now += Duration::minutes(6);
    }
    let report = runner.run_due(now).await.unwrap();
    assert_eq!(report.gave_up, 1);
    let jobs = fx.jobs().await;
    assert_eq!(
        jobs[0].last_error.as_deref(),
        Some("its worker stopped during the last attempt")
    );
    assert_eq!(
        jobs[1].run_at,
        now + Duration::hours(1),
        "a recurring job is queued again even when given up on"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_processes_sharing_one_database_file_run_every_job_exactly_once() {
    let fx = Fixture::new().await;
    let t0 = start();
    let txn = fx.db.begin().await.unwrap();
    for message_id in 0..200 {
        jobs::enqueue(&txn, Job::DeliverMail { message_id }, t0)
            .await
            .unwrap();
    }
    txn.commit().await.unwrap();

    let handler = Recording::default();
    let mut tasks = Vec::new();
    for worker in ["node-1", "node-2"] {
        // Each "process" opens its own connection pool to the same file.
        let db = domain::db::connect(&fx.url).await.unwrap();
        let runner = JobRunner::new(db, handler.clone(), settings(worker));
        tasks.push(tokio::spawn(async move { runner.run_due(t0).await }));
    }
    let mut done = 0;
    for task in tasks {
        let report = task.await.unwrap().unwrap();
        assert_eq!(report.lease_lost + report.retrying + report.gave_up, 0);
        done += report.done;
    }

    assert_eq!(done, 200);
    let mut ran = handler.ran();
    ran.sort_unstable();
    assert_eq!(
        ran,
        (0..200).collect::<Vec<_>>(),
        "each job ran exactly once"
    );
    let jobs = fx.jobs().await;
    assert!(
        jobs.iter()
            .all(|job| job.finished_at.is_some() && job.attempts == 1)
    );
}

#[tokio::test]
async fn mail_is_queued_only_with_its_transaction_and_delivered_once() {
    let fx = Fixture::new().await;

    let txn = fx.db.begin().await.unwrap();
    domain::mail::enqueue(&txn, "a@force.test", "Never", "Rolled back")
        .await
        .unwrap();
    txn.rollback().await.unwrap();
    assert_eq!(fx.count("mail_outbox").await, 0);
    assert_eq!(fx.count("jobs").await, 0);

    let txn = fx.db.begin().await.unwrap();
    domain::mail::enqueue(&txn, "b@force.test", "Welcome", "Committed")
        .await
        .unwrap();
    txn.commit().await.unwrap();
    assert_eq!(fx.count("mail_outbox").await, 1);
    let queued = fx.jobs().await;
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].kind, "deliver_mail");

    // The mail server is unreachable at first: the job is retried, the error noted.
    let unreachable = fx.temp.path().join("not-a-folder");
    std::fs::write(&unreachable, "a file where the spool folder should be").unwrap();
    let broken = Mailer::spool(unreachable, "ohnet <no-reply@ohnet.test>").unwrap();
    let now = Utc::now();
    let report = fx
        .runner(
            "a",
            JobContext::new(fx.db.clone(), broken, "http://ohnet.test"),
        )
        .run_due(now)
        .await
        .unwrap();
    assert_eq!(report.retrying, 1);
    assert_eq!(
        fx.strings("SELECT last_error FROM mail_outbox WHERE sent_at IS NULL AND attempts = 1")
            .await
            .len(),
        1
    );

    let mailbox: Arc<Mutex<Vec<DeliveredMail>>> = Arc::default();
    let runner = fx.runner(
        "a",
        JobContext::new(
            fx.db.clone(),
            Mailer::Memory(mailbox.clone()),
            "http://ohnet.test",
        ),
    );
    let later = now + Duration::hours(1);
    assert_eq!(runner.run_due(later).await.unwrap().done, 1);
    // A second job for the same message (as after a crash between sending and recording)
    // finds it sent and sends nothing.
    let again: Job = serde_json::from_str(&queued[0].payload).unwrap();
    jobs::enqueue(&fx.db, again, later).await.unwrap();
    assert_eq!(runner.run_due(later).await.unwrap().done, 1);
    assert_eq!(
        runner
            .run_due(later + Duration::days(1))
            .await
            .unwrap()
            .done,
        0
    );

    let sent = mailbox.lock().unwrap().clone();
    assert_eq!(
        sent,
        vec![DeliveredMail {
            to: "b@force.test".into(),
            subject: "Welcome".into(),
            body: "Committed".into(),
            list_unsubscribe: None,
        }]
    );
    assert_eq!(
        fx.strings("SELECT recipient FROM mail_outbox WHERE sent_at IS NOT NULL AND last_error IS NULL AND attempts = 2")
            .await,
        BTreeSet::from(["b@force.test".to_owned()])
    );
}

#[tokio::test]
async fn mail_waiting_in_the_outbox_before_the_upgrade_is_delivered_after_it() {
    use migrations::{Migrator, MigratorTrait};

    let fx = Fixture::unmigrated().await;
    Migrator::up(&fx.db, Some(4)).await.unwrap();
    let queued = Value::from(start() - Duration::minutes(10));
    for (to, attempts, sent_at) in [
        ("waiting@force.test", 2, None),
        ("sent@force.test", 1, Some(Utc::now())),
        ("given-up@force.test", 8, None),
    ] {
        fx.insert(
            "INSERT INTO mail_outbox (recipient, subject, body_text, created_at, attempts, \
             next_attempt_at, sent_at) VALUES (?, 'Hello', 'Body', ?, ?, ?, ?)",
            vec![
                to.into(),
                queued.clone(),
                attempts.into(),
                queued.clone(),
                sent_at.into(),
            ],
        )
        .await;
    }
    domain::db::migrate(&fx.db).await.unwrap();

    let jobs = fx.jobs().await;
    assert_eq!(jobs.len(), 1, "only the message still waiting gets a job");
    assert_eq!((jobs[0].attempts, jobs[0].max_attempts), (2, 8));
    let mailbox: Arc<Mutex<Vec<DeliveredMail>>> = Arc::default();
    let runner = fx.runner(
        "a",
        JobContext::new(
            fx.db.clone(),
            Mailer::Memory(mailbox.clone()),
            "http://ohnet.test",
        ),
    );
    assert_eq!(runner.run_due(Utc::now()).await.unwrap().done, 1);
    let sent: Vec<String> = mailbox
        .lock()
        .unwrap()
        .iter()
        .map(|m| m.to.clone())
        .collect();
    assert_eq!(sent, vec!["waiting@force.test".to_owned()]);
}

#[tokio::test]
async fn the_hourly_cleanup_deletes_dead_rows_keeps_live_ones_and_queues_its_next_run() {
    let fx = Fixture::new().await;
    let services = Services::new(fx.db.clone(), DomainSettings::default()).unwrap();
    let user_id = services
        .accounts
        .create_admin("admin@ohnet.test", "Admin", "admin password 123")
        .await
        .unwrap();
    let now = start() + Duration::seconds(1);
    let ago = |d: Duration| Value::from(now - d);
    let ahead = |d: Duration| Value::from(now + d);

    for (token, expires_at) in [
        ("session-expired", ago(Duration::minutes(1))),
        ("session-live", ahead(Duration::days(1))),
    ] {
        fx.insert(
            "INSERT INTO sessions (token_hash, user_id, created_at, last_seen_at, expires_at) \
             VALUES (?, ?, ?, ?, ?)",
            vec![
                token.into(),
                user_id.into(),
                ago(Duration::days(30)),
                ago(Duration::days(1)),
                expires_at,
            ],
        )
        .await;
    }
    for (token, expires_at, used_at) in [
        ("link-expired", ago(Duration::minutes(1)), None),
        (
            "link-used",
            ahead(Duration::hours(1)),
            Some(now - Duration::minutes(5)),
        ),
        ("link-live", ahead(Duration::hours(1)), None),
    ] {
        fx.insert(
            "INSERT INTO email_tokens (token_hash, user_id, purpose, created_at, expires_at, \
             used_at) VALUES (?, ?, 'reset-password', ?, ?, ?)",
            vec![
                token.into(),
                user_id.into(),
                ago(Duration::hours(1)),
                expires_at,
                used_at.into(),
            ],
        )
        .await;
    }
    for (token, created_at) in [
        ("sso-stale", ago(Duration::days(2))),
        ("sso-live", ago(Duration::minutes(10))),
    ] {
        fx.insert(
            "INSERT INTO sso_attempts (token_hash, state, nonce, pkce_verifier, return_to, \
             created_at) VALUES (?, 's', 'n', 'v', '/', ?)",
            vec![token.into(), created_at],
        )
        .await;
    }
    for (key, at) in [
        ("attempt-stale", ago(Duration::days(2))),
        ("attempt-live", ago(Duration::minutes(10))),
    ] {
        fx.insert(
            "INSERT INTO account_attempts (kind, account_key, at) VALUES ('failed-sign-in', ?, ?)",
            vec![key.into(), at],
        )
        .await;
    }
    // Two jobs, one finished over a week ago and one yesterday.
    let old = Recording::default();
    for (message_id, finished) in [(1, Duration::days(8)), (2, Duration::days(1))] {
        jobs::enqueue(&fx.db, Job::DeliverMail { message_id }, now - finished)
            .await
            .unwrap();
        fx.runner("a", old.clone())
            .run_due(now - finished)
            .await
            .unwrap();
    }

    jobs::ensure_recurring(&fx.db, now).await.unwrap();
    jobs::ensure_recurring(&fx.db, now).await.unwrap();
    let runner = fx.runner(
        "a",
        JobContext::new(
            fx.db.clone(),
            Mailer::Memory(Arc::default()),
            "http://ohnet.test",
        ),
    );
    runner.run_due(now).await.unwrap();

    assert_eq!(
        fx.strings("SELECT token_hash FROM sessions").await,
        BTreeSet::from(["session-live".to_owned()])
    );
    assert_eq!(
        fx.strings("SELECT token_hash FROM email_tokens").await,
        BTreeSet::from(["link-live".to_owned()])
    );
    assert_eq!(
        fx.strings("SELECT token_hash FROM sso_attempts").await,
        BTreeSet::from(["sso-live".to_owned()])
    );
    assert_eq!(
        fx.strings("SELECT account_key FROM account_attempts").await,
        BTreeSet::from(["attempt-live".to_owned()])
    );
    let jobs = fx.jobs().await;
    assert!(
        !jobs
            .iter()
            .any(|job| job.payload.contains("\"message_id\":1")),
        "the job finished a week ago is gone"
    );
    assert!(
        jobs.iter()
            .any(|job| job.payload.contains("\"message_id\":2"))
    );
    let cleanups: Vec<&JobRecord> = jobs
        .iter()
        .filter(|job| job.kind == "clean_up_expired")
        .collect();
    assert_eq!(cleanups.len(), 2, "queued once, then its next run");
    assert_eq!(cleanups[0].finished_at, Some(now));
    assert_eq!(cleanups[1].finished_at, None);
    assert_eq!(cleanups[1].run_at, now + Duration::hours(1));
    assert_eq!(cleanups[1].dedupe_key.as_deref(), Some("clean_up_expired"));
}
