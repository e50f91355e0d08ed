//! The change log and how a node follows it. Database triggers (migration
//! `m20261204_000013_change_log`) append a row naming each changed item (`page:3`, `topic:12`,
//! …) in the same transaction as the change; each node reads the rows after its cursor and
//! brings its own search index up to date, so a change made on one node reaches every node.
//!
//! On PostgreSQL ids are handed out when a row is inserted but become visible when its
//! transaction commits, so a later id can be seen before an earlier one. A [`ChangeCursor`]
//! therefore remembers the ids it skipped ("gaps") and asks for them again until they appear
//! or are older than [`GAP_PATIENCE`] (a rolled-back transaction leaves a gap for ever).

use std::collections::BTreeMap;

use chrono::{DateTime, Duration, Utc};
use sea_orm::entity::prelude::*;
use sea_orm::{Condition, ConnectionTrait, QueryOrder, QuerySelect};

use crate::Result;

/// One change log row.
#[derive(Clone, Debug, PartialEq, Eq, DeriveEntityModel)]
#[sea_orm(table_name = "change_log")]
pub struct Model {
    #[sea_orm(primary_key)]
    pub id: i32,
    /// What changed: `page:<id>`, `module:<id>`, `forum:<id>`, `topic:<id>`, or
    /// `<audience item kind>:<id>` when an item's restricted groups changed.
    pub subject: String,
    /// When, in seconds since the Unix epoch (set by the database).
    pub changed_at: i64,
}

#[derive(Copy, Clone, Debug, EnumIter, DeriveRelation)]
pub enum Relation {}

impl ActiveModelBehavior for ActiveModel {}

/// How long a skipped id is asked for again before it is taken to belong to a transaction that
/// rolled back. Longer than any transaction ohnet runs.
pub const GAP_PATIENCE: Duration = Duration::minutes(5);

/// Rows read in one go; a follower that is further behind reads again at once.
pub const BATCH: u64 = 1_000;

/// Change rows are kept this long; a node whose cursor is older rebuilds its index instead.
pub const KEPT_FOR: Duration = Duration::days(7);

/// Where a follower has got to: every id at or below `done_through` has been applied (or given
/// up on), and `gaps` are the ids above it not yet seen, with when they were first missed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ChangeCursor {
    done_through: i32,
    highest_seen: i32,
    gaps: BTreeMap<i32, DateTime<Utc>>,
}

impl ChangeCursor {
    /// A cursor after which everything is still to be applied.
    pub fn after(id: i32) -> Self {
        Self {
            done_through: id,
            highest_seen: id,
            gaps: BTreeMap::new(),
        }
    }

    /// The id through which everything has been applied: what to store with the index so a
    /// restart resumes from it (re-applying a few changes twice does no harm).
    pub fn done_through(&self) -> i32 {
        self.done_through
    }

    /// The highest id applied so far.
    pub fn highest_seen(&self) -> i32 {
        self.highest_seen
    }

    /// True while some id below [`ChangeCursor::highest_seen`] is still awaited.
    pub fn has_gaps(&self) -> bool {
        !self.gaps.is_empty()
    }

    /// The rows not yet applied, oldest first, at most [`BATCH`].
    pub async fn unseen(&self, conn: &impl ConnectionTrait) -> Result<Vec<Model>> {
        let mut wanted = Condition::any().add(Column::Id.gt(self.highest_seen));
        if !self.gaps.is_empty() {
            wanted = wanted.add(Column::Id.is_in(self.gaps.keys().copied()));
        }
        Ok(Entity::find()
            .filter(wanted)
            .order_by_asc(Column::Id)
            .limit(BATCH)
            .all(conn)
            .await?)
    }

    /// Records that `ids` (from [`ChangeCursor::unseen`]) have been applied as of `now`.
    pub fn applied(&mut self, ids: impl IntoIterator<Item = i32>, now: DateTime<Utc>) {
        for id in ids {
            self.gaps.remove(&id);
            if id > self.highest_seen {
                for skipped in self.highest_seen + 1..id {
                    self.gaps.insert(skipped, now);
                }
                self.highest_seen = id;
            }
        }
        self.gaps
            .retain(|_, missed_at| now - *missed_at < GAP_PATIENCE);
        self.done_through = match self.gaps.keys().next() {
            Some(first_gap) => first_gap - 1,
            None => self.highest_seen,
        };
    }
}

