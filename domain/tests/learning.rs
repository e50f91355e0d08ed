//! eLearning against a real migrated SQLite file and the real modules in `content/`: import
//! and revisions, the catalogue, progress and resume, marking, certificates and the automatic
//! CPD entry.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)] // test code: a failed step is a failed test

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use domain::accounts::{AccountSettings, Actor, RequestOrigin};
use domain::content::modules::{ModuleSource, load_modules};
use domain::learning::{CatalogueFilter, LearnerStatus};
use domain::{DomainSettings, Error, Services};

const MODULE: &str = "assessing-fitness-for-duty";

struct Fixture {
    services: Services,
    modules: Vec<ModuleSource>,
    _temp: tempfile::TempDir,
}

fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

async fn fixture() -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let url = format!(
        "sqlite://{}?mode=rwc",
        temp.path().join("t.sqlite").display()
    );
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    let services = Services::new(
        db,
        DomainSettings {
            accounts: AccountSettings {
                base_url: "https://ohnet.test".into(),
                ..Default::default()
            },
            ..Default::default()
        },
    );
    let modules = load_modules(&content_dir()).unwrap();
    let report = services.learning.import(&modules).await.unwrap();
    assert_eq!(report.created, 4, "the four seed modules are imported");
    Fixture {
        services,
        modules,
        _temp: temp,
    }
}

/// An approved member (an administrator account is the quickest way to one).
async fn member(fx: &Fixture, email: &str) -> Actor {
    let accounts = &fx.services.accounts;
    accounts
        .create_admin(email, "Casey Learner", "a long enough password")
        .await
        .unwrap();
    let signed = accounts
        .sign_in(email, "a long enough password", &RequestOrigin::default())
        .await
        .unwrap();
    Actor::Member(signed.member)
}

/// Answers every question of `module`: correctly for the first `right` questions.
fn answers(module: &ModuleSource, right: usize) -> HashMap<String, Vec<usize>> {
    module
        .questions
        .iter()
        .enumerate()
        .map(|(index, question)| {
            let correct: Vec<usize> = question
                .options
                .iter()
                .enumerate()
                .filter(|(_, option)| option.correct)
                .map(|(at, _)| at)
                .collect();
            let chosen = if index < right {
                correct
            } else {
                let wrong = (0..question.options.len())
                    .find(|at| !correct.contains(at))
                    .unwrap();
                vec![wrong]
            };
            (question.id.clone(), chosen)
        })
        .collect()
}

#[tokio::test]
async fn importing_again_changes_nothing() {
    let fx = fixture().await;
    let report = fx.services.learning.import(&fx.modules).await.unwrap();
    assert_eq!(
        (report.created, report.updated, report.unchanged),
        (0, 0, 4)
    );
}

