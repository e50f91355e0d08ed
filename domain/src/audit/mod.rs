//! The audit log of administrative actions: who did what to whom, when and from where.

mod entity;

use chrono::{DateTime, Utc};
use sea_orm::{
    ActiveModelTrait, ConnectionTrait, DatabaseConnection, EntityTrait, QueryOrder, QuerySelect,
    Set,
};

use crate::Result;
use crate::accounts::{Actor, Role};
use entity::{ActiveModel, Column, Entity};

/// Entries shown per page at `/admin/audit`.
pub const PAGE_SIZE: u64 = 50;

/// One recorded action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AuditEntry {
    /// Who acted (their name at the time, or "command line").
    pub actor_name: String,
    /// What they did, e.g. `member.approve`.
    pub action: String,
    /// What they did it to, e.g. `user:12 (a@example.org)`.
    pub target: String,
    /// Further detail (a decline reason, a role change).
    pub detail: String,
    /// Source IP address, when the action came over HTTP.
    pub source_ip: Option<String>,
    /// When.
    pub at: DateTime<Utc>,
}

/// Records an action inside the caller's transaction.
pub async fn record(
    conn: &impl ConnectionTrait,
    actor: &Actor,
    action: &str,
    target: &str,
    detail: &str,
    source_ip: Option<&str>,
) -> Result<()> {
    let (actor_id, actor_name) = match actor.member() {
        Some(member) => (Some(member.id), member.name.clone()),
        None => (None, "command line".to_owned()),
    };
    ActiveModel {
        actor_id: Set(actor_id),
        actor_name: Set(actor_name),
        action: Set(action.to_owned()),
        target: Set(target.to_owned()),
        detail: Set(detail.to_owned()),
        source_ip: Set(source_ip.map(ToOwned::to_owned)),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// Reads the audit log, newest first. Administrators only.
#[derive(Clone, Debug)]
pub struct AuditService {
    db: DatabaseConnection,
}

impl AuditService {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Page `page` (0-based) of entries, newest first.
    pub async fn entries(&self, actor: &Actor, page: u64) -> Result<Vec<AuditEntry>> {
        actor.require_role(Role::Administrator)?;
        let rows = Entity::find()
            .order_by_desc(Column::Id)
            .offset(page.saturating_mul(PAGE_SIZE))
            .limit(PAGE_SIZE)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| AuditEntry {
                actor_name: row.actor_name,
                action: row.action,
                target: row.target,
                detail: row.detail,
                source_ip: row.source_ip,
                at: row.created_at,
            })
            .collect())
    }
}
