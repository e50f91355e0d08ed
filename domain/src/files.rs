//! Where the bytes of stored files live (lesson media, library attachments, CPD evidence): in
//! the database by default, so one SQLite file or one PostgreSQL database holds everything and
//! every node reads it, or in an S3-compatible object store (through the `object_store` crate)
//! when `OHNET_FILE_STORE` names a bucket, which keeps large files out of the database.
//!
//! A row that holds a file has a `bytes` column and an `object_key` column. With the database
//! store, `bytes` holds the file and `object_key` is `NULL`. With an object store, `bytes` is
//! empty and the file is the object `files/<sha256>-<random>` under the store's prefix: a new
//! key for every file stored, written before the row and never overwritten, so a key belongs to
//! exactly one row. Removing a row leaves its object behind; [`sweep_objects`] (a recurring
//! job) deletes objects that no row names once they are older than [`SWEEP_GRACE`], which also
//! clears objects written for a transaction that then failed. [`move_files`] moves every file
//! to the configured store (`ohnet move-files`), one row at a time, and can be run again.

use std::collections::HashSet;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use futures_util::TryStreamExt;
use object_store::aws::{AmazonS3Builder, AmazonS3ConfigKey};
use object_store::path::Path as ObjectPath;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload};
use sea_orm::sea_query::{Alias, Expr, ExprTrait, Query, SimpleExpr};
use sea_orm::{ConnectionTrait, DatabaseConnection, QueryResult, Value};

use crate::content::content_hash;
use crate::{Error, Result};

/// How long an object no row names is kept before [`sweep_objects`] deletes it: longer than any
/// transaction that stores a file takes between writing the object and committing its row.
pub const SWEEP_GRACE: Duration = Duration::hours(1);

/// Where new files go, and where files stored with an object key are read from.
#[derive(Clone, Debug, Default)]
pub enum FileStore {
    /// In the rows' `bytes` columns (the default).
    #[default]
    Database,
    /// In an S3-compatible object store.
    Objects(ObjectFiles),
}

/// A bucket (and a prefix in it) in an S3-compatible object store.
#[derive(Clone, Debug)]
pub struct ObjectFiles {
    store: Arc<dyn ObjectStore>,
    prefix: ObjectPath,
    url: String,
}

/// What a row stores for a file: its `bytes` and `object_key` columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Placed {
    /// The file, or nothing when it is in the object store.
    pub bytes: Vec<u8>,
    /// Its key in the object store, if it is there.
    pub object_key: Option<String>,
}

