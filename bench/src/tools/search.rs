//! `bench-tools search`: ohnet's search (tantivy, through the domain's own rebuild and query path,
//! visibility filter, facet counts and snippets included) beside SQLite FTS5 ranked by bm25,
//! over one generated corpus and one fixed query mix. `./x bench` runs it after the serving
//! rows and prints its table.
//!
//! The corpus is reproducible from a seed: words are drawn, most frequent first, from the
//! vocabulary of the seed content under `content/`, so the text reads like the network's own
//! (without meaning anything). Sizes come from `OHNET_BENCH_DOCUMENTS` (default 10,000
//! library documents) and `OHNET_BENCH_POSTS` (default 100,000 forum posts); the seed from
//! `OHNET_BENCH_SEED`.

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use bench::{Failure, Random, quoted, setting, vocabulary};
use domain::accounts::{Actor, Member, MemberStatus, Role};
use domain::search::{SearchOrder, SearchRequest};
use domain::{DomainSettings, Services};
use sea_orm::{ConnectionTrait, DatabaseConnection, DbBackend, Statement, TransactionTrait};

/// Topics hold this many posts each.
const POSTS_PER_TOPIC: usize = 20;
/// Rows per INSERT statement while generating.
const BATCH: usize = 250;
/// Times the whole query mix is run and timed (after one untimed run).
const ROUNDS: usize = 10;

/// One item of the corpus as both engines index it.
struct Item {
    title: String,
    body: String,
    audience: &'static str,
}

/// Inserts the generated documents and posts into ohnet's tables, returning every item for
/// the FTS5 side.
async fn generate(
    db: &DatabaseConnection,
    words: &[String],
    random: &mut Random,
    documents: usize,
    posts: usize,
    author: i32,
) -> Result<Vec<Item>, Failure> {
    let now = "2026-12-04T09:00:00+00:00";
    let mut items = Vec::with_capacity(documents + posts);
    let kinds = [
        "standard",
        "clinical-guidance",
        "good-practice",
        "policy-template",
        "briefing",
    ];
    for start in (0..documents).step_by(BATCH) {
        let mut rows = Vec::new();
        let mut groups = Vec::new();
        for n in start..(start + BATCH).min(documents) {
            let length = 4 + random.below(5);
            let title = random.sentence(words, length);
            let title = title.trim_end_matches('.').to_owned();
            let summary = random.sentence(words, 15);
            let length = 250 + random.below(150);
            let body = random.paragraphs(words, length);
            let audience = match random.below(20) {
                0 => "public",
                1 => "groups",
                _ => "members",
            };
            let slug = format!("bench-document-{n}");
            rows.push(format!(
                "({}, {}, {}, {}, '[\"bench\"]', '{audience}', 'Bench', '2026-01-05', \
                 '2099-01-05', 1, {}, '', '[]', 'library/{slug}.md', '', '{now}', 'published')",
                quoted(&slug),
                quoted(&title),
                quoted(kinds[n % kinds.len()]),
                quoted(&summary),
                quoted(&body),
            ));
            if audience == "groups" {
                groups.push(slug);
            }
            items.push(Item {
                title,
                body: format!("{summary} {body}"),
                audience,
            });
        }
        db.execute_unprepared(&format!(
            "INSERT INTO library_documents (slug, title, kind, summary, tags, audience, owner, \
             published_on, review_by, version, body_markdown, body_html, headings, \
             source_path, content_hash, updated_at, status) VALUES {}",
            rows.join(", ")
        ))
        .await?;
        for slug in groups {
            db.execute_unprepared(&format!(
                "INSERT INTO audience_groups (item_kind, item_id, group_slug) SELECT 'library', \
                 id, 'cmo' FROM library_documents WHERE slug = {}",
                quoted(&slug)
            ))
            .await?;
        }
    }
    let forums: Vec<(i32, String)> = db
        .query_all_raw(Statement::from_string(
            DbBackend::Sqlite,
            "SELECT id, slug FROM forums ORDER BY id",
        ))
        .await?
        .iter()
        .map(|row| Ok((row.try_get("", "id")?, row.try_get("", "slug")?)))
        .collect::<Result<_, sea_orm::DbErr>>()?;
    if forums.is_empty() {
        return Err("the seed content has no forums".into());
    }
    let topics = posts.div_ceil(POSTS_PER_TOPIC);
    for topic in 0..topics {
        let (forum_id, forum_slug) = &forums[topic % forums.len()];
        let audience = if forum_slug == "cmo" {
            "groups"
        } else {
            "members"
        };
        let length = 5 + random.below(5);
        let title = random.sentence(words, length);
        let title = title.trim_end_matches('.').to_owned();
        let count = POSTS_PER_TOPIC.min(posts - topic * POSTS_PER_TOPIC);
        db.execute_unprepared(&format!(
            "INSERT INTO forum_topics (forum_id, title, tags, author_id, pinned, locked, \
             post_count, last_post_at, last_post_number, created_at) VALUES ({forum_id}, {}, \
             'bench', {author}, 0, 0, {count}, '{now}', {count}, '{now}')",
            quoted(&title)
        ))
        .await?;
        let mut rows = Vec::with_capacity(count);
        for number in 1..=count {
            let length = 40 + random.below(60);
            let body = random.paragraphs(words, length);
            rows.push(format!(
                "((SELECT max(id) FROM forum_topics), {number}, {author}, {}, '', '{now}')",
                quoted(&body)
            ));
            items.push(Item {
                title: title.clone(),
                body,
                audience,
            });
        }
        db.execute_unprepared(&format!(
            "INSERT INTO forum_posts (topic_id, number, author_id, body_markdown, body_html, \
             created_at) VALUES {}",
            rows.join(", ")
        ))
        .await?;
    }
    Ok(items)
}

