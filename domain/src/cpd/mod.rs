//! Continuing professional development records. This is the minimal entry model that
//! completing an eLearning module writes to (self-directed, individual learning: under NMC
//! revalidation rules solo e-learning is not participatory); the CPD area extends it with
//! members' own entries, reflections, evidence and progress against their regulator.

mod entity;

use chrono::{DateTime, NaiveDate, Utc};
use sea_orm::{
    ActiveModelTrait, ColumnTrait, DatabaseConnection, EntityTrait, QueryFilter, QueryOrder, Set,
};

use crate::Result;
use crate::accounts::Actor;

/// The kind recorded for completed eLearning.
pub const SELF_DIRECTED: &str = "self-directed-learning";

/// A CPD entry to record.
#[derive(Clone, Debug)]
pub struct NewEntry {
    /// Whose record.
    pub user_id: i32,
    /// What was done.
    pub title: String,
    /// Kind of activity (e.g. [`SELF_DIRECTED`]).
    pub kind: &'static str,
    /// Learning with other people (NMC "participatory").
    pub participatory: bool,
    /// Time spent, in minutes.
    pub minutes: i32,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// A first reflection (the member can add their own).
    pub reflection: String,
    /// Where an automatic entry came from; at most one entry per member per source.
    pub source: Option<String>,
}

/// A CPD entry as the member sees it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Entry {
    /// What was done.
    pub title: String,
    /// Kind of activity.
    pub kind: String,
    /// Participatory learning.
    pub participatory: bool,
    /// Minutes.
    pub minutes: i32,
    /// When it happened.
    pub occurred_on: NaiveDate,
    /// Reflection.
    pub reflection: String,
    /// Recorded automatically (from a module), not typed by the member.
    pub automatic: bool,
    /// When recorded.
    pub created_at: DateTime<Utc>,
}

/// Records `entry` unless the member already has one from the same source; part of the
/// caller's transaction, so the entry and what caused it are written together or not at all.
pub(crate) async fn record_once(
    conn: &impl sea_orm::ConnectionTrait,
    entry: NewEntry,
) -> Result<()> {
    if let Some(source) = &entry.source {
        let existing = entity::Entity::find()
            .filter(entity::Column::UserId.eq(entry.user_id))
            .filter(entity::Column::Source.eq(source))
            .one(conn)
            .await?;
        if existing.is_some() {
            return Ok(());
        }
    }
    entity::ActiveModel {
        user_id: Set(entry.user_id),
        title: Set(entry.title),
        kind: Set(entry.kind.to_owned()),
        participatory: Set(entry.participatory),
        minutes: Set(entry.minutes),
        occurred_on: Set(entry.occurred_on),
        reflection: Set(entry.reflection),
        source: Set(entry.source),
        created_at: Set(Utc::now()),
        ..Default::default()
    }
    .insert(conn)
    .await?;
    Ok(())
}

/// The CPD record.
#[derive(Clone, Debug)]
pub struct CpdService {
    db: DatabaseConnection,
}

impl CpdService {
    pub(crate) fn new(db: DatabaseConnection) -> Self {
        Self { db }
    }

    /// Every entry of the member's record, oldest first, for "download my data".
    pub(crate) async fn member_data(&self, member_id: i32) -> Result<serde_json::Value> {
        let rows = entity::Entity::find()
            .filter(entity::Column::UserId.eq(member_id))
            .order_by_asc(entity::Column::OccurredOn)
            .order_by_asc(entity::Column::Id)
            .all(&self.db)
            .await?;
        Ok(serde_json::Value::Array(
            rows.into_iter()
                .map(|row| {
                    serde_json::json!({
                        "title": row.title,
                        "kind": row.kind,
                        "participatory": row.participatory,
                        "minutes": row.minutes,
                        "date": row.occurred_on,
                        "reflection": row.reflection,
                        "recorded_automatically_from": row.source,
                        "recorded_at": row.created_at,
                    })
                })
                .collect(),
        ))
    }

    /// The signed-in member's entries, most recent first. Approved members only.
    pub async fn entries(&self, actor: &Actor) -> Result<Vec<Entry>> {
        let member = actor.require_active()?;
        let rows = entity::Entity::find()
            .filter(entity::Column::UserId.eq(member.id))
            .order_by_desc(entity::Column::OccurredOn)
            .order_by_desc(entity::Column::Id)
            .all(&self.db)
            .await?;
        Ok(rows
            .into_iter()
            .map(|row| Entry {
                automatic: row.source.is_some(),
                title: row.title,
                kind: row.kind,
                participatory: row.participatory,
                minutes: row.minutes,
                occurred_on: row.occurred_on,
                reflection: row.reflection,
                created_at: row.created_at,
            })
            .collect())
    }
}