impl FileStore {
    /// The store `setting` names: `database`, or `s3://bucket/prefix` with the credentials,
    /// region and endpoint read from the standard `AWS_*` environment variables
    /// (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_REGION`, `AWS_ENDPOINT`,
    /// `AWS_ALLOW_HTTP` …) and then from `options` (`("aws_endpoint", "http://…")` …).
    pub fn from_setting<'a>(
        setting: &str,
        options: impl IntoIterator<Item = (&'a str, &'a str)>,
    ) -> Result<Self> {
        let setting = setting.trim();
        if setting.is_empty() || setting == "database" {
            return Ok(Self::Database);
        }
        let url = url::Url::parse(setting)
            .ok()
            .filter(|url| matches!(url.scheme(), "s3" | "s3a"))
            .ok_or_else(|| {
                invalid_setting(setting, &"must be `database` or `s3://bucket/prefix`")
            })?;
        let mut builder = AmazonS3Builder::from_env().with_url(setting);
        for (key, value) in options {
            let key: AmazonS3ConfigKey = key.parse().map_err(|err| invalid_setting(key, &err))?;
            builder = builder.with_config(key, value);
        }
        let store = builder
            .build()
            .map_err(|err| invalid_setting(setting, &err))?;
        let prefix = ObjectPath::parse(url.path().trim_matches('/'))
            .map_err(|err| invalid_setting(setting, &err))?;
        Ok(Self::Objects(ObjectFiles {
            store: Arc::new(store),
            prefix,
            url: setting.to_owned(),
        }))
    }

    /// Where new files go, for people: `the database` or the bucket's address.
    pub fn describe(&self) -> String {
        match self {
            Self::Database => "the database".to_owned(),
            Self::Objects(objects) => objects.url.clone(),
        }
    }

    /// Stores `bytes` where new files go, before the row that will name them is written.
    pub async fn place(&self, bytes: Vec<u8>) -> Result<Placed> {
        match self {
            Self::Database => Ok(Placed {
                bytes,
                object_key: None,
            }),
            Self::Objects(objects) => {
                let key = format!(
                    "files/{}-{}",
                    content_hash(&bytes),
                    crate::accounts::tokens::random_token(9)
                );
                objects
                    .store
                    .put(&objects.path(&key), PutPayload::from(bytes))
                    .await
                    .map_err(|err| object_error("storing", &key, &err))?;
                Ok(Placed {
                    bytes: Vec::new(),
                    object_key: Some(key),
                })
            }
        }
    }

    /// The file a row holds: its `bytes`, or the object its `object_key` names.
    pub async fn read(&self, bytes: Vec<u8>, object_key: Option<&str>) -> Result<Vec<u8>> {
        let Some(key) = object_key else {
            return Ok(bytes);
        };
        let objects = self.objects_for(key)?;
        let found = objects
            .store
            .get(&objects.path(key))
            .await
            .map_err(|err| object_error("reading", key, &err))?;
        Ok(found
            .bytes()
            .await
            .map_err(|err| object_error("reading", key, &err))?
            .to_vec())
    }

    fn objects_for(&self, key: &str) -> Result<&ObjectFiles> {
        match self {
            Self::Objects(objects) => Ok(objects),
            Self::Database => Err(Error::Internal(format!(
                "the file {key} is in an object store, but OHNET_FILE_STORE names none"
            ))),
        }
    }
}

/// Whether a row with `row_bytes` and `row_key` holds exactly `bytes` (without reading the
/// object: its key carries the file's hash).
pub fn holds(row_bytes: &[u8], row_key: Option<&str>, bytes: &[u8]) -> bool {
    match row_key {
        None => row_bytes == bytes,
        Some(key) => key
            .strip_prefix("files/")
            .and_then(|rest| rest.split_once('-'))
            .is_some_and(|(hash, _)| hash == content_hash(bytes)),
    }
}

impl ObjectFiles {
    fn path(&self, key: &str) -> ObjectPath {
        key.split('/')
            .fold(self.prefix.clone(), |path, part| path.join(part))
    }

    /// The key of an object listed under the prefix.
    fn key_of(&self, location: &ObjectPath) -> Option<String> {
        location.prefix_match(&self.prefix).map(|parts| {
            parts
                .map(|part| part.as_ref().to_owned())
                .collect::<Vec<_>>()
                .join("/")
        })
    }
}

fn invalid_setting(setting: &str, err: &dyn std::fmt::Display) -> Error {
    Error::Invalid {
        field: "OHNET_FILE_STORE",
        message: format!("`{setting}`: {err}"),
    }
}

fn object_error(doing: &str, key: &str, err: &object_store::Error) -> Error {
    Error::Internal(format!("{doing} the file {key} in the object store: {err}"))
}

/// A table that holds files, and the columns that name one of its rows.
struct FileTable {
    name: &'static str,
    key: &'static [(&'static str, KeyKind)],
}

#[derive(Clone, Copy)]
enum KeyKind {
    Number,
    Text,
}

/// Every table with `bytes` and `object_key` columns.
const FILE_TABLES: [FileTable; 3] = [
    FileTable {
        name: "module_media",
        key: &[("module_id", KeyKind::Number), ("file_name", KeyKind::Text)],
    },
    FileTable {
        name: "library_attachments",
        key: &[("id", KeyKind::Number)],
    },
    FileTable {
        name: "cpd_evidence",
        key: &[("id", KeyKind::Number)],
    },
];