#[tokio::test]
async fn visitors_browse_members_learn_and_progress_is_kept() {
    let fx = fixture().await;
    let learning = &fx.services.learning;

    let all = learning
        .catalogue(&Actor::Anonymous, &CatalogueFilter::default())
        .await
        .unwrap()
        .modules;
    assert_eq!(all.len(), 4);
    assert!(
        all.iter()
            .all(|card| card.status == LearnerStatus::NotStarted)
    );
    let by_topic = learning
        .catalogue(
            &Actor::Anonymous,
            &CatalogueFilter {
                topic: Some("night-work".into()),
                ..CatalogueFilter::default()
            },
        )
        .await
        .unwrap()
        .modules;
    assert!(by_topic.iter().any(|card| card.slug == MODULE));
    assert!(by_topic.len() < 4, "the topic filter narrows the list");

    // Anyone may read the overview; only members may open lessons.
    let overview = learning.overview(&Actor::Anonymous, MODULE).await.unwrap();
    assert!(!overview.can_learn);
    assert!(overview.lessons.len() >= 4 && overview.questions >= 8);
    let first = overview.lessons[0].slug.clone();
    let second = overview.lessons[1].slug.clone();
    assert!(matches!(
        learning.lesson(&Actor::Anonymous, MODULE, &first).await,
        Err(Error::Unauthenticated)
    ));
    assert!(matches!(
        learning.knowledge_check(&Actor::Anonymous, MODULE).await,
        Err(Error::Unauthenticated)
    ));

    let learner = member(&fx, "casey@force.test").await;
    let lesson = learning.lesson(&learner, MODULE, &first).await.unwrap();
    assert_eq!(lesson.position, 1);
    assert!(lesson.previous.is_none());
    assert_eq!(lesson.next.as_ref().unwrap().0, second);
    assert!(lesson.html.contains("<h2"), "rendered Markdown");
    let next = learning
        .complete_lesson(&learner, MODULE, &first)
        .await
        .unwrap();
    assert_eq!(next.as_deref(), Some(second.as_str()));

    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert_eq!(overview.card.status, LearnerStatus::InProgress);
    assert!(overview.lessons[0].done && !overview.lessons[1].done);
    assert_eq!(
        overview.resume.as_deref(),
        Some(second.as_str()),
        "resume at the first unread lesson"
    );
    assert!(matches!(
        learning.lesson(&learner, MODULE, "no-such-lesson").await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn passing_issues_a_certificate_and_one_cpd_entry() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let module = fx.modules.iter().find(|m| m.slug == MODULE).unwrap();
    let learner = member(&fx, "casey@force.test").await;

    // Unanswered questions are each reported; nothing is recorded.
    let mut partial = answers(module, module.questions.len());
    let skipped = module.questions[2].id.clone();
    partial.remove(&skipped);
    let Err(Error::InvalidFields(problems)) = learning.submit(&learner, MODULE, &partial).await
    else {
        panic!("an unanswered question must be reported");
    };
    assert_eq!(problems.len(), 1);
    assert_eq!(problems[0].field, format!("answer-{skipped}"));
    assert_eq!(problems[0].message, "Choose an answer to question 3");

    // Below the pass mark.
    let failed_id = learning
        .submit(&learner, MODULE, &answers(module, 1))
        .await
        .unwrap();
    let failed = learning.attempt(&learner, MODULE, failed_id).await.unwrap();
    assert!(!failed.passed && failed.certificate.is_none());
    assert_eq!(failed.questions.len(), module.questions.len());
    assert!(failed.questions[0].correct && !failed.questions[1].correct);
    assert!(
        failed.questions[1]
            .options
            .iter()
            .any(|option| option.chosen && !option.correct && !option.feedback.is_empty()),
        "the wrong choice carries its feedback"
    );
    assert!(fx.services.cpd.entries(&learner).await.unwrap().is_empty());

    // All correct: passed, certificate, CPD entry.
    let passed_id = learning
        .submit(&learner, MODULE, &answers(module, module.questions.len()))
        .await
        .unwrap();
    let passed = learning.attempt(&learner, MODULE, passed_id).await.unwrap();
    assert!(passed.passed);
    assert_eq!(passed.score, 100);
    let code = passed.certificate.clone().unwrap();
    let certificate = learning.certificate(&code.to_lowercase()).await.unwrap();
    assert_eq!(certificate.member_name, "Casey Learner");
    assert_eq!(certificate.module_title, module.title);
    assert_eq!(
        certificate.cpd_minutes,
        i32::try_from(module.cpd_minutes).unwrap()
    );
    assert!(matches!(
        learning.certificate("NOPE-NOPE-NOPE").await,
        Err(Error::NotFound)
    ));

    // A retake after passing changes nothing recorded.
    learning
        .submit(&learner, MODULE, &answers(module, module.questions.len()))
        .await
        .unwrap();
    let entries = fx.services.cpd.entries(&learner).await.unwrap();
    assert_eq!(entries.len(), 1, "one CPD entry per module");
    assert_eq!(entries[0].title, format!("eLearning: {}", module.title));
    assert_eq!(entries[0].kind, domain::cpd::SELF_DIRECTED);
    assert!(
        !entries[0].participatory,
        "solo e-learning is not participatory (NMC)"
    );
    assert!(entries[0].automatic);
    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert_eq!(overview.card.status, LearnerStatus::Completed);
    assert_eq!(overview.certificate.as_deref(), Some(code.as_str()));

    // Someone else's attempt is not theirs to see.
    let other = member(&fx, "other@force.test").await;
    assert!(matches!(
        learning.attempt(&other, MODULE, passed_id).await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn a_revision_keeps_completion_and_flags_changed_lessons() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let module = fx.modules.iter().find(|m| m.slug == MODULE).unwrap();
    let learner = member(&fx, "casey@force.test").await;
    for lesson in &module.lessons[0..2] {
        learning
            .complete_lesson(&learner, MODULE, &lesson.slug)
            .await
            .unwrap();
    }
    learning
        .submit(&learner, MODULE, &answers(module, module.questions.len()))
        .await
        .unwrap();

    let mut revised = module.clone();
    revised.content_hash = "changed".into();
    revised.lessons[1].html.push_str("<p>New guidance.</p>");
    revised.lessons[1].content_hash = "lesson changed".into();
    let report = learning.import(&[revised]).await.unwrap();
    assert_eq!(report.updated, 1);

    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert_eq!(overview.revision, 2);
    assert_eq!(
        overview.card.status,
        LearnerStatus::Completed,
        "completion is kept"
    );
    assert!(overview.certificate.is_some());
    assert!(overview.lessons[0].done && !overview.lessons[0].changed_since_done);
    assert!(overview.lessons[1].done && overview.lessons[1].changed_since_done);
    let lesson = learning
        .lesson(&learner, MODULE, &module.lessons[1].slug)
        .await
        .unwrap();
    assert!(lesson.changed_since_done && lesson.html.contains("New guidance."));
    learning
        .complete_lesson(&learner, MODULE, &module.lessons[1].slug)
        .await
        .unwrap();
    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert!(
        !overview.lessons[1].changed_since_done,
        "reading it again clears the flag"
    );
}

#[tokio::test]
async fn a_broken_module_keeps_its_previous_revision_while_the_rest_imports() {
    let fx = fixture().await;
    let temp = tempfile::tempdir().unwrap();
    let pages = temp.path().join("pages");
    std::fs::create_dir_all(&pages).unwrap();
    std::fs::write(
        pages.join("about.md"),
        "+++\ntitle = \"About\"\nsummary = \"Us.\"\n+++\nText\n",
    )
    .unwrap();
    let broken = temp.path().join("modules").join(MODULE);
    std::fs::create_dir_all(&broken).unwrap();
    for entry in std::fs::read_dir(content_dir().join("modules").join(MODULE)).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, broken.join(path.file_name().unwrap())).unwrap();
    }
    let manifest = broken.join("module.toml");
    let text = std::fs::read_to_string(&manifest).unwrap();
    std::fs::write(
        &manifest,
        text.replacen("pass_mark = 70", "pass_mark = 700", 1),
    )
    .unwrap();

    let outcome = domain::content::import(&fx.services, temp.path()).await;
    let Err(domain::content::ImportError::Invalid(errors)) = outcome else {
        panic!("the broken module must be reported");
    };
    assert_eq!(errors.0.len(), 1);
    assert!(
        errors
            .to_string()
            .contains("module.toml:7: `pass_mark` must be a percentage"),
        "{errors}"
    );
    let overview = fx
        .services
        .learning
        .overview(&Actor::Anonymous, MODULE)
        .await
        .unwrap();
    assert_eq!(
        (overview.revision, overview.pass_mark),
        (1, 70),
        "the previous revision stays live"
    );
    assert!(
        fx.services.pages.get("about").await.is_ok(),
        "valid pages still import"
    );
}
