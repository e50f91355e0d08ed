//! Importing content pages into a real SQLite file with migrations applied: idempotence,
//! revisions, and "invalid content imports nothing".

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test
use std::path::Path;

use domain::Services;
use domain::content::{self, ImportError, ImportReport};

async fn fresh_services(dir: &Path) -> Services {
    let url = format!("sqlite://{}?mode=rwc", dir.join("test.sqlite").display());
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    Services::new(db, domain::DomainSettings::default())
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

    let about = services.pages.get("about").await.unwrap();
    assert_eq!(about.title, "About us");
    assert!(about.body_html.contains("Changed."));
    assert_eq!(about.headings[0].id, "who-we-are");
    assert!(matches!(
        services.pages.get("missing").await,
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
        services.pages.get("about").await,
        Err(domain::Error::NotFound)
    ));
}

#[tokio::test]
async fn suggestions_match_titles_literally() {
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

    let titles = |pages: Vec<domain::pages::PageSummary>| -> Vec<String> {
        pages.into_iter().map(|page| page.title).collect()
    };
    assert_eq!(
        titles(services.pages.suggest("NETW", 5).await.unwrap()),
        ["About the network"]
    );
    assert!(services.pages.suggest("%", 5).await.unwrap().is_empty());
    assert!(services.pages.suggest("  ", 5).await.unwrap().is_empty());
    assert_eq!(
        titles(services.pages.search("100%", 5).await.unwrap()),
        ["Privacy"]
    );
}
