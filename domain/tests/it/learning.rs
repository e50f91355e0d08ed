//! eLearning against a real migrated SQLite file and the real modules in `content/`: import
//! and revisions, the catalogue, progress and resume, marking, certificates and the automatic
//! CPD entry, and editing modules in the app.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use domain::accounts::{AccountSettings, Actor, Registration, RequestOrigin, Role};
use domain::content::modules::{ModuleSource, load_modules};
use domain::jobs::{JobContext, JobRunner, RunnerSettings};
use domain::learning::{CatalogueFilter, LearnerStatus, LessonDraft, lesson_file_name};
use domain::mail::{DeliveredMail, Mailer};
use domain::{DomainSettings, Error, FieldError, Services};

pub(crate) const MODULE: &str = "assessing-fitness-for-duty";

pub(crate) struct Fixture {
    pub(crate) services: Services,
    pub(crate) modules: Vec<ModuleSource>,
    mailbox: Arc<Mutex<Vec<DeliveredMail>>>,
    _temp: tempfile::TempDir,
}

pub(crate) fn content_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")
}

pub(crate) async fn fixture() -> Fixture {
    fixture_with(domain::files::FileStore::Database).await
}

/// A fixture whose stored files go to `files`.
pub(crate) async fn fixture_with(files: domain::files::FileStore) -> Fixture {
    let temp = tempfile::tempdir().unwrap();
    let url = crate::database_url(temp.path()).await;
    let db = domain::db::connect(&url).await.unwrap();
    domain::db::migrate(&db).await.unwrap();
    let services = Services::new(
        db,
        DomainSettings {
            accounts: AccountSettings {
                base_url: "https://ohnet.test".into(),
                auto_approve_domains: vec!["force.test".into()],
                ..Default::default()
            },
            files,
            ..Default::default()
        },
    )
    .unwrap();
    let modules = load_modules(&content_dir()).unwrap();
    let report = services.learning.import(&modules).await.unwrap();
    assert_eq!(report.created, 4, "the four seed modules are imported");
    Fixture {
        services,
        modules,
        mailbox: Arc::default(),
        _temp: temp,
    }
}

/// An ordinary approved member: applies with an allow-listed address, confirms it from the
/// email and signs in.
pub(crate) async fn member(fx: &Fixture, email: &str) -> Actor {
    let accounts = &fx.services.accounts;
    let origin = RequestOrigin::default();
    accounts
        .register(
            Registration {
                name: "Casey Learner".into(),
                email: email.into(),
                password: "a long enough password".into(),
                profession: "oh-nurse".into(),
                organisation: "kent".into(),
                regulator: "nmc".into(),
                registration_number: String::new(),
                groups: Vec::new(),
            },
            &origin,
        )
        .await
        .unwrap();
    let token = confirmation_token(fx, email).await;
    accounts.verify_email(&token).await.unwrap();
    let signed = accounts
        .sign_in(email, "a long enough password", &origin)
        .await
        .unwrap();
    assert_eq!(
        signed.member.role,
        Role::Member,
        "learners are not administrators"
    );
    Actor::Member(signed.member)
}

/// The token in the confirmation email last sent to `email`.
async fn confirmation_token(fx: &Fixture, email: &str) -> String {
    let mailer = Mailer::Memory(fx.mailbox.clone());
    let db = fx.services.db().clone();
    JobRunner::new(
        db.clone(),
        JobContext::new(db, mailer, "http://ohnet.test"),
        RunnerSettings::default(),
    )
    .run_due(chrono::Utc::now())
    .await
    .unwrap();
    let mailbox = fx.mailbox.lock().unwrap();
    let message = mailbox
        .iter()
        .rev()
        .find(|m| m.to == email && m.subject.contains("Confirm"))
        .expect("confirmation mail");
    let token = message.body.split("token=").nth(1).unwrap();
    token.split_whitespace().next().unwrap().to_owned()
}

