//! `bench-tools generate`: fills an ohnet database, SQLite or PostgreSQL alike, with the
//! generated data set `./x bench` measures the serving path on: members with sessions, group
//! memberships and learning records, forum topics and posts (one 50-post topic among them), and CPD records,
//! the administrator's with a full revalidation record.
//!
//! Run it against a database that ohnet has migrated and imported the seed content into, with
//! the node stopped: `OHNET_DATABASE_URL` names the database and `OHNET_BENCH_ADMIN_EMAIL` the
//! administrator made by `ohnet create-admin`. Sizes come from `OHNET_BENCH_MEMBERS` (default
//! 10,000), `OHNET_BENCH_POSTS` (50,000) and `OHNET_BENCH_CPD_ENTRIES` (100,000); the text is
//! drawn reproducibly (`OHNET_BENCH_SEED`) from the vocabulary of the seed content under
//! `OHNET_CONTENT_DIR`. Every statement is written once for both backends. Prints the id of the
//! 50-post topic.

use std::path::PathBuf;
use std::time::Instant;

use bench::{Failure, Random, quoted, setting, vocabulary};
use chrono::{Duration, Utc};
use domain::markdown::{self, Audience as Allowed};
use sea_orm::{ConnectionTrait, DatabaseTransaction, DbBackend, Statement, TransactionTrait};

/// Rows per INSERT statement.
const BATCH: usize = 500;
/// Posts in each generated topic, apart from the 50-post one.
const POSTS_PER_TOPIC: usize = 25;
/// Posts in the topic the serving bench reads.
const BENCH_TOPIC_POSTS: usize = 50;
/// CPD entries in the administrator's record (the CPD pages' bench rows read it).
const ADMIN_CPD_ENTRIES: usize = 200;

/// What every generated row shares: the moment it was made, as ohnet stores timestamps and
/// days on both backends.
struct Clock {
    now: String,
    today: chrono::NaiveDate,
}

impl Clock {
    /// The day `offset` days from today (negative: in the past), as an SQL literal.
    fn day(&self, offset: i64) -> String {
        (self.today + Duration::days(offset))
            .format("'%Y-%m-%d'")
            .to_string()
    }
}

/// Generates the data set and prints the 50-post topic's id.
pub async fn run() -> Result<(), Failure> {
    let url = std::env::var("OHNET_DATABASE_URL").map_err(|_| "set OHNET_DATABASE_URL")?;
    let admin_email =
        std::env::var("OHNET_BENCH_ADMIN_EMAIL").map_err(|_| "set OHNET_BENCH_ADMIN_EMAIL")?;
    let members = (setting("OHNET_BENCH_MEMBERS", 10_000)? as usize).max(1);
    let posts = (setting("OHNET_BENCH_POSTS", 50_000)? as usize).max(BENCH_TOPIC_POSTS);
    let entries = (setting("OHNET_BENCH_CPD_ENTRIES", 100_000)? as usize).max(ADMIN_CPD_ENTRIES);
    let seed = setting("OHNET_BENCH_SEED", 2026)?;
    let content = PathBuf::from(std::env::var("OHNET_CONTENT_DIR").unwrap_or("content".into()));
    let words = vocabulary(&content)?;
    let mut random = Random(seed.max(1));
    let db = domain::db::connect(&url).await?;
    let clock = Clock {
        now: format!("'{}'", Utc::now().format("%Y-%m-%dT%H:%M:%S%.6f+00:00")),
        today: Utc::now().date_naive(),
    };
    let admin: i32 = one_number(
        &db,
        &format!(
            "SELECT id FROM users WHERE email = {}",
            quoted(&admin_email)
        ),
    )
    .await?
    .ok_or_else(|| format!("no member {admin_email}: run `ohnet create-admin` first"))?;
    let started = Instant::now();
    let txn = db.begin().await?;
    let member_ids = generate_members(&txn, &clock, &mut random, members, admin).await?;
    let topic = generate_forums(&txn, &clock, &words, &mut random, &member_ids, posts).await?;
    generate_cpd(&txn, &clock, &mut random, &member_ids, entries, admin).await?;
    txn.commit().await?;
    if db.get_database_backend() == DbBackend::Postgres {
        // What autovacuum would do within a minute of a bulk load on a real server.
        db.execute_unprepared("ANALYZE").await?;
    }
    eprintln!(
        "bench-tools generate: {members} members, {posts} posts and {entries} CPD entries in {:.1} s \
         (seed {seed})",
        started.elapsed().as_secs_f64()
    );
    println!("{topic}");
    Ok(())
}

async fn one_number(db: &impl ConnectionTrait, sql: &str) -> Result<Option<i32>, Failure> {
    let row = db
        .query_one_raw(Statement::from_string(
            db.get_database_backend(),
            sql.to_owned(),
        ))
        .await?;
    Ok(match row {
        Some(row) => Some(row.try_get_by_index(0)?),
        None => None,
    })
}