impl FileTable {
    /// The conditions that pick out the row `result` came from.
    fn row_filter(&self, result: &QueryResult) -> Result<Vec<SimpleExpr>> {
        self.key
            .iter()
            .map(|(column, kind)| {
                let value: Value = match kind {
                    KeyKind::Number => result.try_get::<i32>("", column)?.into(),
                    KeyKind::Text => result.try_get::<String>("", column)?.into(),
                };
                Ok(Expr::col(Alias::new(*column)).eq(value))
            })
            .collect()
    }
}

/// Which way [`move_files`] moves files.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MoveTo {
    /// From the rows into the object store.
    ObjectStore,
    /// From the object store back into the rows.
    Database,
}

/// What [`move_files`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MoveReport {
    /// Files moved.
    pub moved: usize,
    /// Their size in bytes.
    pub bytes: u64,
}

/// Moves every file between the rows and the object store `store` names, in the direction
/// `to` (leaving the object store deletes each object once its row holds the bytes). One row
/// at a time, each by a conditional update, so the site keeps serving, a row changed meanwhile
/// is left as it is, and an interrupted move can simply be run again.
pub async fn move_files(
    db: &DatabaseConnection,
    store: &FileStore,
    to: MoveTo,
) -> Result<MoveReport> {
    let FileStore::Objects(objects) = store else {
        return Err(Error::Conflict(
            "OHNET_FILE_STORE names no object store to move files into or out of".to_owned(),
        ));
    };
    let destination = match to {
        MoveTo::ObjectStore => store.clone(),
        MoveTo::Database => FileStore::Database,
    };
    let mut report = MoveReport::default();
    for table in &FILE_TABLES {
        let mut skipped: Vec<Vec<SimpleExpr>> = Vec::new();
        while let Some(row) = next_to_move(db, table, to, &skipped).await? {
            let filter = table.row_filter(&row)?;
            let bytes: Vec<u8> = row.try_get("", "bytes")?;
            let old_key: Option<String> = row.try_get("", "object_key")?;
            let file = store.read(bytes, old_key.as_deref()).await?;
            let size = u64::try_from(file.len()).unwrap_or(u64::MAX);
            let placed = destination.place(file).await?;
            let mut update = Query::update();
            update
                .table(Alias::new(table.name))
                .value(Alias::new("bytes"), placed.bytes)
                .value(Alias::new("object_key"), placed.object_key);
            for condition in filter.iter().cloned() {
                update.and_where(condition);
            }
            update.and_where(match &old_key {
                Some(key) => Expr::col(Alias::new("object_key")).eq(key.as_str()),
                None => Expr::col(Alias::new("object_key")).is_null(),
            });
            if db.execute(&update).await?.rows_affected() == 0 {
                skipped.push(filter);
                continue;
            }
            report.moved += 1;
            report.bytes += size;
            if let Some(key) = &old_key {
                // Best effort: an object left behind is swept later.
                if let Err(err) = objects.store.delete(&objects.path(key)).await {
                    tracing::warn!(%err, key, "a moved file's object stays until the sweep");
                }
            }
        }
    }
    Ok(report)
}

/// A row of `table` still to move `to` its place (and not in `skipped`).
async fn next_to_move(
    db: &DatabaseConnection,
    table: &FileTable,
    to: MoveTo,
    skipped: &[Vec<SimpleExpr>],
) -> Result<Option<QueryResult>> {
    let mut select = Query::select();
    select
        .from(Alias::new(table.name))
        .columns(table.key.iter().map(|(column, _)| Alias::new(*column)))
        .columns([Alias::new("bytes"), Alias::new("object_key")])
        .and_where(match to {
            MoveTo::Database => Expr::col(Alias::new("object_key")).is_not_null(),
            MoveTo::ObjectStore => Expr::col(Alias::new("object_key")).is_null(),
        })
        .limit(1);
    for filter in skipped {
        if let Some(same) = filter.iter().cloned().reduce(ExprTrait::and) {
            select.and_where(same.not());
        }
    }
    Ok(db.query_one(&select).await?)
}