/// A member made an editor by an administrator.
pub(crate) async fn editor(fx: &Fixture, email: &str) -> Actor {
    let accounts = &fx.services.accounts;
    let origin = RequestOrigin::default();
    accounts
        .create_admin("admin@ohnet.test", "Admin", "admin password 123")
        .await
        .unwrap();
    let admin = accounts
        .sign_in("admin@ohnet.test", "admin password 123", &origin)
        .await
        .map(|signed| Actor::Member(signed.member))
        .unwrap();
    let Actor::Member(joined) = member(fx, email).await else {
        panic!("a member");
    };
    accounts
        .set_role(&admin, joined.id, Role::Editor.as_str(), "", &origin)
        .await
        .unwrap();
    let signed = accounts
        .sign_in(email, "a long enough password", &origin)
        .await
        .unwrap();
    assert_eq!(signed.member.role, Role::Editor);
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
    let everything = domain::cpd::LogFilter::default();
    let log = |actor| fx.services.cpd.log(actor, &everything);
    assert_eq!(log(&learner).await.unwrap().total, 0);

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
    let entries = log(&learner).await.unwrap().entries;
    assert_eq!(entries.len(), 1, "one CPD entry per module");
    assert_eq!(entries[0].title, format!("eLearning: {}", module.title));
    assert_eq!(entries[0].kind, domain::cpd::E_LEARNING);
    assert!(
        !entries[0].participatory,
        "solo e-learning is not participatory (NMC)"
    );
    assert!(entries[0].automatic);
    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert_eq!(overview.card.status, LearnerStatus::Completed);
    assert_eq!(overview.certificate.as_deref(), Some(code.as_str()));

    // "Download my data" carries the record, the certificate and the CPD entry.
    let data = fx.services.export_member_data(&learner).await.unwrap();
    assert_eq!(data["learning"]["certificates"][0]["code"], code.as_str());
    assert_eq!(
        data["learning"]["modules"][0]["module"],
        module.title.as_str()
    );
    assert!(data["learning"]["modules"][0]["passed_at"].is_string());
    assert_eq!(
        data["cpd"][0]["recorded_automatically_from"],
        format!("learning-module:{MODULE}")
    );

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
    // Every module, as the modules link to each other; only one is broken.
    for module in std::fs::read_dir(content_dir().join("modules")).unwrap() {
        let source = module.unwrap().path();
        let copy = temp
            .path()
            .join("modules")
            .join(source.file_name().unwrap());
        std::fs::create_dir_all(&copy).unwrap();
        for entry in std::fs::read_dir(&source).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
        }
    }
    let manifest = temp.path().join("modules").join(MODULE).join("module.toml");
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
        fx.services
            .pages
            .get(&Actor::Anonymous, "about")
            .await
            .is_ok(),
        "valid pages still import"
    );
}

/// The messages of a refused edit (module content problems are all reported on `content`).
fn content_problems(outcome: Result<(), Error>) -> Vec<String> {
    let Err(Error::InvalidFields(problems)) = outcome else {
        panic!("the edit must be refused, got {outcome:?}");
    };
    problems
        .into_iter()
        .map(|FieldError { field, message }| {
            assert_eq!(field, "content");
            message
        })
        .collect()
}

#[tokio::test]
async fn the_catalogue_and_overview_say_what_the_visitor_may_do() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let filter = CatalogueFilter::default();
    let learner = member(&fx, "casey@force.test").await;
    let editor = editor(&fx, "eddie@force.test").await;
    for (actor, can_learn, can_edit) in [
        (&Actor::Anonymous, false, false),
        (&learner, true, false),
        (&editor, true, true),
    ] {
        let catalogue = learning.catalogue(actor, &filter).await.unwrap();
        assert_eq!(
            (catalogue.can_learn, catalogue.can_create),
            (can_learn, can_edit)
        );
        let overview = learning.overview(actor, MODULE).await.unwrap();
        assert_eq!(
            (overview.can_learn, overview.can_edit),
            (can_learn, can_edit)
        );
        assert_eq!(learning.may_edit(actor).is_ok(), can_edit);
    }
}