/// Runs `INSERT INTO {into} VALUES …` for `rows`, `BATCH` at a time.
async fn insert_rows(
    txn: &DatabaseTransaction,
    into: &str,
    rows: &[String],
) -> Result<(), Failure> {
    for batch in rows.chunks(BATCH) {
        txn.execute_unprepared(&format!("INSERT INTO {into} VALUES {}", batch.join(", ")))
            .await?;
    }
    Ok(())
}

/// Members across 43 forces, each with two sessions, a third of the open groups, and learning
/// records in half the modules with their first three lessons done; the administrator joins
/// every open group. Returns the new members' ids.
async fn generate_members(
    txn: &DatabaseTransaction,
    clock: &Clock,
    random: &mut Random,
    members: usize,
    admin: i32,
) -> Result<Vec<i32>, Failure> {
    let now = &clock.now;
    let rows: Vec<String> = (1..=members)
        .map(|i| {
            format!(
                "('member{i}@force{force}.police.uk', 'Member {i}', 'member.{i}', '!', \
                 'oh-nurse', 'force-{force}', 'nmc', 'NMC{i}', 'active', 'member', {now}, {now}, \
                 {now})",
                force = i % 43
            )
        })
        .collect();
    insert_rows(
        txn,
        "users (email, name, handle, password_hash, profession, organisation, regulator, \
         registration_number, status, role, created_at, verified_at, decided_at)",
        &rows,
    )
    .await?;
    let ids: Vec<i32> = txn
        .query_all_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT id FROM users WHERE password_hash = '!' ORDER BY id",
        ))
        .await?
        .iter()
        .map(|row| row.try_get_by_index(0))
        .collect::<Result<_, _>>()?;
    let sessions: Vec<String> = ids
        .iter()
        .flat_map(|id| [*id, *id])
        .map(|id| {
            let token: String = (0..4)
                .map(|_| format!("{:016x}", random.number()))
                .collect();
            format!(
                "('{token}', {id}, {now}, {now}, {expires}, 'bench')",
                expires = clock.day(30)
            )
        })
        .collect();
    insert_rows(
        txn,
        "sessions (token_hash, user_id, created_at, last_seen_at, expires_at, user_agent)",
        &sessions,
    )
    .await?;
    for sql in [
        format!(
            "INSERT INTO user_groups (user_id, group_id, status, created_at) \
             SELECT users.id, groups.id, 'member', {now} FROM users JOIN groups \
             ON groups.private = false AND (users.id + groups.id) % 3 = 0 \
             WHERE users.password_hash = '!'"
        ),
        format!(
            "INSERT INTO user_groups (user_id, group_id, status, created_at) \
             SELECT {admin}, groups.id, 'member', {now} FROM groups WHERE groups.private = false \
             AND NOT EXISTS (SELECT 1 FROM user_groups \
                             WHERE user_id = {admin} AND group_id = groups.id)"
        ),
        format!(
            "INSERT INTO learning_records (user_id, module_id, started_at, last_lesson) \
             SELECT users.id, modules.id, {now}, NULL FROM users JOIN modules \
             ON (users.id + modules.id) % 2 = 0 WHERE users.password_hash = '!'"
        ),
        format!(
            "INSERT INTO lesson_progress (user_id, lesson_id, content_hash, completed_at) \
             SELECT learning_records.user_id, lessons.id, lessons.content_hash, {now} \
             FROM learning_records JOIN module_lessons AS lessons \
             ON lessons.module_id = learning_records.module_id WHERE lessons.position <= 3"
        ),
    ] {
        txn.execute_unprepared(&sql).await?;
    }
    Ok(ids)
}

