//! Opening the database and bringing its schema up to date.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectOptions, ConnectionTrait, Database, DatabaseConnection, Statement};
use std::time::Duration;

use crate::{Error, Result};

/// Connects to `url` (SQLite by default) with settings fit for a web server.
///
/// SQLite files are opened in WAL mode so readers never wait for the writer, with foreign keys
/// enforced and a busy timeout instead of immediate `SQLITE_BUSY` errors. Every statement is
/// logged at debug level under the target `ohnet::sql` (e.g. `OHNET_LOG=info,ohnet::sql=debug`),
/// with its duration, so the statements a page makes can be counted.
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(8)
        .connect_timeout(Duration::from_secs(10))
        // A connection to a local SQLite file does not go stale; testing it on every acquire
        // cost a round trip to its worker thread before every statement.
        .test_before_acquire(false)
        .sqlx_logging(false)
        .map_sqlx_sqlite_opts(|opts| {
            opts.journal_mode(sea_orm::sqlx::sqlite::SqliteJournalMode::Wal)
                .synchronous(sea_orm::sqlx::sqlite::SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(5))
                .create_if_missing(true)
        });
    let mut db = Database::connect(options)
        .await
        .map_err(|err| Error::Internal(format!("cannot open database: {err}")))?;
    db.set_metric_callback(|info| {
        tracing::debug!(
            target: "ohnet::sql",
            elapsed_us = info.elapsed.as_micros(),
            failed = info.failed,
            "{}",
            info.statement.sql
        );
    });
    Ok(db)
}

/// Applies every migration that has not run yet. Safe to call on every start.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    Migrator::up(db, None).await?;
    crate::accounts::handles::give_missing_handles(db).await?;
    Ok(())
}

/// Answers whether the database responds to a trivial query (for `/health`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    let statement = Statement::from_string(db.get_database_backend(), "SELECT 1");
    db.query_one_raw(statement).await.is_ok()
}