#[tokio::test]
async fn only_editors_edit_modules_and_a_refusal_changes_nothing() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let learner = member(&fx, "casey@force.test").await;
    let module = fx.modules.iter().find(|m| m.slug == MODULE).unwrap();
    let lesson = &module.lessons[0].slug;
    let draft = LessonDraft {
        title: "Taken over".into(),
        summary: "Not by an editor.".into(),
        minutes: "5".into(),
        body: "Changed.\n".into(),
    };
    for (actor, expected) in [
        (&Actor::Anonymous, Error::Unauthenticated),
        (&learner, Error::Forbidden),
    ] {
        let refused = |error: Error| {
            assert_eq!(
                std::mem::discriminant(&error),
                std::mem::discriminant(&expected),
                "{expected:?} expected, got {error:?}"
            );
        };
        refused(learning.may_edit(actor).unwrap_err());
        refused(learning.manifest_text(actor, MODULE).await.unwrap_err());
        refused(
            learning
                .lesson_draft(actor, MODULE, lesson)
                .await
                .unwrap_err(),
        );
        refused(learning.preview(actor, "# Hello").unwrap_err());
        refused(
            learning
                .save_manifest(actor, MODULE, "title = \"Mine\"\n", &origin)
                .await
                .unwrap_err(),
        );
        refused(
            learning
                .save_lesson(actor, MODULE, lesson, &draft, &origin)
                .await
                .unwrap_err(),
        );
        refused(
            learning
                .create_module(actor, "new-module", "title = \"Mine\"\n", "Text\n", &origin)
                .await
                .unwrap_err(),
        );
        refused(
            learning
                .add_lesson(actor, MODULE, "99-mine.md", "Text\n", &origin)
                .await
                .unwrap_err(),
        );
    }
    let overview = learning.overview(&learner, MODULE).await.unwrap();
    assert_eq!(overview.revision, 1, "nothing was saved");
    assert_eq!(overview.lessons.len(), module.lessons.len());
    assert_eq!(overview.lessons[0].title, module.lessons[0].title);
    assert!(matches!(
        learning.overview(&learner, "new-module").await,
        Err(Error::NotFound)
    ));
}

#[tokio::test]
async fn an_edited_lesson_is_a_new_revision() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let editor = editor(&fx, "eddie@force.test").await;
    let module = fx.modules.iter().find(|m| m.slug == MODULE).unwrap();
    let lesson = &module.lessons[0].slug;

    let mut draft = learning
        .lesson_draft(&editor, MODULE, lesson)
        .await
        .unwrap();
    assert_eq!(draft.title, module.lessons[0].title);
    draft.title = "Fitness for duty, revised".into();
    draft.body.push_str("\nA paragraph added in the app.\n");
    learning
        .save_lesson(&editor, MODULE, lesson, &draft, &origin)
        .await
        .unwrap();

    let overview = learning.overview(&editor, MODULE).await.unwrap();
    assert_eq!(overview.revision, 2);
    assert_eq!(overview.lessons[0].title, "Fitness for duty, revised");
    let view = learning.lesson(&editor, MODULE, lesson).await.unwrap();
    assert!(view.html.contains("A paragraph added in the app."));
    let saved = learning
        .lesson_draft(&editor, MODULE, lesson)
        .await
        .unwrap();
    assert_eq!(saved, draft, "what was saved reads back as typed");
    learning
        .save_lesson(&editor, MODULE, lesson, &saved, &origin)
        .await
        .unwrap();
    assert_eq!(
        learning.overview(&editor, MODULE).await.unwrap().revision,
        2,
        "saving an unchanged draft changes nothing"
    );
}

#[tokio::test]
async fn a_lesson_with_a_bad_link_is_refused_with_its_file_and_line() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let editor = editor(&fx, "eddie@force.test").await;
    let module = fx.modules.iter().find(|m| m.slug == MODULE).unwrap();
    let lesson = &module.lessons[1];
    let before = learning
        .lesson_draft(&editor, MODULE, &lesson.slug)
        .await
        .unwrap();

    let mut draft = before.clone();
    draft.title = "Half written".into();
    draft.body = "First line.\n\nSee [the missing lesson](99-missing.md).\n".into();
    let problems = content_problems(
        learning
            .save_lesson(&editor, MODULE, &lesson.slug, &draft, &origin)
            .await,
    );
    let file = lesson_file_name(2, &lesson.slug);
    assert_eq!(
        problems,
        [format!(
            "modules/{MODULE}/{file}:9: link to `99-missing.md` does not match a lesson of this module"
        )]
    );

    let overview = learning.overview(&editor, MODULE).await.unwrap();
    assert_eq!(overview.revision, 1, "nothing half-written");
    assert_eq!(
        learning
            .lesson_draft(&editor, MODULE, &lesson.slug)
            .await
            .unwrap(),
        before
    );
}

