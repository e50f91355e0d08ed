//! The domain's integration tests, in one binary (one link of the dependency tree), each
//! against a real SQLite file with the migrations applied.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

mod accounts;
mod attachment_text;
mod backup;
mod content_import;
mod content_modules;
mod cpd;
mod files;
mod forum_following;
mod forum_restructuring;
mod forums;
mod jobs;
mod learning;
mod library;
mod module_review;
mod module_validation;
mod node_cache;
mod search;

/// The database a test runs on: a fresh SQLite file in `dir` by default or, when
/// `OHNET_TEST_POSTGRES` names a PostgreSQL server (`postgres://user@127.0.0.1:5432`, as
/// `./x test` sets for its second pass), a fresh database on that server.
pub async fn database_url(dir: &std::path::Path) -> String {
    match std::env::var("OHNET_TEST_POSTGRES") {
        Ok(server) if !server.is_empty() => scratch_postgres_database(&server).await,
        _ => format!("sqlite://{}?mode=rwc", dir.join("test.sqlite").display()),
    }
}

/// Creates an empty database on the PostgreSQL `server` and answers its URL. Databases are
/// not dropped: the test command throws the whole cluster away at the end.
async fn scratch_postgres_database(server: &str) -> String {
    use sea_orm::ConnectionTrait;
    static NEXT: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
    let name = format!(
        "domain_{}_{}_{}",
        std::process::id(),
        NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed),
        rand::random::<u32>()
    );
    let admin = sea_orm::Database::connect(format!("{server}/postgres"))
        .await
        .unwrap();
    admin
        .execute_unprepared(&format!(r#"CREATE DATABASE "{name}""#))
        .await
        .unwrap();
    admin.close().await.unwrap();
    format!("{server}/{name}")
}
