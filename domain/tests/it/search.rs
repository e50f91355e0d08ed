//! Site search against a real database and a real tantivy index: who may find what (results,
//! counts and suggestions), following every kind of change through the change log, the query
//! language (stemming, phrases, exclusions, typos, malformed input), paging and order, and the
//! index on disk (resuming, rebuilding, one process at a time).

use std::path::Path;

use domain::accounts::{Actor, RequestOrigin};
use domain::search::{CaughtUp, FacetCount, ResultKind, SearchOrder, SearchRequest};
use domain::{DomainSettings, Services};
use sea_orm::ConnectionTrait;

use crate::content_import::words;
use crate::forums::{Fixture, fixture, member, reply, topic};

fn titles(results: &domain::search::SearchResults) -> Vec<&str> {
    results.hits.iter().map(|hit| hit.title.as_str()).collect()
}

async fn total(services: &Services, actor: &Actor, text: &str) -> u64 {
    services
        .search
        .search(actor, &words(text))
        .await
        .unwrap()
        .total
}

/// An administrator in `groups` (administrators moderate every forum they may read).
async fn administrator(fx: &Fixture, email: &str, groups: &[&str]) -> Actor {
    member(fx, email, groups).await;
    fx.services
        .db()
        .execute_unprepared(&format!(
            "UPDATE users SET role = 'administrator' WHERE email = '{email}'"
        ))
        .await
        .unwrap();
    let session = fx
        .services
        .accounts
        .sign_in(email, "a long enough password", &RequestOrigin::default())
        .await
        .unwrap();
    Actor::Member(session.member)
}

#[tokio::test]
async fn a_private_forum_post_never_matches_for_an_outsider() {
    let fx = fixture().await;
    let forums = &fx.services.forums;
    let outsider = member(&fx, "out@force.test", &["oh-managers"]).await;
    let insider = member(&fx, "in@force.test", &["cmo"]).await;
    forums
        .start_topic(
            &insider,
            "cmo",
            &topic(
                "Tachograph draft position",
                "Confidential tachograph quillwort wording.",
            ),
        )
        .await
        .unwrap();
    forums
        .start_topic(
            &outsider,
            "general",
            &topic("Tachograph rules", "A question about tachograph checks."),
        )
        .await
        .unwrap();

    let search = &fx.services.search;
    let seen = search
        .search(&outsider, &words("tachograph"))
        .await
        .unwrap();
    assert_eq!(titles(&seen), ["Tachograph rules"]);
    assert_eq!(
        seen.facets,
        [FacetCount {
            kind: ResultKind::ForumPost,
            count: 1
        }],
        "the private post is not even counted"
    );
    let suggested = search.suggest(&outsider, "tach", 10).await.unwrap();
    assert_eq!(
        suggested
            .iter()
            .map(|s| s.title.as_str())
            .collect::<Vec<_>>(),
        ["Tachograph rules"]
    );
    assert_eq!(total(&fx.services, &outsider, "quillwort").await, 0);
    assert_eq!(total(&fx.services, &insider, "quillwort").await, 1);
    assert_eq!(
        total(&fx.services, &Actor::Anonymous, "tachograph").await,
        0
    );

    let insider_sees = search.search(&insider, &words("tachograph")).await.unwrap();
    assert_eq!(insider_sees.total, 2, "{:?}", insider_sees.hits);
    assert_eq!(search.suggest(&insider, "tach", 10).await.unwrap().len(), 2);
    let only_posts = search
        .search(
            &insider,
            &SearchRequest {
                kind: Some(ResultKind::Page),
                ..words("tachograph")
            },
        )
        .await
        .unwrap();
    assert_eq!(only_posts.total, 0, "filtered to pages");
    assert_eq!(only_posts.facets[0].count, 2, "counts ignore the filter");
}

