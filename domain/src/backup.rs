//! Online backups of the SQLite database and restoring them. A backup is one SQLite file made
//! with `VACUUM INTO` while the site keeps serving (a consistent snapshot; with the default file
//! store every file lives in the database, so the file is complete, while files kept in an
//! object store are backed up by that bucket's versioning, see [`crate::files`]). A restore checks the file first, refuses while a
//! server holds the database, and keeps the database it replaces beside it, so nothing is lost.
//! PostgreSQL deployments use `pg_dump` / `pg_restore` instead.

use std::fs::File;
use std::path::{Path, PathBuf};

use migrations::{Migrator, MigratorTrait};
use sea_orm::{ConnectionTrait, DatabaseBackend, DatabaseConnection, Statement};

use crate::{Error, Result};

/// What a backup holds, read back from the file after it was written (or before restoring it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BackupSummary {
    /// The backup file.
    pub path: PathBuf,
    /// Its size in bytes.
    pub bytes: u64,
    /// How many tables it holds.
    pub tables: usize,
    /// The newest migration applied to it.
    pub migration: String,
}

/// What a restore did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RestoreSummary {
    /// The backup restored.
    pub restored: BackupSummary,
    /// Where the database it replaced was kept (none if there was none).
    pub previous: Option<PathBuf>,
}

/// The file a `sqlite:` database URL names (`None` for other URLs and in-memory databases).
pub fn sqlite_path(url: &str) -> Option<PathBuf> {
    let rest = url
        .strip_prefix("sqlite://")
        .or_else(|| url.strip_prefix("sqlite:"))?;
    let path = rest.split('?').next().unwrap_or_default();
    (!path.is_empty() && path != ":memory:").then(|| PathBuf::from(path))
}

/// The lock file beside the database at `url`: servers hold it shared while they run, and a
/// restore takes it exclusively, so a restore never swaps the file under a running server.
fn lock_path(url: &str) -> Option<PathBuf> {
    sqlite_path(url).map(|path| with_suffix(&path, ".lock"))
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(suffix);
    PathBuf::from(name)
}

/// Taken by a server for as long as it runs on the SQLite database at `url` (several servers
/// may hold it at once); `None` for databases that are not files.
pub fn hold_for_serving(url: &str) -> Result<Option<File>> {
    let Some(path) = lock_path(url) else {
        return Ok(None);
    };
    if let Some(parent) = path
        .parent()
        .filter(|parent| !parent.as_os_str().is_empty())
    {
        std::fs::create_dir_all(parent)
            .map_err(|err| Error::Internal(format!("cannot create {}: {err}", parent.display())))?;
    }
    let file = File::create(&path)
        .map_err(|err| Error::Internal(format!("cannot open {}: {err}", path.display())))?;
    match file.try_lock_shared() {
        Ok(()) => Ok(Some(file)),
        Err(std::fs::TryLockError::WouldBlock) => Err(Error::Conflict(
            "a restore is replacing the database; start the server when it has finished".to_owned(),
        )),
        Err(std::fs::TryLockError::Error(err)) => Err(Error::Internal(format!(
            "cannot lock {}: {err}",
            path.display()
        ))),
    }
}

/// Writes a consistent copy of the live database `db` to the new file `to` while the site
/// keeps serving, then checks the copy.
pub async fn backup(db: &DatabaseConnection, to: &Path) -> Result<BackupSummary> {
    if db.get_database_backend() != DatabaseBackend::Sqlite {
        return Err(not_sqlite());
    }
    if to.exists() {
        return Err(Error::Conflict(format!(
            "{} already exists: choose a new file, so no earlier backup is overwritten",
            to.display()
        )));
    }
    if let Some(parent) = to.parent().filter(|parent| !parent.as_os_str().is_empty())
        && !parent.is_dir()
    {
        return Err(Error::Conflict(format!(
            "the folder {} does not exist",
            parent.display()
        )));
    }
    let target = to
        .to_str()
        .ok_or_else(|| Error::Conflict("the backup file's path must be valid UTF-8".to_owned()))?;
    db.execute_raw(Statement::from_sql_and_values(
        DatabaseBackend::Sqlite,
        "VACUUM INTO ?",
        [target.into()],
    ))
    .await?;
    inspect(to).await
}