/// The 50-post topic in the general forum, then the rest of `posts` in topics spread over
/// every forum, written by the generated members; the forums' counts are brought up to date.
/// Returns the 50-post topic's id.
async fn generate_forums(
    txn: &DatabaseTransaction,
    clock: &Clock,
    words: &[String],
    random: &mut Random,
    members: &[i32],
    posts: usize,
) -> Result<i32, Failure> {
    let now = &clock.now;
    let forums: Vec<(i32, String)> = txn
        .query_all_raw(Statement::from_string(
            txn.get_database_backend(),
            "SELECT id, slug FROM forums ORDER BY id",
        ))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "id")?, row.try_get("", "slug")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    let general = forums
        .iter()
        .find(|(_, slug)| slug == "general")
        .map(|(id, _)| *id)
        .ok_or("the seed content has no general forum")?;
    let author = |n: usize| members[n % members.len()];
    let mut topics = vec![(general, "Bench thread".to_owned(), BENCH_TOPIC_POSTS)];
    let mut left = posts - BENCH_TOPIC_POSTS;
    while left > 0 {
        let count = left.min(POSTS_PER_TOPIC);
        let (forum, _) = &forums[topics.len() % forums.len()];
        let length = 5 + random.below(5);
        let title = random.sentence(words, length);
        topics.push((*forum, title.trim_end_matches('.').to_owned(), count));
        left -= count;
    }
    let mut bench_topic = None;
    let mut rows = Vec::with_capacity(BATCH);
    for (n, (forum, title, count)) in topics.iter().enumerate() {
        let topic = one_number(
            txn,
            &format!(
                "INSERT INTO forum_topics (forum_id, title, tags, author_id, pinned, locked, \
                 post_count, last_post_at, last_post_number, created_at) VALUES ({forum}, {}, \
                 'bench', {}, false, false, {count}, {now}, {count}, {now}) RETURNING id",
                quoted(title),
                author(n)
            ),
        )
        .await?
        .ok_or("inserting a topic returned no id")?;
        bench_topic.get_or_insert(topic);
        for number in 1..=*count {
            let body = if n == 0 {
                format!(
                    "Post {number}: a paragraph of **practice** from another force, long enough \
                     to be typical of a reply in a real discussion about night work and fitness \
                     for duty."
                )
            } else {
                let length = 40 + random.below(60);
                random.paragraphs(words, length)
            };
            let html = markdown::render(&body, Allowed::Member).html;
            rows.push(format!(
                "({topic}, {number}, {}, {}, {}, {now})",
                author(n + number),
                quoted(&body),
                quoted(&html)
            ));
        }
        if rows.len() >= BATCH {
            insert_rows(
                txn,
                "forum_posts (topic_id, number, author_id, body_markdown, body_html, created_at)",
                &std::mem::take(&mut rows),
            )
            .await?;
        }
    }
    insert_rows(
        txn,
        "forum_posts (topic_id, number, author_id, body_markdown, body_html, created_at)",
        &rows,
    )
    .await?;
    txn.execute_unprepared(
        "UPDATE forums SET \
         topic_count = (SELECT count(*) FROM forum_topics WHERE forum_id = forums.id), \
         post_count = (SELECT coalesce(sum(post_count), 0) FROM forum_topics \
                       WHERE forum_id = forums.id), \
         last_post_at = (SELECT max(last_post_at) FROM forum_topics WHERE forum_id = forums.id)",
    )
    .await?;
    bench_topic.ok_or_else(|| "no topic was generated".into())
}

/// The administrator's CPD record (200 entries, practice hours, feedback and reflections, a
/// cycle ending in 100 days), then the rest of `entries` spread over the generated members.
async fn generate_cpd(
    txn: &DatabaseTransaction,
    clock: &Clock,
    random: &mut Random,
    members: &[i32],
    entries: usize,
    admin: i32,
) -> Result<(), Failure> {
    let now = &clock.now;
    txn.execute_unprepared(&format!(
        "UPDATE users SET regulator = 'nmc', cpd_cycle_ends_on = {} WHERE id = {admin}",
        clock.day(100)
    ))
    .await?;
    let kinds = [
        "reading",
        "workshop",
        "supervision",
        "e-learning",
        "conference",
    ];
    let rows: Vec<String> = (1..=entries)
        .map(|i| {
            let (user, days_ago) = if i <= ADMIN_CPD_ENTRIES {
                (admin, i as i64 * 5)
            } else {
                (members[i % members.len()], random.below(1_000) as i64)
            };
            format!(
                "({user}, 'Bench activity {i}', '{}', {}, 90, {}, \
                 'What activity {i} taught me.', \
                 'It went **well**, and next time I will ask first.', '', NULL, {now})",
                kinds[i % kinds.len()],
                i % 2 == 0,
                clock.day(-days_ago)
            )
        })
        .collect();
    insert_rows(
        txn,
        "cpd_entries (user_id, title, kind, participatory, minutes, occurred_on, learning, \
         reflection, practice_change, source, created_at)",
        &rows,
    )
    .await?;
    let hours: Vec<String> = (1..=12)
        .map(|i| {
            format!(
                "({admin}, {}, {}, 'Force OH', 'occupational-health', 'direct-care', 14400, '', \
                 {now})",
                clock.day(-i * 90),
                clock.day(89 - i * 90)
            )
        })
        .collect();
    insert_rows(
        txn,
        "cpd_practice_hours (user_id, started_on, ended_on, organisation, setting, scope, \
         minutes, description, created_at)",
        &hours,
    )
    .await?;
    let feedback: Vec<String> = (1..=8)
        .map(|i| {
            format!(
                "({admin}, {}, 'manager', 'Clear and timely advice.', '', {now})",
                clock.day(-i * 60)
            )
        })
        .collect();
    insert_rows(
        txn,
        "cpd_feedback (user_id, received_on, source, summary, practice_change, created_at)",
        &feedback,
    )
    .await?;
    let reflections: Vec<String> = (1..=8)
        .map(|i| {
            format!(
                "({admin}, {}, 'A case conference.', 'Ask first.', 'Plans drafted together.', \
                 'prioritise-people,preserve-safety', {now})",
                clock.day(-i * 70)
            )
        })
        .collect();
    insert_rows(
        txn,
        "cpd_reflections (user_id, written_on, experience, learning, practice_change, \
         code_themes, created_at)",
        &reflections,
    )
    .await
}