/// The newest change's id (0 when there is none): one cheap statement, so that a follower that
/// has applied it and awaits no gap knows there is nothing to do without taking its lock.
pub async fn newest_id(conn: &impl ConnectionTrait) -> Result<i32> {
    let newest: Option<Option<i32>> = Entity::find()
        .select_only()
        .column_as(Column::Id.max(), "newest")
        .into_tuple()
        .one(conn)
        .await?;
    Ok(newest.flatten().unwrap_or(0))
}

/// Where a follower that has just read everything should start: before the oldest change of
/// the last [`GAP_PATIENCE`] (so a transaction still open while it read is not missed), or
/// after the newest change when there is none that recent.
pub async fn cursor_for_fresh_build(
    conn: &impl ConnectionTrait,
    now: DateTime<Utc>,
) -> Result<ChangeCursor> {
    let recent = Entity::find()
        .filter(Column::ChangedAt.gte((now - GAP_PATIENCE).timestamp()))
        .order_by_asc(Column::Id)
        .one(conn)
        .await?;
    if let Some(oldest_recent) = recent {
        return Ok(ChangeCursor::after(oldest_recent.id - 1));
    }
    let newest = Entity::find()
        .order_by_desc(Column::Id)
        .one(conn)
        .await?
        .map_or(0, |row| row.id);
    Ok(ChangeCursor::after(newest))
}

/// True when the rows after `done_through` are all still kept, so a follower stopped there can
/// catch up from the log; false when some were deleted by [`forget_old_changes`].
pub async fn can_resume_after(conn: &impl ConnectionTrait, done_through: i32) -> Result<bool> {
    let oldest = Entity::find()
        .order_by_asc(Column::Id)
        .one(conn)
        .await?
        .map(|row| row.id);
    Ok(oldest.is_none_or(|oldest| oldest <= done_through + 1))
}

/// Deletes changes older than [`KEPT_FOR`], always keeping the newest row, so that a follower
/// can tell that it has fallen behind what is kept.
pub async fn forget_old_changes(conn: &impl ConnectionTrait, now: DateTime<Utc>) -> Result<u64> {
    let Some(newest) = Entity::find().order_by_desc(Column::Id).one(conn).await? else {
        return Ok(0);
    };
    Ok(Entity::delete_many()
        .filter(Column::ChangedAt.lt((now - KEPT_FOR).timestamp()))
        .filter(Column::Id.lt(newest.id))
        .exec(conn)
        .await?
        .rows_affected)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn at(seconds: i64) -> DateTime<Utc> {
        DateTime::from_timestamp(1_800_000_000 + seconds, 0).unwrap_or_default()
    }

    #[test]
    fn ids_seen_in_order_move_the_cursor_on() {
        let mut cursor = ChangeCursor::after(4);
        cursor.applied([5, 6, 7], at(0));
        assert_eq!(cursor.done_through(), 7);
        assert!(cursor.gaps.is_empty());
    }

    #[test]
    fn a_skipped_id_holds_the_cursor_until_it_appears() {
        let mut cursor = ChangeCursor::after(4);
        cursor.applied([5, 7, 8], at(0));
        assert_eq!(cursor.done_through(), 5, "6 may still commit");
        assert_eq!(cursor.gaps.keys().copied().collect::<Vec<_>>(), [6]);
        cursor.applied([6], at(1));
        assert_eq!(cursor.done_through(), 8);
    }

    #[test]
    fn a_gap_is_given_up_after_the_patience_runs_out() {
        let mut cursor = ChangeCursor::after(0);
        cursor.applied([2], at(0));
        assert_eq!(cursor.done_through(), 0);
        cursor.applied([], at(GAP_PATIENCE.num_seconds() - 1));
        assert_eq!(cursor.done_through(), 0);
        cursor.applied([], at(GAP_PATIENCE.num_seconds()));
        assert_eq!(cursor.done_through(), 2);
    }
}
