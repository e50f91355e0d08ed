//! Module validation against fixtures: every broken rule is reported as `path:line: message`
//! (all at once, nothing imported), and a valid module's links, images and rendering.

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use domain::content::modules::{ClinicalReview, QuestionKind, ReviewStatus, load_modules};

fn fixtures(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

#[test]
fn every_broken_rule_is_reported_with_file_and_line() {
    let root = fixtures("invalid-modules");
    let errors = load_modules(&root).unwrap_err();
    let lines: Vec<String> = errors
        .0
        .iter()
        .map(|error| {
            format!(
                "{}:{}: {}",
                error.path.strip_prefix(&root).unwrap().display(),
                error.line,
                error.message
            )
        })
        .collect();
    let expected = [
        "modules/bad-manifest/module.toml:8: unknown field `pass_mrak`, expected one of `title`, `summary`, `audience`, `topics`, `estimated_minutes`, `cpd_hours`, `pass_mark`, `outcomes`, `lessons`, `questions`, `governance`",
        "modules/broken-rules/01-first.md:4: `minutes` must be above 0",
        "modules/broken-rules/01-first.md:9: link to `05-nowhere.md` does not match a lesson of this module",
        "modules/broken-rules/01-first.md:11: image `missing.png` is not in the module's folder",
        "modules/broken-rules/01-first.md:13: image `notes.txt` must be a PNG, JPEG, GIF, SVG or WebP file",
        "modules/broken-rules/module.toml:2: `summary` must not be blank",
        "modules/broken-rules/module.toml:3: audience `surgeon` is not a profession (use the values from the application form)",
        "modules/broken-rules/module.toml:4: topic `Night Work` must be lowercase letters, digits and hyphens",
        "modules/broken-rules/module.toml:5: `estimated_minutes` must be above 0",
        "modules/broken-rules/module.toml:6: `cpd_hours` must be above 0 and at most 100",
        "modules/broken-rules/module.toml:7: `pass_mark` must be a percentage from 1 to 100",
        "modules/broken-rules/module.toml:8: list at least one learning outcome",
        "modules/broken-rules/module.toml:9: `04-unlisted.md` is in the folder but not listed in `lessons`",
        "modules/broken-rules/module.toml:11: lesson `01-first.md` is listed twice",
        "modules/broken-rules/module.toml:12: lesson file `02-missing.md` is missing",
        "modules/broken-rules/module.toml:13: lesson file `third.md` must be named like `01-<name>.md`",
        "modules/broken-rules/module.toml:17: question `no-correct` has no correct option",
        "modules/broken-rules/module.toml:29: question id `no-correct` is used twice",
        "modules/broken-rules/module.toml:29: question `no-correct` needs at least two options",
        "modules/broken-rules/module.toml:30: question kind `either` must be `single` or `multiple`",
        "modules/broken-rules/module.toml:39: question `two-right` is `single` but has 2 correct options; make it `multiple` or mark one",
        "modules/broken-rules/module.toml:42: `explanation` must not be blank",
        "modules/broken-rules/module.toml:50: option `feedback` must not be blank",
        "modules/reserved-name/module.toml:7: lesson name `check` is used by the module's own pages; rename the file",
    ];
    assert_eq!(lines, expected);
}

#[test]
fn a_valid_module_links_lessons_and_carries_its_images() {
    let modules = load_modules(&fixtures("valid-module")).unwrap();
    let [module] = modules.as_slice() else {
        panic!("one module expected");
    };
    assert_eq!(module.slug, "with-media");
    assert_eq!(module.source_dir, "modules/with-media");
    assert_eq!(module.cpd_minutes, 30);
    assert_eq!(module.questions[0].kind, QuestionKind::Single);
    let slugs: Vec<&str> = module
        .lessons
        .iter()
        .map(|lesson| lesson.slug.as_str())
        .collect();
    assert_eq!(slugs, ["start", "next"]);
    let start = &module.lessons[0];
    assert!(
        start
            .html
            .contains(r#"href="/learning/with-media/next#key-points""#),
        "{}",
        start.html
    );
    assert!(
        start
            .html
            .contains(r#"src="/learning/with-media/media/chart.png""#),
        "{}",
        start.html
    );
    assert!(
        module.lessons[1]
            .html
            .contains(r#"href="/learning/with-media/start""#)
    );
    let governance = &module.governance;
    assert_eq!(governance.status, ReviewStatus::Reviewed);
    assert_eq!(governance.authors, ["Fixture author", "Second author"]);
    assert_eq!(governance.next_review, NaiveDate::from_ymd_opt(2027, 6, 30));
    assert_eq!(governance.reviews.len(), 2);
    assert_eq!(
        governance.last_review(),
        Some(&ClinicalReview {
            date: NaiveDate::from_ymd_opt(2026, 11, 30).unwrap(),
            reviewers: vec![
                "A Reviewer, consultant occupational physician".to_owned(),
                "B Reviewer, OH nurse".to_owned(),
            ],
            note: Some("Checked against the current guidance.".to_owned()),
        })
    );
    assert!(!governance.is_overdue(NaiveDate::from_ymd_opt(2027, 6, 30).unwrap()));
    assert!(governance.is_overdue(NaiveDate::from_ymd_opt(2027, 7, 1).unwrap()));
    assert_eq!(module.media.len(), 1);
    assert_eq!(module.media[0].content_type, "image/png");
    assert_eq!(module.media[0].file_name, "chart.png");
    insta::assert_snapshot!("lesson_with_links_images_callout_and_table", start.html);
}

#[test]
fn a_changed_lesson_changes_its_hash_and_the_module_hash_only() {
    let temp = tempfile::tempdir().unwrap();
    let folder = temp.path().join("modules/with-media");
    std::fs::create_dir_all(&folder).unwrap();
    let source = fixtures("valid-module").join("modules/with-media");
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, folder.join(path.file_name().unwrap())).unwrap();
    }
    let before = load_modules(temp.path()).unwrap().remove(0);
    let second = folder.join("02-next.md");
    let text = std::fs::read_to_string(&second).unwrap();
    std::fs::write(&second, format!("{text}\nA new sentence.\n")).unwrap();
    let after = load_modules(temp.path()).unwrap().remove(0);
    assert_ne!(before.content_hash, after.content_hash);
    assert_eq!(
        before.lessons[0].content_hash,
        after.lessons[0].content_hash
    );
    assert_ne!(
        before.lessons[1].content_hash,
        after.lessons[1].content_hash
    );
}

#[test]
fn the_four_seed_modules_are_valid_and_substantial() {
    let modules = load_modules(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../content")).unwrap();
    let slugs: Vec<&str> = modules.iter().map(|module| module.slug.as_str()).collect();
    assert_eq!(
        slugs,
        [
            "assessing-fitness-for-duty",
            "health-and-safety-risks-in-policing",
            "profession-of-policing-regulations-legal",
            "stakeholder-engagement-consent-information-sharing",
        ]
    );
    for module in &modules {
        let words: usize = module
            .lessons
            .iter()
            .map(|lesson| lesson.body_markdown.split_whitespace().count())
            .sum();
        assert!((4..=10).contains(&module.lessons.len()), "{}", module.slug);
        assert!(words >= 2500, "{} has {words} words", module.slug);
        assert!(module.questions.len() >= 8, "{}", module.slug);
        assert!(
            module
                .questions
                .iter()
                .all(|q| q.options.iter().any(|o| o.correct))
        );
        assert!(!module.outcomes.is_empty());
        assert_eq!(
            module.governance.status,
            ReviewStatus::AwaitingReview,
            "{}: no clinical review is recorded for the seed modules",
            module.slug
        );
        assert!(module.governance.reviews.is_empty(), "{}", module.slug);
        assert!(!module.governance.authors.is_empty(), "{}", module.slug);
        let links_elsewhere = module
            .lessons
            .iter()
            .filter(|lesson| lesson.body_markdown.contains("](../"))
            .count();
        assert!(
            links_elsewhere > 0,
            "{} refers to no other module's lessons",
            module.slug
        );
    }
}
