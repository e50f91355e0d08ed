//! Importing content pages into a real SQLite file with migrations applied: idempotence,
//! revisions, and "invalid content imports nothing".

use std::path::Path;

use domain::Services;
use domain::accounts::Actor;
use domain::content::{self, ImportError, ImportReport};

async fn fresh_services(dir: &Path) -> Services {
    let url = crate::database_url(dir).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    Services::new(db, domain::DomainSettings::default()).unwrap()
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn page(title: &str, body: &str) -> String {
    format!("+++\ntitle = \"{title}\"\nsummary = \"About {title}.\"\n+++\n{body}\n")
}

#[tokio::test]
async fn import_is_idempotent_and_revises_changed_pages() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(&content.join("pages/home.md"), &page("Home", "Welcome."));
    write(
        &content.join("pages/about.md"),
        &page("About", "## Who we are\n\nThe network."),
    );
    let services = fresh_services(temp.path()).await;

    let first = content::import(&services, &content).await.unwrap();
    assert_eq!(
        first,
        ImportReport {
            created: 2,
            updated: 0,
            unchanged: 0
        }
    );
    let again = content::import(&services, &content).await.unwrap();
    assert_eq!(
        again,
        ImportReport {
            created: 0,
            updated: 0,
            unchanged: 2
        }
    );

    write(
        &content.join("pages/about.md"),
        &page("About us", "## Who we are\n\nChanged."),
    );
    let edited = content::import(&services, &content).await.unwrap();
    assert_eq!(
        edited,
        ImportReport {
            created: 0,
            updated: 1,
            unchanged: 1
        }
    );

    let about = services
        .pages
        .get(&Actor::Anonymous, "about")
        .await
        .unwrap();
    assert_eq!(about.title, "About us");
    assert!(about.body_html.contains("Changed."));
    assert_eq!(about.headings[0].id, "who-we-are");
    assert!(matches!(
        services.pages.get(&Actor::Anonymous, "missing").await,
        Err(domain::Error::NotFound)
    ));
}

#[tokio::test]
async fn invalid_content_imports_nothing_and_names_file_and_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(&content.join("pages/about.md"), &page("About", "Fine."));
    write(
        &content.join("pages/broken.md"),
        "+++\ntitle = \"Broken\"\nsumary = \"typo\"\n+++\nBody\n",
    );
    write(
        &content.join("pages/blank.md"),
        "+++\ntitle = \"Blank\"\nsummary = \"  \"\n+++\nBody\n",
    );
    write(
        &content.join("pages/search.md"),
        &page("Clash", "Reserved."),
    );
    let services = fresh_services(temp.path()).await;

    let Err(ImportError::Invalid(errors)) = content::import(&services, &content).await else {
        panic!("invalid content must not import");
    };
    let messages: Vec<String> = errors
        .0
        .iter()
        .map(|error| {
            let relative = error
                .path
                .strip_prefix(&content)
                .unwrap()
                .display()
                .to_string();
            format!("{relative}:{}", error.line)
        })
        .collect();
    assert_eq!(
        messages,
        ["pages/blank.md:3", "pages/broken.md:3", "pages/search.md:1"]
    );
    assert!(errors.to_string().contains("unknown field `sumary`"));
    assert!(matches!(
        services.pages.get(&Actor::Anonymous, "about").await,
        Err(domain::Error::NotFound)
    ));
}

/// A search for `text`, first page, every kind, best match first.
pub(crate) fn words(text: &str) -> domain::search::SearchRequest {
    domain::search::SearchRequest {
        text: text.into(),
        page: 1,
        ..Default::default()
    }
}

#[tokio::test]
async fn symbols_in_a_search_are_only_text() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(
        &content.join("pages/about.md"),
        &page("About the network", "Text."),
    );
    write(
        &content.join("pages/privacy.md"),
        &page("Privacy", "100% of nothing."),
    );
    let services = fresh_services(temp.path()).await;
    content::import(&services, &content).await.unwrap();

    let titles = |found: Vec<domain::search::Suggestion>| -> Vec<String> {
        found.into_iter().map(|found| found.title).collect()
    };
    let search = &services.search;
    assert_eq!(
        titles(search.suggest(&Actor::Anonymous, "NETW", 5).await.unwrap()),
        ["About the network"]
    );
    for nothing in ["%", "  ", "*", "\"\""] {
        assert!(
            search
                .suggest(&Actor::Anonymous, nothing, 5)
                .await
                .unwrap()
                .is_empty(),
            "{nothing:?}"
        );
    }
    let found = search
        .search(&Actor::Anonymous, &words("100%"))
        .await
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].title, "Privacy");
    assert_eq!(found.hits[0].url, "/privacy");
}

