//! This node's cache of what pages ask for on every request: the member behind a session token,
//! their unread-notification count, a module's lessons and a learner's progress through it.
//! Without it those are SQL statements on every page, and on this hardware each statement
//! costs more than rendering the page.
//!
//! The cache is kept true by the change log: triggers (migrations
//! `m20261204_000013_change_log` and `m20261209_000021_node_cache_changes`) log `member:<id>`
//! whenever an account, its groups or its sessions change, `notifications:<id>` when their
//! notifications do, `learner:<id>` when their progress does, `module:<id>` when a module or its
//! lessons do, and `group:<id>`, `topic:<id>` and `forum:<id>` for what changes every unread
//! count. [`NodeCache::follow_changes`]
//! reads the log every [`FOLLOW_EVERY`] and forgets what each row names, so a change made on
//! another node, by a job or by a command reaches this node within a quarter of a second; a
//! request that may have written calls [`NodeCache::catch_up`] before it answers, so this
//! node's own writes apply before the member's next request.
//!
//! Nothing is served from the cache unless the follower caught up within [`TRUSTED_FOR`]: where
//! no follower runs (a command, a test) or the log cannot be read, every lookup goes to the
//! database. A lookup that raced a change (it began before the change was applied here) is used
//! once but not kept.

use std::collections::HashMap;
use std::sync::{Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use sea_orm::DatabaseConnection;

use std::sync::Arc;

use crate::Result;
use crate::accounts::Member;
use crate::change_log::{self, ChangeCursor};
use crate::learning::{LearnerProgress, ModuleContent};

/// How often the follower reads the change log.
pub const FOLLOW_EVERY: Duration = Duration::from_millis(250);

/// How long after the follower last caught up the cache is still trusted.
pub const TRUSTED_FOR: Duration = Duration::from_secs(5);

/// Most sessions (and unread counts, and learners' progress) kept; when full, that part of the
/// cache starts again empty.
const CAPACITY: usize = 20_000;

/// Most modules kept (a few lessons each; the site has a handful).
const MODULE_CAPACITY: usize = 256;

/// A signed-in session as the cache keeps it.
#[derive(Clone, Debug)]
pub(crate) struct CachedSession {
    /// The session's row id.
    pub session_id: i32,
    /// The member, as their requests see them.
    pub member: Member,
    /// When the session was last refreshed in the database.
    pub last_seen_at: DateTime<Utc>,
    /// When the session ends.
    pub expires_at: DateTime<Utc>,
}

/// What the cache holds, behind one lock held only for map operations.
#[derive(Debug, Default)]
struct Entries {
    /// Moves on whenever something is forgotten, so that a lookup begun before can tell.
    generation: u64,
    /// Until when lookups may be answered from here.
    trusted_until: Option<Instant>,
    /// By token hash.
    sessions: HashMap<String, CachedSession>,
    /// Unread notifications by member id.
    unread: HashMap<i32, u64>,
    /// Modules' content by slug.
    modules: HashMap<String, Arc<ModuleContent>>,
    /// Learners' progress by (member id, module id).
    progress: HashMap<(i32, i32), Arc<LearnerProgress>>,
}

impl Entries {
    fn trusted(&mut self, now: Instant) -> bool {
        let trusted = self.trusted_until.is_some_and(|until| now < until);
        if !trusted && self.len() > 0 {
            self.forget_everything();
        }
        trusted
    }

    fn len(&self) -> usize {
        self.sessions.len() + self.unread.len() + self.modules.len() + self.progress.len()
    }

    fn forget_everything(&mut self) {
        self.generation += 1;
        self.sessions.clear();
        self.unread.clear();
        self.modules.clear();
        self.progress.clear();
    }

    /// Forgets what change log subject `subject` names.
    fn forget_subject(&mut self, subject: &str) {
        let Some((kind, id)) = subject.split_once(':') else {
            return;
        };
        let id = id.parse::<i32>().ok();
        match (kind, id) {
            ("member", Some(id)) => self.forget_member(id),
            ("notifications", Some(id)) => {
                self.generation += 1;
                self.unread.remove(&id);
            }
            ("learner", Some(id)) => self.forget_learner(id),
            ("module", Some(id)) => {
                self.generation += 1;
                self.modules.retain(|_, module| module.id != id);
            }
            ("group", _) => self.forget_everything(),
            ("topic" | "forum", _) => {
                self.generation += 1;
                self.unread.clear();
            }
            _ => {}
        }
    }

    fn forget_member(&mut self, id: i32) {
        self.generation += 1;
        self.sessions.retain(|_, session| session.member.id != id);
        self.unread.remove(&id);
        self.progress.retain(|(member, _), _| *member != id);
    }

    fn forget_learner(&mut self, id: i32) {
        self.generation += 1;
        self.progress.retain(|(member, _), _| *member != id);
    }
}

/// The cache; one per node, shared by every request.
#[derive(Debug)]
pub struct NodeCache {
    entries: Mutex<Entries>,
    /// Where the follower has got to in the change log (`None` until it first catches up).
    cursor: tokio::sync::Mutex<Option<ChangeCursor>>,
}

impl Default for NodeCache {
    fn default() -> Self {
        Self::new()
    }
}

impl NodeCache {
    /// An empty cache, not trusted until the follower first catches up.
    pub fn new() -> Self {
        Self {
            entries: Mutex::new(Entries::default()),
            cursor: tokio::sync::Mutex::new(None),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        // A panic while holding the lock leaves at worst a forgotten entry: carry on.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// What a lookup about to read the database should hand back to [`NodeCache::keep_session`]
    /// or [`NodeCache::keep_unread`].
    pub(crate) fn generation(&self) -> u64 {
        self.entries().generation
    }

    /// The unexpired session with token hash `token_hash`, if kept.
    pub(crate) fn session(&self, token_hash: &str, now: DateTime<Utc>) -> Option<CachedSession> {
        let mut entries = self.entries();
        if !entries.trusted(Instant::now()) {
            return None;
        }
        entries
            .sessions
            .get(token_hash)
            .filter(|session| session.expires_at > now)
            .cloned()
    }

    /// Keeps `session`, read from the database by a lookup that began at `generation`, unless
    /// something was forgotten since.
    pub(crate) fn keep_session(&self, token_hash: &str, session: CachedSession, generation: u64) {
        let mut entries = self.entries();
        if entries.generation != generation || !entries.trusted(Instant::now()) {
            return;
        }
        if entries.sessions.len() >= CAPACITY {
            entries.sessions.clear();
        }
        entries.sessions.insert(token_hash.to_owned(), session);
    }

    /// Records that the session's last-seen time was refreshed in the database.
    pub(crate) fn session_seen(&self, token_hash: &str, at: DateTime<Utc>) {
        if let Some(session) = self.entries().sessions.get_mut(token_hash) {
            session.last_seen_at = at;
        }
    }

    /// Forgets the session with token hash `token_hash` (it has just ended here).
    pub(crate) fn forget_session(&self, token_hash: &str) {
        let mut entries = self.entries();
        entries.generation += 1;
        entries.sessions.remove(token_hash);
    }

    /// Member `id`'s unread-notification count, if kept.
    pub(crate) fn unread(&self, id: i32) -> Option<u64> {
        let mut entries = self.entries();
        if !entries.trusted(Instant::now()) {
            return None;
        }
        entries.unread.get(&id).copied()
    }

    /// Keeps member `id`'s unread count, read by a lookup that began at `generation`, unless
    /// something was forgotten since.
    pub(crate) fn keep_unread(&self, id: i32, count: u64, generation: u64) {
        let mut entries = self.entries();
        if entries.generation != generation || !entries.trusted(Instant::now()) {
            return;
        }
        if entries.unread.len() >= CAPACITY {
            entries.unread.clear();
        }
        entries.unread.insert(id, count);
    }

    /// Forgets member `id`'s unread count (their notifications have just changed here).
    pub(crate) fn forget_unread(&self, id: i32) {
        let mut entries = self.entries();
        entries.generation += 1;
        entries.unread.remove(&id);
    }

    /// Module `slug`'s content, if kept.
    pub(crate) fn module(&self, slug: &str) -> Option<Arc<ModuleContent>> {
        let mut entries = self.entries();
        if !entries.trusted(Instant::now()) {
            return None;
        }
        entries.modules.get(slug).cloned()
    }

    /// Keeps a module's content, read by a lookup that began at `generation`, unless something
    /// was forgotten since.
    pub(crate) fn keep_module(&self, content: Arc<ModuleContent>, generation: u64) {
        let mut entries = self.entries();
        if entries.generation != generation || !entries.trusted(Instant::now()) {
            return;
        }
        if entries.modules.len() >= MODULE_CAPACITY {
            entries.modules.clear();
        }
        entries.modules.insert(content.slug.clone(), content);
    }

    /// Member `id`'s progress through module `module_id`, if kept.
    pub(crate) fn progress(&self, id: i32, module_id: i32) -> Option<Arc<LearnerProgress>> {
        let mut entries = self.entries();
        if !entries.trusted(Instant::now()) {
            return None;
        }
        entries.progress.get(&(id, module_id)).cloned()
    }

    /// Keeps member `id`'s progress through module `module_id`, read by a lookup that began at
    /// `generation`, unless something was forgotten since.
    pub(crate) fn keep_progress(
        &self,
        id: i32,
        module_id: i32,
        progress: Arc<LearnerProgress>,
        generation: u64,
    ) {
        let mut entries = self.entries();
        if entries.generation != generation || !entries.trusted(Instant::now()) {
            return;
        }
        if entries.progress.len() >= CAPACITY {
            entries.progress.clear();
        }
        entries.progress.insert((id, module_id), progress);
    }

    /// Forgets member `id`'s progress (it has just changed here).
    pub(crate) fn forget_learner(&self, id: i32) {
        self.entries().forget_learner(id);
    }

    /// Entries kept now (sessions, unread counts, modules and learners' progress).
    pub fn len(&self) -> usize {
        self.entries().len()
    }

    /// True when nothing is kept.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What the follower does every [`FOLLOW_EVERY`]: [`NodeCache::catch_up`], then trust the
    /// cache for [`TRUSTED_FOR`] more.
    pub async fn catch_up_and_trust(&self, db: &DatabaseConnection) -> Result<usize> {
        let read = self.catch_up(db).await?;
        self.entries().trusted_until = Some(Instant::now() + TRUSTED_FOR);
        Ok(read)
    }

    /// Forgets what every change logged since the last call names. Answers how many change
    /// rows were read.
    pub async fn catch_up(&self, db: &DatabaseConnection) -> Result<usize> {
        let newest = change_log::newest_id(db).await?;
        let mut follower = self.cursor.lock().await;
        let Some(cursor) = follower.as_mut() else {
            // Nothing is kept yet; start after the newest change. A lookup that began before
            // this cannot be kept (the generation moves), so none can hold what came before.
            *follower = Some(ChangeCursor::after(newest));
            self.entries().forget_everything();
            return Ok(0);
        };
        let mut read = 0;
        if newest > cursor.highest_seen() || cursor.has_gaps() {
            loop {
                let rows = cursor.unseen(db).await?;
                {
                    let mut entries = self.entries();
                    for row in &rows {
                        entries.forget_subject(&row.subject);
                    }
                }
                cursor.applied(rows.iter().map(|row| row.id), Utc::now());
                read += rows.len();
                if rows.len() < change_log::BATCH as usize {
                    break;
                }
            }
        }
        Ok(read)
    }

    /// Catches up every [`FOLLOW_EVERY`] until `shutdown` changes.
    pub async fn follow_changes(
        &self,
        db: &DatabaseConnection,
        mut shutdown: tokio::sync::watch::Receiver<bool>,
    ) {
        let mut tick = tokio::time::interval(FOLLOW_EVERY);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        loop {
            tokio::select! {
                _ = tick.tick() => {
                    if let Err(err) = self.catch_up_and_trust(db).await {
                        tracing::warn!(%err, "the node cache could not catch up; reading the database");
                    }
                }
                _ = shutdown.changed() => break,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::accounts::{MemberStatus, Role};

    fn session(member_id: i32) -> CachedSession {
        CachedSession {
            session_id: member_id * 10,
            member: Member {
                id: member_id,
                name: "A Member".to_owned(),
                email: "member@force.test".to_owned(),
                role: Role::Member,
                status: MemberStatus::Active,
                groups: Vec::new(),
                moderates: None,
                organisation: None,
                grants: Vec::new(),
            },
            last_seen_at: Utc::now(),
            expires_at: Utc::now() + chrono::Duration::days(1),
        }
    }

    fn trusted() -> NodeCache {
        let cache = NodeCache::new();
        cache.entries().trusted_until = Some(Instant::now() + TRUSTED_FOR);
        cache
    }

    #[test]
    fn nothing_is_kept_or_served_until_the_follower_has_caught_up() {
        let cache = NodeCache::new();
        cache.keep_session("a", session(1), cache.generation());
        cache.keep_unread(1, 3, cache.generation());
        assert!(cache.is_empty());
        cache.entries().trusted_until = Some(Instant::now() + TRUSTED_FOR);
        cache.keep_session("a", session(1), cache.generation());
        assert_eq!(cache.session("a", Utc::now()).map(|s| s.member.id), Some(1));
    }

    #[test]
    fn a_cache_the_follower_stopped_catching_up_forgets_everything() {
        let cache = trusted();
        cache.keep_session("a", session(1), cache.generation());
        cache.keep_unread(1, 3, cache.generation());
        assert_eq!(cache.len(), 2);
        cache.entries().trusted_until = Some(Instant::now() - Duration::from_millis(1));
        assert!(cache.session("a", Utc::now()).is_none());
        assert!(cache.unread(1).is_none());
        assert!(cache.is_empty());
    }

    #[test]
    fn a_lookup_that_raced_a_change_is_not_kept() {
        let cache = trusted();
        let before = cache.generation();
        cache.entries().forget_subject("member:7");
        cache.keep_session("a", session(1), before);
        cache.keep_unread(1, 3, before);
        assert!(cache.is_empty());
    }

    fn module(id: i32) -> Arc<ModuleContent> {
        Arc::new(ModuleContent {
            id,
            slug: format!("module-{id}"),
            title: "A module".to_owned(),
            lessons: Vec::new(),
        })
    }

    /// Member ids with a session, with an unread count, module ids kept, and member ids with
    /// progress kept.
    type Kept = (Vec<i32>, Vec<i32>, Vec<i32>, Vec<i32>);

    #[test]
    fn each_subject_forgets_what_it_names() {
        let cache = trusted();
        let keep_all = |cache: &NodeCache| {
            for id in [1, 2] {
                cache.keep_session(&format!("token-{id}"), session(id), cache.generation());
                cache.keep_unread(id, 3, cache.generation());
                cache.keep_module(module(id + 4), cache.generation());
                let progress = Arc::new(LearnerProgress::default());
                cache.keep_progress(id, 5, progress, cache.generation());
            }
        };
        let kept = |cache: &NodeCache| -> Kept {
            let entries = cache.entries();
            let sorted = |mut ids: Vec<i32>| {
                ids.sort_unstable();
                ids
            };
            (
                sorted(entries.sessions.values().map(|s| s.member.id).collect()),
                sorted(entries.unread.keys().copied().collect()),
                sorted(entries.modules.values().map(|m| m.id).collect()),
                sorted(entries.progress.keys().map(|(member, _)| *member).collect()),
            )
        };
        let all = || vec![1, 2];
        let modules = || vec![5, 6];
        for (subject, expected) in [
            ("member:1", (vec![2], vec![2], modules(), vec![2])),
            ("notifications:2", (all(), vec![1], modules(), all())),
            ("learner:2", (all(), all(), modules(), vec![1])),
            ("module:5", (all(), all(), vec![6], all())),
            ("topic:9", (all(), vec![], modules(), all())),
            ("forum:3", (all(), vec![], modules(), all())),
            ("group:4", (vec![], vec![], vec![], vec![])),
            ("page:1", (all(), all(), modules(), all())),
            ("member:x", (all(), all(), modules(), all())),
        ] {
            cache.entries().forget_everything();
            keep_all(&cache);
            cache.entries().forget_subject(subject);
            assert_eq!(kept(&cache), expected, "{subject}");
        }
    }

    #[test]
    fn an_expired_session_is_not_served() {
        let cache = trusted();
        let mut ended = session(1);
        ended.expires_at = Utc::now() - chrono::Duration::seconds(1);
        cache.keep_session("a", ended, cache.generation());
        assert!(cache.session("a", Utc::now()).is_none());
    }
}
