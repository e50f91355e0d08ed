//! Opening the database and bringing its schema up to date, one process at a time.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};
use std::time::Duration;

use crate::{Error, Result};

/// Database connections a process holds open unless configured otherwise.
pub const DEFAULT_POOL_SIZE: u32 = 8;

/// Connects to `url` with [`DEFAULT_POOL_SIZE`] connections (see [`connect_with_pool`]).
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    connect_with_pool(url, DEFAULT_POOL_SIZE).await
}

/// Connects to `url` (SQLite by default) with at most `pool_size` connections and settings fit
/// for a web server.
///
/// SQLite files are opened in WAL mode so readers never wait for the writer, with foreign keys
/// enforced and a busy timeout instead of immediate `SQLITE_BUSY` errors. Every statement is
/// logged at debug level under the target `ohnet::sql` (e.g. `OHNET_LOG=info,ohnet::sql=debug`),
/// with its duration, so the statements a page makes can be counted.
pub async fn connect_with_pool(url: &str, pool_size: u32) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    options
        .max_connections(pool_size.max(1))
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

/// Applies every migration that has not run yet. Safe to call on every start, and from several
/// processes starting at once on one SQLite file: they take turns under a lock file beside the
/// database (`<file>.migrate-lock`), so each migration is applied once.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    let _turn = migration_turn(db).await?;
    Migrator::up(db, None).await?;
    crate::accounts::handles::give_missing_handles(db).await?;
    Ok(())
}

/// Answers whether the database responds to a trivial query (for `/health`).
pub async fn ping(db: &DatabaseConnection) -> bool {
    let statement = Statement::from_string(db.get_database_backend(), "SELECT 1");
    db.query_one_raw(statement).await.is_ok()
}

/// Waits for this process's turn to migrate the SQLite file behind `db`; the turn lasts until
/// the returned lock is dropped (none for in-memory databases).
async fn migration_turn(db: &DatabaseConnection) -> Result<Option<std::fs::File>> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Ok(None);
    }
    let file: String = db
        .query_one_raw(Statement::from_string(
            DatabaseBackend::Sqlite,
            "SELECT file FROM pragma_database_list WHERE name = 'main'",
        ))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or_default();
    if file.is_empty() {
        return Ok(None);
    }
    let path = format!("{file}.migrate-lock");
    let lock = tokio::task::spawn_blocking(move || {
        let lock = std::fs::File::create(&path)?;
        lock.lock()?;
        Ok::<_, std::io::Error>(lock)
    })
    .await
    .map_err(|err| Error::Internal(format!("migration lock: {err}")))?
    .map_err(|err| Error::Internal(format!("cannot take the migration lock: {err}")))?;
    Ok(Some(lock))
}
