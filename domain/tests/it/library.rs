//! The guidance library against a real database: the seed documents in `content/library/`
//! import cleanly and idempotently, a changed file becomes a new version with its change note,
//! versions compare line by line, invalid files and broken links are reported by line, and a
//! group's document is invisible to everyone else: in the list, its counts, the document
//! itself and search.

use std::path::{Path, PathBuf};

use domain::accounts::Actor;
use domain::content::{self, ImportError};
use domain::library::{DocumentKind, LibraryOrder, LibraryQuery};
use domain::search::ResultKind;
use domain::{DomainSettings, Services};

use crate::content_import::words;

fn seed_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

async fn services(dir: &Path) -> Services {
    let url = crate::database_url(dir).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    Services::new(db, DomainSettings::default()).unwrap()
}

fn member(groups: &[&str]) -> Actor {
    Actor::Member(domain::accounts::Member {
        id: 1,
        name: "A".into(),
        email: "a@example.org".into(),
        role: domain::accounts::Role::Member,
        status: domain::accounts::MemberStatus::Active,
        groups: groups.iter().map(|group| (*group).to_owned()).collect(),
        moderates: None,
        organisation: None,
        grants: Vec::new(),
    })
}

fn document(title: &str, extra: &str, body: &str) -> String {
    format!(
        "+++\ntitle = \"{title}\"\nkind = \"clinical-guidance\"\nsummary = \"About {title}.\"\n\
         tags = [\"night-work\"]\n{extra}owner = \"OH team\"\npublished = 2026-01-05\n\
         review_by = 2027-01-05\nchange_note = \"First published.\"\n+++\n{body}\n"
    )
}

fn write(path: &Path, text: &str) {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

#[tokio::test]
async fn the_seed_library_is_valid_and_imports_once() {
    let set = content::load(&seed_content()).unwrap_or_else(|errors| panic!("{errors}"));
    assert!(set.library.len() >= 12, "at least twelve seed documents");
    for kind in [
        DocumentKind::Standard,
        DocumentKind::ClinicalGuidance,
        DocumentKind::GoodPractice,
        DocumentKind::PolicyTemplate,
        DocumentKind::TargetOperatingModel,
        DocumentKind::Briefing,
    ] {
        assert!(
            set.library.iter().any(|document| document.kind == kind),
            "a {kind:?} is seeded"
        );
    }
    let temp = tempfile::tempdir().unwrap();
    let services = services(temp.path()).await;
    let report = services.library.import(&set.library).await.unwrap();
    assert_eq!(report.created, set.library.len());
    let again = services.library.import(&set.library).await.unwrap();
    assert_eq!((again.created, again.updated), (0, 0), "idempotent");

    let listed = services
        .library
        .list(&member(&[]), &LibraryQuery::default())
        .await
        .unwrap();
    assert!(
        listed
            .documents
            .iter()
            .all(|document| document.slug != "cmo-group-working-arrangements"),
        "the CMO group's briefing is not listed for other members"
    );
    let cmo = services
        .library
        .list(&member(&["cmo"]), &LibraryQuery::default())
        .await
        .unwrap();
    assert_eq!(cmo.total, listed.total + 1);
}

#[tokio::test]
async fn a_changed_file_is_a_new_version_that_compares_line_by_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    std::fs::create_dir_all(content.join("pages")).unwrap();
    let path = content.join("library/night-work.md");
    write(
        &path,
        &document(
            "Night work",
            "",
            "## Assessments\n\nOffer one before starting.\n\nThen yearly.",
        ),
    );
    let services = services(temp.path()).await;
    content::import(&services, &content).await.unwrap();
    write(
        &path,
        &document(
            "Night work",
            "",
            "## Assessments\n\nOffer one before starting.\n\nThen at regular intervals.",
        )
        .replace("First published.", "Intervals follow the regulations."),
    );
    content::import(&services, &content).await.unwrap();

    let anyone = Actor::Anonymous;
    let view = services.library.get(&anyone, "night-work").await.unwrap();
    assert_eq!(view.version, 2);
    let notes: Vec<&str> = view
        .versions
        .iter()
        .map(|version| version.change_note.as_str())
        .collect();
    assert_eq!(
        notes,
        ["Intervals follow the regulations.", "First published."]
    );
    let comparison = services
        .library
        .compare(&anyone, "night-work", 1, 2)
        .await
        .unwrap();
    use domain::library::DiffLine;
    assert!(
        comparison
            .lines
            .contains(&DiffLine::Removed("Then yearly.".into()))
    );
    assert!(
        comparison
            .lines
            .contains(&DiffLine::Added("Then at regular intervals.".into()))
    );
    assert!(matches!(
        services.library.compare(&anyone, "night-work", 1, 9).await,
        Err(domain::Error::NotFound)
    ));
    let found = services
        .search
        .search(&anyone, &words("regular intervals"))
        .await
        .unwrap();
    assert_eq!(found.hits.len(), 1);
    assert_eq!(found.hits[0].kind, ResultKind::Document);
    assert_eq!(found.hits[0].url, "/library/night-work");
}

