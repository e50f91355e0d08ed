//! Changes to who a member is (their account, groups and sessions), to their notifications and
//! to their progress through modules go on the change log too, so that each node's cache of
//! signed-in members, unread counts and learners' progress (`domain::node_cache`) forgets what
//! another node, a job or a command changed. A session's last-seen time is not followed: it
//! changes every few minutes and decides nothing.

use sea_orm_migration::prelude::*;
use sea_orm_migration::sea_orm::ConnectionTrait;

use crate::m20261204_000013_change_log::{Followed, follow_statements, unfollow_statements};

#[derive(DeriveMigrationName)]
pub struct Migration;

const FOLLOWED: [Followed; 7] = [
    Followed {
        table: "users",
        subject: "'member:' || {row}.id",
        columns: &[
            "name",
            "email",
            "role",
            "status",
            "moderates_group",
            "organisation",
            "grants",
            "closed_at",
        ],
    },
    Followed {
        table: "user_groups",
        subject: "'member:' || {row}.user_id",
        columns: &[],
    },
    Followed {
        table: "sessions",
        subject: "'member:' || {row}.user_id",
        columns: &["user_id", "token_hash", "expires_at"],
    },
    Followed {
        table: "groups",
        subject: "'group:' || {row}.id",
        columns: &["slug"],
    },
    Followed {
        table: "notifications",
        subject: "'notifications:' || {row}.user_id",
        columns: &["user_id", "post_id", "read_at"],
    },
    Followed {
        table: "lesson_progress",
        subject: "'learner:' || {row}.user_id",
        columns: &[],
    },
    Followed {
        table: "learning_records",
        subject: "'learner:' || {row}.user_id",
        columns: &[],
    },
];

#[async_trait::async_trait]
impl MigrationTrait for Migration {
    async fn up(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for followed in &FOLLOWED {
            for statement in follow_statements(manager.get_database_backend(), followed) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }

    async fn down(&self, manager: &SchemaManager) -> Result<(), DbErr> {
        let db = manager.get_connection();
        for followed in &FOLLOWED {
            for statement in unfollow_statements(manager.get_database_backend(), followed) {
                db.execute_unprepared(&statement).await?;
            }
        }
        Ok(())
    }
}