/// The fixed query mix: (class, text as typed), drawn from the corpus's own words.
fn query_mix(words: &[String], random: &mut Random) -> Vec<(&'static str, String)> {
    let middle = &words[50..words.len().min(1500)];
    let mut mix = Vec::new();
    for _ in 0..20 {
        mix.push(("one word", middle[random.below(middle.len())].clone()));
    }
    for _ in 0..15 {
        let (a, b) = (random.word(middle), random.word(middle));
        mix.push(("two words", format!("{a} {b}")));
    }
    for _ in 0..10 {
        let (a, b) = (random.word(&words[..200]), random.word(&words[..200]));
        mix.push(("phrase", format!("\"{a} {b}\"")));
    }
    let long: Vec<&String> = middle.iter().filter(|word| word.len() >= 7).collect();
    for _ in 0..5 {
        let word = long[random.below(long.len())];
        let mut letters: Vec<char> = word.chars().collect();
        let at = 1 + random.below(letters.len() - 2);
        letters.swap(at, at + 1);
        mix.push(("misspelt", letters.into_iter().collect()));
    }
    mix
}

/// The FTS5 query for what was typed: each word quoted (all must match), a phrase as is.
fn fts_query(text: &str) -> String {
    if text.starts_with('"') {
        text.to_owned()
    } else {
        text.split_whitespace()
            .map(|word| format!("\"{word}\""))
            .collect::<Vec<_>>()
            .join(" ")
    }
}

fn folder_size(path: &Path) -> u64 {
    let Ok(entries) = std::fs::read_dir(path) else {
        return std::fs::metadata(path).map(|meta| meta.len()).unwrap_or(0);
    };
    entries
        .flatten()
        .map(|entry| folder_size(&entry.path()))
        .sum()
}

fn percentile(sorted: &[Duration], fraction: f64) -> Duration {
    let index = ((sorted.len() as f64 * fraction).ceil() as usize).saturating_sub(1);
    sorted.get(index).copied().unwrap_or_default()
}

fn millis(duration: Duration) -> String {
    format!("{:.2} ms", duration.as_secs_f64() * 1000.0)
}