/// Replaces the SQLite database at `url` with the backup `from`, after checking that it is a
/// sound ohnet database this version can run. Refuses while a server holds the database; the
/// replaced database (with its write-ahead log) is kept beside it with a timestamp.
pub async fn restore(url: &str, from: &Path) -> Result<RestoreSummary> {
    let live = sqlite_path(url).ok_or_else(not_sqlite)?;
    let restored = inspect(from).await?;
    let known: Vec<String> = Migrator::migrations()
        .iter()
        .map(|migration| migration.name().to_owned())
        .collect();
    if !known.contains(&restored.migration) {
        return Err(Error::Conflict(format!(
            "{} was made by a newer ohnet (migration {}); upgrade ohnet before restoring it",
            from.display(),
            restored.migration
        )));
    }
    let lock_file = lock_path(url).ok_or_else(not_sqlite)?;
    let lock = File::create(&lock_file)
        .map_err(|err| Error::Internal(format!("cannot open {}: {err}", lock_file.display())))?;
    if lock.try_lock().is_err() {
        return Err(Error::Conflict(
            "a server is using the database: stop every ohnet server on it, then restore"
                .to_owned(),
        ));
    }
    let previous = if live.exists() {
        let stamp = chrono::Utc::now().format("%Y%m%dT%H%M%SZ");
        let kept = with_suffix(&live, &format!(".before-restore-{stamp}"));
        for suffix in ["-wal", "-shm"] {
            let part = with_suffix(&live, suffix);
            if part.exists() {
                move_file(&part, &with_suffix(&kept, suffix))?;
            }
        }
        move_file(&live, &kept)?;
        Some(kept)
    } else {
        None
    };
    let partial = with_suffix(&live, ".restoring");
    std::fs::copy(from, &partial)
        .and_then(|_| File::open(&partial)?.sync_all())
        .map_err(|err| Error::Internal(format!("cannot copy {}: {err}", from.display())))?;
    move_file(&partial, &live)?;
    drop(lock);
    Ok(RestoreSummary { restored, previous })
}

fn move_file(from: &Path, to: &Path) -> Result<()> {
    std::fs::rename(from, to).map_err(|err| {
        Error::Internal(format!(
            "cannot move {} to {}: {err}",
            from.display(),
            to.display()
        ))
    })
}

fn not_sqlite() -> Error {
    Error::Conflict(
        "backup and restore work on the SQLite database file; for PostgreSQL use pg_dump and \
         pg_restore (see the README)"
            .to_owned(),
    )
}

/// Opens the SQLite file at `path` read-only and checks that it is a sound ohnet database.
async fn inspect(path: &Path) -> Result<BackupSummary> {
    let not_backup =
        |why: String| Error::Conflict(format!("{} is not an ohnet backup: {why}", path.display()));
    let bytes = std::fs::metadata(path)
        .map_err(|err| not_backup(err.to_string()))?
        .len();
    let url = format!("sqlite://{}?mode=ro", path.display());
    let mut options = sea_orm::ConnectOptions::new(url);
    options.sqlx_logging(false).max_connections(1);
    let db = sea_orm::Database::connect(options)
        .await
        .map_err(|err| not_backup(err.to_string()))?;
    let summary = read_summary(&db, path, bytes).await;
    db.close()
        .await
        .map_err(|err| Error::Internal(err.to_string()))?;
    summary.map_err(|err| not_backup(err.to_string()))
}

async fn read_summary(
    db: &DatabaseConnection,
    path: &Path,
    bytes: u64,
) -> std::result::Result<BackupSummary, sea_orm::DbErr> {
    let scalar = |sql: &str| Statement::from_string(DatabaseBackend::Sqlite, sql);
    let integrity: String = db
        .query_one_raw(scalar("PRAGMA integrity_check"))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or_default();
    if integrity != "ok" {
        return Err(sea_orm::DbErr::Custom(format!(
            "its integrity check says {integrity}"
        )));
    }
    let migration: String = db
        .query_one_raw(scalar(
            "SELECT version FROM seaql_migrations ORDER BY version DESC LIMIT 1",
        ))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .ok_or_else(|| sea_orm::DbErr::Custom("it has no migrations".to_owned()))?;
    let tables: i64 = db
        .query_one_raw(scalar(
            "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'",
        ))
        .await?
        .map(|row| row.try_get_by_index(0))
        .transpose()?
        .unwrap_or_default();
    Ok(BackupSummary {
        path: path.to_owned(),
        bytes,
        tables: usize::try_from(tables).unwrap_or_default(),
        migration,
    })
}