#[tokio::test]
async fn a_manifest_edit_is_validated_before_it_is_saved() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let editor = editor(&fx, "eddie@force.test").await;
    let manifest = learning.manifest_text(&editor, MODULE).await.unwrap();
    let pass_mark = learning.overview(&editor, MODULE).await.unwrap().pass_mark;
    let line = manifest
        .lines()
        .position(|line| line.starts_with("pass_mark"))
        .unwrap()
        + 1;

    let broken = manifest.replacen(&format!("pass_mark = {pass_mark}"), "pass_mark = 700", 1);
    let problems = content_problems(
        learning
            .save_manifest(&editor, MODULE, &broken, &origin)
            .await,
    );
    assert_eq!(problems.len(), 1);
    assert!(
        problems[0].starts_with(&format!("modules/{MODULE}/module.toml:{line}: `pass_mark`")),
        "{problems:?}"
    );
    assert_eq!(
        learning.manifest_text(&editor, MODULE).await.unwrap(),
        manifest
    );
    assert_eq!(
        learning.overview(&editor, MODULE).await.unwrap().revision,
        1
    );

    let changed = manifest.replacen(&format!("pass_mark = {pass_mark}"), "pass_mark = 80", 1);
    learning
        .save_manifest(&editor, MODULE, &changed, &origin)
        .await
        .unwrap();
    let overview = learning.overview(&editor, MODULE).await.unwrap();
    assert_eq!((overview.revision, overview.pass_mark), (2, 80));
}

#[tokio::test]
async fn editors_create_a_module_and_add_a_lesson() {
    let fx = fixture().await;
    let learning = &fx.services.learning;
    let origin = RequestOrigin::default();
    let editor = editor(&fx, "eddie@force.test").await;
    let manifest = r#"title = "Night shifts"
summary = "Looking after officers who work nights."
audience = ["oh-nurse"]
topics = ["night-work"]
estimated_minutes = 20
cpd_hours = 0.5
pass_mark = 50
outcomes = ["Explain the night work health assessment"]
lessons = ["01-start.md"]

[[questions]]
id = "who"
kind = "single"
prompt = "Who is offered a night work health assessment?"
explanation = "The Working Time Regulations 1998 require one for night workers."
[[questions.options]]
text = "Night workers"
correct = true
feedback = "Yes."
[[questions.options]]
text = "Nobody"
feedback = "It must be offered."

[governance]
status = "draft"
authors = ["Eddie Editor"]
"#;
    let lesson =
        "+++\ntitle = \"Start\"\nsummary = \"Where it begins.\"\nminutes = 10\n+++\n\nText.\n";

    let problems = content_problems(
        learning
            .create_module(
                &editor,
                "night-shifts",
                manifest,
                "+++\ntitle = \"Start\"\n",
                &origin,
            )
            .await,
    );
    assert!(
        problems[0].starts_with("modules/night-shifts/01-start.md:"),
        "{problems:?}"
    );
    assert!(
        matches!(
            learning.overview(&editor, "night-shifts").await,
            Err(Error::NotFound)
        ),
        "a refused module is not created"
    );
    let Err(Error::InvalidFields(taken)) = learning
        .create_module(&editor, MODULE, manifest, lesson, &origin)
        .await
    else {
        panic!("an existing slug must be refused");
    };
    assert_eq!(taken[0].field, "slug");

    learning
        .create_module(&editor, "night-shifts", manifest, lesson, &origin)
        .await
        .unwrap();
    let overview = learning.overview(&editor, "night-shifts").await.unwrap();
    assert_eq!((overview.revision, overview.lessons.len()), (1, 1));

    let problems = content_problems(
        learning
            .add_lesson(
                &editor,
                "night-shifts",
                "02-next.md",
                "no front matter\n",
                &origin,
            )
            .await,
    );
    assert!(
        problems[0].starts_with("modules/night-shifts/02-next.md:"),
        "{problems:?}"
    );
    assert_eq!(
        learning
            .overview(&editor, "night-shifts")
            .await
            .unwrap()
            .lessons
            .len(),
        1
    );
    let next = lesson.replace("Start", "Next");
    learning
        .add_lesson(&editor, "night-shifts", "02-next.md", &next, &origin)
        .await
        .unwrap();
    let overview = learning.overview(&editor, "night-shifts").await.unwrap();
    assert_eq!(overview.revision, 2);
    let titles: Vec<&str> = overview.lessons.iter().map(|l| l.title.as_str()).collect();
    assert_eq!(titles, ["Start", "Next"]);
}

#[tokio::test]
async fn the_preview_renders_through_the_author_pipeline() {
    let fx = fixture().await;
    let editor = editor(&fx, "eddie@force.test").await;
    let html = fx
        .services
        .learning
        .preview(&editor, "## Heading\n\n<script>alert(1)</script>Text\n")
        .unwrap();
    assert!(html.contains("<h2"), "{html}");
    assert!(!html.contains("<script"), "{html}");
}