#[tokio::test]
async fn edits_hiding_deleting_and_moving_are_followed() {
    let fx = fixture().await;
    let services = &fx.services;
    let forums = &services.forums;
    let author = member(&fx, "author@force.test", &["oh-managers"]).await;
    let admin = administrator(&fx, "admin@force.test", &["cmo"]).await;
    let topic_id = forums
        .start_topic(
            &author,
            "general",
            &topic("Fitness after surgery", "What do you advise?"),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    let post = forums
        .reply(&author, topic_id, &reply("We suggest a zebrafish review."))
        .await
        .unwrap()
        .published()
        .unwrap();
    assert_eq!(total(services, &author, "zebrafish").await, 1);

    forums
        .edit_post(&author, post, "We suggest a goldfish review.")
        .await
        .unwrap();
    assert_eq!(total(services, &author, "zebrafish").await, 0);
    assert_eq!(total(services, &author, "goldfish").await, 1);

    // An idle node closes its writer; the next change opens it again.
    services
        .search
        .close_idle_writer(std::time::Duration::ZERO)
        .await
        .unwrap();
    let origin = RequestOrigin::default();
    forums
        .set_post_hidden(&admin, post, true, &origin)
        .await
        .unwrap();
    assert_eq!(total(services, &author, "goldfish").await, 0, "hidden");
    forums
        .set_post_hidden(&admin, post, false, &origin)
        .await
        .unwrap();
    assert_eq!(total(services, &author, "goldfish").await, 1, "restored");
    forums.delete_post(&author, post, true).await.unwrap();
    assert_eq!(total(services, &author, "goldfish").await, 0, "deleted");

    // A second node on the same database (its own index) sees the same.
    let second = Services::new(services.db().clone(), DomainSettings::default()).unwrap();
    assert_eq!(total(&second, &author, "surgery").await, 1);
    assert_eq!(total(&second, &author, "goldfish").await, 0);

    forums
        .move_topic(&admin, topic_id, "cmo", &origin)
        .await
        .unwrap();
    assert_eq!(total(services, &author, "surgery").await, 0, "now private");
    assert_eq!(total(&second, &author, "surgery").await, 0, "on every node");
    assert_eq!(total(services, &admin, "surgery").await, 1);
}

async fn pages_fixture(dir: &Path, pages: &[(&str, &str, &str)]) -> Services {
    let content = dir.join("content/pages");
    std::fs::create_dir_all(&content).unwrap();
    for (slug, title, body) in pages {
        std::fs::write(
            content.join(format!("{slug}.md")),
            format!("+++\ntitle = \"{title}\"\nsummary = \"About {title}.\"\n+++\n{body}\n"),
        )
        .unwrap();
    }
    let url = crate::database_url(dir).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    let services = Services::new(
        db,
        DomainSettings {
            search_index_dir: Some(dir.join("search-index")),
            ..Default::default()
        },
    )
    .unwrap();
    domain::content::import(&services, &dir.join("content"))
        .await
        .unwrap();
    services
}

#[tokio::test]
async fn words_are_stemmed_phrases_exact_typos_forgiven_and_titles_first() {
    let temp = tempfile::tempdir().unwrap();
    let services = pages_fixture(
        temp.path(),
        &[
            (
                "rotas",
                "Shift patterns",
                "A night work health assessment is offered before night shifts start.",
            ),
            (
                "night",
                "Night work health assessments",
                "What the regulations require of employers.",
            ),
            ("other", "Other things", "Nothing relevant here."),
        ],
    )
    .await;
    let search = |text: &str| {
        let services = &services;
        let request = words(text);
        async move {
            services
                .search
                .search(&Actor::Anonymous, &request)
                .await
                .unwrap()
        }
    };
    let found = search("assessment").await;
    assert_eq!(
        titles(&found),
        ["Night work health assessments", "Shift patterns"],
        "stemmed, and a title match ranks first"
    );
    assert!(
        found.hits[1]
            .snippet_html
            .contains("<mark>assessment</mark>"),
        "{}",
        found.hits[1].snippet_html
    );
    assert_eq!(search("\"night work health\"").await.total, 2);
    assert_eq!(search("\"health night work\"").await.total, 0);
    assert_eq!(
        titles(&search("night -shift").await),
        ["Night work health assessments"]
    );
    assert_eq!(
        search("asessments").await.total,
        2,
        "one typo in a long word"
    );
    assert_eq!(search("nigth").await.total, 2, "two letters swapped");
    assert_eq!(
        search("ngt").await.total,
        0,
        "short words must match exactly"
    );
    assert_eq!(
        search("night employers").await.total,
        1,
        "every word must match"
    );
}

#[tokio::test]
async fn malformed_and_huge_queries_get_results_or_a_clear_notice() {
    let temp = tempfile::tempdir().unwrap();
    let services = pages_fixture(
        temp.path(),
        &[(
            "night",
            "Night work",
            "Health assessments for night workers.",
        )],
    )
    .await;
    let anyone = Actor::Anonymous;
    for text in [
        "\"night work",
        "night AND (work",
        "night^ work~ *",
        "+night -",
        "night \\\" work:",
        "\u{0}night\u{202e}",
    ] {
        let found = services.search.search(&anyone, &words(text)).await.unwrap();
        assert_eq!(found.total, 1, "{text:?}");
    }
    let huge = "night ".repeat(2_000);
    let found = services
        .search
        .search(&anyone, &words(&huge))
        .await
        .unwrap();
    assert_eq!(found.total, 1);
    assert!(
        found
            .notice
            .unwrap()
            .contains("only its first 200 characters")
    );
    let nothing = services
        .search
        .search(&anyone, &words("-night ---"))
        .await
        .unwrap();
    assert_eq!(nothing.total, 0);
    assert_eq!(
        nothing.notice.as_deref(),
        Some("Enter one or more words to search for.")
    );
}

#[tokio::test]
async fn results_are_paged_with_counts_and_can_be_newest_first() {
    let fx = fixture().await;
    // Three authors, each within the posting rate limit.
    let mut authors = Vec::new();
    for name in ["a", "b", "c"] {
        authors.push(member(&fx, &format!("{name}@force.test"), &[]).await);
    }
    let author = authors[0].clone();
    let topic_id = fx
        .services
        .forums
        .start_topic(
            &author,
            "general",
            &topic("Rota questions", "First rota post."),
        )
        .await
        .unwrap()
        .published()
        .unwrap();
    for number in 2..=24 {
        fx.services
            .forums
            .reply(
                &authors[number % 3],
                topic_id,
                &reply(&format!("Rota reply number {number}.")),
            )
            .await
            .unwrap();
    }
    let page = |page: u32, order: SearchOrder| SearchRequest {
        page,
        order,
        ..words("rota")
    };
    let search = &fx.services.search;
    let first = search
        .search(&author, &page(1, SearchOrder::Relevance))
        .await
        .unwrap();
    assert_eq!((first.total, first.pages, first.hits.len()), (24, 3, 10));
    let last = search
        .search(&author, &page(3, SearchOrder::Relevance))
        .await
        .unwrap();
    assert_eq!((last.page, last.hits.len()), (3, 4));
    let newest = search
        .search(&author, &page(1, SearchOrder::Newest))
        .await
        .unwrap();
    assert!(
        newest.hits[0].snippet_html.contains("number 24"),
        "{}",
        newest.hits[0].snippet_html
    );
    let past_the_end = search
        .search(&author, &page(999, SearchOrder::Relevance))
        .await
        .unwrap();
    assert!(past_the_end.hits.is_empty());
    assert_eq!(past_the_end.total, 24);
}

#[tokio::test]
async fn the_index_on_disk_resumes_from_the_change_log_and_is_held_by_one_process() {
    let temp = tempfile::tempdir().unwrap();
    let index_dir = temp.path().join("search-index");
    std::fs::create_dir_all(index_dir.join("v0")).unwrap();
    std::fs::write(
        index_dir.join("v0/meta.json"),
        "an index of an older schema",
    )
    .unwrap();
    let services = pages_fixture(temp.path(), &[("night", "Night work", "Night words.")]).await;
    assert_eq!(total(&services, &Actor::Anonymous, "night").await, 1);
    assert!(
        !index_dir.join("v0").exists(),
        "an older version is deleted"
    );

    let settings = DomainSettings {
        search_index_dir: Some(index_dir.clone()),
        ..Default::default()
    };
    let Err(held) = Services::new(services.db().clone(), settings.clone()) else {
        panic!("a second process must not write the same index");
    };
    assert!(
        held.to_string().contains("in use by another ohnet process"),
        "{held}"
    );

    let db = services.db().clone();
    drop(services);
    // While no node runs, the content changes.
    std::fs::write(
        temp.path().join("content/pages/shift.md"),
        "+++\ntitle = \"Shift work\"\nsummary = \"Shifts.\"\n+++\nNight shifts.\n",
    )
    .unwrap();
    let reopened = Services::new(db.clone(), settings.clone()).unwrap();
    domain::content::import(&reopened, &temp.path().join("content"))
        .await
        .unwrap();
    assert!(
        matches!(
            reopened.search.catch_up().await.unwrap(),
            CaughtUp::Applied { changes } if changes >= 1
        ),
        "the reopened index applies the changes, without a rebuild"
    );
    assert_eq!(total(&reopened, &Actor::Anonymous, "night").await, 2);

    // A node stopped for longer than the change log is kept rebuilds instead.
    drop(reopened);
    for title in ["Shift patterns", "Shift working"] {
        db.execute_unprepared(&format!(
            "UPDATE pages SET title = '{title}' WHERE slug = 'shift'"
        ))
        .await
        .unwrap();
    }
    domain::change_log::forget_old_changes(&db, chrono::Utc::now() + chrono::Duration::days(30))
        .await
        .unwrap();
    let behind = Services::new(db.clone(), settings.clone()).unwrap();
    assert!(matches!(
        behind.search.catch_up().await.unwrap(),
        CaughtUp::Rebuilt { items: 2 }
    ));
    let found = behind
        .search
        .search(&Actor::Anonymous, &words("\"shift working\""))
        .await
        .unwrap();
    assert_eq!(titles(&found), ["Shift working"]);

    // A node stopped during a bulk import has more changes to apply than a rebuild reads, so
    // it rebuilds rather than fetching each new item on its own.
    drop(behind);
    for n in 0..600 {
        std::fs::write(
            temp.path().join(format!("content/pages/bulk-{n}.md")),
            format!("+++\ntitle = \"Bulk page {n}\"\nsummary = \"Bulk.\"\n+++\nWombat {n}.\n"),
        )
        .unwrap();
    }
    let after_import = Services::new(db, settings).unwrap();
    domain::content::import(&after_import, &temp.path().join("content"))
        .await
        .unwrap();
    assert!(matches!(
        after_import.search.catch_up().await.unwrap(),
        CaughtUp::Rebuilt { items: 602 }
    ));
    assert_eq!(total(&after_import, &Actor::Anonymous, "wombat").await, 600);
}

/// A small deterministic generator (xorshift64), so every run tries the same strings.
struct Xorshift(u64);

impl Xorshift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }

    fn below(&mut self, bound: usize) -> usize {
        (self.next() % bound as u64) as usize
    }
}