#[tokio::test]
async fn problems_and_broken_links_are_reported_by_line() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    write(
        &content.join("library/odd.md"),
        "+++\ntitle = \"Odd\"\nkind = \"guidance\"\nsummary = \"Odd.\"\ntags = [\"Bad Tag\"]\n\
         owner = \"OH team\"\npublished = 2026-01-05\nreview_by = 2025-01-05\n\
         change_note = \"First.\"\n+++\nSee [the other](/library/missing).\n",
    );
    write(
        &content.join("pages/about.md"),
        "+++\ntitle = \"About\"\nsummary = \"About.\"\n+++\nRead\n[the guide](/library/odd#part) and [nothing](/library/nowhere).\n",
    );
    let services = services(temp.path()).await;
    let Err(ImportError::Invalid(errors)) = content::import(&services, &content).await else {
        panic!("invalid content must be reported");
    };
    let messages: Vec<String> = errors
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
    assert_eq!(
        messages,
        [
            "odd.md:3: unknown kind `guidance`: use one of standard, clinical-guidance, good-practice, policy-template, target-operating-model, briefing",
            "odd.md:5: tag `Bad Tag` must be lowercase letters, digits and single hyphens",
            "odd.md:8: `review_by` (2025-01-05) must be after `published` (2026-01-05)",
            "odd.md:11: link to `/library/missing`: there is no library document `missing`",
            "about.md:6: link to `/library/nowhere`: there is no library document `nowhere`",
        ]
    );
}

#[tokio::test]
async fn a_groups_document_exists_only_for_that_group() {
    let temp = tempfile::tempdir().unwrap();
    let content = temp.path().join("content");
    std::fs::create_dir_all(content.join("pages")).unwrap();
    write(
        &content.join("library/cmo-notes.md"),
        &document(
            "Group notes",
            "audience = [\"cmo\"]\n",
            "Private sphagnum words.",
        ),
    );
    write(
        &content.join("library/open-notes.md"),
        &document("Open notes", "", "Open words."),
    );
    let services = services(temp.path()).await;
    content::import(&services, &content).await.unwrap();
    let (outsider, insider) = (member(&["oh-managers"]), member(&["cmo"]));
    let library = &services.library;
    assert!(matches!(
        library.get(&outsider, "cmo-notes").await,
        Err(domain::Error::NotFound)
    ));
    assert!(library.get(&insider, "cmo-notes").await.is_ok());
    let listed = library
        .list(
            &outsider,
            &LibraryQuery {
                order: LibraryOrder::Title,
                ..Default::default()
            },
        )
        .await
        .unwrap();
    assert_eq!(listed.total, 1);
    assert_eq!(
        listed.kinds,
        [(DocumentKind::ClinicalGuidance, 1)],
        "counts leave it out"
    );
    for (actor, expected) in [(&outsider, 0), (&insider, 1), (&Actor::Anonymous, 0)] {
        assert_eq!(
            services
                .search
                .search(actor, &words("sphagnum"))
                .await
                .unwrap()
                .total,
            expected
        );
    }
}

#[tokio::test]
async fn the_right_item_comes_first_for_its_key_queries() {
    let temp = tempfile::tempdir().unwrap();
    let services = services(temp.path()).await;
    content::import(&services, &seed_content()).await.unwrap();
    let reader = member(&[]);
    for (query, first) in [
        (
            "injury on duty referrals",
            "/library/ill-health-retirement-and-injury-on-duty-referrals",
        ),
        (
            "psychological risk assessment high risk roles",
            "/library/psychological-risk-assessment-high-risk-roles",
        ),
        (
            "SEQOHS accreditation",
            "/library/seqohs-accreditation-briefing",
        ),
        // Stemmed: "workers" finds the lesson titled "Night work health assessments".
        (
            "night workers health assessments",
            "/learning/assessing-fitness-for-duty/night-work-health-assessments",
        ),
        // Misspelt: one typo in a long word.
        (
            "managment referal template",
            "/library/management-referral-template",
        ),
    ] {
        let found = services
            .search
            .search(&reader, &words(query))
            .await
            .unwrap();
        assert_eq!(
            found.hits.first().map(|hit| hit.url.as_str()),
            Some(first),
            "{query}: {:?}",
            found.hits.iter().map(|hit| &hit.url).collect::<Vec<_>>()
        );
    }
}