fn person(groups: &[&str]) -> Actor {
    Actor::Member(domain::accounts::Member {
        id: 1,
        name: "A".into(),
        email: "a@example.org".into(),
        role: domain::accounts::Role::Administrator,
        status: domain::accounts::MemberStatus::Active,
        groups: groups.iter().map(|group| (*group).to_owned()).collect(),
        moderates: None,
        organisation: None,
        grants: Vec::new(),
    })
}

#[tokio::test]
async fn pages_are_read_and_found_only_by_their_audience() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(
        &content.join("pages/cmo-notes.md"),
        "+++\ntitle = \"Group notes\"\nsummary = \"For the group.\"\naudience = [\"cmo\"]\n+++\nPrivate words.\n",
    );
    write(
        &content.join("pages/members.md"),
        "+++\ntitle = \"Members notes\"\nsummary = \"For members.\"\naudience = [\"members\"]\n+++\nMember words.\n",
    );
    let services = fresh_services(temp.path()).await;
    content::import(&services, &content).await.unwrap();
    let (anonymous, admin, cmo) = (
        Actor::Anonymous,
        person(&[]),
        person(&["oh-managers", "cmo"]),
    );
    for (actor, sees_group, sees_members) in [
        (&anonymous, false, false),
        (&admin, false, true),
        (&cmo, true, true),
    ] {
        assert_eq!(
            services.pages.get(actor, "cmo-notes").await.is_ok(),
            sees_group
        );
        assert_eq!(
            services.pages.get(actor, "members").await.is_ok(),
            sees_members
        );
        let found = services
            .search
            .search(actor, &words("words"))
            .await
            .unwrap()
            .hits
            .len();
        assert_eq!(found, usize::from(sees_group) + usize::from(sees_members));
        let suggested = services
            .search
            .suggest(actor, "notes", 10)
            .await
            .unwrap()
            .len();
        assert_eq!(suggested, found);
    }
    // Opening the page to everyone removes the restriction; restricting it again restores it.
    write(
        &content.join("pages/cmo-notes.md"),
        "+++\ntitle = \"Group notes\"\nsummary = \"For the group.\"\n+++\nPrivate words.\n",
    );
    content::import(&services, &content).await.unwrap();
    assert!(services.pages.get(&anonymous, "cmo-notes").await.is_ok());
    let found = services
        .search
        .search(&anonymous, &words("private words"))
        .await
        .unwrap();
    assert_eq!(found.total, 1, "the index follows the page's new audience");
}

#[tokio::test]
async fn an_unknown_audience_is_reported_by_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(
        &content.join("pages/odd.md"),
        "+++\ntitle = \"Odd\"\nsummary = \"Odd.\"\naudience = [\n  \"cmo\",\n  \"everyone\",\n]\n+++\nText.\n",
    );
    write(
        &content.join("pages/empty.md"),
        "+++\ntitle = \"Empty\"\nsummary = \"Empty.\"\naudience = []\n+++\nText.\n",
    );
    let services = fresh_services(temp.path()).await;
    let Err(ImportError::Invalid(errors)) = content::import(&services, &content).await else {
        panic!("an unknown audience must not import");
    };
    let mut messages: Vec<String> = errors
        .0
        .iter()
        .map(|error| {
            let name = error
                .path
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned();
            format!("{name}:{}: {}", error.line, error.message)
        })
        .collect();
    messages.sort();
    assert_eq!(
        messages,
        [
            "empty.md:4: `audience` must name `members` or at least one group; leave it out for a public page",
            "odd.md:6: unknown audience `everyone`: use `members` or one of the groups oh-managers, oh-technicians, physiotherapists, mental-health-nurses, cmo",
        ]
    );
}
