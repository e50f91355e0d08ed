//! Opening the database and bringing its schema up to date, one process at a time.

use migrations::{Migrator, MigratorTrait};
use sea_orm::{
    ConnectOptions, ConnectionTrait, Database, DatabaseBackend, DatabaseConnection, Statement,
};
use std::time::Duration;

use crate::{Error, Result};

/// Database connections a process holds open unless configured otherwise.
pub const DEFAULT_POOL_SIZE: u32 = 8;
/// How long one statement may run on PostgreSQL unless configured otherwise.
pub const DEFAULT_STATEMENT_TIMEOUT: Duration = Duration::from_secs(30);

/// How to hold the database open.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DbOptions {
    /// The most connections the pool holds.
    pub pool_size: u32,
    /// On PostgreSQL, the longest a statement may run before the server cancels it (a
    /// runaway query must not hold a connection for ever). SQLite has no such setting.
    pub statement_timeout: Duration,
}

impl Default for DbOptions {
    fn default() -> Self {
        Self {
            pool_size: DEFAULT_POOL_SIZE,
            statement_timeout: DEFAULT_STATEMENT_TIMEOUT,
        }
    }
}

/// Connects to `url` with the default [`DbOptions`].
pub async fn connect(url: &str) -> Result<DatabaseConnection> {
    connect_with(url, DbOptions::default()).await
}

/// Connects to `url`, a `sqlite:` file (the default) or a `postgres://` server, with settings
/// fit for a web server.
///
/// SQLite files are opened in WAL mode so readers never wait for the writer, with foreign keys
/// enforced and a busy timeout instead of immediate `SQLITE_BUSY` errors. PostgreSQL sessions
/// get the statement timeout. Every statement is logged at debug level under the target
/// `ohnet::sql` (e.g. `OHNET_LOG=info,ohnet::sql=debug`), with its duration, so the
/// statements a page makes can be counted.
pub async fn connect_with(url: &str, settings: DbOptions) -> Result<DatabaseConnection> {
    let mut options = ConnectOptions::new(url.to_owned());
    let timeout_ms = settings.statement_timeout.as_millis().to_string();
    options
        .max_connections(settings.pool_size.max(1))
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
        })
        .map_sqlx_postgres_opts(move |opts| {
            opts.options([("statement_timeout", timeout_ms.as_str())])
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
/// processes starting at once on one database: they take turns, so each migration is applied
/// once. On SQLite the turn is a lock file beside the database (`<file>.migrate-lock`); on
/// PostgreSQL it is an advisory lock held by a connection of its own.
pub async fn migrate(db: &DatabaseConnection) -> Result<()> {
    let turn = StartTurn::take(db).await?;
    Migrator::up(db, None).await?;
    crate::accounts::handles::give_missing_handles(db).await?;
    turn.end().await
}

/// A process's turn to prepare the shared database at start (migrations, then the content
/// import): processes starting at once on one database take turns, so the second finds the
/// work done instead of racing the first into a duplicate row.
pub struct StartTurn(Turn);

impl StartTurn {
    /// Waits for this process's turn.
    pub async fn take(db: &DatabaseConnection) -> Result<StartTurn> {
        Ok(StartTurn(match db.get_database_backend() {
            DatabaseBackend::Postgres => Turn::Postgres(postgres_migration_turn(db).await?),
            _ => Turn::Sqlite(migration_turn(db).await?),
        }))
    }

    /// Ends the turn, letting the next process go.
    pub async fn end(self) -> Result<()> {
        self.0.end().await
    }
}

/// How a turn is held.
enum Turn {
    /// The lock file (none for an in-memory database); released when dropped.
    Sqlite(Option<std::fs::File>),
    /// The connection holding the advisory lock; closing it releases the lock.
    Postgres(sea_orm::sqlx::PgConnection),
}

impl Turn {
    async fn end(self) -> Result<()> {
        use sea_orm::sqlx::Connection;
        match self {
            Turn::Sqlite(lock) => {
                drop(lock);
                Ok(())
            }
            Turn::Postgres(holder) => holder
                .close()
                .await
                .map_err(|err| Error::Internal(format!("migration lock: {err}"))),
        }
    }
}

/// Takes the advisory lock migrations run under on PostgreSQL (the key is any constant every
/// node shares; this one spells "ohnet").
const TAKE_MIGRATION_LOCK: &str = "SELECT pg_advisory_lock(478560498804)";

/// Waits for this process's turn to migrate the PostgreSQL database behind `db`, on a
/// connection of its own (an advisory lock belongs to the session that took it, and the
/// pool's connections come and go); the turn lasts until that connection closes.
async fn postgres_migration_turn(db: &DatabaseConnection) -> Result<sea_orm::sqlx::PgConnection> {
    use sea_orm::sqlx::{ConnectOptions as _, Executor as _};
    let lock_error = |err: sea_orm::sqlx::Error| Error::Internal(format!("migration lock: {err}"));
    let options = db.get_postgres_connection_pool().connect_options();
    let mut holder = options.connect().await.map_err(lock_error)?;
    holder
        .execute(TAKE_MIGRATION_LOCK)
        .await
        .map_err(lock_error)?;
    Ok(holder)
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