/// What [`sweep_objects`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SweepReport {
    /// Objects looked at.
    pub seen: usize,
    /// Objects deleted because no row names them.
    pub deleted: usize,
}

/// Deletes the objects under `store`'s prefix that no row names and that were written before
/// `now - SWEEP_GRACE` (nothing to do with the database store). The objects are listed before
/// the rows are read, so a file stored meanwhile is either too new to sweep or named by its row.
pub async fn sweep_objects(
    db: &DatabaseConnection,
    store: &FileStore,
    now: DateTime<Utc>,
) -> Result<SweepReport> {
    let FileStore::Objects(objects) = store else {
        return Ok(SweepReport::default());
    };
    let listed: Vec<(ObjectPath, DateTime<Utc>)> = objects
        .store
        .list(Some(&objects.prefix.clone().join("files")))
        .map_ok(|meta| (meta.location, meta.last_modified))
        .try_collect()
        .await
        .map_err(|err| object_error("listing", "files/", &err))?;
    let named = named_keys(db).await?;
    let mut report = SweepReport {
        seen: listed.len(),
        deleted: 0,
    };
    for (location, modified) in listed {
        let Some(key) = objects.key_of(&location) else {
            continue;
        };
        if modified < now - SWEEP_GRACE && !named.contains(&key) {
            objects
                .store
                .delete(&location)
                .await
                .map_err(|err| object_error("deleting", &key, &err))?;
            report.deleted += 1;
        }
    }
    Ok(report)
}

/// Every object key a row names.
async fn named_keys(db: &DatabaseConnection) -> Result<HashSet<String>> {
    let mut named = HashSet::new();
    for table in &FILE_TABLES {
        let select = Query::select()
            .from(Alias::new(table.name))
            .column(Alias::new("object_key"))
            .and_where(Expr::col(Alias::new("object_key")).is_not_null())
            .to_owned();
        for row in db.query_all(&select).await? {
            named.insert(row.try_get::<String>("", "object_key")?);
        }
    }
    Ok(named)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_holds_the_file_whose_hash_it_carries() {
        let key = format!("files/{}-abc", content_hash(b"the file"));
        assert!(holds(&[], Some(&key), b"the file"));
        assert!(!holds(&[], Some(&key), b"another file"));
        assert!(!holds(&[], Some("files/nonsense"), b"the file"));
        assert!(holds(b"the file", None, b"the file"));
        assert!(!holds(b"the file", None, b"another file"));
    }

    #[test]
    fn the_setting_is_the_database_or_an_s3_bucket() {
        assert!(matches!(
            FileStore::from_setting("", []),
            Ok(FileStore::Database)
        ));
        assert!(matches!(
            FileStore::from_setting("database", []),
            Ok(FileStore::Database)
        ));
        let Err(Error::Invalid { field, message }) =
            FileStore::from_setting("ftp://files.example", [])
        else {
            panic!("an ftp store was accepted");
        };
        assert_eq!(field, "OHNET_FILE_STORE");
        assert!(message.contains("s3://bucket/prefix"), "{message}");
        let Ok(FileStore::Objects(objects)) = FileStore::from_setting(
            "s3://ohnet-files/site/one",
            [
                ("aws_region", "eu-west-2"),
                ("aws_access_key_id", "k"),
                ("aws_secret_access_key", "s"),
            ],
        ) else {
            panic!("an s3 store was refused");
        };
        assert_eq!(objects.path("files/x-1").as_ref(), "site/one/files/x-1");
        assert_eq!(
            objects
                .key_of(&ObjectPath::from("site/one/files/x-1"))
                .as_deref(),
            Some("files/x-1")
        );
    }
}
