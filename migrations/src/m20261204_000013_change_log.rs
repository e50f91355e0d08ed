//! The change log: every write that the search index (or any per-node cache) must follow
//! appends a row naming what changed, in the same transaction as the write. Triggers on the
//! followed tables write it, so no code path can change an item and forget to say so. Each
//! node reads the rows after its own cursor and brings its index up to date.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::{ConnectionTrait, DbBackend};

#[derive(DeriveMigrationName)]
pub struct Migration;

#[derive(DeriveIden)]
enum ChangeLog {
    Table,
    Id,
    Subject,
    ChangedAt,
}

/// One followed table: the subject a changed row names (an SQL expression over `{row}`, which
/// becomes `NEW` or `OLD`), and the columns whose update matters (empty: any column).
pub(crate) struct Followed {
    pub table: &'static str,
    pub subject: &'static str,
    pub columns: &'static [&'static str],
}

/// The tables the search index follows today.
const FOLLOWED: [Followed; 7] = [
    Followed {
        table: "pages",
        subject: "'page:' || {row}.id",
        columns: &[],
    },
    Followed {
        table: "modules",
        subject: "'module:' || {row}.id",
        columns: &[],
    },
    Followed {
        table: "module_lessons",
        subject: "'module:' || {row}.module_id",
        columns: &[],
    },
    Followed {
        table: "forums",
        subject: "'forum:' || {row}.id",
        columns: &["slug", "name", "audience", "archived_at"],
    },
    Followed {
        table: "forum_topics",
        subject: "'topic:' || {row}.id",
        columns: &["title", "tags", "forum_id"],
    },
    Followed {
        table: "forum_posts",
        subject: "'topic:' || {row}.topic_id",
        columns: &["body_markdown", "deleted_at", "hidden_at", "topic_id"],
    },
    Followed {
        table: "audience_groups",
        subject: "{row}.item_kind || ':' || {row}.item_id",
        columns: &[],
    },
];

/// The statements that make `followed` append to the change log on `backend`.
pub(crate) fn follow_statements(backend: DbBackend, followed: &Followed) -> Vec<String> {
    let table = followed.table;
    let new = followed.subject.replace("{row}", "NEW");
    let old = followed.subject.replace("{row}", "OLD");
    let update_of = if followed.columns.is_empty() {
        String::new()
    } else {
        format!(" OF {}", followed.columns.join(", "))
    };
    match backend {
        DbBackend::Postgres => {
            let now = "CAST(EXTRACT(EPOCH FROM now()) AS bigint)";
            vec![
                format!(
                    "CREATE OR REPLACE FUNCTION change_log_{table}() RETURNS trigger LANGUAGE plpgsql AS $$ \
                     BEGIN \
                       IF TG_OP = 'DELETE' OR (TG_OP = 'UPDATE' AND ({old}) IS DISTINCT FROM ({new})) THEN \
                         INSERT INTO change_log (subject, changed_at) VALUES ({old}, {now}); \
                       END IF; \
                       IF TG_OP <> 'DELETE' THEN \
                         INSERT INTO change_log (subject, changed_at) VALUES ({new}, {now}); \
                       END IF; \
                       RETURN NULL; \
                     END $$"
                ),
                format!(
                    "CREATE TRIGGER change_log_{table} AFTER INSERT OR DELETE OR UPDATE{update_of} \
                     ON {table} FOR EACH ROW EXECUTE FUNCTION change_log_{table}()"
                ),
            ]
        }
        _ => {
            let now = "CAST(strftime('%s', 'now') AS INTEGER)";
            vec![
                format!(
                    "CREATE TRIGGER change_log_{table}_insert AFTER INSERT ON {table} BEGIN \
                     INSERT INTO change_log (subject, changed_at) VALUES ({new}, {now}); END"
                ),
                format!(
                    "CREATE TRIGGER change_log_{table}_update AFTER UPDATE{update_of} ON {table} BEGIN \
                     INSERT INTO change_log (subject, changed_at) VALUES ({new}, {now}); \
                     INSERT INTO change_log (subject, changed_at) SELECT {old}, {now} WHERE ({old}) IS NOT ({new}); END"
                ),
                format!(
                    "CREATE TRIGGER change_log_{table}_delete AFTER DELETE ON {table} BEGIN \
                     INSERT INTO change_log (subject, changed_at) VALUES ({old}, {now}); END"
                ),
            ]
        }
    }
}

/// The statements that stop `followed` appending to the change log on `backend`.
pub(crate) fn unfollow_statements(backend: DbBackend, followed: &Followed) -> Vec<String> {
    let table = followed.table;
    match backend {
        DbBackend::Postgres => vec![
            format!("DROP TRIGGER IF EXISTS change_log_{table} ON {table}"),
            format!("DROP FUNCTION IF EXISTS change_log_{table}()"),
        ],
        _ => ["insert", "update", "delete"]
            .iter()
            .map(|event| format!("DROP TRIGGER IF EXISTS change_log_{table}_{event}"))
            .collect(),
    }
}

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        manager
            .create_table(
                Table::create()
                    .table(ChangeLog::Table)
                    .col(
                        ColumnDef::new(ChangeLog::Id)
                            .integer()
                            .not_null()
                            .auto_increment()
                            .primary_key(),
                    )
                    .col(ColumnDef::new(ChangeLog::Subject).text().not_null())
                    .col(
                        ColumnDef::new(ChangeLog::ChangedAt)
                            .big_integer()
                            .not_null(),
                    )
                    .to_owned(),
            )
            .await?;
        manager
            .create_index(
                Index::create()
                    .name("idx_change_log_changed_at")
                    .table(ChangeLog::Table)
                    .col(ChangeLog::ChangedAt)
                    .to_owned(),
            )
            .await?;
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for followed in &FOLLOWED {
            for statement in follow_statements(backend, followed) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        let backend = manager.get_database_backend();
        for followed in &FOLLOWED {
            for statement in unfollow_statements(backend, followed) {
                db.execute_unprepared(&statement).await?;
            }
        }
        manager
            .drop_table(Table::drop().table(ChangeLog::Table).to_owned())
            .await
    }
}