struct Measured {
    index_time: Duration,
    index_bytes: u64,
    /// Each query's time with its class.
    latencies: Vec<(&'static str, Duration)>,
    misspelt_found: usize,
}

async fn measure_tantivy(
    services: &Services,
    mix: &[(&'static str, String)],
    index_dir: &Path,
) -> Result<Measured, Failure> {
    let started = Instant::now();
    services.search.rebuild(&mut |_| {}).await?;
    let index_time = started.elapsed();
    let reader = Actor::Member(Member {
        id: 1,
        name: "Bench reader".into(),
        email: "reader@bench.test".into(),
        role: Role::Member,
        status: MemberStatus::Active,
        groups: Vec::new(),
        moderates: None,
        organisation: None,
        grants: Vec::new(),
    });
    let mut latencies = Vec::new();
    let mut misspelt_found = 0;
    for round in 0..=ROUNDS {
        for (class, text) in mix {
            let request = SearchRequest {
                text: text.clone(),
                kind: None,
                order: SearchOrder::Relevance,
                page: 1,
            };
            let started = Instant::now();
            let results = services.search.search(&reader, &request).await?;
            let took = started.elapsed();
            if round > 0 {
                latencies.push((*class, took));
            } else if *class == "misspelt" && !results.hits.is_empty() {
                misspelt_found += 1;
            }
        }
    }
    Ok(Measured {
        index_time,
        index_bytes: folder_size(index_dir),
        latencies,
        misspelt_found,
    })
}

async fn measure_fts5(
    file: &Path,
    items: &[Item],
    mix: &[(&'static str, String)],
) -> Result<Measured, Failure> {
    let db = domain::db::connect(&format!("sqlite://{}?mode=rwc", file.display())).await?;
    db.execute_unprepared(
        "CREATE VIRTUAL TABLE items USING fts5(title, body, audience UNINDEXED, \
         tokenize = 'porter unicode61')",
    )
    .await?;
    let started = Instant::now();
    let txn = db.begin().await?;
    for chunk in items.chunks(BATCH) {
        let rows: Vec<String> = chunk
            .iter()
            .map(|item| {
                format!(
                    "({}, {}, '{}')",
                    quoted(&item.title),
                    quoted(&item.body),
                    item.audience
                )
            })
            .collect();
        txn.execute_unprepared(&format!(
            "INSERT INTO items (title, body, audience) VALUES {}",
            rows.join(", ")
        ))
        .await?;
    }
    txn.commit().await?;
    db.execute_unprepared("INSERT INTO items (items) VALUES ('optimize')")
        .await?;
    let index_time = started.elapsed();
    db.execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)")
        .await?;
    let visible = "audience IN ('public', 'members')";
    let mut latencies = Vec::new();
    let mut misspelt_found = 0;
    for round in 0..=ROUNDS {
        for (class, text) in mix {
            let query = fts_query(text);
            let started = Instant::now();
            let hits = db
                .query_all_raw(Statement::from_sql_and_values(
                    DbBackend::Sqlite,
                    format!(
                        "SELECT rowid, title, snippet(items, 1, '<mark>', '</mark>', '…', 16) \
                         AS snippet FROM items WHERE items MATCH ? AND {visible} \
                         ORDER BY bm25(items, 3.0, 1.0) LIMIT 10"
                    ),
                    [query.clone().into()],
                ))
                .await?;
            db.query_all_raw(Statement::from_sql_and_values(
                DbBackend::Sqlite,
                format!("SELECT count(*) AS total FROM items WHERE items MATCH ? AND {visible}"),
                [query.into()],
            ))
            .await?;
            let took = started.elapsed();
            if round > 0 {
                latencies.push((*class, took));
            } else if *class == "misspelt" && !hits.is_empty() {
                misspelt_found += 1;
            }
        }
    }
    db.close().await?;
    Ok(Measured {
        index_time,
        index_bytes: folder_size(file),
        latencies,
        misspelt_found,
    })
}

pub async fn run() -> Result<(), Failure> {
    let documents = setting("OHNET_BENCH_DOCUMENTS", 10_000)? as usize;
    let posts = setting("OHNET_BENCH_POSTS", 100_000)? as usize;
    let seed = setting("OHNET_BENCH_SEED", 2026)?;
    let content = PathBuf::from(std::env::var("OHNET_CONTENT_DIR").unwrap_or("content".into()));
    let work = tempfile::tempdir()?;
    let index_dir = work.path().join("search-index");
    let db = domain::db::connect(&format!(
        "sqlite://{}?mode=rwc",
        work.path().join("ohnet.db").display()
    ))
    .await?;
    domain::db::migrate(&db).await?;
    let services = Services::new(
        db.clone(),
        DomainSettings {
            search_index_dir: Some(index_dir.clone()),
            ..Default::default()
        },
    )?;
    domain::content::import(&services, &content)
        .await
        .map_err(|err| format!("importing {}: {err}", content.display()))?;
    let author = services
        .accounts
        .create_admin("bench@ohnet.test", "Bench author", "bench password 123")
        .await?;
    let words = vocabulary(&content)?;
    let mut random = Random(seed.max(1));
    eprintln!(
        "bench-tools search: generating {documents} documents and {posts} posts (seed {seed})"
    );
    let generating = Instant::now();
    let items = generate(&db, &words, &mut random, documents, posts, author).await?;
    eprintln!(
        "bench-tools search: generated in {:.1} s; indexing with tantivy",
        generating.elapsed().as_secs_f64()
    );
    let mix = query_mix(&words, &mut random);
    let tantivy = measure_tantivy(&services, &mix, &index_dir).await?;
    eprintln!("bench-tools search: indexing with SQLite FTS5");
    let fts5 = measure_fts5(&work.path().join("fts5.db"), &items, &mix).await?;

    let misspelt = mix.iter().filter(|(class, _)| *class == "misspelt").count();
    println!(
        "\n## search bench: {documents} documents + {posts} posts, {} queries × {ROUNDS} rounds \
         (seed {seed})\n",
        mix.len()
    );
    println!("| engine | index time | index size | p50 | p99 | misspelt queries answered |");
    println!("|---|---|---|---|---|---|");
    let engines = [
        ("ohnet search (tantivy, full query path)", tantivy),
        ("SQLite FTS5, bm25 (baseline)", fts5),
    ];
    let sorted_of = |measured: &Measured, class: Option<&str>| {
        let mut sorted: Vec<Duration> = measured
            .latencies
            .iter()
            .filter(|(of, _)| class.is_none_or(|class| class == *of))
            .map(|(_, took)| *took)
            .collect();
        sorted.sort();
        sorted
    };
    for (name, measured) in &engines {
        let sorted = sorted_of(measured, None);
        println!(
            "| {name} | {:.1} s | {:.1} MB | {} | {} | {} of {misspelt} |",
            measured.index_time.as_secs_f64(),
            measured.index_bytes as f64 / (1024.0 * 1024.0),
            millis(percentile(&sorted, 0.50)),
            millis(percentile(&sorted, 0.99)),
            measured.misspelt_found,
        );
    }
    println!(
        "\nQuery mix: 20 single words, 15 pairs of words, 10 phrases, {misspelt} misspelt \
         words; both engines filter to what a member outside any group may read, return the \
         top 10 with a snippet and count every match (tantivy also counts by type)."
    );
    println!("\n| query class | ohnet p50 | ohnet p99 | FTS5 p50 | FTS5 p99 |");
    println!("|---|---|---|---|---|");
    for class in ["one word", "two words", "phrase", "misspelt"] {
        let (ours, theirs) = (
            sorted_of(&engines[0].1, Some(class)),
            sorted_of(&engines[1].1, Some(class)),
        );
        println!(
            "| {class} | {} | {} | {} | {} |",
            millis(percentile(&ours, 0.50)),
            millis(percentile(&ours, 0.99)),
            millis(percentile(&theirs, 0.50)),
            millis(percentile(&theirs, 0.99)),
        );
    }
    Ok(())
}
