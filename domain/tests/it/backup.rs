//! The SQLite database file: processes starting together migrate it once; a backup taken
//! while the database is open holds exactly what was there, a restore brings that back after
//! later changes (keeping the replaced database), and bad backups, a held database or an
//! existing target are refused with a clear message.

use domain::backup::{backup, hold_for_serving, restore, sqlite_path};
use domain::{DomainSettings, Error, Services};
use sea_orm::{ConnectionTrait, DatabaseConnection, Statement};

/// Every row of every table, as text (SQLite's `quote()` of each column), in a fixed order.
async fn dump(db: &DatabaseConnection) -> Vec<String> {
    let backend = db.get_database_backend();
    let tables: Vec<String> = db
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
             ORDER BY name",
        ))
        .await
        .unwrap()
        .into_iter()
        .map(|row| row.try_get_by_index(0).unwrap())
        .collect();
    let mut lines = Vec::new();
    for table in tables {
        let columns: Vec<String> = db
            .query_all_raw(Statement::from_string(
                backend,
                format!("SELECT name FROM pragma_table_info('{table}')"),
            ))
            .await
            .unwrap()
            .into_iter()
            .map(|row| row.try_get_by_index::<String>(0).unwrap())
            .map(|column| format!("quote(\"{column}\")"))
            .collect();
        let rows = db
            .query_all_raw(Statement::from_string(
                backend,
                format!(
                    "SELECT {} FROM \"{table}\" ORDER BY 1",
                    columns.join(" || '|' || ")
                ),
            ))
            .await
            .unwrap();
        for row in rows {
            lines.push(format!(
                "{table}: {}",
                row.try_get_by_index::<String>(0).unwrap()
            ));
        }
    }
    lines
}

async fn open(url: &str) -> DatabaseConnection {
    let db = domain::db::connect(url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    db
}

#[tokio::test]
async fn a_backup_restores_exactly_what_was_there_and_keeps_what_it_replaced() {
    let temp = tempfile::tempdir().unwrap();
    let live = temp.path().join("ohnet.sqlite");
    let url = format!("sqlite://{}?mode=rwc", live.display());
    assert_eq!(sqlite_path(&url).unwrap(), live);
    let db = open(&url).await;
    let services = Services::new(db.clone(), DomainSettings::default()).unwrap();
    services
        .accounts
        .create_admin("kept@force.test", "Kept Person", "a long enough password")
        .await
        .unwrap();
    let before = dump(&db).await;
    assert!(before.iter().any(|line| line.contains("kept@force.test")));

    // Taken while the database is open and in use.
    let file = temp.path().join("backup.sqlite");
    let summary = backup(&db, &file).await.unwrap();
    assert!(summary.tables > 20 && summary.bytes > 0);
    assert!(summary.migration.starts_with('m'));
    let Err(Error::Conflict(message)) = backup(&db, &file).await else {
        panic!("an existing backup is never overwritten");
    };
    assert!(message.contains("already exists"), "{message}");

    // Later changes.
    services
        .accounts
        .create_admin("later@force.test", "Later Person", "a long enough password")
        .await
        .unwrap();
    db.execute_unprepared("DELETE FROM pages").await.unwrap();
    assert_ne!(dump(&db).await, before);

    // A running server holds the database: the restore waits for it to stop.
    let serving = hold_for_serving(&url).unwrap();
    assert!(serving.is_some());
    let Err(Error::Conflict(message)) = restore(&url, &file).await else {
        panic!("a restore under a running server is refused");
    };
    assert!(message.contains("stop every ohnet server"), "{message}");
    drop(serving);
    db.close().await.unwrap();

    let restored = restore(&url, &file).await.unwrap();
    assert_eq!(restored.restored.migration, summary.migration);
    let previous = restored.previous.expect("the replaced database is kept");
    assert!(previous.exists());
    let db = open(&url).await;
    assert_eq!(
        dump(&db).await,
        before,
        "the restore brought back exactly the backup"
    );
    db.close().await.unwrap();
    // The replaced database still holds the later changes.
    let kept = open(&format!("sqlite://{}?mode=rw", previous.display())).await;
    assert!(
        dump(&kept)
            .await
            .iter()
            .any(|line| line.contains("later@force.test"))
    );
}

#[tokio::test]
async fn a_file_that_is_not_a_sound_ohnet_backup_is_refused_and_nothing_changes() {
    let temp = tempfile::tempdir().unwrap();
    let live = temp.path().join("ohnet.sqlite");
    let url = format!("sqlite://{}?mode=rwc", live.display());
    let db = open(&url).await;
    let before = dump(&db).await;
    db.close().await.unwrap();

    let text = temp.path().join("notes.txt");
    std::fs::write(&text, "not a database at all").unwrap();
    let Err(Error::Conflict(message)) = restore(&url, &text).await else {
        panic!("a text file is not a backup");
    };
    assert!(message.contains("is not an ohnet backup"), "{message}");

    // A backup from a newer ohnet (a migration this build does not know).
    let db = open(&url).await;
    let newer = temp.path().join("newer.sqlite");
    backup(&db, &newer).await.unwrap();
    db.close().await.unwrap();
    let newer_db = domain::db::connect(&format!("sqlite://{}?mode=rw", newer.display()))
        .await
        .unwrap();
    newer_db
        .execute_unprepared(
            "INSERT INTO seaql_migrations (version, applied_at) VALUES ('m29991231_000001_future', 0)",
        )
        .await
        .unwrap();
    newer_db.close().await.unwrap();
    let Err(Error::Conflict(message)) = restore(&url, &newer).await else {
        panic!("a backup from a newer version is refused");
    };
    assert!(message.contains("newer ohnet"), "{message}");

    let missing = temp.path().join("missing.sqlite");
    assert!(matches!(
        restore(&url, &missing).await,
        Err(Error::Conflict(_))
    ));
    let db = open(&url).await;
    assert_eq!(dump(&db).await, before, "a refused restore changes nothing");
    assert!(matches!(
        restore("postgres://ohnet@localhost/ohnet", &newer).await,
        Err(Error::Conflict(_))
    ));
}

#[tokio::test]
async fn processes_starting_together_apply_each_migration_once() {
    let temp = tempfile::tempdir().unwrap();
    let url = crate::database_url(temp.path()).await;
    // Four "processes" (separate pools) start on a fresh database at the same moment.
    let mut pools = Vec::new();
    for _ in 0..4 {
        pools.push(domain::db::connect(&url).await.unwrap());
    }
    let starts: Vec<_> = pools
        .iter()
        .cloned()
        .map(|db| tokio::spawn(async move { domain::db::migrate(&db).await }))
        .collect();
    for start in starts {
        start.await.unwrap().unwrap();
    }
    let applied = pools[0]
        .query_one_raw(Statement::from_string(
            pools[0].get_database_backend(),
            "SELECT COUNT(*), COUNT(DISTINCT version) FROM seaql_migrations",
        ))
        .await
        .unwrap()
        .unwrap();
    let (rows, distinct): (i64, i64) = (
        applied.try_get_by_index(0).unwrap(),
        applied.try_get_by_index(1).unwrap(),
    );
    assert_eq!(rows, distinct);
    assert!(rows > 10);
}