#[tokio::test]
async fn random_query_strings_never_fail() {
    let temp = tempfile::tempdir().unwrap();
    let services = pages_fixture(
        temp.path(),
        &[(
            "night",
            "Night work",
            "Health assessments for night workers.",
        )],
    )
    .await;
    const PIECES: [&str; 26] = [
        "night",
        "work",
        "assessment",
        "\"",
        "-",
        "--",
        "NOT",
        "AND",
        "OR",
        "(",
        ")",
        "*",
        "?",
        "~",
        "^",
        ":",
        "\\",
        "+",
        "é",
        "😀",
        "\u{0}",
        " ",
        "   ",
        "\u{202e}",
        "'",
        "%_",
    ];
    let mut random = Xorshift(0x9e37_79b9_7f4a_7c15);
    let mut matched = 0;
    for _ in 0..1_000 {
        let length = random.below(14);
        let text: String = (0..length)
            .map(|_| PIECES[random.below(PIECES.len())])
            .collect();
        let found = services
            .search
            .search(&Actor::Anonymous, &words(&text))
            .await
            .unwrap_or_else(|err| panic!("{text:?}: {err}"));
        matched += usize::from(found.total > 0);
        services
            .search
            .suggest(&Actor::Anonymous, &text, 6)
            .await
            .unwrap_or_else(|err| panic!("{text:?}: {err}"));
    }
    assert!(matched > 0, "some of the strings find the page");
}
